"""People who hold posts: the format, names of people, answers, exports, and --no-people."""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from orgroles.exports import FORMATS
from orgroles.index import build_index
from orgroles.load import load_org
from orgroles.model import without_people
from orgroles.queries.detail import show as _show
from orgroles.queries.stats import statistics as _statistics
from tests.conftest import FIXTURES, MINIMAL, Invoke, reading

show = reading(_show)
statistics = reading(_statistics)

PEOPLE = FIXTURES / "people.yaml"
DATA = ("--data", str(PEOPLE))
# Everything personal in the fixture: it must never appear with --no-people.
PERSONAL = (
    "Kari Nordmann",
    "Ola Hansen",
    "ola.hansen@example.org",
    "E1042",
    "Per Olsen",
    "Siri Berg",
    "siri@example.org",
    "E2001",
    "Jonas Lie",
)


def test_holders_are_read_as_written() -> None:
    org = load_org(PEOPLE)
    posts = {p.id: p for p in org.posts}
    assert [h.name for h in posts["ceo-post"].holders] == ["Kari Nordmann"]  # the short form
    ola = posts["sales"].holders[0]
    assert (ola.email, ola.external_id, ola.acting, ola.from_, ola.until) == (
        "ola.hansen@example.org",
        "E1042",
        True,
        "2025-01-01",
        None,
    )
    assert posts["it"].vacant and posts["it"].holders[0].until == "2025-06-30"
    assert [h.name for h in posts["assistant"].holders] == ["Siri Berg", "Jonas Lie"]


@pytest.mark.parametrize(
    ("holders", "message"),
    [
        (
            "vacant: true\n    holders: [Kari]",
            "6:15: post 'a' is vacant, but holder 1 of post 'a' holds it",
        ),
        (
            "holders: [{name: Kari, from: 2020-01-02, until: 2020-01-01}]",
            "5:53: holder 1 of post 'a' holds it until 2020-01-01, before 2020-01-02",
        ),
        ("holders: [Kari, kari]", "5:21: holder 2 of post 'a' is listed twice"),
        ("holders: [{name: Kari, email: kari}]", "5:35: 'kari' is not an e-mail address"),
        ("holders: [{name: Kari, from: 2020-02-30}]", "5:34: '2020-02-30' is not a real date"),
        ("holders: [{email: k@example.org}]", "5:15: Holder is missing the required key 'name'"),
    ],
)
def test_bad_holders_are_located(
    invoke: Invoke, write_yaml: Callable[[str], Path], holders: str, message: str
) -> None:
    path = write_yaml(MINIMAL + "posts:\n  - id: a\n    " + holders + "\n")
    result = invoke("--data", str(path), "validate")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{path}:{message}" in result.stderr, result.stderr


def test_the_same_name_twice_is_two_people_when_they_differ_or_one_has_left(
    invoke: Invoke, write_yaml: Callable[[str], Path]
) -> None:
    for holders in (
        "[{name: Åse Lie, from: 2024-01-02}, {name: Åse Lie, until: 2024-01-01}]",
        "[{name: Åse Lie, until: 2024-01-01}, {name: Åse Lie, from: 2024-01-02}]",
        "[{name: Ola Berg, email: a@example.org}, {name: Ola Berg, email: b@example.org}]",
    ):
        path = write_yaml(MINIMAL + f"posts:\n  - id: a\n    holders: {holders}\n")
        assert invoke("--data", str(path), "validate").exit_code == 0, holders


def test_no_holder_name_in_error_messages(
    invoke: Invoke, write_yaml: Callable[[str], Path]
) -> None:
    path = write_yaml(
        MINIMAL
        + "posts:\n  - id: a\n    vacant: true\n    holders: [Kari Nordmann, Kari Nordmann]\n"
    )
    result = invoke("--data", str(path), "--no-people", "validate")
    assert result.exit_code == 1 and "Kari" not in result.stderr


def test_a_former_holder_may_stay_on_a_vacant_post(
    invoke: Invoke, write_yaml: Callable[[str], Path]
) -> None:
    path = write_yaml(
        MINIMAL
        + "posts:\n  - id: a\n    vacant: true\n    holders: [{name: K, until: 2020-01-01}]\n"
    )
    assert invoke("--data", str(path), "validate").exit_code == 0


@pytest.mark.parametrize(
    ("typed", "post"),
    [
        ("Ola Hansen", "sales"),
        ("ola hansen", "sales"),
        ("OLA HANSEN", "sales"),
        ("Hansen", "sales"),  # a whole word of the name
        ("ola.hansen@example.org", "sales"),
        ("E1042", "sales"),
        ("Kari Nordmann", "ceo-post"),
        ("Siri Berg", "assistant"),
        ("Jonas Lie", "assistant"),
    ],
)
def test_people_resolve_to_the_post_they_hold(invoke: Invoke, typed: str, post: str) -> None:
    result = invoke(*DATA, "show", typed, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == post


def test_a_name_two_people_share_is_ambiguous(
    invoke: Invoke, write_yaml: Callable[[str], Path]
) -> None:
    path = write_yaml(
        MINIMAL + "posts:\n  - {id: a, title: Sjef, holders: [Ola Hansen]}\n"
        "  - {id: b, title: Nestleder, reports_to: a, holders: [Ola Hansen]}\n"
    )
    result = invoke("--data", str(path), "reports-to", "Ola Hansen")
    assert result.exit_code == 1
    assert "Nestleder (b)" in result.stderr and "Sjef (a)" in result.stderr


def test_a_misspelt_person_gets_suggestions(invoke: Invoke) -> None:
    result = invoke(*DATA, "show", "Ola Hanssen")
    assert result.exit_code == 1
    assert "avdelingsleder – Salg (sales)" in result.stderr


def test_show_says_who_holds_a_post(invoke: Invoke) -> None:
    text = invoke(*DATA, "show", "sales").stdout
    assert "Innehaver   Ola Hansen (konstituert, fra 2025-01-01)" in text
    english = invoke(*DATA, "show", "it", "--lang", "en").stdout
    assert "Held by     Per Olsen (from 2019-03-01, until 2025-06-30); vacant" in english
    data = json.loads(invoke(*DATA, "show", "sales", "--json").stdout)
    assert data["holders"] == [
        {
            "name": "Ola Hansen",
            "email": "ola.hansen@example.org",
            "external_id": "E1042",
            "acting": True,
            "from": "2025-01-01",
            "until": None,
            "slides": [],
            "status": "stated",
            "note": None,
        }
    ]
    assert data["vacant"] is False
    assert json.loads(invoke(*DATA, "show", "it", "--json").stdout)["vacant"] is True


def test_tree_shows_people(invoke: Invoke) -> None:
    assert invoke(*DATA, "tree").stdout == (
        "daglig leder — Kari Nordmann\n"
        "  avdelingsledere (2)\n"
        "    avdelingsleder – Salg — Ola Hansen (konstituert, fra 2025-01-01)\n"
        "    avdelingsleder – IT — Per Olsen (fra 2019-03-01, til 2025-06-30); ledig\n"
        "  assistent — Siri Berg; Jonas Lie (konstituert)\n"
    )
    rows = {r["key"]: r for r in json.loads(invoke(*DATA, "tree", "--json").stdout)["rows"]}
    assert [h["name"] for h in rows["assistant"]["holders"]] == ["Siri Berg", "Jonas Lie"]
    assert rows["it"]["vacant"] is True and rows["manager@ceo-post"]["holders"] == []


def test_who_reports_to_has_a_held_by_column(invoke: Invoke) -> None:
    text = invoke(*DATA, "who-reports-to", "Kari Nordmann", "--lang", "en").stdout
    assert re.search(r"assistant +Siri Berg; Jonas Lie \(acting\) +chief executive", text), text


def test_a_post_without_any_other_name_is_named_by_its_holder(
    invoke: Invoke, write_yaml: Callable[[str], Path]
) -> None:
    path = write_yaml(MINIMAL + "posts:\n  - {id: p1, holders: [Kari Nordmann]}\n")
    assert invoke("--data", str(path), "tree").stdout == "Kari Nordmann\n"
    assert invoke("--data", str(path), "--no-people", "tree").stdout == "p1\n"


def test_search_finds_people(invoke: Invoke) -> None:
    hits = json.loads(invoke(*DATA, "search", "siri", "--json").stdout)["hits"]
    assert [(h["entity"], h["section"], h["text"]) for h in hits] == [
        ("assistant", "holders", "Siri Berg"),
        ("assistant", "holders", "siri@example.org"),
    ]


def test_stats_counts_vacancies() -> None:
    answer = statistics(build_index(load_org(PEOPLE)))
    assert (answer.posts, answer.held, [p.id for p in answer.vacant]) == (4, 3, ["it"])


def test_stats_text_lists_vacant_posts(invoke: Invoke) -> None:
    text = invoke(*DATA, "stats", "--lang", "en").stdout
    assert "Vacant posts: 1 of 4; with a holder named: 3" in text
    assert re.search(r"\n  it +department manager – IT\n", text), text


def test_stats_under_no_people_does_not_claim_nobody_holds_a_post(invoke: Invoke) -> None:
    data = json.loads(invoke(*DATA, "--no-people", "stats", "--json").stdout)
    assert (data["held"], [p["id"] for p in data["vacant"]]) == (None, ["it"])
    assert "Vacant posts: 1 of 4\n" in invoke(*DATA, "--no-people", "stats", "--lang", "en").stdout


def test_exports_carry_the_holders(invoke: Invoke) -> None:
    dot = invoke(*DATA, "export", "--format", "dot").stdout
    assert '"sales" [label="avdelingsleder – Salg\\nOla Hansen (konstituert)"' in dot
    assert '"it" [label="avdelingsleder – IT\\nledig"' in dot  # a former holder is not shown
    mermaid = invoke(*DATA, "export", "--format", "mermaid").stdout
    assert '"assistent — Siri Berg, Jonas Lie (konstituert)"' in mermaid
    nodes = {
        n["id"]: n
        for n in json.loads(invoke(*DATA, "export", "--format", "node-link").stdout)["nodes"]
    }
    assert nodes["assistant"]["holders"] == "Siri Berg; Jonas Lie"
    assert nodes["it"]["vacant"] is True and "holders" not in nodes["ceo"]
    turtle = invoke(*DATA, "export", "--format", "turtle").stdout
    assert "org:heldBy <https://orgroles.invalid/id/sales/holder/1>" in turtle
    assert 'foaf:name "Ola Hansen"' in turtle and "<mailto:ola.hansen@example.org>" in turtle


def test_without_people_keeps_vacancy_and_drops_every_holder() -> None:
    org = without_people(load_org(PEOPLE))
    assert all(not p.holders for p in org.posts)
    assert [p.id for p in org.posts if p.vacant] == ["it"]
    assert show(build_index(org), "sales").holders == ()


COMMANDS = [
    ("tree",),
    ("tree", "--json"),
    ("roles",),
    ("roles", "--json"),
    ("show", "sales"),
    ("show", "assistant", "--json"),
    ("show", "ceo-post", "--lang", "en"),
    ("who-reports-to", "ceo-post"),
    ("who-reports-to", "ceo", "--all", "--json"),
    ("reports-to", "assistant"),
    ("reports-to", "sales", "--json"),
    ("common", "sales", "assistant"),
    ("stats",),
    ("stats", "--json"),
    ("search", "ola"),
    ("search", "e", "--json"),
    ("validate",),
    ("units",),
    *[("export", "--format", fmt) for fmt in FORMATS],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_people_leaves_every_personal_detail_out(
    invoke: Invoke, args: tuple[str, ...], tmp_path: Path
) -> None:
    database = tmp_path / "org.db"
    if "sqlite" in args:  # a file, not text: what it holds is checked as the output
        args = (*args, "-o", str(database), "--force")
    shown = invoke(*DATA, *args)
    assert shown.exit_code == 0, shown.stderr
    if database.exists():
        shown.stdout_bytes += database.read_bytes().decode("utf-8", "replace").encode()
    assert (
        any(p in shown.stdout + shown.stderr for p in PERSONAL)
        or "delegation-md" in args
        or args[0]
        in (
            "roles",
            "units",
            "stats",
            "validate",
            "common",
            "reports-to",
        )
    )  # the test can fail: people are there without the switch
    hidden = invoke(*DATA, "--no-people", *args)
    assert hidden.exit_code == 0, hidden.stderr
    if database.exists():
        hidden.stdout_bytes += database.read_bytes().decode("utf-8", "replace").encode()
    for personal in PERSONAL:
        assert personal not in hidden.stdout + hidden.stderr, (personal, args)


def test_no_people_goes_anywhere_and_in_the_environment(invoke: Invoke) -> None:
    for args, env in (
        (("--no-people", *DATA, "tree"), None),
        ((*DATA, "tree", "--no-people"), None),
        ((*DATA, "tree"), {"ORGROLES_NO_PEOPLE": "1"}),
    ):
        out = invoke(*args, env=env).stdout
        assert "Kari" not in out and "avdelingsleder – IT — ledig" in out


def test_no_people_names_of_people_do_not_resolve(invoke: Invoke) -> None:
    result = invoke(*DATA, "--no-people", "show", "Ola Hanssen")
    assert result.exit_code == 1
    assert "Ola Hansen" not in result.stderr


def test_no_people_in_diff(invoke: Invoke, write_yaml: Callable[[str], Path]) -> None:
    changed = write_yaml(PEOPLE.read_text(encoding="utf-8").replace("Kari Nordmann", "Eva Dahl"))
    shown = invoke("diff", str(PEOPLE), str(changed))
    assert shown.exit_code == 1 and "Eva Dahl" in shown.stdout
    hidden = invoke("--no-people", "diff", str(PEOPLE), str(changed), "--json")
    assert hidden.exit_code == 0, hidden.stdout
    assert "Eva" not in hidden.stdout and "Kari" not in hidden.stdout


@pytest.mark.parametrize(
    "line",
    [
        "orgroles --data {f} --no-people show ",
        "orgroles --data {f} show --no-people ",
        "orgroles show --no-people --data {f} ",
    ],
)
def test_completion_leaves_people_out_wherever_the_switch_is(
    write_yaml: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, capsys: Any, line: str
) -> None:
    from orgroles.completion import complete

    path = write_yaml(MINIMAL + "posts:\n  - {id: p1, holders: [Kari Nordmann]}\n")
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", line.format(f=path))
    monkeypatch.setenv("_ORGROLES_COMPLETE", "complete_zsh")
    monkeypatch.delenv("ORGROLES_TYPER_COMPLETION", raising=False)
    assert complete()
    out = capsys.readouterr().out
    assert '"p1":"p1"' in out and "Kari" not in out
