"""orgroles diff: the cases issue 12 names (a task's text, an authority's text, an alias and a
kind's relation in the vocabulary, --lang, counts as numbers, flags as booleans), through the
command line and the library, with exact expectations; exit 0 only for equivalent files."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from orgroles.index import build_index
from orgroles.load import load_org
from orgroles.queries.diff import compare as _compare
from tests.conftest import DATA, MINIMAL, Invoke, Terminal, reading

compare = reading(_compare)

Edit = Callable[..., Path]

TASK = '"Strategy for developing the services and service delivery"}\n        source: {slides: [13]'
NEW_TASK = TASK.replace("developing the services and service delivery", "the services")
AUTHORITY = '"Budget responsibility for their programme area / area of responsibility"'
ALIASES = "aliases: [budsjett, budget, budget responsibility, budget authority]"
RELATION = "        - kind: okonomiansvar\n          relation: broader\n"


@pytest.fixture
def edited(tmp_path: Path) -> Edit:
    """The bundled data with texts replaced (each must occur exactly once)."""

    def edit(*replacements: tuple[str, str]) -> Path:
        text = DATA.read_text(encoding="utf-8")
        for old, new in replacements:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        path = tmp_path / "edited.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return edit


def json_changes(invoke: Invoke, new: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = invoke("diff", str(DATA), str(new), "--json", *args)
    assert result.stderr == ""
    return result.exit_code, json.loads(result.stdout)["changes"]


def entry(change: str, kind: str, id: str | None, name: str, field: str | None, path: str,
          old: Any, new: Any, old_unspecified: bool = False, new_unspecified: bool = False
          ) -> dict[str, Any]:  # fmt: skip
    return dict(locals())


def test_a_task_text(invoke: Invoke, edited: Edit) -> None:
    new = edited((TASK, NEW_TASK))
    assert json_changes(invoke, new) == (
        1,
        [
            entry(
                "changed", "role", "kommunalsjef", "kommunalsjef", "tasks[0].text.en",
                "roles[kommunalsjef].tasks[0].text.en",
                "Strategy for developing the services and service delivery",
                "Strategy for the services",
            )
        ],
    )  # fmt: skip
    result = invoke("diff", str(DATA), str(new), "--lang", "en")
    assert (result.exit_code, result.stdout) == (
        1,
        "Other changes (1)\n"
        "  Where                                 Name                    Before"
        "                                                     After\n"
        "  roles[kommunalsjef].tasks[0].text.en  head of programme area  Strategy for developing"
        " the services and service delivery  Strategy for the services\n",
    )


def test_an_authority_text(invoke: Invoke, edited: Edit) -> None:
    new = edited((AUTHORITY, '"Budget responsibility for the programme area"'))
    code, changes = json_changes(invoke, new)
    assert (code, [(c["change"], c["path"], c["new"]) for c in changes]) == (
        1,
        [
            (
                "changed",
                "roles[kommunalsjef].authorities[6].text.en",
                "Budget responsibility for the programme area",
            )
        ],
    )


def test_an_alias_in_the_vocabulary(invoke: Invoke, edited: Edit) -> None:
    new = edited((ALIASES, "aliases: [budsjett, budget, budget holder]"))
    assert json_changes(invoke, new) == (
        1,
        [
            entry(
                "changed", "authority_kind", "budsjettansvar", "budsjettansvar", "aliases",
                "vocabulary.authority_kinds[budsjettansvar].aliases",
                ["budsjett", "budget", "budget responsibility", "budget authority"],
                ["budsjett", "budget", "budget holder"],
            )
        ],
    )  # fmt: skip
    text = invoke("diff", str(DATA), str(new)).stdout
    assert text == (
        "Andre endringer (1)\n"
        "  Hvor                                                Navn            Før"
        "                                                        Etter\n"
        "  vocabulary.authority_kinds[budsjettansvar].aliases  budsjettansvar  budsjett, budget,"
        " budget responsibility, budget authority  budsjett, budget, budget holder\n"
    )


def test_aliases_in_another_order_are_no_change(invoke: Invoke, edited: Edit) -> None:
    new = edited((ALIASES, "aliases: [budget authority, budsjett, budget responsibility, budget]"))
    result = invoke("diff", str(DATA), str(new))
    assert (result.exit_code, result.stdout) == (0, f"Ingen endringer fra {DATA} til {new}.\n")


def test_a_kinds_relation(invoke: Invoke, edited: Edit) -> None:
    new = edited((RELATION, RELATION.replace("broader", "narrower")))
    code, changes = json_changes(invoke, new, "--lang", "en")
    assert (code, changes) == (
        1,
        [
            entry(
                "changed", "authority_kind", "budsjettansvar", "budget responsibility",
                "related[0].relation", "vocabulary.authority_kinds[budsjettansvar].related[0].relation",
                "broader", "narrower",
            )
        ],
    )  # fmt: skip


def test_meta_a_relation_and_the_order_of_posts(invoke: Invoke, edited: Edit) -> None:
    first = DATA.read_text(encoding="utf-8").split("\n  - id: direktor_stab\n")[1]
    first = "  - id: direktor_stab\n" + first.split("\n  - id: direktor_okonomi\n")[0] + "\n"
    new = edited(
        ('date: "2011-12-14"', 'date: "2012-01-01"'),
        (
            "relations:\n",
            "relations:\n  - {type: supports, from: direktor, to: radmann, source: {slides: [10]}}\n",
        ),
        (first, ""),
        ("  - id: direktor_okonomi\n", "  - id: direktor_okonomi\nPLACE"),
    )
    text = new.read_text(encoding="utf-8")
    place = text.index("PLACE")
    after = text.index("\n  - id:", place) + 1  # direktor_stab goes after direktor_okonomi
    new.write_text(text[:place] + text[place + 5 : after] + first + text[after:], encoding="utf-8")
    code, changes = json_changes(invoke, new)
    assert code == 1
    assert [(c["change"], c["kind"], c["id"], c["path"], c["old"], c["new"]) for c in changes] == [
        (
            "order_changed",
            "post",
            None,
            "posts",
            ["direktor_stab", "direktor_okonomi"],
            ["direktor_okonomi", "direktor_stab"],
        ),
        ("changed", "meta", None, "meta.date", "2011-12-14", "2012-01-01"),
        (
            "changed",
            "relation",
            None,
            "relations[0]",
            None,
            {
                "type": "supports",
                "from": {"id": "direktor", "source": None, "note": None},
                "to": {"id": "radmann", "source": None, "note": None},
                "source": {
                    "slides": [10],
                    "status": "stated",
                    "quote": None,
                    "document": None,
                    "note": None,
                },
                "note": None,
            },
        ),
    ]


def test_counts_are_numbers_and_lang_is_honoured(invoke: Invoke, edited: Edit) -> None:
    new = edited(("      value: 200\n      approximate: true\n", "      value: 180\n"))
    code, changes = json_changes(invoke, new, "--lang", "en")
    assert (code, changes) == (
        1,
        [
            entry(
                "count_changed", "role", "tjenesteleder", "service manager", "count",
                "roles[tjenesteleder].count", {"value": 200, "approximate": True},
                {"value": 180, "approximate": False},
            )
        ],
    )  # fmt: skip
    for lang, row in (
        ("nb", "  Rolle  tjenesteleder  tjenesteleder  count  ca. 200  180\n"),
        ("en", "  Role  tjenesteleder  service manager  count  about 200  180\n"),
    ):
        result = invoke("diff", str(DATA), str(new), "--lang", lang)
        assert result.stdout.splitlines(keepends=True)[2] == row


def test_flags_are_booleans(invoke: Invoke, edited: Edit) -> None:
    new = edited(
        ("    reports_to:\n      id: kommunalsjef\n", "    reports_to:\n      id: radmann\n")
    )
    code, changes = json_changes(invoke, new)
    assert code == 1
    assert [
        (c["change"], c["id"], c["old"], c["new"], c["old_unspecified"], c["new_unspecified"])
        for c in changes
    ] == [("moved", "tjenesteleder", "kommunalsjef", "radmann", True, False)]
    assert "detail" not in changes[0]


def test_a_name_in_the_chosen_language(invoke: Invoke, edited: Edit) -> None:
    new = edited(('en: "service manager"}', 'en: "head of service"}'))
    assert [(c["change"], c["path"]) for c in json_changes(invoke, new)[1]] == [
        ("changed", "roles[tjenesteleder].name.en")  # the bokmål name did not change
    ]
    assert json_changes(invoke, new, "--lang", "en")[1] == [
        entry(
            "name_changed", "role", "tjenesteleder", "head of service", "name",
            "roles[tjenesteleder].name", "service manager", "head of service",
        )
    ]  # fmt: skip


def test_the_library_gives_the_same_answer(edited: Edit) -> None:
    new = edited((TASK, NEW_TASK))
    answer = compare(build_index(load_org(DATA)), build_index(load_org(new)), lang="en")
    assert [(c.change, c.kind, c.id, c.name, c.field) for c in answer.changes] == [
        ("changed", "role", "kommunalsjef", "head of programme area", "tasks[0].text.en")
    ]


def test_exit_codes(invoke: Invoke, write_yaml: Callable[[str], Path]) -> None:
    a = write_yaml(MINIMAL + "posts:\n  - {id: a, aliases: [x, y]}\n")
    same = write_yaml(MINIMAL + "posts:\n  - {id: a, aliases: [y, x]}\n")
    other = write_yaml(MINIMAL + "posts:\n  - {id: a, aliases: [x, y], note: Ny}\n")
    bad = write_yaml(MINIMAL + "posts:\n  - {id: a, aliases: x}\n")
    assert invoke("diff", str(a), str(same)).exit_code == 0
    result = invoke("diff", str(a), str(other))
    assert (result.exit_code, result.stdout) == (
        1,
        "Andre endringer (1)\n  Hvor           Navn  Etter\n  posts[a].note  a     Ny\n",
    )
    trouble = invoke("diff", str(a), str(bad), "--json")
    assert (trouble.exit_code, trouble.stdout) == (2, "")
    assert trouble.stderr == f"orgroles: {bad}:4:22: expected a list, found 'x'\n"


def test_markup_in_data_is_shown_literally(
    terminal: Terminal, write_yaml: Callable[[str], Path]
) -> None:
    name = "[bold]x[/] :fire: [link=https://e.invalid]y[/link]"
    a = write_yaml(MINIMAL + f'roles:\n  - {{id: r, name: "{name}"}}\n')
    b = write_yaml(MINIMAL + f'roles:\n  - {{id: r, name: "{name}", note: "[red]n[/red]"}}\n')
    screen = terminal("diff", str(a), str(b), columns=200)
    assert screen.exit_code == 1
    assert name in screen.stdout and "[red]n[/red]" in screen.stdout


def test_repeated_ids_are_compared_in_order(
    invoke: Invoke, write_yaml: Callable[[str], Path]
) -> None:
    """A role's functions may go without ids; the diff then aligns them by position (ids
    said twice in one list are refused by validate since the loader checks them)."""
    role = MINIMAL + "roles:\n  - id: r\n    name: R\n    functions:\n"
    a = write_yaml(role + "    - {id: f, text: A}\n    - {text: B}\n")
    b = write_yaml(role + "    - {id: f, text: A}\n    - {text: C}\n")
    changes = json.loads(invoke("diff", str(a), str(b), "--json").stdout)["changes"]
    assert [(c["change"], c["path"], c["old"], c["new"]) for c in changes] == [
        ("changed", "roles[r].functions[1].text.nb", "B", "C")
    ]
    assert invoke("diff", str(a), str(b)).exit_code == 1
    twice = write_yaml(MINIMAL + "principles:\n  - {id: p, name: A}\n  - {id: p, name: B}\n")
    refused = invoke("diff", str(a), str(twice))
    assert refused.exit_code == 2 and "duplicate principle id 'p'" in refused.stderr


def test_text_that_differs_only_in_unicode_form_is_no_change(
    invoke: Invoke, write_yaml: Callable[[str], Path]
) -> None:
    """The same names, one file written decomposed: no change (an attack found ten
    'changes' that looked alike)."""
    text = MINIMAL + "roles:\n  - {id: r, name: {nb: Rådmann, en: Tromsø}, aliases: [Bærum]}\n"
    a = write_yaml(text)
    b = write_yaml(unicodedata.normalize("NFD", text))
    result = invoke("diff", str(a), str(b), "--json")
    assert (result.exit_code, json.loads(result.stdout)["changes"]) == (0, [])
    c = write_yaml(text.replace("Tromsø", "Tromsö"))
    assert invoke("diff", str(a), str(c)).exit_code == 1  # a different letter is a change
