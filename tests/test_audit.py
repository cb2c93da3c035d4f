"""Issue 13: the bundled data audited slide by slide; each correction pinned by a query."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Invoke


def _json(invoke: Invoke, *args: str) -> Any:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_whom_the_kommunalsjef_appoints_is_not_stated(invoke: Invoke) -> None:
    """S13 'lederansettelser': the authority is stated, whom it covers is not."""
    [holder] = _json(invoke, "authority", "lederansettelser")["holders"]
    assert holder["role"]["id"] == "kommunalsjef"
    assert (holder["over"], holder["slides"], holder["status"]) == ([], [13], "stated")
    assert "not stated" in holder["note"] and "inferred" in holder["note"]
