"""One-field edits of a loaded organisation, for the diff's tests (tests/test_diff_fields.py).

An organisation is turned back into a file (``to_yaml``), so an edited model is validated like
any file before the diff sees it: an edit that makes the file invalid (a dangling reference, a
duplicate id, a cycle) is never compared. Everything here works from the model's NamedTuples
and type hints, so a field added to the model is edited without a change here.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any, NamedTuple, cast, get_args, get_origin, get_type_hints

from orgroles.errors import OrgrolesError
from orgroles.load import load_bytes
from orgroles.model import LangText, Org, Source
from orgroles.queries.diff import IGNORED, _unwrap, is_record_type, plan

Step = str | int  # a field name, or a position in a list
MAX_CANDIDATES = 6


def reachable(root: type = Org) -> list[tuple[type, str]]:
    """Every (record type, field) reachable from ``root`` through the type hints."""
    found: list[tuple[type, str]] = []
    seen: set[type] = set()
    waiting = [root]
    while waiting:
        cls = waiting.pop(0)
        if cls in seen:
            continue
        seen.add(cls)
        for field, hint in get_type_hints(cls).items():
            found.append((cls, field))
            waiting.extend(t for t in _leaf_types(hint) if is_record_type(t))
    return found


def _leaf_types(hint: Any) -> list[Any]:
    """The types a hint is built of (``tuple[X | None, ...]`` -> X, None)."""
    args = get_args(hint)
    if not args:
        return [hint]
    return [t for a in args if a is not Ellipsis for t in _leaf_types(a)]


def to_data(value: Any) -> Any:
    """A model value as the plain data of a file (None and empty defaults left out)."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        out = {}
        defaults: dict[str, Any] = getattr(value, "_field_defaults")  # noqa: B009
        for field, item in zip(getattr(value, "_fields"), value, strict=True):  # noqa: B009
            defaulted = field in defaults or type(value) is LangText
            if (item is None and defaulted) or (item == () and field in defaults):
                continue
            out[field.rstrip("_")] = to_data(item)
        return out
    if isinstance(value, tuple):
        return [to_data(v) for v in value]
    return value


def to_file(org: Org) -> bytes:
    """An organisation as a file (JSON, which is YAML, and fast to write)."""
    data = to_data(org._replace(file="", warnings=()))
    data.pop("file", None)
    return json.dumps({"format": "orgroles/1", **data}, ensure_ascii=False).encode("utf-8")


def reload(org: Org) -> Org | None:
    """The organisation written to a file and loaded again; None when the file is invalid."""
    try:
        return load_bytes(to_file(org), "edited.yaml", use_cache=False)
    except OrgrolesError:
        return None


def same(a: Org, b: Org) -> bool:
    """Tell whether two organisations have the same content."""
    return a._replace(file="", warnings=()) == b._replace(file="", warnings=())


class Site(NamedTuple):
    """A field of one record in an organisation: where it is, and its value."""

    steps: tuple[Step, ...]
    cls: type
    field: str
    value: Any


def sites(org: Org) -> Iterator[Site]:
    """Every field of every record in ``org``, depth first, in file order."""
    waiting: list[tuple[tuple[Step, ...], Any]] = [((), org)]
    while waiting:
        steps, record = waiting.pop()
        found = []
        for field, value in zip(record._fields, record, strict=True):
            if (type(record), field) in IGNORED:
                continue
            found.append(Site((*steps, field), type(record), field, value))
            if is_record_type(type(value)):
                waiting.append(((*steps, field), value))
            elif isinstance(value, tuple):
                waiting.extend(
                    ((*steps, field, i), item)
                    for i, item in enumerate(value)
                    if is_record_type(type(item))
                )
        yield from found


def seen_values(orgs: list[Org]) -> dict[tuple[type, str], list[Any]]:
    """The distinct values each (record type, field) takes in ``orgs``, in file order."""
    out: dict[tuple[type, str], list[Any]] = {}
    for org in orgs:
        for site in sites(org):
            keys = [(site.cls, site.field)]
            if is_record_type(type(site.value)):
                keys.append((type(site.value), "*"))  # every record of a type, wherever it is
            for key in keys:
                values = out.setdefault(key, [])
                if site.value not in values:
                    values.append(site.value)
    return out


def replace(value: Any, steps: tuple[Step, ...], new: Any) -> Any:
    """``value`` with the part at ``steps`` replaced by ``new``."""
    if not steps:
        return new
    step, rest = steps[0], steps[1:]
    if isinstance(step, int):
        return (*value[:step], replace(value[step], rest, new), *value[step + 1 :])
    return value._replace(**{step: replace(getattr(value, step), rest, new)})


def _examples(hint: Any, seen: list[Any]) -> Iterator[Any]:
    """Values of type ``hint``: those seen in the same field first, then made-up ones."""
    kind = _unwrap(hint)
    yield from (v for v in seen if v is not None)
    if kind is str:
        yield from ("x", "2024-01-01", "x@example.org")
    elif kind is bool:
        yield True
    elif kind is int:
        yield 1
    elif is_record_type(kind):
        yield from _records(kind)


def _records(cls: Any) -> Iterator[Any]:
    """Small records of ``cls``: its required fields only, from made-up values."""
    hints = get_type_hints(cls)
    required = [f for f in cls._fields if f not in cls._field_defaults]
    choices = [list(itertools.islice(_examples(hints[f], []), 3)) for f in required]
    for values in itertools.islice(itertools.product(*choices), 4):
        yield cls(**dict(zip(required, values, strict=True)))


def _new_elements(element: Any, value: tuple[Any, ...], others: list[Any]) -> Iterator[Any]:
    """Elements to add to a list: a copy of one under a new id for things with ids, else
    elements seen in the same field elsewhere, else made-up ones."""
    seen = [e for e in (*value, *(e for t in others for e in t)) if e not in value]
    if is_record_type(element) and "id" in element._fields:
        for e in (*value, *seen)[:2]:
            yield e._replace(id=f"{e.id}_new")
    yield from _examples(element, seen)


def _siblings(org: Org, site: Site) -> list[str]:
    """The ids of the other things in the list the site's thing is in (other units ...)."""
    if len(site.steps) < 3 or not isinstance(site.steps[1], int):
        return []
    things = getattr(org, str(site.steps[0]))
    ids = [getattr(t, "id", None) for t in things if t is not things[site.steps[1]]]
    return [i for i in ids if isinstance(i, str)]


def _ids_beside(org: Org, site: Site) -> set[str]:
    """The ids of the other elements of the list the site's record is in (for an ``id``)."""
    if site.field != "id" or len(site.steps) < 2 or not isinstance(site.steps[-2], int):
        return set()
    items: Any = org
    for step in site.steps[:-2]:
        items = items[step] if isinstance(step, int) else getattr(items, step)
    return {x.id for x in items if isinstance(getattr(x, "id", None), str)}


def candidates(org: Org, site: Site, seen: dict[tuple[type, str], list[Any]]) -> Iterator[Any]:
    """Other values for the field at ``site`` (the first valid one is the edit)."""
    hint = get_type_hints(site.cls)[site.field]
    value, others = site.value, [v for v in seen.get((site.cls, site.field), []) if v != site.value]
    kind = _unwrap(hint)
    if value is None and is_record_type(kind) and "id" in kind._fields:  # a reference
        others += [kind(id=i) for i in _siblings(org, site)[:3]]
    if isinstance(value, Source):
        others += [v for v in seen.get((Source, "*"), []) if v not in others and v != value]
    optional = type(None) in get_args(hint)
    if get_origin(_unwrap(hint)) is tuple:
        element = get_args(_unwrap(hint))[0]
        if value:
            yield value[:-1]
        yield from ((*value, e) for e in itertools.islice(_new_elements(element, value, others), 3))
    elif value is None:
        yield from _examples(hint, others)
    elif isinstance(value, bool):
        yield not value
    elif isinstance(value, int):
        yield value + 1
    elif isinstance(value, str):
        taken = _ids_beside(org, site)
        yield value + "_2"
        yield from [v for v in others if v not in taken][:3]
        yield from ("x", "2024-01-01", "EUR")  # EUR: a currency code
    elif isinstance(value, Source):  # the diff's unit: another source is one change
        yield from others[:3]
    if value is not None and optional:
        yield None


def edit(org: Org, site: Site, seen: dict[tuple[type, str], list[Any]]) -> Org | None:
    """``org`` with the field at ``site`` changed to the first value that gives a valid file."""
    repeats = None
    for value in itertools.islice(candidates(org, site, seen), MAX_CANDIDATES):
        if value == site.value:
            continue
        edited = reload(replace(org, site.steps, value))
        if edited is None or same(edited, org):
            continue
        repeats = _repeats(org) if repeats is None else repeats
        if _repeats(edited) <= repeats:
            return edited
    return None


def _repeats(org: Org) -> int:
    """How many lists of things repeat an id (ids are unique in their namespace, but the
    loader does not check every namespace: sketch elements, perspectives ...)."""
    return sum(
        1
        for site in sites(org)
        if plan(site.cls, site.field) in ("by_id", "members") and not _unique_ids(site.value)
    )


def plant(org: Org, cls: type) -> Org | None:
    """``org`` with one small record of ``cls`` added where the model holds one (a list or an
    empty field of a record ``org`` has), for a type no example has yet; None if none fits."""
    for parent, field in reachable():
        hint = get_type_hints(parent)[field]
        if cls not in _leaf_types(hint):
            continue
        many = get_origin(_unwrap(hint)) is tuple
        for site in itertools.islice(
            (s for s in sites(org) if (s.cls, s.field) == (parent, field)), 4
        ):
            if not many and site.value is not None:
                continue
            for record in _records(cls):
                edited = reload(replace(org, site.steps, (*site.value, record) if many else record))
                if edited is not None:
                    return edited
    return None


def with_spare_things(org: Org) -> Org:
    """``org`` with a copy, under a new id, of the last thing in each list of things (roles,
    units, vocabulary terms ...): things nothing refers to, whose ids can change."""
    for site in list(sites(org)):
        if len(site.steps) > 2 or not site.value or plan(site.cls, site.field) != "by_id":
            continue
        last = site.value[-1]
        edited = reload(
            replace(org, site.steps, (*site.value, last._replace(id=f"{last.id}_spare")))
        )
        org = edited or org
    return org


def diff_path(old: Org, new: Org, steps: tuple[Step, ...]) -> str:
    """The path the diff gives the field at ``steps``: things with ids (unique on both sides)
    by id, other list elements by position."""
    path, a, b = "", cast(Any, old), cast(Any, new)
    for step in steps:
        if isinstance(step, int):
            if _unique_ids(a) and _unique_ids(b):
                path += f"[{a[step].id}]"
            else:
                path += f"[{step}]"
            a, b = a[step], b[step] if step < len(b) else a[step]
        else:
            path += ("." if path else "") + step.rstrip("_")
            a, b = getattr(a, step), getattr(b, step)
    return path


def _unique_ids(items: tuple[Any, ...]) -> bool:
    ids = [getattr(x, "id", None) for x in items]
    return all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids)


def covers(change_path: str, site_path: str) -> bool:
    """Tell whether a change at ``change_path`` is about the field at ``site_path``: the field
    itself, a record or list it lies in, or an element of it (a list)."""

    def within(inner: str, outer: str) -> bool:
        return inner == outer or inner.startswith((outer + ".", outer + "["))

    return within(site_path, change_path) or within(change_path, site_path)
