"""The reporting line: the tree, who reports to whom, the line upward, where two lines meet."""

from collections import ChainMap
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple, cast

from orgroles.index import OrgIndex
from orgroles.line import Step as LineStep
from orgroles.model import LangText, Source
from orgroles.queries.common import (
    Name,
    Named,
    NameSet,
    NodeList,
    OpenLine,
    Person,
    holders_of,
    is_one_of,
    is_vacant,
    label,
    named,
    open_line,
    plural,
    role_count,
    slides_of,
    staff_of,
    status_of,
    superior_of,
)

# --- the tree -------------------------------------------------------------------------------


class TreeRow(NamedTuple):
    """One line of the line tree, in pre-order.

    ``kind`` is ``post`` (one position), ``role`` (a class of holders with no listed posts, e.g.
    ca. 200 tjenesteledere) or ``group`` (posts of one role under the same row, which follow
    one level deeper). ``key`` is unique in the answer (a node's id; ``ROLE@PARENT`` for a
    group) and ``parent`` is the key of the row above. ``superior`` is the id the node reports
    to (a post, a class, or a role when it is one of that role's posts).
    """

    key: str
    id: str
    kind: str
    name: LangText
    depth: int
    parent: str | None
    superior: str | None = None
    count: int | None = None  # type: ignore[assignment]  # shadows tuple.count
    approximate: bool = False
    staff: int | None = None
    staff_approximate: bool = False
    slides: tuple[int, ...] = ()
    status: str = "stated"
    note: OpenLine | None = None
    superior_unspecified: bool = False
    accountable_to: NameSet = NameSet(())
    hidden: int = 0
    holders: tuple[Person, ...] = ()
    vacant: bool = False


class TreeAnswer(NamedTuple):
    """The line as a tree: rows in pre-order, and how many rows ``--depth`` left out."""

    root: str | None
    depth: int | None
    rows: tuple[TreeRow, ...] = ()
    hidden: int = 0
    via_unit: str | None = None


class Layout(NamedTuple):
    """Where every line node sits in the tree: children by parent key ("" is the top)."""

    children: Mapping[str, list[str]]  # parent key -> child keys, in display order
    groups: Mapping[str, tuple[str, list[str]]]  # group key -> (role, its posts here)
    sizes: Mapping[str, int]  # key -> how many rows are below it (absent: none)


def tree_layout(ix: OrgIndex) -> Layout:
    """Place every line node once (see docs/data-format.md#the-tree), computed once per index
    (or read from the indexed store, which keeps it)."""
    cached: Layout | None = ix.memo.get(("tree_layout",))
    if cached is None:
        stored = ix.stored_layout()
        layout = Layout(*stored) if stored is not None else _new_layout(ix)
        cached = ix.memo[("tree_layout",)] = layout
    return cached


def _new_layout(ix: OrgIndex) -> Layout:
    line = ix.line
    levels = line.levels()
    # A node's place depends only on the places of nodes above it: settle those first.
    nodes = sorted(line.nodes(), key=lambda n: (levels[n][1], line.order[n]))
    anchor: dict[str, str] = {}  # node -> the key of the row it sits under ("" at the top)
    role_anchor: dict[str, str] = {}  # open role -> where lines to it sit
    by_parent: dict[str, list[str]] = {}
    same_role: dict[tuple[str, str], list[str]] = {}  # (place, role) -> posts placed there
    for node in nodes:
        cands = line.candidates(node)
        if not cands:
            place = ""
        elif len(cands) == 1:
            place = cands[0]
        else:
            up = line.target[node]
            if up not in role_anchor:
                role_anchor[up] = _open_place(ix, up, anchor)
            place = role_anchor[up]
        anchor[node] = place
        role = line.post_role.get(node)
        if role is not None:
            same_role.setdefault((place, role), []).append(node)
        else:
            by_parent.setdefault(place, []).append(node)
    groups: dict[str, tuple[str, list[str]]] = {}
    for (place, role), posts in same_role.items():
        if len(posts) >= 2:
            posts.sort(key=line.order.__getitem__)
            key = f"{role}@{place}"
            groups[key] = (role, posts)
            by_parent.setdefault(place, []).append(key)
        else:
            by_parent.setdefault(place, []).extend(posts)
    children: dict[str, list[str]] = {}

    def order(key: str) -> tuple[bool, int]:
        """Heads and certain lines first, then the 'one of' lines placed here; file order."""
        if key in groups:
            return False, line.order[groups[key][0]]
        return len(line.candidates(key)) > 1, line.order[key]

    for place, members in by_parent.items():
        children[place] = sorted(members, key=order)
    for key, (_, posts) in groups.items():
        children[key] = posts + children.get(key, [])
    return Layout(children, groups, _sizes(children))


def _sizes(children: Mapping[str, list[str]]) -> dict[str, int]:
    """How many rows lie below each key of a tree (keys with none left out)."""
    sizes: dict[str, int] = {}
    stack: list[tuple[str, bool]] = [("", False)]
    while stack:  # children first, without recursion
        key, done = stack.pop()
        kids = children.get(key, [])
        if done:
            total = sum(1 + sizes.get(kid, 0) for kid in kids)
            if total:
                sizes[key] = total
        else:
            stack.append((key, True))
            stack.extend((kid, False) for kid in kids)
    return sizes


def _open_place(ix: OrgIndex, role: str, anchor: dict[str, str]) -> str:
    """Return where lines to 'one of' ``role``'s posts sit: under the group of all its posts,
    else under the lowest superior certain for every one of them, else at the top."""
    posts = ix.line.role_posts[role]
    places = {anchor[p] for p in posts}
    if len(places) == 1:
        return f"{role}@{places.pop()}"
    certain = ix.line.certain(posts)
    return certain[0] if certain else ""


def _accountable_to(ix: OrgIndex, node: str) -> NameSet:
    return NameSet(
        tuple(
            label(ix, r.to.id)
            for r in ix.relations_from.get(node, ())
            if r.type == "accountable_to" and r.to is not None
        )
    )


def _group_row(
    ix: OrgIndex,
    key: str,
    role_id: str,
    posts: list[str],
    depth: int,
    parent: str | None,
) -> TreeRow:
    role = ix.roles[role_id]
    count, approximate = len(posts), False  # the posts in the group, whatever the role's count
    targets = {ix.superior(p) for p in posts}
    up = targets.pop() if len(targets) == 1 else None
    open_up = is_one_of(ix, up)
    line_source = role.reports_to.source if role.reports_to else None
    return TreeRow(
        key=key,
        id=role_id,
        kind="group",
        name=plural(ix, role_id),
        depth=depth,
        parent=parent,
        superior=superior_of(ix, posts[0]) if up is not None else None,
        count=count,
        approximate=approximate,
        slides=slides_of(role.source, role.count.source if role.count else None, line_source),
        status=status_of(line_source),
        note=open_line(ix, up) if open_up and up is not None else None,
        superior_unspecified=open_up,
        accountable_to=_accountable_to(ix, role_id),
    )


def _node_row(
    ix: OrgIndex, node: str, depth: int, parent: str | None, in_open_group: bool
) -> TreeRow:
    up = ix.superior(node)
    open_up = is_one_of(ix, up)
    shown = open_up and up is not None and not in_open_group  # else the group row says it
    note = open_line(ix, up) if shown else None
    staff, staff_approximate = staff_of(ix, node)
    if ix.kind(node) == "role":
        role = ix.roles[node]
        count, approximate = role_count(ix, node)
        singular = count == 1 and not approximate
        line_source = role.reports_to.source if role.reports_to else None
        return TreeRow(
            key=node,
            id=node,
            kind="role",
            name=role.name if singular else plural(ix, node),
            depth=depth,
            parent=parent,
            superior=superior_of(ix, node),
            count=count,
            approximate=approximate,
            slides=slides_of(role.source, role.count.source if role.count else None, line_source),
            status=status_of(line_source),
            note=note,
            superior_unspecified=open_up,
            accountable_to=_accountable_to(ix, node),
        )
    post = ix.posts[node]
    line_source = post.reports_to.source if post.reports_to else None
    return TreeRow(
        key=node,
        id=node,
        kind="post",
        name=label(ix, node),
        depth=depth,
        parent=parent,
        superior=superior_of(ix, node),
        staff=staff,
        staff_approximate=staff_approximate,
        slides=slides_of(post.source, line_source),
        status=status_of(post.source),
        note=note,
        superior_unspecified=open_up,
        accountable_to=_accountable_to(ix, node),
        holders=holders_of(ix, node),
        vacant=is_vacant(ix, node),
    )


def line_tree(ix: OrgIndex, name: str | None = None, depth: int | None = None) -> TreeAnswer:
    """Return the reporting line as a tree, from the top or from ``name``, to ``depth`` levels:
    rows deeper than ``depth`` are not shown but counted into ``hidden`` of the deepest row
    shown above them (``_walk``)."""
    layout = tree_layout(ix)
    # The layout is shared (and may be the store's): a tree from a role changes one entry,
    # kept apart (the whole tree reads the layout itself).
    own_children: dict[str, list[str]] = {}
    own_groups: dict[str, tuple[str, list[str]]] = {}
    via_unit = None
    root_id: str | None = None
    if name is None:
        starts = layout.children.get("", [])
    else:
        root_id = ix.resolve(name)
        node, via_unit = ix.line_node(root_id)
        if via_unit is not None:
            root_id = node
        posts = ix.line.role_posts.get(node, [])
        if len(posts) == 1:  # a role with one post is that post
            node = posts[0]
        elif posts:  # all its posts, and the lines to 'one of' them (placed elsewhere)
            below = [n for n in ix.line.below.get(node, []) if len(ix.line.candidates(n)) > 1]
            own_groups[node] = (node, posts)
            own_children[node] = posts + [n for n in below if n not in posts]
        starts = [node]
    children: Mapping[str, list[str]] = (
        ChainMap(own_children, cast(Any, layout.children)) if own_children else layout.children
    )
    groups: Mapping[str, tuple[str, list[str]]] = (
        ChainMap(own_groups, cast(Any, layout.groups)) if own_groups else layout.groups
    )
    rows = tuple(_walk(ix, layout, starts, children, groups, depth, own_children))
    hidden = sum(row.hidden for row in rows)
    return TreeAnswer(root=root_id, depth=depth, rows=rows, hidden=hidden, via_unit=via_unit)


def tree_rows(ix: OrgIndex) -> Iterator[TreeRow]:
    """The rows of the whole tree (``line_tree(ix).rows``), one at a time: a million posts'
    rows are never all in memory (the chart page writes them as they come)."""
    layout = tree_layout(ix)
    starts = layout.children.get("", [])
    return _walk(ix, layout, starts, layout.children, layout.groups, None, {})


def _walk(
    ix: OrgIndex,
    layout: Layout,
    starts: list[str],
    children: Mapping[str, list[str]],
    groups: Mapping[str, tuple[str, list[str]]],
    depth: int | None,
    own_children: Mapping[str, list[str]],
) -> Iterator[TreeRow]:
    """The rows below ``starts``, depth first, down to ``depth``; what lies deeper is counted
    into ``hidden`` of the deepest row shown above it, not walked (``own_children``: the keys
    whose children differ from the layout's)."""
    stack: list[tuple[str, int, str | None, bool]] = [
        (key, 0, None, False) for key in reversed(starts)
    ]

    def rows_below(key: str) -> int:
        """How many rows lie below ``key`` (a key changed here is counted afresh)."""
        if key in own_children:
            return sum(1 + rows_below(kid) for kid in children[key])
        return layout.sizes.get(key, 0)

    while stack:  # one iterative walk
        key, level, parent, in_open = stack.pop()
        if key in groups:
            role_id, posts = groups[key]
            row = _group_row(ix, key, role_id, posts, level, parent)
        else:
            row = _node_row(ix, key, level, parent, in_open)
        if depth is not None and level >= depth:
            below = rows_below(key)
            yield row._replace(hidden=below) if below else row
            continue
        yield row
        open_group = key in groups and row.superior_unspecified
        member_posts = set(groups[key][1]) if key in groups else set()
        stack.extend(
            (kid, level + 1, key, open_group and kid in member_posts)
            for kid in reversed(children.get(key, []))
        )


# --- naming nodes and steps -------------------------------------------------------------------


class Step(NamedTuple):
    """One step up the line.

    ``candidates`` are the nodes at this step; ``unspecified`` when there are several and the
    source does not say which (``id`` is then their role, or null when they have no one role);
    ``varies`` when there are several because each post of the role asked about has its own;
    ``possibly`` when some chain passes none of them. ``holders`` and ``vacant`` when the step
    is one post.
    """

    id: str | None
    kind: str
    name: Name
    unspecified: bool = False
    slides: tuple[int, ...] = ()
    status: str = "stated"
    possibly: bool = False
    candidates: tuple[str, ...] = ()
    varies: bool = False
    holders: tuple[Person, ...] = ()
    vacant: bool = False


SHOWN_CANDIDATES = 5


def _group_name(ix: OrgIndex, ids: tuple[str, ...]) -> tuple[str | None, str, Name]:
    """Return (id, kind, name) for a set of nodes: itself, 'the Rs', or their names."""
    if len(ids) == 1:
        this = named(ix, ids[0])
        return this.id, this.kind, this.name
    roles = {ix.line.post_role.get(n) for n in ids}
    role = roles.pop() if len(roles) == 1 else None
    if role is not None and len(ids) == ix.line.post_count(role):
        return role, "role", plural(ix, role)
    names = tuple(label(ix, n) for n in ids[:SHOWN_CANDIDATES])
    more = max(len(ids) - SHOWN_CANDIDATES, 0)
    if role is not None:
        return role, "role", NodeList(names, more, plural(ix, role))
    return None, "set", NodeList(names, more)


def superior_name(ix: OrgIndex, node: str) -> tuple[Name, bool]:
    """The name of what a line node reports to directly, as ``show`` gives it, and whether
    the line leaves open which of several posts it is."""
    candidates = tuple(ix.line.candidates(node))
    return _group_name(ix, candidates)[2], len(candidates) > 1


def _steps(ix: OrgIndex, raw: tuple[LineStep, ...] | list[LineStep], first: int = 1) -> list[Step]:
    """Name the steps of the chains from ``first`` on, each with the sources of its lines."""
    reached = [n for s in raw for n in s.candidates]
    sources: dict[str, list[Source | None]] = {}
    for node in reached:
        for up in ix.line.candidates(node):
            sources.setdefault(up, []).append(ix.line_source(node))
    out = []
    for number, step in enumerate(raw):
        if number < first:
            continue
        node_id, kind, name = _group_name(ix, step.candidates)
        lines = [s for c in step.candidates for s in sources.get(c, ())]
        out.append(
            Step(
                node_id,
                kind,
                name,
                step.open,
                slides_of(*lines),
                status_of(*lines),
                step.possibly,
                step.candidates,
                len(step.candidates) > 1 and not step.open,
                holders_of(ix, step.candidates[0]) if len(step.candidates) == 1 else (),
                len(step.candidates) == 1 and is_vacant(ix, step.candidates[0]),
            )
        )
    return out


def _start_step(ix: OrgIndex, node: str) -> Step:
    this = named(ix, node)
    return Step(this.id, this.kind, this.name, candidates=ix.line.start(node))


# --- who reports to X ------------------------------------------------------------------------


class ReportRow(NamedTuple):
    """One subordinate: ``depth`` 1 is a direct report.

    ``superior_unspecified``: it reports to one of a role's posts and the source does not say
    which; ``possibly``: some of its chains do not pass the one asked about.
    """

    id: str
    kind: str
    name: Name
    role: str | None
    depth: int
    superior: str
    superior_name: Name
    count: int | None = None  # type: ignore[assignment]  # shadows tuple.count
    approximate: bool = False
    superior_unspecified: bool = False
    possibly: bool = False
    slides: tuple[int, ...] = ()
    status: str = "stated"
    staff: int | None = None
    staff_approximate: bool = False
    role_name: LangText | None = None
    holders: tuple[Person, ...] = ()
    vacant: bool = False


class ReportsAnswer(NamedTuple):
    """Who reports to a role or post, directly or (``all``) at every level below.

    ``staff`` counts the people under the post who are not listed; ``via_unit`` is the unit
    asked about when it stood for the post that heads it.
    """

    target: Named
    all: bool
    rows: tuple[ReportRow, ...] = ()
    staff: int | None = None
    staff_approximate: bool = False
    via_unit: Named | None = None


def _report_row(ix: OrgIndex, node: str, depth: int, possibly: bool) -> ReportRow:
    key = ("report_row", node, depth, possibly)
    row: ReportRow | None = ix.memo.get(key)
    if row is None:
        row = ix.memo[key] = _new_report_row(ix, node, depth, possibly)
    return row


def _new_report_row(ix: OrgIndex, node: str, depth: int, possibly: bool) -> ReportRow:
    count, approximate = role_count(ix, node)
    this = named(ix, node)
    entry = ix.source_of(node)
    line = ix.line_source(node)
    superior = superior_of(ix, node)
    assert superior is not None
    staff, staff_approximate = staff_of(ix, node)
    return ReportRow(
        id=node,
        kind=this.kind,
        name=this.name,
        role=ix.role_of(node) if this.kind == "post" else None,
        depth=depth,
        superior=superior,
        superior_name=named(ix, superior).name,
        count=count,
        approximate=approximate,
        superior_unspecified=is_one_of(ix, ix.superior(node)),
        possibly=possibly,
        slides=slides_of(line, entry),
        status=status_of(line),
        staff=staff,
        staff_approximate=staff_approximate,
        role_name=ix.roles[role].name
        if this.kind == "post" and (role := ix.role_of(node)) is not None
        else None,
        holders=holders_of(ix, node),
        vacant=is_vacant(ix, node),
    )


def _line_target(ix: OrgIndex, name: str) -> tuple[str, Named | None]:
    """Resolve a name to a role or post of the line; a unit stands for its head."""
    node = ix.resolve(name)
    target, unit = ix.line_node(node)
    return target, Named(unit, "unit", label(ix, unit)) if unit else None


def who_reports_to(ix: OrgIndex, name: str, all_levels: bool = False) -> ReportsAnswer:
    """Return who reports to ``name`` directly, or at every level below with ``all_levels``."""
    target, unit = _line_target(ix, name)
    key = ("who_reports_to", target, unit, all_levels)
    answer: ReportsAnswer | None = ix.memo.get(key)
    if answer is None:
        answer = ix.memo[key] = _who_reports_to(ix, target, unit, all_levels)
    return answer


def direct_reports(ix: OrgIndex, node: str, most: int | None) -> tuple[tuple[ReportRow, ...], int]:
    """The rows of who reports to a line node directly, at most ``most`` of them (None:
    every one; the answer of ``who_reports_to``), and how many more there are."""
    if most is None:
        return who_reports_to(ix, node).rows, 0
    below = ix.line.under(ix.line.start(node), False)
    rows = tuple(_new_report_row(ix, b.id, b.depth, b.possibly) for b in below[:most])
    return rows, max(0, len(below) - most)


def _who_reports_to(
    ix: OrgIndex, target: str, unit: Named | None, all_levels: bool
) -> ReportsAnswer:
    below = ix.line.under(ix.line.start(target), all_levels)
    rows = tuple(_report_row(ix, b.id, b.depth, b.possibly) for b in below)
    staff, staff_approximate = staff_of(ix, target)
    return ReportsAnswer(named(ix, target), all_levels, rows, staff, staff_approximate, unit)


# --- the line upward ---------------------------------------------------------------------


class Accountability(NamedTuple):
    """Whom the top of the line answers to outside it (the political level), and its bodies."""

    id: str
    name: LangText
    bodies: tuple[Named, ...] = ()
    slides: tuple[int, ...] = ()
    wording: str | None = None


class ChainAnswer(NamedTuple):
    """The line from a role or post up to the top, and what the top answers to."""

    start: Named
    chain: tuple[Step, ...] = ()
    accountable_to: tuple[Accountability, ...] = ()
    via_unit: Named | None = None


def _accountability(ix: OrgIndex, nodes: tuple[str, ...]) -> tuple[Accountability, ...]:
    out = []
    for node in nodes:
        for relation in ix.relations_from.get(node, ()):
            if relation.type != "accountable_to" or relation.to is None:
                continue
            target = relation.to.id
            bodies = ix.parts.get(target, [])
            source: Source | None = relation.source
            out.append(
                Accountability(
                    target,
                    label(ix, target),
                    tuple(named(ix, b) for b in bodies),
                    slides_of(source),
                    source.quote if source else None,
                )
            )
    return tuple(sorted(set(out), key=lambda a: ix.order(a.id)))


def first_step(ix: OrgIndex, node: str) -> Step | None:
    """Return what a line node, or the posts of a role, report to directly (None at the top).

    For a role with posts: the one line they all have, or each post its own (``varies``,
    ``possibly`` when some of them are at the top).
    """
    posts = ix.line.role_posts.get(node)
    if not posts:
        steps = chain_up(ix, node)
        return steps[0] if steps else None
    targets = {ix.superior(p) for p in posts}
    if targets == {None}:
        return None
    sources = [ix.line_source(p) for p in posts if ix.superior(p) is not None]
    if len(targets) == 1:
        up = targets.pop()
        assert up is not None
        candidates = tuple(ix.line.candidates(posts[0]))
        node_id, kind, name = _group_name(ix, candidates)
        return Step(
            node_id,
            kind,
            name,
            len(candidates) > 1,
            slides_of(*sources),
            status_of(*sources),
            candidates=candidates,
        )
    found = {c for p in posts for c in ix.line.candidates(p)}
    candidates = tuple(sorted(found, key=ix.order))
    node_id, kind, name = _group_name(ix, candidates)
    return Step(
        node_id,
        kind,
        name,
        False,
        slides_of(*sources),
        status_of(*sources),
        None in targets,
        candidates,
        varies=True,
    )


def chain_up(ix: OrgIndex, node: str) -> list[Step]:
    """Return the steps up from a line node or a role with posts (step 0 left out)."""
    return _steps(ix, ix.line.steps(ix.line.start(node)))


def reports_to(ix: OrgIndex, name: str) -> ChainAnswer:
    """Return the line from ``name`` up to the top, ending with what the top answers to."""
    start, unit = _line_target(ix, name)
    chain = chain_up(ix, start)
    tops = chain[-1].candidates if chain else ix.line.start(start)
    return ChainAnswer(named(ix, start), tuple(chain), _accountability(ix, tops), unit)


# --- where two lines meet --------------------------------------------------------------------


class CommonAnswer(NamedTuple):
    """Where the lines of ``a`` and ``b`` meet.

    ``meet`` is the nearest superior both certainly share (None when they have different
    heads); ``possible_meet`` nearer ones both may share when the source does not say which
    post each reports to. Each path runs from its start up to ``meet`` (inclusive).
    """

    a: Named
    b: Named
    meet: Named | None
    possible_meet: Step | None
    path_a: tuple[Step, ...] = ()
    path_b: tuple[Step, ...] = ()
    via_unit_a: Named | None = None
    via_unit_b: Named | None = None


def common(ix: OrgIndex, first: str, second: str) -> CommonAnswer:
    """Return where the lines of two roles or posts meet, and each side's path there."""
    a, unit_a = _line_target(ix, first)
    b, unit_b = _line_target(ix, second)
    found = ix.line.meet(ix.line.start(a), ix.line.start(b))
    path_a = [_start_step(ix, a), *_steps(ix, found.steps_a)]
    path_b = [_start_step(ix, b), *_steps(ix, found.steps_b)]
    possible = None
    if found.possible:
        node_id, kind, name_text = _group_name(ix, found.possible)
        possible = Step(
            node_id, kind, name_text, len(found.possible) > 1, candidates=found.possible
        )
    return CommonAnswer(
        named(ix, a),
        named(ix, b),
        named(ix, found.meet) if found.meet else None,
        possible,
        tuple(_path_to(path_a, found.meet)),
        tuple(_path_to(path_b, found.meet)),
        unit_a,
        unit_b,
    )


def _path_to(path: list[Step], meet: str | None) -> list[Step]:
    if meet is None:
        return path
    out = []
    for step in path:
        out.append(step)
        if step.candidates == (meet,) or step.id == meet:
            break
    return out
