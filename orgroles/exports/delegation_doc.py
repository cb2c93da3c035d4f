"""The delegation regulation as a Markdown document (``export --format delegation-md``).

What a municipality adopts and publishes: the powers each body, role and post holds and hands
on, then the same grants by law and section, then the powers reserved to a body; every grant
with its basis, limits, conditions and source. Deterministic: the same file gives the same bytes.
"""

from __future__ import annotations

import re

from orgroles.index import OrgIndex
from orgroles.model import Lang
from orgroles.queries.delegation import GrantOut, delegation_chains, grant_out, register_of
from orgroles.render.delegation import (
    basis_fact,
    grantor_text,
    holder_text,
    limits_fact,
    notes_of,
    reserved_source,
    source_fact,
)
from orgroles.render.labels import maybe, say, word

_TITLES = {
    "nb": ("Delegeringsreglement", "Per organ og rolle", "Per lov", "Uten lovhjemmel oppgitt"),
    "en": ("Delegation regulation", "By body and role", "By law", "No law stated"),
}
# A file that cites no decision and no document is a register of what its sources state, not
# an adopted regulation.
_REGISTER = {
    "nb": (
        "Delegeringsregister",
        "Det kildene oppgir om delegering (S = lysbilde), samlet her; ikke et vedtatt "
        "delegeringsreglement: ingen vedtak eller dokument er oppgitt.",
    ),
    "en": (
        "Delegation register",
        "What the sources state about delegation (S = slide), gathered here; not an adopted "
        "delegation regulation: no decision or document is cited.",
    ),
}
_HOLDS = {"nb": "Har", "en": "Holds"}
_GIVES = {"nb": "Delegerer", "en": "Delegates"}
_EMPTY = {"nb": "Ingen delegeringer oppgitt.", "en": "No delegations stated."}


_MD_START = re.compile(r"(\s*)([-+=]|[0-9]+[.)])")  # a list or an underline, at a line's start
_MD_WWW = re.compile(r"(?i)(www)\.")
_MD_COLON = re.compile(r":(?=//)")  # an autolink's (https://)


def _md(text: str) -> str:
    """Escape what Markdown would read as markup, HTML, maths or an autolink (data is text,
    never markup): ASCII punctuation with a backslash (a colon where ``://`` follows), a list
    marker or an underline at the start (a text may begin a line), and the dot of ``www.``.
    (GitHub's emoji codes, ``:smile:``, are read after Markdown: no escape keeps them out.)"""
    out = []
    for ch in text:
        if ch in "\\`*_{}[]<>#|!~&$@":
            out.append("\\" + ch)
        elif ch in "\n\r":
            out.append(" ")
        else:
            out.append(ch)
    escaped = _MD_COLON.sub(r"\\:", _MD_WWW.sub(r"\1\\.", "".join(out)))
    start = _MD_START.match(escaped)
    if start is not None:
        marker = start.group(2)
        escaped = f"{start.group(1)}{marker[:-1]}\\{marker[-1]}{escaped[start.end() :]}"
    return escaped


def _grant_lines(grant: GrantOut, lang: Lang) -> list[str]:
    """One grant as a bullet with its facts beneath."""
    kind = say(grant.kind.name, lang)
    head = f"- **{_md(grant.id)}** {_md(kind)}: {_md(grantor_text(grant, lang))}"
    head += f" → {_md(holder_text(grant, lang))}"
    lines = [head]
    facts: list[tuple[str, str]] = []
    wording = maybe(grant.wording, lang)
    if wording:
        facts.append((word("wording", lang), wording))
    if grant.scope:
        facts.append((word("scope", lang), say(grant.scope.name, lang)))
    if grant.limits:
        facts.append((word("limits", lang), limits_fact(grant.limits, lang)))
    if grant.basis:
        facts.append((word("delegation_basis", lang), basis_fact(grant.basis, lang)))
    if grant.parent:
        facts.append((word("from_grant", lang), grant.parent))
    facts += [(word("conditions", lang), say(c, lang)) for c in grant.conditions]
    if grant.may_delegate is not None:
        facts.append(
            (
                word("further", lang),
                word("may_further" if grant.may_delegate else "not_further", lang),
            )
        )
    source = source_fact(grant, lang)
    if source:
        facts.append((word("source", lang), source))
    facts += [(word("note", lang), note) for note in notes_of(grant)]
    lines += [f"  - {_md(label)}: {_md(value)}" for label, value in facts]
    return lines


def to_delegation_md(ix: OrgIndex, lang: Lang = "nb") -> str:
    """Return the delegation regulation of the organisation as Markdown."""
    title, by_holder, by_law, no_law = _TITLES["en" if lang == "en" else "nb"]
    register = register_of(ix)
    adopted = any(
        (g.basis is not None and g.basis.decision) or (g.source is not None and g.source.document)
        for g in register.grants
    )
    lead = ""
    if not adopted:
        title, lead = _REGISTER["en" if lang == "en" else "nb"]
    organisation = ix.org.meta.organisation or ix.org.meta.title
    out = [f"# {title}: {_md(organisation.get(lang))}", ""]
    if ix.org.meta.document:
        out += [_md(ix.org.meta.document), ""]
    if lead:
        out += [_md(lead), ""]
    grants = [grant_out(ix, register, i) for i in range(len(register.grants))]
    if not grants and not register.reserved:
        return "\n".join([*out, _EMPTY[lang], ""])
    out += [f"## {by_holder}", ""]
    parties: list[str] = []
    for g in grants:
        for party in (g.by, g.to):
            if party is not None and party.id not in parties:
                parties.append(party.id)
    names = {p.id: say(p.name, lang) for g in grants for p in (g.by, g.to) if p is not None}
    kinds = {p.id: p.kind for g in grants for p in (g.by, g.to) if p is not None}
    taken = [names[p] for p in parties]
    for party_id in parties:
        heading = names[party_id]
        if taken.count(heading) > 1:  # a role and its one post share a name: say which
            heading += f" ({word(kinds[party_id], lang).lower()})"
        out += [f"### {_md(heading)}", ""]
        held = [g for g in grants if g.to.id == party_id]
        given = [g for g in grants if g.by is not None and g.by.id == party_id]
        for label, group in ((_HOLDS[lang], held), (_GIVES[lang], given)):
            if group:
                out += [f"{label}:", ""]
                for grant in group:
                    out += _grant_lines(grant, lang)
                out.append("")
    out += [f"## {by_law}", ""]
    laws: dict[str, list[GrantOut]] = {}
    for grant in grants:
        basis = grant.basis
        key = f"{basis.law} {basis.section or ''}".strip() if basis and basis.law else ""
        laws.setdefault(key, []).append(grant)
    for key in sorted(laws, key=lambda k: (k == "", k)):
        out += [f"### {_md(key) if key else no_law}", ""]
        for grant in laws[key]:
            out += _grant_lines(grant, lang)
        out.append("")
    reserved = delegation_chains(ix).reserved
    if reserved:
        out += [f"## {word('reserved', lang)}", ""]
        for r in reserved:
            line = f"- {_md(say(r.kind.name, lang))}: {_md(say(r.body.name, lang))}"
            reserved_by = basis_fact(r.basis, lang)
            line += f" ({_md(reserved_by)})" if reserved_by else ""
            out.append(line)
            wording = maybe(r.wording, lang)
            if wording:
                out.append(f"  - {_md(wording)}")
            source = reserved_source(r, lang)
            if source:
                out.append(f"  - {_md(word('source', lang))}: {_md(source)}")
            if r.note:
                out.append(f"  - {_md(word('note', lang))}: {_md(r.note)}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
