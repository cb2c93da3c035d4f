"""Exports, each checked by the program that reads it: Graphviz, networkx, rdflib, csv."""

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import networkx as nx
import pytest
import rdflib
from hypothesis import example, given, settings
from hypothesis import strategies as st

from orgroles.exports import EXPORTERS, FORMATS, export, export_any
from orgroles.exports.graphs import export_graph
from orgroles.exports.rdf import FOAF, ID, ORG, WHOLE
from orgroles.index import OrgIndex, build_index
from orgroles.load import load_org
from orgroles.queries.line import who_reports_to as _who_reports_to
from tests.conftest import DATA, FIXTURES, ROOT, Invoke, property_examples, reading
from tests.test_line_oracle import organisations

who_reports_to = reading(_who_reports_to)

HOSTILE = FIXTURES / "exports.yaml"


@pytest.fixture(scope="module")
def hostile() -> OrgIndex:
    """Names with quotes, brackets, parentheses, æøå, backslashes and Mermaid/DOT syntax."""
    return build_index(load_org(HOSTILE))


def indexes(ix: OrgIndex, hostile: OrgIndex) -> list[OrgIndex]:
    return [ix, hostile]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_is_deterministic(ix: OrgIndex, fmt: str) -> None:
    again = build_index(load_org(Path(ix.org.file)))
    assert export_any(ix, fmt) == export_any(again, fmt)


def test_dot_renders_with_graphviz(ix: OrgIndex, hostile: OrgIndex, tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        if os.environ.get("ORGROLES_CI"):
            pytest.fail("CI must have Graphviz (.ci/run installs it)")
        pytest.skip("Graphviz is not installed")
    for index in indexes(ix, hostile):
        source = tmp_path / "org.dot"
        source.write_text(export(index, "dot"), encoding="utf-8")
        proc = subprocess.run(["dot", "-Tsvg", str(source)], capture_output=True, check=False)
        assert proc.returncode == 0, proc.stderr.decode()
        assert proc.stderr == b""
        svg = proc.stdout.decode("utf-8")
        for node in index.graph.nodes:  # every node is drawn, with its name
            assert f"<title>{node}</title>" in svg or node in svg
        first = next(iter(index.graph.nodes))
        assert index.label(first, "nb") in html.unescape(svg)
        chart = tmp_path / "chart.dot"
        chart.write_text(export(index, "dot", line_only=True), encoding="utf-8")
        proc = subprocess.run(["dot", "-Tsvg", str(chart)], capture_output=True, check=False)
        assert (proc.returncode, proc.stderr) == (0, b""), proc.stderr.decode()


MERMAID_NODE = re.compile(r'^  (n\d+)(\("|\["|\[/"|\(\[")([^"]*)("\)|"\]|"/\]|"\]\))$')
MERMAID_EDGE = re.compile(r'^  (n\d+) (-->|-\.->\|"[^"]*"\|) (n\d+)$')


def test_mermaid_follows_its_syntax_rules(ix: OrgIndex, hostile: OrgIndex) -> None:
    for index in indexes(ix, hostile):
        lines = export(index, "mermaid").splitlines()
        assert lines[0] == "flowchart TD"
        declared: set[str] = set()
        for line in lines[1:]:
            node, edge = MERMAID_NODE.match(line), MERMAID_EDGE.match(line)
            assert node or edge, line
            if node:
                assert node.group(1) not in declared
                declared.add(node.group(1))
                opening, closing = node.group(2), node.group(4)
                assert {'("': '")', '["': '"]', '[/"': '"/]', '(["': '"])'}[opening] == closing
                assert not re.search(r'["<>]', node.group(3))  # quotes and tags are entities
            else:
                assert edge is not None
                assert edge.group(1) in declared and edge.group(3) in declared
        assert len(declared) == index.graph.number_of_nodes()
    text = export(hostile, "mermaid")
    assert "#quot;" in text and "æøå" in text and "(ca. 3)" in text


def comparable(graph: Any) -> tuple[dict[str, dict[str, Any]], set[tuple[str, str, str, str]]]:
    nodes = {str(n): {k: v for k, v in d.items()} for n, d in graph.nodes(data=True)}
    edges = {
        (
            str(u),
            str(v),
            str(k),
            json.dumps({a: b for a, b in d.items() if a != "id"}, sort_keys=True),
        )
        for u, v, k, d in graph.edges(keys=True, data=True)
    }
    return nodes, edges


def _keyed_by_relation(read: Any) -> Any:
    """A graph read from GraphML, each edge keyed by its type (its ``relation``), as
    ``export_graph`` keys it; the ids it was read with must be unique (yEd keeps one edge per
    id)."""
    assert isinstance(read, nx.MultiDiGraph)
    ids = [key for _, _, key in read.edges(keys=True)]  # (networkx keys an edge by its id)
    assert len(set(ids)) == len(ids) == len(read.edges)
    back = nx.MultiDiGraph(**read.graph)
    back.add_nodes_from(read.nodes(data=True))
    back.add_edges_from((u, v, data["relation"], data) for u, v, data in read.edges(data=True))
    return back


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "node-link"])
def test_graph_formats_read_back_into_the_same_graph(
    ix: OrgIndex, hostile: OrgIndex, fmt: str
) -> None:
    for index in indexes(ix, hostile):
        expected = export_graph(index, "nb")
        text = export(index, fmt)
        if fmt == "graphml":
            back = _keyed_by_relation(nx.read_graphml(io.BytesIO(text.encode())))
        elif fmt == "gexf":
            back = nx.read_gexf(io.BytesIO(text.encode()))
        else:
            back = nx.node_link_graph(json.loads(text), edges="edges")
        assert isinstance(back, nx.MultiDiGraph)
        assert nx.is_isomorphic(back, expected)
        assert comparable(back) == comparable(expected)


def test_export_graph_has_typed_edges_and_all_attributes(ix: OrgIndex) -> None:
    graph = export_graph(ix, "en")
    assert graph.nodes["tjenesteleder"] == {
        "kind": "role",
        "label": "service manager",
        "name_nb": "tjenesteleder",
        "name_en": "service manager",
        "count": 200,
        "approximate": True,
        "status": "stated",
        "slides": "14,15",
    }
    assert graph.edges["enhetssjef_hms", "direktor", "line"] == {
        "relation": "line",
        "status": "unspecified",
        "slides": "10,16",
    }
    assert {k for _, _, k in graph.edges(keys=True)} == {
        "line",
        "holds",
        "heads",
        "part_of",
        "member_of",
        "advises",
        "accountable_to",
        "cooperates_with",
        "dialogue_partner",
        "facilitates",
        "result_agreement",
        "supports",
    }


def sparql_subordinates(graph: rdflib.Graph, node: str, is_role: bool) -> set[str]:
    query = f"""PREFIX org: <{ORG}>
        SELECT DISTINCT ?s WHERE {{
          {{ ?s org:reportsTo <{ID}{node}> }}
          {"UNION { ?s org:reportsTo ?p . ?p org:role <" + ID + node + "> }" if is_role else ""}
        }}"""
    return {str(row[0]).removeprefix(ID) for row in graph.query(query)}  # type: ignore[index]


def test_linked_data_answers_who_reports_to_like_the_tool(ix: OrgIndex) -> None:
    turtle = rdflib.Graph().parse(data=export(ix, "turtle"), format="turtle")
    jsonld = rdflib.Graph().parse(data=export(ix, "jsonld"), format="json-ld")
    assert len(turtle) > 600
    from rdflib.compare import isomorphic

    assert isomorphic(turtle, jsonld)  # the two serialisations carry the same triples
    for node in [*ix.roles, *ix.posts]:
        expected = {r.id for r in who_reports_to(ix, node).rows if not r.possibly}
        assert sparql_subordinates(turtle, node, node in ix.roles) == expected, node


def test_linked_data_vocabulary(ix: OrgIndex) -> None:
    graph = rdflib.Graph().parse(data=export(ix, "turtle"), format="turtle")
    org = rdflib.Namespace(ORG)
    radmann = rdflib.URIRef(ID + "radmann")
    assert (radmann, rdflib.RDF.type, org.Role) in graph
    labels = {
        (str(o), getattr(o, "language", None))
        for o in graph.objects(radmann, rdflib.SKOS.prefLabel)
    }
    assert labels == {("rådmann", "nb"), ("chief municipal executive", "en")}
    units = set(graph.subjects(rdflib.RDF.type, org.OrganizationalUnit))
    assert len(units) == 25
    assert len(set(graph.objects(rdflib.URIRef(WHOLE), org.hasUnit))) == 25
    assert (rdflib.URIRef(ID + "direktor_hr"), org.reportsTo, radmann) in graph
    hms = rdflib.URIRef(ID + "enhetssjef_hms")
    assert (hms, org.postIn, rdflib.URIRef(ID + "hms")) in graph


def test_csv_reads_back(ix: OrgIndex, hostile: OrgIndex) -> None:
    rows = list(csv.DictReader(io.StringIO(export(ix, "csv"))))
    kinds = [r["kind"] for r in rows]
    assert (kinds.count("class"), kinds.count("role"), kinds.count("post")) == (2, 3, 27)
    assert kinds.count("unit") == 25 and len(rows) == 2 + 3 + 27 + 25
    by_id = {r["id"]: r for r in rows}
    assert {k: v for k, v in by_id["tjenesteleder"].items() if v} == {
        "id": "tjenesteleder",
        "kind": "class",
        "name_nb": "tjenesteleder",
        "name_en": "service manager",
        "role": "tjenesteleder",
        "reports_to": "kommunalsjef",
        "reports_to_unspecified": "true",
        "count": "200",
        "approximate": "true",
        "reports_to_stated": "kommunalsjef",
        "plural_nb": "tjenesteledere",
        "plural_en": "service managers",
    }
    assert by_id["direktor"]["kind"] == "role" and by_id["direktor"]["reports_to"] == "radmann"
    assert by_id["direktor_hr"]["portfolio_en"] == "Human Resources"
    assert by_id["direktor_hr"]["title_nb"] == "" and by_id["direktor_hr"]["vacant"] == "false"
    assert (by_id["hms"]["kind"], by_id["hms"]["unit_kind"]) == ("unit", "support_unit")
    assert by_id["enhetssjef_hms"]["unit"] == "hms"
    assert by_id["enhetssjef_hms"]["reports_to_unspecified"] == "true"
    hostile_rows = list(csv.DictReader(io.StringIO(export(hostile, "csv"))))
    assert {r["id"] for r in hostile_rows} >= {p.id for p in hostile.org.posts}


def test_cli_export_to_stdout_and_file(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("export", "--format", "csv")
    assert result.exit_code == 0 and result.stdout.startswith("id,kind,name_nb")
    target = tmp_path / "org.ttl"
    result = invoke("export", "-f", "turtle", "-o", str(target), "--lang", "en")
    assert (result.exit_code, result.stdout) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("@prefix org:")
    bad = invoke("export", "-f", "png")
    assert bad.exit_code == 2 and "expected one of dot, mermaid" in bad.stderr
    nowhere = invoke("export", "-f", "csv", "-o", str(tmp_path / "missing" / "x.csv"))
    assert (nowhere.exit_code, nowhere.stdout) == (74, "")  # a write that failed
    assert "cannot write" in nowhere.stderr


@pytest.mark.slow
def test_exports_work_on_a_users_large_file(
    invoke: Invoke, synthetic: Callable[[int, int], Path]
) -> None:
    path = synthetic(3000, 5)
    for fmt in FORMATS:
        into = ["-o", str(path.with_suffix("." + fmt)), "--force"] if EXPORTERS[fmt].binary else []
        result = invoke("--data", str(path), "export", "-f", fmt, *into)
        assert result.exit_code == 0, (fmt, result.stderr)
    rows = list(
        csv.DictReader(io.StringIO(invoke("--data", str(path), "export", "-f", "csv").stdout))
    )
    assert sum(r["kind"] == "post" for r in rows) == 3000


def _svg(dot_text: str) -> str:
    if shutil.which("dot") is None:
        if os.environ.get("ORGROLES_CI"):
            pytest.fail("CI must have Graphviz (.ci/run installs it)")
        pytest.skip("Graphviz is not installed")
    proc = subprocess.run(
        ["dot", "-Tsvg"], input=dot_text.encode(), capture_output=True, check=True
    )
    return proc.stdout.decode("utf-8")


# The employees report to one of the chairs, who sit in different places: the tree puts them
# at the top with its note, which no edge can carry.
CHAIRS_APART = """\
format: orgroles/1
meta: {title: chairs apart}
roles:
  - {id: chair, name: chair, plural: chairs}
  - {id: emp, name: emp, plural: emps, count: 7, reports_to: chair}
posts:
  - {id: c1, role: chair, title: C1}
  - {id: c2, role: chair, title: C2}
  - {id: x, title: X}
  - {id: y, title: Y, reports_to: x}
  - {id: c3, role: chair, title: C3, reports_to: y}
"""

# A post without a role reports to one of r0's posts: it follows them in the tree, not one of them.
ONE_OF_THE_TOP_POSTS = """\
format: orgroles/1
meta: {title: T, require_sources: false}
roles:
  - {id: r0, name: R0}
posts:
  - {id: p0_0, role: r0}
  - {id: p0_1, role: r0}
  - {id: p1, reports_to: r0}
"""


def test_the_line_only_dot_never_breaks_inside_a_word(tmp_path: Path) -> None:
    """Found by an attack: a long name was broken inside an emoji with a skin tone (👩 |
    🏽‍💻); names are broken between words only."""
    coder = "\U0001f469\U0001f3fd\u200d\U0001f4bb"
    long_word = "Organisasjonsutviklings-avdelingen" + coder * 3
    path = tmp_path / "wrap.yaml"
    path.write_text(
        "format: orgroles/1\nmeta: {title: T, require_sources: false}\n"
        f"posts:\n  - {{id: p, title: '{long_word} og {coder}'}}\n"
        '  - {id: q, title: "L1\\tTab title long enough to wrap here", reports_to: p}\n',
        encoding="utf-8",
    )
    dot = export(build_index(load_org(path, use_cache=False)), "dot", line_only=True)
    assert f'"p" [label="{long_word}\\nog {coder}"' in dot
    assert '"q" [label="L1\tTab title long enough\\nto wrap here"' in dot  # a tab stays


# g2 reports to one of the team leads (one under x, one under y): the tree keeps it in its
# role's group under x, with its note, which the group's one edge cannot carry.
A_MEMBER_ONE_OF_ELSEWHERE = """\
format: orgroles/1
meta: {title: T, require_sources: false}
roles:
  - {id: t, name: Teamleder}
  - {id: g, name: Rådgiver, plural: rådgivere}
posts:
  - {id: x, title: Sjef}
  - {id: y, title: Avdelingsleder, reports_to: x}
  - {id: t1, role: t, reports_to: x}
  - {id: t2, role: t, reports_to: y}
  - {id: g1, role: g, reports_to: x}
  - {id: g2, role: g, reports_to: t}
"""


def _flat(text: str) -> str:
    return " ".join(text.replace("\\n", " ").split())


@settings(max_examples=property_examples(50), deadline=None)
@given(text=organisations())
@example(text=CHAIRS_APART)
@example(text=ONE_OF_THE_TOP_POSTS)
@example(text=A_MEMBER_ONE_OF_ELSEWHERE)
def test_the_line_only_dot_says_every_note_of_the_tree(text: str) -> None:
    """Every "reports to one of …; the source does not say which" of ``tree`` is in the chart:
    on the dashed edge to its row, or in the box of a row the tree puts at the top; a role's
    box holds its posts only (a post reporting to one of them stood in it)."""
    from orgroles.load import validate_data
    from orgroles.model import from_data
    from orgroles.queries.line import line_tree
    from orgroles.render.labels import say

    ix = build_index(from_data(validate_data(text.encode(), "gen.yaml")))
    raw = export(ix, "dot", line_only=True)
    for cluster, body in re.findall(r'subgraph "cluster_(.*?)@[^"]*" \{\n(.*?)\n  \}', raw, re.S):
        boxes = re.findall(r'^    "([^"]+)" \[label=', body, re.M)
        assert boxes and all(ix.role_of(box) == cluster for box in boxes), (cluster, boxes)
    dot = _flat(raw)
    for row in line_tree(ix).rows:
        if row.note is not None:
            assert _flat(say(row.note, "nb")) in dot, row.key
            if row.parent is None:
                assert "dashed" in dot


def _texts(svg: str) -> list[str]:
    return sorted(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_the_line_only_dot_reads_as_an_org_chart(ix: OrgIndex) -> None:
    dot = export(ix, "dot", line_only=True)
    assert "rankdir=TB" in dot and "compound=true" in dot
    assert 'label="direktører (4)"' in dot and 'label="enhetssjefer (14)"' in dot
    assert re.search(r'"tjenesteleder" \[label="tjenesteledere\\n\(ca\. 200\)"', dot)
    dashed = [line for line in dot.splitlines() if "style=dashed" in line]
    assert len(dashed) == 2  # the enhetssjefer under "a director", tjenesteledere "a kommunalsjef"
    svg = _svg(dot)
    size = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert size is not None
    width, height = float(size.group(1)), float(size.group(2))
    assert 0.5 <= width / height <= 2.0, (width, height)  # fits a page, not a long strip
    texts = _texts(svg)
    for post in ix.org.posts:  # every post drawn, in its role's box
        assert any(post.id in dot and ix.label(post.id, "nb")[:10] in t for t in texts), post.id


def test_the_readme_org_chart_is_what_the_export_draws(ix: OrgIndex) -> None:
    """docs/org-chart.svg: regenerate with
    orgroles export --format dot --line-only | dot -Tsvg > docs/org-chart.svg"""
    committed = (Path(__file__).resolve().parent.parent / "docs" / "org-chart.svg").read_text(
        encoding="utf-8"
    )
    assert _texts(_svg(export(ix, "dot", line_only=True))) == _texts(committed)


EDGE_FILES = [
    DATA,
    *sorted(p for p in (ROOT / "tests" / "fixtures").glob("*.yaml") if "broken" not in p.name),
    *sorted((ROOT / "docs" / "examples").glob("*.yaml")),
]
EDGE_FILES = [p for p in EDGE_FILES if not p.name.startswith("delegation-")]  # invalid on purpose


@pytest.mark.parametrize("path", EDGE_FILES, ids=lambda p: p.name)
def test_edges_read_from_the_entities_are_the_graphs_in_order(path: Path) -> None:
    """The streaming exports read the edges without the graph (``sorted_edges``): the same
    edges, attributes and order as sorting the graph's."""
    from orgroles.graph import sorted_edges

    index = build_index(load_org(path, use_cache=False))
    streamed = [(u, v, k, d) for u, v, k, d in sorted_edges(index)]
    order = index.order
    expected = sorted(
        index.graph.edges(keys=True, data=True), key=lambda e: (order(e[0]), order(e[1]), e[2])
    )
    assert streamed == expected


@pytest.mark.parametrize("fmt", [f for f in FORMATS if EXPORTERS[f].chunks])
def test_a_streamed_format_is_the_same_text_in_pieces(
    ix: OrgIndex, hostile: OrgIndex, fmt: str
) -> None:
    from orgroles.exports import export_chunks

    for index in indexes(ix, hostile):
        for line_only in (False, True) if EXPORTERS[fmt].line_only else (False,):
            pieces = list(export_chunks(index, fmt, "en", line_only))
            whole = export_any(index, fmt, "en", line_only)
            if isinstance(whole, bytes):
                assert all(isinstance(piece, bytes) for piece in pieces)
                assert b"".join(cast(list[bytes], pieces)) == whole
            else:
                assert all(isinstance(piece, str) for piece in pieces)
                assert "".join(cast(list[str], pieces)) == whole


@pytest.mark.parametrize("path", EDGE_FILES, ids=lambda p: p.name)
def test_linked_data_says_each_subject_once_with_every_triple(path: Path) -> None:
    """Turtle and JSON-LD are written subject by subject (``rdf.blocks``): each subject in one
    block, every triple once, and rdflib reads back exactly those triples."""
    from orgroles.exports.rdf import Literal, blocks, triples

    index = build_index(load_org(path, use_cache=False))
    subjects = [subject for subject, _ in blocks(index)]
    assert len(subjects) == len(set(subjects))
    expected = set()
    for s, p, o in triples(index):
        if isinstance(o, Literal):
            obj: Any = rdflib.Literal(o.value, lang=o.lang)  # (rdflib types ints and booleans)
        else:
            obj = rdflib.URIRef(o)
        expected.add((rdflib.URIRef(s), rdflib.URIRef(p), obj))
    for fmt, name in (("turtle", "turtle"), ("jsonld", "json-ld")):
        graph = rdflib.Graph().parse(data=export(index, fmt), format=name)
        assert set(graph) == expected, fmt


CARRIAGE_RETURNS = """\
format: orgroles/1
meta:
  title: "CR\\r title\\ttab"
vocabulary:
  forum_kinds: [{id: m, name: møte}]
roles:
  - {id: a, name: {nb: "a\\rb", en: "c\\r\\nd"}}
  - {id: b, name: "x\\ty", reports_to: a}
posts:
  - {id: p, role: b, holders: ["Per\\rSon"]}
forums:
  - {id: f, kind: m, name: "f\\rf", members: [p]}
"""


def test_a_carriage_return_in_a_name_survives_graphml(tmp_path: Path) -> None:
    """XML parsers read a raw CR as a line feed: GraphML writes it as &#13; (an attack found
    it lost, with networkx's writer too)."""
    path = tmp_path / "cr.yaml"
    path.write_text(CARRIAGE_RETURNS, encoding="utf-8")
    index = build_index(load_org(path, use_cache=False))
    assert index.roles["a"].name.nb == "a\rb"
    for fmt in ("graphml", "gexf"):
        text = export(index, fmt)
        if fmt == "graphml":
            back = nx.read_graphml(io.BytesIO(text.encode()), force_multigraph=True)
        else:  # (read back as a DiGraph: there are no parallel edges)
            back = nx.MultiDiGraph(nx.read_gexf(io.BytesIO(text.encode())))
        assert comparable(back)[0] == comparable(export_graph(index, "nb"))[0], fmt
        assert back.graph.get("name") == "CR\r title\ttab", fmt
    assert "\r" not in export(index, "mermaid")
    assert "\r" not in export(index, "dot")


def test_linked_data_iris_are_valid_and_the_organisation_is_no_entity(tmp_path: Path) -> None:
    """Found by an attack: "µ" is a letter to Python but not in a Turtle local name (strict
    parsers refused `id:µ`); an entity with the id "organisation" was the organisation itself;
    an e-mail with ">" was a different IRI in Turtle and JSON-LD."""
    from orgroles.exports.rdf import blocks

    path = tmp_path / "iris.yaml"
    path.write_text(
        "format: orgroles/1\nmeta:\n  title: T\n"
        "posts:\n"
        "  - {id: organisation}\n"
        "  - id: \u00b5\n"
        "    reports_to: organisation\n"
        "    holders: [{name: A, email: 'a>b@example.org'}]\n",
        encoding="utf-8",
    )
    index = build_index(load_org(path, use_cache=False))
    turtle = export(index, "turtle")
    assert "id:\u00b5" not in turtle and f"<{ID}\u00b5>" in turtle
    subjects = [subject for subject, _ in blocks(index)]
    assert (
        len(subjects) == len(set(subjects))
        and WHOLE in subjects
        and ID + "organisation" in subjects
    )
    as_turtle = set(rdflib.Graph().parse(data=turtle, format="turtle"))
    as_jsonld = set(rdflib.Graph().parse(data=export(index, "jsonld"), format="json-ld"))
    assert as_turtle == as_jsonld
    assert (rdflib.URIRef(WHOLE), rdflib.RDF.type, rdflib.URIRef(ORG + "Post")) not in as_turtle


def test_the_files_vocabulary_has_namespaces_of_its_own(tmp_path: Path) -> None:
    """Found by an attack: an authority kind "Forum" was orv:Forum, the class of forums; a
    forum kind "count" orv:count, and the same id as a unit and an authority kind one term."""
    from orgroles.exports.rdf import FORUM_KIND, KIND, ORV, UNIT_KIND

    path = tmp_path / "ns.yaml"
    path.write_text(
        "format: orgroles/1\nmeta: {title: ns, require_sources: false}\nvocabulary:\n"
        "  authority_kinds: [{id: Forum, name: forumfullmakt}, {id: count, name: telling}]\n"
        "  unit_kinds: [{id: count, name: avd}]\n  forum_kinds: [{id: count, name: møte}]\n"
        "roles:\n  - {id: r, name: R, count: 1, authorities: [{kind: Forum, text: x}]}\n"
        "posts:\n  - {id: p, role: r, heads: u}\nunits:\n  - {id: u, kind: count, name: U}\n"
        "forums:\n  - {id: f, kind: count, name: F, members: [r]}\n",
        encoding="utf-8",
    )
    index = build_index(load_org(path, use_cache=False))
    graph = rdflib.Graph().parse(data=export(index, "turtle"), format="turtle")
    assert set(graph) == set(rdflib.Graph().parse(data=export(index, "jsonld"), format="json-ld"))
    iri = rdflib.URIRef
    kinds = set(graph.subjects(rdflib.RDF.type, iri(ORV + "AuthorityKind")))
    assert kinds == {iri(KIND + "Forum"), iri(KIND + "count")}
    assert set(graph.subjects(rdflib.RDF.type, iri(ORV + "Forum"))) == {iri(ID + "f")}
    assert set(graph.objects(iri(ID + "u"), iri(ORV + "unitKind"))) == {iri(UNIT_KIND + "count")}
    assert set(graph.objects(iri(ID + "f"), iri(ORV + "forumKind"))) == {iri(FORUM_KIND + "count")}


@pytest.mark.parametrize(
    "email",
    ["a#b@x.no", "a?b@x.no", "a%20b@x.no", "a/b&c=d@x.no", "ærlig@x.no", "k@x.no", "a;b,c@x.no"],
)
def test_an_e_mail_is_one_mailto_iri_that_reads_back_as_it_was(email: str, tmp_path: Path) -> None:
    """Found by an attack: "#" started a fragment, "?" header fields, "%20" read back as a
    space. Turtle and JSON-LD carry the same IRI, and decoding it gives the address."""
    from urllib.parse import unquote

    path = tmp_path / "mail.yaml"
    path.write_text(
        "format: orgroles/1\nmeta:\n  title: T\nposts:\n  - id: p\n"
        f"    holders: [{{name: A, email: '{email}'}}]\n",
        encoding="utf-8",
    )
    index = build_index(load_org(path, use_cache=False))
    graphs = [
        rdflib.Graph().parse(data=export(index, fmt), format=syntax)
        for fmt, syntax in (("turtle", "turtle"), ("jsonld", "json-ld"))
    ]
    assert set(graphs[0]) == set(graphs[1])
    boxes = [str(o) for o in graphs[0].objects(None, rdflib.URIRef(FOAF + "mbox"))]
    assert len(boxes) == 1 and boxes[0].startswith("mailto:")
    address = boxes[0].removeprefix("mailto:")
    assert not set(address) & set("#?/&=;,") and unquote(address) == email


# Text drawn mostly from the characters each escape handles, so both of its paths are taken.
escapable = st.text(
    alphabet=st.sampled_from('ab\\"\n\r\t&<>#*_`é\u2028 []~$:@wW.-+1)%') | st.characters()
)
MERMAID_CODES = {
    **{ch: f"#{ord(ch)};" for ch in "#&\\*_`[]~$:@%"},
    **{'"': "#quot;", "<": "#lt;", ">": "#gt;", "\r": " ", "\n": " "},
}


def _mermaid_label(text: str) -> str:
    """Mermaid's label rule as docs/exports.md writes it, character by character."""
    out = "".join(MERMAID_CODES.get(ch, ch) for ch in text.replace("\r\n", " "))
    out = re.sub("(?i)(www)[.]", "\\1#46;", out)
    start = re.match(r"([ \t]*)([-+]|[0-9]+[.)])?", out)
    assert start is not None
    blanks, marker = start.group(1), start.group(2) or ""
    coded = "".join(f"#{ord(ch)};" for ch in blanks)
    if marker:
        coded += marker[:-1] + f"#{ord(marker[-1])};"
    out = coded + out[start.end() :]
    end = re.search(r"[ \t]*\Z", out)
    assert end is not None
    return out[: end.start()] + "".join(f"#{ord(ch)};" for ch in end.group())


@settings(max_examples=property_examples(300), deadline=None)
@given(escapable)
def test_each_escape_skips_only_text_that_needs_none(text: str) -> None:
    """DOT, Mermaid, XML and Turtle escape text only when it holds a character they replace:
    each gives what the whole chain of replacements gives (the written rule)."""
    from orgroles.exports.dot import quote
    from orgroles.exports.graphs import _text
    from orgroles.exports.mermaid import label
    from orgroles.exports.rdf import Literal, _turtle_literal

    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    dot = lines.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    assert quote(text) == f'"{dot}"'
    xml = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert _text(text) == xml.replace("\r", "&#13;")
    assert label(text) == _mermaid_label(text)
    turtle = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    turtle = turtle.replace("\r", "\\r").replace("\t", "\\t")
    assert _turtle_literal(Literal(text, "nb")) == f'"{turtle}"@nb'
    assert _turtle_literal(Literal(text)) == f'"{turtle}"'
