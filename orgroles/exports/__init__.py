"""Exports to formats other programs read: one registry, one module per family.

``EXPORTERS`` is the one list of formats: it drives ``export``'s dispatch, the ``--format``
help and its completion. ``export(ix, fmt, lang)`` returns the whole document as text;
``export_chunks`` gives it in pieces (what the CLI writes: a format with a ``chunks`` function is
never whole in memory). Every format is deterministic (the same input gives the same bytes).
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from orgroles.index import OrgIndex
from orgroles.model import Lang


class Exporter(NamedTuple):
    """A format: its name, what reads it, and the function that writes it (imported on use)."""

    name: str
    reader: str
    module: str
    function: str
    line_only: bool = False  # takes --line-only (only roles, posts and the line)
    binary: bool = False  # writes bytes (a file, not text for a terminal): needs -o
    chunks: str | None = None  # a function that yields the text piece by piece (streamed)


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("dot", "Graphviz", "dot", "to_dot", line_only=True, chunks="dot_chunks"),
        Exporter(
            "mermaid",
            "Mermaid (GitHub, GitLab, wikis)",
            "mermaid",
            "to_mermaid",
            line_only=True,
            chunks="mermaid_chunks",
        ),
        Exporter(
            "graphml", "yEd, Gephi, networkx", "graphs", "to_graphml", chunks="graphml_chunks"
        ),
        Exporter("gexf", "Gephi", "graphs", "to_gexf", chunks="gexf_chunks"),
        Exporter(
            "node-link", "networkx, d3 (JSON)", "graphs", "to_node_link", chunks="node_link_chunks"
        ),
        Exporter(
            "jsonld", "linked data (W3C ORG, JSON-LD)", "rdf", "to_jsonld", chunks="jsonld_chunks"
        ),
        Exporter(
            "turtle", "linked data (W3C ORG, Turtle)", "rdf", "to_turtle", chunks="turtle_chunks"
        ),
        Exporter(
            "csv", "spreadsheets, orgroles import csv", "table", "to_csv", chunks="csv_chunks"
        ),
        Exporter(
            "html", "web browsers (an org chart, offline)", "html", "to_html", chunks="html_chunks"
        ),
        Exporter(
            "sqlite",
            "SQL tools: sqlite3, Datasette",
            "sqlite",
            "to_sqlite",
            binary=True,
            chunks="sqlite_chunks",
        ),
        Exporter(
            "delegation-md",
            "people: the delegation regulation (Markdown)",
            "delegation_doc",
            "to_delegation_md",
        ),
    )
}
FORMATS = tuple(EXPORTERS)


def export(ix: OrgIndex, fmt: str, lang: Lang = "nb", line_only: bool = False) -> str:
    """Return the organisation in a text format ``fmt`` (``export_any`` for all)."""
    result = export_any(ix, fmt, lang, line_only)
    if isinstance(result, bytes):
        raise ValueError(f"{fmt} is a binary format: use export_any")
    return result


def export_chunks(
    ix: OrgIndex, fmt: str, lang: Lang = "nb", line_only: bool = False
) -> Iterator[str] | Iterator[bytes]:
    """Return the organisation in ``fmt`` as pieces (about a megabyte each) to write one after
    the other: text, or bytes for a binary format. A format with a ``chunks`` function is
    never whole in memory."""
    exporter = EXPORTERS[fmt]
    if exporter.chunks is None:
        whole = export_any(ix, fmt, lang, line_only)
        if isinstance(whole, bytes):
            return iter((whole,))
        return iter((whole,))
    function = getattr(import_module(f"orgroles.exports.{exporter.module}"), exporter.chunks)
    pieces = function(ix, lang, line_only=line_only) if exporter.line_only else function(ix, lang)
    return pieces if exporter.binary else gathered(pieces)


def gathered(pieces: Iterator[str], size: int = 1 << 20) -> Iterator[str]:
    """Join small pieces into chunks of about ``size`` characters."""
    batch: list[str] = []
    length = 0
    for piece in pieces:
        if len(piece) >= size:  # a large piece goes as it is (joining it would copy it)
            if batch:
                yield "".join(batch)
                batch.clear()
                length = 0
            yield piece
            continue
        batch.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(batch)
            batch.clear()
            length = 0
    if batch:
        yield "".join(batch)


def export_any(ix: OrgIndex, fmt: str, lang: Lang = "nb", line_only: bool = False) -> str | bytes:
    """Return the organisation in ``fmt`` (a key of ``EXPORTERS``).

    ``line_only`` keeps only roles, posts and the reporting line, for formats that take it.
    """
    exporter = EXPORTERS[fmt]
    writer = getattr(import_module(f"orgroles.exports.{exporter.module}"), exporter.function)
    if exporter.binary:
        return bytes(writer(ix, lang))
    if exporter.line_only:
        return str(writer(ix, lang, line_only=line_only))
    return str(writer(ix, lang))
