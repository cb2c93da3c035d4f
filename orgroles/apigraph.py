"""The reporting line as a plain ``networkx.DiGraph``, for analysts (``Organisation.graph()``).

Every edge points upward, from the subordinate towards its superior, so ``nx.descendants(G, x)``
is everything that may be above ``x`` and ``nx.ancestors(G, x)`` everything below it. The
graph is acyclic (the loader rejects reporting cycles).

Nodes (keyed by id)
    ``kind``
        ``"post"`` (one position), ``"class"`` (a role whose holders are not listed, such as
        the ca. 200 tjenesteledere: one node for all of them) or ``"role"`` (a role with listed
        posts; present only where a line ends at it, meaning "one of its posts, the source does
        not say which").
    ``name_nb``, ``name_en``
        The display name in bokmål and English.
    ``role``
        The role id: a post's role (``None`` without one), a class's or a role's own id.
    ``count``, ``approximate``
        How many hold it: 1 for a post; a class's or role's count (``approximate`` for "ca.";
        a role without a stated count counts its posts).
    ``unit``
        The unit a post heads, else ``None``.

Edges
    ``relation``
        ``"line"``: a post's or class's own line to its superior (at most one out of each);
        ``"candidate"``: from a role node to each of its posts, one of which is meant.
    ``one_of``
        ``True`` where the source leaves open which post: a line into a role node, and that
        role node's ``candidate`` edges. The edges with ``one_of`` false are the certain lines.
    ``status``, ``slides``
        The source of the line: ``"stated"``, ``"inferred"`` or ``"unspecified"``, and its slide
        numbers (a tuple of ints; empty when none).

A line to a role with exactly one post goes straight to that post (``one_of`` false), as every
answer of the CLI reads it. The graph's ``name`` is the file's title in bokmål.
"""

from __future__ import annotations

from typing import Any

from orgroles.index import OrgIndex
from orgroles.model import Source
from orgroles.queries.common import is_one_of, role_count, superior_of


def _source(source: Source | None) -> dict[str, Any]:
    if source is None:
        return {"status": "unspecified", "slides": ()}
    return {"status": source.status, "slides": tuple(source.slides)}


def _node(ix: OrgIndex, node: str, kind: str) -> dict[str, Any]:
    post = ix.posts.get(node)
    count, approximate = (1, False) if kind == "post" else role_count(ix, node)
    return {
        "kind": kind,
        "name_nb": ix.label(node, "nb"),
        "name_en": ix.label(node, "en"),
        "role": ix.role_of(node),
        "count": count,
        "approximate": approximate,
        "unit": post.heads.id if post is not None and post.heads is not None else None,
    }


def line_graph(ix: OrgIndex) -> Any:
    """Return the reporting line of ``ix`` as a ``networkx.DiGraph`` (conventions above)."""
    import networkx as nx

    graph = nx.DiGraph(name=ix.org.meta.title.get("nb"))
    line = ix.line
    opened: list[str] = []
    for node in line.nodes():
        graph.add_node(node, **_node(ix, node, "post" if node in ix.posts else "class"))
    for node in line.nodes():
        up = superior_of(ix, node)
        if up is None:
            continue
        one_of = is_one_of(ix, up)
        if one_of and up not in graph:
            graph.add_node(up, **_node(ix, up, "role"))
            opened.append(up)
        graph.add_edge(node, up, relation="line", one_of=one_of, **_source(ix.line_source(node)))
    for role in opened:
        for post in line.role_posts[role]:
            entry = ix.posts[post]
            source = entry.role.source if entry.role and entry.role.source else entry.source
            graph.add_edge(role, post, relation="candidate", one_of=True, **_source(source))
    return graph
