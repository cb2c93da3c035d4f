"""The reporting line, computed once: every rule of docs/data-format.md#the-line lives here.

Nodes of the line are *posts* and *classes* (roles without listed posts, e.g. ca. 200
tjenesteledere). A role *with* listed posts is not a node of its own: a line that ends at it means
"one of its posts, the source does not say which".

Each node has a *target*: the post, class or role its own ``reports_to`` names, else (for a post)
its role's ``reports_to``; none at the top. Its *candidates* are the nodes one of which is its
superior: the target itself, or every post of a target role. A *chain* is a path upward from a
node through one candidate at each step to a node without a target. Every question about the
line is answered from the chains:

- a superior is *certain* when it lies on every chain, *possible* when on some;
- a superior's *step* is its longest distance along the chains (so a step is never below one it
  reports to), and a step is *possibly* when some chain passes none of its nodes;
- X is *below* T when some chain of X passes T; *possibly* below when some chain avoids T.

The chains are counted, never listed: a node lies on every chain exactly when the number of
chains through it equals the number of chains.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from orgroles.model import Org


class Step(NamedTuple):
    """One step up: the nodes at this longest distance; ``possibly`` when a chain may skip
    it; ``open`` when the chains of one start reach several of them (the source leaves open
    which), rather than different starts (the posts of a role) reaching different ones."""

    candidates: tuple[str, ...]
    possibly: bool
    open: bool = False


class Below(NamedTuple):
    """A node below a target: its depth (longest distance to the first target node it meets)
    and whether some chain of it avoids the target."""

    id: str
    depth: int
    possibly: bool


class Meet(NamedTuple):
    """Where two lines meet: the nearest certain common node, and nearer possible ones."""

    meet: str | None
    possible: tuple[str, ...]
    steps_a: tuple[Step, ...]
    steps_b: tuple[Step, ...]


class _Reach(NamedTuple):
    nodes: list[str]  # reached nodes (starts included), in topological order (lowest first)
    step: dict[str, int]
    through: dict[str, int]
    total: int


class Line:
    """The line of one organisation, built from each role's and post's declared ``reports_to``.

    ``roles`` yields ``(id, reports_to)`` and ``posts`` ``(id, role, reports_to)`` in file order;
    references must exist (the checks report those that do not before a Line is built).
    """

    order: MutableMapping[str, int]  # node -> its place in the file
    role_posts: MutableMapping[str, list[str]]
    post_role: MutableMapping[str, str]
    classes: Sequence[str]
    posts: Sequence[str]
    target: MutableMapping[str, str]
    declared_by: MutableMapping[str, str]  # node -> the entry whose reports_to gives its line
    below: MutableMapping[str, list[str]]

    def __init__(
        self,
        roles: Iterable[tuple[str, str | None]],
        posts: Iterable[tuple[str, str | None, str | None]],
    ) -> None:
        role_line: dict[str, str | None] = {}
        order: dict[str, int] = {}
        for role_id, up in roles:
            role_line[role_id] = up
            order[role_id] = len(order)
        role_posts: dict[str, list[str]] = {}
        post_role: dict[str, str] = {}
        post_ids: list[str] = []
        post_target: dict[str, str] = {}
        post_by: dict[str, str] = {}
        for post_id, role, up in posts:  # (every role is known by now)
            post_ids.append(post_id)
            order[post_id] = len(order)
            by = post_id
            if role is not None:
                found = role_posts.get(role)
                if found is None:
                    role_posts[role] = [post_id]
                else:
                    found.append(post_id)
                post_role[post_id] = role
                if up is None:
                    up, by = role_line.get(role), role
            if up is not None:
                post_target[post_id] = up
                post_by[post_id] = by
        # The classes (roles without posts) first, then the posts: file order.
        target: dict[str, str] = {}
        declared_by: dict[str, str] = {}
        classes = [r for r in role_line if r not in role_posts]
        for role_id in classes:
            up = role_line[role_id]
            if up is not None:
                target[role_id] = up
                declared_by[role_id] = role_id
        target.update(post_target)
        declared_by.update(post_by)
        below: dict[str, list[str]] = {}
        for node, up in target.items():  # in file order: the classes (roles), then the posts
            found = below.get(up)
            if found is None:
                below[up] = [node]
            else:
                found.append(node)
        self.order, self.role_posts, self.post_role = order, role_posts, post_role
        self.classes, self.posts = classes, post_ids
        self.target, self.declared_by, self.below = target, declared_by, below

    # --- nodes and their neighbours ------------------------------------------------------

    def nodes(self) -> list[str]:
        """Return every node of the line (classes and posts) in file order (roles come
        before posts in a file's order)."""
        return [*self.classes, *self.posts]

    def is_node(self, node: str) -> bool:
        """Tell whether ``node`` is a node of the line (a post or a class)."""
        return node in self.order and node not in self.role_posts

    def post_count(self, node: str) -> int:
        """Return how many posts a role has (0 for anything else), without listing them."""
        return len(self.role_posts.get(node, ()))

    def is_open(self, node: str) -> bool:
        """Tell whether a line to ``node`` leaves open which post (a role with posts)."""
        return node in self.role_posts

    def start(self, node: str) -> tuple[str, ...]:
        """Return the nodes a question about ``node`` starts from: a role's posts, else itself."""
        return tuple(self.role_posts.get(node, (node,)))

    def candidates(self, node: str) -> Sequence[str]:
        """Return the nodes one of which is ``node``'s superior (empty at the top)."""
        up = self.target.get(node)
        if up is None:
            return ()
        return self.role_posts.get(up) or (up,)

    def reporting(self, node: str) -> list[str]:
        """Return the nodes that have ``node`` among their candidates, in file order."""
        found = list(self.below.get(node, ()))
        role = self.post_role.get(node)
        if role is not None and role in self.below:
            found += self.below[role]
            found.sort(key=self.order.__getitem__)
        return found

    # --- chains upward --------------------------------------------------------------------

    def _reach(self, starts: Sequence[str]) -> _Reach:
        """Count the chains from ``starts``: through each reached node, and in all."""
        seen = set(starts)
        todo = list(starts)
        indegree: dict[str, int] = dict.fromkeys(starts, 0)
        while todo:
            node = todo.pop()
            for up in self.candidates(node):
                indegree[up] = indegree.get(up, 0) + 1
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
        ready = [n for n in starts if indegree[n] == 0]
        ordered: list[str] = []
        while ready:
            node = ready.pop()
            ordered.append(node)
            for up in self.candidates(node):
                indegree[up] -= 1
                if indegree[up] == 0:
                    ready.append(up)
        start_set = set(starts)
        down = {n: int(n in start_set) for n in ordered}  # chains from a start to n
        step = dict.fromkeys(ordered, 0)
        for node in ordered:
            for up in self.candidates(node):
                down[up] += down[node]
                step[up] = max(step[up], step[node] + 1)
        top: dict[str, int] = {}  # chains from n to a top
        for node in reversed(ordered):
            above = self.candidates(node)
            top[node] = sum(top[u] for u in above) if above else 1
        through = {n: down[n] * top[n] for n in ordered}
        total = sum(top[s] for s in start_set)
        return _Reach(ordered, step, through, total)

    def steps(self, starts: Sequence[str]) -> list[Step]:
        """Return the steps of the chains from ``starts``; step 0 holds the starts themselves."""
        return self._steps_of(self._reach(starts), starts)

    def certain(self, starts: Sequence[str]) -> list[str]:
        """Return the nodes on every chain from ``starts``, lowest first."""
        reach = self._reach(starts)
        found = [n for n in reach.nodes if reach.through[n] == reach.total]
        return sorted(found, key=reach.step.__getitem__)

    def meet(self, a: Sequence[str], b: Sequence[str]) -> Meet:
        """Return where the chains from ``a`` and from ``b`` meet.

        ``meet`` is the lowest node on every chain of both (None when the lines have different
        tops); ``possible`` the nodes below it on some chain of each, not on all of both, with
        the least sum of steps (several when they tie).
        """
        ra, rb = self._reach(a), self._reach(b)
        both = [n for n in ra.nodes if n in rb.step]
        sure = [n for n in both if ra.through[n] == ra.total and rb.through[n] == rb.total]
        meet = min(sure, key=ra.step.__getitem__) if sure else None
        limit = ra.step[meet] if meet is not None else None
        maybe = [n for n in both if n not in sure and (limit is None or ra.step[n] < limit)]
        possible: tuple[str, ...] = ()
        if maybe:
            best = min(ra.step[n] + rb.step[n] for n in maybe)
            possible = tuple(
                sorted(
                    (n for n in maybe if ra.step[n] + rb.step[n] == best),
                    key=self.order.__getitem__,
                )
            )
        steps_a, steps_b = self._steps_of(ra, a), self._steps_of(rb, b)
        return Meet(meet, possible, tuple(steps_a), tuple(steps_b))

    def _steps_of(self, reach: _Reach, starts: Sequence[str]) -> list[Step]:
        grouped: dict[int, list[str]] = {}
        for node in reach.nodes:
            grouped.setdefault(reach.step[node], []).append(node)
        crowded = [k for k, nodes in grouped.items() if len(nodes) > 1]
        opened: set[int] = set()
        if crowded and len(starts) == 1:
            opened = set(crowded)
        elif crowded:  # does one start reach several nodes of a step?
            for start in starts:
                hits: dict[int, int] = {}
                for node in self._above(start):
                    number = reach.step[node]
                    hits[number] = hits.get(number, 0) + 1
                opened.update(k for k, n in hits.items() if n > 1)
                if len(opened) == len(crowded):
                    break
        return [
            Step(
                tuple(sorted(grouped[k], key=self.order.__getitem__)),
                sum(reach.through[n] for n in grouped[k]) < reach.total,
                k in opened,
            )
            for k in sorted(grouped)
        ]

    def _above(self, start: str) -> set[str]:
        """Return ``start`` and every node on its chains."""
        seen = {start}
        todo = [start]
        while todo:
            for up in self.candidates(todo.pop()):
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
        return seen

    # --- chains downward ------------------------------------------------------------------

    def under(self, targets: Sequence[str], all_levels: bool) -> list[Below]:
        """Return the nodes below ``targets`` (directly, or at every level with ``all_levels``).

        Sorted by depth, then certain before possibly, then file order.
        """
        goal = set(targets)
        if not all_levels:
            rows = {}
            for node in targets:
                for kid in self.reporting(node):
                    rows[kid] = Below(kid, 1, not set(self.candidates(kid)) <= goal)
            return _sorted(rows.values(), self.order)
        # Every node with a chain through a target, found downward; then, lowest first,
        # the longest distance to the first target met and whether a chain avoids the targets.
        found: set[str] = set()
        todo = list(targets)
        while todo:
            node = todo.pop()
            for kid in self.reporting(node):
                if kid not in found:
                    found.add(kid)
                    todo.append(kid)
        pending = {n: sum(1 for u in self.candidates(n) if u in found) for n in found}
        ready = [n for n, k in pending.items() if k == 0]
        depth: dict[str, int] = {}
        avoids: dict[str, bool] = {}  # some chain from n (n excluded) avoids the targets
        rows = {}
        while ready:
            node = ready.pop()
            above = self.candidates(node)
            best, miss = 0, not above
            for up in above:
                if up in goal:
                    best = max(best, 1)
                elif up in found:
                    best = max(best, depth[up] + 1)
                    miss = miss or avoids[up]
                else:
                    miss = True
            depth[node], avoids[node] = best, miss
            rows[node] = Below(node, best, miss)
            for kid in self.reporting(node):
                if kid in pending:
                    pending[kid] -= 1
                    if pending[kid] == 0:
                        ready.append(kid)
        return _sorted(rows.values(), self.order)

    # --- the whole line -------------------------------------------------------------------

    def levels(self) -> dict[str, tuple[int, int]]:
        """Return every node's (shortest, longest) chain length: 0 at the top."""
        level: dict[str, tuple[int, int]] = {}
        role_level: dict[str, tuple[int, int]] = {}
        for start in self.nodes():
            if start in level:
                continue
            stack = [start]
            while stack:  # settle what is above a node first, without recursion
                node = stack[-1]
                if node in level:
                    stack.pop()
                    continue
                up = self.target.get(node)
                if up is None:
                    level[node] = (0, 0)
                    stack.pop()
                    continue
                if up in self.role_posts:
                    if up not in role_level:
                        waiting = [p for p in self.role_posts[up] if p not in level]
                        if waiting:
                            stack.extend(waiting)
                            continue
                        pairs = [level[p] for p in self.role_posts[up]]
                        role_level[up] = (min(p[0] for p in pairs), max(p[1] for p in pairs))
                    low, high = role_level[up]
                elif up in level:
                    low, high = level[up]
                else:
                    stack.append(up)
                    continue
                level[node] = (low + 1, high + 1)
                stack.pop()
        return level

    def cycles(self) -> list[list[str]]:
        """Return each reporting cycle, a line to a role standing for all its posts.

        Each is rotated to start at its least id; roles appear where a line passes one.
        """
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        found: list[list[str]] = []
        for start in self.target:
            if start in state:
                continue
            path: list[str] = []
            stack: list[tuple[str, int]] = [(start, 0)]
            while stack:
                node, i = stack.pop()
                if i == 0:
                    if state.get(node) == 2:
                        continue
                    state[node] = 1
                    path.append(node)
                nexts = self._successors(node)
                if i < len(nexts):
                    stack.append((node, i + 1))
                    up = nexts[i]
                    mark = state.get(up)
                    if mark == 1:
                        cycle = path[path.index(up) :]
                        low = cycle.index(min(cycle))
                        found.append(cycle[low:] + cycle[:low])
                    elif mark is None:
                        stack.append((up, 0))
                else:
                    state[node] = 2
                    path.pop()
        unique = {tuple(c) for c in found}
        return sorted(list(c) for c in unique)

    def _successors(self, node: str) -> Sequence[str]:
        if node in self.role_posts:
            return self.role_posts[node]
        up = self.target.get(node)
        return (up,) if up is not None else ()


def line_of(org: Org) -> Line:
    """Return the line of a loaded organisation."""
    return Line(
        ((r.id, r.reports_to.id if r.reports_to else None) for r in org.roles),
        (
            (p.id, p.role.id if p.role else None, p.reports_to.id if p.reports_to else None)
            for p in org.posts
        ),
    )


def _sorted(rows: Iterable[Below], order: Mapping[str, int]) -> list[Below]:
    return sorted(rows, key=lambda r: (r.depth, r.possibly, order[r.id]))
