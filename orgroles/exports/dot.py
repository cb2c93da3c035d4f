"""Graphviz DOT: the whole graph, or (``--line-only``) the reporting line as an org chart.

The whole graph: every node and edge, line edges drawn from superior to subordinate (so
Graphviz ranks the top first), every other edge in the graph's direction (actor -> target).
Node shapes: roles as rounded boxes with their count, posts as boxes, units as folders, forums
as ellipses.

The org chart follows ``tree``: top-down; a role's posts under one superior are drawn inside a
box labelled with the role and its count (a Graphviz cluster), in a grid when none of them has
anyone under it; a class (tjenesteledere, ca. 200) is one rounded box; a line that ends at "one
of" a role's posts leaves that role's box, dashed and labelled with the tree's note.
"""

import itertools
import math
import textwrap
from collections.abc import Iterator

from orgroles.index import OrgIndex
from orgroles.model import Lang
from orgroles.queries.common import role_count
from orgroles.queries.line import TreeRow, line_tree
from orgroles.render.labels import count_text, say, word

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
    nodes = list(ix.ids())
    return [n for n in nodes if _in_line_chart(ix, n)] if line_only else nodes


def _in_line_chart(ix: OrgIndex, node: str) -> bool:
    kind = ix.kind(node)
    return kind == "post" or (kind == "role" and (ix.line.is_node(node) or node in ix.line.below))


def chart_edges(ix: OrgIndex, line_only: bool) -> Iterator[tuple[str, str, str]]:
    """Every edge (u, v, type) in a stable order, or only the line's.

    The line's are the ``line`` edges, and the ``holds`` edges of the roles a line ends at
    ("one of its posts"), which connect such a role to its posts.
    """
    from orgroles.graph import sorted_edges

    below = ix.line.below
    for u, v, key, _ in sorted_edges(ix):  # (not ix.graph: built slowly)
        if not line_only or key == "line" or (key == "holds" and v in below):
            yield u, v, key


def chart_label(ix: OrgIndex, node: str, lang: Lang) -> tuple[str, str, str]:
    """Return a chart box's name, its count (``(4)``, or empty) and its people: the holders
    who have not left (``Kari Nordmann (konstituert)``), ``ledig`` for a vacant post."""
    count_part = ""
    if ix.kind(node) == "role":
        count, approximate = role_count(ix, node)
        if count is not None:
            count_part = f"({count_text(count, approximate, lang)})"
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
    """Return a DOT double-quoted string (backslashes, quotes and line breaks escaped; a
    carriage return is a line break)."""
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        lines = text.replace("\r\n", "\n").replace("\r", "\n")
        text = lines.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def dot_chunks(ix: OrgIndex, lang: Lang, line_only: bool = False) -> Iterator[str]:
    """The Graphviz digraph of ``to_dot``, line by line (the org chart whole)."""
    if line_only:
        yield org_chart(ix, lang)
        return
    yield "\n".join(
        [
            "digraph orgroles {",
            f"  label={quote(ix.org.meta.title.get(lang))};",
            '  graph [rankdir=TB, fontname="Helvetica", labelloc=t];',
            '  node [fontname="Helvetica", fontsize=10];',
            '  edge [fontname="Helvetica", fontsize=8];\n',
        ]
    )
    for node in chart_nodes(ix, line_only):
        label = "\n".join(part for part in chart_label(ix, node, lang) if part)
        yield f"  {quote(node)} [label={quote(label)}, shape={SHAPE[ix.kind(node)]}];\n"
    for u, v, key in chart_edges(ix, line_only):
        style = EDGE_STYLE.get(key, "")
        if key == "line":
            yield f"  {quote(v)} -> {quote(u)} [{style}];\n"
        else:
            yield f"  {quote(u)} -> {quote(v)} [label={quote(key.replace('_', ' '))}, {style}];\n"
    yield "}\n"


def to_dot(ix: OrgIndex, lang: Lang, line_only: bool = False) -> str:
    """Return the organisation as a Graphviz digraph (the org chart with ``line_only``)."""
    return "".join(dot_chunks(ix, lang, line_only))


def _box(ix: OrgIndex, row: TreeRow, lang: Lang, inside: bool = False) -> str:
    """A card of the chart: a post or a class, with its count and people."""
    name, count, people = chart_label(ix, row.id, lang) if row.kind == "post" else ("", "", "")
    if row.kind != "post":
        from orgroles.render.labels import row_count

        count = f"({row_count(row, lang)})" if row_count(row, lang) else ""
        name = say(row.name, lang)
    note = _boxed_note(row, lang, inside)  # no edge of its own can carry it
    parts = (name, count, people, note)
    label = "\n".join(_wrap(part, 24) for part in parts if part)
    shape = "box" if row.kind == "post" else "box, style=rounded"
    if note:
        shape = "box, style=dashed" if row.kind == "post" else 'box, style="rounded,dashed"'
    return f"{quote(row.key)} [label={quote(label)}, shape={shape}];"


def _wrap(text: str, width: int) -> str:
    """Lines of at most ``width`` characters, broken at blanks only: a longer word stays whole
    (broken inside, it could split a character made of several code points, such as an emoji
    with a skin tone, or a double name at its hyphen), and a tab stays a tab."""
    return textwrap.fill(
        text,
        width,
        break_long_words=False,
        break_on_hyphens=False,
        expand_tabs=False,
        replace_whitespace=False,
    )


def _member(ix: OrgIndex, row: TreeRow, group: TreeRow) -> bool:
    """Tell whether a row under a group is one of the group's posts."""
    return row.kind == "post" and ix.role_of(row.id) == group.id


def _boxed_note(row: TreeRow, lang: Lang, inside: bool = False) -> str:
    """The note of a row that has no edge of its own to carry it: at the top though it has a
    superior (one of a role's posts that sit in different places), or ``inside`` its role's
    box (the box's edge stands for its posts); else empty."""
    return say(row.note, lang) if row.note and (inside or row.parent is None) else ""


def org_chart(ix: OrgIndex, lang: Lang) -> str:
    """Return the reporting line as an org chart, in the same layout as ``tree``."""
    rows = line_tree(ix).rows
    children: dict[str | None, list[TreeRow]] = {}
    for row in rows:
        children.setdefault(row.parent, []).append(row)
    out = [
        "digraph orgroles {",
        f"  label={quote(ix.org.meta.title.get(lang))};",
        '  graph [rankdir=TB, compound=true, newrank=true, fontname="Helvetica", labelloc=t,'
        " nodesep=0.25, ranksep=0.45];",
        '  node [fontname="Helvetica", fontsize=10, margin="0.08,0.04"];',
        '  edge [fontname="Helvetica", fontsize=8, color="#333333", arrowhead=none];',
    ]
    anchor: dict[str, str] = {}  # a group's key -> the post its cluster is entered at
    leaving: dict[str, str] = {}  # ... and the post (in its bottom row) lines leave it from
    for row in rows:
        if row.kind != "group":
            continue
        # The group's own posts (a row that reports to "one of" them follows them in the tree,
        # at their level, and is drawn below the box).
        posts = [c for c in children.get(row.key, []) if _member(ix, c, row)]
        if not posts:
            continue
        anchor[row.key] = leaving[row.key] = posts[0].key
        count = f" ({count_text(row.count, row.approximate, lang)})" if row.count else ""
        out.append(f"  subgraph {quote('cluster_' + row.key)} {{")
        label, style = say(row.name, lang) + count, "rounded"
        if note := _boxed_note(row, lang):
            label, style = f"{label}\n{_wrap(note, 28)}", '"rounded,dashed"'
        out.append(f'    label={quote(label)}; style={style}; color="#777777";')
        out.extend("    " + _box(ix, post, lang, inside=True) for post in posts)
        if all(not children.get(post.key) for post in posts) and len(posts) > 2:
            width = math.ceil(math.sqrt(len(posts)))  # a grid, not one long row
            grid = [posts[i : i + width] for i in range(0, len(posts), width)]
            for upper, lower in itertools.pairwise(grid):
                out.append(f"    {quote(upper[0].key)} -> {quote(lower[0].key)} [style=invis];")
            leaving[row.key] = grid[-1][0].key
            for line in grid:
                keys = " ".join(quote(p.key) for p in line)
                out.append(f"    {{rank=same; {keys}}}")
                for left, right in itertools.pairwise(line):
                    out.append(f"    {quote(left.key)} -> {quote(right.key)} [style=invis];")
        out.append("  }")
    inside = {
        c.key for row in rows if row.key in anchor for c in children[row.key] if _member(ix, c, row)
    }
    for row in rows:
        if row.kind != "group" and row.key not in inside:
            out.append("  " + _box(ix, row, lang))
    for row in rows:
        skipped = row.kind == "group" and row.key not in anchor
        if row.parent is None or row.key in inside or skipped:
            continue
        source = leaving.get(row.parent, row.parent)
        target = anchor.get(row.key, row.key)
        attrs = []
        if row.parent in anchor:
            attrs.append(f"ltail={quote('cluster_' + row.parent)}")
        if row.key in anchor:
            attrs.append(f"lhead={quote('cluster_' + row.key)}")
        if row.superior_unspecified:
            attrs.append("style=dashed")
            if row.note:
                attrs.append(f"label={quote(_wrap(say(row.note, lang), 28))}")
        out.append(f"  {quote(source)} -> {quote(target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"
