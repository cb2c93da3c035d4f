"""Render the line tree as a Rich tree (for terminals) or indented plain text."""

from __future__ import annotations

from typing import Any

from orgroles.model import Lang
from orgroles.queries.line import TreeAnswer, TreeRow
from orgroles.render.labels import count_text, people_beside, row_count, say, sorted_names, word
from orgroles.render.text import printable, slides_label


def _parts(row: TreeRow, lang: Lang) -> list[tuple[str, str]]:
    """Return (text, style) pieces of one row's label."""
    name = say(row.name, lang)
    parts = [(printable(name), "bold" if row.depth == 0 else "")]
    count = row_count(row, lang)
    if count:
        parts.append((f" ({count})", "cyan"))
    people = people_beside(name, row.holders, row.vacant, lang)
    if people:
        parts.append((f" — {printable(people)}", "green"))
    if row.staff is not None:
        staff = count_text(row.staff, row.staff_approximate, lang)
        parts.append((f"  + {word('tree_staff', lang, n=staff)}", "cyan"))
    if row.slides:
        parts.append((f"  {slides_label(row.slides)}", "dim"))
    if row.status != "stated":
        parts.append((f"  [{word(row.status, lang)}]", "yellow"))
    if row.accountable_to.names:
        bodies = ", ".join(sorted_names(row.accountable_to.names, lang))
        parts.append((f"  – {word('accountable_to', lang)} {printable(bodies)}", "magenta"))
    if row.note:
        parts.append((f"  – {printable(say(row.note, lang))}", "italic"))
    if row.hidden:
        parts.append((f"  … {word('tree_hidden', lang, n=str(row.hidden))}", "dim"))
    return parts


def tree_renderable(answer: TreeAnswer, lang: Lang) -> Any:
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


def tree_text(answer: TreeAnswer, lang: Lang, width: int | None = None) -> str:
    """Return the tree as indented plain text (two spaces per level), one row per line; with
    a ``width`` (a narrow terminal) a long row goes on in lines indented under it, broken at
    spaces only."""
    from orgroles.render.tables import wrap

    lines = []
    for row in answer.rows:
        indent = "  " * row.depth
        text = "".join(text for text, _ in _parts(row, lang))
        lines.extend(wrap(text, width, indent, indent + "    "))
    return "\n".join(lines) + ("\n" if lines else "")
