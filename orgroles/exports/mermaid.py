"""Mermaid flowchart (renders in Markdown on GitHub, GitLab and many wikis).

Mermaid ids allow only letters, digits and underscores, so nodes are numbered ``n0``, ``n1`` …
in file order, and every label is a double-quoted string in which whatever Mermaid's Markdown,
maths or icons would read as syntax is written as Mermaid's entity codes (``label``).
The line runs top-down (superior --> subordinate); other relations are dotted, labelled arrows.
"""

import re
from collections.abc import Iterator

from orgroles.exports.dot import chart_edges, chart_label, chart_nodes
from orgroles.index import OrgIndex
from orgroles.model import Lang

SHAPES = {
    "role": ('("', '")'),
    "post": ('["', '"]'),
    "unit": ('[/"', '"/]'),
    "forum": ('(["', '"])'),
}


# Mermaid reads a label as Markdown (with maths and icons): every character that can start
# syntax there is written as an entity code, which Markdown takes as plain text.
_ENTITIES = {
    "#": "#35;",  # (first: the codes themselves start with it)
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",  # also a block quote
    "&": "#38;",  # "&amp;" would be read as "&"
    "\\": "#92;",  # an escape
    "*": "#42;",  # emphasis, a list
    "_": "#95;",
    "`": "#96;",  # code
    "[": "#91;",  # links and images
    "]": "#93;",
    "~": "#126;",  # strike-through
    "$": "#36;",  # maths
    ":": "#58;",  # icons (fa:fa-user), autolinks (https://)
    "@": "#64;",  # e-mail autolinks
    "%": "#37;",  # "%%{…}%%" is a directive, anywhere
    "\r": " ",
    "\n": " ",
}
_TABLE = str.maketrans(_ENTITIES)
# Syntax only at the start: a list ("- ", "+ ", "1. ", "2) "), a rule ("---") and, after
# blanks, indented code (Markdown drops the blanks); and the autolink "www.".
_MARKER = re.compile(r"[-+]|[0-9]+[.)]")
_WWW = re.compile(r"(?i)(www)\.")
_SPECIAL = re.compile("[" + re.escape("".join(_ENTITIES)) + "]|\\A[ \t0-9+-]|[ \t]\\Z|(?i:www\\.)")


def label(text: str) -> str:
    """Escape text for a double-quoted Mermaid label: ``_ENTITIES``, and as codes too the
    blanks and the list marker's last character at the start, the blanks at the end and the
    dot of ``www.`` ("\\r\\n"
    is one space); text without any of them is written as it is."""
    if not _SPECIAL.search(text):
        return text
    text = _WWW.sub(r"\1#46;", text.replace("\r\n", " ").translate(_TABLE))
    blanks = len(text) - len(text.lstrip(" \t"))
    marker = _MARKER.match(text, blanks)
    if blanks or marker:
        head = "".join(f"#{ord(ch)};" for ch in text[:blanks])
        if marker is not None:
            sign = marker.group()
            head += f"{sign[:-1]}#{ord(sign[-1])};"
            blanks = marker.end()
        text = head + text[blanks:]
    trailing = len(text) - len(text.rstrip(" \t"))  # (Mermaid trims them)
    if trailing:
        text = text[: len(text) - trailing] + "".join(f"#{ord(c)};" for c in text[-trailing:])
    return text


def mermaid_chunks(ix: OrgIndex, lang: Lang, line_only: bool = False) -> Iterator[str]:
    """The Mermaid flowchart of ``to_mermaid``, line by line."""
    nodes = chart_nodes(ix, line_only)
    ids = {node: f"n{i}" for i, node in enumerate(nodes)}
    yield "flowchart TD\n"
    for node in nodes:
        name, count, people = chart_label(ix, node, lang)
        text = " ".join(part for part in (name, count) if part)
        text += f" — {people}" if people else ""
        start, end = SHAPES[ix.kind(node)]
        yield f"  {ids[node]}{start}{label(text)}{end}\n"
    shown: dict[str, str] = {}  # an edge type as its label shows it
    for u, v, key in chart_edges(ix, line_only):
        if key == "line":
            yield f"  {ids[v]} --> {ids[u]}\n"
        else:
            text = shown.get(key) or shown.setdefault(key, label(key.replace("_", " ")))
            yield f'  {ids[u]} -.->|"{text}"| {ids[v]}\n'


def to_mermaid(ix: OrgIndex, lang: Lang, line_only: bool = False) -> str:
    """Return the organisation as a Mermaid flowchart."""
    return "".join(mermaid_chunks(ix, lang, line_only))
