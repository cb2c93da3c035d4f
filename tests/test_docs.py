"""The README tells the truth: its transcripts are what the commands print, every command is
documented, and every command's help has a purpose and an example."""

from __future__ import annotations

import re
import shutil

import pytest
import typer

from orgroles.cli import app
from tests.conftest import ROOT
from tests.transcripts import FILES, run_here
from tests.transcripts import run as run_command

README = (ROOT / "README.md").read_text(encoding="utf-8")
JSON_DOC = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
DOCS = "".join(p.read_text(encoding="utf-8") for p in FILES)  # as update_transcripts.py does


def transcripts() -> list[tuple[str, str]]:
    """Return (command, expected output) for every `$ ` line in the docs' console blocks."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", DOCS, flags=re.S):
        command: str | None = None
        output: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            found.append((command, "\n".join(output)))
    return found


def test_docs_have_transcripts() -> None:
    assert len(transcripts()) >= 20


def test_every_query_command_has_a_json_example() -> None:
    for name in commands():
        if name not in ("schema", "export", "import", "init"):  # they write files, not answers
            assert f"$ orgroles {name}" in JSON_DOC or f"## `{name}" in JSON_DOC, name


@pytest.mark.parametrize(("command", "expected"), transcripts(), ids=lambda v: v[:50])
def test_transcript(command: str, expected: str) -> None:
    if "| jq" in command and shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    assert run_here(command) == expected  # each orgroles in-process, the rest in bash


@pytest.mark.slow
@pytest.mark.parametrize(("command", "expected"), transcripts(), ids=lambda v: v[:50])
def test_transcript_in_a_shell(command: str, expected: str) -> None:
    if "| jq" in command and shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    assert run_command(command) == expected  # as bench/update_transcripts.py runs it


def commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_every_command_is_in_the_readme() -> None:
    for name in commands():
        assert f"`orgroles {name}" in README, f"{name} is missing from the README's table"


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_with_an_example(name: str) -> None:
    group = typer.main.get_command(app)
    command = group.commands[name]  # type: ignore[attr-defined]
    assert command.help and command.help.strip()
    assert "Example: orgroles" in command.help


def test_readme_setup_commands_are_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "ci: setup" in ci and "ci: test" in ci
    for marker in ("ci: setup", "ci: test"):
        assert f"<!-- {marker} -->\n```sh\n" in README


def test_ci_runs_the_whole_suite() -> None:
    """Plain pytest is the quick tier; CI must run the slow and packaging tests too."""
    block = README.split("<!-- ci: test -->\n```sh\n", 1)[1].split("```", 1)[0]
    assert block.rstrip().endswith("pytest --full"), block
