"""Rewrite the outputs of the console transcripts in README.md and docs/*.md from real runs.

Run after a deliberate change of output, then read the diff: ``python bench/update_transcripts.py``.
tests/test_docs.py checks the same transcripts the same way (COLUMNS=200, no ORGROLES_*).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.transcripts import FILES, run  # noqa: E402


def rewrite(block: str) -> str:
    """Return a console block with each command's output replaced by what it prints now."""
    out: list[str] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append(line)
            printed = run(line[2:])
            out.extend(printed.splitlines() if printed else [])
    return "\n".join(out) + "\n"


def fields_block(text: str) -> str:
    """Rewrite the generated table of objects and fields in docs/data-format.md."""
    from orgroles.dataformat import fields_table

    return re.sub(
        r"<!-- fields:start -->\n.*?<!-- fields:end -->",
        lambda _: "<!-- fields:start -->\n" + fields_table() + "<!-- fields:end -->",
        text,
        flags=re.S,
    )


def main() -> None:
    spec = ROOT / "docs" / "data-format.md"
    text = spec.read_text(encoding="utf-8")
    if fields_block(text) != text:
        spec.write_text(fields_block(text), encoding="utf-8")
        print("updated docs/data-format.md")
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        new = re.sub(
            r"```console\n(.*?)```",
            lambda m: "```console\n" + rewrite(m.group(1)) + "```",
            text,
            flags=re.S,
        )
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"updated {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
