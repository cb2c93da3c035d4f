"""Where answers go: stdout and stderr, as JSON, Rich or plain text, chosen by an Environment.

The environment (is stdout a terminal, how wide, NO_COLOR, TERM=dumb) is read once per run
and handed down, never looked up in the middle of rendering, so tests give the CLI a terminal
of any width without a pseudo-terminal (``Environment(..., isatty=True, columns=80)``).
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any, NamedTuple

from orgroles.model import Lang

NARROW_TERMINAL = 60  # columns; narrower terminals get plain text, which never folds ids


class Environment(NamedTuple):
    """What the output depends on."""

    stdout: IO[Any]
    stderr: IO[Any]
    isatty: bool = False
    columns: int = 80
    no_color: bool = False
    dumb: bool = False

    @classmethod
    def from_process(cls) -> Environment:
        """Read the environment of this process (its stdout, terminal size and variables)."""
        stdout = sys.stdout
        try:
            isatty = stdout.isatty()
        except (AttributeError, ValueError):  # a closed or replaced stdout
            isatty = False
        columns = 80
        if isatty:
            import shutil

            columns = shutil.get_terminal_size().columns
        return cls(
            stdout,
            sys.stderr,
            isatty,
            columns,
            bool(os.environ.get("NO_COLOR")),
            os.environ.get("TERM") == "dumb",
        )

    @property
    def rich(self) -> bool:
        """Tell whether to draw with Rich: a wide enough terminal, not dumb, no NO_COLOR."""
        return (
            self.isatty
            and not self.dumb
            and not self.no_color
            and (self.columns >= NARROW_TERMINAL)
        )


def write(env: Environment, text: str) -> None:
    """Write text to stdout as UTF-8, whatever the locale says."""
    _put(env.stdout, text.encode("utf-8", "backslashreplace"), text)


def complain(env: Environment, lines: list[str]) -> None:
    """Write lines to stderr as ``orgroles: ...``, UTF-8, with control characters escaped."""
    from orgroles.render.text import printable

    text = "".join(f"orgroles: {printable(line)}\n" for line in lines)
    _put(env.stderr, text.encode("utf-8", "backslashreplace"), text)


def _put(stream: IO[Any], data: bytes, text: str) -> None:
    """Write all of it, or raise OutputError (a closed pipe stays a BrokenPipeError)."""
    from orgroles.errors import OutputError

    if stream is None:  # the process was started with the descriptor closed
        raise OutputError("cannot write the answer (the output is closed)")
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            _write_all(buffer, data)
        else:  # a text-only stream (an embedding host, a test harness)
            stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write the answer ({exc.strerror or exc})") from None


def _write_all(buffer: Any, data: bytes) -> None:
    """Write every byte: an unbuffered stdout (``PYTHONUNBUFFERED``, ``python -u``) writes
    what the pipe takes and says how much, and a non-blocking one may take nothing for now."""
    view = memoryview(data)
    while view:
        try:
            written = buffer.write(view)
        except BlockingIOError as exc:
            written = exc.characters_written
            _wait_until_writable(buffer)
        if written is None:  # non-blocking, and full
            _wait_until_writable(buffer)
            continue
        view = view[written:]


def _wait_until_writable(buffer: Any) -> None:
    import select

    select.select([], [buffer.fileno()], [])


def print_rich(env: Environment, renderable: Any) -> None:
    """Draw a Rich renderable on stdout (data is never read as markup or emoji codes)."""
    from rich.console import Console

    Console(
        file=env.stdout,
        width=env.columns,
        force_terminal=True,
        soft_wrap=False,  # wrap on spaces at the terminal's width
        highlight=False,
        emoji=False,
        markup=False,
    ).print(renderable)


def say_when_empty(built: list[Any], lang: Lang) -> None:
    """An empty answer says so in one line: no bare headers, never nothing at all; a column
    with nothing in it (no sources in your own file, say) is left out."""
    from orgroles.render.labels import word
    from orgroles.render.tables import Section

    for section in built:
        if section.columns and not section.rows and not section.lines:
            section.columns, section.lines = [], [word("none", lang)]
        elif section.columns and section.header:  # a column with nothing in it says nothing
            keep = [0] + [
                i for i in range(1, len(section.columns)) if any(row[i] for row in section.rows)
            ]
            if len(keep) < len(section.columns):
                section.columns = [section.columns[i] for i in keep]
                section.rows = [[row[i] for i in keep] for row in section.rows]
    if not built:
        built.append(Section(word("no_answer", lang)))


def emit(env: Environment, answer: Any, json_out: bool, lang: Lang) -> None:
    """Print one answer: JSON, Rich in a terminal, plain text elsewhere."""
    emit_all(env, [answer], False, json_out, lang)


def emit_all(env: Environment, answers: list[Any], many: bool, json_out: bool, lang: Lang) -> None:
    """Print answers: one (``many`` false), or several as one JSON array or one after another.

    Each answer's type picks its rendering (``orgroles.render.answers.sections``); the
    renderers are imported only when text is wanted.
    """
    if json_out:
        from orgroles.render.jsonout import to_json

        write(env, to_json(answers if many else answers[0], lang, indent=env.rich))
        return
    from orgroles.queries.line import TreeAnswer

    if not many and isinstance(answers[0], TreeAnswer):
        from orgroles.render.tree import tree_renderable, tree_text

        if env.rich:
            print_rich(env, tree_renderable(answers[0], lang))
        else:
            write(env, tree_text(answers[0], lang, env.columns if env.isatty else None))
        return
    from orgroles.render import tables
    from orgroles.render.answers import sections

    built = [section for answer in answers for section in sections(answer, lang)]
    say_when_empty(built, lang)
    if env.rich:
        print_rich(env, tables.rich(built, env.columns))
    else:
        write(env, tables.plain(built, env.columns if env.isatty else None))
