"""The exit codes of orgroles, in one place (the README's table lists the same)."""

from enum import IntEnum


class ExitStatus(IntEnum):
    """How a run of orgroles ended."""

    OK = 0  # an answer (an empty one too), a valid file; diff: no differences
    PROBLEM = 1  # a data problem or a name that matches nothing; diff: differences found
    USAGE = 2  # a usage error (Typer's own); diff: trouble reading either side
    NOT_STATED = 3  # can: not stated (can: 0 yes, 1 no, 2 trouble, as diff)
    INTERNAL = 70  # EX_SOFTWARE: a bug in orgroles
    OUTPUT = 74  # EX_IOERR: the answer could not be written (a full disk, -o over a device)
    INTERRUPTED = 130  # 128 + SIGINT, as shells report it
    BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of stdout went away
