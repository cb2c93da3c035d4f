"""Resolve the names people type to ids: any case, inflection in the data, with or without æøå.

Every name, plural, alias, id and raw spelling in the data is indexed under a *folded key*:
invisible (default-ignorable) characters such as a soft hyphen or a zero-width joiner dropped,
Unicode NFC, case-folded, ``æ`` -> ``ae``, ``ø`` -> ``o``, ``å`` -> ``a``, other accents
dropped and letters spelt plainly (``é`` -> ``e``, ``ł`` -> ``l``, ``ﬁ`` -> ``fi``, ``ǿ`` ->
``o``), then the two-letter spellings ``oe`` -> ``o`` and ``aa`` -> ``a``, and spaces, hyphens,
dashes, underscores, dots and apostrophes removed. A typed name is folded the same way, so
``Rådmannen``, ``raadmannen`` and ``RADMANNEN`` all meet ``rådmannen``. Inflected forms come
from the data's alias lists; a name that matches no key exactly may still match through its
regular endings (``sykepleierne``, ``assistentene``, ``managers`` meet ``sykepleier``,
``assistent``, ``manager``), when that names exactly one thing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, MutableMapping, MutableSet

from orgroles.errors import AmbiguousNameError, UnknownNameError
from orgroles.model import Forum, Holder, LangText, Org, Post, Role, Unit
from orgroles.suggest import close_matches

_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "ae", "ö": "o"})
_MORE_LETTERS = str.maketrans({"ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ŀ": "l"})
_DROP = str.maketrans("", "", " \t\n\r\f\v-_.'’\u00a0\u2013\u2014")
_SPACES = re.compile(r"\s+")
# Unicode's default-ignorable code points (soft hyphen, joiners, fillers …): never part of a name.
IGNORABLE = (  # the contents of a regular expression's character class
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_IGNORABLE = re.compile(f"[{IGNORABLE}]+")


def fold(name: str) -> str:
    """Return the lookup key of a name (see the module docstring)."""
    if name.isascii():
        key = name.lower()
    else:
        name = _IGNORABLE.sub("", name)
        key = unicodedata.normalize("NFC", name).casefold().translate(_LETTERS)
        key = _SPACES.sub("", key)  # any other Unicode space
        if not key.isascii():  # other accents and letters: é -> e, ł -> l, ﬁ -> fi
            decomposed = unicodedata.normalize("NFKD", key).translate(_MORE_LETTERS)
            key = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
            key = key.translate(_LETTERS)  # ǿ, ǽ: ø and æ once their accent is gone
    if "aa" in key:
        key = key.replace("aa", "a")
    if "oe" in key:
        key = key.replace("oe", "o")
    if " " in key:
        key = key.replace(" ", "")
    # No character dropped is a letter or digit: most keys need no more (translate is slow).
    return key if key.isalnum() else key.translate(_DROP)


_WORD = re.compile(r"\w+")


class _Unmarked(dict[int, int | None]):
    """A ``str.translate`` table that deletes combining marks (filled as characters come)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)).startswith("M") else code
        self[code] = kept
        return kept


_UNMARKED = _Unmarked()


def words(text: str) -> list[str]:
    """Return the folded words of a text (``IKT-strategi`` is ``ikt``, ``strategi``).

    Invisible (default-ignorable) characters are dropped, the text is composed in its
    compatibility form (NFKC) and the marks that remain are dropped, so a word is one word in
    any Unicode form (``Ha\u030agensen`` is ``hagensen``, not ``ha`` and ``gensen``), with a
    soft hyphen inside or not, and what folds to letters is a word (``ⓐ`` is ``a``, as ``fold``
    reads it); a word that folds to nothing (``_``) is left out. The chart's page splits the
    same way."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", _IGNORABLE.sub("", text)).translate(_UNMARKED)
    return [key for key in map(fold, _WORD.findall(text)) if key]


def begins_words(wanted: list[str], text: str, whole: bool = False) -> bool:
    """Tell whether the words ``wanted`` begin consecutive words of ``text`` (``whole``: are
    them): ``ikt`` finds "IKT drift", not "riktig" or "ansikt"."""
    found = words(text)
    size = len(wanted)
    return any(
        all(
            found[i + j] == wanted[j] if whole else found[i + j].startswith(wanted[j])
            for j in range(size)
        )
        for i in range(len(found) - size + 1)
    )


# Regular endings of bokmål nouns (definite, plural, definite plural) and English plurals.
ENDINGS = ("ene", "ne", "en", "et", "er", "es", "e", "s")
SHORTEST_STEM = 4


def stems(key: str) -> set[str]:
    """Return a folded key and what it is without one regular ending."""
    found = {key}
    for ending in ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= SHORTEST_STEM:
            found.add(key[: -len(ending)])
    return found


def name_keys(id_: str, names: Iterable[str | None], guessed: bool = False) -> Iterator[str]:
    """Yield the folded keys an entity is found by: each of its ``names`` (and, unless they
    were ``guessed``, its id), once each; a name that folds to nothing is left out."""
    for name in dict.fromkeys((id_, *names) if not guessed else names):  # each name once
        if name:
            key = fold(name)
            if key:
                yield key


NameSource = Callable[[set[str] | None], Iterable[tuple[str | None, str]]]
MANY, SHOWN = 20, 10  # a name that could be more than MANY things lists SHOWN of them


class NameIndex:
    """Folded name -> the ids it names, plus a display name per id for messages."""

    def __init__(self) -> None:
        self.keys: MutableMapping[str, set[str]] = {}
        self.display: MutableMapping[str, str] = {}
        # (name, id) of the ids given, or of every id (None)
        self.name_source: NameSource = lambda ids: ()
        self.heads: MutableMapping[str, str] = {}  # post -> the unit it heads
        self.guessed: MutableSet[str] = set()  # keys made up from a role and its field, not written
        self.readings: list[tuple[str, str]] = []  # (name, id) resolved other than as written
        self.sole_post: MutableMapping[str, str] = {}  # a role with one post -> that post
        self.word_ids: dict[str, set[str]] | None = None  # folded word -> ids (built on use)

    def add(self, id_: str, names: Iterable[str | None], guessed: bool = False) -> None:
        """Index ``id_`` under each of ``names`` (and its id); ``guessed`` names were made up
        (``økonomidirektør``), so a match says how it was read."""
        keys, guessed_keys = self.keys, self.guessed
        for key in name_keys(id_, names, guessed):
            if guessed and key not in keys:
                guessed_keys.add(key)
            elif not guessed:
                guessed_keys.discard(key)
            found = keys.get(key)
            if found is None:
                keys[key] = {id_}
            else:
                found.add(id_)

    def _by_words(self, name: str) -> set[str]:
        """Return the ids with a name whose words begin with ``name``'s words, in order
        ("barnevern" in "barnehager og barnevern"); a unit and the post heading it count once."""
        wanted = words(name)
        if not wanted or min(len(w) for w in wanted) < 3:
            return set()
        # Candidates (a superset), then their names' words checked exactly.
        maybe, exact = self.word_candidates(wanted)
        if not maybe:
            return set()
        found = (
            maybe
            if exact
            else {
                id_
                for text, id_ in self.name_source(maybe)
                if text and begins_words(wanted, text, whole=True)
            }
        )
        return self.one_per_unit(found)

    def one_per_unit(self, found: set[str]) -> set[str]:
        """Leave out a post found with the unit it heads (the unit stands for both)."""
        return {self.heads[i] if self.heads.get(i) in found else i for i in found}

    def word_candidates(self, wanted: list[str]) -> tuple[set[str], bool]:
        """Return the ids with a name that has every word of ``wanted`` as a whole word, and
        whether that is the answer itself (one word) rather than candidates to check in order.

        The words of every name are indexed on the first such question (the indexed store
        keeps the same index as rows)."""
        if self.word_ids is None:
            found: dict[str, set[str]] = {}
            for text, id_ in self.name_source(None):
                if text:
                    for word in words(text):
                        if word:  # "_" folds to nothing
                            found.setdefault(word, set()).add(id_)
            self.word_ids = found
        ids: set[str] | None = None
        for word in wanted:
            ids = (
                set(self.word_ids.get(word, ()))
                if ids is None
                else ids & self.word_ids.get(word, set())
            )
        return ids or set(), len(wanted) == 1

    def _by_stem(self, key: str) -> set[str]:
        """Return the ids whose names share a stem with ``key``: a known name is one of the
        typed name's stems, or such a stem with an ending (looked up, not scanned)."""
        found: set[str] = set()
        for stem in stems(key):
            found |= self.keys.get(stem, set())
            if len(stem) >= SHORTEST_STEM:
                for ending in ENDINGS:
                    found |= self.keys.get(stem + ending, set())
        return found

    def resolve(self, name: str, by_words: bool = True) -> str:
        """Return the one id ``name`` names; raise Unknown/AmbiguousNameError otherwise.

        A name, then its regular endings, then (``by_words``) whole words of longer names.
        """
        key = fold(name)
        exact = self.keys.get(key)
        found = exact or self._by_stem(key)
        if not found and by_words:
            found = self._by_words(name)
        if len(found) == 2:  # a role with one post and that post, named alike: the post
            role, post = sorted(found, key=lambda i: i not in self.sole_post)
            if self.sole_post.get(role) == post:
                found = {post}
        if len(found) == 1:
            id_ = next(iter(found))
            if not exact or key in self.guessed:
                self.readings.append((name, id_))
            return id_
        if found:
            if len(found) > MANY:  # the first few by id, and how many more
                first = sorted(found)[:SHOWN]
                raise AmbiguousNameError(name, [self._label(i) for i in first], len(found) - SHOWN)
            raise AmbiguousNameError(name, sorted(self._label(i) for i in found))
        close = close_matches(key, self.keys, n=5)
        suggestions: list[str] = []
        for match in close:
            for id_ in sorted(self.keys.get(match, ())):
                label = self._label(id_)
                if label not in suggestions:
                    suggestions.append(label)
        raise UnknownNameError(name, suggestions[:3])

    def _label(self, id_: str) -> str:
        shown = self.display.get(id_, id_)
        return id_ if shown == id_ else f"{shown} ({id_})"


def _texts(*texts: LangText | None) -> list[str | None]:
    out: list[str | None] = []
    for text in texts:
        if text is not None:
            out.extend((text.nb, text.en))
    return out


def entity_index(
    org: Org, each: Callable[[str, list[str | None]], None] | None = None
) -> NameIndex:
    """Index roles, posts, units and forums by every name they go by (and hand each entity's
    id and names to ``each``, for an index of their words)."""
    index = NameIndex()
    for id_, names, display, heads in entity_name_lists(org):
        if each is not None:
            each(id_, names)
        index.add(id_, names)
        index.display[id_] = display
        if heads is not None:
            index.heads[id_] = heads
    holders: dict[str, list[str]] = {}
    for post in org.posts:
        if post.role is not None:
            holders.setdefault(post.role.id, []).append(post.id)
    index.sole_post = {role: posts[0] for role, posts in holders.items() if len(posts) == 1}
    for id_, made_up in guessed_names(org):  # after every written name: a written one wins
        index.add(id_, made_up, guessed=True)
    # Whole-word matches are rare (a name that matched nothing else): their names are listed
    # again only then, not kept in memory for every post of a large organisation.
    index.name_source = lambda ids: (
        (n, i) for i, names, _, _ in entity_name_lists(org, ids) for n in names
    )
    return index


def guessed_names(org: Org) -> Iterator[tuple[str, list[str]]]:
    """Yield (post id, the names made up from its role and field: ``compound_names``) for
    every post with a role; a key that is also a written name is not 'guessed'."""
    roles = {role.id: role for role in org.roles}
    units = {unit.id: unit for unit in org.units}
    for post in org.posts:
        role = roles.get(post.role.id) if post.role else None
        if role is not None:
            unit = units.get(post.heads.id) if post.heads else None
            field = post.portfolio or (unit.name if unit else None)
            yield post.id, compound_names(role.name, field)


def entity_name_lists(
    org: Org, only: set[str] | None = None, people: bool = True
) -> Iterator[tuple[str, list[str | None], str, str | None]]:
    """Yield (id, every name it goes by, its display name, the unit a post heads), for every
    role, unit, forum and post (or those in ``only``); without ``people``, as if no post had
    holders (``model.without_people``)."""
    roles = {role.id: role for role in org.roles}
    units = {unit.id: unit for unit in org.units}
    entities: tuple[tuple[Role | Unit | Forum | Post, ...], ...] = (
        org.roles,
        org.units,
        org.forums,
        org.posts,
    )
    for group in entities:
        for entity in group:
            if only is not None and entity.id not in only:
                continue
            role = unit = None
            if isinstance(entity, Post):
                if not people and entity.holders:
                    entity = entity._replace(holders=())
                role = roles.get(entity.role.id) if entity.role else None
                unit = units.get(entity.heads.id) if entity.heads else None
            yield (entity.id, *entity_names(entity, role, unit))


def entity_names(
    entity: Role | Unit | Forum | Post, role: Role | None = None, unit: Unit | None = None
) -> tuple[list[str | None], str, str | None]:
    """Return every name one entity goes by, its display name and (a post) the unit it heads;
    ``role`` and ``unit`` are a post's role and the unit it heads."""
    if isinstance(entity, Role):
        return [*_texts(entity.name, entity.plural), *entity.aliases], entity.name.get("nb"), None
    if isinstance(entity, Unit):
        unit_names = [*_texts(entity.name), entity.as_written, *entity.aliases]
        return unit_names, entity.name.get("nb"), None
    if isinstance(entity, Forum):
        return [*_texts(entity.name), *entity.aliases], entity.name.get("nb"), None
    post = entity
    role_name = role.name if role else None
    unit_name = unit.name if unit else None
    names: list[str | None] = [*_texts(post.title, post.portfolio), *post.aliases]
    names += [v for h in post.holders for v in (h.name, h.email, h.external_id)]
    labels = {
        lang: post_label(post.title, post.portfolio, role_name, unit_name, lang)
        or people_label(post.holders)
        for lang in ("nb", "en")
    }
    names += labels.values()
    heads = post.heads.id if post.heads else None
    return names, labels["nb"] or post.id, heads


# The heads of role names that people join to a field: "økonomi" + "direktør", "kultur" + "sjef".
ROLE_HEADS = ("direktør", "sjef", "leder", "director", "manager", "head", "chief")
_PARTS = re.compile(r"\s*(?:,|\bog\b|\band\b|&|/)\s*")


def compound_names(role: LangText, field: LangText | None) -> list[str]:
    """Return the names people make of a role and its field: ``økonomidirektør``,
    ``HR-direktør``, ``kultursjef``, ``barnevernsjefen`` (from "barnehager og barnevern"),
    ``finance director``. Each field part joins the role's name and its head word."""
    if field is None:
        return []
    out: list[str] = []
    for lang, text in (("nb", field.nb), ("en", field.en)):
        name = role.nb if lang == "nb" else role.en
        if not text or not name or not name.split():  # (a name of spaces: no head word)
            continue
        heads = {name.split()[-1].lower()} | {h for h in ROLE_HEADS if name.lower().endswith(h)}
        parts = [p for p in _PARTS.split(text) if p]
        if lang == "en" and field.nb:  # abbreviations are shared: "HR director"
            parts += [p for p in _PARTS.split(field.nb) if p]
        for part in parts:
            for head in sorted(heads):  # sorted: the same names in the same order every run
                joined = f"{part}{head}" if lang == "nb" else f"{part} {head}"
                out.append(joined)
                if lang == "nb":
                    out.append(f"{joined}en")  # the definite form: kultursjefen
    return out


def people_label(holders: Iterable[Holder]) -> str:
    """Return the names of a post's holders who have not left (no ``until``), for a post that
    has no other name."""
    return ", ".join(h.name for h in holders if not h.until)


def post_label(
    title: LangText | None,
    portfolio: LangText | None,
    role_name: LangText | None,
    unit_name: LangText | None,
    lang: str,
) -> str:
    """Return a post's display name: its title, or "<role> – <portfolio or unit>"."""
    language = "en" if lang == "en" else "nb"
    if title is not None:
        return title.get(language)
    what = portfolio or unit_name
    if role_name is not None and what is not None:
        return f"{role_name.get(language)} – {what.get(language)}"
    if role_name is not None:
        return role_name.get(language)
    return what.get(language) if what is not None else ""
