"""Renderers show data literally: no Rich markup, emoji codes or escape sequences get through."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from orgroles.index import build_index
from orgroles.load import load_org
from orgroles.model import Lang, LangText
from orgroles.queries.catalogue import roles
from orgroles.queries.common import NodeList, OpenLine
from orgroles.queries.line import line_tree
from orgroles.render import tables
from orgroles.render.answers import roles_sections
from orgroles.render.labels import count_text, one_of, say
from orgroles.render.tree import tree_renderable
from tests.conftest import MINIMAL, Invoke, Terminal

HOSTILE = (
    MINIMAL
    + """roles:
  - {id: a, name: "[bold]x[/] :fire: [link=https://example.invalid]y[/link] [/]"}
posts:
  - {id: p, role: a, title: "[red]T[/red] :smile:"}
"""
)


def render(renderable: object) -> str:
    console = Console(
        file=io.StringIO(), width=200, force_terminal=True, color_system="standard", record=True
    )
    console.print(renderable)
    return console.export_text()


def test_markup_in_data_is_shown_literally(write_yaml: Callable[[str], Path]) -> None:
    ix = build_index(load_org(write_yaml(HOSTILE)))
    text = render(tables.rich(roles_sections(roles(ix), "nb")))
    assert "[bold]x[/] :fire: [link=https://example.invalid]y[/link] [/]" in text
    tree = render(tree_renderable(line_tree(ix), "nb"))
    assert "[red]T[/red] :smile:" in tree


def test_plain_tables_align_and_never_cut() -> None:
    section = tables.Section(
        "Title", columns=["a", "bb"], rows=[["x" * 300, "y"], ["z", "multi\nline"]]
    )
    assert tables.plain([section]) == (
        f"Title\n  a{' ' * 299}  bb\n  {'x' * 300}  y\n  z{' ' * 299}  multi; line\n"
    )


def test_cli_errors_show_markup_literally(invoke: Invoke) -> None:
    result = invoke("show", "[bold]x[/]")
    assert result.exit_code == 1
    assert result.stderr.startswith("orgroles: unknown name '[bold]x[/]'")


@pytest.mark.parametrize("columns", [40, 59, 60, 80, 100, 160])
@pytest.mark.parametrize(
    "args",
    [
        ["authority", "--lang", "en"],
        ["units", "--lang", "en"],
        ["roles"],
        ["stats"],
        ["show", "kommunalsjef", "--lang", "en"],
        ["tree"],
    ],
)
def test_terminal_tables_wrap_on_word_boundaries(
    terminal: Terminal, args: list[str], columns: int
) -> None:
    """No word is cut at any width, and nothing is wider than the terminal: a table that
    cannot fit becomes one block per row; below 60 columns plain text wraps on spaces."""
    import re

    out = terminal(*args, columns=columns)
    assert out.exit_code == 0
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout)
    words = set(re.findall(r"[\w-]+", terminal(*args, isatty=False).stdout))
    shown = set(re.findall(r"[\w-]+", text))
    assert shown <= words, sorted(shown - words)[:5]  # no piece of a cut word
    assert max(len(line.rstrip()) for line in text.splitlines()) <= columns


@pytest.mark.parametrize(
    ("count", "approximate", "lang", "text"),
    [
        (4, False, "nb", "4"),
        (200, True, "nb", "ca. 200"),
        (200, True, "en", "about 200"),
        (22.2, True, "nb", "ca. 22,2"),
        (3.5, False, "en", "3.5"),
        (1_000_000, False, "en", "1000000"),
        (None, False, "nb", ""),
    ],
)
def test_counts_read_as_people_write_them(
    count: float | None, approximate: bool, lang: Lang, text: str
) -> None:
    assert count_text(count, approximate, lang) == text


def test_phrases_read_in_each_language() -> None:
    head = LangText("kommunalsjef", "head of programme area")
    heads = LangText("kommunalsjefer", "heads of programme areas")
    line = OpenLine("kommunalsjef", head, heads)
    assert say(line, "nb") == "rapporterer til en kommunalsjef; kilden sier ikke hvilken"
    assert say(line, "en") == (
        "reports to one of the heads of programme areas; the source does not say which"
    )
    assert say(OpenLine(None), "en") == "reports to one of these; the source does not say which"
    several = NodeList((LangText("a", "A"), LangText("b", None)), 3, heads)
    assert say(several, "nb") == "kommunalsjefer: a / b / +3 til"
    assert say(several, "en") == "heads of programme areas: A / b / +3 more"
    assert one_of("direktører", "nb") == "direktører (en av dem; ikke oppgitt hvem)"


def test_plain_columns_align_in_any_unicode_form_and_width() -> None:
    """Columns are measured in terminal cells: a decomposed å is one cell, a CJK character
    two (an attack found decomposed text misaligning the plain tables)."""
    section = tables.Section(
        "T", ["name", "id"], [["Ha\u030agensen", "a"], ["Hågensen", "b"], ["日本", "c"], ["x", "d"]]
    )
    from orgroles.render.text import cells

    rows = tables.plain([section]).splitlines()[2:]  # the title and the header left out
    assert [cells(row[:-1]) for row in rows] == [2 + 8 + 2] * 4  # each id in the same column
    assert cells("Ha\u030agensen") == cells("Hågensen") == 8
    assert cells("日本") == 4 and cells("a\u200bb") == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ha\u030agensen", 8),
        ("\u1100\u116a\u11ab\u1105\u1175\u110c\u1161", 6),  # 관리자 decomposed: as composed
        ("관리자", 6),
        ("Leder \u2764\ufe0f", 8),  # an emoji shown wide
        ("日本", 4),
        ("a\u200bb", 2),
    ],
)
def test_terminal_cells_of_text_in_any_form(text: str, expected: int) -> None:
    from orgroles.render.text import cells

    assert cells(text) == expected


def test_wrapping_counts_cells_and_breaks_only_at_spaces() -> None:
    """A narrow terminal: lines of wide characters stay within the width where a space allows
    (an attack found CJK lines 70 cells wide in 50 columns); a long word is never cut."""
    from orgroles.render.text import cells

    title = "営業 本部長 兼 経営企画室長 兼 人事部長 兼 総務部長 兼 情報システム部長 兼 法務部長"
    lines = tables.wrap(title, 30, "  ", "    ")
    assert all(cells(line) <= 30 for line in lines) and len(lines) > 2
    assert " ".join(line.strip() for line in lines) == title
    assert tables.wrap("x" * 40 + " y", 20, "", "  ") == ["x" * 40, "  y"]
    assert tables.wrap("short", 40, "  ") == ["  short"]


def test_wrapping_keeps_the_spaces_as_written() -> None:
    """Only runs of plain spaces break a line; no-break and ideographic spaces stay with
    their words, and spaces inside a line are kept (an attack found them replaced)."""
    text = "Dr.\u00a0Nilsen\u00a0og\u00a0Holm A  double   spaced 部長\u3000課長 and more words here"
    lines = tables.wrap(text, 24, "  ", "    ")
    assert len(lines) > 1
    assert "Dr.\u00a0Nilsen\u00a0og\u00a0Holm" in lines[0] and "部長\u3000課長" in "".join(lines)
    assert "double   spaced" in "".join(lines)
    assert tables.wrap("  lead and more and more and more words", 20, "", "  ")[0].startswith(
        "  lead"
    )


def test_every_byte_is_written_to_an_unbuffered_output() -> None:
    """python -u / PYTHONUNBUFFERED: the raw stdout takes what the pipe takes and says how
    much, or nothing for now; every byte still goes out (an attack found 64 KiB of 6.6 MB)."""
    from orgroles.render.output import _write_all

    class Raw:
        def __init__(self) -> None:
            self.out = bytearray()
            self.calls = 0

        def write(self, data: memoryview) -> int | None:
            self.calls += 1
            if self.calls % 3 == 0:
                return None  # full, for now
            taken = bytes(data[:7])
            self.out += taken
            return len(taken)

        def fileno(self) -> int:
            return 1

    raw = Raw()
    data = bytes(range(256)) * 10
    _write_all(raw, data)
    assert bytes(raw.out) == data
