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
        The reporting line: post -> the post (or role) it reports to; role -> the role (or post)
        its holders report to. A post without its own ``reports_to`` inherits its role's line.
        An edge that ends at a *role that has posts* means "one of that role's posts, the source
        does not say which" (``OrgIndex.is_open_target``). Every node has at most one ``line``
        edge out; the loader rejects cycles.
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

from typing import Any

from orgroles.model import Org

LINE = "line"


def build_graph(org: Org) -> Any:
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
        graph.add_edges_from(_edges(org))
    return graph


def _edges(org: Org) -> Any:
    role_line = {role.id: role.reports_to for role in org.roles}
    for role in org.roles:
        if role.reports_to is not None:
            yield (
                role.id,
                role.reports_to.id,
                LINE,
                {"source": role.reports_to.source or role.source},
            )
    for post in org.posts:
        line = post.reports_to
        if line is None and post.role is not None:
            line = role_line.get(post.role.id)
        if line is not None:
            yield post.id, line.id, LINE, {"source": line.source or post.source}
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


def line_superior(graph: Any, node: str) -> str | None:
    """Return the node that ``node`` reports to in the line, or None at the top."""
    for _, target, key in graph.out_edges(node, keys=True):
        if key == LINE:
            return str(target)
    return None
