"""The structure's measurements: levels, leaders per level, spans of control, authorities.

Leaders are the line's posts, and the roles that stand in the line without listed posts (a
class counts its holders: about 200 tjenesteledere). A span of control is *exact* where the
subordinates report to the post itself, and *estimated* where the source says only that they
report to one of a role's posts: the 200 tjenesteledere are shared out over the 9 kommunalsjefer,
about 22 each. Approximate counts stay approximate in every sum.
"""

from collections.abc import Iterable
from typing import Any, NamedTuple

from orgroles.index import OrgIndex
from orgroles.model import LangText
from orgroles.queries.authority import holdings
from orgroles.queries.common import Named, label, named


class LevelRow(NamedTuple):
    """Leaders at one level of the line (0 is the top)."""

    level: int
    leaders: int
    approximate: bool
    roles: tuple[str, ...]


class SpanRow(NamedTuple):
    """The span of control of one leader post (or of each holder of a class)."""

    id: str
    name: LangText
    span: float
    exact: int
    estimated: float
    approximate: bool
    over_limit: bool


class RoleStat(NamedTuple):
    """How many hold a role, and how many authorities the role holds (listed, conferred)."""

    id: str
    name: LangText
    count: int | None  # type: ignore[assignment]  # shadows tuple.count
    approximate: bool
    authorities: int
    conferred: int


class SpanWarning(NamedTuple):
    """A span of control above the maximum (``limit``); ``render.labels`` words it."""

    span: SpanRow
    limit: int

    def __str__(self) -> str:
        """Return the warning as ``validate`` prints it: in English, as every message about
        the file (``orgroles.checks``), the post by its bokmål name."""
        from orgroles.render.labels import span_warning

        return span_warning(self, "en", name_lang="nb")


class StatsAnswer(NamedTuple):
    """The measurements of one organisation."""

    depth: int
    levels: tuple[LevelRow, ...]
    leaders: int
    leaders_approximate: bool
    spans: tuple[SpanRow, ...]
    widest: SpanRow | None
    narrowest: SpanRow | None
    roles: tuple[RoleStat, ...]
    max_span: int | None
    warnings: tuple[SpanWarning, ...]
    staff: int = 0
    staff_approximate: bool = False
    posts: int = 0
    held: int | None = 0  # posts with a holder who has not left; None: people left out
    vacant: tuple[Named, ...] = ()


def _headcount(ix: OrgIndex, node: str) -> tuple[int, bool]:
    """How many leaders a line node stands for: a post 1, a class its count."""
    if ix.kind(node) == "post":
        return 1, False
    count = ix.roles[node].count
    return (count.value, count.approximate) if count else (1, False)


def statistics(ix: OrgIndex, max_span: int | None = None) -> StatsAnswer:
    """Return levels, leaders, spans of control and authorities per role; a span over
    ``max_span`` (else the file's ``meta.max_span``) is a warning.

    An index that keeps the measurements (the store: ``OrgIndex.stored_stats``) gives them
    as they were measured when it was written, so a million spans are read, not computed."""
    limit = max_span if max_span is not None else ix.org.meta.max_span
    stored = ix.stored_stats(limit)
    return stored if stored is not None else measure(ix, limit)


def measure(ix: OrgIndex, limit: int | None, raw: list[float] | None = None) -> StatsAnswer:
    """Compute the measurements of ``statistics`` from the line (``raw``: gets each span
    unrounded, as the limit is applied to it)."""
    leaders = [r.id for r in ix.org.roles if r.id not in ix.role_posts] + [
        p.id for p in ix.org.posts
    ]
    leaders.sort(key=ix.order)
    level_of = ix.line.levels()
    by_level: dict[int, list[str]] = {}
    for node in leaders:  # at its longest chain's length, where chains differ
        by_level.setdefault(level_of[node][1], []).append(node)
    levels = []
    for number in sorted(by_level):
        total, approximate = 0, False
        roles: dict[str, None] = {}  # a dict: ordered, and membership in O(1)
        for node in by_level[number]:
            count, approx = _headcount(ix, node)
            total, approximate = total + count, approximate or approx
            roles.setdefault(ix.role_of(node) or node, None)
        levels.append(LevelRow(number, total, approximate, tuple(roles)))
    spans = _spans(ix, leaders, limit, raw)
    ordered = sorted(spans, key=lambda s: (-s.span, ix.order(s.id)))
    roles_out = []
    by_role: dict[str, list[Any]] = {}
    for holding in holdings(ix):
        by_role.setdefault(holding.role.id, []).append(holding)
    for entry in ix.org.roles:
        mine = by_role.get(entry.id, [])
        roles_out.append(
            RoleStat(
                entry.id,
                entry.name,
                entry.count.value if entry.count else None,
                bool(entry.count and entry.count.approximate),
                sum(h.basis == "listed" for h in mine),
                sum(h.basis == "function" for h in mine),
            )
        )
    warnings = tuple(SpanWarning(s, limit) for s in spans if s.over_limit and limit is not None)
    return StatsAnswer(
        depth=len(levels),
        levels=tuple(levels),
        leaders=sum(row.leaders for row in levels),
        leaders_approximate=any(row.approximate for row in levels),
        spans=tuple(spans),
        widest=ordered[0] if ordered else None,
        narrowest=ordered[-1] if ordered else None,
        roles=tuple(roles_out),
        max_span=limit,
        warnings=warnings,
        staff=sum(p.staff.value for p in ix.org.posts if p.staff),
        staff_approximate=any(p.staff.approximate for p in ix.org.posts if p.staff),
        posts=len(ix.org.posts),
        held=sum(1 for p in ix.org.posts if any(not h.until for h in p.holders)),
        vacant=tuple(named(ix, p.id) for p in ix.org.posts if p.vacant),
    )


def _spans(
    ix: OrgIndex, leaders: list[str], limit: int | None, raw: list[float] | None
) -> list[SpanRow]:
    exact: dict[str, int] = {}
    estimated: dict[str, float] = {}
    approximate: dict[str, bool] = {}
    shares: dict[str, tuple[int, bool]] = {}  # open role -> headcount reporting to one of it
    for node in leaders:
        up = ix.superior(node)
        if up is None:
            continue
        count, approx = _headcount(ix, node)
        candidates = ix.line.candidates(node)
        if len(candidates) > 1:  # one of the role's posts: shared out over them below
            total, was = shares.get(up, (0, False))
            shares[up] = (total + count, was or approx)
        else:
            exact[candidates[0]] = exact.get(candidates[0], 0) + count
            approximate[candidates[0]] = approximate.get(candidates[0], False) or approx
    for role, (count, approx) in shares.items():
        posts = ix.role_posts[role]
        for post in posts:
            estimated[post] = estimated.get(post, 0.0) + count / len(posts)
            approximate[post] = approximate.get(post, False) or approx
    for node in leaders:  # people under a post who are not listed report to it
        staff = ix.posts[node].staff if node in ix.posts else None
        if staff is not None:
            exact[node] = exact.get(node, 0) + staff.value
            approximate[node] = approximate.get(node, False) or staff.approximate
    rows = []
    for node in leaders:
        if node not in exact and node not in estimated:
            continue
        holders, holders_approx = _headcount(ix, node)
        share = holders if ix.kind(node) == "role" and holders > 1 else 1
        known = exact.get(node, 0)
        guessed = estimated.get(node, 0.0)
        if share > 1:  # a class: its subordinates are shared out over its holders
            guessed, known = (known + guessed) / share, 0
        span = known + guessed
        if raw is not None:
            raw.append(span)
        rows.append(
            SpanRow(
                node,
                label(ix, node),
                round(span, 1),
                known,
                round(guessed, 1),
                approximate.get(node, False) or (share > 1 and holders_approx),
                limit is not None and span > limit,
            )
        )
    return rows


# --- the measurements as a store keeps them (``orgroles.store``) -----------------------------


def encode(ix: OrgIndex) -> tuple[dict[str, Any], list[list[Any]]]:
    """The measurements as plain data: everything but the spans, and the spans as rows.

    A span row is ``[id, nb, en, span, exact, estimated, approximate]`` and, when needed, a
    dict: ``u`` the span unrounded (the limit and its warnings are applied when the rows are
    read: ``decode``), ``p`` the post's names without people when its name is a holder's. A
    vacant post is ``[id, kind, nb, en]`` and those names likewise."""
    raw: list[float] = []
    answer = measure(ix, None, raw)

    def without_people(id_: str, name: LangText) -> list[str]:
        if ix.kind(id_) != "post":
            return []
        plain = [ix.label(id_, "nb", people=False), ix.label(id_, "en", people=False)]
        return [] if plain == [name.nb, name.en] else plain

    head = {
        "levels": [[r.level, r.leaders, r.approximate, list(r.roles)] for r in answer.levels],
        "roles": [
            [r.id, r.name.nb, r.name.en, r.count, r.approximate, r.authorities, r.conferred]
            for r in answer.roles
        ],
        "staff": [answer.staff, answer.staff_approximate],
        "posts": answer.posts,
        "held": answer.held,
        "vacant": [
            [v.id, v.kind, name.nb, name.en, *without_people(v.id, name)]
            for v in answer.vacant
            for name in (_plain_name(v),)
        ],
        "widest": answer.widest.id if answer.widest else None,
        "narrowest": answer.narrowest.id if answer.narrowest else None,
    }
    spans = []
    for s, exact in zip(answer.spans, raw, strict=True):
        row: list[Any] = [s.id, s.name.nb, s.name.en, s.span, s.exact, s.estimated, s.approximate]
        extra: dict[str, Any] = {}
        if exact != s.span:
            extra["u"] = exact
        plain = without_people(s.id, s.name)
        if plain:
            extra["p"] = plain
        spans.append([*row, extra] if extra else row)
    return head, spans


def _plain_name(item: Named) -> LangText:
    """A vacant post's name (a post's name is never a list of nodes)."""
    if not isinstance(item.name, LangText):
        raise TypeError(f"{item.id}: a post named by a list")
    return item.name


def decode(
    head: dict[str, Any], spans: Iterable[list[Any]], limit: int | None, people: bool = True
) -> StatsAnswer:
    """The measurements of ``encode``'s plain data, with spans over ``limit`` as warnings
    (without ``people``: as measured with the holders left out)."""
    rows = []
    ends: dict[str, SpanRow] = {}
    for id_, nb, en, span, exact, estimated, approximate, *more in spans:
        extra = more[0] if more else {}
        if not people and "p" in extra:
            nb, en = extra["p"]
        row = SpanRow(
            id_,
            LangText(nb, en),
            span,
            exact,
            estimated,
            approximate,
            limit is not None and extra.get("u", span) > limit,
        )
        rows.append(row)
        if id_ == head["widest"] or id_ == head["narrowest"]:
            ends[id_] = row
    levels = tuple(
        LevelRow(n, count, bool(a), tuple(roles)) for n, count, a, roles in head["levels"]
    )
    staff, staff_approximate = head["staff"]
    vacant = []
    for id_, kind, nb, en, *plain in head["vacant"]:
        if not people and plain:
            nb, en = plain
        vacant.append(Named(id_, kind, LangText(nb, en)))
    return StatsAnswer(
        depth=len(levels),
        levels=levels,
        leaders=sum(row.leaders for row in levels),
        leaders_approximate=any(row.approximate for row in levels),
        spans=tuple(rows),
        widest=ends.get(head["widest"]),
        narrowest=ends.get(head["narrowest"]),
        roles=tuple(
            RoleStat(id_, LangText(nb, en), count, bool(a), listed, conferred)
            for id_, nb, en, count, a, listed, conferred in head["roles"]
        ),
        max_span=limit,
        warnings=tuple(SpanWarning(s, limit) for s in rows if s.over_limit and limit is not None),
        staff=staff,
        staff_approximate=bool(staff_approximate),
        posts=head["posts"],
        held=head["held"] if people else 0,  # without people, no post has a holder
        vacant=tuple(vacant),
    )
