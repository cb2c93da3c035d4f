"""The exception hierarchy: every error a user can cause is an ``OrgrolesError``."""

import shlex
from collections.abc import Sequence
from typing import NamedTuple


class OrgrolesError(Exception):
    """Base of every error caused by input (a data file, a name, a path), not by a bug."""

    def lines(self) -> list[str]:
        """Return the message as one or more lines for stderr."""
        return str(self).split("\n")


class Problem(NamedTuple):
    """One problem found in a data file, located as FILE:LINE:COL (1-based; 0 = unknown)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}: {self.message}"
        return f"{self.file}: {self.message}"


class DataFileError(OrgrolesError):
    """A data file that cannot be used: carries every problem found, each located."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(str(self.problems[0]) if self.problems else "invalid data file")

    def lines(self) -> list[str]:
        """Return one line per problem, then a count when there are several."""
        out = [str(p) for p in self.problems]
        if len(out) > 1:
            out.append(f"{len(out)} problems found")
        return out


class OutputError(OrgrolesError):
    """The answer could not be written: a full disk, a file that may not be replaced."""


class DataPathError(OrgrolesError):
    """The data path itself is unusable: missing, a directory, unreadable."""


class UnknownNameError(OrgrolesError):
    """A name that matches nothing; carries close matches as suggestions."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        message = f"unknown name {name!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        else:
            from orgroles.names import words

            word = name.split()[0] if name.split() else name
            if words(word) and word.isprintable():  # (a command that can be typed as shown)
                message += f"; to look for it in every text: orgroles search {shlex.quote(word)}"
        super().__init__(message)


class AmbiguousNameError(OrgrolesError):
    """A name that matches several things; carries the candidates."""

    def __init__(self, name: str, candidates: Sequence[str], more: int = 0) -> None:
        self.name = name
        self.candidates = list(candidates)
        self.more = more  # candidates not listed
        shown = ", ".join(repr(c) for c in self.candidates)
        if more:
            shown += f" and {more:,} more"
        super().__init__(f"ambiguous name {name!r}: could be {shown}")
