"""A deliberately simple, slow reference implementation of docs/data-format.md#the-line.

It works on the validated plain data and lists every chain explicitly: no counting, no
topological orders, nothing shared with ``orgroles.line``. Tests compare every answer of the
tool with it on generated organisations (tests/test_line_oracle.py).
"""

from __future__ import annotations

from typing import Any

Chain = tuple[str, ...]


class Oracle:
    """The line of one organisation, answered by listing chains."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.roles = {r["id"]: r for r in data.get("roles", [])}
        self.posts = {p["id"]: p for p in data.get("posts", [])}
        self.order = {k: i for i, k in enumerate([*self.roles, *self.posts])}
        self.role_posts = {
            r: [p for p, post in self.posts.items() if (post.get("role") or {}).get("id") == r]
            for r in self.roles
        }
        self.nodes = [r for r in self.roles if not self.role_posts[r]] + list(self.posts)

    # --- the rules of the spec, one by one --------------------------------------------------

    def target(self, node: str) -> str | None:
        """The line a node declares, or (a post without one) its role's."""
        if node in self.roles:
            ref = self.roles[node].get("reports_to")
            return ref["id"] if ref else None
        post = self.posts[node]
        if post.get("reports_to"):
            return str(post["reports_to"]["id"])
        if post.get("role"):
            ref = self.roles[post["role"]["id"]].get("reports_to")
            return ref["id"] if ref else None
        return None

    def candidates(self, node: str) -> list[str]:
        up = self.target(node)
        if up is None:
            return []
        if up in self.roles and self.role_posts[up]:
            return list(self.role_posts[up])
        return [up]

    def chains(self, node: str) -> list[Chain]:
        """Every chain from ``node`` (itself first) to a node without a superior."""
        ups = self.candidates(node)
        if not ups:
            return [(node,)]
        return [(node, *rest) for up in ups for rest in self.chains(up)]

    def start(self, node: str) -> list[str]:
        return self.role_posts.get(node) or [node]

    def chains_from(self, starts: list[str]) -> list[Chain]:
        return [c for s in starts for c in self.chains(s)]

    def step_of(self, chains: list[Chain]) -> dict[str, int]:
        step: dict[str, int] = {}
        for chain in chains:
            for i, node in enumerate(chain):
                step[node] = max(step.get(node, 0), i)
        return step

    # --- the questions ----------------------------------------------------------------------

    def steps(self, starts: list[str]) -> list[tuple[tuple[str, ...], bool, bool]]:
        """(candidates, possibly, open) for each step from 0."""
        chains = self.chains_from(starts)
        step = self.step_of(chains)
        out = []
        for k in range(max(step.values()) + 1):
            nodes = sorted((n for n, s in step.items() if s == k), key=self.order.__getitem__)
            possibly = any(not any(step[n] == k for n in chain) for chain in chains)
            opened = any(
                len({n for c in self.chains(s) for n in c if step[n] == k}) > 1 for s in starts
            )
            out.append((tuple(nodes), possibly, opened))
        return out

    def certain(self, starts: list[str]) -> list[str]:
        chains = self.chains_from(starts)
        step = self.step_of(chains)
        found = [n for n in step if all(n in c for c in chains)]
        return sorted(found, key=step.__getitem__)

    def under(self, node: str, all_levels: bool) -> list[tuple[str, int, bool]]:
        """(id, depth, possibly) of the nodes below ``node``, sorted as the tool sorts them."""
        goal = set(self.start(node))
        rows = []
        for x in self.nodes:
            if not all_levels:
                ups = set(self.candidates(x))
                if ups & goal:
                    rows.append((x, 1, not ups <= goal))
                continue
            above = [c[1:] for c in self.chains(x)]
            hitting = [c for c in above if goal & set(c)]
            if not hitting:
                continue
            depth = max(next(i for i, n in enumerate(c) if n in goal) + 1 for c in hitting)
            rows.append((x, depth, len(hitting) < len(above)))
        return sorted(rows, key=lambda r: (r[1], r[2], self.order[r[0]]))

    def meet(self, a: str, b: str) -> tuple[str | None, tuple[str, ...]]:
        ca, cb = self.chains_from(self.start(a)), self.chains_from(self.start(b))
        sa, sb = self.step_of(ca), self.step_of(cb)
        sure = [n for n in sa if n in sb and all(n in c for c in ca) and all(n in c for c in cb)]
        meet = min(sure, key=sa.__getitem__) if sure else None
        maybe = [
            n
            for n in sa
            if n in sb and n not in sure and (meet is None or sa[n] < sa[meet])
        ]
        if not maybe:
            return meet, ()
        best = min(sa[n] + sb[n] for n in maybe)
        nearest = sorted((n for n in maybe if sa[n] + sb[n] == best), key=self.order.__getitem__)
        return meet, tuple(nearest)

    def level(self, node: str) -> tuple[int, int]:
        lengths = [len(c) - 1 for c in self.chains(node)]
        return min(lengths), max(lengths)

    def tree_parents(self) -> dict[str, str | None]:
        """Row key -> parent key of the whole tree (None at the top)."""
        place: dict[str, str] = {}

        def place_of(node: str) -> str:
            if node not in place:
                ups = self.candidates(node)
                if not ups:
                    place[node] = ""
                elif len(ups) == 1:
                    place[node] = ups[0]
                else:
                    role = self.target(node)
                    assert role is not None
                    spots = {place_of(p) for p in self.role_posts[role]}
                    if len(spots) == 1:
                        place[node] = f"{role}@{spots.pop()}"
                    else:
                        certain = self.certain(self.role_posts[role])
                        place[node] = certain[0] if certain else ""
            return place[node]

        parents: dict[str, str | None] = {}
        for node in self.nodes:
            spot = place_of(node)
            role = (self.posts.get(node, {}).get("role") or {}).get("id")
            mates = [p for p in self.role_posts.get(role, []) if place_of(p) == spot]
            if role is not None and len(mates) >= 2:
                group = f"{role}@{spot}"
                parents[group] = spot or None
                parents[node] = group
            else:
                parents[node] = spot or None
        return parents

    def line_edges(self) -> set[tuple[str, str]]:
        return {(n, t) for n in self.nodes if (t := self.target(n)) is not None}
