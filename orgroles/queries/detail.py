"""Everything about one role, post, unit or forum (``orgroles show``)."""

from typing import NamedTuple

from orgroles.index import OrgIndex
from orgroles.model import LangText, Role
from orgroles.queries.authority import Holding, holdings_of
from orgroles.queries.catalogue import MemberRow, Statement, forums, statement
from orgroles.queries.common import (
    BothNames,
    Named,
    OpenLine,
    Person,
    holders_of,
    is_vacant,
    label,
    named,
    open_line,
    role_count,
    slides_of,
    staff_of,
    status_of,
)
from orgroles.queries.delegation import Power, powers
from orgroles.queries.line import ReportRow, Step, direct_reports, first_step


class FunctionOut(NamedTuple):
    """A function of a role and the authority kinds it confers."""

    text: LangText
    details: tuple[LangText, ...]
    confers: tuple[LangText, ...]
    slides: tuple[int, ...]
    status: str


class Membership(NamedTuple):
    """A forum a role or post takes part in."""

    forum: Named
    participation: str
    slides: tuple[int, ...]
    status: str


class RelationOut(NamedTuple):
    """A typed relation seen from the entity shown: ``out`` (it advises ...) or ``in``."""

    type: str
    direction: str
    other: Named | None
    slides: tuple[int, ...]
    status: str
    note: str | None


class Detail(NamedTuple):
    """Everything the data says about one entity; empty fields do not apply or are not stated."""

    id: str
    kind: str
    name: LangText
    names: BothNames
    aliases: tuple[str, ...]
    count: int | None  # type: ignore[assignment]  # shadows tuple.count
    approximate: bool
    role: Named | None
    portfolio: LangText | None
    heads: Named | None
    headed_by: tuple[Named, ...]
    staff: int | None
    staff_approximate: bool
    holders: tuple[Person, ...]
    vacant: bool
    posts: tuple[Named, ...]
    superior: Step | None
    superior_note: OpenLine | None
    reports: tuple[ReportRow, ...]
    functions: tuple[FunctionOut, ...]
    authorities: tuple[Holding, ...]
    focus: tuple[Statement, ...]
    challenges: tuple[Statement, ...]
    tasks: tuple[Statement, ...]
    duties: tuple[Statement, ...]
    role_facts_from: str | None
    forums: tuple[Membership, ...]
    members: tuple[MemberRow, ...]
    relations: tuple[RelationOut, ...]
    slides: tuple[int, ...]
    status: str
    note: str | None
    powers: tuple[Power, ...] = ()  # what it may decide, by delegation
    part_of: Named | None = None  # the unit or forum a unit or forum is part of
    parts: tuple[Named, ...] = ()  # the units or forums part of it


def _functions(role: Role, ix: OrgIndex) -> tuple[FunctionOut, ...]:
    return tuple(
        FunctionOut(
            f.text,
            f.details,
            tuple(ix.kinds[g.kind.id].name for g in f.confers),
            slides_of(f.source),
            status_of(f.source),
        )
        for f in role.functions
    )


def _memberships(ix: OrgIndex, ids: set[str]) -> tuple[Membership, ...]:
    out = []
    for forum in ix.org.forums:
        for member in forum.members:
            if member.id in ids:
                source = member.source or forum.source
                out.append(
                    Membership(
                        named(ix, forum.id),
                        member.participation,
                        slides_of(source),
                        status_of(source),
                    )
                )
    return tuple(out)


def _relations(ix: OrgIndex, ids: set[str]) -> tuple[RelationOut, ...]:
    out = []
    for relation in ix.org.relations:
        if relation.from_.id in ids:
            other = named(ix, relation.to.id) if relation.to else None
            out.append(
                RelationOut(
                    relation.type,
                    "out",
                    other,
                    slides_of(relation.source),
                    status_of(relation.source),
                    _note(relation.source, relation.note),
                )
            )
        elif relation.to is not None and relation.to.id in ids:
            out.append(
                RelationOut(
                    relation.type,
                    "in",
                    named(ix, relation.from_.id),
                    slides_of(relation.source),
                    status_of(relation.source),
                    _note(relation.source, relation.note),
                )
            )
    return tuple(out)


def _note(source: object, note: str | None) -> str | None:
    return note or getattr(source, "note", None)


class Cut(NamedTuple):
    """How many of a role's posts and of the direct reports a shortened ``Detail`` leaves out."""

    posts: int = 0
    reports: int = 0


def show(ix: OrgIndex, name: str) -> Detail:
    """Return everything the data says about the role, post, unit or forum ``name``."""
    return show_cut(ix, name, None)[0]


def show_cut(ix: OrgIndex, name: str, most: int | None) -> tuple[Detail, Cut]:
    """``show``, with at most ``most`` of a role's posts and of the direct reports (None:
    every one), and how many it leaves out: the chart's details of a role with a million
    posts list a few, not a million."""
    node = ix.resolve(name)
    kind = ix.kind(node)
    obj = ix.obj(node)
    role: Role | None = None
    if kind == "role":
        role = ix.roles[node]
    elif kind == "post":
        role_id = ix.role_of(node)
        role = ix.roles.get(role_id) if role_id else None
    in_line = kind in ("role", "post")
    superior = first_step(ix, node) if in_line else None
    count, approximate = role_count(ix, node) if kind == "role" else (None, False)
    ids = {node} | ({role.id} if role else set())
    post = ix.posts.get(node)
    facts = tuple(holdings_of(ix, role)) if role else ()
    name_text = label(ix, node)
    members: tuple[MemberRow, ...] = ()
    if kind == "forum":
        members = next(f.members for f in forums(ix).forums if f.id == node)
    source = getattr(obj, "source", None)
    role_posts = ix.role_posts.get(node, ()) if kind == "role" else ()
    reports = direct_reports(ix, node, most) if in_line else ((), 0)
    cut = Cut(max(0, len(role_posts) - most) if most is not None else 0, reports[1])
    detail = Detail(
        id=node,
        kind=kind,
        name=name_text,
        names=BothNames(ix.label(node, "nb"), ix.label(node, "en")),
        aliases=tuple(getattr(obj, "aliases", ())),
        count=count,
        approximate=approximate,
        role=Named(role.id, "role", role.name) if kind == "post" and role else None,
        portfolio=post.portfolio if post and post.portfolio else None,
        heads=named(ix, post.heads.id) if post and post.heads else None,
        headed_by=tuple(named(ix, p) for p in ix.heads_of.get(node, [])),
        posts=tuple(named(ix, p) for p in role_posts[:most]),
        staff=staff_of(ix, node)[0],
        staff_approximate=staff_of(ix, node)[1],
        holders=holders_of(ix, node),
        vacant=is_vacant(ix, node),
        superior=superior,
        superior_note=open_line(ix, superior.id) if superior and superior.unspecified else None,
        reports=reports[0],
        functions=_functions(role, ix) if role else (),
        authorities=facts,
        focus=tuple(statement(i) for i in role.focus) if role else (),
        challenges=tuple(statement(i) for i in role.challenges) if role else (),
        tasks=tuple(statement(i) for i in role.tasks) if role else (),
        duties=tuple(statement(i) for i in role.duties) if role else (),
        role_facts_from=role.id if kind == "post" and role else None,
        forums=_memberships(ix, ids),
        members=members,
        relations=_relations(ix, ids),
        slides=slides_of(source),
        status=status_of(source),
        note=getattr(obj, "note", None) or (source.note if source else None),
        powers=powers(ix, node),
        part_of=named(ix, parent.id) if (parent := getattr(obj, "part_of", None)) else None,
        parts=tuple(named(ix, p) for p in ix.parts.get(node, [])),
    )
    return detail, cut
