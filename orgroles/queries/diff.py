"""What a reorganisation changes: two organisations compared field by field, each difference once.

The comparison walks the model (``orgroles.model``) field by field, guided by the fields' type
hints (``plan``), so a field added to the model is compared without a change here
(docs/json.md#diff-old-new---json says the same for users):

- Lists of things with ids (roles, posts, units, forums, principles, vocabulary terms, sketch
  elements, perspectives, forum members, the references in ``over`` and ``represents``, functions
  when every one has an id) are matched by id. A thing that disappears while another appears
  with the same content under a new id is a rename. When the things both sides share come in
  another order, that is one ``order_changed``.
- Other lists of records (statements, details, relations, conferred grants, related kinds ...)
  are aligned in order, as diff(1) aligns lines: an inserted element is one addition, an element
  in a place that changed is compared field by field.
- Lists of plain values are compared whole; ``aliases`` as sets (their order means nothing).
- ``Org.file`` and ``Org.warnings`` are not content and are not compared.

Some differences have their own wording (``CHANGE_ORDER``); each claims the fields it covers, and
the walk reports whatever else differs as ``changed``, by its path, so nothing is reported twice
and nothing is missed.
"""

from __future__ import annotations

import types
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from functools import cache
from typing import Any, NamedTuple, Union, get_args, get_origin, get_type_hints

from orgroles.index import OrgIndex
from orgroles.model import (
    LANGS,
    Delegation,
    Forum,
    Grant,
    LangText,
    Org,
    Post,
    Role,
    Source,
    Unit,
)
from orgroles.queries.common import is_one_of, label, superior_of

CHANGE_ORDER = (
    "added",
    "removed",
    "renamed",
    "name_changed",
    "moved",
    "count_changed",
    "heads_changed",
    "part_of_changed",
    "authority_gained",
    "authority_lost",
    "authority_changed",
    "member_added",
    "member_removed",
    "source_changed",
    "order_changed",
    "changed",
)


class Change(NamedTuple):
    """One difference: ``change`` names what happened, ``old`` and ``new`` what it was and is.

    ``kind``, ``id`` and ``name`` (in both languages) say what changed: a role, post, unit,
    forum, principle, vocabulary term (``authority_kind``, ``qualifier``, ``scope``,
    ``unit_kind``, ``forum_kind``), ``perspective`` or sketch ``element``; or, with ``id`` None, a
    part of the file without one (``meta``, ``vocabulary``, ``relation``, ``scorecard``,
    ``sketch``). ``path`` locates the difference in the file (``roles[kommunalsjef].tasks[2].text
    .en``: things with ids by id, other list elements by position) and ``field`` is the same
    below the thing (None when the whole thing was added, removed or reordered).

    ``old`` and ``new`` are JSON values, None where there is nothing:

    - ``added``, ``removed``: None; ``renamed``: the ids (``path`` has the old one);
    - ``name_changed``: the names, in both languages (``LangText``). Shown in a language where
      they are the same, it is not a change of name: what changed there is in the ``changed``
      entries whose ``name_unchanged`` is this change's (old, new), which only such a language
      shows (``render.labels.changes_shown``);
    - ``heads_changed``, ``part_of_changed``: the ids referred to;
    - ``moved`` (a changed ``reports_to`` that moves the entry in the line): the superiors' ids
      (None at the top); ``old_unspecified`` / ``new_unspecified`` are True when that superior
      is a role whose post is not stated ("one of the directors"), False in every other change;
    - ``count_changed``: ``{"value": 9, "approximate": False}``;
    - ``authority_*``: ``{"kind", "name", "qualifier", "scope"}`` (ids; ``name`` the kind's);
    - ``member_added``, ``member_removed``: the member's id;
    - ``source_changed``: the sources, every field (``slides``, ``status``, ``quote`` ...);
    - ``order_changed``: the ids in their old and new order (what lies between the first and the
      last that moved);
    - ``changed``: the values at ``path``, records as objects and lists as arrays.
    """

    change: str
    kind: str
    id: str | None
    name: LangText
    field: str | None
    path: str
    old: Any = None
    new: Any = None
    old_unspecified: bool = False
    new_unspecified: bool = False
    name_unchanged: tuple[LangText, LangText] | None = None  # not in JSON: see above


class DiffAnswer(NamedTuple):
    """Every change from ``old`` to ``new``, grouped by what changed, in file order."""

    old: str
    new: str
    changes: tuple[Change, ...]


Claims = frozenset[str]  # the parts of a value a specific change covers ("" for all of it)
NONE: Claims = frozenset()
WHOLE: Claims = frozenset({""})

IGNORED = frozenset({(Org, "file"), (Org, "warnings")})  # not content
UNORDERED = frozenset({"aliases"})  # lists of plain values whose order means nothing
# lists of records whose order means nothing (every limit of a grant binds; none comes first)
UNORDERED_RECORDS = frozenset({(Delegation, "limits")})
NAME_FIELD: dict[type, str] = {Post: "title"}  # a thing's own name, when not called "name"
SPECIFIC: dict[tuple[type, str], str] = {
    (Role, "reports_to"): "moved",
    (Post, "reports_to"): "moved",
    (Role, "count"): "count_changed",
    (Post, "staff"): "count_changed",
    (Post, "heads"): "heads_changed",
    (Unit, "part_of"): "part_of_changed",
    (Forum, "part_of"): "part_of_changed",
    (Role, "authorities"): "authorities",
    (Forum, "members"): "members",
}


# --- how each field is compared, from the model's type hints --------------------------------


def _unwrap(hint: Any) -> Any:
    """Return ``X`` for ``X | None``, else the hint itself."""
    if get_origin(hint) in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        return args[0] if len(args) == 1 else hint
    return hint


def is_record_type(hint: Any) -> bool:
    """Tell whether a type is a NamedTuple class (a record of the model)."""
    return isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields")


@cache
def plan(cls: type, field: str) -> str:
    """Say how a field of a model record is compared.

    A specific change (``name_changed``, ``moved``, ``count_changed``, ``heads_changed``,
    ``part_of_changed``, ``authorities``, ``members``, ``source_changed``), ``ignored``, or how
    the walk compares it: ``by_id``, ``in_order``, ``as_set``, ``whole`` (lists), ``fields``
    (a record) or ``value``.
    """
    if (cls, field) in IGNORED:
        return "ignored"
    if (cls, field) in SPECIFIC:
        return SPECIFIC[(cls, field)]
    if field == NAME_FIELD.get(cls, "name") and "id" in cls._fields:  # type: ignore[attr-defined]
        return "name_changed"
    hint = _unwrap(get_type_hints(cls)[field])
    if hint is Source:
        return "source_changed"
    if get_origin(hint) is tuple:
        element = _unwrap(get_args(hint)[0])
        if is_record_type(element):
            if (cls, field) in UNORDERED_RECORDS:
                return "as_set"
            return "by_id" if "id" in element._fields else "in_order"
        return "as_set" if field in UNORDERED else "whole"
    return "fields" if is_record_type(hint) else "value"


# --- values as JSON and paths ------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Return a model value as JSON data: records as objects (``from_`` as ``from``), lists."""
    if isinstance(value, tuple):
        fields = getattr(value, "_fields", None)
        if fields is not None:
            return {f.rstrip("_"): plain(v) for f, v in zip(fields, value, strict=True)}
        return [plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _is_record(value: Any) -> bool:
    return isinstance(value, tuple) and hasattr(value, "_fields")


def _join(path: str, field: str) -> str:
    name = field.rstrip("_")
    return f"{path}.{name}" if path else name


def _below(claims: Claims, field: str) -> Claims:
    """The claims on a field of a value, relative to the field."""
    if field in claims:
        return WHOLE
    prefix = field + "."
    return frozenset(c[len(prefix) :] for c in claims if c.startswith(prefix))


def _blank(record: Any) -> Any:
    """A record like ``record`` with every field at its default (None when it has none)."""
    defaults = record._field_defaults
    return record._replace(**{f: defaults.get(f) for f in record._fields})


def _singular(path: str) -> str:
    """The kind of the things in the list at ``path`` (``vocabulary.scopes`` -> ``scope``)."""
    last = path.rsplit(".", 1)[-1]
    return last[:-1] if last.endswith("s") else last


def _unique_ids(items: Sequence[Any]) -> bool:
    ids = [getattr(x, "id", None) for x in items]
    return all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids)


def _key(item: Any) -> Any:
    """An element as a hashable key (its repr when it holds unhashable parts)."""
    try:
        hash(item)
    except TypeError:
        return repr(item)
    return item


def _trim(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    """Both sequences without the start and the end they share."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return old[start : len(old) - end], new[start : len(new) - end]


def _renames(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Old id -> new id for things that only changed their id.

    Each thing that disappeared is paired with the first unpaired newcomer of exactly the same
    content (in file order), found through a table keyed on the content without the id: linear
    in the number of things, not cubic.
    """
    waiting: dict[Any, deque[str]] = {}
    for new_id, entity in new.items():
        if new_id not in old:
            waiting.setdefault(_key(entity._replace(id="")), deque()).append(new_id)
    renames: dict[str, str] = {}
    for old_id, entity in old.items():
        if old_id in new:
            continue
        queue = waiting.get(_key(entity._replace(id="")))
        if queue:
            renames[old_id] = queue.popleft()
    return renames


class _Where(NamedTuple):
    """The thing a path lies in: its kind, id, name and path; ``section`` for a part of the
    file whose lists hold things of their own (the top, ``meta``, ``vocabulary`` ...)."""

    kind: str
    id: str | None
    name: LangText
    base: str
    section: bool = False


_NO_NAME = LangText(None, None)
_ROOT = _Where("", None, _NO_NAME, "", section=True)


def _superior(ix: OrgIndex, node: str) -> tuple[str | None, bool]:
    """Return a node's line superior (None at the top) and whether it is 'one of' a role.

    A role with listed posts is not in the line itself: its own ``reports_to`` is compared.
    """
    if ix.line.is_open(node):
        ref = ix.roles[node].reports_to
        up = ref.id if ref else None
    else:
        up = superior_of(ix, node)
    return up, is_one_of(ix, up)


def _grant_value(ix: OrgIndex, grant: Grant) -> dict[str, str | LangText | None]:
    kind = ix.kinds.get(grant.kind.id)
    return {
        "kind": grant.kind.id,
        "name": kind.name if kind else LangText(grant.kind.id, None),
        "qualifier": grant.qualifier.id if grant.qualifier else None,
        "scope": grant.scope.id if grant.scope else None,
    }


def _grant_key(grant: Grant) -> tuple[str, str | None, str | None]:
    return (
        grant.kind.id,
        grant.qualifier.id if grant.qualifier else None,
        grant.scope.id if grant.scope else None,
    )


def _count_value(count: Any) -> dict[str, Any] | None:
    return None if count is None else {"value": count.value, "approximate": count.approximate}


# --- the walk ----------------------------------------------------------------------------------


class _Diff:
    """One comparison: walks both organisations together and collects the changes."""

    def __init__(self, a: OrgIndex, b: OrgIndex) -> None:
        self.a, self.b = a, b
        self.out: list[Change] = []
        self.name_unchanged: tuple[LangText, LangText] | None = None  # see Change

    def emit(
        self,
        change: str,
        where: _Where,
        path: str,
        old: Any = None,
        new: Any = None,
        flags: tuple[bool, bool] = (False, False),
    ) -> None:
        """Record one change at ``path`` in the thing ``where``."""
        base = where.base
        if path == base:
            field = None
        elif base and path.startswith(base) and path[len(base)] in ".[":
            field = path[len(base) :].lstrip(".")
        else:
            field = path
        self.out.append(
            Change(
                change,
                where.kind,
                where.id,
                where.name,
                field,
                path,
                old,
                new,
                *flags,
                self.name_unchanged if change != "name_changed" else None,
            )
        )

    def name_of(self, ix: OrgIndex, item: Any) -> LangText:
        """A thing's name (none when it has none)."""
        if isinstance(item, Role | Post | Unit | Forum):
            return label(ix, item.id)
        name = getattr(item, "name", None)
        return name if isinstance(name, LangText) else _NO_NAME

    def value(self, old: Any, new: Any, path: str, where: _Where, claims: Claims, how: str) -> None:
        """Compare two values at ``path``, leaving out what ``claims`` covers."""
        if old == new or "" in claims:
            return
        if isinstance(old, Source) or isinstance(new, Source):
            self.emit("source_changed", where, path, plain(old), plain(new))
        elif _is_record(old) and _is_record(new) and type(old) is type(new):
            self.fields(old, new, path, where, claims)
        elif claims and (old is None or new is None) and _is_record(old or new):
            blank = _blank(old or new)
            self.fields(old or blank, new or blank, path, where, claims)
        elif type(old) is tuple and type(new) is tuple:
            self.sequence(old, new, path, where, how)
        else:
            self.emit("changed", where, path, plain(old), plain(new))

    def fields(self, old: Any, new: Any, path: str, where: _Where, claims: Claims) -> None:
        """Compare two records of one type field by field."""
        cls: type = type(old)
        for field, o, n in zip(old._fields, old, new, strict=True):
            if o == n:
                continue
            how = plan(cls, field)
            below = _below(claims, field)
            if how == "ignored" or "" in below:
                continue
            at = _join(path, field)
            here = where if path else _Where(field, None, _NO_NAME, at, section=True)
            handler = _HANDLERS.get(how)
            if handler is not None and path == where.base:
                below |= handler(self, old, new, field, at, here)
            self.value(o, n, at, here, below, how)

    def holds_things(self, path: str, where: _Where) -> bool:
        """Tell whether the list at ``path`` holds things of their own (roles, terms ...)."""
        return where.section and (path == where.base or path == _join(where.base, _last(path)))

    def sequence(
        self, old: tuple[Any, ...], new: tuple[Any, ...], path: str, where: _Where, how: str
    ) -> None:
        """Compare two lists: by id, aligned in order, as sets or whole."""
        if how == "as_set":
            if Counter(map(_key, old)) != Counter(map(_key, new)):
                self.emit("changed", where, path, plain(old), plain(new))
        elif how == "by_id" and _unique_ids(old) and _unique_ids(new):
            self.keyed(old, new, path, where)
        elif how in ("by_id", "in_order"):
            self.aligned(old, new, path, where)
        else:
            self.emit("changed", where, path, plain(old), plain(new))

    def keyed(
        self,
        old: Sequence[Any],
        new: Sequence[Any],
        path: str,
        where: _Where,
        added: str = "changed",
        removed: str = "changed",
        shown: Callable[[Any], Any] = plain,
        renames: bool = True,
    ) -> None:
        """Compare two lists of things with ids, matched by id.

        In a list that holds things of their own, additions, removals and renames are
        ``added``, ``removed`` and ``renamed``; elsewhere they are ``added``/``removed`` as
        given (``shown`` as the value), and a rename is a change of the element's id.
        """
        things = self.holds_things(path, where)
        kind = _singular(path)
        before = {x.id: x for x in old}
        after = {x.id: x for x in new}
        renamed = _renames(before, after) if renames else {}
        renamed_to = set(renamed.values())

        def thing(ix: OrgIndex, item: Any) -> _Where:
            return _Where(kind, item.id, self.name_of(ix, item), f"{path}[{item.id}]")

        for x in old:
            if x.id not in after and x.id not in renamed:
                if things:
                    self.emit("removed", thing(self.a, x), f"{path}[{x.id}]")
                else:
                    self.emit(removed, where, f"{path}[{x.id}]", shown(x), None)
        for x in new:
            if x.id not in before and x.id not in renamed_to:
                if things:
                    self.emit("added", thing(self.b, x), f"{path}[{x.id}]")
                else:
                    self.emit(added, where, f"{path}[{x.id}]", None, shown(x))
        for old_id, new_id in renamed.items():
            at = f"{path}[{old_id}].id"
            if things:
                self.emit(
                    "renamed",
                    thing(self.b, after[new_id])._replace(base=at[:-3]),
                    at,
                    old_id,
                    new_id,
                )
            else:
                self.emit("changed", where, at, old_id, new_id)
        for x in new:
            if x.id in before and before[x.id] != x:
                here = thing(self.b, x) if things else where
                self.value(before[x.id], x, f"{path}[{x.id}]", here, NONE, "fields")
        shared_old = [renamed.get(x.id, x.id) for x in old if x.id in after or x.id in renamed]
        shared_new = [x.id for x in new if x.id in before or x.id in renamed_to]
        self.order(shared_old, shared_new, path, where, things)

    def order(self, old: list[str], new: list[str], path: str, where: _Where, things: bool) -> None:
        """Report the things both lists share when they come in another order."""
        if old != new:
            here = _Where(_singular(path), None, _NO_NAME, path) if things else where
            self.emit("order_changed", here, path, *_trim(old, new))

    def aligned(self, old: Sequence[Any], new: Sequence[Any], path: str, where: _Where) -> None:
        """Compare two lists without ids, aligned in order: elements in a place that changed
        are compared field by field, the rest are additions or removals."""
        things = self.holds_things(path, where)
        kind = _singular(path)

        def at(i: int) -> _Where:
            return _Where(kind, None, _NO_NAME, f"{path}[{i}]") if things else where

        matcher = SequenceMatcher(None, [_key(x) for x in old], [_key(x) for x in new], False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            paired = min(i2 - i1, j2 - j1)
            for k in range(paired):
                j = j1 + k
                self.value(old[i1 + k], new[j], f"{path}[{j}]", at(j), NONE, "fields")
            for i in range(i1 + paired, i2):
                self.emit("changed", at(i), f"{path}[{i}]", plain(old[i]), None)
            for j in range(j1 + paired, j2):
                self.emit("changed", at(j), f"{path}[{j}]", None, plain(new[j]))


def _last(path: str) -> str:
    return path.rsplit(".", 1)[-1]


# --- the specific changes: each emits its change and returns what it covers ---------------------

Handler = Callable[[_Diff, Any, Any, str, str, _Where], Claims]


def _covered(old: Any, new: Any, *fields: str) -> Claims:
    """What a specific change covers: ``fields`` of a value on both sides, all of a value
    that is new or gone (a line, count or reference stated with its source is one change)."""
    return WHOLE if old is None or new is None else frozenset(fields)


def _name_changed(d: _Diff, old: Any, new: Any, field: str, path: str, where: _Where) -> Claims:
    """A thing's name (a post's label) changed, in one language or both.

    In a language whose name did not change, what did change is reported by its paths instead:
    those changes are found here, marked ``name_unchanged``.
    """
    if isinstance(new, Post):
        was, now = label(d.a, old.id), label(d.b, new.id)
    else:
        was = getattr(old, field) or _NO_NAME
        now = getattr(new, field) or _NO_NAME
    if all(was.get(lang) == now.get(lang) for lang in LANGS):
        return NONE  # only texts no name shows: reported by their paths
    d.emit("name_changed", where, path, was, now)
    d.name_unchanged = (was, now)
    d.value(getattr(old, field), getattr(new, field), path, where, NONE, "name_changed")
    d.name_unchanged = None
    return WHOLE


def _moved(d: _Diff, old: Any, new: Any, field: str, path: str, where: _Where) -> Claims:
    """A changed ``reports_to`` that changes the superior in the line."""
    was, now = _superior(d.a, old.id), _superior(d.b, new.id)
    if was == now:
        return NONE
    d.emit("moved", where, path, was[0], now[0], (was[1], now[1]))
    return _covered(getattr(old, field), getattr(new, field), "id")


def _count_changed(d: _Diff, old: Any, new: Any, field: str, path: str, where: _Where) -> Claims:
    """A changed count (value or 'about')."""
    was, now = _count_value(getattr(old, field)), _count_value(getattr(new, field))
    if was == now:
        return NONE
    d.emit("count_changed", where, path, was, now)
    return _covered(getattr(old, field), getattr(new, field), "value", "approximate")


def _reference(change: str) -> Handler:
    """A handler for a reference whose id changed (``heads``, ``part_of``)."""

    def handler(d: _Diff, old: Any, new: Any, field: str, path: str, where: _Where) -> Claims:
        before, after = getattr(old, field), getattr(new, field)
        was, now = before.id if before else None, after.id if after else None
        if was == now:
            return NONE
        d.emit(change, where, path, was, now)
        return _covered(before, after, "id")

    return handler


def _matches(old: Grant, new: Grant, same_kind: bool) -> bool:
    return old.kind.id == new.kind.id if same_kind else old == new


def _authorities(d: _Diff, old: Any, new: Any, field: str, path: str, where: _Where) -> Claims:
    """Authorities gained, lost or changed (kind, qualifier, scope); the rest by its path.

    Identical entries match first, then entries of the same kind, then the rest are lost or
    gained: a grant is known by its kind.
    """
    before = list(enumerate(getattr(old, field)))
    after = list(enumerate(getattr(new, field)))
    pairs: list[tuple[tuple[int, Grant], tuple[int, Grant]]] = []
    for same_kind in (False, True):  # identical entries first, then entries of one kind
        for item in list(before):
            match = next((x for x in after if _matches(item[1], x[1], same_kind)), None)
            if match is not None:
                before.remove(item)
                after.remove(match)
                pairs.append((item, match))
    for (_, g), (j, h) in pairs:
        if g == h:
            continue
        at, claims = f"{path}[{j}]", NONE
        if _grant_key(g) != _grant_key(h):
            was, now = _grant_value(d.a, g), _grant_value(d.b, h)
            d.emit("authority_changed", where, at, was, now)
            claims = frozenset({"kind.id", "qualifier.id", "scope.id"})
        d.value(g, h, at, where, claims, "fields")
    for i, g in before:
        d.emit("authority_lost", where, f"{path}[{i}]", _grant_value(d.a, g), None)
    for j, h in after:
        d.emit("authority_gained", where, f"{path}[{j}]", None, _grant_value(d.b, h))
    pairs.sort(key=lambda p: p[0][0])
    shared_old = [g.kind.id for (_, g), _ in pairs]
    shared_new = [h.kind.id for _, (_, h) in sorted(pairs, key=lambda p: p[1][0])]
    if [j for _, (j, _) in pairs] != sorted(j for _, (j, _) in pairs):
        d.emit("order_changed", where, path, *_trim(shared_old, shared_new))
    return WHOLE


def _members(d: _Diff, old: Any, new: Any, field: str, path: str, where: _Where) -> Claims:
    """Forum members added or removed (by id); a member's other fields by their paths."""
    before, after = getattr(old, field), getattr(new, field)
    if not (_unique_ids(before) and _unique_ids(after)):
        return NONE
    d.keyed(before, after, path, where, "member_added", "member_removed", lambda m: m.id, False)
    return WHOLE


_HANDLERS: dict[str, Handler] = {
    "name_changed": _name_changed,
    "moved": _moved,
    "count_changed": _count_changed,
    "heads_changed": _reference("heads_changed"),
    "part_of_changed": _reference("part_of_changed"),
    "authorities": _authorities,
    "members": _members,
}


def _composed(value: Any) -> Any:
    """A model value with its texts composed (NFC), sharing every part that does not change:
    text that differs only in Unicode form is the same text, not a change."""
    if type(value) is str:
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if isinstance(value, tuple):
        items = [_composed(item) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        made: Any = type(value)
        return made._make(items) if hasattr(value, "_fields") else tuple(items)
    return value


def compare(a: OrgIndex, b: OrgIndex, old_name: str = "old", new_name: str = "new") -> DiffAnswer:
    """Return every change from organisation ``a`` to organisation ``b``."""
    walk = _Diff(a, b)
    walk.value(_composed(a.org), _composed(b.org), "", _ROOT, NONE, "fields")
    order = {c: i for i, c in enumerate(CHANGE_ORDER)}
    changes = sorted(walk.out, key=lambda c: order[c.change])
    return DiffAnswer(old_name, new_name, tuple(changes))
