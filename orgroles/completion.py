"""Shell completion of names without starting Typer: the common case, answered fast.

The shells call ``orgroles`` with ``_ORGROLES_COMPLETE=complete_bash|complete_zsh|complete_fish``
and the command line in ``COMP_WORDS``/``COMP_CWORD`` (bash) or ``_TYPER_COMPLETE_ARGS`` (zsh,
fish). When the word being completed is a name argument (of ``show``, ``who-reports-to``,
``reports-to``, ``tree``, ``common``) or the kind of ``authority``, this module answers in
exactly Typer's output format; anything else (commands, options, option values) returns
``False`` and Typer answers as usual. ``tests/test_completion.py`` checks both paths agree.
"""

import os
import shlex
import sys
from pathlib import Path
from typing import Any

from orgroles.argv import GLOBAL_FLAGS, hoist_globals

NAME_COMMANDS = frozenset({"show", "who-reports-to", "reports-to", "tree", "common"})
KIND_COMMANDS = frozenset({"authority"})
VALUE_OPTIONS = frozenset({"--depth", "--lang", "--format", "-f", "--output", "-o"})
LIMIT = 200


def _split(line: str) -> list[str]:
    """Split a command line as Click does (an unfinished quote ends the last word)."""
    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    try:
        words.extend(lexer)
    except ValueError:
        words.append(lexer.token)
    return words


def _request(shell: str) -> tuple[list[str], str]:
    """Return the words before the cursor (without the program) and the word being typed."""
    if shell == "bash":
        words = _split(os.environ.get("COMP_WORDS", ""))
        cword = int(os.environ.get("COMP_CWORD", "0"))
        return words[1:cword], words[cword] if cword < len(words) else ""
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    words = _split(line)[1:]
    if words and not line.endswith(" "):
        return words[:-1], words[-1]
    return words, ""


def _candidates(args: list[str], incomplete: str) -> list[tuple[str, str]] | None:
    """Return (value, help) candidates, or None when Typer should answer instead."""
    args = hoist_globals(args)  # global options may follow the command, as the CLI reads them
    data, use_cache, i = os.environ.get("ORGROLES_DATA"), True, 0
    people = os.environ.get("ORGROLES_NO_PEOPLE", "").lower() not in ("1", "true", "yes", "on")
    while i < len(args) and args[i].startswith("-"):
        if args[i] == "--data" and i + 1 < len(args):
            data, i = args[i + 1], i + 2
        elif args[i].startswith("--data="):
            data, i = args[i].split("=", 1)[1], i + 1
        elif args[i] in GLOBAL_FLAGS:
            use_cache, i = use_cache and args[i] != "--no-cache", i + 1
            people = people and args[i - 1] != "--no-people"
        else:
            return None
    if i >= len(args) or incomplete.startswith("-"):
        return None
    command, rest = args[i], args[i + 1 :]
    if command not in NAME_COMMANDS | KIND_COMMANDS or (rest and rest[-1] in VALUE_OPTIONS):
        return None
    ix = load_index(data, use_cache, people)
    if ix is None:
        return []
    return kinds_for(ix, incomplete) if command in KIND_COMMANDS else names_for(ix, incomplete)


def load_index(data: str | None, use_cache: bool, people: bool = True) -> Any:
    """Load the organisation a command line names for completion; None if it is broken."""
    from orgroles.bundled import bundled_data_path
    from orgroles.load import open_index

    path = Path(data) if data else bundled_data_path()
    try:  # the indexed store when cached: a large organisation completes as fast as a small
        return open_index(path, str(path), use_cache=use_cache, people=people)
    except Exception:  # a broken file: no candidates, and no noise in the shell
        return None


def names_for(ix: Any, incomplete: str) -> list[tuple[str, str]]:
    """Ids of roles, posts, units and forums starting with ``incomplete``, with display names."""
    return [(id_, ix.label(id_, "nb")) for id_ in ix.ids_starting(incomplete, LIMIT)]


def kinds_for(ix: Any, incomplete: str) -> list[tuple[str, str]]:
    """Authority-kind ids starting with ``incomplete``, with their Norwegian names."""
    return [
        (k.id, k.name.get("nb"))
        for k in ix.org.vocabulary.authority_kinds
        if k.id.startswith(incomplete)
    ]


def _zsh_escape(text: str) -> str:
    return (
        text.replace('"', '""')
        .replace("'", "''")
        .replace("$", "\\$")
        .replace("`", "\\`")
        .replace(":", r"\\:")
    )


def complete() -> bool:
    """Answer a completion request if it is for a name; return False to let Typer answer."""
    shell = os.environ.get("_ORGROLES_COMPLETE", "").removeprefix("complete_")
    if shell not in ("bash", "zsh", "fish") or os.environ.get("ORGROLES_TYPER_COMPLETION"):
        return False
    args, incomplete = _request(shell)
    found = _candidates(args, incomplete)
    if found is None:
        return False
    if shell == "bash":
        out = "\n".join(value for value, _ in found)
    elif shell == "zsh":
        lines = [
            f'"{_zsh_escape(v)}":"{_zsh_escape(h)}"' if h else f'"{_zsh_escape(v)}"'
            for v, h in found
        ]
        out = "_arguments '*: :((" + "\n".join(lines) + "))'" if lines else "_files"
    else:
        action = os.environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            raise SystemExit(0 if found else 1)
        out = "\n".join(
            f"{v}\t{''.join(' ' if c.isspace() else c for c in h)}" if h else v for v, h in found
        )
        if action != "get-args":
            out = ""
    sys.stdout.write(out + "\n")
    sys.stdout.flush()
    return True
