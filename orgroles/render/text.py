"""Safe text for terminals: data never becomes Rich markup or escape sequences."""

from __future__ import annotations

import unicodedata


def printable(text: str) -> str:
    """Replace characters that could control a terminal with visible escapes."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn"):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def cells(text: str) -> int:
    """Return how many terminal columns ``text`` takes: combining marks and format characters
    none, wide East Asian characters two (aligned plain tables in any Unicode form)."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def slides_label(slides: tuple[int, ...]) -> str:
    """Return slide numbers as a compact label, e.g. ``S7, S10``."""
    return ", ".join(f"S{n}" for n in slides)
