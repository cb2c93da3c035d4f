"""orgroles init: starter files that validate, in both languages, never over a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgroles.load import load_org
from orgroles.starter import TEMPLATES, starter
from tests.conftest import Invoke


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_starter_validates_and_answers(
    invoke: Invoke, tmp_path: Path, template: str, lang: str
) -> None:
    path = tmp_path / "org.yaml"
    result = invoke("init", "-o", str(path), "--template", template, "--lang", lang)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert path.read_text(encoding="utf-8") == starter(template, lang)
    valid = invoke("--no-cache", "validate", str(path))
    assert valid.exit_code == 0 and valid.stderr == ""  # no problems, no warnings
    org = load_org(path, use_cache=False)
    assert org.roles and org.posts and org.units
    tree = invoke("--data", str(path), "tree", "--lang", lang)
    assert tree.exit_code == 0 and len(tree.stdout.splitlines()) >= 5


def test_comments_come_in_the_language_asked(invoke: Invoke) -> None:
    english = invoke("init", "--lang", "en").stdout
    norwegian = invoke("init").stdout
    assert "# A role is a kind of leader." in english and "En rolle er" not in english
    assert "# En rolle er en type leder." in norwegian and "A role is a kind" not in norwegian
    assert "#en" not in english + norwegian and "#nb" not in english + norwegian


def test_init_never_writes_over_a_file_without_force(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my own work\n", encoding="utf-8")
    refused = invoke("init", "-o", str(path))
    assert refused.exit_code == 1 and "exists; use --force" in refused.stderr
    assert path.read_text(encoding="utf-8") == "my own work\n"
    assert invoke("init", "-o", str(path), "--force").exit_code == 0
    assert path.read_text(encoding="utf-8").startswith("# Organisasjonen din")


def test_an_unknown_template_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("init", "--template", "school")
    assert result.exit_code == 2 and "expected one of company, municipality" in result.stderr
