"""Full-text search over names, functions, authorities, tasks and principles, in both languages.

Matching folds case, Unicode form and æ/ø/å spellings the same way as names (``orgroles.names``),
so ``okonomi`` finds ``økonomi``.
"""

from collections.abc import Iterator
from typing import NamedTuple

from orgroles.index import OrgIndex
from orgroles.model import Item, LangText, Source
from orgroles.names import begins_words, words
from orgroles.queries.common import label, slides_of


class Hit(NamedTuple):
    """One text that matched: where it is (entity and section) and the text itself.

    ``text`` holds the place's text in each language it matched in (None in the other): the
    answer shows the one in the language asked for where both match (JSON: ``text`` and its
    ``lang``).
    """

    entity: str
    entity_kind: str
    entity_name: LangText
    section: str
    text: LangText
    slides: tuple[int, ...]


class SearchAnswer(NamedTuple):
    """Every hit for a search text, in file order."""

    query: str
    hits: tuple[Hit, ...]


# (entity id, entity kind, section, text, source)
_Place = tuple[str, str, str, LangText, Source | None]


def _items(
    entity: str, kind: str, section: str, items: tuple[Item, ...], fallback: Source | None = None
) -> Iterator[_Place]:
    for item in items:
        source = item.source or fallback
        yield entity, kind, section, item.text, source
        for detail in item.details:
            yield entity, kind, section, detail, source


def _places(ix: OrgIndex) -> Iterator[_Place]:
    org = ix.org
    for role in org.roles:
        yield role.id, "role", "name", role.name, role.source
        if role.plural:
            yield role.id, "role", "name", role.plural, role.source
        for function in role.functions:
            yield role.id, "role", "functions", function.text, function.source
            for detail in function.details:
                yield role.id, "role", "functions", detail, function.source
        for grant in role.authorities:
            if grant.text:
                yield role.id, "role", "authorities", grant.text, grant.source
            for detail in grant.details:
                yield role.id, "role", "authorities", detail, grant.source
        for section in ("focus", "challenges", "tasks", "duties"):
            yield from _items(role.id, "role", section, getattr(role, section))
    for post in org.posts:
        for lang_text in (post.title, post.portfolio):
            if lang_text:
                yield post.id, "post", "name", lang_text, post.source
        for holder in post.holders:
            for value in (holder.name, holder.email, holder.external_id):
                if value:
                    yield post.id, "post", "holders", LangText(value, None), holder.source
    for unit in org.units:
        yield unit.id, "unit", "name", unit.name, unit.source
        if unit.as_written:
            yield unit.id, "unit", "name", LangText(unit.as_written, None), unit.source
    for forum in org.forums:
        yield forum.id, "forum", "name", forum.name, forum.source
    for principle in org.principles:
        yield principle.id, "principle", "name", principle.name, principle.source
        yield from _items(
            principle.id, "principle", "statements", principle.statements, principle.source
        )
    if org.scorecard:
        for perspective in org.scorecard.perspectives:
            yield "scorecard", "scorecard", "perspectives", perspective.name, org.scorecard.source
    if org.sketch:
        for element in org.sketch.elements:
            yield "sketch", "sketch", "elements", element.name, org.sketch.source
    for kind in org.vocabulary.authority_kinds:
        yield kind.id, "authority_kind", "name", kind.name, None


def _entity_name(ix: OrgIndex, entity: str, kind: str) -> LangText:
    if kind in ("role", "post", "unit", "forum"):
        return label(ix, entity)
    if kind == "principle":
        return next(p.name for p in ix.org.principles if p.id == entity)
    if kind == "authority_kind":
        return ix.kinds[entity].name
    if kind == "scorecard" and ix.org.scorecard:
        return ix.org.scorecard.name
    if kind == "sketch" and ix.org.sketch:
        return ix.org.sketch.title
    return LangText(entity, None)


def search(ix: OrgIndex, text: str) -> SearchAnswer:
    """Return every name or statement with words beginning as ``text``'s, in either language."""
    needle = words(text)
    hits: list[Hit] = []
    seen: set[tuple[str, str, str | None, str | None]] = set()
    if needle:
        for entity, kind, section, lang_text, source in _places(ix):
            # A thing's names (its name, raw spelling, aliases) count as one place.
            key = (
                (entity, section, None, None)
                if section == "name"
                else (entity, section, lang_text.nb, lang_text.en)
            )
            if key in seen:
                continue
            matched = LangText(*(t if t and begins_words(needle, t) else None for t in lang_text))
            if matched.nb or matched.en:
                seen.add(key)
                hits.append(
                    Hit(
                        entity,
                        kind,
                        _entity_name(ix, entity, kind),
                        section,
                        matched,
                        slides_of(source),
                    )
                )
    return SearchAnswer(text, tuple(hits))
