"""The loader: structure and meaning, every error located, all errors reported at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from orgroles.errors import DataFileError, DataPathError
from orgroles.load import load_org, validate_data
from tests.conftest import FIXTURES, MINIMAL


def messages(text: str) -> list[str]:
    with pytest.raises(DataFileError) as info:
        validate_data(text.encode(), "org.yaml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # YAML 1.1 values never change silently: they stay text or are located type errors.
        (MINIMAL.replace("false", "no"), "org.yaml:2:38: expected true or false, found 'no'"),
        (MINIMAL.replace("false", "NO"), "org.yaml:2:38: expected true or false, found 'NO'"),
        (MINIMAL.replace("false", "on"), "org.yaml:2:38: expected true or false, found 'on'"),
        (
            MINIMAL.replace("false", '"false"'),
            "org.yaml:2:38: expected true or false, found the text 'false'",
        ),
        (
            MINIMAL + "roles:\n  - {id: a, name: A, count: {value: 0150}}\n",
            "org.yaml:4:37: expected a whole number written in digits (like 14), found '0150'",
        ),
        (
            MINIMAL + "roles:\n  - {id: a, name: A, count: {value: 8:30}}\n",
            "org.yaml:4:37: expected a whole number written in digits (like 14), found '8:30'",
        ),
        (
            MINIMAL + "roles:\n  - {id: a, name: A, count: {value: 1.10}}\n",
            "org.yaml:4:37: expected a whole number written in digits (like 14), found '1.10'",
        ),
        (
            MINIMAL + "roles:\n  - {id: a, name: A, count: {value: '14'}}\n",
            "org.yaml:4:37: expected a whole number written in digits (like 14), found the text '14'",
        ),
        (
            MINIMAL.replace("Test", "Test, date: 2024-13-01"),
            "org.yaml:2:27: '2024-13-01' is not a real date written YYYY-MM-DD",
        ),
        (
            MINIMAL + "roles:\n  - {id: a, name: ~}\n",
            "org.yaml:4:19: expected text, found nothing (null)",
        ),
        (MINIMAL + "roles: {}\n", "org.yaml:3:8: expected a list, found a mapping"),
        (
            MINIMAL + "rolez: []\n",
            "org.yaml:3:1: unknown key 'rolez' in Organisation; did you mean 'roles'?",
        ),
        (
            MINIMAL + "roles:\n  - {id: a}\n",
            "org.yaml:4:5: Role is missing the required key 'name'",
        ),
        (
            MINIMAL + "roles:\n  - {id: 'a b', name: A}\n",
            "org.yaml:4:10: 'a b' is not a valid id (letters, digits, '_', '.', '-';"
            " no spaces or invisible characters)",
        ),
        (  # a Hangul filler is a letter to Python, but invisible: "a" and "aㅤ" would look alike
            MINIMAL + 'roles:\n  - {id: "a\\u3164", name: A}\n',
            "org.yaml:4:10: 'a\u3164' is not a valid id (letters, digits, '_', '.', '-';"
            " no spaces or invisible characters)",
        ),
        (
            "format: orgroles/2\nmeta: {title: T}\n",
            "org.yaml:1:9: expected one of orgroles/1; found 'orgroles/2'",
        ),
        ("meta: {title: T}\n", "org.yaml:1:1: Organisation is missing the required key 'format'"),
        (
            "- a\n",
            "org.yaml:1:1: expected a mapping at the top of the file (format, meta, roles ...), found a list",
        ),
        (
            "just text\n",
            "org.yaml:1:1: expected a mapping at the top of the file (format, meta, roles ...), found 'just text'",
        ),
    ],
)
def test_structural_errors(text: str, expected: str) -> None:
    assert messages(text) == [expected]


def test_yaml_11_lookalikes_stay_text_in_text_fields() -> None:
    text = (
        MINIMAL
        + "roles:\n  - {id: '0150', name: {nb: 'no', en: on}, aliases: [8:30, 1.10, 2024-13-01]}\n"
    )
    plain = validate_data(text.encode(), "org.yaml")
    assert plain["roles"][0] == {
        "id": "0150",
        "name": {"nb": "no", "en": "on"},
        "aliases": ["8:30", "1.10", "2024-13-01"],
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("posts:\n  - {id: a, reports_to: zz}\n", ["org.yaml:4:25: unknown post or role 'zz'"]),
        (
            "posts:\n  - {id: a, reports_to: bb}\n  - {id: b}\n",
            ["org.yaml:4:25: unknown post or role 'bb'; did you mean 'b'?"],
        ),
        ("posts:\n  - {id: a, reports_to: a}\n", ["org.yaml:4:25: 'a' reports to itself"]),
        (
            "posts:\n  - {id: a, reports_to: b}\n  - {id: b, reports_to: c}\n  - {id: c, reports_to: a}\n",
            ["org.yaml:4:25: reporting cycle: a -> b -> c -> a"],
        ),
        (
            "posts:\n  - {id: a}\n  - {id: a}\n",
            ["org.yaml:5:10: duplicate id 'a' (first defined at line 4, column 10)"],
        ),
        (
            "posts:\n  - {id: r\u00e5d}\n  - {id: ra\u030ad}\n",
            # (ids are read composed, NFC: the message names it so)
            ["org.yaml:5:10: duplicate id 'r\u00e5d' (first defined at line 4, column 10)"],
        ),
        (
            "roles:\n  - {id: a, name: A}\nposts:\n  - {id: a}\n",
            ["org.yaml:6:10: duplicate id 'a' (first defined at line 4, column 10)"],
        ),
        (
            "roles:\n  - {id: r, name: R}\nposts:\n  - {id: p, role: p}\n",
            ["org.yaml:6:19: 'p' is a post, but a role is needed here"],
        ),
        (
            "roles:\n  - {id: r, name: R, count: {value: 3}}\nposts:\n  - {id: p, role: r}\n",
            ["org.yaml:4:37: role 'r' declares 3 holders but 1 post is listed"],
        ),
        (
            "roles:\n  - id: r\n    name: R\n    authorities:\n      - {kind: budsjet, text: x}\n"
            "vocabulary:\n  authority_kinds:\n    - {id: budsjett, name: budsjett}\n",
            [
                "org.yaml:7:16: unknown authority kind 'budsjet'; did you mean 'budsjett'? "
                "(declare it under vocabulary.authority_kinds)"
            ],
        ),
        (
            "roles:\n  - {id: r, name: R, reports_to: s}\n  - {id: s, name: S}\n"
            "posts:\n  - {id: p, role: r, reports_to: q}\n  - {id: q}\n",
            ["org.yaml:7:34: post 'p' reports to 'q', but its role 'r' reports to 's'"],
        ),
    ],
)
def test_semantic_errors(body: str, expected: list[str]) -> None:
    assert messages(MINIMAL + body) == expected


def test_every_problem_is_reported_not_just_the_first() -> None:
    body = "posts:\n  - {id: a, reports_to: x}\n  - {id: b, reports_to: y}\n  - {id: c, reports_to: c}\n"
    assert messages(MINIMAL + body) == [
        "org.yaml:4:25: unknown post or role 'x'",
        "org.yaml:5:25: unknown post or role 'y'",
        "org.yaml:6:25: 'c' reports to itself",
    ]
    structural = (
        MINIMAL.replace("false", "nope") + "roles:\n  - {id: a}\n  - {id: b, name: B, plural: []}\n"
    )
    assert len(messages(structural)) == 3


def test_facts_without_a_source_are_errors_when_sources_are_required() -> None:
    text = (
        "format: orgroles/1\nmeta: {title: T, require_sources: true}\nroles:\n"
        "  - id: r\n    name: R\n    source: {slides: [1]}\n    tasks:\n      - text: x\n"
    )
    assert messages(text) == [
        "org.yaml:8:9: fact without a source: add source: {slides: [...]} "
        "(meta.require_sources is true)"
    ]
    validate_data(text.replace(", require_sources: true", "").encode(), "org.yaml")  # optional


def test_load_org_builds_the_model(write_yaml: Callable[[str], Path]) -> None:
    org = load_org(FIXTURES / "small.yaml")
    assert [r.id for r in org.roles] == ["leder", "sjef", "medarbeider"]
    assert org.posts[1].reports_to is not None and org.posts[1].reports_to.id == "topp"
    assert org.roles[2].count is not None and org.roles[2].count.approximate is True


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_unusable_paths_name_the_path(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "nothing.yaml" if kind == "missing" else tmp_path
    with pytest.raises(DataPathError) as info:
        load_org(path)
    assert str(path) in str(info.value)


def test_a_comma_inside_a_flow_text_gets_a_hint() -> None:
    text = "format: orgroles/1\nmeta: {title: {nb: T, en: Purchases above NOK 100,000}}\n"
    assert messages(text) == [
        "org.yaml:2:51: unknown key '000' in LangText (allowed: nb, en); a text with a comma "
        "or a colon inside {...} must be in quotes"
    ]
