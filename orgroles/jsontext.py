"""JSON text written by the C encoder without ``json.dumps``' set-up on every call.

``json.JSONEncoder.encode`` builds a new C encoder for each value it writes; a writer of a
million small rows (the store, the exports) spends a third of its JSON time on that. An
encoder from ``encoder`` is built once and gives the same text as ``JSONEncoder.encode`` with
the same options (tested).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)  # None: not CPython


def encoder(
    separators: tuple[str, str] = (",", ":"), sort_keys: bool = False, ensure_ascii: bool = False
) -> Callable[[Any], str]:
    """Return a function that writes a value as JSON text (``ensure_ascii=False`` unless
    asked: ``encoder((", ", ": "), ensure_ascii=True)`` writes what ``json.dumps`` does)."""
    plain = json.JSONEncoder(ensure_ascii=ensure_ascii, separators=separators, sort_keys=sort_keys)
    if c_make_encoder is None:  # pragma: no cover
        return plain.encode
    item_separator, key_separator = separators
    made = c_make_encoder(
        None,  # no check for cycles: the values written are trees
        plain.default,
        json.encoder.encode_basestring_ascii if ensure_ascii else json.encoder.encode_basestring,
        None,
        key_separator,
        item_separator,
        sort_keys,
        False,
        True,
    )

    def encode(value: Any) -> str:
        return "".join(made(value, 0))

    return encode


compact = encoder()
