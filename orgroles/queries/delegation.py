"""Who may decide what, by whose grant: ``can``, ``delegation`` and the powers ``show`` lists.

The rules (chains, their tops, limits, scopes) are ``orgroles.delegation``'s; this module turns
them into answers for one organisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from orgroles.delegation import (
    BODY,
    LAW,
    NO,
    NOT_STATED,
    OPEN,
    YES,
    Register,
    Verdict,
    parse_currency,
)
from orgroles.errors import OrgrolesError, UnknownNameError
from orgroles.index import OrgIndex
from orgroles.model import (
    AuthorityKind,
    Basis,
    Delegation,
    LangText,
    Limit,
    Reservation,
    Source,
    Term,
)
from orgroles.names import NameIndex
from orgroles.queries.authority import TermName, term_name
from orgroles.queries.common import Named, name_of, named, slides_of, status_of

_RANK = {YES: 0, NOT_STATED: 1, NO: 2}


class LimitOut(NamedTuple):
    """A limit: at most ``amount`` in ``currency`` per ``case`` or ``year`` (for a category)."""

    amount: int
    currency: str
    per: str
    category: TermName | None
    note: str | None
    status: str  # of the limit's own source: stated, inferred or unspecified
    source_note: str | None  # that source's note
    slides: tuple[int, ...]  # that source's slides, words and document
    quote: str | None
    document: str | None


class BasisOut(NamedTuple):
    """What a grant rests on."""

    law: str | None
    section: str | None
    decision: str | None
    date: str | None
    note: str | None


class Holder(NamedTuple):
    """Who holds a power above WHO; ``unspecified``: one of a role's posts, not stated which
    (``id`` is then the role); ``singular``: a role's singular name (the name is a plural, heads
    of area, where it differs; JSON says ``plural``)."""

    id: str
    kind: str
    name: LangText
    unspecified: bool
    singular: LangText | None


class GrantOut(NamedTuple):
    """One grant as answers show it; ``by`` is None when nobody in the organisation grants it
    (``top`` says whether the law does, or the source does not say who); ``by_status`` is how
    the source gives the grantor (``stated``, ``inferred``)."""

    id: str
    kind: TermName
    by: Named | None
    by_status: str
    to: Named
    to_one_of: bool
    parent: str | None
    top: str
    scope: TermName | None
    basis: BasisOut | None
    limits: tuple[LimitOut, ...]
    conditions: tuple[LangText, ...]
    may_delegate: bool | None
    wording: LangText | None
    slides: tuple[int, ...]
    status: str
    document: str | None
    note: str | None  # the grant's note, else its source's
    quote: str | None  # the words of its sources (its own, its holder's, its grantor's)
    source_note: str | None  # the notes of its sources (its own, its holder's, its grantor's)
    # and of its references (holder, grantor, kind, scope), not already in ``note``


class CanAnswer(NamedTuple):
    """May WHO decide KIND (a case of ``amount``, ``category``, ``scope``)? ``answer`` is yes,
    no or not_stated; ``chain`` runs from the top down to the grant that answers."""

    who: Named
    via_unit: Named | None
    kind: TermName
    amount: int | None
    currency: str | None
    category: TermName | None
    scope: TermName | None
    answer: str
    reason: str | None
    chain: tuple[GrantOut, ...]
    top: str | None
    body: Named | None
    grant: str | None
    limit: LimitOut | None
    holder: Holder | None
    posts: tuple[Named, ...]
    status: str


class ChainRow(NamedTuple):
    """One grant in a chain tree: ``parent`` is the grant above (None: right under the top)."""

    key: str
    parent: str | None
    depth: int
    grant: GrantOut


class ChainTree(NamedTuple):
    """The grants under one top: a body, a law, or nobody stated (``open``)."""

    top: str
    body: Named | None
    law: BasisOut | None
    rows: tuple[ChainRow, ...]


class ReservedOut(NamedTuple):
    """A power a body keeps."""

    kind: TermName
    body: Named
    basis: BasisOut | None
    wording: LangText | None
    slides: tuple[int, ...]
    status: str
    note: str | None  # its note, else its source's
    quote: str | None  # its source's words and document
    document: str | None


class DelegationAnswer(NamedTuple):
    """Every chain of grants (of one kind, or all) as trees from the top, and what is reserved."""

    kind: TermName | None
    trees: tuple[ChainTree, ...]
    reserved: tuple[ReservedOut, ...]


class Power(NamedTuple):
    """A power a role or post holds, and whether its chain lets it decide (``show``)."""

    kind: TermName
    grant: GrantOut
    answer: str
    reason: str | None


# --- building blocks ---------------------------------------------------------------------------


def register_of(ix: OrgIndex) -> Register:
    """Return the organisation's delegation register (built once per index)."""
    key = ("delegation-register",)
    if key not in ix.memo:

        def kind_of(node: str) -> str | None:
            try:
                return ix.kind(node)
            except KeyError:
                return None

        def role_of(node: str) -> str | None:
            return ix.role_of(node) if ix.posts.get(node) else None

        ix.memo[key] = Register(ix.org.delegations, kind_of, role_of, ix.org.reserved)
    register: Register = ix.memo[key]
    return register


def _kind_term(ix: OrgIndex, kind_id: str) -> TermName:
    return term_name(ix.kinds, kind_id)


def _category(ix: OrgIndex, kind_id: str, category: str) -> TermName:
    return term_name({c.id: c for c in _categories(ix, kind_id)}, category)


def _categories(ix: OrgIndex, kind_id: str) -> tuple[Term, ...]:
    kind: AuthorityKind | None = ix.kinds.get(kind_id)
    return kind.categories if kind else ()


def _basis(basis: Basis | None) -> BasisOut | None:
    if basis is None:
        return None
    return BasisOut(basis.law, basis.section, basis.decision, basis.date, basis.note)


def _limit(ix: OrgIndex, kind_id: str, limit: Limit) -> LimitOut:
    category = _category(ix, kind_id, limit.category.id) if limit.category else None
    source = limit.source
    return LimitOut(
        limit.amount,
        limit.currency,
        limit.per,
        category,
        limit.note,
        status_of(source),
        source.note if source else None,
        tuple(source.slides) if source else (),
        source.quote if source else None,
        source.document if source else None,
    )


def _joined(texts: Iterable[str | None]) -> str | None:
    """The different texts, in order, joined with ``; `` (None when there are none)."""
    return "; ".join(dict.fromkeys(t for t in texts if t)) or None


def grant_out(ix: OrgIndex, register: Register, i: int) -> GrantOut:
    """Return grant ``i`` of the register as answers show it."""
    grant: Delegation = register.grants[i]
    by = register.grantor(i)
    parent = register.parent.get(i)
    to_source = grant.to.source
    sources = (grant.source, to_source, grant.by.source if grant.by else None)
    scope = grant.scope.id if grant.scope else None
    note = grant.note or (grant.source.note if grant.source else None)
    notes: list[str] = []
    refs = (grant.to, grant.by, grant.kind, grant.scope)
    for said in [s.note for s in sources if s] + [r.note for r in refs if r]:
        if said and said != note and said not in notes:
            notes.append(said)
    return GrantOut(
        id=grant.id,
        kind=_kind_term(ix, grant.kind.id),
        by=named(ix, by) if by is not None else None,
        by_status=status_of(grant.by.source) if grant.by else "stated",
        to=named(ix, grant.to.id),
        to_one_of=to_source is not None and to_source.status == "unspecified",
        parent=register.grants[parent].id if parent is not None else None,
        top=register.top(i),
        scope=TermName(scope, ix.scopes[scope].name) if scope in ix.scopes else None,
        basis=_basis(grant.basis),
        limits=tuple(_limit(ix, grant.kind.id, x) for x in grant.limits),
        conditions=grant.conditions,
        may_delegate=grant.may_delegate,
        wording=grant.text,
        slides=slides_of(*sources),
        status=status_of(*sources),
        document=_joined(s.document for s in sources if s),
        note=note,
        quote=_joined(s.quote for s in sources if s),
        source_note="; ".join(notes) or None,
    )


def _chain_out(ix: OrgIndex, register: Register, i: int) -> tuple[GrantOut, ...]:
    """Return grant ``i``'s chain from the top down."""
    return tuple(grant_out(ix, register, j) for j in reversed(register.chain(i)))


def _resolve_term(terms: tuple[Term, ...], name: str, what: str) -> str:
    """Return the id of the term ``name`` names (any inflection, with or without æøå)."""
    index = NameIndex()
    for term in terms:
        index.add(term.id, [term.name.nb, term.name.en, *term.aliases])
        index.display[term.id] = term.name.get("nb")
    try:
        return index.resolve(name)
    except UnknownNameError as exc:
        known = ", ".join(t.id for t in terms) or "none"
        hint = f"; did you mean {', '.join(map(repr, exc.suggestions))}?" if exc.suggestions else ""
        raise OrgrolesError(f"unknown {what} {name!r}{hint} (known: {known})") from None


# --- can -------------------------------------------------------------------------------------


def can(
    ix: OrgIndex,
    who: str,
    kind: str,
    amount: int | None = None,
    category: str | None = None,
    scope: str | None = None,
    currency: str | None = None,
) -> CanAnswer:
    """Answer whether ``who`` may decide a case of ``kind`` (an amount, category, scope).

    ``currency`` as ``orgroles.delegation.parse_currency`` gives it (an error in bokmål here).
    """
    node = ix.resolve(who)
    via_unit = None
    if ix.kind(node) == "unit":
        post, unit = ix.line_node(node)
        node, via_unit = post, named(ix, unit) if unit else None
    kind_id = ix.resolve_kind(kind)
    if category is not None and not _categories(ix, kind_id):
        raise OrgrolesError(f"the kind {kind_id!r} has no categories; leave out --category")
    categories = _categories(ix, kind_id)
    category_id = _resolve_term(categories, category, "category") if category else None
    scope_id = _resolve_term(ix.org.vocabulary.scopes, scope, "scope") if scope else None
    currency = parse_currency(currency) if currency is not None else None
    register = register_of(ix)
    base = CanAnswer(
        who=named(ix, node),
        via_unit=via_unit,
        kind=_kind_term(ix, kind_id),
        amount=amount,
        currency=currency,
        category=_category(ix, kind_id, category_id) if category_id else None,
        scope=TermName(scope_id, ix.scopes[scope_id].name) if scope_id else None,
        answer=NOT_STATED,
        reason=None,
        chain=(),
        top=None,
        body=None,
        grant=None,
        limit=None,
        holder=None,
        posts=(),
        status="stated",
    )
    reservation = register.reserved_to(kind_id)
    if ix.kind(node) == "forum":
        return _body_answer(ix, register, base, node, kind_id, reservation)
    if reservation is not None:
        return base._replace(
            answer=NO,
            reason="reserved",
            body=named(ix, reservation.to.id),
            status=status_of(reservation.source),
        )
    held = register.held_by(node, kind_id)
    broader = not held
    if broader:  # who hands a power down (from a broader grant) keeps it
        held = register.broader(node, kind_id)
    if not held:
        return _not_held(ix, register, base, node, kind_id)
    if amount is not None and currency is None:
        _one_currency(register, held, category_id)
    verdicts = [(register.judge(i, amount, currency, category_id, scope_id), i) for i in held]
    verdict, i = min(verdicts, key=lambda v: (_RANK[v[0].answer], held.index(v[1])))
    if broader and verdict.answer == YES:
        verdict = verdict._replace(reason="broader", grant=register.grants[i].id)
    return _answer(ix, register, base, verdict, i)


def _one_currency(register: Register, held: list[int], category: str | None) -> None:
    """Refuse an amount without a currency where the chain's limits use several."""
    from orgroles.delegation import applicable

    found = {
        limit.currency
        for i in held
        for j in register.chain(i)
        for limit in applicable(register.grants[j].limits, None, category)
    }
    if len(found) > 1:
        raise OrgrolesError(
            f"the limits are in several currencies ({', '.join(sorted(found))}): give --currency"
        )


def _answer(
    ix: OrgIndex, register: Register, base: CanAnswer, verdict: Verdict, i: int
) -> CanAnswer:
    chain = _chain_out(ix, register, i)
    top_grant = register.grants[register.chain(i)[-1]]
    top = register.top(i)
    limit = None
    if verdict.limit is not None and verdict.grant is not None:
        limit_kind = register.grants[register.by_id[verdict.grant]].kind.id
        limit = _limit(ix, limit_kind, verdict.limit)
    return base._replace(
        answer=verdict.answer,
        reason=verdict.reason,
        chain=chain,
        top=top,
        body=named(ix, top_grant.by.id) if top == BODY and top_grant.by else None,
        grant=verdict.grant,
        limit=limit,
        status=status_of(*(s for j in register.chain(i) for s in _sources(register.grants[j]))),
    )


def _sources(grant: Delegation) -> tuple[Source | None, ...]:
    """Return a grant's sources: its own, its holder's and its grantor's."""
    return (grant.source, grant.to.source, grant.by.source if grant.by else None)


def _body_answer(
    ix: OrgIndex,
    register: Register,
    base: CanAnswer,
    node: str,
    kind_id: str,
    reservation: Reservation | None,
) -> CanAnswer:
    """A body may decide what it keeps, and what it grants (directly, or at the top of a chain
    that hands the power down); above a chain open at the top it may be the grantor."""
    me = named(ix, node)
    if reservation is not None:
        status = status_of(reservation.source)  # (an inferred reservation is no stated one)
        if reservation.to.id == node:
            return base._replace(answer=YES, reason="keeps", top=BODY, body=me, status=status)
        return base._replace(
            answer=NO, reason="reserved", body=named(ix, reservation.to.id), status=status
        )
    grants = register.of_kind(kind_id)
    for i in grants:
        top = register.grants[register.chain(i)[-1]]
        if top.by is not None and top.by.id == node:
            return base._replace(answer=YES, reason="grants", top=BODY, body=me)
    for i in grants:
        if register.top(i) == OPEN:
            return _open_grantor(ix, register, base, i)
    if grants:
        return base._replace(answer=NOT_STATED, reason="not_named")
    return base._replace(answer=NOT_STATED, reason="none_stated")


def _open_grantor(ix: OrgIndex, register: Register, base: CanAnswer, i: int) -> CanAnswer:
    """WHO may be the grantor the source does not name at the top of grant ``i``'s chain."""
    top = register.grants[register.chain(i)[-1]]
    return base._replace(
        answer=NOT_STATED,
        reason="open_grantor",
        grant=top.id,
        holder=_holder(ix, top.to.id, unspecified=_one_of(top)),
    )


def _one_of(grant: Delegation) -> bool:
    return grant.to.source is not None and grant.to.source.status == "unspecified"


def _holder(ix: OrgIndex, node: str, unspecified: bool = False) -> Holder:
    kind = ix.kind(node)
    singular = ix.roles[node].name if kind == "role" else None
    return Holder(node, kind, name_of(ix, node), unspecified, singular)


def _above(ix: OrgIndex, node: str, target: str) -> bool:
    """Tell whether ``node`` is above ``target`` in the line (every level)."""
    line = ix.line
    if not (line.is_node(node) or line.is_open(node)):
        return False
    below = {row.id for row in line.under(line.start(node), True)}
    return any(t in below for t in line.start(target))


def _not_held(
    ix: OrgIndex, register: Register, base: CanAnswer, node: str, kind_id: str
) -> CanAnswer:
    """Nothing gives WHO the power: some of a role's posts hold it, WHO may be the grantor the
    source does not name, someone above holds it and has not delegated it (or may not), or
    nobody holds it at all (not stated)."""
    grants = register.of_kind(kind_id)
    if not grants:
        return base._replace(answer=NOT_STATED, reason="none_stated")
    posts = [p for p in ix.role_posts.get(node, ()) if register.held_by(p, kind_id)]
    if posts:
        return base._replace(
            answer=NO,
            reason="only_some_posts",
            posts=tuple(named(ix, p) for p in posts),
        )
    for i in grants:
        if register.top(i) == OPEN:
            top = register.grants[register.chain(i)[-1]]
            if _above(ix, node, top.to.id):
                return _open_grantor(ix, register, base, i)
    line = ix.line
    possibly: CanAnswer | None = None  # at the first step where only some of the posts hold it
    if line.is_node(node) or line.is_open(node):
        for step in line.steps(line.start(node))[1:]:
            holding = [
                (candidate, held)
                for candidate in step.candidates
                if (
                    held := register.held_by(candidate, kind_id)
                    or register.broader(candidate, kind_id)
                )
            ]
            if not holding:
                continue
            candidate, held = holding[0]
            first = register.grants[held[0]]
            every = [i for _, held_here in holding for i in held_here]
            # Several candidates at a step: which of them is above WHO is not stated, so when
            # they are posts of one role the holder is that role (all of them hold it) or, when
            # only some do and no step above is certain to hold it, one of its posts; never
            # the first of them in the file.
            roles = {ix.role_of(c) for c in step.candidates}
            # a grant to one of a role's posts names the role, never a post
            one_of = all(
                _one_of(register.grants[i]) and register.grants[i].to.id != candidate for i in held
            )
            some = False
            if len(step.candidates) > 1 and len(roles) == 1 and None not in roles:
                some = len(holding) < len(step.candidates) or one_of
                holder = _holder(ix, str(ix.role_of(candidate)), unspecified=some)
                held = every  # (the role's: whether one of them may delegate it further)
            elif one_of:
                holder = _holder(ix, first.to.id, unspecified=True)
            else:
                holder = _holder(ix, candidate)
            further = any(register.grants[i].may_delegate is not False for i in held)
            answer = base._replace(
                answer=NO,
                reason="not_delegated" if further else "not_delegable_further",
                holder=holder,
                grant=first.id,
            )
            if not (some and len(holding) < len(step.candidates)):
                return answer
            possibly = possibly or answer  # (a step further up may hold it for certain)
    if possibly is not None:
        return possibly
    return base._replace(answer=NO, reason="not_delegated")


# --- delegation ------------------------------------------------------------------------------


def delegation_chains(ix: OrgIndex, kind: str | None = None) -> DelegationAnswer:
    """Return every chain of grants (of ``kind``, or all) as trees from the body at the top."""
    register = register_of(ix)
    kind_id = ix.resolve_kind(kind) if kind else None
    keep = set(range(len(register.grants)))
    if kind_id is not None:
        wanted = [i for i, g in enumerate(register.grants) if g.kind.id == kind_id]
        keep = {j for i in wanted for j in register.chain(i)}
        keep |= {i for i in range(len(register.grants)) if set(register.chain(i)) & set(wanted)}
    children: dict[int, list[int]] = {}
    for i in sorted(keep):
        if i in register.parent:
            children.setdefault(register.parent[i], []).append(i)
    trees: dict[tuple[str, str], list[ChainRow]] = {}
    heads: dict[tuple[str, str], tuple[str, Named | None, BasisOut | None]] = {}
    for i in sorted(keep):
        if i in register.parent:
            continue
        grant = register.grants[i]
        top = register.top(i)
        if top == BODY and grant.by is not None:
            key = (BODY, grant.by.id)
            heads.setdefault(key, (BODY, named(ix, grant.by.id), None))
        elif top == LAW and grant.basis is not None:
            law = BasisOut(grant.basis.law, grant.basis.section, None, None, None)
            key = (LAW, f"{law.law} {law.section or ''}")
            heads.setdefault(key, (LAW, None, law))
        else:
            key = (OPEN, "")
            heads.setdefault(key, (OPEN, None, None))
        rows = trees.setdefault(key, [])
        stack = [(i, 0)]
        while stack:
            j, depth = stack.pop()
            parent = register.parent.get(j)
            rows.append(
                ChainRow(
                    register.grants[j].id,
                    register.grants[parent].id if parent is not None else None,
                    depth,
                    grant_out(ix, register, j),
                )
            )
            stack.extend((k, depth + 1) for k in reversed(children.get(j, ())))
    reserved = tuple(
        ReservedOut(
            _kind_term(ix, r.kind.id),
            named(ix, r.to.id),
            _basis(r.basis),
            r.text,
            slides_of(r.source),
            status_of(r.source),
            r.note or (r.source.note if r.source else None),
            r.source.quote if r.source else None,
            r.source.document if r.source else None,
        )
        for r in register.reserved
        if kind_id is None or r.kind.id == kind_id
    )
    return DelegationAnswer(
        _kind_term(ix, kind_id) if kind_id else None,
        tuple(ChainTree(*heads[key], tuple(rows)) for key, rows in trees.items()),
        reserved,
    )


# --- show ------------------------------------------------------------------------------------


def powers(ix: OrgIndex, node: str) -> tuple[Power, ...]:
    """Return the powers a role or post holds, each judged along its chain (no amount)."""
    if ix.kind(node) not in ("role", "post") or not ix.org.delegations:
        return ()
    register = register_of(ix)
    out = []
    for i in register.held_by(node):
        verdict = register.judge(i)
        grant = grant_out(ix, register, i)
        out.append(Power(grant.kind, grant, verdict.answer, verdict.reason))
    return tuple(out)
