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
            code = ord(ch)  # as Python writes it: \u and four digits, or \U and eight
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def cells(text: str) -> int:
    """Return how many terminal columns ``text`` takes: combining marks, format characters and
    the vowels and final consonants of decomposed Hangul none, wide East Asian characters two,
    a character followed by the emoji presentation selector (U+FE0F) two (aligned plain
    tables in any Unicode form)."""
    if text.isascii():
        return len(text)
    width = last = 0
    for ch in text:
        if ch == "\ufe0f":  # ❤️: shown as a (wide) emoji
            width += 2 - last if last else 0
            last = 2 if last else 0
            continue
        if (
            unicodedata.combining(ch)
            or unicodedata.category(ch) in ("Mn", "Me", "Cf")
            or "\u1160" <= ch <= "\u11ff"
            or "\ud7b0" <= ch <= "\ud7ff"
        ):
            continue
        last = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        width += last
    return width


def slides_label(slides: tuple[int, ...]) -> str:
    """Return slide numbers as a compact label, e.g. ``S7, S10``."""
    return ", ".join(f"S{n}" for n in slides)
