"""A small table model with two renderings: Rich tables for terminals, aligned plain text for
pipes (never cut off, no escape codes). Every cell is data, never markup."""

from __future__ import annotations

import re
from typing import Any

from orgroles.render.text import cells as width_of
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


GAP = 2  # spaces between columns
INDENT = 2


def _cells(section: Section) -> list[list[str]]:
    table = [section.columns, *section.rows] if section.header else section.rows
    return [[printable(c.replace("\n", "; ")) for c in row] for row in table]


def _longest_word(text: str) -> int:
    return max((width_of(w) for w in text.split()), default=0)


def _least(section: Section) -> list[int]:
    """Each column's narrowest width that breaks no word."""
    cells = _cells(section)
    return [max(_longest_word(row[i]) for row in cells) for i in range(len(section.columns))]


def fits(section: Section, width: int) -> bool:
    """Tell whether a section's plain table fits ``width`` columns as it is, aligned and
    unwrapped (plain text never wraps inside a cell)."""
    cells = _cells(section)
    widths = [max(width_of(row[i]) for row in cells) for i in range(len(section.columns))]
    return INDENT + sum(widths) + GAP * (len(widths) - 1) <= width


def _blocks(section: Section, width: int) -> list[str]:
    """A table too wide for the terminal, as one block per row: the first cell, then each
    other cell as 'Column: value' (the value alone in a table without a header), wrapped on
    spaces (a word, an id, is never cut)."""
    out = []
    for row in section.rows:
        cells = [printable(c.replace("\n", "; ")) for c in row]
        out.extend(wrap(cells[0], width, "  ", "    "))
        for column, value in zip(section.columns[1:], cells[1:], strict=True):
            if not value:
                continue
            label = printable(column)
            out.extend(wrap(f"{label}: {value}" if label else value, width, "    ", "      "))
    return out


def wrap(text: str, width: int | None, first: str = "", then: str = "    ") -> list[str]:
    """Return ``text`` indented by ``first``, in lines of at most ``width`` terminal cells
    (none: one line), broken only at spaces: a word, an id, is never cut, even when longer.
    Cells, not characters, are counted: a wide CJK character takes two, an accent none."""
    if width is None or len(first) + width_of(text) <= width:
        return [first + text]
    limit = max(width, 20)
    lines: list[str] = []
    line, used, has_word, gap = first, len(first), False, ""
    # Broken only at runs of plain spaces, which are kept as written inside a line (other
    # spaces, no-break and ideographic ones, belong to their words).
    for i, part in enumerate(_SPACES.split(text)):
        if i % 2:
            gap = part
            continue
        if not part:
            continue
        size = width_of(part)
        if has_word and used + len(gap) + size > limit:
            lines.append(line)
            line, used = then + part, len(then) + size
        else:
            line, used = line + gap + part, used + len(gap) + size
        has_word, gap = True, ""
    lines.append(line)
    return lines


_SPACES = re.compile("( +)")


def plain(sections: list[Section], width: int | None = None) -> str:
    """Render sections as plain text: a title, aligned columns, two spaces apart.

    With a ``width`` (a narrow terminal), a table that does not fit becomes one block per
    row and titles and lines wrap on spaces; without one (a pipe, a file), nothing is ever
    wrapped.
    """
    out: list[str] = []
    for section in sections:
        if out:
            out.append("")
        out.extend(wrap(printable(section.title), width, "", "  "))
        if section.columns and width is not None and not fits(section, width):
            out.extend(_blocks(section, width))
        elif section.columns:
            cells = _cells(section)
            widths = [max(width_of(row[i]) for row in cells) for i in range(len(section.columns))]
            for row in cells:
                text = "  ".join(
                    c + " " * (w - width_of(c)) for c, w in zip(row, widths, strict=True)
                )
                out.append("  " + text.rstrip())
        for line in [*section.lines, *section.notes]:
            out.extend(wrap(printable(line), width, "  ", "    "))
    return "\n".join(out) + "\n" if out else ""


RICH_CELL = 3  # a Rich column's padding (a space each side) and the space between columns


def _rich_widths(section: Section, width: int) -> list[int] | None:
    """Return column widths for Rich that fit ``width`` and cut no word, or None if none do.

    Every column gets its longest word; the room left goes to the columns whose text is
    longer than that, in proportion to what they lack.
    """
    least = _least(section)
    table = [section.columns, *section.rows] if section.header else section.rows
    natural = [
        max(width_of(line) for row in table for line in printable(row[i]).split("\n"))
        for i in range(len(least))
    ]
    room = width - RICH_CELL * len(least)
    if sum(least) > room:
        return None
    lacking = [n - m for n, m in zip(natural, least, strict=True)]
    spare = room - sum(least)
    if sum(lacking) <= spare:
        return natural
    return [m + want * spare // sum(lacking) for m, want in zip(least, lacking, strict=True)]


def rich(sections: list[Section], width: int = 80) -> Any:
    """Render sections as Rich tables (text only: nothing is read as markup).

    A column is never narrower than its longest word; a table that cannot fit so becomes one
    block per row, which Rich wraps on spaces.
    """
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = []
    for section in sections:
        widths = _rich_widths(section, width) if section.columns else None
        if widths is not None:
            table = Table(
                title=Text(section.title, style="bold"),
                title_justify="left",
                box=box.SIMPLE_HEAD,
                show_edge=False,
                show_header=section.header,
            )
            for column, size in zip(section.columns, widths, strict=True):
                table.add_column(Text(column), width=size, overflow="fold")
            for row in section.rows:
                table.add_row(*(Text(c) for c in row))
            parts.append(table)
        else:
            parts.append(Text(section.title, style="bold"))
            if section.columns:
                parts.extend(Text(line) for line in _blocks(section, width))
        parts.extend(Text("  " + line) for line in section.lines)
        parts.extend(Text("  " + note, style="italic") for note in section.notes)
        parts.append(Text(""))
    return Group(*parts)
