"""bench/floors.py: its minimal tree is a whole tree, and the script runs and reports every step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
try:
    import floors
    from make_org import make_org
finally:
    sys.path.pop(0)


def test_the_minimal_tree_is_the_whole_document_as_text() -> None:
    """The floor builds what a validator would read: every value, as PyYAML's BaseLoader
    (plain strings, no conversions) reads it."""
    text = make_org(200, 5)
    assert floors.minimal_tree(text) == yaml.load(text, Loader=yaml.BaseLoader)
    bundled = (ROOT / "data" / "roles.yaml").read_text(encoding="utf-8")
    assert floors.minimal_tree(bundled) == yaml.load(bundled, Loader=yaml.BaseLoader)


def test_floors_reports_every_step(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "floors.py"), "--posts", "300"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "TMPDIR": str(tmp_path)},
    )
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")][2:]
    names = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    assert len(set(names)) == len(names) == 12, names
    assert names[0] == "libyaml's event stream (the cold baseline)"
    assert names[-1] == "store: the writer"
    assert rows[0].endswith("| 1.00 |")
    for row in rows:
        seconds = float(row.split(" | ")[1])
        assert seconds >= 0
