"""Schema building blocks: validate a located YAML tree and describe it as JSON Schema.

Each ``Spec`` does two jobs from one definition, so the loader and the published JSON Schema
cannot drift apart:

- ``check(node, pos, ctx)`` validates one node of the tree from ``orgroles.yamlread`` and returns
  plain, JSON-compatible data (``dict``, ``list``, ``str``, ``int``, ``bool``, ``None``), or
  ``INVALID`` after recording a located problem in ``ctx``. Checking never stops at the first
  problem.
- ``schema(defs)`` returns the JSON Schema fragment (named objects go into ``defs``).

Plain scalars are resolved per field, following YAML 1.2's core schema only where a field asks
for it: ``Integer`` accepts ``0`` or digits without a leading zero, ``Boolean`` only ``true`` and
``false``, ``Nullable`` only ``null``, ``~`` or nothing. Everywhere else text stays text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, Final, NamedTuple

from orgroles.errors import Problem
from orgroles.yamlread import Quoted, YMap, YSeq, unpack

INVALID: Final = object()
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INT = re.compile(r"0|[1-9][0-9]*")


class Context:
    """Where problems go while checking one file."""

    def __init__(self, filename: str, consume: bool = False) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        # With ``consume``, a list's items are let go as they are checked: the located tree
        # of a large file does not stay beside its plain data (it is read again to locate a
        # problem found later).
        self.consume = consume

    def report(self, pos: int, message: str) -> object:
        """Record a problem at a packed position and return ``INVALID``."""
        line, column = unpack(pos)
        self.problems.append(Problem(self.filename, line, column, message))
        return INVALID


def describe(node: Any) -> str:
    """Describe a tree node for an error message."""
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    if isinstance(node, Quoted):
        return f"the text {_short(node)}"
    if node in _NULLS:
        return "nothing (null)"
    return _short(node)


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


class Spec:
    """A node type: checks a tree node and describes itself as JSON Schema."""

    def check(self, node: Any, pos: int, ctx: Context) -> Any:
        """Return plain data for a valid node, else record a problem and return INVALID."""
        raise NotImplementedError

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        """Return this node type as a JSON Schema fragment."""
        raise NotImplementedError


class Text(Spec):
    """Any scalar, kept exactly as written (plain ``null``/``~``/empty are not text)."""

    def __init__(
        self,
        pattern: str | None = None,
        explain: str = "",
        valid: Callable[[str], bool] | None = None,
        description: str = "",
        nfc: bool = False,
        schema_pattern: str | None = None,
    ) -> None:
        self.nfc = nfc  # kept in Unicode's composed form (NFC): "é" one way, however written
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_text = pattern or schema_pattern  # (schema_pattern: the schema's only)
        self.explain = explain
        self.valid = valid
        self.description = description

    def check(self, node: Any, pos: int, ctx: Context) -> Any:
        if type(node) is str:
            if node in _NULLS:
                return ctx.report(pos, "expected text, found nothing (null)")
        elif type(node) is not Quoted:
            return ctx.report(pos, f"expected text, found {describe(node)}")
        elif not node:
            return ctx.report(pos, "expected text, found an empty string")
        if self.pattern is not None and self.pattern.fullmatch(node) is None:
            return ctx.report(pos, f"{_short(node)} is not {self.explain}")
        if self.valid is not None and not self.valid(node):
            return ctx.report(pos, f"{_short(node)} is not {self.explain}")
        if self.nfc and not node.isascii():
            return unicodedata.normalize("NFC", node)
        return str(node)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.pattern_text:
            out["pattern"] = "^(?:" + self.pattern_text + ")$"
        if self.description:
            out["description"] = self.description
        return out


class Enum(Spec):
    """One of a fixed set of words."""

    def __init__(self, *values: str, description: str = "") -> None:
        self.values = values
        self.description = description

    def check(self, node: Any, pos: int, ctx: Context) -> Any:
        if isinstance(node, str) and node in self.values:
            return str(node)
        allowed = ", ".join(self.values)
        return ctx.report(pos, f"expected one of {allowed}; found {describe(node)}")

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"enum": list(self.values)}
        if self.description:
            out["description"] = self.description
        return out


class Integer(Spec):
    """A whole number written plainly in decimal (no sign, no leading zero, no quotes).

    At most ``MAX_DIGITS`` digits: every JSON reader holds such a number exactly, and Python's
    limit on converting long digit strings is never reached.
    """

    MAX_DIGITS = 15

    def __init__(self, minimum: int = 0) -> None:
        self.minimum = minimum

    def check(self, node: Any, pos: int, ctx: Context) -> Any:
        if type(node) is not str or _INT.fullmatch(node) is None:
            return ctx.report(
                pos, f"expected a whole number written in digits (like 14), found {describe(node)}"
            )
        if len(node) > self.MAX_DIGITS:
            return ctx.report(
                pos, f"a number of {len(node)} digits is too large (at most {self.MAX_DIGITS})"
            )
        value = int(node)
        if value < self.minimum:
            return ctx.report(pos, f"expected a number of at least {self.minimum}, found {value}")
        return value

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum, "maximum": 10**self.MAX_DIGITS - 1}


class Boolean(Spec):
    """``true`` or ``false``, unquoted (YAML 1.1's yes/no/on/off are not accepted)."""

    def check(self, node: Any, pos: int, ctx: Context) -> Any:
        if type(node) is str and node in ("true", "false"):
            return node == "true"
        return ctx.report(pos, f"expected true or false, found {describe(node)}")

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "boolean"}


class Nullable(Spec):
    """Either ``null`` (also ``~`` or nothing, unquoted) or the inner type."""

    def __init__(self, inner: Spec) -> None:
        self.inner = inner

    def check(self, node: Any, pos: int, ctx: Context) -> Any:
        if type(node) is str and node in _NULLS:
            return None
        return self.inner.check(node, pos, ctx)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"oneOf": [{"type": "null"}, self.inner.schema(defs)]}


class List(Spec):
    """A list of items of one type."""

    def __init__(self, item: Spec, min_items: int = 0) -> None:
        self.item = item
        self.min_items = min_items

    def check(self, node: Any, pos: int, ctx: Context) -> Any:
        if type(node) is not YSeq:
            return ctx.report(pos, f"expected a list, found {describe(node)}")
        if len(node) < self.min_items:
            return ctx.report(pos, f"expected at least {self.min_items} item(s)")
        check = self.item.check
        out = []
        ok = True
        consume = ctx.consume
        for i, item_pos in enumerate(node.item_pos):
            result = check(node[i], item_pos, ctx)
            if consume:
                node[i] = None
            if result is INVALID:
                ok = False
            else:
                out.append(result)
        return out if ok else INVALID

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.schema(defs)}
        if self.min_items:
            out["minItems"] = self.min_items
        return out


class Field(NamedTuple):
    """One key of an ``Object``: its type, whether it is required, and its documentation."""

    spec: Spec
    required: bool = False
    doc: str = ""


class Object(Spec):
    """A mapping with known keys; unknown keys are errors (with a suggestion)."""

    def __init__(self, name: str, doc: str, fields: Mapping[str, Field]) -> None:
        self.name = name
        self.doc = doc
        self.fields = dict(fields)
        self.required = [k for k, f in self.fields.items() if f.required]

    def check(self, node: Any, pos: int, ctx: Context) -> Any:
        if type(node) is not YMap:
            return ctx.report(pos, f"expected a mapping ({self.name}), found {describe(node)}")
        fields = self.fields
        out: dict[str, Any] = {}
        ok = True
        for key, value, key_pos, value_pos in node.located():
            spec_field = fields.get(key)
            if spec_field is None:
                ok = False
                self._unknown_key(key, key_pos, ctx)
                continue
            result = spec_field.spec.check(value, value_pos, ctx)
            if result is INVALID:
                ok = False
            elif result is not None or spec_field.required:  # a required null stays, as None
                out[key] = result
        for key in self.required:
            if key not in node:
                ok = False
                ctx.report(pos, f"{self.name} is missing the required key {key!r}")
        return out if ok else INVALID

    def _unknown_key(self, key: str, pos: int, ctx: Context) -> None:
        from orgroles.suggest import close_matches

        close = close_matches(key, self.fields, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f" (allowed: {', '.join(self.fields)})"
        if self.name == "LangText" and not close:  # {en: Purchases above NOK 100,000}
            hint += "; a text with a comma or a colon inside {...} must be in quotes"
        ctx.report(pos, f"unknown key {key!r} in {self.name}{hint}")

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        if self.name not in defs:
            defs[self.name] = {}  # placeholder against recursion
            properties = {}
            for key, spec_field in self.fields.items():
                prop = spec_field.spec.schema(defs)
                if spec_field.doc:
                    prop = {**prop, "description": spec_field.doc}
                properties[key] = prop
            body: dict[str, Any] = {
                "type": "object",
                "description": self.doc,
                "properties": properties,
                "additionalProperties": False,
            }
            if self.required:
                body["required"] = self.required
            defs[self.name] = body
        return {"$ref": f"#/$defs/{self.name}"}


class Either(Spec):
    """A short form (plain text) or the long form (a mapping), normalised to the long form."""

    def __init__(self, short: Spec, long: Object, short_key: str) -> None:
        self.short = short
        self.long = long
        self.short_key = short_key

    def check(self, node: Any, pos: int, ctx: Context) -> Any:
        if type(node) is YMap:
            return self.long.check(node, pos, ctx)
        value = self.short.check(node, pos, ctx)
        if value is INVALID:
            return INVALID
        return {self.short_key: value}

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"oneOf": [self.short.schema(defs), self.long.schema(defs)]}
