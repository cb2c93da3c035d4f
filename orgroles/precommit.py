"""Validate organisation files for pre-commit: ``orgroles-pre-commit [--strict] FILE...``.

The hook ``orgroles-validate`` (``.pre-commit-hooks.yaml``) runs this on the staged YAML files
it is given. Each file is loaded as ``orgroles --data FILE validate`` loads it; every problem
goes to stderr as ``orgroles: FILE:LINE:COL: message`` (the CLI's own format). A valid file
prints nothing. Warnings (legal but dubious lines) are printed too and fail only with
``--strict`` (hook ``args: [--strict]``). The exit code is 1 when any file is invalid, else 0.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from orgroles.errors import OrgrolesError
from orgroles.load import load_org
from orgroles.render.output import Environment, complain


def check_file(name: str, strict: bool = False) -> tuple[list[str], bool]:
    """Validate one file; return the lines to print and whether the file fails the hook."""
    try:
        org = load_org(Path(name), display_name=name)
    except OrgrolesError as exc:
        return exc.lines(), True
    marker = "" if strict else "warning: "  # as ``orgroles validate --strict``: problems
    lines = [f"{name}:{row}:{col}: {marker}{text}" for row, col, text in org.warnings]
    return lines, strict and bool(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Check every file named in ``argv`` (default: the command line); return the exit code."""
    parser = argparse.ArgumentParser(
        prog="orgroles-pre-commit",
        description="Validate orgroles organisation files (the pre-commit hook).",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="organisation files to check")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    args = parser.parse_args(argv)
    env = Environment.from_process()
    failed = False
    for name in args.files:
        lines, bad = check_file(name, args.strict)
        if lines:
            complain(env, lines)
        failed = failed or bad
    return 1 if failed else 0
