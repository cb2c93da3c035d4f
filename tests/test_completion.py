"""Shell completion through the protocol the shells use (Typer's environment variables).

Each request runs the entry point in-process (``complete``); one runs a real process
(``complete_in_a_process``), and so does the check of what a cached completion imports.
"""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, EntryPoint

PROGRAM = [sys.executable, "-m", "orgroles"]
Complete = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def complete(entry_point: EntryPoint) -> Complete:
    """Ask for completions as ``shell`` would for ``words``, running the entry point here."""

    def ask(shell: str, words: str, **extra: str) -> subprocess.CompletedProcess[str]:
        code, out, err = entry_point(request(shell, words, **extra))
        return subprocess.CompletedProcess(PROGRAM, code, out, err)

    return ask


def complete_in_a_process(shell: str, words: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """Ask for completions as ``shell`` would for ``words``, from a real ``orgroles``."""
    env = {k: v for k, v in os.environ.items() if k != "ORGROLES_DATA"}
    env.update(request(shell, words, **extra))
    return subprocess.run(PROGRAM, capture_output=True, text=True, env=env, cwd=ROOT, check=False)


def request(shell: str, words: str, **extra: str) -> dict[str, str]:
    """The environment a shell sets to ask for completions of ``words``."""
    env = {"_ORGROLES_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        parts = words.split(" ")
        env["COMP_WORDS"] = words
        env["COMP_CWORD"] = str(len(parts) - 1)
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    env.update(extra)
    return env


def test_bash_completes_names(complete: Complete) -> None:
    result = complete("bash", "orgroles show kommunalsjef_k")
    assert result.stdout.split() == ["kommunalsjef_kultur"]


def test_zsh_shows_display_names(complete: Complete) -> None:
    result = complete("zsh", "orgroles who-reports-to direktor_")
    assert '"direktor_hr":"direktør – HR"' in result.stdout
    assert result.stdout.startswith("_arguments")


def test_fish_shows_display_names(complete: Complete) -> None:
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
def test_other_arguments(complete: Complete, words: str, expected: list[str]) -> None:
    assert complete("bash", words).stdout.split() == expected


def test_completion_follows_data_on_the_command_line(complete: Complete) -> None:
    words = f"orgroles --data {FIXTURES / 'small.yaml'} show sjef_"
    assert complete("bash", words).stdout.split() == ["sjef_a", "sjef_b"]


def test_a_broken_file_completes_nothing_quietly(complete: Complete, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: [\n", encoding="utf-8")
    result = complete("bash", f"orgroles --data {bad} show r")
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("shell", "words", "first"),
    [
        ("bash", "orgroles show kommunalsjef_k", "kommunalsjef_kultur"),
        ("zsh", "orgroles who-reports-to direktor_", "_arguments"),
        ("fish", "orgroles reports-to enhetssjef_i", "enhetssjef_ikt_strategi\t"),
    ],
)
def test_a_real_process_answers_as_in_process(
    complete: Complete, shell: str, words: str, first: str
) -> None:
    real = complete_in_a_process(shell, words)
    assert real.stdout.startswith(first) and real.stderr == ""
    here = complete(shell, words)
    assert (real.returncode, real.stdout) == (here.returncode, here.stdout)


def test_completion_imports_neither_networkx_nor_yaml_when_cached(complete: Complete) -> None:
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
