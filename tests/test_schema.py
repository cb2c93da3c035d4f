"""The JSON Schema: generated from the loader's own definition, shipped, and independently valid."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from orgroles.bundled import schema_path
from orgroles.dataformat import json_schema
from tests.conftest import DATA, ROOT, Invoke


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_shipped_schema_is_the_generated_one() -> None:
    shipped = json.loads(schema_path().read_text(encoding="utf-8"))
    assert shipped == json_schema(), "run: orgroles schema > orgroles/schema/roles.schema.json"


def test_schema_command_prints_it(invoke: Invoke) -> None:
    result = invoke("schema")
    assert json.loads(result.stdout) == json_schema()


def test_data_file_names_the_schema_for_editors() -> None:
    first = DATA.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../orgroles/schema/roles.schema.json"
    assert (DATA.parent / "../orgroles/schema/roles.schema.json").resolve() == schema_path()


@pytest.fixture(scope="module")
def seed() -> Any:
    """The bundled data as PyYAML reads it (libyaml's SafeLoader when there is one)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(DATA.read_text(encoding="utf-8"), Loader=loader)


def test_bundled_data_validates_independently(validator: Any, seed: Any) -> None:
    assert list(validator.iter_errors(seed)) == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["roles"][0].update(bogus=1), "Additional properties are not allowed"),
        (
            lambda d: d["roles"][1]["count"].update(value="4"),
            "is not valid under any of the given schemas",
        ),
        (lambda d: d.update(format="orgroles/9"), "is not one of"),
        (lambda d: d["roles"][0].pop("name"), "'name' is a required property"),
    ],
)
def test_schema_rejects_the_main_mistakes(
    validator: Any, seed: Any, mutate: Any, expected: str
) -> None:
    data = copy.deepcopy(seed)
    mutate(data)
    errors = [e.message for e in validator.iter_errors(data)]
    assert any(expected in e for e in errors), errors


@pytest.mark.slow
def test_an_independent_validator_accepts_the_data_and_rejects_mistakes(tmp_path: Path) -> None:
    """check-jsonschema (a separate program, YAML 1.2) against the shipped schema."""
    checker = Path(sys.executable).parent / "check-jsonschema"
    ok = subprocess.run(
        [str(checker), "--schemafile", str(schema_path()), str(DATA)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        DATA.read_text(encoding="utf-8").replace(
            "  require_sources: true\n", "  require_sources: true\n  colour: blue\n"
        ),
        encoding="utf-8",
    )
    rejected = subprocess.run(
        [str(checker), "--schemafile", str(schema_path()), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert rejected.returncode == 1
    assert "Additional properties are not allowed ('colour' was unexpected)" in rejected.stdout


def test_the_docs_list_every_object_with_its_required_fields() -> None:
    from orgroles.dataformat import fields_table

    doc = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    assert f"<!-- fields:start -->\n{fields_table()}<!-- fields:end -->" in doc, (
        "run: python bench/update_transcripts.py"
    )
    assert "| Authority | `kind`, `text` |" in doc and "| Unit | `id`, `kind`, `name` |" in doc


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=6))
def test_an_ascii_id_is_checked_as_the_rule_says(text: str) -> None:
    """The one-step check of an ASCII id (a regular expression) follows the written rule: a
    letter, digit or ``_``, then letters, digits, ``_``, ``.`` and ``-``."""
    from orgroles.dataformat import is_id

    rule = bool(text) and (text[0].isalnum() or text[0] == "_")
    rule = rule and all(ch.isalnum() or ch in "_.-" for ch in text[1:])
    assert is_id(text) == rule


@pytest.mark.parametrize(
    "invisible", ["\u3164", "\u115f", "\uffa0", "\u034f", "\ufe0f", "\u17b4", "\U000e0100"]
)
def test_an_id_with_an_invisible_character_is_refused(invisible: str) -> None:
    """Letters and marks to Python, default-ignorable to Unicode: ``a`` and ``a`` + one of
    them would be two ids that look the same, in the file and in every answer."""
    from orgroles.dataformat import is_id

    assert is_id("a") and is_id("ø") and is_id("e\u0301")
    assert not is_id("a" + invisible) and not is_id(invisible + "a") and not is_id(invisible)
