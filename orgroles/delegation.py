"""Delegation: who may decide what, by whose grant. Every rule of docs/data-format.md#delegations
lives here; the checks (``validate``) and the questions (``can``, ``delegation``) both ask it.

A grant (``model.Delegation``) gives a power (an authority kind) to a role or post. Its
*parent* is the grant it is sub-delegated from: ``from`` when given, else the grantor's one
grant of the same kind. A *chain* runs from a grant through its parents to its *top*:

- ``body``: the top grant is made by a body (a forum: kommunestyret, formannskapet);
- ``law``: the top grant is made by nobody in the organisation, on a law's basis;
- ``open``: the top grant is made by nobody and names no law: the source does not say who.

A grant to a role applies to each of its posts; a grant whose ``to`` has the status
``unspecified`` goes to *one of* the role's posts, the source does not say which.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from orgroles.model import Delegation, Limit, Reservation, delegation_of

if TYPE_CHECKING:
    from orgroles.checks import _Checker
    from orgroles.line import Line

YES, NO, NOT_STATED = "yes", "no", "not_stated"
BODY, LAW, OPEN = "body", "law", "open"


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


class Verdict(NamedTuple):
    """The judgement of one chain: yes, no or not_stated, why, and the grant and limit at fault."""

    answer: str
    reason: str | None = None
    grant: str | None = None  # the id of the grant the reason is about
    limit: Limit | None = None


class Register:
    """The grants of one organisation and the links between them.

    ``kind_of`` tells what an id is (``forum``, ``role``, ``post``, ``unit``, or None);
    ``role_of`` the role of a post (None for anything else).
    """

    def __init__(
        self,
        grants: Sequence[Delegation],
        kind_of: Callable[[str], str | None],
        role_of: Callable[[str], str | None],
        reserved: Sequence[Reservation] = (),
    ) -> None:
        self.grants = list(grants)
        self.kind_of = kind_of
        self.role_of = role_of
        self.reserved = list(reserved)
        self.by_id: dict[str, int] = {}
        for i, grant in enumerate(self.grants):
            self.by_id.setdefault(_nfc(grant.id), i)
        self.problems: list[tuple[int, str, str]] = []  # (grant, field, message)
        self.parent: dict[int, int] = {}
        for i in range(len(self.grants)):
            self._link(i)

    # --- who holds what ------------------------------------------------------------------

    def holds(self, node: str, grant: Delegation) -> bool:
        """Tell whether ``node`` (a role or post) holds ``grant`` (its own, or its role's)."""
        to = _nfc(grant.to.id)
        return to == _nfc(node) or to == _nfc(self.role_of(node) or "")

    def held_by(self, node: str, kind: str | None = None) -> list[int]:
        """Return the grants ``node`` holds (of ``kind``), in file order."""
        return [
            i
            for i, g in enumerate(self.grants)
            if (kind is None or _nfc(g.kind.id) == _nfc(kind)) and self.holds(node, g)
        ]

    def grantor(self, i: int) -> str | None:
        """Return who grants grant ``i``: its ``by``, else its parent's holder, else None."""
        grant = self.grants[i]
        if grant.by is not None:
            return grant.by.id
        if i in self.parent:
            return self.grants[self.parent[i]].to.id
        return None

    def broader(self, node: str, kind: str) -> list[int]:
        """Return the grants of another kind ``node`` holds that a grant of ``kind`` is
        sub-delegated ``from``: who hands a power down keeps it (within the broader grant)."""
        out: list[int] = []
        for i, grant in enumerate(self.grants):
            up = self.parent.get(i)
            if up is None or _nfc(grant.kind.id) != _nfc(kind) or up in out:
                continue
            if _nfc(self.grants[up].kind.id) != _nfc(kind) and self.holds(node, self.grants[up]):
                out.append(up)
        return sorted(out)

    def of_kind(self, kind: str) -> list[int]:
        """Return the grants of ``kind``, in file order."""
        return [i for i, g in enumerate(self.grants) if _nfc(g.kind.id) == _nfc(kind)]

    def reserved_to(self, kind: str) -> Reservation | None:
        """Return the reservation of ``kind``, if a body keeps it."""
        for reservation in self.reserved:
            if _nfc(reservation.kind.id) == _nfc(kind):
                return reservation
        return None

    # --- chains --------------------------------------------------------------------------

    def _link(self, i: int) -> None:
        grant = self.grants[i]
        by = grant.by.id if grant.by else None
        if grant.from_ is not None:
            parent = self.by_id.get(_nfc(grant.from_))
            if parent is None:
                self.problems.append((i, "from", f"unknown delegation {grant.from_!r}"))
                return
            if by is not None and self.kind_of(by) == "forum":
                self.problems.append(
                    (i, "from", f"{by!r} is a body: a grant by a body is not sub-delegated")
                )
                return
            if by is not None and not self.holds(by, self.grants[parent]):
                self.problems.append(
                    (
                        i,
                        "by",
                        f"{by!r} does not hold {grant.from_!r} (it goes to "
                        f"{self.grants[parent].to.id!r}), so cannot delegate from it",
                    )
                )
                return
            self.parent[i] = parent
            return
        if by is None or self.kind_of(by) == "forum":
            return
        mine = [j for j in self.held_by(by, grant.kind.id) if j != i]
        if len(mine) == 1:
            self.parent[i] = mine[0]
        elif not mine:
            self.problems.append(
                (
                    i,
                    "by",
                    f"broken chain: {by!r} grants {grant.kind.id!r} to {grant.to.id!r}, but no "
                    f"grant gives {grant.kind.id!r} to {by!r} (add that grant, name the one it "
                    "comes from with from:, or let a body or a law grant it)",
                )
            )
        else:
            ids = ", ".join(repr(self.grants[j].id) for j in mine)
            self.problems.append(
                (
                    i,
                    "by",
                    f"{by!r} holds several grants of {grant.kind.id!r} ({ids}): say which one "
                    "this comes from with from:",
                )
            )

    def chain(self, i: int) -> list[int]:
        """Return grant ``i`` and its parents up to the top (lowest first; stops at a cycle)."""
        out = [i]
        seen = {i}
        while out[-1] in self.parent:
            up = self.parent[out[-1]]
            if up in seen:
                break
            out.append(up)
            seen.add(up)
        return out

    def top(self, i: int) -> str:
        """Return how the chain of grant ``i`` ends: ``body``, ``law`` or ``open``."""
        grant = self.grants[self.chain(i)[-1]]
        if grant.by is not None and self.kind_of(grant.by.id) == "forum":
            return BODY
        if grant.by is None and grant.basis is not None and grant.basis.law:
            return LAW
        return OPEN

    def cycles(self) -> list[list[int]]:
        """Return each cycle of sub-delegations, rotated to start at its first grant."""
        found: set[tuple[int, ...]] = set()
        for start in self.parent:
            path = [start]
            while path[-1] in self.parent:
                up = self.parent[path[-1]]
                if up in path:
                    cycle = path[path.index(up) :]
                    low = cycle.index(min(cycle))
                    found.add(tuple(cycle[low:] + cycle[:low]))
                    break
                path.append(up)
        return [list(c) for c in sorted(found)]

    def scope_of(self, i: int) -> str | None:
        """Return the scope that binds grant ``i``: its own, else its nearest parent's."""
        for j in self.chain(i):
            scope = self.grants[j].scope
            if scope is not None:
                return scope.id
        return None

    # --- judging a question --------------------------------------------------------------

    def judge(
        self,
        i: int,
        amount: int | None = None,
        currency: str | None = None,
        category: str | None = None,
        scope: str | None = None,
    ) -> Verdict:
        """Judge whether grant ``i``'s chain lets its holder decide a case.

        No: a grant on the chain has another scope, or a limit in ``currency`` below ``amount``
        (per case, or per year: one case cannot exceed the year). Not stated: a limit on the
        chain is in another currency (not comparable), the chain is open at the top, or the
        grant goes to one of a role's posts. Else yes. ``currency`` None: the limits' one
        currency (the caller refuses an amount without a currency where they use several).
        """
        chain = self.chain(i)
        if scope is not None:
            for j in chain:
                own = self.grants[j].scope
                if own is not None and _nfc(own.id) != _nfc(scope):
                    return Verdict(NO, "outside_scope", self.grants[j].id)
        foreign: Verdict | None = None
        if amount is not None:
            for j in chain:
                for limit in applicable(self.grants[j].limits, None, category):
                    if currency is not None and limit.currency != currency:
                        # another currency: not comparable (no exchange rate is stated)
                        foreign = foreign or Verdict(
                            NOT_STATED, "other_currency", self.grants[j].id, limit
                        )
                    elif amount > limit.amount:
                        return Verdict(NO, "over_limit", self.grants[j].id, limit)
        if foreign is not None:
            return foreign
        if self.top(i) == OPEN:
            return Verdict(NOT_STATED, "open_above", self.grants[chain[-1]].id)
        for j in chain:
            to = self.grants[j].to
            if to.source is not None and to.source.status == "unspecified":
                return Verdict(NOT_STATED, "one_of", self.grants[j].id)
        return Verdict(YES)


def applicable(limits: Iterable[Limit], currency: str | None, category: str | None) -> list[Limit]:
    """Return the limits that bind a case of ``category`` in ``currency`` (None: every one)."""
    return [
        limit
        for limit in limits
        if (currency is None or limit.currency == currency)
        and (
            category is None or limit.category is None or _nfc(limit.category.id) == _nfc(category)
        )
    ]


def binds(parent: Limit, child: Limit) -> bool:
    """Tell whether ``parent`` binds the cases ``child`` covers (a parent limit without a
    category binds every category)."""
    return parent.category is None or (
        child.category is not None and _nfc(child.category.id) == _nfc(parent.category.id)
    )


def exceeds(child: Limit, parent: Limit) -> bool:
    """Tell whether ``child`` allows more than ``parent`` of the same currency and category:
    per the same period, or a case above a year (one case cannot exceed the year)."""
    periods = child.per == parent.per or (child.per == "case" and parent.per == "year")
    return (
        child.currency == parent.currency
        and periods
        and binds(parent, child)
        and child.amount > parent.amount
    )


def limit_text(limit: Limit) -> str:
    """Return a limit as ``500000 NOK per case (purchase)`` for messages."""
    text = f"{limit.amount} {limit.currency} per {limit.per}"
    return text + (f" ({limit.category.id})" if limit.category else "")


# --- validate --------------------------------------------------------------------------------


def check(checker: _Checker) -> None:
    """Check the delegations and reservations of a file (``orgroles.checks`` calls this)."""
    data = checker.data
    grants = data.get("delegations", ())
    reserved = data.get("reserved", ())
    if not grants and not reserved:
        return
    before = len(checker.findings)
    _references(checker, grants, reserved)
    if len(checker.findings) > before:
        return  # the rules need sound references; the problems above come first
    line = checker.line_model
    posts = {_nfc(p["id"]): p for p in data.get("posts", ())}

    def role_of(node: str) -> str | None:
        post = posts.get(_nfc(node))
        return post["role"]["id"] if post and post.get("role") else None

    from orgroles.model import reservation_of

    register = Register(
        [delegation_of(g) for g in grants],
        lambda node: checker.entities.get(_nfc(node)),
        role_of,
        [reservation_of(r) for r in reserved],
    )
    _rules(checker, register)
    if line is not None:
        _under_the_grantor(checker, register, line)


def _references(
    checker: _Checker, grants: Sequence[dict[str, Any]], reserved: Sequence[dict[str, Any]]
) -> None:
    kinds = {
        _nfc(k["id"]): {_nfc(c["id"]) for c in k.get("categories", ())}
        for k in checker.data.get("vocabulary", {}).get("authority_kinds", ())
    }
    seen: dict[str, int] = {}
    require = checker.data["meta"].get("require_sources", False)
    for i, grant in enumerate(grants):
        here: tuple[str | int, ...] = ("delegations", i)
        key = _nfc(grant["id"])
        if key in seen:
            checker.add(
                (*here, "id"),
                f"duplicate delegation id {grant['id']!r} (first defined at "
                f"{checker.where(('delegations', seen[key], 'id'))})",
            )
        seen.setdefault(key, i)
        checker.term(grant["kind"], (*here, "kind"), "authority_kinds")
        checker.ref(grant.get("by"), (*here, "by"), ("forum", "role", "post"))
        checker.ref(grant["to"], (*here, "to"), ("role", "post"))
        checker.term(grant.get("scope"), (*here, "scope"), "scopes")
        categories = kinds.get(_nfc(grant["kind"]["id"]), set())
        for j, limit in enumerate(grant.get("limits", ())):
            category = limit.get("category")
            if category is not None and _nfc(category["id"]) not in categories:
                known = ", ".join(sorted(categories)) or "none declared"
                checker.add(
                    (*here, "limits", j, "category"),
                    f"unknown category {category['id']!r} of the kind {grant['kind']['id']!r} "
                    f"(its categories: {known})",
                )
        basis = grant.get("basis")
        if basis is not None and not basis.get("law") and not basis.get("decision"):
            checker.add((*here, "basis"), "a basis names a law or a decision (or both)")
        if require and "source" not in grant:
            checker.add(here, "delegation without a source (meta.require_sources is true)")
    kept: dict[str, int] = {}
    for i, reservation in enumerate(reserved):
        here = ("reserved", i)
        checker.term(reservation["kind"], (*here, "kind"), "authority_kinds")
        kind = _nfc(reservation["kind"]["id"])
        if kind in kept:
            first = reserved[kept[kind]]
            checker.add(
                (*here, "kind"),
                f"{reservation['kind']['id']!r} is already reserved to {first['to']['id']!r} "
                f"(at {checker.where(('reserved', kept[kind], 'kind'))}): a power is reserved "
                "to one body",
            )
        kept.setdefault(kind, i)
        checker.ref(reservation["to"], (*here, "to"), ("forum",))
        if require and "source" not in reservation:
            checker.add(here, "reservation without a source (meta.require_sources is true)")


def _rules(checker: _Checker, register: Register) -> None:
    for i, field, message in register.problems:
        checker.add(("delegations", i, field), message)
    for cycle in register.cycles():
        ids = [register.grants[j].id for j in cycle]
        checker.add(
            ("delegations", cycle[0], "from" if register.grants[cycle[0]].from_ else "by"),
            "delegation cycle: " + " -> ".join([*ids, ids[0]]),
        )
    for i, grant in enumerate(register.grants):
        here = ("delegations", i)
        if grant.by is not None and _nfc(grant.by.id) == _nfc(grant.to.id):
            checker.add((*here, "to"), f"{grant.id!r} grants {grant.kind.id!r} to its grantor")
        elif grant.by is not None and _nfc(register.role_of(grant.by.id) or "") == _nfc(
            grant.to.id
        ):
            checker.add(
                (*here, "to"),
                f"{grant.id!r} grants {grant.kind.id!r} to {grant.to.id!r}, the role of its "
                f"grantor {grant.by.id!r}: a post cannot grant to its own role",
            )
        reservation = register.reserved_to(grant.kind.id)
        if reservation is not None:
            checker.add(
                (*here, "kind"),
                f"{grant.kind.id!r} is reserved to {reservation.to.id!r} and may not be delegated",
            )
        parent = register.parent.get(i)
        if parent is None:
            continue
        above = register.grants[parent]
        if above.may_delegate is False:
            checker.add(
                (*here, "from" if grant.from_ else "by"),
                f"{grant.id!r} is sub-delegated from {above.id!r}, which may not be delegated "
                "further (may_delegate: false)",
            )
        _limits(checker, register, i)
        scope = grant.scope.id if grant.scope else None
        above_scope = register.scope_of(parent)
        if scope is not None and above_scope is not None and _nfc(scope) != _nfc(above_scope):
            checker.add(
                (*here, "scope"),
                f"the scope {scope!r} is not its delegator's scope {above_scope!r} "
                f"(in {register.grants[parent].id!r})",
            )


def _limits(checker: _Checker, register: Register, i: int) -> None:
    """A limit may not be above a limit up the chain of the same currency that binds it (per
    the same period, or a case above a year); a limit in another currency than the nearest
    limits above it cannot be compared (a warning)."""
    grant = register.grants[i]
    ancestors = register.chain(i)[1:]
    for j, limit in enumerate(grant.limits):
        above = [(up, p) for up in ancestors for p in register.grants[up].limits if binds(p, limit)]
        over = [(up, p) for up, p in above if exceeds(limit, p)]
        if over:
            up, p = over[0]
            checker.add(
                ("delegations", i, "limits", j, "amount"),
                f"the limit {limit_text(limit)} is above its delegator's "
                f"{limit_text(p)} (in {register.grants[up].id!r})",
            )
            continue
        if not above:
            continue
        nearest = above[0][0]
        currencies = sorted({p.currency for up, p in above if up == nearest})
        if limit.currency not in currencies:
            checker.warn(
                ("delegations", i, "limits", j, "currency"),
                f"the limit {limit_text(limit)} is in {limit.currency}, its delegator's in "
                f"{', '.join(currencies)} (in {register.grants[nearest].id!r}): not comparable",
            )


def _under_the_grantor(checker: _Checker, register: Register, line: Line) -> None:
    """Warn where a role or post grants a power to one whose line does not run under it."""
    for i, grant in enumerate(register.grants):
        by = register.grantor(i)
        if by is None or register.kind_of(by) not in ("role", "post"):
            continue
        by_nodes = line.start(_nfc(by))
        below = {row.id for row in line.under(by_nodes, True)}
        to_nodes = line.start(_nfc(grant.to.id))
        if any(node not in below and node not in by_nodes for node in to_nodes):
            checker.warn(
                ("delegations", i, "to"),
                f"{grant.to.id!r} does not report to {by!r} (directly or further up), who "
                f"grants it {grant.kind.id!r} in {grant.id!r}",
            )


# --- the amount of a case (``can --amount``) --------------------------------------------------

_SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009_"), None)


def parse_amount(text: str, lang: str = "nb") -> int:
    """Return the whole amount ``text`` writes: ``5000000``, ``5 000 000``, ``5,000,000`` or
    ``5.000.000`` (thousands in groups of three). Decimals (``99999.50``) and anything else are
    refused with one line in ``lang`` (an OrgrolesError): limits are whole units."""
    import math
    import re
    from decimal import Decimal

    from orgroles.errors import OrgrolesError

    plain = text.strip().translate(_SPACES)
    if re.fullmatch(r"\d+([.,]\d+)*", plain):
        groups = re.split(r"[.,]", plain)
        seps = re.findall(r"[.,]", plain)
        whole, fraction, thousands = groups, "", seps
        if seps and (len(groups[-1]) != 3 or len(set(seps)) == 2):
            whole, fraction, thousands = groups[:-1], groups[-1], seps[:-1]
        grouped = not thousands or (
            len(set(thousands)) == 1
            and (not fraction or seps[-1] not in thousands)
            and 1 <= len(whole[0]) <= 3
            and all(len(g) == 3 for g in whole[1:])
        )
        if grouped and not fraction:
            return int("".join(whole))
        if grouped:
            value = Decimal("".join(whole) + "." + fraction)
            if value == value.to_integral_value():
                return int(value)
            up = math.ceil(value)
            if lang == "en":
                raise OrgrolesError(
                    f"--amount takes whole units: {text!r} has decimals (round up: {up})"
                )
            raise OrgrolesError(f"--amount tar hele beløp: {text!r} har desimaler (rund opp: {up})")
    if lang == "en":
        raise OrgrolesError(
            f"--amount: {text!r} is not an amount (write 5000000, 5 000 000 or 5,000,000)"
        )
    raise OrgrolesError(
        f"--amount: {text!r} er ikke et beløp (skriv 5000000, 5 000 000 eller 5.000.000)"
    )


def parse_currency(text: str, lang: str = "nb") -> str:
    """Return a currency code (three letters, any case: ``eur`` is EUR); else refuse it."""
    from orgroles.errors import OrgrolesError

    code = text.strip().upper()
    if len(code) == 3 and code.isascii() and code.isalpha():
        return code
    if lang == "en":
        raise OrgrolesError(f"--currency: {text!r} is not a currency code (three letters: NOK)")
    raise OrgrolesError(f"--currency: {text!r} er ikke en valutakode (tre bokstaver: NOK)")
