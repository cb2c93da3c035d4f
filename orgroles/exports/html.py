"""An org chart people can open: one self-contained HTML file (``export --format html``).

The page is built from the same answers the CLI gives: the rows of ``tree`` in both languages,
the sections ``show`` prints for roles, units and forums, the interface words of
``render.labels`` and the name index of ``orgroles.names`` (the page folds a typed name as
``names.fold`` does and looks it up in that index, so it resolves names as the CLI does). The
script and style in ``orgroles/exports/chart/`` are hand-written and inlined; a
Content-Security-Policy allows only those two (by their hashes) and no network at all. Every
text from the data reaches the page as JSON (``<``, ``>`` and ``&`` escaped) and is set as
text, never as markup.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any, NamedTuple

from orgroles.index import OrgIndex
from orgroles.jsontext import compact
from orgroles.model import LANGS, Lang
from orgroles.names import ENDINGS, SHORTEST_STEM
from orgroles.queries.line import TreeRow, superior_name, tree_rows
from orgroles.render.labels import (
    count_text,
    number,
    one_of,
    people_beside,
    row_count,
    say,
    word,
)

# The interface words the page uses, from the CLI's own vocabulary.
WORDS = (
    "reports",
    "inferred",
    "unspecified",
    "held_by",
    "role",
    "heads",
    "superior",
    "source",
    "top",
    "kind_role",
    "kind_post",
    "kind_unit",
    "kind_forum",
    "tree_staff",
)
# Words of the page itself (no CLI command prints them).
PAGE_WORDS = {
    "search": ("Søk etter navn", "Search by name"),
    "no_hit": ("Ingen treff", "No match"),
    "layout": ("Oppsett", "Layout"),
    "top_down": ("ovenfra og ned", "top-down"),
    "left_right": ("fra venstre", "left to right"),
    "expand_all": ("Vis alle", "Expand all"),
    "collapse_all": ("Skjul alle", "Collapse all"),
    "close": ("Lukk", "Close"),
    "details": ("Detaljer", "Details"),
    "role_facts": ("Fra rollen", "From the role"),
    "more_below": ("{n} under", "{n} below"),
    "language": ("Språk", "Language"),
    "group": ("stillinger", "posts"),
}
INITIAL_CARDS = 60  # the page opens levels while fewer cards than this are shown
DETAILS_AT_MOST = 50  # of a role's posts and of the direct reports, in a card's details


def _superior(ix: OrgIndex, row: TreeRow, known: dict[str | None, list[str]]) -> list[str]:
    """A post's superior as ``show`` names it, in both languages (its card may sit under a
    group of posts, not under its superior); empty for other cards and at the top. ``known``:
    the names already made, by the target of the line (which alone decides them)."""
    if row.kind != "post" or row.superior is None:
        return ["", ""]
    target = ix.superior(row.id)
    names = known.get(target)
    if names is None:
        name, open_line = superior_name(ix, row.id)
        names = known[target] = [
            one_of(say(name, lang), lang) if open_line else say(name, lang) for lang in LANGS
        ]
    return names


def _row(row: TreeRow, parent: int, superior: list[str]) -> list[Any]:
    """One card: [parent, id, kind, name nb, name en, count nb, count en, status, slides,
    note nb, note en, unstated line, people nb, people en, staff nb, staff en, superior nb,
    superior en]."""
    names = [say(row.name, lang) for lang in LANGS]
    people = [
        people_beside(name, row.holders, row.vacant, lang)
        for name, lang in zip(names, LANGS, strict=True)
    ]
    staff = [
        word("tree_staff", lang, n=count_text(row.staff, row.staff_approximate, lang))
        if row.staff is not None
        else ""
        for lang in LANGS
    ]
    return [
        parent,
        row.id,
        row.kind,
        *names,
        *(row_count(row, lang) for lang in LANGS),
        row.status,
        list(row.slides),
        *(say(row.note, lang) if row.note else "" for lang in LANGS),
        row.superior_unspecified,
        *people,
        *staff,
        *superior,
    ]


def _sections(answer: Any, cut: Any, lang: Lang) -> list[dict[str, Any]]:
    """What ``show`` prints for a node, as plain data; a list cut short (``detail.Cut``)
    says how many more there are."""
    from orgroles.render.answers import sections
    from orgroles.render.output import say_when_empty

    built = sections(answer, lang)
    say_when_empty(built, lang)
    if cut.posts:
        built[0].notes.append(word("chart_more", lang, n=number(cut.posts, lang)))
    if cut.reports:
        reports = next(s for s in built if s.title == word("reports", lang))
        reports.notes.append(word("chart_more", lang, n=number(cut.reports, lang)))
    return [
        {
            "title": s.title,
            "columns": s.columns,
            "rows": s.rows,
            "lines": s.lines,
            "notes": s.notes,
            "header": s.header,
        }
        for s in built
    ]


class _Items(NamedTuple):
    """A JSON array written item by item (``chart_json``)."""

    items: Iterable[Any]


class _Pairs(NamedTuple):
    """A JSON object written pair by pair (``chart_json``)."""

    pairs: Iterable[tuple[str, Any]]


def _chart(ix: OrgIndex) -> dict[str, Any]:
    """Everything the page shows; its large parts as ``_Items``/``_Pairs``, made as they are
    written."""
    from orgroles.queries.detail import show_cut

    def rows() -> Iterator[list[Any]]:
        position: dict[str, int] = {}
        known: dict[str | None, list[str]] = {}
        for i, row in enumerate(tree_rows(ix)):
            position[row.key] = i
            parent = position[row.parent] if row.parent is not None else -1
            yield _row(row, parent, _superior(ix, row, known))

    org = ix.org
    detailed = [r.id for r in org.roles] + [u.id for u in org.units] + [f.id for f in org.forums]
    names = ix.names
    return {
        "title": [org.meta.title.get("nb"), org.meta.title.get("en")],
        "rows": _Items(rows()),
        "details": _Pairs(
            (node, [_sections(answer, cut, lang) for lang in LANGS])
            for node in detailed
            for answer, cut in (show_cut(ix, node, DETAILS_AT_MOST),)
        ),
        "posts": _Pairs(
            (p.id, [p.role.id if p.role else "", p.heads.id if p.heads else ""]) for p in org.posts
        ),
        "labels": {node: [ix.label(node, "nb"), ix.label(node, "en")] for node in detailed},
        "words": {
            **{key: [word(key, "nb"), word(key, "en")] for key in WORDS},
            **{key: list(texts) for key, texts in PAGE_WORDS.items()},
        },
        "names": {
            "keys": _Pairs((key, sorted(names.keys[key])) for key in sorted(names.keys)),
            "sole_post": names.sole_post,
            "endings": list(ENDINGS),
            "shortest_stem": SHORTEST_STEM,
        },
        "initial_cards": INITIAL_CARDS,
    }


def chart_data(ix: OrgIndex) -> dict[str, Any]:
    """Return everything the page shows, as JSON-ready data (whole: for tests and hosts)."""

    def whole(value: Any) -> Any:
        if isinstance(value, _Items):
            return [whole(v) for v in value.items]
        if isinstance(value, _Pairs):
            return {k: whole(v) for k, v in value.pairs}
        if isinstance(value, dict):
            return {k: whole(v) for k, v in value.items()}
        return value

    data: dict[str, Any] = whole(_chart(ix))
    return data


_compact = compact


BATCH = 1000  # items or pairs encoded in one call of the (C) encoder


def _batched(items: Iterable[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _is_streamed(value: Any) -> bool:
    return isinstance(value, _Items | _Pairs | dict)


def chart_json(ix: OrgIndex) -> Iterator[str]:
    """``chart_data`` as compact JSON, piece by piece: the text ``json.dumps`` gives whole.

    Plain items and pairs are encoded a thousand at a time (``[a,b]`` less its brackets is
    ``a,b``, and batches joined by commas are the whole array or object)."""

    def pieces(value: Any) -> Iterator[str]:
        if isinstance(value, _Items):
            yield "["
            for i, batch in enumerate(_batched(value.items)):
                yield ("," if i else "") + _compact(batch)[1:-1]
            yield "]"
        elif isinstance(value, _Pairs | dict):
            pairs = value.pairs if isinstance(value, _Pairs) else value.items()
            yield "{"
            for i, batch in enumerate(_batched(pairs)):
                if i:
                    yield ","
                if any(_is_streamed(item) for _, item in batch):
                    for j, (key, item) in enumerate(batch):
                        yield ("," if j else "") + _compact(key) + ":"
                        yield from pieces(item)
                else:
                    yield _compact(dict(batch))[1:-1]
            yield "}"
        else:
            yield _compact(value)

    return pieces(_chart(ix))


_HTML_SAFE = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def _html_safe(json_text: str) -> str:
    """JSON that cannot end its script element or open markup: ``<``, ``>``, ``&`` escaped
    (each character on its own, so pieces of a text are escaped as the whole would be;
    ``str.replace`` scans a megabyte many times faster than ``str.translate``)."""
    for plain, escaped in _HTML_SAFE:
        if plain in json_text:
            json_text = json_text.replace(plain, escaped)
    return json_text


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _asset(name: str) -> str:
    return resources.files("orgroles.exports").joinpath("chart", name).read_text(encoding="utf-8")


def html_chunks(ix: OrgIndex, lang: Lang) -> Iterator[str]:
    """The chart page in three pieces: the head, the data, the script (never one string)."""
    import html

    script, style = _asset("chart.js"), _asset("chart.css")
    policy = (
        "default-src 'none'; "
        f"script-src {_hash(script)}; style-src {_hash(style)}; "
        "img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    title = html.escape(ix.org.meta.title.get(lang))
    yield (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="orgroles export --format html">\n'
        f"<title>{title}</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n"
        '<script type="application/json" id="orgroles-data">'
    )
    from orgroles.exports import gathered

    yield from (_html_safe(chunk) for chunk in gathered(chart_json(ix)))
    yield f"</script>\n<script>{script}</script>\n</body>\n</html>\n"


def to_html(ix: OrgIndex, lang: Lang) -> str:
    """Return the chart page: one file, no network, opening in ``lang``."""
    return "".join(html_chunks(ix, lang))
