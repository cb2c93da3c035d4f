"""Properties that hold for any input: the loader fails only with located data-file errors, and
the line's invariants hold for random valid organisations."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgroles.errors import DataFileError
from orgroles.graph import build_graph
from orgroles.index import OrgIndex
from orgroles.load import validate_data
from orgroles.model import from_data
from orgroles.queries.line import line_tree, reports_to, who_reports_to
from orgroles.render.jsonout import to_json
from tests.conftest import DATA, MINIMAL, property_examples

SEED_TEXT = DATA.read_bytes()


def line_superior(graph: Any, node: str) -> str | None:
    """The target of a node's ``line`` edge (None at the top)."""
    for _, up, key in graph.out_edges(node, keys=True):
        if key == "line":
            return str(up)
    return None


@settings(max_examples=property_examples(300), deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_load_or_fail_with_a_data_file_error(data: bytes) -> None:
    try:
        validate_data(data, "f.yaml")
    except DataFileError as exc:
        assert exc.problems and all(p.file == "f.yaml" for p in exc.problems)


@settings(
    max_examples=property_examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.data())
def test_mutations_of_the_bundled_data_never_crash(data: st.DataObject) -> None:
    lines = SEED_TEXT.split(b"\n")
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "flip"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = b"  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][2:]
        elif lines[i]:
            j = data.draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = (
                lines[i][:j]
                + bytes([lines[i][j] ^ data.draw(st.integers(1, 255))])
                + lines[i][j + 1 :]
            )
    try:
        validate_data(b"\n".join(lines), "roles.yaml")
    except DataFileError as exc:
        assert all(p.line >= 1 for p in exc.problems)


@st.composite
def organisations(draw: st.DrawFn) -> str:
    """A random forest of posts: each post reports to an earlier one, or is a head."""
    n = draw(st.integers(1, 40))
    lines = [MINIMAL, "posts:\n"]
    for i in range(n):
        boss = draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None
        line = f"  - {{id: p{i}" + (f", reports_to: p{boss}" if boss is not None else "") + "}\n"
        lines.append(line)
    return "".join(lines)


@settings(max_examples=property_examples(100), deadline=None)
@given(organisations())
def test_line_invariants(text: str) -> None:
    org = from_data(validate_data(text.encode(), "f.yaml"))
    graph = build_graph(org)
    tops = {p.id for p in org.posts if p.reports_to is None}
    for post in org.posts:
        node: Any = post.id
        seen = set()
        while (up := line_superior(graph, node)) is not None:
            assert up not in seen
            seen.add(up)
            node = up
        assert node in tops  # every chain ends at a top-level head
    index = OrgIndex(org, graph)
    rows = line_tree(index).rows
    assert sorted(r.id for r in rows) == sorted(p.id for p in org.posts)  # each post once
    for post in org.posts:  # who-reports-to --all X = the posts whose line passes X
        below = {r.id for r in who_reports_to(index, post.id, all_levels=True).rows}
        passing = set()
        for other in org.posts:
            node = line_superior(graph, other.id)
            while node is not None:
                if node == post.id:
                    passing.add(other.id)
                    break
                node = line_superior(graph, node)
        assert below == passing
    for answer in (
        who_reports_to(index, org.posts[-1].id),
        reports_to(index, org.posts[-1].id),
        line_tree(index, depth=1),
    ):
        assert json.loads(to_json(answer))  # the JSON output always parses


@pytest.mark.slow
def test_a_10000_level_chain_answers_without_recursion_errors() -> None:
    n = 10_000
    text = (
        MINIMAL
        + "posts:\n  - {id: p0}\n"
        + "".join(f"  - {{id: p{i}, reports_to: p{i - 1}}}\n" for i in range(1, n))
    )
    org = from_data(validate_data(text.encode(), "chain.yaml"))
    answer = line_tree(OrgIndex(org, build_graph(org)))
    assert len(answer.rows) == n and answer.rows[-1].depth == n - 1
    cyclic = text.replace("  - {id: p0}\n", f"  - {{id: p0, reports_to: p{n - 1}}}\n")
    try:
        validate_data(cyclic.encode(), "chain.yaml")
    except DataFileError as exc:
        [problem] = exc.problems
        assert problem.message == (
            "reporting cycle: p0 -> p9999 -> p9998 -> p9997 -> ... (10000 in the cycle) ... "
            "-> p4 -> p3 -> p2 -> p1 -> p0"
        )
    else:
        raise AssertionError("a 10,000-post cycle must be found")


_ESCAPES = st.one_of(
    st.sampled_from(["\\e", "\\0", "\\x41", "\\N", "\\_", "\\L", "\\P", "\\t", "\\\\", '\\"']),
    st.integers(0, 0xFFFF).map(lambda c: f"\\u{c:04x}"),
    st.sampled_from([0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xFFFE, 0xFFFF, 0xFDD0]).map(
        lambda c: f"\\u{c:04X}"
    ),
    st.integers(0, 0x11FFFF).map(lambda c: f"\\U{c:08x}"),
    st.sampled_from(["\\U00110000", "\\UFFFFFFFF", "\\U0010FFFF", "\\U0001FFFE", "\\ud83d\\ude00"]),
    st.text(alphabet="abc æ\t", max_size=3),
    st.characters(codec="utf-8"),
)


@settings(max_examples=property_examples(400), deadline=None)
@given(
    title=st.lists(_ESCAPES, max_size=6).map("".join),
    count=st.one_of(
        st.integers(0, 10**20).map(str),
        st.text(alphabet="0123456789", min_size=1, max_size=40),
        st.sampled_from(["1" * 5000, "0x1f", "1e3", "-1", "01", "1_000", ".inf"]),
    ),
)
def test_both_yaml_parsers_accept_and_reject_the_same_files(title: str, count: str) -> None:
    """libyaml and the pure-Python parser agree: the same verdict, and errors always located."""
    text = (
        MINIMAL.replace("Test", f'"{title}"')
        + f"roles:\n  - {{id: a, name: A, count: {{value: {count}}}}}\n"
    ).encode("utf-8", "surrogatepass")
    verdicts = []
    for pure in (False, True):
        try:
            validate_data(text, "f.yaml", pure_yaml=pure)
            verdicts.append("ok")
        except DataFileError as exc:
            assert exc.problems and all(p.line >= 1 and p.column >= 1 for p in exc.problems)
            verdicts.append("error")
    assert verdicts[0] == verdicts[1], (text, verdicts)
