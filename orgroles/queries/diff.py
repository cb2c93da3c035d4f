"""What a reorganisation changes: two organisations compared, one entry per change.

Entities (roles, posts, units, forums) are matched by id. An entity that disappears while
another of the same kind appears with the same content under a new id is a rename. For
matched entities the comparison reports changed names, moved reporting lines (from which
superior to which), changed counts, changed heads and parents, authorities gained, lost or
changed in scope or qualifier, forum members added or removed, and changed sources.
"""

from collections import deque
from typing import Any, NamedTuple

from orgroles.index import OrgIndex
from orgroles.model import Grant, Source
from orgroles.queries.common import is_one_of, superior_of

KINDS = ("role", "post", "unit", "forum")


class Change(NamedTuple):
    """One difference. ``change`` names what happened; ``old`` and ``new`` what it was and is.

    For ``moved``, ``old`` and ``new`` are superiors' ids (None at the top), and ``detail``
    lists ``old_unspecified`` and/or ``new_unspecified`` when that superior is a role whose
    post is not stated ("one of the directors").
    """

    change: str
    kind: str
    id: str
    name: str
    field: str | None = None
    old: str | None = None
    new: str | None = None
    detail: str | None = None


class DiffAnswer(NamedTuple):
    """Every change from ``old`` to ``new``, grouped by what changed, in file order."""

    old: str
    new: str
    changes: tuple[Change, ...]


def _entities(ix: OrgIndex) -> dict[str, dict[str, Any]]:
    org = ix.org
    return {
        "role": {r.id: r for r in org.roles},
        "post": {p.id: p for p in org.posts},
        "unit": {u.id: u for u in org.units},
        "forum": {f.id: f for f in org.forums},
    }


def _source_text(source: Source | None) -> str:
    if source is None:
        return "none"
    slides = ", ".join(f"S{s}" for s in source.slides)
    return f"{slides} ({source.status})" if slides else source.status


def _grant_text(ix: OrgIndex, grant: Grant) -> str:
    parts = [ix.kinds[grant.kind.id].name.get("nb") if grant.kind.id in ix.kinds else grant.kind.id]
    if grant.qualifier:
        parts.append(f"qualifier {grant.qualifier.id}")
    parts.append(f"scope {grant.scope.id}" if grant.scope else "scope not stated")
    return ", ".join(parts)


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


def _renames(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Old id -> new id for entities that only changed their id.

    Each entity that disappeared is paired with the first unpaired newcomer of exactly the
    same content (in file order), found through a table keyed on the content without the id:
    linear in the number of entities, not cubic.
    """
    waiting: dict[Any, deque[str]] = {}
    for new_id, entity in new.items():
        if new_id not in old:
            waiting.setdefault(_content(entity), deque()).append(new_id)
    renames: dict[str, str] = {}
    for old_id, entity in old.items():
        if old_id in new:
            continue
        queue = waiting.get(_content(entity))
        if queue:
            renames[old_id] = queue.popleft()
    return renames


def _content(entity: Any) -> Any:
    """An entity without its id, as a hashable key (its repr when it holds unhashable parts)."""
    stripped = entity._replace(id="")
    try:
        hash(stripped)
    except TypeError:
        return repr(stripped)
    return stripped


def _authority_changes(a: OrgIndex, b: OrgIndex, role_id: str, name: str) -> list[Change]:
    before = list(a.roles[role_id].authorities)
    after = list(b.roles[role_id].authorities)
    out: list[Change] = []
    # Identical entries match first, then entries of the same kind (changed), then the rest.
    for grant in list(before):
        if grant in after:
            before.remove(grant)
            after.remove(grant)
    for grant in list(before):
        same_kind = next((g for g in after if g.kind.id == grant.kind.id), None)
        if same_kind is None:
            continue
        before.remove(grant)
        after.remove(same_kind)
        old_text, new_text = _grant_text(a, grant), _grant_text(b, same_kind)
        if old_text != new_text:
            out.append(
                Change(
                    "authority_changed", "role", role_id, name, grant.kind.id, old_text, new_text
                )
            )
        elif grant.source != same_kind.source:
            out.append(
                Change(
                    "source_changed",
                    "role",
                    role_id,
                    name,
                    f"authorities.{grant.kind.id}",
                    _source_text(grant.source),
                    _source_text(same_kind.source),
                )
            )
    out += [
        Change("authority_lost", "role", role_id, name, g.kind.id, _grant_text(a, g), None)
        for g in before
    ]
    out += [
        Change("authority_gained", "role", role_id, name, g.kind.id, None, _grant_text(b, g))
        for g in after
    ]
    return out


def compare(a: OrgIndex, b: OrgIndex, old_name: str = "old", new_name: str = "new") -> DiffAnswer:
    """Return every change from organisation ``a`` to organisation ``b``."""
    before, after = _entities(a), _entities(b)
    changes: list[Change] = []
    for kind in KINDS:
        old, new = before[kind], after[kind]
        renames = _renames(old, new)
        renamed_to = set(renames.values())
        for old_id, new_id in renames.items():
            changes.append(
                Change("renamed", kind, new_id, b.label(new_id, "nb"), "id", old_id, new_id)
            )
        changes += [
            Change("removed", kind, i, a.label(i, "nb"))
            for i in old
            if i not in new and i not in renames
        ]
        changes += [
            Change("added", kind, i, b.label(i, "nb"))
            for i in new
            if i not in old and i not in renamed_to
        ]
        for node in (i for i in new if i in old):
            changes += _entity_changes(a, b, kind, node)
    order = {c: i for i, c in enumerate(CHANGE_ORDER)}
    position = {**{i: n for n, i in enumerate(a._order)}, **{i: n for n, i in enumerate(b._order)}}
    kind_order = {k: i for i, k in enumerate(KINDS)}
    changes.sort(
        key=lambda c: (order[c.change], kind_order[c.kind], position.get(c.id, 0), c.field or "")
    )
    return DiffAnswer(old_name, new_name, tuple(changes))


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
)


def _entity_changes(a: OrgIndex, b: OrgIndex, kind: str, node: str) -> list[Change]:
    old, new = a.obj(node), b.obj(node)
    if old == new and _superior(a, node) == _superior(b, node):
        return []
    name = b.label(node, "nb")
    out: list[Change] = []
    if a.label(node, "nb") != name or a.label(node, "en") != b.label(node, "en"):
        out.append(Change("name_changed", kind, node, name, "name", a.label(node, "nb"), name))
    if kind in ("role", "post") and _superior(a, node) != _superior(b, node):
        (was, was_open), (now, now_open) = _superior(a, node), _superior(b, node)
        flags = [
            f for f, on in (("old_unspecified", was_open), ("new_unspecified", now_open)) if on
        ]
        out.append(
            Change("moved", kind, node, name, "reports_to", was, now, ",".join(flags) or None)
        )
    if kind == "role" and old.count != new.count:

        def count(c: Any) -> str:
            return "none" if c is None else f"{'ca. ' if c.approximate else ''}{c.value}"

        if count(old.count) != count(new.count):
            out.append(
                Change(
                    "count_changed", kind, node, name, "count", count(old.count), count(new.count)
                )
            )
    if kind == "post" and old.heads != new.heads:
        out.append(
            Change(
                "heads_changed",
                kind,
                node,
                name,
                "heads",
                old.heads.id if old.heads else None,
                new.heads.id if new.heads else None,
            )
        )
    if kind in ("unit", "forum") and old.part_of != new.part_of:
        out.append(
            Change(
                "part_of_changed",
                kind,
                node,
                name,
                "part_of",
                old.part_of.id if old.part_of else None,
                new.part_of.id if new.part_of else None,
            )
        )
    if kind == "role":
        out += _authority_changes(a, b, node, name)
    if kind == "forum":
        before = {m.id: m for m in old.members}
        after = {m.id: m for m in new.members}
        out += [
            Change("member_added", kind, node, name, "members", None, m)
            for m in after
            if m not in before
        ]
        out += [
            Change("member_removed", kind, node, name, "members", m, None)
            for m in before
            if m not in after
        ]
    if old.source != new.source:
        out.append(
            Change(
                "source_changed",
                kind,
                node,
                name,
                "source",
                _source_text(old.source),
                _source_text(new.source),
            )
        )
    return out
