"""Exports to formats other programs read: one module per family, one entry point.

``export(ix, fmt, lang)`` returns the whole document as text; every format is deterministic
(the same input gives the same bytes).
"""

from collections.abc import Callable

from orgroles.index import OrgIndex

FORMATS = ("dot", "mermaid", "graphml", "gexf", "node-link", "jsonld", "turtle", "csv")


def export(ix: OrgIndex, fmt: str, lang: str = "nb", line_only: bool = False) -> str:
    """Return the organisation in ``fmt`` (one of ``FORMATS``).

    ``line_only`` keeps only roles, posts and the reporting line (``dot`` and ``mermaid``).
    """
    if line_only and fmt in ("dot", "mermaid"):
        from orgroles.exports.dot import to_dot
        from orgroles.exports.mermaid import to_mermaid

        return (to_dot if fmt == "dot" else to_mermaid)(ix, lang, line_only=True)
    writer: Callable[[OrgIndex, str], str]
    if fmt == "dot":
        from orgroles.exports.dot import to_dot as writer
    elif fmt == "mermaid":
        from orgroles.exports.mermaid import to_mermaid as writer
    elif fmt in ("graphml", "gexf", "node-link"):
        from orgroles.exports import graphs

        writer = {
            "graphml": graphs.to_graphml,
            "gexf": graphs.to_gexf,
            "node-link": graphs.to_node_link,
        }[fmt]
    elif fmt in ("jsonld", "turtle"):
        from orgroles.exports import rdf

        writer = rdf.to_jsonld if fmt == "jsonld" else rdf.to_turtle
    elif fmt == "csv":
        from orgroles.exports.table import to_csv as writer
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return writer(ix, lang)
