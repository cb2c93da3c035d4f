"""GraphML (yEd), GEXF (Gephi) and node-link JSON, written by networkx from the export graph.

The export graph is ``OrgIndex.graph`` (see ``orgroles.graph``) with scalar attributes only, as
these formats require: nodes carry ``kind``, ``label`` (the name in ``--lang``), ``name_nb``,
``name_en``, ``role``, ``count``, ``approximate``, ``status``, ``slides`` (``"7,10"``) and, for
posts, ``holders`` (the names of those who hold it now, ``; ``-separated) and ``vacant``;
edges carry ``relation`` (also the edge key: ``line``, ``holds``, ``heads``, ``member_of`` …;
not ``type``, which GEXF reserves),
``status``, ``slides`` and, for forum members, ``participation``. Attributes a node does not
have are left out rather than written empty.
"""

import io
import json
from typing import Any

from orgroles.index import OrgIndex
from orgroles.model import Lang, Source


def _slides(source: Source | None) -> str:
    return ",".join(str(s) for s in source.slides) if source else ""


def export_graph(ix: OrgIndex, lang: Lang) -> Any:
    """Return a ``networkx.MultiDiGraph`` of the organisation with scalar attributes."""
    import networkx as nx

    graph = nx.MultiDiGraph(name=ix.org.meta.title.get(lang))
    nodes = []
    for node in sorted(ix.graph.nodes, key=ix.order):
        obj = ix.obj(node)
        attrs: dict[str, Any] = {
            "kind": ix.kind(node),
            "label": ix.label(node, lang),
            "name_nb": ix.label(node, "nb"),
            "name_en": ix.label(node, "en"),
        }
        if ix.kind(node) == "post" and ix.role_of(node):
            attrs["role"] = ix.role_of(node)
        post = ix.posts.get(node)
        if post is not None and post.holders:
            attrs["holders"] = "; ".join(h.name for h in post.holders if not h.until)
        if post is not None and post.vacant:
            attrs["vacant"] = True
        count = ix.roles[node].count if ix.kind(node) == "role" else None  # tuple.count!
        if count is not None:
            attrs["count"] = count.value
            attrs["approximate"] = count.approximate
        source = getattr(obj, "source", None)
        if source is not None:
            attrs["status"] = source.status
            if source.slides:
                attrs["slides"] = _slides(source)
        nodes.append((node, attrs))
    graph.add_nodes_from(nodes)
    edges = []
    for u, v, key, data in ix.graph.edges(keys=True, data=True):
        attrs = {"relation": key}
        source = data.get("source")
        if source is not None:
            attrs["status"] = source.status
            if source.slides:
                attrs["slides"] = _slides(source)
        if "participation" in data:
            attrs["participation"] = data["participation"]
        edges.append((u, v, key, attrs))
    edges.sort(key=lambda e: (ix.order(e[0]), ix.order(e[1]), e[2]))
    graph.add_edges_from(edges)
    return graph


def to_graphml(ix: OrgIndex, lang: Lang) -> str:
    """Return GraphML (for yEd and other GraphML readers)."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(export_graph(ix, lang), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


def to_gexf(ix: OrgIndex, lang: Lang) -> str:
    """Return GEXF 1.2 (for Gephi)."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_gexf(export_graph(ix, lang), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


def to_node_link(ix: OrgIndex, lang: Lang) -> str:
    """Return networkx's node-link JSON."""
    import networkx as nx

    data = nx.node_link_data(export_graph(ix, lang), edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
