"""The entry point's fast paths answer exactly what Typer would."""

import os
import subprocess
import sys

import pytest

from orgroles.entry import HELP
from tests.conftest import FIXTURES, ROOT, EntryPoint


def run(
    args: list[str], extra: dict[str, str] | None = None, via_typer: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run orgroles through the entry point, or straight through Typer (``orgroles.cli``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "ORGROLES_DATA")}
    env.update(extra or {})
    module = "orgroles.cli" if via_typer else "orgroles.entry"
    code = f"import sys; sys.argv = ['orgroles', *sys.argv[1:]]; from {module} import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_saved_help_is_typers_help() -> None:
    typer_help = run(["--help"], via_typer=True)
    assert typer_help.returncode == 0
    assert HELP.read_text(encoding="utf-8") == typer_help.stdout, (
        "orgroles/help.txt is out of date: regenerate it with "
        "python -c \"import sys; sys.argv=['orgroles','--help']; "
        'from orgroles.cli import main; main()" > orgroles/help.txt'
    )
    fast = run(["--help"])
    assert (fast.returncode, fast.stdout) == (0, typer_help.stdout)


def test_other_widths_go_to_typer() -> None:
    narrow = run(["--help"], {"COLUMNS": "60"})
    assert narrow.stdout == run(["--help"], {"COLUMNS": "60"}, via_typer=True).stdout
    assert narrow.stdout != HELP.read_text(encoding="utf-8")


COMPLETIONS = [
    "orgroles show kommunalsjef_",
    "orgroles who-reports-to radm",
    "orgroles reports-to enhetssjef_i",
    "orgroles tree tjeneste",
    "orgroles common radmann enhetssjef_l",
    "orgroles authority bud",
    "orgroles show ",
    f"orgroles --data {FIXTURES / 'small.yaml'} show sjef_",
    "orgroles --no-cache show p",
    "orgroles show zzz",
    "orgroles export -f g",
    "orgroles sh",
    "orgroles show --l",
    "orgroles tree --depth ",
]


# The quick tier asks each line in one shell, in turn; --full asks every line in every shell.
@pytest.mark.parametrize(
    ("shell", "line"),
    [
        pytest.param(
            shell, line, id=f"{line}-{shell}", marks=() if (i + j) % 3 == 0 else pytest.mark.slow
        )
        for i, line in enumerate(COMPLETIONS)
        for j, shell in enumerate(["bash", "zsh", "fish"])
    ],
)
def test_fast_completion_answers_as_typer_does(
    shell: str, line: str, entry_point: EntryPoint
) -> None:
    env = {"_ORGROLES_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        words = line.split(" ")
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    fast = entry_point(env)
    typer = entry_point(env | {"ORGROLES_TYPER_COMPLETION": "1"})
    assert fast[:2] == typer[:2]
    assert fast[2] == typer[2] == ""


@pytest.mark.slow
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_fast_completion_answers_as_typer_does_in_a_process(shell: str) -> None:
    line = "orgroles show kommunalsjef_"
    env = {"_ORGROLES_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env |= {"COMP_WORDS": line, "COMP_CWORD": "2"}
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    fast = run([], env)
    typer = run([], env | {"ORGROLES_TYPER_COMPLETION": "1"})
    assert (fast.returncode, fast.stdout) == (typer.returncode, typer.stdout)
    assert "kommunalsjef_kultur" in fast.stdout
    assert fast.stderr == typer.stderr == ""
