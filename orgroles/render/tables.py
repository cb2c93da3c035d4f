"""A small table model with two renderings: Rich tables for terminals, aligned plain text for
pipes (never cut off, no escape codes). Every cell is data, never markup."""

from __future__ import annotations

from typing import Any

from orgroles.render.text import printable


class Section:
    """A titled table (``columns`` and ``rows``) and/or lines of text, with notes below."""

    def __init__(
        self,
        title: str,
        columns: list[str] | None = None,
        rows: list[list[str]] | None = None,
        lines: list[str] | None = None,
        notes: list[str] | None = None,
        header: bool = True,
    ) -> None:
        self.title = title
        self.columns = columns or []
        self.rows = rows or []
        self.lines = lines or []
        self.notes = notes or []
        self.header = header


def plain(sections: list[Section]) -> str:
    """Render sections as plain text: a title, aligned columns, two spaces apart."""
    out: list[str] = []
    for section in sections:
        if out:
            out.append("")
        out.append(printable(section.title))
        if section.columns:
            table = [section.columns, *section.rows] if section.header else section.rows
            cells = [[printable(c.replace("\n", "; ")) for c in row] for row in table]
            widths = [max(len(row[i]) for row in cells) for i in range(len(section.columns))]
            for row in cells:
                text = "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
                out.append("  " + text.rstrip())
        out.extend("  " + printable(line) for line in section.lines)
        out.extend("  " + printable(note) for note in section.notes)
    return "\n".join(out) + "\n" if out else ""


def rich(sections: list[Section]) -> Any:
    """Render sections as Rich tables (text only: nothing is read as markup)."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = []
    for section in sections:
        if section.columns:
            table = Table(
                title=Text(section.title, style="bold"),
                title_justify="left",
                box=box.SIMPLE_HEAD,
                show_edge=False,
                show_header=section.header,
            )
            for column in section.columns:
                table.add_column(Text(column), overflow="fold")
            for row in section.rows:
                table.add_row(*(Text(c) for c in row))
            parts.append(table)
        else:
            parts.append(Text(section.title, style="bold"))
        parts.extend(Text("  " + line) for line in section.lines)
        parts.extend(Text("  " + note, style="italic") for note in section.notes)
        parts.append(Text(""))
    return Group(*parts)
