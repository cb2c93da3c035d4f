"""Run the command-line interface: ``python -m orgroles``."""

from orgroles.cli import main

main()
