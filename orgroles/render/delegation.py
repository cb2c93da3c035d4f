"""Text renderings of the delegation answers (``can``, ``delegation``, ``show``'s powers),
registered in ``orgroles.render.answers.sections``; the words are ``render.labels``'."""

from __future__ import annotations

from orgroles.model import Lang
from orgroles.queries.delegation import (
    BasisOut,
    CanAnswer,
    DelegationAnswer,
    GrantOut,
    LimitOut,
    Power,
    ReservedOut,
)
from orgroles.render.labels import amount_text, holder_is_plural, maybe, one_of, say, word
from orgroles.render.tables import Section


def limit_text(limit: LimitOut, lang: Lang, sign: str = "≤ ") -> str:
    """Return ``≤ 500 000 NOK per sak (bygg og anlegg)``."""
    amount = amount_text(limit.amount, limit.currency, lang)
    text = f"{sign}{amount} {word('per_' + limit.per, lang)}"
    return text + (f" ({say(limit.category.name, lang)})" if limit.category else "")


def limit_fact(limit: LimitOut, lang: Lang) -> str:
    """Return a limit as a fact of its own: with its own source (slides, how it gives it when
    not stated, its words, document) and its notes (``≤ 500 000 NOK per sak (S4; utledet)``)."""
    from orgroles.render.answers import source_text

    said = [source_text(limit.slides, "stated", lang)] if limit.slides else []
    said += [word(limit.status, lang)] if limit.status != "stated" else []
    said += [f"«{limit.quote}»" if limit.quote else "", limit.document or ""]
    said = [t for t in said if t] + [n for n in (limit.note, limit.source_note) if n]
    said = list(dict.fromkeys(said))  # (a note said twice is shown once)
    return limit_text(limit, lang) + (f" ({'; '.join(said)})" if said else "")


def limits_fact(limits: tuple[LimitOut, ...], lang: Lang) -> str:
    """Return a grant's limits (``limit_fact``), joined."""
    return "; ".join(limit_fact(limit, lang) for limit in limits)


def basis_fact(basis: BasisOut | None, lang: Lang) -> str:
    """Return what a grant rests on as a fact of its own, with the basis's note."""
    text = basis_text(basis, lang)
    if basis is not None and basis.note:
        return f"{text} ({basis.note})" if text else basis.note
    return text


def basis_text(basis: BasisOut | None, lang: Lang) -> str:
    """Return ``kommuneloven § 5-14; KS-sak 45/23, 2023-06-14``."""
    if basis is None:
        return ""
    parts = []
    if basis.law:
        section = basis.section or f"({word('section_not_stated', lang)})"
        parts.append(f"{basis.law} {section}")
    if basis.decision:
        parts.append(basis.decision + (f", {basis.date}" if basis.date else ""))
    return "; ".join(parts)


def grantor_text(grant: GrantOut, lang: Lang) -> str:
    """Return who grants it: a body, role or post, the law, or 'not stated who'."""
    if grant.by is not None:
        status = f" ({word(grant.by_status, lang)})" if grant.by_status != "stated" else ""
        return say(grant.by.name, lang) + status
    if grant.top == "law" and grant.parent is None and grant.basis and grant.basis.law:
        return basis_text(grant.basis._replace(decision=None), lang)
    return word("grantor_not_stated", lang)


def holder_text(grant: GrantOut, lang: Lang) -> str:
    """Return whom it goes to (``one of them; not stated which`` for one of a role's posts)."""
    name = say(grant.to.name, lang)
    return one_of(name, lang) if grant.to_one_of else name


def further_text(grant: GrantOut, lang: Lang) -> str:
    """Return whether it may be delegated further (empty when not stated)."""
    if grant.may_delegate is None:
        return ""
    return word("yes" if grant.may_delegate else "no", lang)


def _source(grant: GrantOut, lang: Lang) -> str:
    from orgroles.render.answers import source_text

    text = source_text(grant.slides, "stated", lang)
    return "; ".join(t for t in (text, status_text(grant, lang), grant.document or "") if t)


def reserved_source(reserved: ReservedOut, lang: Lang) -> str:
    """Return how the sources give a reserved power: slides, its status when not stated, the
    document and the words."""
    from orgroles.render.answers import source_text

    status = word(reserved.status, lang) if reserved.status != "stated" else ""
    quote = f"«{reserved.quote}»" if reserved.quote else ""
    parts = (source_text(reserved.slides, "stated", lang), status, reserved.document, quote)
    return "; ".join(t for t in parts if t)


def source_fact(grant: GrantOut, lang: Lang) -> str:
    """Return a grant's source as a fact of its own: slides, status, document, the words."""
    source = _source(grant, lang)
    quote = f"«{grant.quote}»" if grant.quote else ""
    return "; ".join(t for t in (source, quote) if t)


def notes_of(grant: GrantOut) -> list[str]:
    """Return a grant's notes: its own (else its source's), then its sources' others."""
    return [n for n in (grant.note, grant.source_note) if n]


def status_text(grant: GrantOut, lang: Lang) -> str:
    """Return how the sources give a grant: ``inferred``, ``partly not stated`` (one of a role's
    posts, or a grantor not stated) or nothing when stated."""
    if grant.status == "stated":
        return ""
    return word("inferred" if grant.status == "inferred" else "partly_not_stated", lang)


def _case(answer: CanAnswer, lang: Lang) -> str:
    parts = []
    if answer.amount is not None:
        parts.append(amount_text(answer.amount, answer.currency, lang))
    parts += [say(t.name, lang) for t in (answer.category, answer.scope) if t]
    return f" ({', '.join(parts)})" if parts else ""


def verdict_text(answer: CanAnswer, lang: Lang) -> str:
    """Return the answer as one sentence: yes, no or not stated, and why."""
    grant = answer.grant or ""
    who = say(answer.who.name, lang)
    kind = say(answer.kind.name, lang)
    if answer.answer == "yes":
        if answer.reason in ("keeps", "grants"):
            return word(f"can_yes_{answer.reason}", lang, who=who)
        if answer.reason == "broader" and answer.chain:
            broader = answer.chain[-1]
            text = word(
                "can_yes_broader",
                lang,
                broader=say(broader.kind.name, lang),
                grant=broader.id,
                kind=kind,
            )
        elif answer.top == "body" and answer.body is not None:
            text = word("can_yes_body", lang, body=say(answer.body.name, lang))
        else:
            top = answer.chain[0] if answer.chain else None
            text = word("can_yes_law", lang, law=basis_text(top.basis if top else None, lang))
        zero = [(g.id, x) for g in answer.chain for x in g.limits if x.amount == 0]
        if answer.amount is None and zero:  # a yes no case with an amount can use
            grant_id, limit = zero[0]
            text += word("can_zero", lang, limit=limit_text(limit, lang, sign=""), grant=grant_id)
        return text
    reason = answer.reason or ""
    values = {"who": who, "grant": grant, "kind": kind}
    if answer.limit is not None:
        values["limit"] = limit_text(answer.limit, lang, sign="")
        values["limit_currency"] = answer.limit.currency
        values["currency"] = answer.currency or ""
    if reason == "outside_scope":
        scoped = next((g for g in answer.chain if g.id == grant), None)
        values["scope"] = say(scoped.scope.name, lang) if scoped and scoped.scope else ""
    if answer.body is not None:
        values["body"] = say(answer.body.name, lang)
    if answer.holder is not None:
        values["holder"] = say(answer.holder.name, lang)
        if answer.holder.unspecified and reason != "not_delegated":
            values["holder"] = one_of(values["holder"], lang)
    if reason == "only_some_posts":
        values["posts"] = ", ".join(say(p.name, lang) for p in answer.posts)
    if reason == "one_of":
        one = next((g for g in answer.chain if g.id == grant), None)
        values["who"] = say(one.to.name, lang) if one else who
    key = "can_" + ("no" if answer.answer == "no" else "not_stated") + "_" + reason
    text = word(key, lang, **values)
    if reason == "not_delegated" and answer.holder is not None:
        holder = answer.holder
        key = (
            "can_holder_one_of"
            if holder.unspecified
            else "can_holders"
            if holder_is_plural(holder, lang)
            else "can_holder"
        )
        text += word(key, lang, holder=say(holder.name, lang), grant=grant)
    return text


def chain_section(grants: tuple[GrantOut, ...], title: str, lang: Lang) -> Section:
    """A chain of grants as a table, from the top down."""
    section = Section(
        title,
        columns=[
            word("grant", lang),
            word("by", lang),
            word("to", lang),
            word("limits", lang),
            word("delegation_basis", lang),
            word("further", lang),
            word("source", lang),
        ],
    )
    for grant in grants:
        section.rows.append(
            [
                grant.id,
                grantor_text(grant, lang),
                holder_text(grant, lang),
                limits_fact(grant.limits, lang),
                basis_fact(grant.basis, lang),
                further_text(grant, lang),
                source_fact(grant, lang),
            ]
        )
        section.notes.extend(grant_notes(grant, lang))
    return section


def grant_notes(grant: GrantOut, lang: Lang) -> list[str]:
    """A grant's words, conditions and notes, each as a note under a table of grants."""
    wording = maybe(grant.wording, lang)
    said = [f"{word('wording', lang)}: {wording}"] if wording else []
    said += [say(c, lang) for c in grant.conditions] + notes_of(grant)
    return [f"{grant.id}: {text}" for text in said]


def can_sections(answer: CanAnswer, lang: Lang) -> list[Section]:
    """May WHO decide KIND: the answer, then the chain from the top."""
    who, kind = say(answer.who.name, lang), say(answer.kind.name, lang)
    title = word("can_title", lang, who=who, kind=kind) + _case(answer, lang)
    head = Section(title, lines=[verdict_text(answer, lang)])
    if answer.status != "stated" and answer.answer != "not_stated":
        head.lines[0] += f" ({word(answer.status, lang)})"
    if answer.via_unit is not None:
        head.title += " " + word("via_unit", lang, unit=say(answer.via_unit.name, lang))
    out = [head]
    if answer.chain:
        out.append(chain_section(answer.chain, word("chain_from_top", lang), lang))
    return out


def _row_line(grant: GrantOut, depth: int, lang: Lang) -> str:
    kind = say(grant.kind.name, lang)
    parts = [f"{'  ' * depth}{grant.id}  → {holder_text(grant, lang)}: {kind}"]
    if grant.by_status != "stated":  # the grantor is inferred: say so
        parts.append(f"{word('by', lang).lower()} {grantor_text(grant, lang)}")
    if grant.scope:
        parts.append(say(grant.scope.name, lang))
    parts += [limit_fact(x, lang) for x in grant.limits]
    law_at_top = grant.top == "law" and grant.parent is None
    if grant.basis is not None and not (law_at_top and not grant.basis.decision):
        parts.append(basis_fact(grant.basis, lang))
    elif grant.basis is not None and grant.basis.note:  # (the law is the tree's title)
        parts.append(grant.basis.note)
    if grant.may_delegate is not None:
        parts.append(word("may_further" if grant.may_delegate else "not_further", lang))
    source = source_fact(grant, lang)
    if source:
        parts.append(source)
    return " · ".join(p for p in parts if p)


def delegation_sections(answer: DelegationAnswer, lang: Lang) -> list[Section]:
    """Each chain as a tree from its top (a body, a law, or not stated who)."""
    out = []
    for tree in answer.trees:
        if tree.body is not None:
            title = say(tree.body.name, lang)
        elif tree.law is not None:
            title = basis_text(tree.law, lang)
        else:
            title = word("grantor_not_stated", lang)
        section = Section(title)
        for row in tree.rows:
            section.lines.append(_row_line(row.grant, row.depth, lang))
            section.lines.extend(
                f"{'  ' * (row.depth + 2)}{word('conditions', lang)}: {say(c, lang)}"
                for c in row.grant.conditions
            )
            section.lines.extend(
                f"{'  ' * (row.depth + 2)}{word('note', lang)}: {note}"
                for note in notes_of(row.grant)
            )
        out.append(section)
    if answer.reserved:
        section = Section(word("reserved", lang))
        for r in answer.reserved:
            line = f"{say(r.kind.name, lang)}: {say(r.body.name, lang)}"
            parts = [line, basis_fact(r.basis, lang), reserved_source(r, lang), r.note or ""]
            section.lines.append(" · ".join(p for p in parts if p))
            wording = maybe(r.wording, lang)
            if wording:
                section.lines.append(f"    {word('wording', lang)}: {wording}")
        out.append(section)
    if not out:
        out.append(Section(word("no_delegations", lang)))
    elif answer.kind is not None:
        kind = say(answer.kind.name, lang)
        out[0].title = f"{word('delegations_of', lang, kind=kind)}: {out[0].title}"
    return out


def powers_section(powers: tuple[Power, ...], lang: Lang) -> Section:
    """What a role or post may decide (``show``)."""
    section = Section(
        word("may_decide", lang),
        columns=[
            word("kind", lang),
            word("grant", lang),
            word("by", lang),
            word("scope", lang),
            word("limits", lang),
            word("conditions", lang),
            word("delegation_basis", lang),
            word("further", lang),
            word("answer", lang),
            word("source", lang),
        ],
    )
    for power in powers:
        grant = power.grant
        answer = word("answer_" + power.answer, lang)
        if power.reason == "open_above":
            answer += f": {word('reason_open_above', lang)}"
        elif power.reason == "one_of":
            answer += f": {word('one_of_them', lang)}"
        section.rows.append(
            [
                say(power.kind.name, lang),
                grant.id,
                grantor_text(grant, lang),
                say(grant.scope.name, lang) if grant.scope else "",
                limits_fact(grant.limits, lang),
                "; ".join(say(c, lang) for c in grant.conditions),
                basis_fact(grant.basis, lang),
                further_text(grant, lang),
                answer,
                source_fact(grant, lang),
            ]
        )
        section.notes.extend(grant_notes(grant, lang))
    return section
