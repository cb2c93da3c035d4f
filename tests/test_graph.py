"""The graph's conventions (documented in orgroles.graph), on the real data and a fixture."""

from __future__ import annotations

from typing import Any

from orgroles.graph import build_graph
from orgroles.load import load_org
from tests.conftest import FIXTURES


def edges(graph: Any, key: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, k in graph.edges(keys=True) if k == key}


def line_superior(graph: Any, node: str) -> str | None:
    ups = [v for _, v, k in graph.out_edges(node, keys=True) if k == "line"]
    assert len(ups) <= 1
    return ups[0] if ups else None


def test_nodes_have_kinds(graph: Any) -> None:
    kinds: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        kinds[data["kind"]] = kinds.get(data["kind"], 0) + 1
    assert kinds == {"role": 5, "post": 27, "unit": 25, "forum": 12}


def test_line_edges(graph: Any) -> None:
    line = edges(graph, "line")
    assert ("direktor", "radmann") not in line  # a role with posts: its posts carry the line
    assert ("direktor_hr", "radmann") in line
    assert ("kommunalsjef_kultur", "radmann") in line
    assert ("tjenesteleder", "kommunalsjef") in line
    assert ("enhetssjef_lonn", "direktor") in line
    assert len(line) == 1 + 27  # the one class below the top (tjenesteleder), and every post
    for node in graph.nodes:
        assert sum(1 for _, _, k in graph.out_edges(node, keys=True) if k == "line") <= 1


def test_line_superior(graph: Any) -> None:
    assert line_superior(graph, "radmann") is None
    assert line_superior(graph, "direktor") is None  # not a node of the line
    assert line_superior(graph, "enhetssjef_hms") == "direktor"
    assert line_superior(graph, "tjenesteleder") == "kommunalsjef"


def test_typed_relations(graph: Any) -> None:
    assert ("radmann", "politisk_niva") in edges(graph, "accountable_to")
    assert ("direktor", "radmann") in edges(graph, "advises")
    assert ("tjenesteleder", "kommunalsjef") in edges(graph, "result_agreement")
    assert ("kommunalsjef_eiendom", "eiendom") in edges(graph, "heads")
    assert ("direktor_stab", "direktor") in edges(graph, "holds")
    assert ("kommunestyret", "politisk_niva") in edges(graph, "part_of")
    members = {
        (u, v, d["participation"])
        for u, v, k, d in graph.edges(keys=True, data=True)
        if k == "member_of"
    }
    assert ("radmann", "kommunestyret", "attends") in members
    assert ("direktor", "ledermote", "member") in members


def test_relations_without_a_stated_target_have_no_edge(graph: Any) -> None:
    agreements = edges(graph, "result_agreement")
    assert agreements == {("tjenesteleder", "kommunalsjef")}


def test_post_without_own_line_inherits_its_roles_line() -> None:
    graph = build_graph(load_org(FIXTURES / "small.yaml"))
    assert line_superior(graph, "topp") is None
    assert line_superior(graph, "sjef_a") == "topp"
    assert line_superior(graph, "medarbeider") == "sjef"
    assert line_superior(graph, "annen_topp") is None
