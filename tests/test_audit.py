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


def test_the_enhetssjefer_report_to_the_directors_by_inference(invoke: Invoke) -> None:
    """S10/S16: the role-level line enhetssjef -> direktør is a reading of the charts."""
    [row] = [r for r in _json(invoke, "tree")["rows"] if r["id"] == "enhetssjef"]
    assert (row["parent"], row["slides"], row["status"]) == ("direktor", [10, 16], "inferred")
    assert row["superior_unspecified"] is True
    shown = _json(invoke, "show", "enhetsledere")
    assert shown["id"] == "enhetssjef"
    assert shown["superior"]["status"] == "inferred"
    assert "enhetsledere" in shown["aliases"]
    assert "are a reading" in shown["note"]
