"""The questions, as functions: graph first, plain data out (no Rich, no Typer here).

Every walk is iterative, so a line of any depth answers without a recursion limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orgroles import graph as g
from orgroles.errors import OrgrolesError
from orgroles.model import Org, Post, Role, Source
from orgroles.names import entity_index, post_label


@dataclass(frozen=True, slots=True)
class TreeRow:
    """One line of the line tree, in pre-order.

    ``kind`` is ``post`` (one position), ``role`` (a class of holders with no listed posts, e.g.
    ca. 200 tjenesteledere) or ``group`` (a role whose listed posts follow one level deeper).
    """

    id: str
    kind: str
    name: str
    depth: int
    parent: str | None
    count: int | None = None
    approximate: bool = False
    slides: tuple[int, ...] = ()
    status: str = "stated"
    note: str | None = None
    superior_unspecified: bool = False
    accountable_to: tuple[str, ...] = ()
    hidden: int = 0


@dataclass(frozen=True, slots=True)
class TreeAnswer:
    """The line as a tree: rows in pre-order, and how many rows ``--depth`` left out."""

    root: str | None
    depth: int | None
    rows: tuple[TreeRow, ...] = field(default_factory=tuple)
    hidden: int = 0


# An entry of the walk: ("line", node) or ("group", role, [posts]).
_Entry = tuple[str, str, list[str]]


class _Line:
    """The line of one graph, with the lookups a walk needs, computed once."""

    def __init__(self, org: Org, graph: Any) -> None:
        self.org = org
        self.graph = graph
        self.nodes = graph.nodes
        self.subordinates: dict[str, list[str]] = {}
        self.role_posts: dict[str, list[str]] = {}
        for node, target, key in graph.edges(keys=True):
            if key == g.LINE:
                self.subordinates.setdefault(target, []).append(node)
            elif key == "holds":
                self.role_posts.setdefault(target, []).append(node)
        order = self.order
        for lists in (self.subordinates, self.role_posts):
            for items in lists.values():
                items.sort(key=order)

    def order(self, node: str) -> int:
        return int(self.nodes[node]["order"])

    def superior(self, node: str) -> str | None:
        return g.line_superior(self.graph, node)

    def entries(self, kids: list[str]) -> list[_Entry]:
        """Group sibling posts under their role where that helps (see TreeRow)."""
        nodes = self.nodes
        out: list[tuple[int, _Entry]] = []
        by_role: dict[str, list[str]] = {}
        loose: list[str] = []
        for kid in kids:
            if nodes[kid]["kind"] == "post":
                post: Post = nodes[kid]["obj"]
                if post.role is not None:
                    by_role.setdefault(post.role.id, []).append(kid)
                else:
                    loose.append(kid)
        for kid in kids:
            if nodes[kid]["kind"] == "role":
                if kid in self.role_posts:
                    out.append((self.order(kid), ("group", kid, by_role.pop(kid, []))))
                else:
                    out.append((self.order(kid), ("line", kid, [])))
        for role, posts in by_role.items():
            if len(posts) >= 2:
                out.append((self.order(role), ("group", role, posts)))
            else:
                loose.extend(posts)
        out.extend((self.order(p), ("line", p, [])) for p in loose)
        out.sort(key=lambda item: item[0])
        return [entry for _, entry in out]

    def children(self, entry: _Entry) -> list[_Entry]:
        kind, node, posts = entry
        if kind == "line":
            return self.entries(self.subordinates.get(node, []))
        return [("line", p, []) for p in posts] + self.entries(self.subordinates.get(node, []))

    def roots(self) -> list[_Entry]:
        tops = [
            n
            for n, data in self.nodes(data=True)
            if data["kind"] in ("role", "post")
            and self.superior(n) is None
            and not (data["kind"] == "role" and n in self.role_posts)
        ]
        tops.sort(key=self.order)
        return self.entries(tops)

    def count_below(self, entry: _Entry) -> int:
        total, stack = 0, list(self.children(entry))
        while stack:
            total += 1
            stack.extend(self.children(stack.pop()))
        return total


def _slides(*sources: Source | None) -> tuple[int, ...]:
    return tuple(sorted({s for source in sources if source for s in source.slides}))


def _status(*sources: Source | None) -> str:
    statuses = {source.status for source in sources if source}
    for status in ("unspecified", "inferred"):
        if status in statuses:
            return status
    return "stated"


def _role_plural(role: Role, lang: str) -> str:
    language = "en" if lang == "en" else "nb"
    plural = role.plural.get(language) if role.plural else None
    return plural or role.name.get(language)


def _row(line: _Line, entry: _Entry, depth: int, parent: str | None, lang: str) -> TreeRow:
    kind, node, posts = entry
    nodes = line.nodes
    org_roles = {r.id: r for r in line.org.roles}
    obj = nodes[node]["obj"]
    if kind == "group" or (kind == "line" and nodes[node]["kind"] == "role"):
        role: Role = obj
        count = role.count.value if role.count else (len(posts) or None)
        approximate = bool(role.count and role.count.approximate)
        singular = count == 1 and not approximate
        name = (
            role.name.get("en" if lang == "en" else "nb") if singular else _role_plural(role, lang)
        )
        line_source = role.reports_to.source if role.reports_to else None
        # A group's members say where the group sits; a role without posts speaks for itself.
        note = _unspecified_note(line, posts[0] if posts else node, lang)
        return TreeRow(
            id=node,
            kind="group" if kind == "group" else "role",
            name=name,
            depth=depth,
            parent=parent,
            count=count,
            approximate=approximate,
            slides=_slides(role.source, role.count.source if role.count else None, line_source),
            status=_status(line_source),
            note=note,
            superior_unspecified=note is not None,
            accountable_to=_accountable_to(line, node, lang),
        )
    post: Post = obj
    role_obj = org_roles.get(post.role.id) if post.role else None
    unit = nodes[post.heads.id]["obj"] if post.heads else None
    name = (
        post_label(
            post.title,
            post.portfolio,
            role_obj.name if role_obj else None,
            unit.name if unit else None,
            lang,
        )
        or post.id
    )
    line_source = post.reports_to.source if post.reports_to else None
    note = _unspecified_note(line, node, lang)
    if (
        note
        and post.role
        and parent == post.role.id
        and (line.superior(node) == line.superior(post.role.id))
    ):
        note = None  # the group row above already says it
    return TreeRow(
        id=node,
        kind="post",
        name=name,
        depth=depth,
        parent=parent,
        slides=_slides(post.source, line_source),
        status=_status(post.source),
        note=note,
        superior_unspecified=note is not None,
        accountable_to=_accountable_to(line, node, lang),
    )


def _unspecified_note(line: _Line, node: str, lang: str) -> str | None:
    target = line.superior(node)
    if target is None or not g.is_unspecified_line(line.graph, target):
        return None
    role: Role = line.nodes[target]["obj"]
    if lang == "en":
        return f"reports to one of the {_role_plural(role, lang)}; the source does not say which"
    return f"rapporterer til en {role.name.get('nb')}; kilden sier ikke hvilken"


def _accountable_to(line: _Line, node: str, lang: str) -> tuple[str, ...]:
    names = []
    for _, target, key in line.graph.out_edges(node, keys=True):
        if key == "accountable_to":
            names.append(line.nodes[target]["obj"].name.get("en" if lang == "en" else "nb"))
    return tuple(sorted(names))


def line_tree(
    org: Org, graph: Any, name: str | None = None, depth: int | None = None, lang: str = "nb"
) -> TreeAnswer:
    """Return the reporting line as a tree, from the top or from ``name``, to ``depth`` levels."""
    line = _Line(org, graph)
    root_id: str | None = None
    if name is None:
        starts = line.roots()
    else:
        root_id = entity_index(org).resolve(name)
        starts = [_start_entry(line, root_id)]
    rows: list[TreeRow] = []
    hidden_total = 0
    seen: set[tuple[str, str]] = set()
    stack: list[tuple[_Entry, int, str | None]] = [(e, 0, None) for e in reversed(starts)]
    while stack:
        entry, level, parent = stack.pop()
        mark = (entry[0], entry[1])
        if mark in seen and entry[0] == "line":
            continue
        seen.add(mark)
        kids = line.children(entry)
        if depth is not None and level >= depth and kids:
            below = line.count_below(entry)
            hidden_total += below
            rows.append(_with_hidden(_row(line, entry, level, parent, lang), below))
            continue
        rows.append(_row(line, entry, level, parent, lang))
        stack.extend((kid, level + 1, entry[1]) for kid in reversed(kids))
    return TreeAnswer(root=root_id, depth=depth, rows=tuple(rows), hidden=hidden_total)


def _with_hidden(row: TreeRow, hidden: int) -> TreeRow:
    from dataclasses import replace

    return replace(row, hidden=hidden)


def _start_entry(line: _Line, node: str) -> _Entry:
    kind = line.nodes[node]["kind"]
    if kind == "role":
        posts = line.role_posts.get(node, [])
        return ("group", node, posts) if posts else ("line", node, [])
    if kind == "post":
        return ("line", node, [])
    if kind == "unit":
        heads = [src for src, _, key in line.graph.in_edges(node, keys=True) if key == "heads"]
        if heads:
            return ("line", sorted(heads, key=line.order)[0], [])
        raise OrgrolesError(f"no post heads the unit {node!r}, so it has no place in the line")
    raise OrgrolesError(f"{node!r} is a forum or body, not part of the reporting line")
