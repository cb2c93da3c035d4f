"""Graphviz DOT: the line drawn top-down, other relations styled by type.

Line edges are drawn from superior to subordinate (so Graphviz ranks the top first); every
other edge keeps the graph's direction (actor -> target). Node shapes: roles as rounded boxes
with their count, posts as boxes, units as folders, forums as ellipses.
"""

from orgroles.index import OrgIndex
from orgroles.queries.common import role_count

EDGE_STYLE = {
    "line": 'color="#333333"',
    "holds": 'style=dotted, color="#999999", arrowhead=none',
    "heads": 'style=dashed, color="#4477aa"',
    "part_of": 'style=dashed, color="#777777"',
    "member_of": 'style=dotted, color="#228833"',
    "advises": 'style=dashed, color="#228833"',
    "accountable_to": 'style=bold, color="#aa3377"',
    "cooperates_with": 'style=dotted, color="#66ccee"',
    "dialogue_partner": 'style=dashed, color="#66ccee"',
    "facilitates": 'style=dashed, color="#ccbb44"',
    "result_agreement": 'style=dashed, color="#ee6677"',
    "supports": 'style=dashed, color="#ee7733"',
}
SHAPE = {"role": "box, style=rounded", "post": "box", "unit": "folder", "forum": "ellipse"}


def chart_nodes(ix: OrgIndex, line_only: bool) -> list[str]:
    """Every node in file order, or only the line's: posts, classes, and roles lines end at."""
    nodes = sorted(ix.graph.nodes, key=ix.order)
    return [n for n in nodes if _in_line_chart(ix, n)] if line_only else nodes


def _in_line_chart(ix: OrgIndex, node: str) -> bool:
    kind = ix.kind(node)
    return kind == "post" or (kind == "role" and (ix.line.is_node(node) or node in ix.line.below))


def chart_edges(ix: OrgIndex, line_only: bool) -> list[tuple[str, str, str]]:
    """Every edge (u, v, type) in a stable order, or only the line's.

    The line's are the ``line`` edges, and the ``holds`` edges of the roles a line ends at
    ("one of its posts"), which connect such a role to its posts.
    """
    edges = sorted(ix.graph.edges(keys=True), key=lambda e: (ix.order(e[0]), ix.order(e[1]), e[2]))
    if not line_only:
        return edges
    return [e for e in edges if e[2] == "line" or (e[2] == "holds" and e[1] in ix.line.below)]


def count_label(count: int, approximate: bool, lang: str) -> str:
    """Return a role's count for a chart label: ``4``, ``ca. 200`` or ``about 200``."""
    from orgroles.render.labels import count_text

    return count_text(count, approximate, lang)


def chart_label(ix: OrgIndex, node: str, lang: str) -> tuple[str, str, str]:
    """Return a chart box's name, its count (``(4)``, or empty) and its people: the holders
    who have not left (``Kari Nordmann (konstituert)``), ``ledig`` for a vacant post."""
    from orgroles.render.labels import word

    count_part = ""
    if ix.kind(node) == "role":
        count, approximate = role_count(ix, node)
        if count is not None:
            count_part = f"({count_label(count, approximate, lang)})"
    post = ix.posts.get(node)
    people = ""
    if post is not None:
        now = [h for h in post.holders if not h.until]
        names = [f"{h.name} ({word('acting', lang)})" if h.acting else h.name for h in now]
        if post.vacant and not now:
            names.append(word("vacant", lang))
        people = ", ".join(names)
    name = ix.label(node, lang)
    return name, count_part, "" if people == name else people


def quote(text: str) -> str:
    """Return a DOT double-quoted string (backslashes, quotes and newlines escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(ix: OrgIndex, lang: str, line_only: bool = False) -> str:
    """Return the organisation as a Graphviz digraph."""
    out = [
        "digraph orgroles {",
        f"  label={quote(ix.org.meta.title.get(lang))};",
        f'  graph [rankdir={"LR" if line_only else "TB"}, fontname="Helvetica", labelloc=t];',
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=8];',
    ]
    for node in chart_nodes(ix, line_only):
        label = "\n".join(part for part in chart_label(ix, node, lang) if part)
        out.append(f"  {quote(node)} [label={quote(label)}, shape={SHAPE[ix.kind(node)]}];")
    edges = chart_edges(ix, line_only)
    for u, v, key in edges:
        style = EDGE_STYLE.get(key, "")
        if key == "line":
            out.append(f"  {quote(v)} -> {quote(u)} [{style}];")
        else:
            out.append(
                f"  {quote(u)} -> {quote(v)} [label={quote(key.replace('_', ' '))}, {style}];"
            )
    out.append("}")
    return "\n".join(out) + "\n"
