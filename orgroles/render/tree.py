"""Render the line tree as a Rich tree (for terminals) or indented plain text."""

from __future__ import annotations

from typing import Any

from orgroles.queries.line import TreeAnswer, TreeRow
from orgroles.render.text import printable, slides_label

_LABELS = {
    "nb": {
        "ca": "ca.",
        "inferred": "utledet",
        "unspecified": "ikke oppgitt",
        "accountable": "ansvarlig overfor",
        "hidden": "{n} til under, ikke vist (bruk --depth)",
        "staff": "{n} under, ikke oppført",
    },
    "en": {
        "ca": "about",
        "inferred": "inferred",
        "unspecified": "not stated",
        "accountable": "accountable to",
        "hidden": "{n} more below, not shown (use --depth)",
        "staff": "{n} below, not listed",
    },
}


def _parts(row: TreeRow, lang: str) -> list[tuple[str, str]]:
    """Return (text, style) pieces of one row's label."""
    words = _LABELS["en" if lang == "en" else "nb"]
    parts = [(printable(row.name), "bold" if row.depth == 0 else "")]
    if (
        row.kind in ("group", "role")
        and row.count is not None
        and not (row.count == 1 and not row.approximate)
    ):
        count = f"{words['ca']} {row.count}" if row.approximate else str(row.count)
        parts.append((f" ({count})", "cyan"))
    if row.staff is not None:
        staff = f"{words['ca']} {row.staff}" if row.staff_approximate else str(row.staff)
        parts.append((f"  + {words['staff'].format(n=staff)}", "cyan"))
    if row.slides:
        parts.append((f"  {slides_label(row.slides)}", "dim"))
    if row.status != "stated":
        parts.append((f"  [{words[row.status]}]", "yellow"))
    if row.accountable_to:
        parts.append(
            (f"  – {words['accountable']} {printable(', '.join(row.accountable_to))}", "magenta")
        )
    if row.note:
        parts.append((f"  – {printable(row.note)}", "italic"))
    if row.hidden:
        parts.append((f"  … {words['hidden'].format(n=row.hidden)}", "dim"))
    return parts


def tree_renderable(answer: TreeAnswer, lang: str) -> Any:
    """Return a Rich renderable of the tree (several roots become a group of trees)."""
    from rich.console import Group
    from rich.text import Text
    from rich.tree import Tree

    roots: list[Any] = []
    stack: list[Any] = []  # the open branches, by depth
    for row in answer.rows:
        label = Text()
        for text, style in _parts(row, lang):
            label.append(text, style=style or None)
        if row.depth == 0:
            node = Tree(label, guide_style="dim")
            roots.append(node)
            stack = [node]
        else:
            del stack[row.depth :]
            node = stack[-1].add(label)
            stack.append(node)
    return Group(*roots)


def tree_text(answer: TreeAnswer, lang: str) -> str:
    """Return the tree as indented plain text (two spaces per level), one row per line."""
    lines = []
    for row in answer.rows:
        lines.append("  " * row.depth + "".join(text for text, _ in _parts(row, lang)))
    return "\n".join(lines) + ("\n" if lines else "")
