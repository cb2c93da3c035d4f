"""The exit codes of orgroles, in one place (the README's table lists the same), and the status
of a run whose last output could not be written (``output_failed``, ``flushed``)."""

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


def output_failed(exc: BaseException) -> int:
    """The exit status of a run whose stdout could not take its answer: 141 for a closed pipe,
    else 74 with one line on stderr. Stdout is pointed at the null device, so nothing is tried
    (and complained about) again as the process ends."""
    import contextlib
    import sys

    status = ExitStatus.BROKEN_PIPE if isinstance(exc, BrokenPipeError) else ExitStatus.OUTPUT
    if status == ExitStatus.OUTPUT:
        reason = getattr(exc, "strerror", None) or exc
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write(f"orgroles: cannot write the answer ({reason})\n")
            sys.stderr.flush()
    silence_stdout()
    return status


def silence_stdout() -> None:
    """Point stdout at the null device once it failed (a closed pipe, a full disk), so the
    flush as the process ends cannot fail again."""
    import contextlib
    import os
    import sys

    if sys.stdout is None:  # started with it closed: nothing to flush
        return
    with contextlib.suppress(OSError, ValueError, AttributeError):  # (no file descriptor)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def flushed(status: int) -> int:
    """Flush stdout and stderr; return the exit status of the run: ``status``, or what
    ``output_failed`` says when what was left on stdout could not be written."""
    import contextlib
    import sys

    if sys.stdout is not None:  # (None: started with the descriptor closed)
        try:
            sys.stdout.flush()
        except (OSError, ValueError) as exc:
            failed = output_failed(exc)
            status = status or failed
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
    return status


def write_answer(text: str) -> None:
    """Write a short answer (``--version``, the top-level ``--help``) and flush it; a closed
    or full stdout ends the run as every other answer does (``output_failed``: 141 or 74, one
    line, never a traceback)."""
    import sys

    if sys.stdout is None:  # started with the descriptor closed
        if sys.stderr is not None:
            sys.stderr.write("orgroles: cannot write the answer (the output is closed)\n")
        raise SystemExit(ExitStatus.OUTPUT)
    try:
        sys.stdout.write(text)
    except (OSError, ValueError) as exc:
        raise SystemExit(output_failed(exc)) from None
    status = flushed(0)
    if status:
        raise SystemExit(status)
