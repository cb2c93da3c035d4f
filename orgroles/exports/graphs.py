"""GraphML (yEd), GEXF (Gephi) and node-link JSON of the export graph, written as a stream.

The export graph is ``OrgIndex.graph`` (see ``orgroles.graph``) with scalar attributes only, as
these formats require: nodes carry ``kind``, ``label`` (the name in ``--lang``), ``name_nb``,
``name_en``, ``role``, ``count``, ``approximate``, ``status``, ``slides`` (``"7,10"``) and, for
posts, ``holders`` (the names of those who hold it now, ``; ``-separated) and ``vacant``;
edges carry ``relation`` (also the edge key: ``line``, ``holds``, ``heads``, ``member_of`` …;
not ``type``, which GEXF reserves),
``status``, ``slides`` and, for forum members, ``participation``. Attributes a node does not
have are left out rather than written empty.

Nodes are written in file order, edges by their source's place, then their target's, then
their type. Each format is written node by node (``*_chunks``), never built whole in memory
(networkx's writers build an XML tree of the whole graph first: 9 GiB at a million posts);
``export_graph`` gives the same graph as a ``networkx.MultiDiGraph``, and the tests read every
format back with networkx and compare it with that graph.
"""

import re
from collections.abc import Iterator
from typing import Any

from orgroles import __version__
from orgroles.index import OrgIndex
from orgroles.jsontext import encoder
from orgroles.model import Lang, Source

# Every attribute a node or an edge may carry, and its type (GraphML and GEXF declare them).
NODE_ATTRIBUTES = (
    ("kind", "string"),
    ("label", "string"),
    ("name_nb", "string"),
    ("name_en", "string"),
    ("role", "string"),
    ("holders", "string"),
    ("vacant", "boolean"),
    ("count", "long"),
    ("approximate", "boolean"),
    ("status", "string"),
    ("slides", "string"),
)
EDGE_ATTRIBUTES = (
    ("relation", "string"),
    ("status", "string"),
    ("slides", "string"),
    ("participation", "string"),
)
Attrs = dict[str, Any]


def _slides(source: Source | None) -> str:
    return ",".join(str(s) for s in source.slides) if source else ""


def nodes(ix: OrgIndex, lang: Lang) -> Iterator[tuple[str, Attrs]]:
    """Every node of the export graph with its attributes, in file order."""
    for node in ix.ids():
        obj = ix.obj(node)
        kind = ix.kind(node)
        nb, en = ix.label(node, "nb"), ix.label(node, "en")
        attrs: Attrs = {
            "kind": kind,
            "label": en if lang == "en" else nb,
            "name_nb": nb,
            "name_en": en,
        }
        if kind == "post":
            role = ix.role_of(node)
            if role:
                attrs["role"] = role
            post = ix.posts[node]
            if post.holders:
                attrs["holders"] = "; ".join(h.name for h in post.holders if not h.until)
            if post.vacant:
                attrs["vacant"] = True
        elif kind == "role":
            count = ix.roles[node].count
            if count is not None:
                attrs["count"] = count.value
                attrs["approximate"] = count.approximate
        source = getattr(obj, "source", None)
        if source is not None:
            attrs["status"] = source.status
            if source.slides:
                attrs["slides"] = _slides(source)
        yield node, attrs


def edges(ix: OrgIndex) -> Iterator[tuple[str, str, str, Attrs]]:
    """Every edge with its attributes: by its source's place, its target's, its type (read
    from the entities: ``orgroles.graph.sorted_edges``)."""
    from orgroles.graph import sorted_edges

    for u, v, key, data in sorted_edges(ix):
        attrs: Attrs = {"relation": key}
        source = data.get("source")
        if source is not None:
            attrs["status"] = source.status
            if source.slides:
                attrs["slides"] = _slides(source)
        if "participation" in data:
            attrs["participation"] = data["participation"]
        yield u, v, key, attrs


def export_graph(ix: OrgIndex, lang: Lang) -> Any:
    """Return a ``networkx.MultiDiGraph`` of the organisation with scalar attributes."""
    import networkx as nx

    graph = nx.MultiDiGraph(name=ix.org.meta.title.get(lang))
    graph.add_nodes_from(nodes(ix, lang))
    graph.add_edges_from(edges(ix))
    return graph


# --- XML ----------------------------------------------------------------------------------

_ATTR = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')


def _text(value: str) -> str:
    """Text as XML element content (replace() chains beat translate() on short text)."""
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return text.replace("\r", "&#13;")  # (parsers read CR as LF)
    return value


def _attr(value: str) -> str:
    """Text as an XML attribute value (in double quotes)."""
    return value.translate(_ATTR) if _ATTR_SPECIAL.search(value) else value


def _value(value: Any) -> str:
    """A value as XML Schema writes it: ``true``/``false``, numbers, text."""
    if type(value) is str:  # (the usual case, first)
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def graphml_chunks(ix: OrgIndex, lang: Lang) -> Iterator[str]:
    """GraphML (for yEd and other GraphML readers), piece by piece."""
    node_key = {name: f"n{i}" for i, (name, _) in enumerate(NODE_ATTRIBUTES)}
    edge_key = {name: f"e{i}" for i, (name, _) in enumerate(EDGE_ATTRIBUTES)}
    head = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
        '  <key id="g0" for="graph" attr.name="name" attr.type="string" />\n',
    ]
    for (name, kind), key in zip(NODE_ATTRIBUTES, node_key.values(), strict=True):
        head.append(f'  <key id="{key}" for="node" attr.name="{name}" attr.type="{kind}" />\n')
    for (name, kind), key in zip(EDGE_ATTRIBUTES, edge_key.values(), strict=True):
        head.append(f'  <key id="{key}" for="edge" attr.name="{name}" attr.type="{kind}" />\n')
    head.append('  <graph edgedefault="directed">\n')
    title = ix.org.meta.title.get(lang)
    if title:
        head.append(f'    <data key="g0">{_text(title)}</data>\n')
    yield "".join(head)

    node_data = {name: f'      <data key="{key}">' for name, key in node_key.items()}
    edge_data = {name: f'      <data key="{key}">' for name, key in edge_key.items()}

    def node_lines() -> Iterator[str]:
        for node, attrs in nodes(ix, lang):
            data = "".join([f"{node_data[k]}{_text(_value(v))}</data>\n" for k, v in attrs.items()])
            yield f'    <node id="{_attr(node)}">\n{data}    </node>\n'

    def edge_lines() -> Iterator[str]:
        # Each edge its own id (yEd keeps one edge per id); its type is its "relation".
        for number, (u, v, _, attrs) in enumerate(edges(ix)):
            data = "".join([f"{edge_data[k]}{_text(_value(x))}</data>\n" for k, x in attrs.items()])
            yield (
                f'    <edge source="{_attr(u)}" target="{_attr(v)}" id="e{number}">\n'
                f"{data}    </edge>\n"
            )

    yield from node_lines()
    yield from edge_lines()
    yield "  </graph>\n</graphml>\n"


def gexf_chunks(ix: OrgIndex, lang: Lang) -> Iterator[str]:
    """GEXF 1.2 (for Gephi), piece by piece. The edge type is also written as
    ``networkx_key``, so networkx reads the graph back with its keys."""
    edge_attributes = (*EDGE_ATTRIBUTES, ("networkx_key", "string"))
    node_id = {name: str(i) for i, (name, _) in enumerate(NODE_ATTRIBUTES) if name != "label"}
    edge_id = {name: str(len(NODE_ATTRIBUTES) + i) for i, (name, _) in enumerate(edge_attributes)}
    title = ix.org.meta.title.get(lang)
    name = f' name="{_attr(title)}"' if title else ""
    head = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft '
        'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n',
        f"  <meta>\n    <creator>orgroles {_attr(__version__)}</creator>\n  </meta>\n",
        f'  <graph defaultedgetype="directed" mode="static"{name}>\n',
        '    <attributes mode="static" class="node">\n',
    ]
    for attribute, kind in NODE_ATTRIBUTES:
        if attribute in node_id:
            head.append(
                f'      <attribute id="{node_id[attribute]}" title="{attribute}" type="{kind}" />\n'
            )
    head.append('    </attributes>\n    <attributes mode="static" class="edge">\n')
    for attribute, kind in edge_attributes:
        head.append(
            f'      <attribute id="{edge_id[attribute]}" title="{attribute}" type="{kind}" />\n'
        )
    head.append("    </attributes>\n    <nodes>\n")
    yield "".join(head)

    def values(ids: dict[str, str], attrs: Attrs) -> str:
        return "".join(
            f'          <attvalue for="{ids[k]}" value="{_attr(_value(v))}" />\n'
            for k, v in attrs.items()
            if k != "label"
        )

    def node_lines() -> Iterator[str]:
        for node, attrs in nodes(ix, lang):
            yield (
                f'      <node id="{_attr(node)}" label="{_attr(attrs["label"])}">\n'
                f"        <attvalues>\n{values(node_id, attrs)}        </attvalues>\n"
                "      </node>\n"
            )

    def edge_lines() -> Iterator[str]:
        for number, (u, v, key, attrs) in enumerate(edges(ix)):
            yield (
                f'      <edge source="{_attr(u)}" target="{_attr(v)}" id="{number}">\n'
                f"        <attvalues>\n{values(edge_id, {**attrs, 'networkx_key': key})}"
                "        </attvalues>\n      </edge>\n"
            )

    yield from node_lines()
    yield "    </nodes>\n    <edges>\n"
    yield from edge_lines()
    yield "    </edges>\n  </graph>\n</gexf>\n"


def node_link_chunks(ix: OrgIndex, lang: Lang) -> Iterator[str]:
    """networkx's node-link JSON (``node_link_data(graph, edges="edges")``, keys sorted,
    one space of indent), piece by piece."""
    encode = encoder(separators=(",\n   ", ": "), sort_keys=True)

    def array(records: Iterator[Attrs]) -> Iterator[str]:
        """A list of flat records as ``json.dumps(..., indent=1, sort_keys=True)`` writes it,
        one level in (written by the C encoder, with the indent's separator)."""
        opened = False
        for record in records:
            yield ",\n  {\n   " if opened else "[\n  {\n   "
            yield encode(record)[1:-1]
            yield "\n  }"
            opened = True
        yield "\n ]" if opened else "[]"

    yield '{\n "directed": true,\n "edges": '
    edge_records = (
        {**attrs, "key": key, "source": u, "target": v} for u, v, key, attrs in edges(ix)
    )
    yield from array(edge_records)
    graph = encode({"name": ix.org.meta.title.get(lang)})[1:-1]
    yield f',\n "graph": {{\n  {graph}\n }},\n "multigraph": true,\n "nodes": '
    yield from array({**attrs, "id": node} for node, attrs in nodes(ix, lang))
    yield "\n}\n"


def to_graphml(ix: OrgIndex, lang: Lang) -> str:
    """Return GraphML (for yEd and other GraphML readers)."""
    return "".join(graphml_chunks(ix, lang))


def to_gexf(ix: OrgIndex, lang: Lang) -> str:
    """Return GEXF 1.2 (for Gephi)."""
    return "".join(gexf_chunks(ix, lang))


def to_node_link(ix: OrgIndex, lang: Lang) -> str:
    """Return networkx's node-link JSON."""
    return "".join(node_link_chunks(ix, lang))
