"""Starter files for ``orgroles init``: commented templates that validate, in nb or en.

A template line or trailing comment tagged ``#en`` or ``#nb`` is kept (tag removed) in that
language and left out in the other; everything else is kept as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = ("company", "municipality")
_FOLDER = Path(__file__).resolve().parent / "templates"
_TAGGED = re.compile(r"(?P<code>.*?)(?P<gap>\s*)#(?P<lang>en|nb) (?P<comment>#.*)$")


def starter(template: str, lang: str) -> str:
    """Return the starter file ``template`` with its comments in ``lang``."""
    text = (_FOLDER / f"{template}.yaml").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        found = _TAGGED.match(line)
        if found is None:
            out.append(line)
            continue
        code = found["code"]
        if found["lang"] == lang:
            out.append(f"{code}{found['gap']}{found['comment']}")
        elif code.strip():
            out.append(code.rstrip())
    return "\n".join(out) + "\n"
