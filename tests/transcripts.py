"""The docs' console transcripts: which files hold them and how a command is run for them.

Shared by tests/test_docs.py (which checks them) and bench/update_transcripts.py (which
rewrites them after a deliberate change of output). ``run`` runs a command in bash, as a reader
would; ``run_here`` gives the same output with every ``orgroles`` run in this process (the
quick tier), handing only what follows a pipe (jq, head) or a ``;`` to bash.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = [
    ROOT / "README.md",
    ROOT / "docs" / "json.md",
    *sorted((ROOT / "docs" / "examples").glob("*.md")),
]


def run(command: str) -> str:
    """Return what ``command`` prints (stdout and stderr), as the docs test runs it."""
    env = {
        **os.environ,
        "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}",
        "COLUMNS": "200",
    }
    env.pop("ORGROLES_DATA", None)
    env.pop("ORGROLES_LANG", None)
    proc = subprocess.run(
        ["bash", "-c", command + " 2>&1"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return proc.stdout.rstrip("\n")


def _split(command: str, separators: tuple[str, ...]) -> list[str]:
    """Split ``command`` at the separators outside quotes, keeping them: ``[part, sep, part]``."""
    parts: list[str] = []
    start, quote, i = 0, "", 0
    while i < len(command):
        c = command[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        else:
            found = next((sep for sep in separators if command.startswith(sep, i)), None)
            if found is not None:
                parts += [command[start:i].strip(), found]
                i += len(found)
                start = i
                continue
        i += 1
    return [*parts, command[start:].strip()]


def _orgroles(args: list[str], merged: bool) -> tuple[int, bytes]:
    """Run orgroles in this process; return its exit code and stdout (with stderr if merged)."""
    from typer.testing import CliRunner

    from orgroles.cli import app
    from orgroles.render.output import Environment

    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = stdout if merged else io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    env = {"COLUMNS": "200", "ORGROLES_DATA": None, "ORGROLES_LANG": None}
    with contextlib.chdir(ROOT):
        result = CliRunner().invoke(app, args, obj=Environment(stdout, stderr), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    extra = result.stderr.encode("utf-8") if merged else b""  # Typer's own (usage errors)
    return result.exit_code, out.getvalue() + extra


def run_here(command: str) -> str:
    """Return what ``command`` prints, as ``run`` does, running each ``orgroles`` in-process."""
    steps = _split(command, ("&&", ";"))
    output, code = b"", 0
    for index in range(0, len(steps), 2):
        if index and steps[index - 1] == "&&" and code != 0:
            break
        last = index == len(steps) - 1
        step = steps[index]
        if not step.startswith("orgroles "):  # echo "exit $?": bash, with $? as it was
            shell = f"(exit {code}); {step} 2>&1"
            done = subprocess.run(["bash", "-c", shell], cwd=ROOT, capture_output=True)
            code, printed = done.returncode, done.stdout
        else:
            pipe = _split(step, ("|", ">"))
            args = shlex.split(pipe[0])[1:]
            code, printed = _orgroles(args, merged=last and len(pipe) == 1)
            if len(pipe) == 3 and pipe[1] == ">":
                Path(ROOT, *shlex.split(pipe[2])).write_bytes(printed)
                printed = b""
            elif len(pipe) > 1:
                rest = step[len(pipe[0]) :].strip().removeprefix("|")
                done = subprocess.run(
                    ["bash", "-c", rest + " 2>&1"], input=printed, cwd=ROOT, capture_output=True
                )
                code, printed = done.returncode, done.stdout
        output += printed  # every step's stdout; stderr only the last one's (its 2>&1)
    return output.decode("utf-8").rstrip("\n")
