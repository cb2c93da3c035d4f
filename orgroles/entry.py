"""The console script's entry point: answers ``--version`` before importing the CLI."""

import sys


def main() -> None:
    """Run ``orgroles``; ``orgroles --version`` alone needs neither Typer nor the data."""
    if sys.argv[1:] == ["--version"]:
        from orgroles import __version__

        sys.stdout.write(f"orgroles {__version__}\n")
        return
    try:
        from orgroles.cli import main as run

        run()
    except KeyboardInterrupt:  # before or after the command (inside, the CLI handles it)
        raise SystemExit(130) from None
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(141) from None
