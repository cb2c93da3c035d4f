"""Shell completion through the protocol the shells use (Typer's environment variables)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

PROGRAM = [sys.executable, "-m", "orgroles"]


def complete(shell: str, words: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """Ask for completions as ``shell`` would for the command line ``words``."""
    env = {k: v for k, v in os.environ.items() if k != "ORGROLES_DATA"}
    env["_ORGROLES_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        parts = words.split(" ")
        env["COMP_WORDS"] = words
        env["COMP_CWORD"] = str(len(parts) - 1)
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    env.update(extra)
    return subprocess.run(PROGRAM, capture_output=True, text=True, env=env, cwd=ROOT, check=False)


def test_bash_completes_names() -> None:
    result = complete("bash", "orgroles show kommunalsjef_k")
    assert result.stdout.split() == ["kommunalsjef_kultur"]


def test_zsh_shows_display_names() -> None:
    result = complete("zsh", "orgroles who-reports-to direktor_")
    assert '"direktor_hr":"direktør – HR"' in result.stdout
    assert result.stdout.startswith("_arguments")


def test_fish_shows_display_names() -> None:
    result = complete("fish", "orgroles reports-to enhetssjef_i")
    assert result.stdout.splitlines() == [
        "enhetssjef_ikt_strategi\tenhetssjef – IKT strategi",
        "enhetssjef_ikt_drift\tenhetssjef – IKT drift",
        "enhetssjef_informasjon\tenhetssjef – informasjon",
    ]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("orgroles authority bud", ["budsjettansvar"]),
        ("orgroles export -f g", ["graphml", "gexf"]),
        ("orgroles tree tjeneste", ["tjenesteleder", "tjenester_fornebu"]),
        ("orgroles common radmann enhetssjef_l", ["enhetssjef_lonn"]),
    ],
)
def test_other_arguments(words: str, expected: list[str]) -> None:
    assert complete("bash", words).stdout.split() == expected


def test_completion_follows_data_on_the_command_line() -> None:
    words = f"orgroles --data {FIXTURES / 'small.yaml'} show sjef_"
    assert complete("bash", words).stdout.split() == ["sjef_a", "sjef_b"]


def test_a_broken_file_completes_nothing_quietly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: [\n", encoding="utf-8")
    result = complete("bash", f"orgroles --data {bad} show r")
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")


def test_completion_imports_neither_networkx_nor_yaml_when_cached() -> None:
    complete("bash", "orgroles show r")  # fills the cache
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write(repr(sorted(m for m in "
        "('networkx', 'yaml', 'rich') if m in sys.modules))))\n"
        "sys.argv = ['orgroles']\nfrom orgroles.entry import main\nmain()\n"
    )
    env = {
        **os.environ,
        "_ORGROLES_COMPLETE": "complete_bash",
        "COMP_WORDS": "orgroles show r",
        "COMP_CWORD": "2",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert "radmann" in result.stdout.split()
    assert result.stderr.endswith("[]")
