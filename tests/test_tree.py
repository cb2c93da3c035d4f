"""The line tree: exact plain text, JSON rows, depth limits, starting points."""

from __future__ import annotations

import io
import json

import pytest

from orgroles.errors import OrgrolesError, UnknownNameError
from orgroles.index import OrgIndex, build_index
from orgroles.load import load_org
from orgroles.queries.line import line_tree
from orgroles.render.tree import tree_renderable, tree_text
from tests.conftest import FIXTURES, Invoke

TOP = """\
rådmann  S7, S8, S9  – ansvarlig overfor politisk nivå
  direktører (4)  S7, S10, S11
    direktør – Stab  S7, S10  [utledet]
    direktør – økonomi  S7, S10  [utledet]
    direktør – HR  S7, S10  [utledet]
    direktør – spesialoppgaver  S7, S10  [utledet]
    enhetssjefer (14)  S10, S16  [utledet]  – rapporterer til en direktør; kilden sier ikke hvilken
"""


def test_full_tree_plain_text(ix: OrgIndex) -> None:
    text = tree_text(line_tree(ix), "nb")
    assert text.startswith(TOP)
    lines = text.splitlines()
    assert len(lines) == 1 + 1 + 4 + 1 + 14 + 1 + 9 + 1
    assert lines[7] == "      enhetssjef – Budsjett og analyse  S10, S16  [utledet]"
    assert lines[-2] == "    kommunalsjef – Eiendom  S7, S12  [utledet]"
    assert lines[-1] == (
        "    tjenesteledere (ca. 200)  S12, S14, S15  – rapporterer til en kommunalsjef; "
        "kilden sier ikke hvilken"
    )


def test_tree_in_english_with_depth(ix: OrgIndex) -> None:
    answer = line_tree(ix, depth=1)
    assert tree_text(answer, "en") == (
        "chief municipal executive  S7, S8, S9  – accountable to the political level\n"
        "  directors (4)  S7, S10, S11  … 19 more below, not shown (use --depth)\n"
        "  heads of programme areas (9)  S7, S12, S13  … 10 more below, not shown (use --depth)\n"
    )
    assert answer.hidden == 29


def test_tree_from_a_name(ix: OrgIndex) -> None:
    answer = line_tree(ix, name="kommunalsjefene")
    assert [r.id for r in answer.rows][:2] == ["kommunalsjef", "kommunalsjef_grunnskoleopplaering"]
    assert answer.rows[-1].id == "tjenesteleder"
    assert answer.rows[-1].count == 200 and answer.rows[-1].approximate
    unit = line_tree(ix, name="HMS")
    assert [r.id for r in unit.rows] == ["enhetssjef_hms"]


def test_tree_from_a_forum_is_an_error(ix: OrgIndex) -> None:
    with pytest.raises(OrgrolesError, match="not part of the reporting line"):
        line_tree(ix, name="ledermøte")
    with pytest.raises(UnknownNameError):
        line_tree(ix, name="nobody")


def test_several_heads_each_start_a_tree() -> None:
    org = load_org(FIXTURES / "small.yaml")
    answer = line_tree(build_index(org))
    assert tree_text(answer, "en") == (
        "Top manager\n"
        "  chiefs (2)\n"
        "    chief – Alpha\n"
        "    chief – Beta\n"
        "    employees (about 30)  – reports to one of the chiefs; the source does not say which\n"
        "Chair\n"
    )


def test_rich_tree_renders_without_markup(ix: OrgIndex) -> None:
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None, file=io.StringIO())
    console.print(tree_renderable(line_tree(ix, depth=1), "nb"))
    text = console.export_text()
    assert "rådmann" in text and "├── direktører (4)" in text and "└── kommunalsjefer (9)" in text


def test_cli_tree_json_is_one_document(invoke: Invoke) -> None:
    result = invoke("tree", "--json", "--depth", "1")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [(r["id"], r["kind"], r["depth"], r["parent"]) for r in data["rows"]] == [
        ("radmann", "role", 0, None),
        ("direktor", "group", 1, "radmann"),
        ("kommunalsjef", "group", 1, "radmann"),
    ]
    assert data["rows"][1]["count"] == 4
    assert data["hidden"] == 29


def test_cli_tree_piped_is_plain(invoke: Invoke) -> None:
    result = invoke("tree")
    assert result.exit_code == 0
    assert result.stdout.startswith(TOP)
    assert "\x1b" not in result.stdout
    assert result.stderr == ""
