"""JSON rendering: one document per answer, UTF-8, never ASCII-escaped.

The answer's bilingual texts and phrases become strings in the language asked for, through
the same functions as the text renderings (``render.labels``), so the two always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from orgroles.model import Lang, LangText

_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...] | None] = {}
Converter = Callable[[Any, Lang, dict[int, Any]], Any]
_SPECIAL: dict[type, Converter] = {}


def _names(kind: type) -> tuple[str, ...] | None:
    """Return the JSON keys of a NamedTuple class (``from_`` becomes ``from``), else None."""
    if kind not in _FIELDS:
        fields = getattr(kind, "_fields", None)
        _FIELDS[kind] = tuple(f.rstrip("_") for f in fields) if fields is not None else None
    return _FIELDS[kind]


class LocalHolder(NamedTuple):
    """``queries.delegation.Holder`` in one language: ``plural`` when its name reads so."""

    id: str
    kind: str
    name: str
    unspecified: bool
    plural: bool


class LocalHit(NamedTuple):
    """``queries.search.Hit`` in one language: the text shown and the language it is in."""

    entity: str
    entity_kind: str
    entity_name: str
    section: str
    text: str
    lang: str
    slides: tuple[int, ...]


class LocalChange(NamedTuple):
    """``queries.diff.Change`` as it reads in one language (``render.labels.changes_shown``)."""

    change: str
    kind: str
    id: str | None
    name: str
    field: str | None
    path: str
    old: Any
    new: Any
    old_unspecified: bool
    new_unspecified: bool


class LocalDiff(NamedTuple):
    """``queries.diff.DiffAnswer`` as it reads in one language."""

    old: str
    new: str
    changes: tuple[LocalChange, ...]


def _special() -> dict[type, Converter]:
    """The answer parts that read differently in each language, and how (built on first use).

    Each gives its value in one language: a string, or a record of such values.
    """
    if not _SPECIAL:
        from orgroles.queries.common import BothNames, NameSet, NodeList, OpenLine
        from orgroles.queries.delegation import Holder
        from orgroles.queries.diff import Change, DiffAnswer
        from orgroles.queries.search import Hit
        from orgroles.queries.stats import SpanWarning
        from orgroles.render import labels

        def both(value: BothNames, lang: Lang, done: dict[int, Any]) -> dict[str, str]:
            other: Lang = "nb" if lang == "en" else "en"
            return {lang: getattr(value, lang), other: getattr(value, other)}

        def holder(value: Holder, lang: Lang, done: dict[int, Any]) -> LocalHolder:
            plural = labels.holder_is_plural(value, lang)
            return LocalHolder(
                value.id, value.kind, value.name.get(lang), value.unspecified, plural
            )

        def hit(value: Hit, lang: Lang, done: dict[int, Any]) -> LocalHit:
            shown = labels.hit_lang(value, lang)
            text = getattr(value.text, shown)
            name = value.entity_name.get(lang)
            return LocalHit(
                value.entity, value.entity_kind, name, value.section, text, shown, value.slides
            )

        def change(value: Change, lang: Lang, done: dict[int, Any]) -> LocalChange:
            fields = (localise(v, lang, done) for v in value[: len(LocalChange._fields)])
            return LocalChange(*fields)

        def diff(value: DiffAnswer, lang: Lang, done: dict[int, Any]) -> LocalDiff:
            shown = labels.changes_shown(value, lang)
            return LocalDiff(value.old, value.new, tuple(change(c, lang, done) for c in shown))

        _SPECIAL.update(
            {
                LangText: lambda v, lang, done: v.get(lang),
                OpenLine: lambda v, lang, done: labels.say(v, lang),
                NodeList: lambda v, lang, done: labels.say(v, lang),
                NameSet: lambda v, lang, done: tuple(labels.sorted_names(v.names, lang)),
                SpanWarning: lambda v, lang, done: labels.span_warning(v, lang),
                BothNames: both,
                Holder: holder,
                Hit: hit,
                DiffAnswer: diff,
                Change: change,
            }
        )
    return _SPECIAL


def localise(value: Any, lang: Lang, done: dict[int, Any] | None = None) -> Any:
    """Return an answer as it reads in ``lang``: every bilingual text and phrase a string,
    the records the JSON shows (what the Python API hands out).

    ``done`` remembers converted records by identity (see ``plain``).
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if done is None:
        done = {}
    special = _special().get(kind)
    if special is not None:
        return special(value, lang, done)
    if _names(kind) is not None:
        known = done.get(id(value))
        if known is None:
            known = done[id(value)] = kind._make(localise(v, lang, done) for v in value)
        return known
    if kind is tuple or kind is list:
        return kind(localise(v, lang, done) for v in value)
    if isinstance(value, dict):
        return {k: localise(v, lang, done) for k, v in value.items()}
    return value


def plain(value: Any, lang: Lang = "nb", done: dict[int, Any] | None = None) -> Any:
    """Convert answers (NamedTuples), tuples and sets into JSON-ready dicts and lists, every
    text and phrase in ``lang`` (``localise``).

    ``done`` remembers converted answer objects by identity, so parts shared by several
    answers (see ``OrgIndex.memo``) are converted once per document.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is LangText:
        return value.get(lang)
    if done is None:
        done = {}
    special = _special().get(kind)
    if special is not None:  # new records: never remembered by their (reusable) identity
        return plain(special(value, lang, {}), lang, {})
    names = _names(kind)
    if names is not None:  # a NamedTuple: an object, not a list
        known = done.get(id(value))
        if known is None:
            known = done[id(value)] = {
                k: v if type(v) in _SCALARS else plain(v, lang, done)
                for k, v in zip(names, value, strict=True)
            }
        return known
    if kind is tuple or kind is list:
        return [v if type(v) in _SCALARS else plain(v, lang, done) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v, lang, done) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(plain(v, lang, done) for v in value)
    return value


def to_json(value: Any, lang: Lang = "nb", indent: bool = False) -> str:
    """Return ``value`` as one JSON document and a newline, names in ``lang``; ``indent`` for
    people to read.

    Compact output uses the C encoder; indenting makes Python fall back to its slow one.
    """
    import json

    data = plain(value, lang)
    if indent:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
