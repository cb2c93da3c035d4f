"""orgroles stats: levels, leaders, spans (exact and estimated), authorities, span limits."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from orgroles.index import OrgIndex, build_index
from orgroles.load import load_org
from orgroles.queries.stats import statistics
from tests.conftest import FIXTURES, MINIMAL, Invoke


def test_the_seeds_model_in_numbers(ix: OrgIndex) -> None:
    answer = statistics(ix)
    assert answer.depth == 3
    assert [(r.level, r.leaders, r.approximate, r.roles) for r in answer.levels] == [
        (0, 1, False, ("radmann",)),
        (1, 13, False, ("direktor", "kommunalsjef")),
        (2, 214, True, ("tjenesteleder", "enhetssjef")),
    ]
    assert (answer.leaders, answer.leaders_approximate) == (228, True)  # 1 + 4 + 9 + ca. 200 + 14


def test_spans_exact_where_posts_are_listed_estimated_where_only_a_class_is(ix: OrgIndex) -> None:
    spans = {s.id: (s.span, s.exact, s.estimated, s.approximate) for s in statistics(ix).spans}
    assert spans["radmann"] == (13, 13, 0, False)  # 4 directors and 9 kommunalsjefer
    assert spans["kommunalsjef_kultur"] == (22.2, 0, 22.2, True)  # ca. 200 / 9
    assert spans["direktor_hr"] == (3.5, 0, 3.5, False)  # 14 / 4, which director not stated
    assert len(spans) == 1 + 4 + 9
    answer = statistics(ix)
    assert answer.widest is not None and answer.widest.id == "kommunalsjef_grunnskoleopplaering"
    assert answer.narrowest is not None and answer.narrowest.id == "direktor_spesialoppgaver"


def test_authorities_per_role(ix: OrgIndex) -> None:
    roles = {r.id: (r.authorities, r.conferred) for r in statistics(ix).roles}
    assert roles == {
        "radmann": (6, 2),
        "direktor": (4, 3),
        "kommunalsjef": (7, 3),
        "tjenesteleder": (5, 3),
        "enhetssjef": (0, 0),
    }


def test_max_span_warnings_and_strict_validation(ix: OrgIndex, invoke: Invoke) -> None:
    answer = statistics(ix, max_span=20)
    assert len(answer.warnings) == 9
    assert str(answer.warnings[0]) == (
        "kommunalsjef – grunnskoleopplæring "
        "(kommunalsjef_grunnskoleopplaering): a span of about 22.2 (estimated), "
        "above the maximum of 20"
    )
    assert statistics(ix).warnings == ()  # no limit, no warnings
    result = invoke("validate", "--strict", "--max-span", "25")
    assert result.exit_code == 0
    strict = invoke("validate", "--strict", "--max-span", "20")
    assert (strict.exit_code, strict.stdout) == (1, "")
    assert len(strict.stderr.splitlines()) == 9
    plain = invoke("validate", "--max-span", "20")
    assert plain.exit_code == 0 and len(plain.stderr.splitlines()) == 9  # warned, still valid
    assert plain.stderr.splitlines()[0].startswith("orgroles: ") and "warning" in plain.stderr


def test_the_limit_can_live_in_the_file(write_yaml: Callable[[str], Path], invoke: Invoke) -> None:
    text = MINIMAL.replace("require_sources: false", "require_sources: false, max_span: 2")
    text += "posts:\n  - {id: a}\n  - {id: b, reports_to: a}\n  - {id: c, reports_to: a}\n"
    text += "  - {id: d, reports_to: a}\n"
    path = write_yaml(text)
    data = json.loads(invoke("--data", str(path), "stats", "--json").stdout)
    assert data["max_span"] == 2
    assert data["warnings"] == ["a (a): kontrollspenn 3, over maksimum 2"]  # in --lang
    english = json.loads(invoke("--data", str(path), "stats", "--json", "--lang", "en").stdout)
    assert english["warnings"] == ["a (a): a span of 3, above the maximum of 2"]
    assert invoke("--data", str(path), "validate", "--strict").exit_code == 1
    assert invoke("--data", str(path), "stats", "--max-span", "3", "--json").exit_code == 0


def test_a_class_shares_its_subordinates_out_over_its_holders(
    write_yaml: Callable[[str], Path],
) -> None:
    text = (
        MINIMAL
        + """roles:
  - {id: sjef, name: sjef, count: {value: 4}}
  - {id: leder, name: leder, reports_to: sjef, count: {value: 40, approximate: true}}
"""
    )
    answer = statistics(build_index(load_org(write_yaml(text))))
    assert [(s.id, s.span, s.estimated, s.approximate) for s in answer.spans] == [
        ("sjef", 10, 10, True)
    ]


@pytest.mark.slow
def test_stats_scale_and_render(invoke: Invoke, synthetic: Callable[[int, int], Path]) -> None:
    path = synthetic(5000, 4)
    data = json.loads(invoke("--data", str(path), "stats", "--json").stdout)
    assert data["leaders"] == 5000 and data["depth"] == len(data["levels"]) == 5
    assert sum(s["exact"] for s in data["spans"]) == 4999  # every post but the top one
    text = invoke("stats", "--lang", "en").stdout
    assert text.startswith("Levels in the line: 3; leaders: about 228\n")


def test_stats_on_the_small_fixture() -> None:
    answer = statistics(build_index(load_org(FIXTURES / "small.yaml")))
    assert [(r.level, r.leaders, r.approximate) for r in answer.levels] == [
        (0, 2, False),
        (1, 2, False),
        (2, 30, True),
    ]


def test_span_warnings_name_the_post_at_its_line_and_column(invoke: Invoke) -> None:
    from tests.conftest import DATA

    result = invoke("validate", "--strict", "--max-span", "20")
    first = result.stderr.splitlines()[0]
    line = next(
        i
        for i, text in enumerate(DATA.read_text(encoding="utf-8").splitlines(), start=1)
        if "id: kommunalsjef_grunnskoleopplaering" in text
    )
    assert first.startswith(f"orgroles: {DATA}:{line}:9: kommunalsjef – grunnskoleopplæring")
