"""JSON rendering: one document per answer, UTF-8, never ASCII-escaped."""

from __future__ import annotations

import json
from typing import Any


def plain(value: Any) -> Any:
    """Convert answers (NamedTuples), tuples and sets into JSON-ready dicts and lists."""
    fields = getattr(type(value), "_fields", None)
    if fields is not None and isinstance(value, tuple):  # a NamedTuple: an object, not a list
        return {name.rstrip("_"): plain(item) for name, item in zip(fields, value, strict=True)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    return value


def to_json(value: Any) -> str:
    """Return ``value`` as one JSON document (a trailing newline included)."""
    return json.dumps(plain(value), ensure_ascii=False, indent=2) + "\n"
