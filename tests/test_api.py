"""The Python API (``orgroles.api``): docs/api.md's examples print what the docs say, the
answers are the CLI's, the graph follows its documented conventions, errors are exceptions."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from orgroles import api
from orgroles.errors import (
    AmbiguousNameError,
    DataFileError,
    DataPathError,
    OrgrolesError,
    UnknownNameError,
)
from orgroles.index import OrgIndex
from tests.conftest import DATA, FIXTURES, ROOT

API_DOC = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


def examples() -> list[tuple[str, str]]:
    """Return (code, expected output) for each ```python block; a ```text block right after it
    is what it prints, else it prints nothing."""
    found = []
    pattern = r"```python\n(.*?)```\n(?:\s*```text\n(.*?)```\n)?"
    for code, expected in re.findall(pattern, API_DOC, flags=re.S):
        found.append((code, expected))
    return found


def test_the_docs_have_examples() -> None:
    assert len(examples()) >= 7
    assert "betweenness_centrality" in API_DOC and "shortest_path" in API_DOC


def test_docs_examples_print_what_the_docs_say(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("ORGROLES_DATA", raising=False)
    namespace: dict[str, object] = {"__name__": "docs_api"}
    for number, (code, expected) in enumerate(examples(), start=1):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"docs/api.md example {number}", "exec"), namespace)
        assert out.getvalue() == expected, f"example {number}:\n{code}"


def test_the_readme_lists_the_api() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "[docs/api.md](docs/api.md)" in readme


# --- the answers are the CLI's ------------------------------------------------------------


def cli_json(*args: str, codes: tuple[int, ...] = (0,)) -> str:
    """What the CLI prints for ``args --json`` (in-process, stdout a pipe)."""
    from typer.testing import CliRunner

    from orgroles.cli import app

    env: dict[str, str | None] = {"ORGROLES_DATA": None, "ORGROLES_LANG": None}
    with contextlib.chdir(ROOT):
        result = CliRunner().invoke(app, [*args, "--json"], env=env, catch_exceptions=False)
    assert result.exit_code in codes, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def bundled() -> api.Organisation:
    return api.load()


def test_answers_are_what_the_cli_prints_as_json(bundled: api.Organisation) -> None:
    cases = [
        (bundled.tree(), ("tree",)),
        (
            bundled.tree("kommunalsjef", depth=1, lang="en"),
            ("tree", "kommunalsjef", "--depth", "1", "--lang", "en"),
        ),
        (
            bundled.who_reports_to("direktor", all_levels=True),
            ("who-reports-to", "direktor", "--all"),
        ),
        (
            bundled.reports_to("tjenesteleder", lang="en"),
            ("reports-to", "tjenesteleder", "--lang", "en"),
        ),
        (bundled.common("tjenesteleder", "enhetssjef"), ("common", "tjenesteleder", "enhetssjef")),
        (bundled.show("kommunalsjef"), ("show", "kommunalsjef")),
        (bundled.show("budsjettansvar", lang="en"), ("show", "budsjettansvar", "--lang", "en")),
        (bundled.roles(), ("roles",)),
        (bundled.authority(), ("authority",)),
        (bundled.authority("budget"), ("authority", "budget")),
        (bundled.search("resultatavtale"), ("search", "resultatavtale")),
        (bundled.stats(max_span=12, lang="en"), ("stats", "--max-span", "12", "--lang", "en")),
    ]
    for answer, args in cases:
        assert api.to_json(answer) == cli_json(*args), args
    several = [bundled.reports_to("kommunalsjef"), bundled.reports_to("enhetssjef")]
    assert bundled.to_json(several) == cli_json("reports-to", "kommunalsjef", "enhetssjef")


def test_load_takes_str_and_path_and_defaults_to_the_bundled_data() -> None:
    assert api.load(str(FIXTURES / "small.yaml")).file == str(FIXTURES / "small.yaml")
    assert api.load(FIXTURES / "small.yaml", use_cache=False).resolve("Styreleder") == "annen_topp"
    assert len(api.load(DATA).model.posts) == 27
    from orgroles.bundled import bundled_data_path

    assert api.load().file == str(bundled_data_path())


# --- errors are exceptions ---------------------------------------------------------------


def test_errors_raise_orgroles_errors(bundled: api.Organisation, tmp_path: Path) -> None:
    with pytest.raises(DataPathError, match="data file not found"):
        api.load(tmp_path / "missing.yaml")
    with pytest.raises(DataFileError) as broken:
        api.load(FIXTURES / "broken.yaml")
    assert [(p.line, p.column) for p in broken.value.problems] == [(5, 43), (9, 37), (11, 25)]
    with pytest.raises(UnknownNameError) as unknown:
        bundled.who_reports_to("kommunalsjeff")
    assert unknown.value.suggestions == ["kommunalsjef"]
    with pytest.raises(AmbiguousNameError):
        api.load(FIXTURES / "small.yaml").resolve("boss")  # an alias of two roles
    with pytest.raises(OrgrolesError, match="unknown language 'de'"):
        bundled.tree(lang="de")
    with pytest.raises(OrgrolesError, match="depth must be 0 or more"):
        bundled.tree(depth=-1)


# --- the graph ------------------------------------------------------------------------------


def test_graph_follows_its_documented_conventions(bundled: api.Organisation, ix: OrgIndex) -> None:
    G = bundled.graph()
    assert type(G) is nx.DiGraph and nx.is_directed_acyclic_graph(G)
    kinds = {n: d["kind"] for n, d in G.nodes(data=True)}
    assert {n for n, k in kinds.items() if k == "class"} == {"radmann", "tjenesteleder"}
    assert {n for n, k in kinds.items() if k == "role"} == {"direktor", "kommunalsjef"}
    assert sum(k == "post" for k in kinds.values()) == len(ix.org.posts) == 27
    for node, data in G.nodes(data=True):
        assert set(data) == {"kind", "name_nb", "name_en", "role", "count", "approximate", "unit"}
        if data["kind"] == "post":
            assert data["count"] == 1 and data["role"] == ix.role_of(node)
            assert data["name_en"] == ix.label(node, "en")
        else:
            assert data["role"] == node
    for u, v, data in G.edges(data=True):
        assert set(data) == {"relation", "one_of", "status", "slides"}
        assert data["status"] in ("stated", "inferred", "unspecified")
        if data["relation"] == "line":
            assert G.out_degree(u) == 1 and kinds[u] != "role"
            assert data["one_of"] == (kinds[v] == "role")
            assert tuple(ix.line.candidates(u)) == (
                tuple(ix.line.role_posts[v]) if data["one_of"] else (v,)
            )
        else:
            assert data["relation"] == "candidate" and data["one_of"] and kinds[u] == "role"
            assert v in ix.line.role_posts[u]
    # Above each node: the superiors the line model finds on its chains, and no others.
    for node in ix.line.nodes():
        possible = {c for step in ix.line.steps([node])[1:] for c in step.candidates}
        assert possible == {n for n in nx.descendants(G, node) if kinds[n] != "role"}, node


def test_graph_of_a_one_post_role_goes_straight_to_the_post() -> None:
    G = api.load(FIXTURES / "small.yaml").graph()
    assert G.edges["sjef_a", "topp"]["one_of"] is False
    assert "leder" not in G  # the role of one post is that post
    assert G.nodes["sjef"]["kind"] == "role" and G.edges["medarbeider", "sjef"]["one_of"]


def test_each_call_gives_a_new_graph(bundled: api.Organisation) -> None:
    first = bundled.graph()
    first.remove_node("radmann")
    assert "radmann" in bundled.graph()


FILES = [DATA, ROOT / "docs" / "examples" / "company.yaml"] + [
    FIXTURES / name
    for name in ("small.yaml", "team-leads.yaml", "one-post-top.yaml", "reorg.yaml", "exports.yaml")
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_graph_matches_the_line_on_every_file(path: Path) -> None:
    """Above each node, the graph reaches the superiors the line model finds on its chains,
    and below each, who-reports-to --all; the certain edges are the certain lines."""
    org = api.load(path)
    G = org.graph()
    ix = org._ix
    kinds = dict(G.nodes(data="kind"))
    assert nx.is_directed_acyclic_graph(G)
    for node in ix.line.nodes():
        possible = {c for step in ix.line.steps([node])[1:] for c in step.candidates}
        assert possible == {n for n in nx.descendants(G, node) if kinds[n] != "role"}, node
        below = {row.id for row in org.who_reports_to(node, all_levels=True).rows}
        assert below == {n for n in nx.ancestors(G, node) if kinds[n] != "role"}, node
        up = [v for _, v, one_of in G.out_edges(node, data="one_of") if not one_of]
        certain = ix.line.certain([node])[1:2]
        if up:
            assert certain == up, node


def test_the_api_needs_neither_typer_nor_rich() -> None:
    code = (
        "import sys\n"
        "from orgroles import api\n"
        "org = api.load()\n"
        "api.to_json(org.reports_to('tjenesteleder')); org.graph()\n"
        "import orgroles.precommit\n"
        "print(sorted(m for m in ('typer', 'rich', 'orgroles.cli') if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert proc.stdout == "[]\n"


def test_can_is_what_the_cli_prints_as_json(bundled: api.Organisation) -> None:
    example = str(ROOT / "docs" / "examples" / "delegation.yaml")
    for org, args in (
        (bundled, ["can", "tjenesteleder", "delegerte fullmakter"]),
        (api.load(example), ["--data", example, "can", "rektor", "innkjøp", "--amount", "150000"]),
    ):
        printed = cli_json(*args, codes=(0, 1, 3))  # can: yes, no, not stated
        at = args.index("can")
        answer = org.can(args[at + 1], args[at + 2], amount=150000 if "--amount" in args else None)
        assert api.to_json(answer) == printed, args
