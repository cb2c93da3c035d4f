"""The docs' console transcripts: which files hold them and how a command is run for them.

Shared by tests/test_docs.py (which checks them) and bench/update_transcripts.py (which
rewrites them after a deliberate change of output).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = [
    ROOT / "README.md",
    ROOT / "docs" / "json.md",
    *sorted((ROOT / "docs" / "examples").glob("*.md")),
]


def run(command: str) -> str:
    """Return what ``command`` prints (stdout and stderr), as the docs test runs it."""
    env = {
        **os.environ,
        "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}",
        "COLUMNS": "200",
    }
    env.pop("ORGROLES_DATA", None)
    env.pop("ORGROLES_LANG", None)
    proc = subprocess.run(
        ["bash", "-c", command + " 2>&1"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return proc.stdout.rstrip("\n")


