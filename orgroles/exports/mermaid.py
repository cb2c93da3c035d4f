"""Mermaid flowchart (renders in Markdown on GitHub, GitLab and many wikis).

Mermaid ids allow only letters, digits and underscores, so nodes are numbered ``n0``, ``n1`` …
in file order, and every label is a double-quoted string in which ``"`` is written ``#quot;``
and ``#`` as ``#35;`` (Mermaid's entity codes); æøå, parentheses and brackets are safe there.
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


_SPECIAL = re.compile('[#"\r\n<>*_`]')


def label(text: str) -> str:
    """Escape text for a double-quoted Mermaid label: quotes and markup as entity codes, and
    the characters Mermaid's Markdown would turn into emphasis or code (``*``, ``_``, `` ` ``)."""
    if not _SPECIAL.search(text):
        return text
    return (
        text.replace("#", "#35;")
        .replace('"', "#quot;")
        .replace("\r\n", " ")
        .replace("\n", " ")
        .replace("\r", " ")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("*", "#42;")
        .replace("_", "#95;")
        .replace("`", "#96;")
    )


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
