"""Lists: roles, programme areas, units, forums, and the principles with scorecard and sketch."""

from typing import NamedTuple

from orgroles.index import OrgIndex
from orgroles.model import Item, LangText
from orgroles.queries.common import (
    Named,
    OpenLine,
    is_one_of,
    label,
    name_of,
    named,
    open_line,
    plural,
    role_count,
    slides_of,
    status_of,
    superior_of,
)
from orgroles.queries.line import first_step


class RoleRow(NamedTuple):
    """A role with its count, line superior and listed posts."""

    id: str
    name: LangText
    plural: LangText
    count: int | None  # type: ignore[assignment]  # shadows tuple.count
    approximate: bool
    count_status: str
    superior: Named | None
    superior_unspecified: bool
    posts: int
    slides: tuple[int, ...]
    superior_possibly: bool = False
    superior_varies: bool = False


class RolesAnswer(NamedTuple):
    """Every role."""

    roles: tuple[RoleRow, ...]


def roles(ix: OrgIndex) -> RolesAnswer:
    """Return every role with its count and line superior."""
    rows = []
    for role in ix.org.roles:
        count, approximate = role_count(ix, role.id)
        up = first_step(ix, role.id)
        count_source = role.count.source if role.count else None
        rows.append(
            RoleRow(
                id=role.id,
                name=role.name,
                plural=plural(ix, role.id),
                count=count,
                approximate=approximate,
                count_status=status_of(count_source),
                superior=Named(up.id or "", up.kind, up.name) if up else None,
                superior_unspecified=bool(up and up.unspecified),
                superior_possibly=bool(up and up.possibly),
                superior_varies=bool(up and up.varies),
                posts=len(ix.role_posts.get(role.id, [])),
                slides=slides_of(role.source, count_source),
            )
        )
    return RolesAnswer(tuple(rows))


class HeadInfo(NamedTuple):
    """The post heading a unit, and whom that post reports to."""

    id: str
    name: LangText
    status: str
    slides: tuple[int, ...]
    superior: Named | None
    superior_unspecified: bool
    superior_note: OpenLine | None


class UnitRow(NamedTuple):
    """A unit with its kind, head and the head's superior."""

    id: str
    name: LangText
    kind: str
    kind_name: LangText
    as_written: str | None
    heads: tuple[HeadInfo, ...]
    slides: tuple[int, ...]
    status: str
    note: str | None


class UnitsAnswer(NamedTuple):
    """Units of the kinds asked for: the programme areas (``listing`` ``areas``) or the other
    units (``units``)."""

    kinds: tuple[str, ...]
    units: tuple[UnitRow, ...]
    listing: str = "units"


def _head(ix: OrgIndex, post_id: str) -> HeadInfo:
    post = ix.posts[post_id]
    heads_source = post.heads.source if post.heads and post.heads.source else post.source
    up = superior_of(ix, post_id)
    open_up = is_one_of(ix, ix.superior(post_id))
    return HeadInfo(
        id=post_id,
        name=label(ix, post_id),
        status=status_of(heads_source),
        slides=slides_of(heads_source, ix.line_source(post_id)),
        superior=named(ix, up) if up else None,
        superior_unspecified=open_up,
        superior_note=open_line(ix, up) if up and open_up else None,
    )


def units(
    ix: OrgIndex,
    kinds: tuple[str, ...] | None = None,
    exclude: tuple[str, ...] = (),
    listing: str = "units",
) -> UnitsAnswer:
    """Return units of ``kinds`` (all kinds when None, minus ``exclude``) with their heads."""
    rows = []
    chosen = set()
    for unit in ix.org.units:
        if (kinds is not None and unit.kind.id not in kinds) or unit.kind.id in exclude:
            continue
        chosen.add(unit.kind.id)
        kind = ix.unit_kinds.get(unit.kind.id)
        rows.append(
            UnitRow(
                id=unit.id,
                name=unit.name,
                kind=unit.kind.id,
                kind_name=kind.name if kind else LangText(unit.kind.id, None),
                as_written=unit.as_written,
                heads=tuple(_head(ix, p) for p in ix.heads_of.get(unit.id, [])),
                slides=slides_of(unit.source),
                status=status_of(unit.source),
                note=unit.source.note if unit.source else None,
            )
        )
    return UnitsAnswer(tuple(sorted(chosen, key=str)), tuple(rows), listing)


class MemberRow(NamedTuple):
    """A participant of a forum."""

    id: str
    name: LangText
    participation: str
    slides: tuple[int, ...]
    status: str
    note: str | None


class ForumRow(NamedTuple):
    """A forum, body or outside party with its members."""

    id: str
    name: LangText
    kind: str
    kind_name: LangText
    part_of: Named | None
    members: tuple[MemberRow, ...]
    slides: tuple[int, ...]
    note: str | None


class ForumsAnswer(NamedTuple):
    """Every forum and body."""

    forums: tuple[ForumRow, ...]


def forums(ix: OrgIndex) -> ForumsAnswer:
    """Return every forum, body and outside party with who takes part."""
    rows = []
    for forum in ix.org.forums:
        kind = ix.forum_kinds.get(forum.kind.id)
        members = tuple(
            MemberRow(
                m.id,
                name_of(ix, m.id),
                m.participation,
                slides_of(m.source or forum.source),
                status_of(m.source or forum.source),
                (m.source.note if m.source else None) or m.note,
            )
            for m in forum.members
        )
        rows.append(
            ForumRow(
                id=forum.id,
                name=forum.name,
                kind=forum.kind.id,
                kind_name=kind.name if kind else LangText(forum.kind.id, None),
                part_of=named(ix, forum.part_of.id) if forum.part_of else None,
                members=members,
                slides=slides_of(forum.source),
                note=forum.note,
            )
        )
    return ForumsAnswer(tuple(rows))


class Statement(NamedTuple):
    """A statement with its sub-points."""

    text: LangText
    details: tuple[LangText, ...] = ()
    same_as: str | None = None
    slides: tuple[int, ...] = ()
    status: str = "stated"
    note: str | None = None


def statement(item: Item) -> Statement:
    """Return an item as a Statement."""
    return Statement(
        item.text,
        item.details,
        item.same_as.id if item.same_as else None,
        slides_of(item.source),
        status_of(item.source),
        item.note or (item.source.note if item.source else None),
    )


class PrincipleOut(NamedTuple):
    """A principle and its statements."""

    id: str
    name: LangText
    statements: tuple[Statement, ...]
    slides: tuple[int, ...]


class Perspective(NamedTuple):
    """One perspective of the scorecard."""

    id: str
    name: LangText


class ScorecardOut(NamedTuple):
    """The scorecard."""

    name: LangText
    perspectives: tuple[Perspective, ...]
    slides: tuple[int, ...]
    quote: str | None


class Represents(NamedTuple):
    """What a sketch label may stand for."""

    id: str
    name: LangText
    status: str
    slides: tuple[int, ...]


class SketchElementOut(NamedTuple):
    """One label of the sketch."""

    id: str
    name: LangText
    represents: tuple[Represents, ...]
    note: str | None


class SketchOut(NamedTuple):
    """The organisation sketch: labels in the source's order."""

    title: LangText
    elements: tuple[SketchElementOut, ...]
    slides: tuple[int, ...]
    note: str | None


class PrinciplesAnswer(NamedTuple):
    """The principles, the scorecard and the sketch."""

    principles: tuple[PrincipleOut, ...]
    scorecard: ScorecardOut | None
    sketch: SketchOut | None


def principles(ix: OrgIndex) -> PrinciplesAnswer:
    """Return the principles, the scorecard and the organisation sketch."""
    org = ix.org
    scorecard = None
    if org.scorecard is not None:
        sc = org.scorecard
        scorecard = ScorecardOut(
            sc.name,
            tuple(Perspective(p.id, p.name) for p in sc.perspectives),
            slides_of(sc.source),
            sc.source.quote if sc.source else None,
        )
    sketch = None
    if org.sketch is not None:
        sk = org.sketch
        sketch = SketchOut(
            sk.title,
            tuple(
                SketchElementOut(
                    e.id,
                    e.name,
                    tuple(
                        Represents(
                            r.id,
                            name_of(ix, r.id),
                            status_of(r.source),
                            slides_of(r.source),
                        )
                        for r in e.represents
                    ),
                    e.note,
                )
                for e in sk.elements
            ),
            slides_of(sk.source),
            sk.note,
        )
    return PrinciplesAnswer(
        tuple(
            PrincipleOut(
                p.id,
                p.name,
                tuple(statement(s) for s in p.statements),
                slides_of(p.source),
            )
            for p in org.principles
        ),
        scorecard,
        sketch,
    )
