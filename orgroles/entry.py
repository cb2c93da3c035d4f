"""The console script's entry point: fast answers before the CLI (and Typer) is imported.

- ``orgroles --version``;
- ``orgroles --help`` at the top level, from ``orgroles/help.txt`` (Typer's own output, saved;
  ``tests/test_entry.py`` fails when it is out of date), where the width is Typer's default;
- shell completion of names (``orgroles.completion``).

Everything else goes to ``orgroles.cli``.
"""

import os
import sys
from pathlib import Path

from orgroles.status import silence_stdout, write_answer

HELP = Path(__file__).resolve().parent / "help.txt"


def _static_help() -> bool:
    """Print the saved top-level help when it is what Typer would print here."""
    if not HELP.is_file():  # pragma: no cover - a broken installation; Typer will answer
        return False
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns != "80":
        return False
    if columns is None and sys.stdout is not None and sys.stdout.isatty():
        import shutil

        if shutil.get_terminal_size().columns < 80:
            return False
    write_answer(HELP.read_text(encoding="utf-8"))
    return True


def main() -> None:
    """Run ``orgroles``."""
    argv = sys.argv[1:]
    if argv == ["--version"]:
        from orgroles import __version__

        write_answer(f"orgroles {__version__}\n")
        return
    if argv == ["--help"] and _static_help():
        return
    if "_ORGROLES_COMPLETE" in os.environ:
        from orgroles.completion import complete

        if complete():
            return
    from orgroles.status import ExitStatus

    try:
        from orgroles.cli import main as run

        run()
    except KeyboardInterrupt:  # before or after the command (inside, the CLI handles it)
        raise SystemExit(ExitStatus.INTERRUPTED) from None
    except BrokenPipeError:
        silence_stdout()
        raise SystemExit(ExitStatus.BROKEN_PIPE) from None
