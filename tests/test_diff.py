"""orgroles diff: a realistic reorganisation, renames, git revisions, and exit codes like diff."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from orgroles.index import build_index
from orgroles.load import load_org
from orgroles.queries.diff import compare as _compare
from tests.conftest import DATA, FIXTURES, Invoke, reading

compare = reading(_compare)

REORG = FIXTURES / "reorg.yaml"
QUOTE = "Utviklingsarbeid mm vil som hovedregel organiseres som prosjekt eller arbeidsgrupper"


REORG_SOURCE: dict[str, object] = {
    "slides": [],
    "status": "stated",
    "quote": None,
    "document": "Omorganisering 2027 (eksempel)",
    "note": "A made-up reorganisation for the tests.",
}


def test_the_reorganisation_changes_exactly_this() -> None:
    answer = compare(build_index(load_org(DATA)), build_index(load_org(REORG)))
    assert [(c.change, c.kind, c.id, c.field, c.old, c.new) for c in answer.changes] == [
        ("added", "post", "kommunalsjef_barnehager", None, None, None),
        ("added", "post", "kommunalsjef_barnevern", None, None, None),
        ("added", "unit", "barnehager", None, None, None),
        ("added", "unit", "barnevern", None, None, None),
        ("removed", "post", "kommunalsjef_barnehager_og_barnevern", None, None, None),
        ("removed", "unit", "barnehager_og_barnevern", None, None, None),
        ("renamed", "unit", "helse_miljo_sikkerhet", "id", "hms", "helse_miljo_sikkerhet"),
        ("moved", "post", "enhetssjef_lonn", "reports_to", "direktor", "direktor_hr"),
        (
            "count_changed",
            "role",
            "kommunalsjef",
            "count",
            {"value": 9, "approximate": False},
            {"value": 10, "approximate": False},
        ),
        ("heads_changed", "post", "enhetssjef_hms", "heads", "hms", "helse_miljo_sikkerhet"),
        (
            "authority_gained",
            "role",
            "tjenesteleder",
            "authorities[4]",
            None,
            {
                "kind": "budsjettansvar",
                "name": "budsjettansvar",
                "qualifier": "delegert",
                "scope": "eget_tjenestested",
            },
        ),
        (
            "source_changed",
            "role",
            "kommunalsjef",
            "count.source",
            {
                "slides": [12],
                "status": "stated",
                "quote": "9 kommunalsjefer",
                "document": None,
                "note": None,
            },
            REORG_SOURCE,
        ),
        (
            "source_changed",
            "post",
            "enhetssjef_lonn",
            "reports_to.source",
            {
                "slides": [10, 16],
                "status": "unspecified",
                "quote": "Rådmannen Direktørene Enhets- sjefene Støtte- funksjoner",
                "document": None,
                "note": "Reports to one of the directors; the slides do not say which.",
            },
            REORG_SOURCE,
        ),
    ]
    assert [c.path for c in answer.changes][6:] == [
        "units[hms].id",
        "posts[enhetssjef_lonn].reports_to",
        "roles[kommunalsjef].count",
        "posts[enhetssjef_hms].heads",
        "roles[tjenesteleder].authorities[4]",
        "roles[kommunalsjef].count.source",
        "posts[enhetssjef_lonn].reports_to.source",
    ]


def test_no_changes_exits_0(invoke: Invoke) -> None:
    result = invoke("diff", str(DATA), str(DATA))
    assert (result.exit_code, result.stdout) == (0, f"Ingen endringer fra {DATA} til {DATA}.\n")
    as_json = json.loads(invoke("diff", str(DATA), str(DATA), "--json").stdout)
    assert as_json == {"old": str(DATA), "new": str(DATA), "changes": []}


def test_changes_exit_1_with_one_json_entry_per_change(invoke: Invoke) -> None:
    result = invoke("diff", str(DATA), str(REORG), "--json")
    assert result.exit_code == 1
    changes = json.loads(result.stdout)["changes"]
    assert len(changes) == 13
    assert changes[7] == {
        "change": "moved",
        "kind": "post",
        "id": "enhetssjef_lonn",
        "name": "enhetssjef – lønn",
        "field": "reports_to",
        "path": "posts[enhetssjef_lonn].reports_to",
        "old": "direktor",
        "new": "direktor_hr",
        "old_unspecified": True,
        "new_unspecified": False,
    }
    assert changes[8]["old"] == {"value": 9, "approximate": False}  # numbers, not "9"


def test_text_is_grouped_by_kind_of_change(invoke: Invoke) -> None:
    text = invoke("diff", str(DATA), str(REORG), "--lang", "en").stdout
    titles = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert titles == [
        "Added (4)",
        "Removed (2)",
        "Renamed (1)",
        "Moved in the line (1)",
        "Count changed (1)",
        "Heads another unit (1)",
        "Authority gained (1)",
        "Source changed (2)",
    ]
    assert (
        "  Post  enhetssjef_lonn  head of support unit – Payroll  reports_to  "
        "direktor (one of them; not stated which)  direktor_hr"
    ) in text


def test_authorities_lost_and_changed(tmp_path: Path, invoke: Invoke) -> None:
    text = DATA.read_text(encoding="utf-8")
    changed = text.replace(
        "      - kind: budsjettansvar\n        scope: programomradet\n",
        "      - kind: budsjettansvar\n        scope: hele_kommunen\n",
    )
    changed = changed.replace(
        "      - kind: lonnsforhandlinger\n", "      - kind: lederansettelser\n"
    )
    path = tmp_path / "changed.yaml"
    path.write_text(changed, encoding="utf-8")
    answer = compare(build_index(load_org(DATA)), build_index(load_org(path)))
    assert [
        (c.change, c.id, c.old and c.old["kind"], c.new and c.new["kind"]) for c in answer.changes
    ] == [
        ("authority_gained", "direktor", None, "lederansettelser"),
        ("authority_lost", "direktor", "lonnsforhandlinger", None),
        ("authority_changed", "kommunalsjef", "budsjettansvar", "budsjettansvar"),
    ]
    assert (answer.changes[2].old["scope"], answer.changes[2].new["scope"]) == (
        "programomradet",
        "hele_kommunen",
    )
    text = invoke("diff", str(DATA), str(path)).stdout
    assert (
        "  Rolle  kommunalsjef  kommunalsjef  authorities[6]  budsjettansvar, omfang programomradet"
        "  budsjettansvar, omfang hele_kommunen\n"
    ) in text


def test_forum_members_and_sources(tmp_path: Path) -> None:
    text = DATA.read_text(encoding="utf-8")
    changed = text.replace(
        '      - {id: kommunalsjef, source: {slides: [12], quote: "Delta i ledermøte"}}\n',
        '      - {id: enhetssjef, source: {slides: [12], quote: "Delta i ledermøte"}}\n',
    )
    changed = changed.replace(
        '    source: {slides: [5], quote: "Utviklingsarbeid mm vil',
        '    source: {slides: [4], quote: "Utviklingsarbeid mm vil',
    )
    path = tmp_path / "forums.yaml"
    path.write_text(changed, encoding="utf-8")
    answer = compare(build_index(load_org(DATA)), build_index(load_org(path)))
    assert [(c.change, c.id, c.path, c.old, c.new) for c in answer.changes] == [
        ("member_added", "ledermote", "forums[ledermote].members[enhetssjef]", None, "enhetssjef"),
        (
            "member_removed",
            "ledermote",
            "forums[ledermote].members[kommunalsjef]",
            "kommunalsjef",
            None,
        ),
        (
            "source_changed",
            "prosjekt_og_arbeidsgrupper",
            "forums[prosjekt_og_arbeidsgrupper].source",
            {"slides": [5], "status": "stated", "quote": QUOTE, "document": None, "note": None},
            {"slides": [4], "status": "stated", "quote": QUOTE, "document": None, "note": None},
        ),
    ]


def test_a_file_in_a_git_revision(
    tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    shutil.copy(DATA, tmp_path / "roles.yaml")
    subprocess.run([*git, "add", "roles.yaml"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "before"], cwd=tmp_path, check=True)
    shutil.copy(REORG, tmp_path / "roles.yaml")
    monkeypatch.chdir(tmp_path)
    result = invoke("diff", "HEAD:roles.yaml", "roles.yaml", "--json")
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)["changes"]) == 13
    missing = invoke("diff", "HEAD:nothing.yaml", "roles.yaml")
    assert (missing.exit_code, missing.stdout) == (2, "")
    assert missing.stderr.startswith("orgroles: HEAD:nothing.yaml: not found in git")


def test_a_bad_file_is_trouble_exit_2(invoke: Invoke, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: orgroles/1\nmeta: {title: T, require_sources: no}\n", encoding="utf-8")
    result = invoke("diff", str(DATA), str(bad))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"orgroles: {bad}:2:35: expected true or false, found 'no'\n"
