"""The console script's entry point: answers ``--version`` before importing the CLI."""

import sys


def main() -> None:
    """Run ``orgroles``; ``orgroles --version`` alone needs neither Typer nor the data."""
    if sys.argv[1:] == ["--version"]:
        from orgroles import __version__

        sys.stdout.write(f"orgroles {__version__}\n")
        return
    from orgroles.cli import main as run

    run()
