"""``export --format sqlite``: the documented schema and queries, checked with the sqlite3
shell and Python's sqlite3, and the database's line equal to the CLI's answers."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings

from orgroles.exports import export_any
from orgroles.exports.sqlite import INDEXES, SCHEMA
from orgroles.index import OrgIndex, build_index
from orgroles.load import load_org, validate_data
from orgroles.model import from_data
from orgroles.queries.line import who_reports_to
from tests.conftest import FIXTURES, ROOT, Invoke, property_examples
from tests.oracle import Oracle
from tests.test_line_oracle import organisations

# Two ways up from the employees to x: through p1 (one step) or through q and p2 (two steps).
TWO_WAYS_UP = """\
format: orgroles/1
meta: {title: two ways up}
roles:
  - {id: r, name: r}
  - {id: emp, name: emp, count: 5, reports_to: r}
posts:
  - {id: x, title: X}
  - {id: p1, role: r, reports_to: x}
  - {id: q, title: Q, reports_to: x}
  - {id: p2, role: r, reports_to: q}
"""
DOC = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")


def database(ix: OrgIndex, tmp_path: Path) -> Path:
    path = tmp_path / "org.db"
    data = export_any(ix, "sqlite")
    assert isinstance(data, bytes)
    path.write_bytes(data)
    return path


def documented_queries() -> list[str]:
    block = DOC.split("Queries (each run by")[1].split("```sql\n")[1].split("```")[0]
    return [q.strip() + ";" for q in re.sub(r"--[^\n]*\n", "", block).split(";\n") if q.strip()]


def test_the_docs_show_the_schema_word_for_word() -> None:
    assert SCHEMA + INDEXES in DOC  # (the indexes are made once the rows are in)


def test_the_documented_queries_give_the_clis_answers(ix: OrgIndex, tmp_path: Path) -> None:
    db = sqlite3.connect(database(ix, tmp_path))
    direct, below, holders, budget = (db.execute(q).fetchall() for q in documented_queries())
    assert [n for (n,) in direct] == sorted(r.id for r in who_reports_to(ix, "radmann").rows)
    rows = who_reports_to(ix, "direktor_hr", all_levels=True).rows
    assert sorted(below) == sorted((r.id, r.depth) for r in rows)
    assert len(holders) == len(ix.org.posts)  # every post, no holders in the bundled data
    from orgroles.queries.authority import holdings

    held = sorted(h.role.id for h in holdings(ix) if h.kind.id == "budsjettansvar")
    assert sorted(role for role, *_ in budget) == held and held


def test_the_sqlite3_shell_reads_it(ix: OrgIndex, tmp_path: Path) -> None:
    shell = shutil.which("sqlite3")
    if shell is None:
        if os.environ.get("ORGROLES_CI"):
            pytest.skip("the sqlite3 shell is not part of CI's image; Python's sqlite3 is")
        pytest.skip("no sqlite3 shell here")
    path = database(ix, tmp_path)
    first = documented_queries()[0]
    out = subprocess.run([shell, str(path), first], capture_output=True, text=True, check=True)
    assert out.stdout.split() == sorted(r.id for r in who_reports_to(ix, "radmann").rows)
    check = subprocess.run(
        [shell, str(path), "PRAGMA foreign_key_check; PRAGMA integrity_check;"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.strip() == "ok"  # no dangling reference, a sound file


@pytest.mark.parametrize(
    "path", [ROOT / "data" / "roles.yaml", FIXTURES / "team-leads.yaml", FIXTURES / "people.yaml"]
)
def test_the_chain_is_who_reports_to_all(path: Path, tmp_path: Path) -> None:
    """For every node: those the view puts below it are who-reports-to --all's rows."""
    ix = build_index(load_org(path))
    db = sqlite3.connect(database(ix, tmp_path))
    for node in ix.line.nodes():
        query = "SELECT node, depth FROM chain WHERE above = ?"
        got = sorted(db.execute(query, (node,)).fetchall())
        expected = sorted((r.id, r.depth) for r in who_reports_to(ix, node, all_levels=True).rows)
        assert got == expected, node
    holders = db.execute("SELECT post, name FROM holders ORDER BY post, position").fetchall()
    posts = sorted(ix.org.posts, key=lambda p: p.id)
    assert holders == [(p.id, h.name) for p in posts for h in p.holders]


def test_the_cli_needs_a_file_for_it(invoke: Invoke, tmp_path: Path) -> None:
    refused = invoke("export", "--format", "sqlite")
    assert refused.exit_code == 2 and "give -o FILE" in refused.stderr and refused.stdout == ""
    target = tmp_path / "org.db"
    assert invoke("export", "--format", "sqlite", "-o", str(target)).exit_code == 0
    assert target.read_bytes().startswith(b"SQLite format 3\x00")


@settings(
    max_examples=property_examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(text=organisations())
@example(text=TWO_WAYS_UP)
def test_the_documented_line_queries_agree_with_the_oracle(text: str) -> None:
    """On generated organisations (every way of stating a line): who is or may be directly
    below each node (the candidates), and everyone below it with the depth of
    ``who-reports-to --all`` (the chain view: the longest way up, as the oracle counts it)."""
    plain = validate_data(text.encode(), "gen.yaml")
    oracle = Oracle(plain)
    data = export_any(build_index(from_data(plain)), "sqlite")
    assert isinstance(data, bytes)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "org.db"
        path.write_bytes(data)
        db = sqlite3.connect(path)
        try:
            for node in oracle.nodes:
                direct = db.execute("SELECT node FROM candidates WHERE candidate = ?", (node,))
                assert sorted(n for (n,) in direct) == sorted(
                    x for x, _, _ in oracle.under(node, False)
                ), node
                below = db.execute("SELECT node, depth FROM chain WHERE above = ?", (node,))
                assert sorted(below) == sorted((x, d) for x, d, _ in oracle.under(node, True)), node
        finally:
            db.close()


def test_a_relation_without_its_other_side_is_kept(ix: OrgIndex, tmp_path: Path) -> None:
    """docs/exports.md: the graph formats cannot draw it; the database keeps it, "to" NULL."""
    db = sqlite3.connect(database(ix, tmp_path))
    open_ended = db.execute('SELECT type, "from" FROM relations WHERE "to" IS NULL').fetchall()
    expected = [(r.type, r.from_.id) for r in ix.org.relations if r.to is None]
    assert sorted(open_ended) == sorted(expected) and len(expected) == 4
    documented = DOC.split("four of the bundled data's result agreements")[0]
    assert "`to: null`" in documented[-200:]
