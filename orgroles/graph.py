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


def edges_of(org: Org, line: Line) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Every edge of the graph as (source, target, type, attributes), entity by entity in
    the file's order (an edge given twice: the graph keeps the last one's attributes)."""
    roles = {role.id: role for role in org.roles}
    for role in org.roles:
        if role.id in line.target:
            yield role.id, line.target[role.id], LINE, {"source": line_source(role)}
    for post in org.posts:
        if post.id in line.target:
            by = line.declared_by[post.id]
            entry = post if by == post.id else roles[by]
            yield post.id, line.target[post.id], LINE, {"source": line_source(entry)}
        if post.role is not None:
            yield post.id, post.role.id, "holds", {"source": post.role.source or post.source}
        if post.heads is not None:
            yield post.id, post.heads.id, "heads", {"source": post.heads.source or post.source}
    for unit in org.units:
        if unit.part_of is not None:
            yield (
                unit.id,
                unit.part_of.id,
                "part_of",
                {"source": unit.part_of.source or unit.source},
            )
    for forum in org.forums:
        if forum.part_of is not None:
            yield (
                forum.id,
                forum.part_of.id,
                "part_of",
                {"source": forum.part_of.source or forum.source},
            )
        for member in forum.members:
            yield (
                member.id,
                forum.id,
                "member_of",
                {"source": member.source or forum.source, "participation": member.participation},
            )
    for relation in org.relations:
        if relation.to is not None:
            yield relation.from_.id, relation.to.id, relation.type, {"source": relation.source}
