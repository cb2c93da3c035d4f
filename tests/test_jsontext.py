"""The JSON writer built once (``orgroles.jsontext``) gives the text ``json.dumps`` gives."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orgroles.jsontext import compact, encoder
from tests.conftest import property_examples

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=20,
)


@settings(max_examples=property_examples(500), deadline=None)
@given(values)
def test_the_same_text_as_json_dumps(value: Any) -> None:
    assert compact(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    indented = encoder(separators=(",\n   ", ": "), sort_keys=True)
    expected = json.dumps(value, ensure_ascii=False, separators=(",\n   ", ": "), sort_keys=True)
    assert indented(value) == expected
    assert encoder((", ", ": "), ensure_ascii=True)(value) == json.dumps(value)


@pytest.mark.parametrize("value", [{1: "a", 2.5: "b", False: "c", None: "d"}, ("a", 1), "\u2028<"])
def test_keys_tuples_and_text_as_json_dumps(value: Any) -> None:
    assert compact(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_what_json_cannot_write_is_refused_as_by_json_dumps() -> None:
    with pytest.raises(TypeError):
        compact({"a": object()})
