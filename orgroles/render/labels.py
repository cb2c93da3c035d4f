"""The words of the interface, in bokmål and English (``--lang``), and how answers read.

Queries answer in ids, numbers, flags, the model's bilingual texts (``LangText``) and a few
phrases (``queries.common.OpenLine`` ...); ``say`` and the functions here turn each into the
words of one language, for the text renderings and the JSON alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from orgroles.model import Lang, LangText

if TYPE_CHECKING:
    from orgroles.queries.common import Text
    from orgroles.queries.delegation import Holder
    from orgroles.queries.diff import Change, DiffAnswer
    from orgroles.queries.search import Hit
    from orgroles.queries.stats import SpanRow, SpanWarning

_WORDS: dict[str, tuple[str, str]] = {
    # key: (nb, en)
    "name": ("Navn", "Name"),
    "role": ("Rolle", "Role"),
    "count": ("Antall", "Count"),
    "superior": ("Overordnet", "Reports to"),
    "posts": ("Stillinger", "Posts"),
    "source": ("Kilde", "Source"),
    "kind": ("Type", "Kind"),
    "head": ("Leder", "Head"),
    "heads": ("Leder av", "Heads"),
    "members": ("Deltakere", "Members"),
    "part_of": ("Del av", "Part of"),
    "parts": ("Består av", "Made up of"),
    "qualifier": ("Kvalifisering", "Qualifier"),
    "scope": ("Omfang", "Scope"),
    "wording": ("Ordlyd", "Wording"),
    "basis": ("Grunnlag", "Basis"),
    "over": ("Over", "Over"),
    "level": ("Nivå", "Level"),
    "where": ("Hvor", "Where"),
    "text": ("Tekst", "Text"),
    "ca": ("ca.", "about"),
    "inferred": ("utledet", "inferred"),
    "unspecified": ("ikke oppgitt", "not stated"),
    "not_stated": ("ikke oppgitt", "not stated"),
    "possibly": ("kanskje", "possibly"),
    "one_of_them": ("en av dem; ikke oppgitt hvem", "one of them; not stated which"),
    "varies": ("{name} (ulikt for hver stilling)", "{name} (each post its own)"),
    "listed": ("oppført", "listed"),
    "function": ("via funksjon", "via function"),
    "direct": ("direkte", "direct"),
    "attends": ("møter i", "attends"),
    "member": ("medlem", "member"),
    "on_behalf_of": ("på vegne av", "on behalf of"),
    "as": ("som", "as"),
    "roles": ("Roller", "Roles"),
    "areas": ("Programområder", "Programme areas"),
    "units": ("Enheter", "Units"),
    "forums": ("Fora og organer", "Forums and bodies"),
    "principles": ("Prinsipper", "Principles"),
    "scorecard": ("Målekart", "Scorecard"),
    "sketch": ("Prinsippskisse", "Organisation sketch"),
    "represents": ("Kan stå for", "May stand for"),
    "functions": ("Roller og funksjoner", "Roles and functions"),
    "authorities": ("Ansvar og fullmakter", "Responsibilities and authorities"),
    "focus": ("Fokus", "Focus"),
    "challenges": ("Utfordringer", "Challenges"),
    "tasks": ("Oppgaver, ansvar", "Tasks, responsibilities"),
    "duties": ("Skal", "Duties"),
    "relations": ("Relasjoner", "Relations"),
    "reports": ("Rapporterer hit", "Direct reports"),
    "who_reports_to": ("Rapporterer til {name}", "Reports to {name}"),
    "reports_to": ("Linjen oppover fra {name}", "The line up from {name}"),
    "accountable_to": ("ansvarlig overfor", "accountable to"),
    "open_line": (
        "rapporterer til en {name}; kilden sier ikke hvilken",
        "reports to one of the {name}; the source does not say which",
    ),
    "open_line_set": (
        "rapporterer til en av disse; kilden sier ikke hvilken",
        "reports to one of these; the source does not say which",
    ),
    "open_note": (
        "(ikke oppgitt): rapporterer til en av rollens stillinger; kilden sier ikke hvilken.",
        "(not stated): reports to one of that role's posts; the source does not say which.",
    ),
    "more_below": ("+{n} til", "+{n} more"),
    "common": ("Der linjene møtes", "Where the lines meet"),
    "meet": ("Nærmeste felles overordnede", "Nearest common superior"),
    "possible_meet": ("Kanskje felles", "Possibly shared"),
    "possible_meet_note": (
        "om begge har samme; kilden sier ikke",
        "if both have the same one; the source does not say",
    ),
    "path": ("Vei fra {name}", "Path from {name}"),
    "no_meet": ("Linjene møtes ikke: ulike toppledere", "The lines do not meet: different heads"),
    "authority": ("Hvem har {name}", "Who holds {name}"),
    "related": ("Beslektet ({relation}): {name}", "Related ({relation}): {name}"),
    "related_plain": ("Beslektet: {name}", "Related: {name}"),
    "broader": ("bredere", "broader"),
    "narrower": ("smalere", "narrower"),
    "none_stated_for": ("Ikke oppgitt for", "Not stated for"),
    "by_grants": (
        "Delegert ved vedtak {grants}: se orgroles delegation {kind}",
        "Delegated by grants {grants}: see orgroles delegation {kind}",
    ),
    "matrix": ("Ansvar og fullmakter per rolle", "Responsibilities and authorities by role"),
    "search": ("Treff for {query}", "Hits for {query}"),
    "none": ("(ingen)", "(none)"),
    "no_answer": ("Ingen treff.", "Nothing found."),
    "same_as": ("som {name}", "as {name}"),
    "details": ("Detaljer", "Details"),
    "aliases": ("Også kalt", "Also called"),
    "english": ("Engelsk", "English"),
    "norwegian": ("Norsk", "Norwegian"),
    "portfolio": ("Portefølje", "Portfolio"),
    "facts_from_role": ("Fra rollen {name}", "From the role {name}"),
    "note": ("Merknad", "Note"),
    "statements": ("Utsagn", "Statements"),
    "elements": ("Elementer", "Elements"),
    "perspectives": ("Perspektiver", "Perspectives"),
    "principle": ("Prinsipp", "Principle"),
    "authority_kind": ("Ansvarstype", "Authority kind"),
    "post": ("Stilling", "Post"),
    "unit": ("Enhet", "Unit"),
    "forum": ("Forum", "Forum"),
    "what": ("Hva", "What"),
    "levels": (
        "Nivåer i linjen: {depth}; ledere: {total}",
        "Levels in the line: {depth}; leaders: {total}",
    ),
    "leaders": ("Ledere", "Leaders"),
    "spans": ("Kontrollspenn", "Spans of control"),
    "span": ("Spenn", "Span"),
    "exact": ("Eksakt", "Exact"),
    "estimated_column": ("Anslått", "Estimated"),
    "over_limit": (
        "{name}: kontrollspenn {span}, over maksimum {limit}",
        "{name}: a span of {span}, above the maximum of {limit}",
    ),
    "estimated": ("anslått", "estimated"),
    "widest": ("Bredest", "Widest"),
    "narrowest": ("Smalest", "Narrowest"),
    "warnings": ("Advarsler", "Warnings"),
    "authorities_listed": ("Ansvar oppført", "Authorities listed"),
    "authorities_conferred": ("Via funksjoner", "Via functions"),
    "before": ("Før", "Before"),
    "after": ("Etter", "After"),
    "no_changes": ("Ingen endringer fra {old} til {new}.", "No changes from {old} to {new}."),
    "change_added": ("Lagt til", "Added"),
    "change_removed": ("Fjernet", "Removed"),
    "change_renamed": ("Ny id", "Renamed"),
    "change_name_changed": ("Nytt navn", "Name changed"),
    "change_moved": ("Flyttet i linjen", "Moved in the line"),
    "change_count_changed": ("Nytt antall", "Count changed"),
    "change_heads_changed": ("Leder en annen enhet", "Heads another unit"),
    "change_part_of_changed": ("Del av noe annet", "Part of something else"),
    "change_authority_gained": ("Ansvar og fullmakter lagt til", "Authority gained"),
    "change_authority_lost": ("Ansvar og fullmakter fjernet", "Authority lost"),
    "change_authority_changed": ("Ansvar og fullmakter endret", "Authority changed"),
    "change_member_added": ("Ny deltaker", "Member added"),
    "change_member_removed": ("Deltaker fjernet", "Member removed"),
    "change_source_changed": ("Ny kilde", "Source changed"),
    "change_order_changed": ("Ny rekkefølge", "Order changed"),
    "change_changed": ("Andre endringer", "Other changes"),
    "diff_yes": ("ja", "yes"),
    "diff_no": ("nei", "no"),
    "diff_quote": ("Sitat", "Quote"),
    "diff_document": ("Dokument", "Document"),
    "diff_meta": ("Om filen", "About the file"),
    "diff_vocabulary": ("Vokabular", "Vocabulary"),
    "diff_relation": ("Relasjon", "Relation"),
    "diff_unit_kind": ("Enhetstype", "Unit kind"),
    "diff_forum_kind": ("Forumtype", "Forum kind"),
    "diff_perspective": ("Perspektiv", "Perspective"),
    "diff_element": ("Element i skissen", "Sketch element"),
    "top": ("(øverst)", "(top)"),
    "advises": ("rådgiver for", "advises"),
    "advises_in": ("får råd fra", "advised by"),
    "accountable_to_in": ("har ansvarlig", "holds accountable"),
    "cooperates_with": ("samarbeider med", "cooperates with"),
    "cooperates_with_in": ("samarbeider med", "cooperates with"),
    "dialogue_partner": ("dialogpartner for", "dialogue partner of"),
    "dialogue_partner_in": ("har som dialogpartner", "has as dialogue partner"),
    "facilitates": ("tilrettelegger for", "facilitates for"),
    "facilitates_in": ("får tilrettelegging fra", "facilitated by"),
    "result_agreement": ("resultatavtale med", "performance agreement with"),
    "result_agreement_in": ("resultatavtale med", "performance agreement with"),
    "supports": ("støtter", "supports"),
    "supports_in": ("får støtte fra", "supported by"),
    "via_unit": ("(leder av enheten {unit})", "(head of the unit {unit})"),
    "staff_below": (
        "{count} til under {name}, ikke oppført hver for seg",
        "{count} more under {name}, not listed one by one",
    ),
    "possibly_under": (
        "(kanskje): kanskje under {name}; kilden sier ikke hvilken stilling den rapporterer til.",
        "(possibly): perhaps under {name}; the source does not say which post it reports to.",
    ),
    "tree_hidden": (
        "{n} til under, ikke vist (bruk --depth)",
        "{n} more below, not shown (use --depth)",
    ),
    "spans_shown": (
        "de {shown} bredeste av {total}; --all viser alle (--json også)",
        "the {shown} widest of {total}; --all lists every one (so does --json)",
    ),
    "chart_more": ("… og {n} til (se treet)", "… and {n} more (see the tree)"),
    "rows_more": ("… og {n} til (--all viser alle)", "… and {n} more (--all lists every one)"),
    "tree_staff": ("{n} under, ikke oppført", "{n} below, not listed"),
    "staff_column": ("Under, ikke oppført", "Below, not listed"),
    "kind_role": ("rolle", "role"),
    "kind_post": ("stilling", "post"),
    "kind_unit": ("enhet", "unit"),
    "kind_forum": ("forum", "forum"),
    "no_certain_meet": (
        "Linjene møtes ikke sikkert: de kan ende hos ulike toppledere",
        "The lines do not certainly meet: they may end at different heads",
    ),
    "staff_total": ("; andre ansatte: {count}", "; other staff: {count}"),
    "held_by": ("Innehaver", "Held by"),
    "holders": ("innehaver", "held by"),
    "vacant": ("ledig", "vacant"),
    "acting": ("konstituert", "acting"),
    "held_from": ("fra {date}", "from {date}"),
    "held_until": ("til {date}", "until {date}"),
    "vacancies_title": (
        "Ledige stillinger: {vacant} av {posts}",
        "Vacant posts: {vacant} of {posts}",
    ),
    "held_posts": ("; med oppgitt innehaver: {held}", "; with a holder named: {held}"),
    "counterparty_not_stated": ("motpart ikke oppgitt", "counterparty not stated"),
}


def people_text(holders: Sequence[Any], vacant: bool, lang: Lang) -> str:
    """Return who holds a post: ``Kari Nordmann; Ola Hansen (konstituert, fra 2025-01-01)``,
    ``ledig`` for a vacant one (after any former holders), empty when the file does not say."""
    out = []
    for holder in holders:
        about = [word("acting", lang)] if holder.acting else []
        if holder.from_:
            about.append(word("held_from", lang, date=holder.from_))
        if holder.until:
            about.append(word("held_until", lang, date=holder.until))
        out.append(f"{holder.name} ({', '.join(about)})" if about else holder.name)
    if vacant:
        out.append(word("vacant", lang))
    return "; ".join(out)


def people_beside(name: str, holders: Sequence[Any], vacant: bool, lang: Lang) -> str:
    """Return ``people_text`` for showing beside a post's name; empty when the name already is
    its holders' (a post named by the people who hold it)."""
    if name and name == ", ".join(h.name for h in holders if not h.until):
        return ""
    return people_text(holders, vacant, lang)


def row_count(row: Any, lang: Lang) -> str:
    """Return the count a tree row shows beside its name (``ca. 200``): a class's or a group's,
    empty when it is exactly one (the name says it) and for posts."""
    if row.kind not in ("group", "role") or row.count is None:
        return ""
    if row.count == 1 and not row.approximate:
        return ""
    return count_text(row.count, row.approximate, lang)


def count_text(count: float | None, approximate: bool, lang: Lang) -> str:
    """Return a count as people write it: ``4``, ``ca. 200``, ``about 22.2``, ``ca. 22,2``
    (empty for none). The one place "ca."/"about" is written."""
    if count is None:
        return ""
    shown = number(count, lang)
    return f"{word('ca', lang)} {shown}" if approximate else shown


def number(value: float, lang: Lang) -> str:
    """Return a number as people write it: ``22.2`` in English, ``22,2`` in bokmål."""
    text = str(value) if isinstance(value, int) else f"{value:g}"
    return text.replace(".", ",") if lang != "en" else text


def has_word(key: str) -> bool:
    """Tell whether ``key`` is an interface word."""
    return key in _WORDS


def word(key: str, lang: Lang, **values: str) -> str:
    """Return the interface word ``key`` in ``lang``, formatted with ``values``."""
    nb, en = _WORDS[key]
    text = en if lang == "en" else nb
    return text.format(**values) if values else text


def one_of(name: str, lang: Lang) -> str:
    """Return ``kommunalsjefer (en av dem; ikke oppgitt hvem)``: one of them, not stated which."""
    return f"{name} ({word('one_of_them', lang)})"


def say(text: Text, lang: Lang) -> str:
    """Return a name or phrase of an answer in ``lang``."""
    if type(text) is LangText:
        return text.get(lang)
    from orgroles.queries.common import NodeList, OpenLine

    if isinstance(text, OpenLine):
        if text.role is None:
            return word("open_line_set", lang)
        # "en kommunalsjef" in bokmål, "one of the heads of programme area" in English
        name = text.plural if lang == "en" else text.name
        return word("open_line", lang, name=name.get(lang) if name else text.role)
    if isinstance(text, NodeList):
        names = [n.get(lang) for n in text.names]
        if text.more:
            names.append(word("more_below", lang, n=str(text.more)))
        listed = " / ".join(names)
        return f"{text.role.get(lang)}: {listed}" if text.role is not None else listed
    return text.get(lang)


def maybe(text: LangText | None, lang: Lang) -> str | None:
    """Return a text in ``lang``, None for none."""
    return text.get(lang) if text is not None else None


def sorted_names(names: Sequence[LangText], lang: Lang) -> list[str]:
    """Return names in ``lang``, sorted as they read."""
    return sorted(n.get(lang) for n in names)


def span_text(row: SpanRow, lang: Lang) -> str:
    """Return a span of control: ``ca. 22,2 (anslått)``, ``about 22.2 (estimated)``."""
    value = count_text(row.span, row.approximate, lang)
    if row.estimated:
        value += f" ({word('estimated', lang)})"
    return value


def span_warning(warning: SpanWarning, lang: Lang, name_lang: Lang | None = None) -> str:
    """Return a warning about a span above the maximum, as one line (the post's name in
    ``name_lang`` when given)."""
    span = warning.span
    return word(
        "over_limit",
        lang,
        name=f"{span.name.get(name_lang or lang)} ({span.id})",
        span=span_text(span, lang),
        limit=str(warning.limit),
    )


def holder_is_plural(holder: Holder, lang: Lang) -> bool:
    """Tell whether a holder's name reads as a plural (``hold``, not ``holds``)."""
    return holder.singular is not None and holder.name.get(lang) != holder.singular.get(lang)


def hit_lang(hit: Hit, lang: Lang) -> Lang:
    """Return the language of the text a search hit shows: ``lang`` where it matched there."""
    other: Lang = "nb" if lang == "en" else "en"
    return lang if getattr(hit.text, lang) else other


def changes_shown(answer: DiffAnswer, lang: Lang) -> list[Change]:
    """Return the changes as they read in ``lang``: a name that reads the same there is no
    ``name_changed``; the changes to its texts are shown by their paths instead."""
    out = []
    for change in answer.changes:
        if change.change == "name_changed":
            was, now = change.old.get(lang), change.new.get(lang)
            if was != now:
                out.append(change._replace(old=was, new=now))
        elif change.name_unchanged is None or _same_name(change.name_unchanged, lang):
            out.append(change)
    return out


def _same_name(names: tuple[LangText, LangText], lang: Lang) -> bool:
    return names[0].get(lang) == names[1].get(lang)


# --- delegation (``can``, ``delegation``, ``show``, ``export --format delegation-md``) -------
_WORDS.update(
    {
        "can_title": (
            "Kan {who} utøve myndigheten «{kind}»?",
            "May {who} exercise the power “{kind}”?",
        ),
        "can_yes_body": ("Ja: delegert fra {body}", "Yes: delegated by {body}"),
        "can_yes_law": ("Ja: etter {law}", "Yes: under {law}"),
        "can_yes_keeps": (
            "Ja: {who} har denne myndigheten selv; den kan ikke delegeres",
            "Yes: {who} keeps this power; it may not be delegated",
        ),
        "can_yes_grants": ("Ja: {who} gir denne myndigheten", "Yes: {who} grants this power"),
        "can_yes_broader": (
            "Ja: har den videre myndigheten {broader} ({grant}), som {kind} er delegert fra",
            "Yes: holds the broader power {broader} ({grant}), which {kind} is delegated from",
        ),
        "can_zero": (
            "; men grensen {limit} i {grant} gir bare rom for saker uten beløp",
            "; but the limit {limit} in {grant} leaves room only for cases without an amount",
        ),
        "can_no_over_limit": (
            "Nei: over grensen {limit} i {grant}",
            "No: above the limit {limit} in {grant}",
        ),
        "can_no_outside_scope": (
            "Nei: {grant} gjelder bare {scope}",
            "No: {grant} covers {scope} only",
        ),
        "can_no_not_delegated": ("Nei: ikke delegert til {who}", "No: not delegated to {who}"),
        "can_holder": ("; {holder} har den ({grant})", "; {holder} holds it ({grant})"),
        "can_holders": ("; {holder} har den ({grant})", "; {holder} hold it ({grant})"),
        "can_holder_one_of": (
            "; én av dem ({holder}) har den; ikke oppgitt hvem ({grant})",
            "; one of the {holder} holds it; not stated which ({grant})",
        ),
        "can_no_not_delegable_further": (
            "Nei: {holder} har den, men kan ikke delegere den videre ({grant})",
            "No: {holder} holds it, but may not delegate it further ({grant})",
        ),
        "can_no_reserved": (
            "Nei: forbeholdt {body}; kan ikke delegeres",
            "No: reserved to {body}; it may not be delegated",
        ),
        "can_no_only_some_posts": (
            "Nei, ikke alle: bare {posts}",
            "No, not all of them: only {posts}",
        ),
        "can_not_stated_open_above": (
            "Ikke oppgitt: delegert, men ikke oppgitt av hvem ({grant})",
            "Not stated: delegated, by whom not stated ({grant})",
        ),
        "can_not_stated_one_of": (
            "Ikke oppgitt: én av dem ({who}) har den; ikke oppgitt hvem ({grant})",
            "Not stated: one of the {who} holds it; not stated which ({grant})",
        ),
        "can_not_stated_other_currency": (
            "Ikke oppgitt: grense i {limit_currency}, beløp i {currency}: ikke sammenlignet "
            "({limit} i {grant})",
            "Not stated: limit in {limit_currency}, amount in {currency}: not compared "
            "({limit} in {grant})",
        ),
        "can_not_stated_open_grantor": (
            "Ikke oppgitt: gitt til {holder} av noen som ikke er oppgitt ({grant})",
            "Not stated: granted to {holder} by someone not stated ({grant})",
        ),
        "can_not_stated_not_named": (
            "Ikke oppgitt: filens delegeringer av {kind} nevner ikke {who}",
            "Not stated: the file's grants of {kind} do not name {who}",
        ),
        "can_not_stated_none_stated": (
            "Ikke oppgitt: filen oppgir ingen delegering av {kind}",
            "Not stated: the file states no delegation of {kind}",
        ),
        "chain_from_top": ("Kjeden fra toppen", "The chain from the top"),
        "grant": ("Vedtak", "Grant"),
        "by": ("Gitt av", "Granted by"),
        "to": ("Til", "To"),
        "limits": ("Grenser", "Limits"),
        "delegation_basis": ("Hjemmel", "Basis"),
        "further": ("Videre", "Further"),
        "may_further": ("kan delegeres videre", "may be delegated further"),
        "not_further": ("kan ikke delegeres videre", "may not be delegated further"),
        "yes": ("ja", "yes"),
        "no": ("nei", "no"),
        "per_case": ("per sak", "per case"),
        "per_year": ("per år", "per year"),
        "section_not_stated": ("paragraf ikke oppgitt", "section not stated"),
        "the_law": ("loven", "the law"),
        "grantor_not_stated": ("(ikke oppgitt hvem)", "(not stated who)"),
        "delegations": ("Delegeringer", "Delegations"),
        "delegations_of": ("Delegeringer av {kind}", "Delegations of {kind}"),
        "reserved": ("Kan ikke delegeres (forbeholdt)", "Not delegable (reserved)"),
        "conditions": ("Vilkår", "Conditions"),
        "may_decide": ("Kan beslutte", "May decide"),
        "answer": ("Svar", "Answer"),
        "answer_yes": ("ja", "yes"),
        "answer_no": ("nei", "no"),
        "answer_not_stated": ("ikke oppgitt", "not stated"),
        "reason_open_above": ("delegert, ikke oppgitt av hvem", "delegated, by whom not stated"),
        "partly_not_stated": ("delvis ikke oppgitt", "partly not stated"),
        "no_delegations": ("Ingen delegeringer oppgitt.", "No delegations stated."),
        "from_grant": ("Videredelegert fra", "Sub-delegated from"),
    }
)


def amount_text(amount: int, currency: str | None, lang: Lang) -> str:
    """Return an amount as people write it: ``5 000 000 NOK``, ``5,000,000 NOK`` in English."""
    text = f"{amount:,}".replace(",", "," if lang == "en" else " ")
    return f"{text} {currency}" if currency else text
