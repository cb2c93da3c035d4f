"""Run the command-line interface: ``python -m orgroles``."""

from orgroles.entry import main

main()
