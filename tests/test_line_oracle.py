"""Every question about the line agrees with the oracle (tests/oracle.py) on generated
organisations that mix every way of stating a line: role to role, role to post, post to post,
post to role, a role's line left open while its posts state theirs, classes with counts below a
role or a post, roles with one post, posts without a role, people not listed (staff).

``ORGROLES_ORACLE_EXAMPLES`` sets the number of organisations (the long run in
docs/reliability.md used 20,000).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from orgroles.cli import app
from orgroles.index import OrgIndex, build_index
from orgroles.load import validate_data
from orgroles.model import from_data
from orgroles.queries.line import common, line_tree, reports_to, who_reports_to
from orgroles.queries.stats import statistics
from tests.conftest import property_examples
from tests.oracle import Oracle

EXAMPLES = property_examples(100, "ORGROLES_ORACLE_EXAMPLES")


@st.composite
def organisations(draw: st.DrawFn) -> str:
    """An organisation file: groups g0, g1 … (a role with its posts, or a post without a role),
    each stating lines only to earlier groups, so the file has no cycles."""
    groups: list[dict[str, Any]] = []
    for g in range(draw(st.integers(1, 7))):
        if draw(st.integers(0, 4)) == 0:
            groups.append({"role": None, "posts": [f"p{g}"]})
        else:
            n = draw(st.sampled_from([0, 0, 1, 2, 2, 3, 4]))
            groups.append({"role": f"r{g}", "posts": [f"p{g}_{i}" for i in range(n)]})

    def earlier(g: int) -> list[str]:
        out = []
        for group in groups[:g]:
            if group["role"]:
                out.append(group["role"])
            out.extend(group["posts"])
        return out

    roles, posts = [], []
    for g, group in enumerate(groups):
        options = earlier(g)
        role_line = draw(st.sampled_from([None, *options])) if options else None
        if group["role"]:
            fields = [f"id: {group['role']}", f"name: R{g}"]
            if role_line:
                fields.append(f"reports_to: {role_line}")
            if not group["posts"]:
                count = draw(st.integers(1, 40))
                if draw(st.booleans()):
                    fields.append(f"count: {{value: {count}, approximate: true}}")
                else:
                    fields.append(f"count: {count}")
            elif draw(st.booleans()):
                fields.append(f"count: {len(group['posts'])}")
            roles.append("{" + ", ".join(fields) + "}")
        for post in group["posts"]:
            fields = [f"id: {post}"]
            if group["role"]:
                fields.append(f"role: {group['role']}")
            if group["role"] and role_line:  # agree with the role's line, or inherit it
                agreeing = [role_line, *(p for p in _posts_of(groups, role_line))]
                own = draw(st.sampled_from([None, *agreeing]))
            else:
                own = draw(st.sampled_from([None, *options])) if options else None
            if own:
                fields.append(f"reports_to: {own}")
            if draw(st.integers(0, 5)) == 0:
                fields.append(f"staff: {draw(st.integers(1, 9))}")
            posts.append("{" + ", ".join(fields) + "}")
    text = "format: orgroles/1\nmeta: {title: T, require_sources: false}\n"
    if roles:
        text += "roles:\n" + "".join(f"  - {r}\n" for r in roles)
    if posts:
        text += "posts:\n" + "".join(f"  - {p}\n" for p in posts)
    return text


def _posts_of(groups: list[dict[str, Any]], role: str) -> list[str]:
    for group in groups:
        if group["role"] == role:
            return list(group["posts"])
    return []


def load(text: str) -> tuple[OrgIndex, Oracle]:
    data = validate_data(text.encode(), "gen.yaml")
    return build_index(from_data(data)), Oracle(data)


def questions(oracle: Oracle) -> list[str]:
    """Every line node, and every role with posts (a question about one of its posts)."""
    return oracle.nodes + [r for r, posts in oracle.role_posts.items() if posts]


def check_everything(ix: OrgIndex, oracle: Oracle) -> None:
    names = questions(oracle)
    for name in names:
        expected = oracle.steps(oracle.start(name))[1:]
        chain = reports_to(ix, name).chain
        assert [(s.candidates, s.possibly, s.unspecified) for s in chain] == expected, name
        for all_levels in (False, True):
            below = who_reports_to(ix, name, all_levels=all_levels).rows
            got = [(r.id, r.depth, r.possibly) for r in below]
            assert got == oracle.under(name, all_levels), (name, all_levels)
    for a in names:
        for b in names:
            answer = common(ix, a, b)
            meet, possible = oracle.meet(a, b)
            assert (answer.meet.id if answer.meet else None) == meet, (a, b)
            nearer = answer.possible_meet.candidates if answer.possible_meet else ()
            assert nearer == possible, (a, b)
    rows = line_tree(ix).rows
    keys = [r.key for r in rows]
    assert len(keys) == len(set(keys))  # each row once, with a unique key
    assert {r.key: r.parent for r in rows} == oracle.tree_parents()
    for row in rows:  # pre-order: a row's parent is the nearest shallower row above it
        assert row.parent is None or row.parent in keys[: keys.index(row.key)]
    for depth in range(4):  # down to a depth: the rows above it, and deeper rows counted
        cut = line_tree(ix, depth=depth)
        assert [r.key for r in cut.rows] == [r.key for r in rows if r.depth <= depth]
        parent = {r.key: r.parent for r in rows}

        def count_under(key: str, parent: dict[str, str | None] = parent) -> int:
            return sum(1 for k in parent if k != key and _ancestor(parent, key, k))

        for row in cut.rows:
            assert row.hidden == (count_under(row.key) if row.depth == depth else 0), (
                depth,
                row.key,
            )
        assert cut.hidden == len(rows) - len(cut.rows)
    for name in names:  # a tree from any node or role: each row once, all of it below
        part = line_tree(ix, name).rows
        part_keys = [r.key for r in part]
        assert len(part_keys) == len(set(part_keys)), name
        shown = {r.id for r in part if r.kind != "group"}
        under = {x for x, _, _ in oracle.under(name, True)}
        assert set(oracle.start(name)) <= shown <= set(oracle.start(name)) | under, name
    levels = ix.line.levels()
    assert levels == {n: oracle.level(n) for n in oracle.nodes}
    stats = statistics(ix)
    expected_levels: dict[int, int] = {}
    for node in oracle.nodes:
        count = 1
        if node in oracle.roles and oracle.roles[node].get("count"):
            count = oracle.roles[node]["count"]["value"]
        expected_levels[oracle.level(node)[1]] = (
            expected_levels.get(oracle.level(node)[1], 0) + count
        )
    assert {row.level: row.leaders for row in stats.levels} == expected_levels
    graph_lines = {(u, v) for u, v, k in ix.graph.edges(keys=True) if k == "line"}
    assert graph_lines == oracle.line_edges()


def _ancestor(parent: dict[str, str | None], above: str, key: str) -> bool:
    """Whether ``above`` is on the way from ``key`` to the top of the tree."""
    up = parent[key]
    while up is not None:
        if up == above:
            return True
        up = parent[up]
    return False


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(organisations())
def test_every_line_question_agrees_with_the_oracle(text: str) -> None:
    ix, oracle = load(text)
    check_everything(ix, oracle)


@settings(
    max_examples=property_examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(text=organisations())
def test_the_cli_json_and_the_exports_agree_with_the_oracle(
    text: str, tmp_path_factory: Any
) -> None:
    """Through the real CLI: tree --json rebuilds the oracle's tree; exports carry its lines."""
    path = tmp_path_factory.mktemp("org") / "org.yaml"
    path.write_text(text, encoding="utf-8")
    oracle = Oracle(validate_data(text.encode(), "gen.yaml"))
    runner = CliRunner()
    result = runner.invoke(app, ["--data", str(path), "--no-cache", "tree", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert {r["key"]: r["parent"] for r in rows} == oracle.tree_parents()
    result = runner.invoke(
        app, ["--data", str(path), "--no-cache", "export", "--format", "node-link"]
    )
    assert result.exit_code == 0, result.output
    graph = json.loads(result.stdout)
    links = graph.get("links", graph.get("edges", []))
    lines = {(e["source"], e["target"]) for e in links if e.get("key") == "line"}
    assert lines == oracle.line_edges()
    result = runner.invoke(app, ["--data", str(path), "--no-cache", "export", "--format", "csv"])
    table = [  # a role with posts is not in the line: its row has its own reports_to
        line.split(",")
        for line in result.stdout.splitlines()[1:]
        if line.split(",")[1] in ("post", "class")
    ]
    superiors = {  # the post a line certainly ends at, else the role it is one of the posts of
        (n, ups[0] if len(ups) == 1 else str(oracle.target(n)))
        for n in oracle.nodes
        if (ups := oracle.candidates(n))
    }
    assert {(r[0], r[5]) for r in table if r[5]} == superiors
    assert {r[0] for r in table if r[6] == "true"} == {
        n for n in oracle.nodes if len(oracle.candidates(n)) > 1
    }
