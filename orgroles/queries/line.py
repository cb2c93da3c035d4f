"""The reporting line: the tree, who reports to whom, the line upward, where two lines meet."""

from typing import NamedTuple

from orgroles.errors import OrgrolesError
from orgroles.index import OrgIndex
from orgroles.model import Source

# --- shared pieces ------------------------------------------------------------------------


def slides_of(*sources: Source | None) -> tuple[int, ...]:
    """Return the sorted slide numbers of several sources together."""
    return tuple(sorted({s for source in sources if source for s in source.slides}))


def status_of(*sources: Source | None) -> str:
    """Return the weakest status of several sources (unspecified < inferred < stated)."""
    statuses = {source.status for source in sources if source}
    for status in ("unspecified", "inferred"):
        if status in statuses:
            return status
    return "stated"


def open_line_note(ix: OrgIndex, target: str, lang: str) -> str:
    """Say that a line ends at 'one of' a role's posts, without saying which."""
    if lang == "en":
        return f"reports to one of the {ix.plural(target, 'en')}; the source does not say which"
    return f"rapporterer til en {ix.roles[target].name.get('nb')}; kilden sier ikke hvilken"


def role_count(ix: OrgIndex, node: str) -> tuple[int | None, bool]:
    if ix.kind(node) != "role":
        return None, False
    role = ix.roles[node]
    if role.count is not None:
        return role.count.value, role.count.approximate
    posts = ix.role_posts.get(node)
    return (len(posts), False) if posts else (None, False)


# --- the tree -------------------------------------------------------------------------------


class TreeRow(NamedTuple):
    """One line of the line tree, in pre-order.

    ``kind`` is ``post`` (one position), ``role`` (a class of holders with no listed posts, e.g.
    ca. 200 tjenesteledere) or ``group`` (a role whose listed posts follow one level deeper).
    """

    id: str
    kind: str
    name: str
    depth: int
    parent: str | None
    count: int | None = None  # type: ignore[assignment]  # shadows tuple.count
    approximate: bool = False
    slides: tuple[int, ...] = ()
    status: str = "stated"
    note: str | None = None
    superior_unspecified: bool = False
    accountable_to: tuple[str, ...] = ()
    hidden: int = 0


class TreeAnswer(NamedTuple):
    """The line as a tree: rows in pre-order, and how many rows ``--depth`` left out."""

    root: str | None
    depth: int | None
    rows: tuple[TreeRow, ...] = ()
    hidden: int = 0


# An entry of the walk: ("line", node, []) or ("group", role, [its posts shown here]).
_Entry = tuple[str, str, list[str]]


def _entries(ix: OrgIndex, kids: list[str]) -> list[_Entry]:
    """Group sibling posts under their role where that helps (see TreeRow)."""
    out: list[tuple[int, _Entry]] = []
    by_role: dict[str, list[str]] = {}
    loose: list[str] = []
    for kid in kids:
        if ix.kind(kid) == "post":
            role = ix.role_of(kid)
            if role is not None:
                by_role.setdefault(role, []).append(kid)
            else:
                loose.append(kid)
    for kid in kids:
        if ix.kind(kid) == "role":
            if kid not in ix.role_posts:
                out.append((ix.order(kid), ("line", kid, [])))
            elif kid in by_role or _reports_to_role_itself(ix, kid):
                out.append((ix.order(kid), ("group", kid, by_role.pop(kid, []))))
            # else: its posts report to particular posts and appear under them
    for role, posts in by_role.items():
        if len(posts) >= 2:
            out.append((ix.order(role), ("group", role, posts)))
        else:
            loose.extend(posts)
    out.extend((ix.order(p), ("line", p, [])) for p in loose)
    out.sort(key=lambda item: item[0])
    return [entry for _, entry in out]


def _reports_to_role_itself(ix: OrgIndex, role: str) -> bool:
    """Tell whether a post or a class reports to ``role`` as such (not to one of its posts)."""
    return any(
        ix.kind(k) == "post" or k not in ix.role_posts for k in ix.subordinates.get(role, ())
    )


def _children(ix: OrgIndex, entry: _Entry) -> list[_Entry]:
    kind, node, posts = entry
    below = _entries(ix, ix.subordinates.get(node, []))
    return below if kind == "line" else [("line", p, []) for p in posts] + below


def _roots(ix: OrgIndex) -> list[_Entry]:
    tops = [r.id for r in ix.org.roles if r.id not in ix.superiors and r.id not in ix.role_posts]
    tops += [p.id for p in ix.org.posts if p.id not in ix.superiors]
    return _entries(ix, tops)


def _accountable_to(ix: OrgIndex, node: str, lang: str) -> tuple[str, ...]:
    names = [
        ix.label(r.to.id, lang)
        for r in ix.relations_from.get(node, ())
        if r.type == "accountable_to" and r.to is not None
    ]
    return tuple(sorted(names))


def _open_note(ix: OrgIndex, node: str, lang: str) -> str | None:
    up = ix.superior(node)
    return open_line_note(ix, up, lang) if up is not None and ix.is_open_target(up) else None


def _tree_row(ix: OrgIndex, entry: _Entry, depth: int, parent: str | None, lang: str) -> TreeRow:
    kind, node, posts = entry
    if ix.kind(node) == "role":
        role = ix.roles[node]
        count, approximate = role_count(ix, node)
        if posts and len(posts) != len(ix.role_posts.get(node, ())):
            count, approximate = len(posts), False  # a group of some of the role's posts
        singular = count == 1 and not approximate
        name = role.name.get(lang) if singular else ix.plural(node, lang)
        line_source = role.reports_to.source if role.reports_to else None
        # A group's members say where the group sits; a role without posts speaks for itself.
        note = _open_note(ix, posts[0] if posts else node, lang)
        return TreeRow(
            id=node,
            kind="group" if kind == "group" else "role",
            name=name,
            depth=depth,
            parent=parent,
            count=count,
            approximate=approximate,
            slides=slides_of(role.source, role.count.source if role.count else None, line_source),
            status=status_of(line_source),
            note=note,
            superior_unspecified=note is not None,
            accountable_to=_accountable_to(ix, node, lang),
        )
    post = ix.posts[node]
    line_source = post.reports_to.source if post.reports_to else None
    note = _open_note(ix, node, lang)
    role_id = ix.role_of(node)
    if note and role_id and parent == role_id and ix.superior(node) == ix.superior(role_id):
        note = None  # the group row above already says it
    return TreeRow(
        id=node,
        kind="post",
        name=ix.label(node, lang),
        depth=depth,
        parent=parent,
        slides=slides_of(post.source, line_source),
        status=status_of(post.source),
        note=note,
        superior_unspecified=note is not None,
        accountable_to=_accountable_to(ix, node, lang),
    )


def _start_entry(ix: OrgIndex, node: str) -> _Entry:
    kind = ix.kind(node)
    if kind == "role":
        posts = ix.role_posts.get(node, [])
        return ("group", node, posts) if posts else ("line", node, [])
    if kind == "post":
        return ("line", node, [])
    if kind == "unit" and ix.heads_of.get(node):
        return ("line", ix.heads_of[node][0], [])
    if kind == "unit":
        raise OrgrolesError(f"no post heads the unit {node!r}, so it has no place in the line")
    raise OrgrolesError(f"{node!r} is a forum or body, not part of the reporting line")


def line_tree(
    ix: OrgIndex, name: str | None = None, depth: int | None = None, lang: str = "nb"
) -> TreeAnswer:
    """Return the reporting line as a tree, from the top or from ``name``, to ``depth`` levels.

    One iterative walk over the whole line: rows deeper than ``depth`` are not shown but
    counted into ``hidden`` of the deepest row shown above them. A line node, and a group with
    no posts of its own here, appears once (where the walk meets it first).
    """
    root_id = None if name is None else ix.resolve(name)
    starts = _roots(ix) if root_id is None else [_start_entry(ix, root_id)]
    rows: list[TreeRow] = []
    hidden: list[int] = []
    seen: set[tuple[str, str]] = set()
    # (entry, level, parent id, index of the shown row that counts it when it is hidden)
    stack: list[tuple[_Entry, int, str | None, int | None]] = [
        (e, 0, None, None) for e in reversed(starts)
    ]
    while stack:
        entry, level, parent, anchor = stack.pop()
        kind, node, posts = entry
        if kind == "line" or not posts:
            if (kind, node) in seen:
                continue
            seen.add((kind, node))
        if depth is not None and level > depth:
            assert anchor is not None
            hidden[anchor] += 1
            below = anchor
        else:
            rows.append(_tree_row(ix, entry, level, parent, lang))
            hidden.append(0)
            below = len(rows) - 1
        stack.extend((kid, level + 1, node, below) for kid in reversed(_children(ix, entry)))
    shown = tuple(row._replace(hidden=n) if n else row for row, n in zip(rows, hidden, strict=True))
    return TreeAnswer(root=root_id, depth=depth, rows=shown, hidden=sum(hidden))


# --- who reports to X ------------------------------------------------------------------------


class Named(NamedTuple):
    """A role, post, unit or forum as answers name it."""

    id: str
    kind: str
    name: str


class ReportRow(NamedTuple):
    """One subordinate: ``depth`` 1 is a direct report.

    ``superior_unspecified``: it reports to one of a role's posts and the source does not say
    which; ``possibly``: asked about one such post, this one may or may not be its superior
    (and with ``--all``, everything below such a row is ``possibly`` too).
    """

    id: str
    kind: str
    name: str
    role: str | None
    depth: int
    superior: str
    superior_name: str
    count: int | None = None  # type: ignore[assignment]  # shadows tuple.count
    approximate: bool = False
    superior_unspecified: bool = False
    possibly: bool = False
    slides: tuple[int, ...] = ()
    status: str = "stated"


class ReportsAnswer(NamedTuple):
    """Who reports to a role or post, directly or (``all``) at every level below."""

    target: Named
    all: bool
    rows: tuple[ReportRow, ...] = ()


def named(ix: OrgIndex, node: str, lang: str) -> Named:
    if ix.kind(node) == "role":
        count, approximate = role_count(ix, node)
        name = (
            ix.roles[node].name.get(lang)
            if count == 1 and not approximate
            else ix.plural(node, lang)
        )
        return Named(node, "role", name)
    return Named(node, ix.kind(node), ix.label(node, lang))


def _direct(ix: OrgIndex, node: str, is_target: bool) -> list[tuple[str, str, bool]]:
    """Return (subordinate, superior, possibly) for the nodes right below ``node``."""
    found = [(kid, node, False) for kid in ix.subordinates.get(node, [])]
    if ix.kind(node) == "role":  # anyone reporting to one of its posts reports to the role
        for post in ix.role_posts.get(node, []):
            found.extend((kid, post, False) for kid in ix.subordinates.get(post, []))
    elif is_target:
        role = ix.role_of(node)
        if role is not None and ix.is_open_target(role):
            found.extend((kid, role, True) for kid in ix.subordinates.get(role, []))
    return found


def _report_row(
    ix: OrgIndex, node: str, superior: str, depth: int, possibly: bool, lang: str
) -> ReportRow:
    key = ("report_row", node, superior, depth, possibly, lang)
    row: ReportRow | None = ix.memo.get(key)
    if row is None:
        row = ix.memo[key] = _new_report_row(ix, node, superior, depth, possibly, lang)
    return row


def _new_report_row(
    ix: OrgIndex, node: str, superior: str, depth: int, possibly: bool, lang: str
) -> ReportRow:
    count, approximate = role_count(ix, node)
    this = named(ix, node, lang)
    entry = ix.source_of(node)
    line = ix.line_source(node)
    return ReportRow(
        id=node,
        kind=this.kind,
        name=this.name,
        role=ix.role_of(node) if this.kind == "post" else None,
        depth=depth,
        superior=superior,
        superior_name=named(ix, superior, lang).name,
        count=count,
        approximate=approximate,
        superior_unspecified=ix.is_open_target(superior),
        possibly=possibly,
        slides=slides_of(line, entry),
        status=status_of(line),
    )


def _require_line(ix: OrgIndex, node: str) -> None:
    if ix.kind(node) not in ("role", "post"):
        what = "forum or body" if ix.kind(node) == "forum" else ix.kind(node)
        raise OrgrolesError(f"{ix.label(node, 'nb')!r} is a {what}, not part of the reporting line")


def who_reports_to(
    ix: OrgIndex, name: str, all_levels: bool = False, lang: str = "nb"
) -> ReportsAnswer:
    """Return who reports to ``name`` directly, or at every level below with ``all_levels``."""
    target = ix.resolve(name)
    _require_line(ix, target)
    rows: list[ReportRow] = []
    seen = {target}
    level = [(kid, up, possibly) for kid, up, possibly in _direct(ix, target, True)]
    depth = 1
    while level:
        next_level: list[tuple[str, str, bool]] = []
        level.sort(key=lambda item: (item[2], ix.order(item[0])))
        for node, superior, possibly in level:
            if node in seen:
                continue
            seen.add(node)
            rows.append(_report_row(ix, node, superior, depth, possibly, lang))
            if all_levels:  # below a "possibly", everything is "possibly" too
                next_level.extend(
                    (kid, up, possibly or maybe) for kid, up, maybe in _direct(ix, node, False)
                )
        level, depth = next_level, depth + 1
    return ReportsAnswer(named(ix, target, lang), all_levels, tuple(rows))


# --- the line upward ---------------------------------------------------------------------


class Step(NamedTuple):
    """One step up the line: ``unspecified`` when it is one of a role's posts, not stated which."""

    id: str
    kind: str
    name: str
    unspecified: bool = False
    slides: tuple[int, ...] = ()
    status: str = "stated"


class Accountability(NamedTuple):
    """Whom the top of the line answers to outside it (the political level), and its bodies."""

    id: str
    name: str
    bodies: tuple[Named, ...] = ()
    slides: tuple[int, ...] = ()
    wording: str | None = None


class ChainAnswer(NamedTuple):
    """The line from a role or post up to the top, and what the top answers to."""

    start: Named
    chain: tuple[Step, ...] = ()
    accountable_to: tuple[Accountability, ...] = ()


def _chain(ix: OrgIndex, node: str, lang: str) -> list[Step]:
    steps, seen = [], {node}
    current = node
    while (up := ix.superior(current)) is not None and up not in seen:
        seen.add(up)
        source = ix.line_source(current)
        this = named(ix, up, lang)
        steps.append(
            Step(
                up,
                this.kind,
                this.name,
                ix.is_open_target(up),
                slides_of(source),
                status_of(source),
            )
        )
        current = up
    return steps


def _accountability(ix: OrgIndex, node: str, lang: str) -> tuple[Accountability, ...]:
    out = []
    for relation in ix.relations_from.get(node, ()):
        if relation.type != "accountable_to" or relation.to is None:
            continue
        target = relation.to.id
        bodies = ix.parts.get(target, [])
        source: Source | None = relation.source
        out.append(
            Accountability(
                target,
                ix.label(target, lang),
                tuple(named(ix, b, lang) for b in bodies),
                slides_of(source),
                source.quote if source else None,
            )
        )
    return tuple(sorted(out, key=lambda a: ix.order(a.id)))


def reports_to(ix: OrgIndex, name: str, lang: str = "nb") -> ChainAnswer:
    """Return the line from ``name`` up to the top, ending with what the top answers to."""
    start = ix.resolve(name)
    _require_line(ix, start)
    chain = _chain(ix, start, lang)
    top = chain[-1].id if chain else start
    return ChainAnswer(named(ix, start, lang), tuple(chain), _accountability(ix, top, lang))


# --- where two lines meet --------------------------------------------------------------------


class CommonAnswer(NamedTuple):
    """Where the lines of ``a`` and ``b`` meet.

    ``meet`` is the nearest superior both certainly share (None when they have different
    heads); ``possible_meet`` a nearer role both report to when the source does not say whether
    it is the same post. Each path runs from its start up to ``meet`` (inclusive).
    """

    a: Named
    b: Named
    meet: Named | None
    possible_meet: Named | None
    path_a: tuple[Step, ...] = ()
    path_b: tuple[Step, ...] = ()


def common(ix: OrgIndex, first: str, second: str, lang: str = "nb") -> CommonAnswer:
    """Return where the lines of two roles or posts meet, and each side's path there."""
    a, b = ix.resolve(first), ix.resolve(second)
    _require_line(ix, a)
    _require_line(ix, b)
    chain_a = [Step(a, *_kind_name(ix, a, lang)), *_chain(ix, a, lang)]
    chain_b = [Step(b, *_kind_name(ix, b, lang)), *_chain(ix, b, lang)]
    ids_b = {s.id for s in chain_b}
    meet: Step | None = None
    possible: Step | None = None
    for step in chain_a:
        if step.id in ids_b:
            if a != b and ix.is_open_target(step.id) and step.id not in (a, b):
                possible = possible or step
                continue
            meet = step
            break
    path_a = _path_to(chain_a, meet)
    path_b = _path_to(chain_b, meet)
    return CommonAnswer(
        named(ix, a, lang),
        named(ix, b, lang),
        Named(meet.id, meet.kind, meet.name) if meet else None,
        Named(possible.id, possible.kind, possible.name) if possible else None,
        tuple(path_a),
        tuple(path_b),
    )


def _kind_name(ix: OrgIndex, node: str, lang: str) -> tuple[str, str]:
    this = named(ix, node, lang)
    return this.kind, this.name


def _path_to(chain: list[Step], meet: Step | None) -> list[Step]:
    if meet is None:
        return chain
    out = []
    for step in chain:
        out.append(step)
        if step.id == meet.id:
            break
    return out
