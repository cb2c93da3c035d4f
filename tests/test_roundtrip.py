"""``export --format csv`` then ``import csv`` gives the organisation back: ``diff`` finds the
original and the imported file equal in everything a CSV row carries (``carried``), for the
bundled data, the worked example, the people fixture and generated organisations that mix
every way of stating a line, titles, portfolios, plurals, counts, staff, units and holders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgroles.csvimport import import_csv
from orgroles.exports import export
from orgroles.exports.table import carried
from orgroles.index import build_index
from orgroles.load import load_bytes, load_org, validate_data
from orgroles.model import Org, from_data
from orgroles.queries.diff import compare
from tests.conftest import DATA, FIXTURES, ROOT, Invoke, property_examples
from tests.test_line_oracle import organisations


def round_trip(org: Org) -> Org:
    """The organisation after its CSV export is imported again."""
    text = import_csv(export(build_index(org), "csv").encode("utf-8"), "org.csv")
    return load_bytes(text.encode("utf-8"), "imported.yaml", use_cache=False)


def differences(org: Org) -> list[Any]:
    """What ``diff`` finds between an organisation and its round trip, in what CSV carries."""
    before, after = build_index(carried(org)), build_index(carried(round_trip(org)))
    return list(compare(before, after, "original", "imported").changes)


INVALID = ("broken.yaml", "delegation-limit-inversion.yaml", "delegation-broken-chain.yaml")


@pytest.mark.parametrize(
    "path",
    [
        DATA,
        ROOT / "docs" / "examples" / "company.yaml",
        *(p for p in sorted(FIXTURES.glob("*.yaml")) if p.name not in INVALID),
    ],
    ids=lambda p: p.name,
)
def test_the_round_trip_of_every_example_file(path: Path) -> None:
    assert differences(load_org(path)) == []


def test_what_csv_leaves_out_is_all_that_diff_reports(invoke: Invoke, tmp_path: Path) -> None:
    """Through the CLI: the company example loses only its title, unit kind names, aliases."""
    csv_file, again = tmp_path / "company.csv", tmp_path / "again.yaml"
    company = ROOT / "docs" / "examples" / "company.yaml"
    assert invoke("--data", str(company), "export", "-f", "csv", "-o", str(csv_file)).exit_code == 0
    assert invoke("import", "csv", str(csv_file), "-o", str(again)).exit_code == 0
    result = invoke("diff", str(company), str(again), "--json")
    assert result.exit_code == 1
    import json

    paths = sorted(c["path"] for c in json.loads(result.stdout)["changes"])
    assert paths == [
        "meta.title.en",
        "meta.title.nb",
        "roles[ceo].aliases",
        "vocabulary.unit_kinds[department].name",
    ]


NAMES = st.sampled_from(["Kari Nordmann", "Ola Hansen", "Åse Ødegård", "Jean-Luc O'Neil", "李"])


@st.composite
def decorated(draw: st.DrawFn) -> str:
    """A generated organisation (the line oracle's) with titles, English names, plurals,
    portfolios, units (kinds, part_of, heads), holders in every form, and vacancies."""
    data = yaml.safe_load(draw(organisations()))
    data["vocabulary"] = {
        "unit_kinds": [{"id": "dept", "name": {"nb": "avdeling", "en": "department"}}]
    }
    for role in data.get("roles", []):
        if draw(st.booleans()):
            role["name"] = {"nb": role["name"], "en": role["name"] + " (en)"}
        if draw(st.booleans()):
            role["plural"] = draw(st.sampled_from(["ledere", {"nb": "sjefer", "en": "chiefs"}]))
    units: list[dict[str, Any]] = []
    for i, post in enumerate(data.get("posts", [])):
        choice = draw(st.integers(0, 3))
        if choice == 1:
            post["title"] = draw(st.sampled_from(["Sjef", {"en": "Chief"}, {"nb": "A", "en": "B"}]))
        elif choice == 2:
            post["portfolio"] = {"nb": f"felt {i}", "en": f"field {i}"}
        if draw(st.integers(0, 3)) == 0:
            unit: dict[str, Any] = {"id": f"u{i}", "kind": "dept", "name": f"Enhet {i}"}
            earlier = [str(u["id"]) for u in units]
            inside: bool = draw(st.booleans())
            if earlier and inside:
                unit["part_of"] = draw(st.sampled_from(earlier))
            units.append(unit)
            post["heads"] = unit["id"]
        people = draw(st.integers(0, 3))
        if people == 1:
            post["holders"] = [draw(NAMES)]
        elif people == 2:
            post["holders"] = [
                {
                    "name": draw(NAMES),
                    "email": f"p{i}@example.org",
                    "external_id": f"E{i}",
                    "acting": draw(st.booleans()),
                    "from": "2024-01-01",
                },
                {"name": f"Person {i}", "until": "2023-12-31"},
            ]
        elif people == 3:
            post["vacant"] = True
            if draw(st.booleans()):
                post["holders"] = [{"name": draw(NAMES), "until": "2020-06-30"}]
    if units:
        data["units"] = units
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@settings(
    max_examples=property_examples(40, "ORGROLES_ROUNDTRIP_EXAMPLES"),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(text=decorated())
def test_the_round_trip_of_generated_organisations(text: str) -> None:
    org = from_data(validate_data(text.encode("utf-8"), "gen.yaml"))
    assert differences(org) == []
