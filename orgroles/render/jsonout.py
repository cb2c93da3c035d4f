"""JSON rendering: one document per answer, UTF-8, never ASCII-escaped."""

from typing import Any

_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _names(kind: type) -> tuple[str, ...] | None:
    """Return the JSON keys of a NamedTuple class (``from_`` becomes ``from``), else None."""
    if kind not in _FIELDS:
        fields = getattr(kind, "_fields", None)
        _FIELDS[kind] = tuple(f.rstrip("_") for f in fields) if fields is not None else None
    return _FIELDS[kind]


def plain(value: Any, done: dict[int, Any] | None = None) -> Any:
    """Convert answers (NamedTuples), tuples and sets into JSON-ready dicts and lists.

    ``done`` remembers converted answer objects by identity, so parts shared by several
    answers (see ``OrgIndex.memo``) are converted once per document.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if done is None:
        done = {}
    names = _names(kind)
    if names is not None:  # a NamedTuple: an object, not a list
        known = done.get(id(value))
        if known is None:
            known = done[id(value)] = {
                k: v if type(v) in _SCALARS else plain(v, done)
                for k, v in zip(names, value, strict=True)
            }
        return known
    if kind is tuple or kind is list:
        return [v if type(v) in _SCALARS else plain(v, done) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v, done) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(plain(v, done) for v in value)
    return value


def to_json(value: Any, indent: bool = False) -> str:
    """Return ``value`` as one JSON document and a newline; ``indent`` for people to read.

    Compact output uses the C encoder; indenting makes Python fall back to its slow one.
    """
    import json

    if indent:
        return json.dumps(plain(value), ensure_ascii=False, indent=2) + "\n"
    return json.dumps(plain(value), ensure_ascii=False, separators=(",", ":")) + "\n"
