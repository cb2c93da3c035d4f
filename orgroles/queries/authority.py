"""Responsibilities and authorities: who holds which kind, with qualifier, scope and wording.

A role holds a kind when its ``authorities`` list it (basis ``listed``) or when one of its
functions confers it (basis ``function``: "Personalleder, arbeidsgiver for tjenesteledere" is
employer and personnel responsibility over the tjenesteledere).
"""

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from orgroles.index import OrgIndex
from orgroles.model import Function, Grant, LangText, Role, Source
from orgroles.queries.common import Named, named, slides_of, status_of

_INVERSE = {"broader": "narrower", "narrower": "broader", "related": "related"}


class TermName(NamedTuple):
    """A vocabulary entry (kind, qualifier or scope) as answers show it."""

    id: str
    name: LangText


class Holding(NamedTuple):
    """One role's hold on one kind of authority."""

    role: Named
    kind: TermName
    basis: str
    qualifier: TermName | None
    scope: TermName | None
    over: tuple[Named, ...]
    on_behalf_of: Named | None
    designation: LangText | None
    wording: LangText
    details: tuple[LangText, ...]
    slides: tuple[int, ...]
    status: str
    note: str | None


def term_name(table: Mapping[str, object], term_id: str) -> TermName:
    """Return a vocabulary entry by id, named by its name (by its id when it has none)."""
    entry = table.get(term_id)
    name = getattr(entry, "name", None)
    return TermName(term_id, name if isinstance(name, LangText) else LangText(term_id, None))


def _holding(
    ix: OrgIndex,
    role: Role,
    grant: Grant,
    basis: str,
    wording: LangText | None,
    fallback: Source | None,
) -> Holding:
    source = grant.source or fallback
    scope_source = grant.scope.source if grant.scope else None
    return Holding(
        role=named(ix, role.id),
        kind=term_name(ix.kinds, grant.kind.id),
        basis=basis,
        qualifier=term_name(ix.qualifiers, grant.qualifier.id) if grant.qualifier else None,
        scope=term_name(ix.scopes, grant.scope.id) if grant.scope else None,
        over=tuple(named(ix, o.id) for o in grant.over),
        on_behalf_of=named(ix, grant.on_behalf_of.id) if grant.on_behalf_of else None,
        designation=grant.designation,
        wording=grant.text or wording or LangText(None, None),
        details=grant.details,
        slides=slides_of(source, scope_source),
        status=status_of(source, scope_source),
        note=grant.note or (source.note if source and basis == "function" else None),
    )


def _conferring_words(function: Function, grant: Grant) -> LangText:
    """Return the words of a function that confer an authority: the quoted detail if any."""
    source = grant.source or function.source
    quote = source.quote if source else None
    if quote:
        for detail in function.details:
            if detail.nb and (detail.nb in quote or quote in detail.nb):
                return LangText(
                    *(f"{function.text.get(lang)} – {detail.get(lang)}" for lang in ("nb", "en"))
                )
        return LangText(quote, function.text.en)
    return function.text


def holdings(ix: OrgIndex) -> Iterator[Holding]:
    """Yield every holding of every role: listed authorities first, then conferred ones."""
    for role in ix.org.roles:
        yield from holdings_of(ix, role)


def holdings_of(ix: OrgIndex, role: Role) -> Iterator[Holding]:
    """Yield the holdings of one role: listed authorities first, then conferred ones."""
    for grant in role.authorities:
        yield _holding(ix, role, grant, "listed", None, None)
    for function in role.functions:
        for grant in function.confers:
            yield _holding(
                ix,
                role,
                grant,
                "function",
                _conferring_words(function, grant),
                function.source,
            )


class KindOut(NamedTuple):
    """An authority kind with its description."""

    id: str
    name: LangText
    description: LangText | None


class RelatedHolders(NamedTuple):
    """A related kind (broader, narrower, related) and its holders, shown beside, not merged."""

    kind: KindOut
    relation: str
    note: str | None
    holders: tuple[Holding, ...]


class AuthorityAnswer(NamedTuple):
    """Every holder of one kind, the roles with none stated, and the related kinds' holders."""

    kind: KindOut
    holders: tuple[Holding, ...]
    not_stated_for: tuple[Named, ...]
    related: tuple[RelatedHolders, ...]
    grants: tuple[str, ...] = ()  # the delegations of the kind (``orgroles delegation KIND``)


def _kind_out(ix: OrgIndex, kind_id: str) -> KindOut:
    kind = ix.kinds[kind_id]
    return KindOut(kind.id, kind.name, kind.description)


def authority_holders(ix: OrgIndex, name: str) -> AuthorityAnswer:
    """Return who holds the authority kind ``name`` (an id, Norwegian word or English alias)."""
    kind_id = ix.resolve_kind(name)
    every = list(holdings(ix))
    holders = tuple(h for h in every if h.kind.id == kind_id)
    holding_roles = {h.role.id for h in holders}
    links: list[tuple[str, str, str | None]] = [
        (r.kind, r.relation, r.note) for r in ix.kinds[kind_id].related
    ]
    for other in ix.org.vocabulary.authority_kinds:
        for r in other.related:
            if r.kind == kind_id and other.id not in {k for k, _, _ in links}:
                links.append((other.id, _INVERSE[r.relation], r.note))
    related = tuple(
        RelatedHolders(
            _kind_out(ix, other),
            relation,
            note,
            tuple(h for h in every if h.kind.id == other),
        )
        for other, relation, note in links
    )
    return AuthorityAnswer(
        _kind_out(ix, kind_id),
        holders,
        tuple(named(ix, r.id) for r in ix.org.roles if r.id not in holding_roles),
        related,
        tuple(d.id for d in ix.org.delegations if d.kind.id == kind_id),
    )


class CellEntry(NamedTuple):
    """One holding in a matrix cell: qualifier and scope, with its slides."""

    qualifier: TermName | None
    scope: TermName | None
    basis: str
    slides: tuple[int, ...]
    status: str


class MatrixCell(NamedTuple):
    """What one role holds of one kind (no entries: nothing stated)."""

    kind: str
    entries: tuple[CellEntry, ...]


class MatrixRow(NamedTuple):
    """One role's row of the matrix."""

    role: Named
    cells: tuple[MatrixCell, ...]


class AuthorityMatrix(NamedTuple):
    """A responsibility-assignment matrix: roles × authority kinds, scope in each cell."""

    kinds: tuple[TermName, ...]
    rows: tuple[MatrixRow, ...]


def authority_matrix(ix: OrgIndex) -> AuthorityMatrix:
    """Return roles × authority kinds (the kinds someone holds), with scope in each cell."""
    every = list(holdings(ix))
    held = {h.kind.id for h in every}
    kinds = tuple(TermName(k.id, k.name) for k in ix.org.vocabulary.authority_kinds if k.id in held)
    rows = []
    for role in ix.org.roles:
        cells = []
        for kind in kinds:
            entries = tuple(
                CellEntry(
                    h.qualifier,
                    h.scope,
                    h.basis,
                    h.slides,
                    h.status,
                )
                for h in every
                if h.role.id == role.id and h.kind.id == kind.id
            )
            cells.append(MatrixCell(kind.id, entries))
        rows.append(MatrixRow(named(ix, role.id), tuple(cells)))
    return AuthorityMatrix(kinds, tuple(rows))
