"""Turn each query's answer into table sections (see ``render.tables``), in either language.

The JSON output and these tables are two renderings of the same answer object.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from functools import singledispatch
from typing import Any, NamedTuple, TypeVar

from orgroles.model import Lang
from orgroles.queries.authority import AuthorityAnswer, AuthorityMatrix, Holding
from orgroles.queries.catalogue import (
    ForumsAnswer,
    PrinciplesAnswer,
    RolesAnswer,
    Statement,
    UnitsAnswer,
)
from orgroles.queries.common import Named
from orgroles.queries.detail import Detail
from orgroles.queries.diff import CHANGE_ORDER, Change, DiffAnswer
from orgroles.queries.line import ChainAnswer, CommonAnswer, ReportsAnswer, Step
from orgroles.queries.search import SearchAnswer
from orgroles.queries.stats import StatsAnswer
from orgroles.render.labels import (
    changes_shown,
    count_text,
    has_word,
    hit_lang,
    maybe,
    number,
    one_of,
    people_text,
    say,
    span_text,
    span_warning,
    word,
)
from orgroles.render.tables import Section
from orgroles.render.text import slides_label

T = TypeVar("T")


@singledispatch
def sections(answer: object, lang: Lang) -> list[Section]:
    """Return an answer as table sections; each answer type registers its renderer below."""
    raise TypeError(f"no text rendering for {type(answer).__name__}")


def source_text(slides: tuple[int, ...], status: str, lang: Lang) -> str:
    """Return slides with a status marker, e.g. ``S12 · utledet``."""
    text = slides_label(slides)
    if status != "stated":
        text = f"{text} · {word(status, lang)}" if text else word(status, lang)
    return text


@sections.register
def reports_sections(answer: ReportsAnswer, lang: Lang) -> list[Section]:
    """Who reports to X."""
    target = say(answer.target.name, lang)
    section = Section(word("who_reports_to", lang, name=target))
    section.columns = [
        word("name", lang),
        word("role", lang),
        word("held_by", lang),
        word("count", lang),
        word("superior", lang),
    ]
    if answer.all:
        section.columns.append(word("level", lang))
    section.columns.append(word("source", lang))
    for row in answer.rows:
        superior = say(row.superior_name, lang)
        if row.superior_unspecified:
            superior = one_of(superior, lang)
        name = say(row.name, lang)
        if row.possibly:
            name = f"{name} ({word('possibly', lang)})"
        cells = [
            name,
            maybe(row.role_name, lang) or "",
            people_text(row.holders, row.vacant, lang),
            count_text(row.count, row.approximate, lang),
            superior,
        ]
        if answer.all:
            cells.append(str(row.depth))
        cells.append(source_text(row.slides, row.status, lang))
        section.rows.append(cells)
    if answer.staff is not None:
        count = count_text(answer.staff, answer.staff_approximate, lang)
        section.lines.append(word("staff_below", lang, count=count, name=target))
    if not answer.rows:
        section.columns = []
        if answer.staff is None:
            section.lines = [word("none", lang)]
    if any(r.superior_unspecified for r in answer.rows):
        section.notes.append(word("open_note", lang))
    if any(r.possibly for r in answer.rows):
        section.notes.append(word("possibly_under", lang, name=target))
    _via_unit(section, answer.via_unit, lang)
    return [section]


def _via_unit(section: Section, unit: Named | None, lang: Lang) -> None:
    """Say in the title that a unit was asked about and its head answers for it."""
    if unit is not None:
        section.title += " " + word("via_unit", lang, unit=say(unit.name, lang))


def _step_name(step: Step, lang: Lang) -> str:
    name = say(step.name, lang)
    if step.unspecified:
        name = one_of(name, lang)
    if step.varies:
        name = word("varies", lang, name=say(step.name, lang))
    return f"{word('possibly', lang)}: {name}" if step.possibly else name


@sections.register
def chain_sections(answer: ChainAnswer, lang: Lang) -> list[Section]:
    """The line upward from X."""
    section = Section(
        word("reports_to", lang, name=say(answer.start.name, lang)),
        columns=[
            word("level", lang),
            word("superior", lang),
            word("held_by", lang),
            word("source", lang),
        ],
    )
    for i, step in enumerate(answer.chain, start=1):
        section.rows.append(
            [
                str(i),
                _step_name(step, lang),
                people_text(step.holders, step.vacant, lang),
                source_text(step.slides, step.status, lang),
            ]
        )
    if not answer.chain:
        section.columns, section.lines = [], [word("top", lang)]
    for acc in answer.accountable_to:
        bodies = ", ".join(say(b.name, lang) for b in acc.bodies)
        line = f"{word('accountable_to', lang)} {say(acc.name, lang)}"
        line += f" ({bodies})" if bodies else ""
        line += f"  {slides_label(acc.slides)}"
        section.lines.append(line)
    if any(s.unspecified for s in answer.chain):
        section.notes.append(word("open_note", lang))
    _via_unit(section, answer.via_unit, lang)
    return [section]


@sections.register
def common_sections(answer: CommonAnswer, lang: Lang) -> list[Section]:
    """Where two lines meet."""
    head = Section(word("common", lang))
    if answer.meet is None:
        head.lines.append(word("no_certain_meet" if answer.possible_meet else "no_meet", lang))
    else:
        head.lines.append(f"{word('meet', lang)}: {say(answer.meet.name, lang)}")
    if answer.possible_meet is not None:
        head.lines.append(
            f"{word('possible_meet', lang)}: {say(answer.possible_meet.name, lang)} "
            f"({word('possible_meet_note', lang)})"
        )
    out = [head]
    sides = (
        (answer.a, answer.path_a, answer.via_unit_a),
        (answer.b, answer.path_b, answer.via_unit_b),
    )
    for start, path, unit in sides:
        section = Section(
            word("path", lang, name=say(start.name, lang)),
            columns=[word("level", lang), word("name", lang), word("source", lang)],
        )
        _via_unit(section, unit, lang)
        for i, step in enumerate(path):
            section.rows.append(
                [str(i), _step_name(step, lang), source_text(step.slides, step.status, lang)]
            )
        out.append(section)
    return out


@sections.register
def roles_sections(answer: RolesAnswer, lang: Lang) -> list[Section]:
    """Every role."""
    section = Section(
        word("roles", lang),
        columns=[
            "id",
            word("name", lang),
            word("count", lang),
            word("superior", lang),
            word("posts", lang),
            word("source", lang),
        ],
    )
    for row in answer.roles:
        superior = say(row.superior.name, lang) if row.superior else word("top", lang)
        if row.superior_unspecified:
            superior = one_of(superior, lang)
        if row.superior_varies:
            superior = word("varies", lang, name=superior)
        if row.superior_possibly:
            superior = f"{word('possibly', lang)}: {superior}"
        count = count_text(row.count, row.approximate, lang)
        if row.count_status != "stated":
            count += f" ({word(row.count_status, lang)})"
        section.rows.append(
            [
                row.id,
                say(row.name, lang),
                count,
                superior,
                str(row.posts) if row.posts else "",
                slides_label(row.slides),
            ]
        )
    return [section]


@sections.register
def units_sections(answer: UnitsAnswer, lang: Lang) -> list[Section]:
    """Units (``units``) or programme areas (``areas``) with their heads and their superiors."""
    section = Section(
        word(answer.listing, lang),
        columns=[
            "id",
            word("name", lang),
            word("head", lang),
            word("superior", lang),
            word("source", lang),
        ],
    )
    for unit in answer.units:
        name = say(unit.name, lang)
        if unit.as_written:
            name += f" («{unit.as_written}»)"
        heads = "\n".join(
            say(h.name, lang) + (f" ({word(h.status, lang)})" if h.status != "stated" else "")
            for h in unit.heads
        )
        superiors = "\n".join(
            (
                one_of(say(h.superior.name, lang), lang)
                if h.superior_unspecified
                else say(h.superior.name, lang)
            )
            if h.superior
            else ""
            for h in unit.heads
        )
        section.rows.append(
            [unit.id, name, heads, superiors, source_text(unit.slides, unit.status, lang)]
        )
        if unit.as_written and unit.note:
            section.notes.append(f"{unit.id}: {unit.note}")
    if any(h.superior_unspecified for u in answer.units for h in u.heads):
        section.notes.append(word("open_note", lang))
    return [section]


@sections.register
def forums_sections(answer: ForumsAnswer, lang: Lang) -> list[Section]:
    """Forums and bodies with their members."""
    section = Section(
        word("forums", lang),
        columns=[
            "id",
            word("name", lang),
            word("kind", lang),
            word("members", lang),
            word("source", lang),
        ],
    )
    for forum in answer.forums:
        members = "\n".join(
            say(m.name, lang)
            + (f" ({word('attends', lang)})" if m.participation == "attends" else "")
            for m in forum.members
        ) or word("not_stated", lang)
        section.rows.append(
            [
                forum.id,
                say(forum.name, lang),
                say(forum.kind_name, lang),
                members,
                slides_label(forum.slides),
            ]
        )
        if forum.note:
            section.notes.append(f"{forum.id}: {forum.note}")
    return [section]


def _statement_lines(
    statements: tuple[Statement, ...], lang: Lang, with_sources: bool = True
) -> list[str]:
    lines = []
    for s in statements:
        text = f"• {say(s.text, lang)}"
        if s.same_as:
            text += f"  ({word('same_as', lang, name=s.same_as)})"
        if with_sources and s.slides:
            text += f"  {source_text(s.slides, s.status, lang)}"
        lines.append(text)
        lines.extend(f"    – {say(d, lang)}" for d in s.details)
    return lines


@sections.register
def principles_sections(answer: PrinciplesAnswer, lang: Lang) -> list[Section]:
    """Principles, the scorecard and the sketch."""
    out = []
    for p in answer.principles:
        out.append(
            Section(
                f"{say(p.name, lang)}  {slides_label(p.slides)}",
                lines=_statement_lines(p.statements, lang, with_sources=False),
            )
        )
    if answer.scorecard:
        sc = answer.scorecard
        out.append(
            Section(
                f"{word('scorecard', lang)}: {say(sc.name, lang)}  {slides_label(sc.slides)}",
                lines=[f"• {say(p.name, lang)}" for p in sc.perspectives],
            )
        )
    if answer.sketch:
        sk = answer.sketch
        section = Section(
            f"{word('sketch', lang)}: {say(sk.title, lang)}  {slides_label(sk.slides)}",
            columns=[word("name", lang), word("represents", lang)],
        )
        for e in sk.elements:
            reps = ", ".join(
                say(r.name, lang) + (f" ({word(r.status, lang)})" if r.status != "stated" else "")
                for r in e.represents
            )
            section.rows.append([say(e.name, lang), reps])
        if sk.note:
            section.notes.append(sk.note)
        out.append(section)
    return out


def _holding_row(h: Holding, lang: Lang) -> list[str]:
    over = ", ".join(say(o.name, lang) for o in h.over)
    if h.on_behalf_of:
        behalf = f"{word('on_behalf_of', lang)} {say(h.on_behalf_of.name, lang)}"
        over = (over + "; " if over else "") + behalf
    designation = maybe(h.designation, lang)
    if designation:
        over = (over + "; " if over else "") + f"{word('as', lang)} {designation}"
    return [
        say(h.role.name, lang),
        say(h.qualifier.name, lang) if h.qualifier else "",
        say(h.scope.name, lang) if h.scope else word("not_stated", lang),
        over,
        say(h.wording, lang),
        word(h.basis, lang),
        source_text(h.slides, h.status, lang),
    ]


def _holding_columns(lang: Lang) -> list[str]:
    return [
        word("role", lang),
        word("qualifier", lang),
        word("scope", lang),
        word("over", lang),
        word("wording", lang),
        word("basis", lang),
        word("source", lang),
    ]


@sections.register
def authority_sections(answer: AuthorityAnswer, lang: Lang) -> list[Section]:
    """Who holds one kind, and the related kinds beside it."""
    main = Section(
        word("authority", lang, name=say(answer.kind.name, lang)), columns=_holding_columns(lang)
    )
    main.rows = [_holding_row(h, lang) for h in answer.holders]
    if not answer.holders:
        main.columns, main.lines = [], [word("none", lang)]
    if answer.not_stated_for:
        main.notes.append(
            f"{word('none_stated_for', lang)}: "
            + ", ".join(say(n.name, lang) for n in answer.not_stated_for)
        )
    if answer.grants:  # powers of the kind granted by delegation are not listed here
        main.notes.append(
            word("by_grants", lang, grants=", ".join(answer.grants), kind=answer.kind.id)
        )
    out = [main]
    for related in answer.related:
        if related.relation == "related":
            title = word("related_plain", lang, name=say(related.kind.name, lang))
        else:
            relation = word(related.relation, lang)
            title = word("related", lang, relation=relation, name=say(related.kind.name, lang))
        section = Section(title, columns=_holding_columns(lang))
        section.rows = [_holding_row(h, lang) for h in related.holders]
        if related.note:
            section.notes.append(related.note)
        out.append(section)
    return out


@sections.register
def matrix_sections(answer: AuthorityMatrix, lang: Lang) -> list[Section]:
    """Authority kinds down, roles across, scope in each cell."""
    section = Section(
        word("matrix", lang),
        columns=[word("kind", lang), *(say(r.role.name, lang) for r in answer.rows)],
    )
    for i, kind in enumerate(answer.kinds):
        cells = []
        for row in answer.rows:
            entries = row.cells[i].entries
            texts = []
            for e in entries:
                parts = [say(t.name, lang) for t in (e.qualifier, e.scope) if t]
                text = " · ".join(parts) if parts else "✓"
                if e.basis == "function":
                    text += f" ({word('function', lang)})"
                if e.status != "stated":
                    text += f" ({word(e.status, lang)})"
                texts.append(f"{text} {slides_label(e.slides)}")
            cells.append("\n".join(texts))
        section.rows.append([say(kind.name, lang), *cells])
    return [section]


def _taking_part(
    name: str, participation: str, slides: tuple[int, ...], status: str, lang: Lang
) -> str:
    """One line of forum membership: who (or which forum), how, and the source."""
    how = f" ({word('attends', lang)})" if participation == "attends" else ""
    return f"• {name}{how}  {source_text(slides, status, lang)}"


def _relation_text(rel_type: str, direction: str, other: str | None, lang: Lang) -> str:
    verb = word(rel_type if direction == "out" else f"{rel_type}_in", lang)
    return f"{verb} {other}" if other else f"{verb} ({word('counterparty_not_stated', lang)})"


@sections.register
def detail_sections(d: Detail, lang: Lang) -> list[Section]:
    """Everything about one entity."""
    name = say(d.name, lang)
    head = Section(
        f"{name}  ({d.id}, {word('kind_' + d.kind, lang)})", columns=["", ""], header=False
    )
    other: Lang = "en" if lang == "nb" else "nb"
    other_name = getattr(d.names, other)
    if other_name and other_name != name:
        head.rows.append([word("english" if other == "en" else "norwegian", lang), other_name])
    if d.count is not None:
        head.rows.append([word("count", lang), count_text(d.count, d.approximate, lang)])
    if d.posts:
        head.rows.append([word("posts", lang), ", ".join(say(p.name, lang) for p in d.posts)])
    if d.staff is not None:
        staff = count_text(d.staff, d.staff_approximate, lang)
        head.rows.append([word("staff_column", lang), staff])
    if d.holders or d.vacant:
        head.rows.append([word("held_by", lang), people_text(d.holders, d.vacant, lang)])
    if d.role:
        head.rows.append([word("role", lang), say(d.role.name, lang)])
    if d.portfolio and say(d.portfolio, lang):
        head.rows.append([word("portfolio", lang), say(d.portfolio, lang)])
    if d.heads:
        head.rows.append([word("heads", lang), say(d.heads.name, lang)])
    if d.headed_by:
        head.rows.append([word("head", lang), ", ".join(say(n.name, lang) for n in d.headed_by)])
    if d.part_of:
        head.rows.append([word("part_of", lang), say(d.part_of.name, lang)])
    if d.parts:
        head.rows.append([word("parts", lang), ", ".join(say(n.name, lang) for n in d.parts)])
    if d.kind in ("role", "post"):
        superior = _step_name(d.superior, lang) if d.superior else word("top", lang)
        source = source_text(d.superior.slides, d.superior.status, lang) if d.superior else ""
        head.rows.append([word("superior", lang), f"{superior}  {source}".rstrip()])
    if d.aliases:
        head.rows.append([word("aliases", lang), ", ".join(d.aliases)])
    if d.slides:
        head.rows.append([word("source", lang), source_text(d.slides, d.status, lang)])
    if d.superior_note:
        head.notes.append(say(d.superior_note, lang))
    if d.note:
        head.notes.append(d.note)
    out = [head]
    if d.role_facts_from and (d.functions or d.authorities):
        role = say(d.role.name, lang) if d.role else ""
        out.append(Section(word("facts_from_role", lang, name=role)))
    if d.functions:
        section = Section(word("functions", lang))
        for f in d.functions:
            section.lines.append(f"• {say(f.text, lang)}  {source_text(f.slides, f.status, lang)}")
            section.lines.extend(f"    – {say(x, lang)}" for x in f.details)
        out.append(section)
    if d.authorities:
        section = Section(
            word("authorities", lang),
            columns=[
                word("kind", lang),
                word("qualifier", lang),
                word("scope", lang),
                word("over", lang),
                word("wording", lang),
                word("basis", lang),
                word("source", lang),
            ],
        )
        for h in d.authorities:
            row = _holding_row(h, lang)
            section.rows.append([say(h.kind.name, lang), *row[1:]])
        out.append(section)
    elif d.kind == "role" or d.role_facts_from:
        out.append(Section(word("authorities", lang), lines=[word("not_stated", lang)]))
    for key in ("focus", "challenges", "tasks", "duties"):
        statements: tuple[Statement, ...] = getattr(d, key)
        if statements:
            out.append(Section(word(key, lang), lines=_statement_lines(statements, lang)))
    if d.reports:
        section = reports_sections_from_rows(d, lang)
        out.append(section)
    if d.forums:
        out.append(
            Section(
                word("forums", lang),
                lines=[
                    _taking_part(say(m.forum.name, lang), m.participation, m.slides, m.status, lang)
                    for m in d.forums
                ],
            )
        )
    if d.members:
        out.append(
            Section(
                word("members", lang),
                lines=[
                    _taking_part(say(m.name, lang), m.participation, m.slides, m.status, lang)
                    for m in d.members
                ],
            )
        )
    if d.powers:
        out.append(_delegation.powers_section(d.powers, lang))
    if d.relations:
        out.append(
            Section(
                word("relations", lang),
                lines=[
                    "• "
                    + _relation_text(
                        r.type, r.direction, say(r.other.name, lang) if r.other else None, lang
                    )
                    + f"  {source_text(r.slides, r.status, lang)}"
                    for r in d.relations
                ],
            )
        )
    return out


def reports_sections_from_rows(d: Detail, lang: Lang) -> Section:
    """The direct reports part of ``show``."""
    section = Section(
        word("reports", lang),
        columns=[word("name", lang), word("count", lang), word("source", lang)],
    )
    for row in d.reports:
        name = say(row.name, lang)
        if row.possibly:
            name = f"{word('possibly', lang)}: {name}"
        section.rows.append(
            [
                name,
                count_text(row.count, row.approximate, lang),
                source_text(row.slides, row.status, lang),
            ]
        )
    return section


@sections.register
def search_sections(answer: SearchAnswer, lang: Lang) -> list[Section]:
    """Search hits, each with where it is."""
    section = Section(
        word("search", lang, query=repr(answer.query)),
        columns=[word("where", lang), word("kind", lang), word("text", lang), word("source", lang)],
    )
    for hit in answer.hits:
        where = word(hit.section, lang) if has_word(hit.section) else hit.section
        kind = word(hit.entity_kind, lang) if has_word(hit.entity_kind) else hit.entity_kind
        section.rows.append(
            [
                f"{say(hit.entity_name, lang)} › {where}",
                kind,
                str(getattr(hit.text, hit_lang(hit, lang))),
                slides_label(hit.slides),
            ]
        )
    if not answer.hits:
        section.columns, section.lines = [], [word("no_answer", lang)]
    return [section]


@sections.register
def diff_sections(answer: DiffAnswer, lang: Lang) -> list[Section]:
    """Changes grouped by what changed; other changes by their path."""
    shown = changes_shown(answer, lang)
    if not shown:
        return [Section(word("no_changes", lang, old=answer.old, new=answer.new))]
    out = []
    for change in CHANGE_ORDER:
        rows = [c for c in shown if c.change == change]
        if rows:
            title = f"{word('change_' + change, lang)} ({len(rows)})"
            render = _by_path if change == "changed" else _by_thing
            out.append(render(title, rows, lang))
    return out


def _by_thing(title: str, rows: list[Change], lang: Lang) -> Section:
    """Changes with their own wording: the thing (kind, id, name), what, before and after."""
    columns = ["kind", "id", "name", "what", "before", "after"]
    section = Section(title, columns=[word(c, lang) if c != "id" else c for c in columns])
    for c in rows:
        what = (c.field or "") if c.id is not None else c.path
        kind = _diff_kind(c.kind, lang)
        section.rows.append([kind, c.id or "", say(c.name, lang), what, *_diff_cells(c, lang)])
    return section


def _by_path(title: str, rows: list[Change], lang: Lang) -> Section:
    """Other changes: where in the file, the thing's name, before and after."""
    columns = ["where", "name", "before", "after"]
    section = Section(title, columns=[word(c, lang) for c in columns])
    for c in rows:
        section.rows.append(
            [c.path, say(c.name, lang), _diff_value(c.old, lang), _diff_value(c.new, lang)]
        )
    return section


def _diff_kind(kind: str, lang: Lang) -> str:
    """The word for a kind of thing in a diff (its id when the interface has no word)."""
    key = kind if has_word(kind) else f"diff_{kind}"
    return word(key, lang) if has_word(key) else kind


def _diff_cells(change: Change, lang: Lang) -> tuple[str, str]:
    """A change's old and new value as cells."""
    old, new = change.old, change.new
    if change.change == "moved":
        return (
            _moved_end(old, change.old_unspecified, lang),
            _moved_end(new, change.new_unspecified, lang),
        )
    if change.change == "count_changed":
        return _diff_count(old, lang), _diff_count(new, lang)
    if change.change.startswith("authority_"):
        return _diff_grant(old, lang), _diff_grant(new, lang)
    if change.change == "source_changed":
        return _diff_source(old, new, lang), _diff_source(new, old, lang)
    return _diff_value(old, lang), _diff_value(new, lang)


def _diff_count(count: dict[str, Any] | None, lang: Lang) -> str:
    return "" if count is None else count_text(count["value"], count["approximate"], lang)


def _diff_grant(grant: dict[str, Any] | None, lang: Lang) -> str:
    """An authority as ``budsjettansvar, kvalifisering delegert, omfang eget_tjenestested``."""
    if grant is None:
        return ""
    parts = [say(grant["name"], lang)]
    if grant["qualifier"]:
        parts.append(f"{word('qualifier', lang).lower()} {grant['qualifier']}")
    scope = grant["scope"] or word("not_stated", lang)
    parts.append(f"{word('scope', lang).lower()} {scope}")
    return ", ".join(parts)


def _diff_source(source: dict[str, Any] | None, other: dict[str, Any] | None, lang: Lang) -> str:
    """A source as its slides and status, and those of its other fields that differ."""
    if source is None:
        return word("none", lang)
    parts = [source_text(tuple(source["slides"]), source["status"], lang)]
    for key, value in source.items():
        if key in ("slides", "status") or value is None:
            continue
        if other is None or other.get(key) != value:
            parts.append(f"{_diff_kind(key, lang)}: {_diff_value(value, lang)}")
    return "; ".join(p for p in parts if p)


def _diff_value(value: Any, lang: Lang) -> str:
    """A JSON value as a cell: lists joined, records as ``key: value``, a reference as its id."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return word("diff_yes" if value else "diff_no", lang)
    if isinstance(value, list):
        return ", ".join(_diff_value(v, lang) for v in value)
    if isinstance(value, dict):
        shown = {k: v for k, v in value.items() if v is not None and v != []}
        if list(shown) == ["id"]:
            return str(shown["id"])
        return "; ".join(f"{k}: {_diff_nested(v, lang)}" for k, v in shown.items())
    return str(value)


def _diff_nested(value: Any, lang: Lang) -> str:
    text = _diff_value(value, lang)
    return f"({text})" if isinstance(value, dict) and ";" in text else text


class StatsView(NamedTuple):
    """``stats`` as a table: with ``every_row`` false, a long list of spans, warnings or
    vacancies shows its first ``SHOWN`` (the widest spans) and says how many more there are."""

    answer: StatsAnswer
    every_row: bool = False


SHOWN, SHOWN_AT_MOST = 20, 30  # a list longer than SHOWN_AT_MOST rows shows SHOWN of them


@sections.register
def stats_sections(answer: StatsAnswer, lang: Lang) -> list[Section]:
    """Levels, spans and authorities per role, every row."""
    return stats_view_sections(StatsView(answer, every_row=True), lang)


def _cut(rows: Sequence[T], every_row: bool) -> tuple[Sequence[T], int]:
    """The rows a table shows, and how many it leaves out."""
    if every_row or len(rows) <= SHOWN_AT_MOST:
        return rows, 0
    return rows[:SHOWN], len(rows) - SHOWN


@sections.register
def stats_view_sections(view: StatsView, lang: Lang) -> list[Section]:
    """Levels, spans and authorities per role; long lists cut short unless ``every_row``."""
    answer, every_row = view.answer, view.every_row
    total = count_text(answer.leaders, answer.leaders_approximate, lang)
    title = word("levels", lang, depth=str(answer.depth), total=total)
    if answer.staff:
        staff = count_text(answer.staff, answer.staff_approximate, lang)
        title += word("staff_total", lang, count=staff)
    levels = Section(
        title,
        columns=[word("level", lang), word("leaders", lang), word("roles", lang)],
    )
    for row in answer.levels:
        levels.rows.append(
            [str(row.level), count_text(row.leaders, row.approximate, lang), ", ".join(row.roles)]
        )
    spans = Section(
        word("spans", lang),
        columns=[
            "id",
            word("name", lang),
            word("span", lang),
            word("exact", lang),
            word("estimated_column", lang),
        ],
    )
    shown, left_out = _cut(answer.spans, every_row)
    if left_out:  # the widest, as the limit's warnings are what a reader looks for
        shown = heapq.nsmallest(SHOWN, answer.spans, key=lambda s: -s.span)
        spans.notes.append(
            word("spans_shown", lang, shown=str(SHOWN), total=number(len(answer.spans), lang))
        )
    for span in shown:
        spans.rows.append(
            [
                span.id,
                say(span.name, lang),
                span_text(span, lang),
                str(span.exact),
                number(span.estimated, lang) if span.estimated else "",
            ]
        )
    if answer.widest and answer.narrowest:
        spans.notes.append(
            f"{word('widest', lang)}: {say(answer.widest.name, lang)}, "
            f"{span_text(answer.widest, lang)}; "
            f"{word('narrowest', lang)}: {say(answer.narrowest.name, lang)}, "
            f"{span_text(answer.narrowest, lang)}"
        )
    roles = Section(
        word("roles", lang),
        columns=[
            "id",
            word("name", lang),
            word("count", lang),
            word("authorities", lang),
            word("function", lang),
        ],
    )
    for role in answer.roles:
        roles.rows.append(
            [
                role.id,
                say(role.name, lang),
                count_text(role.count, role.approximate, lang),
                str(role.authorities),
                str(role.conferred),
            ]
        )
    out = [levels, spans, roles]
    if answer.vacant or answer.held:
        held = word("held_posts", lang, held=str(answer.held)) if answer.held is not None else ""
        people = Section(
            word("vacancies_title", lang, vacant=str(len(answer.vacant)), posts=str(answer.posts))
            + held,
            columns=["id", word("name", lang)],
        )
        vacant, left_out = _cut(answer.vacant, every_row)
        people.rows = [[post.id, say(post.name, lang)] for post in vacant]
        if left_out:
            people.notes.append(word("rows_more", lang, n=number(left_out, lang)))
        out.append(people)
    if answer.warnings:
        warnings, left_out = _cut(answer.warnings, every_row)
        lines = [span_warning(w, lang) for w in warnings]
        if left_out:
            lines.append(word("rows_more", lang, n=number(left_out, lang)))
        out.append(Section(word("warnings", lang), lines=lines))
    return out


def _moved_end(node: str | None, unspecified: bool, lang: Lang) -> str:
    if node is None:
        return word("top", lang)
    return one_of(node, lang) if unspecified else node


# --- delegation: renderers in orgroles.render.delegation, registered here ------------------
from orgroles.queries.delegation import CanAnswer, DelegationAnswer  # noqa: E402
from orgroles.render import delegation as _delegation  # noqa: E402

sections.register(CanAnswer)(_delegation.can_sections)
sections.register(DelegationAnswer)(_delegation.delegation_sections)
