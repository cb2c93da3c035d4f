"""Build the networkx graph of an organisation. The graph's conventions are defined here only.

Nodes
    One node per role, post, unit and forum, keyed by its id. Attributes: ``kind`` (``"role"``,
    ``"post"``, ``"unit"`` or ``"forum"``), ``order`` (position in the file, for stable output)
    and ``obj`` (the model object).

Edges
    A ``networkx.MultiDiGraph``; the edge key is the edge type, and every edge points from the
    subordinate or actor to the superior or target. Each edge carries ``source`` (a
    ``model.Source`` or ``None``).

    ``line``
        The reporting line (``orgroles.line``), from every post and every class (a role without
        listed posts) to the post, class or role it reports to; a post without its own
        ``reports_to`` takes its role's. An edge that ends at a *role that has posts* means "one
        of that role's posts, the source does not say which": follow that role's ``holds``
        edges backwards to its posts. A role with posts has no ``line`` edge of its own (its
        ``reports_to`` is the default of its posts). Every node has at most one ``line`` edge
        out; the loader rejects cycles, through such roles too.
    ``holds``
        post -> its role.
    ``heads``
        post -> the unit it heads.
    ``part_of``
        unit -> unit, forum -> forum.
    ``member_of``
        role/post/unit/forum -> forum; attribute ``participation`` (``member`` or ``attends``).
    ``advises``, ``accountable_to``, ``cooperates_with``, ``dialogue_partner``, ``facilitates``,
    ``result_agreement``, ``supports``
        The file's relations. A relation whose ``to`` is unstated (null) has no edge; it stays in
        ``Org.relations``.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Any

from orgroles.line import Line, line_of
from orgroles.model import Org, line_source

LINE = "line"


def build_graph(org: Org, line: Line | None = None) -> Any:
    """Return the organisation as a ``networkx.MultiDiGraph`` (conventions above)."""
    import networkx as nx

    from orgroles.load import gc_paused

    graph = nx.MultiDiGraph()
    with gc_paused():
        order = 0
        for kind, entities in (
            ("role", org.roles),
            ("post", org.posts),
            ("unit", org.units),
            ("forum", org.forums),
        ):
            nodes = []
            for entity in entities:
                nodes.append((entity.id, {"kind": kind, "order": order, "obj": entity}))
                order += 1
            graph.add_nodes_from(nodes)
        graph.add_edges_from(edges_of(org, line or line_of(org)))
    return graph


Edge = tuple[str, str, str, dict[str, Any]]


def edges_of(org: Org, line: Line) -> Iterator[Edge]:
    """Every edge of the graph as (source, target, type, attributes), entity by entity in
    the file's order (an edge given twice: the graph keeps the last one's attributes)."""
    roles = {role.id: role for role in org.roles}
    for role in org.roles:
        yield from _role_edges(role, line)
    for post in org.posts:
        yield from _post_edges(post, line, roles)
    for unit in org.units:
        yield from _part_edges(unit)
    for forum in org.forums:
        yield from _part_edges(forum)
        yield from _member_edges(forum)
    yield from _relation_edges(org)


def sorted_edges(ix: Any) -> Iterator[Edge]:
    """The edges of ``edges_of`` as the graph holds them (one per source, target and type:
    the last given), by their source's place in the file, their target's, their type.

    Without building the graph, and holding little: the edges an entry states of itself
    come entry by entry; only forum members and relations, stated elsewhere, are gathered
    first. ``ix`` is an ``orgroles.index.OrgIndex``."""
    org, line, order = ix.org, ix.line, ix.order
    others: dict[str, list[Edge]] = {}
    for forum in org.forums:
        for edge in _member_edges(forum):
            others.setdefault(edge[0], []).append(edge)
    for edge in _relation_edges(org):
        others.setdefault(edge[0], []).append(edge)
    roles = {role.id: role for role in org.roles}
    by_entity = chain(
        ((role.id, list(_role_edges(role, line))) for role in org.roles),
        ((post.id, _post_edges(post, line, roles)) for post in org.posts),
        ((unit.id, list(_part_edges(unit))) for unit in org.units),
        ((forum.id, list(_part_edges(forum))) for forum in org.forums),
    )  # (in the order of ix.ids(): roles, posts, units, forums)

    def place(edge: Edge) -> tuple[int, str]:
        return order(edge[1]), edge[2]

    for node, own in by_entity:  # an entry's own edges differ in type: never the same pair
        extra = others.pop(node, None) if others else None
        if extra:
            group = {(edge[1], edge[2]): edge for edge in own}
            for edge in extra:
                group.pop((edge[1], edge[2]), None)  # the last one given is kept, in its place
                group[edge[1], edge[2]] = edge
            own = list(group.values())
        if len(own) == 2:  # (most posts: their line and their role)
            first, second = own
            if place(second) < place(first):
                yield second
                yield first
                continue
        elif len(own) > 2:
            own.sort(key=place)
        yield from own


def _post_edges(post: Any, line: Line, roles: dict[str, Any]) -> list[Edge]:
    """A post's line, ``holds`` and ``heads`` (a list: no generator for a million posts)."""
    edges: list[Edge] = []
    target = line.target.get(post.id)
    if target is not None:
        by = line.declared_by[post.id]
        entry = post if by == post.id else roles[by]
        edges.append((post.id, target, LINE, {"source": line_source(entry)}))
    if post.role is not None:
        edges.append((post.id, post.role.id, "holds", {"source": post.role.source or post.source}))
    if post.heads is not None:
        edges.append(
            (post.id, post.heads.id, "heads", {"source": post.heads.source or post.source})
        )
    return edges


def _role_edges(role: Any, line: Line) -> Iterator[Edge]:
    if role.id in line.target:
        yield role.id, line.target[role.id], LINE, {"source": line_source(role)}


def _part_edges(entity: Any) -> Iterator[Edge]:
    """A unit's or a forum's ``part_of``."""
    if entity.part_of is not None:
        source = entity.part_of.source or entity.source
        yield entity.id, entity.part_of.id, "part_of", {"source": source}


def _member_edges(forum: Any) -> Iterator[Edge]:
    for member in forum.members:
        yield (
            member.id,
            forum.id,
            "member_of",
            {"source": member.source or forum.source, "participation": member.participation},
        )


def _relation_edges(org: Org) -> Iterator[Edge]:
    for relation in org.relations:
        if relation.to is not None:
            yield relation.from_.id, relation.to.id, relation.type, {"source": relation.source}
