"""Read YAML bytes into a located tree, safely and strictly.

The tree is built from PyYAML's *event* stream (libyaml's C parser where installed, else the
pure-Python one), never from PyYAML's composer or constructor. That gives one place for every
defence, in either parser:

- no tags other than plain strings, so nothing can construct Python objects;
- no anchors or aliases, so no alias bomb;
- no duplicate keys (compared after Unicode NFC normalisation), each error naming both places;
- one document per file; nesting limited to ``MAX_DEPTH`` levels, walked without recursion;
- scalars stay text: nothing is turned into a bool, a number or a date here. The schema
  (``orgroles.spec``) decides per field what a plain scalar may mean, so ``no`` stays ``"no"``
  and ``0150`` stays ``"0150"`` unless a field asks for a number;
- the file must be UTF-8 (a BOM is accepted) and may not contain control or bidirectional
  override characters, written raw or as escapes.

Tree conventions: a mapping is a ``YMap`` (a ``dict``), a sequence a ``YSeq`` (a ``list``), a
plain scalar a ``str`` and any quoted or block scalar a ``Quoted`` (a ``str`` subclass: always
a string, never a number, a bool or null). Every container records packed positions
(``pack(line, column)``, 0-based) of itself, its keys and its values.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterator, Mapping
from sys import intern
from typing import Any

from orgroles.errors import DataFileError, Problem

MAX_DEPTH = 64

# C0 controls except tab, LF and CR; DEL and C1 controls; bidirectional formatting characters;
# surrogates (only reachable through escapes such as "\ud800") and the 66 noncharacters
# (U+FDD0..U+FDEF and the last two code points of every plane, U+FFFE, U+FFFF ...), which
# XML 1.0 forbids or discourages: no export (GraphML, GEXF, RDF) could carry them.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff" + _NONCHARACTERS + "]"
)


def _holds_forbidden(text: str) -> bool:
    """Tell whether a whole file's text holds a forbidden character, fast: the big character
    class is tried only on the few distinct characters of the text (0.8 s -> 0.15 s on 10 MB);
    the caller then searches for the first one to locate it."""
    return _FORBIDDEN.search("".join(set(text))) is not None


def forbidden_char(text: str) -> str | None:
    """Return the first character a data file may not hold (raw or escaped), or None."""
    found = _FORBIDDEN.search(text)
    return found.group() if found is not None else None


_ALLOWED_SCALAR_TAGS = frozenset({None, "!", "tag:yaml.org,2002:str"})
_ALLOWED_MAP_TAGS = frozenset({None, "!", "tag:yaml.org,2002:map"})
_ALLOWED_SEQ_TAGS = frozenset({None, "!", "tag:yaml.org,2002:seq"})


class Quoted(str):
    """A scalar written quoted or as a block scalar: always a string."""

    __slots__ = ()


class YMap(dict[str, Any]):
    """A mapping with the positions of itself, its keys and its values.

    The positions of its keys and values are kept in one array (key, value, key, value …
    in the mapping's order), not in two dicts of ints: a million posts' mappings take half
    the memory. Entries are added with ``put`` only, never replaced or removed."""

    __slots__ = ("_at", "pos")

    def __init__(self, pos: int) -> None:
        super().__init__()
        self.pos = pos
        self._at = array("q")

    def put(self, key: str, key_pos: int, value: Any, value_pos: int) -> None:
        """Add an entry with the positions of its key and value."""
        self[key] = value
        self._at.append(key_pos)
        self._at.append(value_pos)

    def located(self) -> Iterator[tuple[str, Any, int, int]]:
        """Every entry as (key, value, position of the key, position of the value)."""
        at = self._at
        for i, (key, value) in enumerate(self.items()):
            yield key, value, at[2 * i], at[2 * i + 1]

    @property
    def key_pos(self) -> Mapping[str, int]:
        """The position of each key."""
        return _Positions(self, 0)

    @property
    def value_pos(self) -> Mapping[str, int]:
        """The position of each value."""
        return _Positions(self, 1)


class _Positions(Mapping[str, int]):
    """The positions of a YMap's keys (``which`` 0) or values (1), by key."""

    def __init__(self, owner: YMap, which: int) -> None:
        self.owner = owner
        self.which = which

    def __getitem__(self, key: str) -> int:
        for i, present in enumerate(self.owner):
            if present == key:
                return self.owner._at[2 * i + self.which]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.owner)

    def __len__(self) -> int:
        return len(self.owner)


class YSeq(list[Any]):
    """A sequence with the positions of itself and its items."""

    __slots__ = ("item_pos", "pos")

    def __init__(self, pos: int) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos = array("q")


def pack(line: int, column: int) -> int:
    """Pack a 0-based line and column into one int."""
    return (line << 32) | column


def unpack(pos: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of a packed position."""
    return (pos >> 32) + 1, (pos & 0xFFFFFFFF) + 1


def describe_char(ch: str) -> str:
    """Name a character for an error message, e.g. ``U+001B (ESCAPE)``."""
    name = unicodedata.name(ch, "")
    if not name:
        if "\ud800" <= ch <= "\udfff":
            name = "a surrogate, not a character"
        elif _FORBIDDEN.fullmatch(ch) and unicodedata.category(ch) == "Cn":
            name = "a noncharacter"
        else:
            name = {"\x1b": "ESCAPE", "\x00": "NULL", "\x7f": "DELETE"}.get(ch, "control character")
    return f"U+{ord(ch):04X} ({name})"


def _offset_to_pos(text: str, index: int) -> int:
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return pack(line, column)


def decode(data: bytes, filename: str) -> str:
    """Decode UTF-8 (BOM allowed) and reject forbidden characters, with their location."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start)
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace"))
        byte = data[exc.start]
        raise DataFileError(
            [
                Problem(
                    filename,
                    line + 1,
                    column + 1,
                    f"not valid UTF-8: byte 0x{byte:02X}; save the file as UTF-8 "
                    "(it may be Latin-1 or Windows-1252)",
                )
            ]
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = _FORBIDDEN.search(text) if _holds_forbidden(text) else None
    if bad is not None:
        line, column = unpack(_offset_to_pos(text, bad.start()))
        raise DataFileError(
            [
                Problem(
                    filename, line, column, f"character {describe_char(bad.group())} is not allowed"
                )
            ]
        )
    return text


def _yaml_problem(exc: Exception, text: str, filename: str) -> Problem:
    """Turn a PyYAML parser or reader error into a located problem."""
    import yaml

    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "invalid YAML"
        if exc.context:
            message = f"{message} ({exc.context})"
        if mark is not None and _tab_near(text, mark.line, mark.column):
            message += "; indent with spaces, not tabs"
        if mark is not None:
            return Problem(filename, mark.line + 1, mark.column + 1, f"YAML syntax: {message}")
        return Problem(filename, 0, 0, f"YAML syntax: {message}")
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = unpack(_offset_to_pos(text, min(exc.position, len(text))))
        return Problem(filename, line, column, f"YAML reader: {exc.reason}")
    return Problem(filename, 0, 0, f"YAML: {exc}")


def _tab_near(text: str, line: int, column: int) -> bool:
    """Tell whether a parser error sits on a tab in a line's indentation."""
    lines = text.split("\n", line + 1)
    if line >= len(lines):
        return False
    current = lines[line]
    indent = current[: len(current) - len(current.lstrip(" \t"))]
    return "\t" in indent or current[column : column + 1] == "\t"


class _Parsing:
    """PyYAML's event stream, keeping the parser so an error without a mark can be located."""

    def __init__(self, text: str, pure: bool) -> None:
        import yaml

        cls = yaml.SafeLoader if pure else getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        self.loader = cls(text)

    def events(self) -> Any:
        loader = self.loader
        try:
            while loader.check_event():
                yield loader.get_event()
        finally:
            loader.dispose()

    def position(self) -> tuple[int, int] | None:
        """The 1-based (line, column) the pure-Python reader has reached, if known."""
        get_mark = getattr(self.loader, "get_mark", None)
        if get_mark is None:
            return None
        try:
            mark = get_mark()
        except Exception:  # pragma: no cover - a parser in a broken state
            return None
        return mark.line + 1, mark.column + 1


def read_tree(
    data: bytes, filename: str, *, pure: bool = False, root_keys: frozenset[str] | None = None
) -> Any:
    """Parse YAML bytes into a located tree (see the module docstring); raise DataFileError.

    With ``root_keys``, the value of any other key of the top-level mapping is not built (an
    empty list or mapping stands for it; the schema reports the unknown key): its events are
    still parsed and checked, but memory stays proportional to what will be used.
    """
    import yaml
    from yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
    )

    text = decode(data, filename)
    problems: list[Problem] = []

    def fail(pos: int, message: str) -> DataFileError:
        line, column = unpack(pos)
        return DataFileError([Problem(filename, line, column, message)])

    root: Any = None
    have_root = False
    stack: list[Any] = []  # open containers
    pending: list[Any] = []  # per open container: the key waiting for its value (maps only)
    normalised_keys: list[dict[str, str]] = []  # per open map: NFC key -> key as written
    documents = 0
    forbidden = _FORBIDDEN
    nfc = unicodedata.normalize
    skipping = 0  # depth inside the value of an unknown top-level key (not built)

    parsing = _Parsing(text, pure)
    try:
        for event in parsing.events():
            kind = type(event)
            mark = event.start_mark
            pos = (mark.line << 32) | mark.column
            if skipping:
                if kind is AliasEvent or getattr(event, "anchor", None) is not None:
                    raise fail(pos, "anchors and aliases are not supported; write the value out")
                if kind is MappingStartEvent or kind is SequenceStartEvent:
                    skipping += 1
                    if skipping > MAX_DEPTH:
                        raise fail(pos, f"nesting deeper than {MAX_DEPTH} levels is not supported")
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    skipping -= 1
                elif kind is ScalarEvent and event.style == '"' and forbidden.search(event.value):
                    ch = forbidden.search(event.value).group()  # type: ignore[union-attr]
                    raise fail(pos, f"character {describe_char(ch)} is not allowed")
                continue
            if kind is ScalarEvent:
                if event.anchor is not None:
                    raise fail(pos, "anchors (&name) are not supported; write the value out")
                style = event.style
                if event.tag not in _ALLOWED_SCALAR_TAGS:
                    raise fail(pos, f"tag {event.tag!r} is not allowed; only plain values")
                if style == "" or style is None:
                    value: Any = event.value if event.tag is None else Quoted(event.value)
                else:
                    value = Quoted(event.value)
                    if style == '"' and forbidden.search(value):
                        ch = forbidden.search(value).group()  # type: ignore[union-attr]
                        raise fail(pos, f"character {describe_char(ch)} is not allowed")
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None:
                    raise fail(pos, "anchors (&name) are not supported; write the value out")
                allowed = _ALLOWED_MAP_TAGS if kind is MappingStartEvent else _ALLOWED_SEQ_TAGS
                if event.tag not in allowed:
                    raise fail(pos, f"tag {event.tag!r} is not allowed; only plain values")
                if len(stack) >= MAX_DEPTH:
                    raise fail(pos, f"nesting deeper than {MAX_DEPTH} levels is not supported")
                value = YMap(pos) if kind is MappingStartEvent else YSeq(pos)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
                pending.pop()
                if kind is MappingEndEvent:
                    normalised_keys.pop()
                continue
            elif kind is AliasEvent:
                raise fail(pos, "aliases (*name) are not supported; write the value out")
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise fail(pos, "only one YAML document per file ('---' starts a second)")
                continue
            else:
                continue

            # Attach the new value to its parent.
            if not stack:
                root, have_root = value, True
            else:
                parent = stack[-1]
                if type(parent) is YSeq:
                    parent.append(value)
                    parent.item_pos.append(pos)
                else:
                    waiting = pending[-1]  # (the key, its position), or None
                    if waiting is None:
                        if not isinstance(value, str):
                            raise fail(pos, "a mapping key must be plain text")
                        norm = value if value.isascii() else nfc("NFC", value)
                        seen = normalised_keys[-1]
                        if norm in seen:
                            first = seen[norm]
                            line, column = unpack(parent.key_pos[first])
                            differs = (
                                "; the two differ only in Unicode form" if (first != value) else ""
                            )
                            raise fail(
                                pos,
                                f"duplicate key {str(value)!r} "
                                f"(first defined at line {line}, column {column}{differs})",
                            )
                        key = intern(str(value))  # one string for each "id", "role" ...
                        seen[norm] = key
                        pending[-1] = (key, pos)
                        continue
                    key, key_pos = waiting
                    parent.put(key, key_pos, value, pos)
                    pending[-1] = None
                    if (
                        root_keys is not None
                        and len(stack) == 1
                        and key not in root_keys
                        and (kind is MappingStartEvent or kind is SequenceStartEvent)
                    ):
                        skipping = 1  # the empty container stands for the value
                        continue
            if kind is MappingStartEvent:
                stack.append(value)
                pending.append(None)
                normalised_keys.append({})
            elif kind is SequenceStartEvent:
                stack.append(value)
                pending.append(None)
    except DataFileError:
        raise
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        problem = _yaml_problem(exc, text, filename)
        where = parsing.position() if not problem.line else None
        if where is not None:  # e.g. the pure parser's chr() on "\U00110000": no mark
            problem = problem._replace(line=where[0], column=where[1])
        if type(exc) in (ValueError, OverflowError):  # the pure parser's chr() past U+10FFFF
            problem = problem._replace(
                message="YAML syntax: found invalid Unicode character escape code"
            )
        problems.append(problem)
        raise DataFileError(problems) from None
    except RecursionError:  # pragma: no cover - the parsers are iterative; kept as a guard
        raise DataFileError([Problem(filename, 0, 0, "nesting too deep")]) from None

    if not have_root:
        raise DataFileError([Problem(filename, 1, 1, "the file is empty (no YAML document)")])
    return root
