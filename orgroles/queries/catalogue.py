"""Lists: roles, programme areas, units, forums, and the principles with scorecard and sketch."""

from typing import NamedTuple

from orgroles.index import OrgIndex
from orgroles.model import Item, LangText
from orgroles.queries.common import (
    Named,
    is_one_of,
    named,
    open_line_note,
    role_count,
    slides_of,
    status_of,
    superior_of,
)
from orgroles.queries.line import first_step


class RoleRow(NamedTuple):
    """A role with its count, line superior and listed posts."""

    id: str
    name: str
    plural: str
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


def roles(ix: OrgIndex, lang: str = "nb") -> RolesAnswer:
    """Return every role with its count and line superior."""
    rows = []
    for role in ix.org.roles:
        count, approximate = role_count(ix, role.id)
        up = first_step(ix, role.id, lang)
        count_source = role.count.source if role.count else None
        rows.append(
            RoleRow(
                id=role.id,
                name=role.name.get(lang),
                plural=ix.plural(role.id, lang),
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
    name: str
    status: str
    slides: tuple[int, ...]
    superior: Named | None
    superior_unspecified: bool
    superior_note: str | None


class UnitRow(NamedTuple):
    """A unit with its kind, head and the head's superior."""

    id: str
    name: str
    kind: str
    kind_name: str
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


def _head(ix: OrgIndex, post_id: str, lang: str) -> HeadInfo:
    post = ix.posts[post_id]
    heads_source = post.heads.source if post.heads and post.heads.source else post.source
    up = superior_of(ix, post_id)
    open_up = is_one_of(ix, ix.superior(post_id))
    return HeadInfo(
        id=post_id,
        name=ix.label(post_id, lang),
        status=status_of(heads_source),
        slides=slides_of(heads_source, ix.line_source(post_id)),
        superior=named(ix, up, lang) if up else None,
        superior_unspecified=open_up,
        superior_note=open_line_note(ix, up, lang) if up and open_up else None,
    )


def units(
    ix: OrgIndex,
    kinds: tuple[str, ...] | None = None,
    exclude: tuple[str, ...] = (),
    lang: str = "nb",
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
                name=unit.name.get(lang),
                kind=unit.kind.id,
                kind_name=kind.name.get(lang) if kind else unit.kind.id,
                as_written=unit.as_written,
                heads=tuple(_head(ix, p, lang) for p in ix.heads_of.get(unit.id, [])),
                slides=slides_of(unit.source),
                status=status_of(unit.source),
                note=unit.source.note if unit.source else None,
            )
        )
    return UnitsAnswer(tuple(sorted(chosen, key=str)), tuple(rows), listing)


class MemberRow(NamedTuple):
    """A participant of a forum."""

    id: str
    name: str
    participation: str
    slides: tuple[int, ...]
    status: str
    note: str | None


class ForumRow(NamedTuple):
    """A forum, body or outside party with its members."""

    id: str
    name: str
    kind: str
    kind_name: str
    part_of: Named | None
    members: tuple[MemberRow, ...]
    slides: tuple[int, ...]
    note: str | None


class ForumsAnswer(NamedTuple):
    """Every forum and body."""

    forums: tuple[ForumRow, ...]


def forums(ix: OrgIndex, lang: str = "nb") -> ForumsAnswer:
    """Return every forum, body and outside party with who takes part."""
    rows = []
    for forum in ix.org.forums:
        kind = ix.forum_kinds.get(forum.kind.id)
        members = tuple(
            MemberRow(
                m.id,
                named(ix, m.id, lang).name,
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
                name=forum.name.get(lang),
                kind=forum.kind.id,
                kind_name=kind.name.get(lang) if kind else forum.kind.id,
                part_of=named(ix, forum.part_of.id, lang) if forum.part_of else None,
                members=members,
                slides=slides_of(forum.source),
                note=forum.note,
            )
        )
    return ForumsAnswer(tuple(rows))


class Statement(NamedTuple):
    """A statement with its sub-points, in one language."""

    text: str
    details: tuple[str, ...] = ()
    same_as: str | None = None
    slides: tuple[int, ...] = ()
    status: str = "stated"
    note: str | None = None


def statement(item: Item, lang: str) -> Statement:
    """Return an item as a Statement in ``lang``."""
    return Statement(
        item.text.get(lang),
        tuple(d.get(lang) for d in item.details),
        item.same_as.id if item.same_as else None,
        slides_of(item.source),
        status_of(item.source),
        item.note or (item.source.note if item.source else None),
    )


class PrincipleOut(NamedTuple):
    """A principle and its statements."""

    id: str
    name: str
    statements: tuple[Statement, ...]
    slides: tuple[int, ...]


class Perspective(NamedTuple):
    """One perspective of the scorecard."""

    id: str
    name: str


class ScorecardOut(NamedTuple):
    """The scorecard."""

    name: str
    perspectives: tuple[Perspective, ...]
    slides: tuple[int, ...]
    quote: str | None


class Represents(NamedTuple):
    """What a sketch label may stand for."""

    id: str
    name: str
    status: str
    slides: tuple[int, ...]


class SketchElementOut(NamedTuple):
    """One label of the sketch."""

    id: str
    name: str
    represents: tuple[Represents, ...]
    note: str | None


class SketchOut(NamedTuple):
    """The organisation sketch: labels in the source's order."""

    title: str
    elements: tuple[SketchElementOut, ...]
    slides: tuple[int, ...]
    note: str | None


class PrinciplesAnswer(NamedTuple):
    """The principles, the scorecard and the sketch."""

    principles: tuple[PrincipleOut, ...]
    scorecard: ScorecardOut | None
    sketch: SketchOut | None


def _text(text: LangText, lang: str) -> str:
    return text.get(lang)


def principles(ix: OrgIndex, lang: str = "nb") -> PrinciplesAnswer:
    """Return the principles, the scorecard and the organisation sketch."""
    org = ix.org
    scorecard = None
    if org.scorecard is not None:
        sc = org.scorecard
        scorecard = ScorecardOut(
            _text(sc.name, lang),
            tuple(Perspective(p.id, _text(p.name, lang)) for p in sc.perspectives),
            slides_of(sc.source),
            sc.source.quote if sc.source else None,
        )
    sketch = None
    if org.sketch is not None:
        sk = org.sketch
        sketch = SketchOut(
            _text(sk.title, lang),
            tuple(
                SketchElementOut(
                    e.id,
                    _text(e.name, lang),
                    tuple(
                        Represents(
                            r.id,
                            named(ix, r.id, lang).name,
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
                _text(p.name, lang),
                tuple(statement(s, lang) for s in p.statements),
                slides_of(p.source),
            )
            for p in org.principles
        ),
        scorecard,
        sketch,
    )
