"""The cases that once got wrong answers on users' own files (issue 10), with exact answers,
through the library and the real CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from orgroles.cli import app
from orgroles.errors import OrgrolesError
from orgroles.index import OrgIndex, build_index
from orgroles.load import load_org
from orgroles.queries.line import common as _common
from orgroles.queries.line import line_tree as _line_tree
from orgroles.queries.line import reports_to as _reports_to
from orgroles.queries.line import who_reports_to as _who_reports_to
from orgroles.queries.stats import statistics as _statistics
from tests.conftest import FIXTURES, ROOT, reading

common = reading(_common)
line_tree = reading(_line_tree)
reports_to = reading(_reports_to)
who_reports_to = reading(_who_reports_to)
statistics = reading(_statistics)

COMPANY = ROOT / "docs" / "examples" / "company.yaml"


def index(path: object) -> OrgIndex:
    return build_index(load_org(path, use_cache=False))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def teams() -> OrgIndex:
    return index(FIXTURES / "team-leads.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--no-cache", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_role_whose_posts_state_their_lines_reaches_the_top(teams: OrgIndex) -> None:
    chain = reports_to(teams, "employee").chain
    assert [(s.id, s.unspecified, s.varies, s.possibly) for s in chain] == [
        ("team_lead", True, False, False),
        ("director", True, False, False),
        ("the_ceo", False, False, False),
    ]
    assert chain[1].candidates == ("dir_sales", "dir_ops")


def test_where_the_lines_meet_through_posts_that_state_their_lines(teams: OrgIndex) -> None:
    answer = common(teams, "employee", "dir_sales")
    assert answer.meet is not None and answer.meet.id == "the_ceo"
    assert answer.possible_meet is not None and answer.possible_meet.candidates == ("dir_sales",)
    assert [s.id for s in answer.path_a] == ["employee", "team_lead", "director", "the_ceo"]
    assert [s.id for s in answer.path_b] == ["dir_sales", "the_ceo"]


def test_everyone_below_the_top_includes_the_class(teams: OrgIndex) -> None:
    rows = who_reports_to(teams, "the_ceo", all_levels=True).rows
    assert [(r.id, r.depth, r.possibly) for r in rows] == [
        ("dir_sales", 1, False),
        ("dir_ops", 1, False),
        *[(f"tl_{i}", 2, False) for i in range(1, 7)],
        ("employee", 3, False),
    ]
    below_sales = who_reports_to(teams, "dir_sales", all_levels=True).rows
    assert [(r.id, r.possibly) for r in below_sales][-1] == ("employee", True)


def test_levels_and_roles_of_lines_stated_on_posts(teams: OrgIndex) -> None:
    stats = statistics(teams)
    assert [(r.level, r.leaders, r.roles) for r in stats.levels] == [
        (0, 1, ("ceo",)),
        (1, 2, ("director",)),
        (2, 6, ("team_lead",)),
        (3, 20, ("employee",)),
    ]
    code, out, _ = run("--data", str(FIXTURES / "team-leads.yaml"), "roles", "--json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)["roles"]}
    assert rows["director"]["superior"]["id"] == "the_ceo"
    assert not rows["director"]["superior_unspecified"]
    assert rows["team_lead"]["superior"]["id"] == "director"
    assert rows["team_lead"]["superior_varies"] and not rows["team_lead"]["superior_unspecified"]


def test_the_tree_puts_a_class_where_it_certainly_belongs(teams: OrgIndex) -> None:
    rows = line_tree(teams).rows
    assert [(r.key, r.parent, r.note is not None) for r in rows] == [
        ("the_ceo", None, False),
        ("director@the_ceo", "the_ceo", False),
        ("dir_sales", "director@the_ceo", False),
        ("team_lead@dir_sales", "dir_sales", False),
        ("tl_1", "team_lead@dir_sales", False),
        ("tl_2", "team_lead@dir_sales", False),
        ("tl_3", "team_lead@dir_sales", False),
        ("dir_ops", "director@the_ceo", False),
        ("team_lead@dir_ops", "dir_ops", False),
        ("tl_4", "team_lead@dir_ops", False),
        ("tl_5", "team_lead@dir_ops", False),
        ("tl_6", "team_lead@dir_ops", False),
        ("employee", "the_ceo", True),
    ]
    assert [r.count for r in rows if r.kind == "group"] == [2, 3, 3]


def test_a_role_with_one_post_is_a_certain_superior() -> None:
    ix = index(COMPANY)
    [step] = reports_to(ix, "dir_sales").chain
    assert (step.id, step.unspecified) == ("kari", False)
    rows = who_reports_to(ix, "director").rows
    assert all(not r.superior_unspecified for r in rows)
    answer = common(ix, "dir_sales", "dir_ops")
    assert answer.meet is not None and answer.meet.id == "kari"
    code, out, _ = run("--data", str(COMPANY), "reports-to", "dir_ops", "--lang", "en")
    assert code == 0 and "one of them" not in out and "Chief executive" in out


def test_a_role_below_a_one_post_role_shows_in_the_tree() -> None:
    ix = index(FIXTURES / "one-post-top.yaml")
    tree = line_tree(ix)
    assert [(r.key, r.parent, r.count) for r in tree.rows] == [("p0", None, None), ("r1", "p0", 3)]
    assert tree.hidden == 0
    assert [r.id for r in who_reports_to(ix, "r0").rows] == ["r1"]
    assert [r.superior for r in who_reports_to(ix, "r0").rows] == ["p0"]


def test_the_small_fixture_lines_meet_at_the_top() -> None:
    ix = index(FIXTURES / "small.yaml")
    answer = common(ix, "medarbeider", "sjef_a")
    assert answer.meet is not None and answer.meet.id == "topp"
    assert answer.possible_meet is not None and answer.possible_meet.candidates == ("sjef_a",)
    answer = common(ix, "sjef", "topp")
    assert answer.meet is not None and answer.meet.id == "topp"
    assert common(ix, "sjef_a", "annen_topp").meet is None


def test_tree_json_rows_rebuild_the_tree() -> None:
    code, out, _ = run("--data", str(COMPANY), "tree", "--json")
    assert code == 0
    rows = json.loads(out)["rows"]
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))
    children: dict[str | None, list[str]] = {}
    for row in rows:
        children.setdefault(row["parent"], []).append(row["key"])
    depth = {key: 0 for key in children[None]}
    for row in rows:  # pre-order: every parent comes before its children
        if row["parent"] is not None:
            depth[row["key"]] = depth[row["parent"]] + 1
        assert depth[row["key"]] == row["depth"]
    assert children["director@kari"] == ["dir_sales", "dir_ops", "dir_finance"]
    assert {r["key"]: r["staff"] for r in rows}["dir_finance"] == 3


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["who-reports-to", "sales", "--json"], ("dir_sales", "sales")),
        (["reports-to", "operations", "--json"], ("dir_ops", "operations")),
    ],
)
def test_a_unit_stands_for_its_head_in_line_commands(
    args: list[str], expected: tuple[str, str]
) -> None:
    code, out, _ = run("--data", str(COMPANY), *args)
    assert code == 0
    answer = json.loads(out)
    start = answer.get("target") or answer.get("start")
    assert (start["id"], answer["via_unit"]["id"]) == expected


def test_common_and_tree_take_units_and_say_so() -> None:
    code, out, _ = run("--data", str(COMPANY), "common", "sales", "finance", "--json")
    assert code == 0
    answer = json.loads(out)
    assert answer["meet"]["id"] == "kari"
    assert (answer["via_unit_a"]["id"], answer["via_unit_b"]["id"]) == ("sales", "finance")
    code, out, _ = run("--data", str(COMPANY), "common", "sales", "finance", "--lang", "en")
    assert code == 0 and "Path from Sales director (head of the unit Sales)" in out
    code, out, _ = run("--data", str(COMPANY), "tree", "sales", "--json")
    assert json.loads(out)["via_unit"] == "sales"


def test_a_unit_without_a_head_and_a_forum_are_clear_errors() -> None:
    ix = index(ROOT / "data" / "roles.yaml")
    with pytest.raises(OrgrolesError, match="is a forum or body, not part of the reporting line"):
        who_reports_to(ix, "ledermøte")
    code, out, err = run("reports-to", "politisk_niva")
    assert code == 1 and out == ""
    assert "not part of the reporting line" in err or "no post heads" in err


def test_staff_under_a_post_is_shown_and_counted_apart() -> None:
    ix = index(COMPANY)
    answer = who_reports_to(ix, "dir_finance")
    assert (answer.staff, answer.rows) == (3, ())
    stats = statistics(ix)
    assert (stats.leaders, stats.staff) == (28, 3)
    assert {s.id: s.span for s in stats.spans}["dir_finance"] == 3
    code, out, _ = run("--data", str(COMPANY), "tree", "--lang", "en")
    assert code == 0 and "Finance director  + 3 below, not listed" in out


def test_validate_warns_on_dubious_lines(tmp_path: object) -> None:
    path = tmp_path / "dubious.yaml"  # type: ignore[operator]
    path.write_text(
        "format: orgroles/1\n"
        "meta: {title: T, require_sources: false}\n"
        "roles:\n"
        "  - {id: boss, name: Boss}\n"
        "  - {id: lead, name: Lead, count: {value: 10, approximate: true}}\n"
        "units:\n"
        "  - {id: a, kind: dept, name: A}\n"
        "  - {id: b, kind: dept, name: B, part_of: a}\n"
        "vocabulary: {unit_kinds: [{id: dept, name: department}]}\n"
        "posts:\n"
        "  - {id: b1, role: boss, heads: a}\n"
        "  - {id: l1, role: lead, reports_to: b1}\n"
        "  - {id: l2, role: lead, heads: b}\n",
        encoding="utf-8",
    )
    code, out, err = run("--data", str(path), "validate")
    assert code == 0 and out.startswith(f"{path}: valid")
    assert err.splitlines() == [
        f"orgroles: {path}:5:35: warning: role 'lead' has about 10 holders but lists 2 posts: "
        "only the listed posts are in the line (list them all, or none)",
        f"orgroles: {path}:8:43: warning: unit 'b' is part of 'a', but its head 'l2' does not "
        "report (directly or further up) to that unit's head 'b1'",
        f"orgroles: {path}:13:10: warning: post 'l2' has no reports_to, nor has its role 'lead': "
        "it is a top-level head, while 'l1' and other posts of its role report to someone (add "
        "reports_to; a head meant to be at the top may want a role of its own)",
    ]
    code, out, err = run("--data", str(path), "validate", "--strict")
    assert code == 1 and out == "" and "warning" not in err and len(err.splitlines()) == 3
    code, _, err = run("--data", str(COMPANY), "validate")
    assert code == 0 and err == ""  # the worked example has nothing dubious


def test_cycles_through_a_role_with_posts_are_found(tmp_path: object) -> None:
    path = tmp_path / "cycle.yaml"  # type: ignore[operator]
    path.write_text(
        "format: orgroles/1\n"
        "meta: {title: T, require_sources: false}\n"
        "roles:\n"
        "  - {id: q, name: Q}\n"
        "posts:\n"
        "  - {id: p, reports_to: q}\n"
        "  - {id: q1, role: q, reports_to: p}\n"
        "  - {id: q2, role: q, reports_to: p}\n",
        encoding="utf-8",
    )
    code, out, err = run("--data", str(path), "validate")
    assert code == 1 and out == ""
    assert err.splitlines()[:2] == [
        f"orgroles: {path}:6:25: reporting cycle: p -> q -> q1 -> p",
        f"orgroles: {path}:6:25: reporting cycle: p -> q -> q2 -> p",
    ]
