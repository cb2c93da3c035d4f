"""The index's lookups agree with the networkx graph's edges (orgroles.graph conventions)."""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from orgroles.graph import build_graph
from orgroles.index import OrgIndex, build_index
from orgroles.load import validate_data
from orgroles.model import Org, from_data
from tests.conftest import MINIMAL, property_examples


def edges(graph: Any, key: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, k in graph.edges(keys=True) if k == key}


def assert_agrees(org: Org) -> None:
    index, graph = build_index(org), build_graph(org)
    assert set(index.line.target.items()) == edges(graph, "line")
    assert {(p, r) for r, posts in index.role_posts.items() for p in posts} == edges(graph, "holds")
    assert {(p, u) for u, posts in index.heads_of.items() for p in posts} == edges(graph, "heads")
    assert {(c, p) for p, parts in index.parts.items() for c in parts} == edges(graph, "part_of")
    for node, below in index.line.below.items():
        assert below == sorted(below, key=index.order)
        assert set(below) == {u for u, v in edges(graph, "line") if v == node}
    for node, data in graph.nodes(data=True):
        assert index.kind(node) == data["kind"] and index.order(node) == data["order"]
    for node, up in index.line.target.items():
        assert index.line_source(node) == graph.get_edge_data(node, up, key="line")["source"]


def test_bundled_index_agrees_with_graph(org: Org) -> None:
    assert_agrees(org)


def test_graph_is_built_on_demand(org: Org) -> None:
    index = build_index(org)
    assert "graph" not in index.__dict__
    assert index.graph.number_of_nodes() == 5 + 27 + 25 + 12
    assert OrgIndex(org, index.graph).graph is index.graph


@st.composite
def organisations(draw: st.DrawFn) -> str:
    """Random roles (a chain of classes) and posts, lines given or inherited from the role."""
    n_roles = draw(st.integers(1, 4))
    lines = [MINIMAL, "roles:\n"]
    for r in range(n_roles):
        up = f", reports_to: r{r - 1}" if r else ""
        lines.append(f"  - {{id: r{r}, name: R{r}{up}}}\n")
    n_posts = draw(st.integers(0, 25))
    posts: list[tuple[list[str], int]] = []
    for i in range(n_posts):
        role = draw(st.integers(0, n_roles - 1))
        fields = [f"id: p{i}", f"role: r{role}"]
        if role:
            # report to a post of the role above, or leave it to the role's line
            above = [j for j, (_, rr) in enumerate(posts) if rr == role - 1]
            use_post = draw(st.booleans())
            if above and use_post:
                fields.append(f"reports_to: p{draw(st.sampled_from(above))}")
        posts.append((fields, role))
    if posts:
        lines.append("posts:\n")
        lines.extend("  - {" + ", ".join(f) + "}\n" for f, _ in posts)
    return "".join(lines)


@settings(max_examples=property_examples(150), deadline=None)
@given(organisations())
def test_random_index_agrees_with_graph(text: str) -> None:
    assert_agrees(from_data(validate_data(text.encode(), "f.yaml")))
