"""Linked data in the W3C Organization Ontology: JSON-LD and Turtle from one list of triples.

Vocabularies: ``org:`` (http://www.w3.org/ns/org#) for the organisation, its units, posts,
roles and reporting lines; ``rdfs:``/``skos:`` for labels (``@nb`` and ``@en``); and our own
small vocabulary ``orv:`` (https://orgroles.invalid/vocab#, documented in docs/exports.md) for
what ORG does not cover: authorities, forums, counts, provenance. Entities are
``<https://orgroles.invalid/id/ID>``.

Mapping: a role is an ``org:Role``; a post an ``org:Post`` with ``org:role`` and, when it heads
a unit, ``org:postIn`` that unit; a role with no listed posts (the rådmann, the tjenesteledere)
is also an ``org:Post`` standing for its holders. A post's holders are ``foaf:Person``s
(``foaf:name``, ``foaf:mbox``) that the post is ``org:heldBy`` and that ``org:holds`` it, at
``<ID/holder/N>``. Every line edge is ``org:reportsTo``. Units
are ``org:OrganizationalUnit`` (``org:unitOf`` the organisation, which ``org:hasUnit`` them).
"""

import functools
import json
import re
from collections.abc import Iterator
from typing import NamedTuple

from orgroles.index import OrgIndex
from orgroles.jsontext import encoder
from orgroles.model import Lang
from orgroles.queries.authority import holdings

ORG = "http://www.w3.org/ns/org#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORV = "https://orgroles.invalid/vocab#"
# The terms of the file's own vocabulary, each list in a namespace of its own: an id of the
# file ("Forum", "count") is never one of orv's terms, nor a unit kind an authority kind.
KIND = "https://orgroles.invalid/kind/"  # authority kinds
QUALIFIER = "https://orgroles.invalid/qualifier/"
SCOPE = "https://orgroles.invalid/scope/"
UNIT_KIND = "https://orgroles.invalid/unit-kind/"
FORUM_KIND = "https://orgroles.invalid/forum-kind/"
ID = "https://orgroles.invalid/id/"
# The organisation itself: outside ID, so no entity's id (even "organisation") can be it.
WHOLE = "https://orgroles.invalid/organisation"
PREFIXES = {
    "org": ORG,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "xsd": XSD,
    "foaf": FOAF,
    "orv": ORV,
    "id": ID,
    "kind": KIND,
    "qualifier": QUALIFIER,
    "scope": SCOPE,
    "unitkind": UNIT_KIND,
    "forumkind": FORUM_KIND,
}


class Literal(NamedTuple):
    """A literal: text with a language, or a typed value (``xsd:integer``, ``xsd:boolean``)."""

    value: str | int | bool
    lang: str | None = None


Triple = tuple[str, str, str | Literal]


def triples(ix: OrgIndex) -> list[Triple]:
    """Return every triple of the organisation, sorted (``blocks``, all at once)."""
    every = [t for _, block in blocks(ix) for t in block]
    return sorted(every, key=lambda t: (t[0], *_predicate_object(t)))


def blocks(ix: OrgIndex) -> Iterator[tuple[str, list[Triple]]]:
    """Each subject with its triples (sorted, each once), subjects in file order: the
    organisation, each role (then its authorities), post (then its holders), unit and forum,
    then the authority kinds.

    One subject at a time, so a million posts are never all in memory: only the triples
    stated away from their subject (a parent's ``org:hasUnit``, forum members, relations, a
    role's ``orv:holds``) are gathered first."""
    org = ix.org
    whole = WHOLE
    away: dict[str, list[Triple]] = {}  # subject -> the triples stated elsewhere
    for unit in org.units:
        parent = ID + unit.part_of.id if unit.part_of else whole
        away.setdefault(parent, []).append((parent, ORG + "hasUnit", ID + unit.id))
    for forum in org.forums:
        for member in forum.members:
            verb = "attends" if member.participation == "attends" else "memberOf"
            subject = ID + member.id
            away.setdefault(subject, []).append((subject, ORV + verb, ID + forum.id))
    for relation in org.relations:
        if relation.to is not None:
            subject = ID + relation.from_.id
            triple = (subject, ORV + _camel(relation.type), ID + relation.to.id)
            away.setdefault(subject, []).append(triple)
    authorities = _authorities(ix, away)

    def block(subject: str, own: list[Triple]) -> tuple[str, list[Triple]]:
        found = set(own)
        found.update(away.pop(subject, ()))
        target = ix.line.target.get(subject[len(ID) :]) if subject.startswith(ID) else None
        if target is not None:
            found.add((subject, ORG + "reportsTo", ID + target))
        return subject, sorted(found, key=_predicate_object)

    name = org.meta.organisation or org.meta.title
    own_whole = [(whole, RDF + "type", ORG + "FormalOrganization")]
    yield block(whole, own_whole + _labels(whole, RDFS + "label", name.nb, name.en))
    for role in org.roles:
        node = ID + role.id
        own: list[Triple] = [(node, RDF + "type", ORG + "Role")]
        if role.id not in ix.role_posts:
            own.append((node, RDF + "type", ORG + "Post"))
        own += _labels(node, SKOS + "prefLabel", role.name.nb, role.name.en)
        if role.count is not None:
            own.append((node, ORV + "count", Literal(role.count.value)))
            own.append((node, ORV + "approximate", Literal(role.count.approximate)))
        yield block(node, own)
        for authority, triples_of in authorities.pop(role.id, ()):
            yield block(authority, triples_of)
    for post in org.posts:
        node = ID + post.id
        own = [(node, RDF + "type", ORG + "Post")]
        own += _labels(node, RDFS + "label", ix.label(post.id, "nb"), ix.label(post.id, "en"))
        if post.role is not None:
            own.append((node, ORG + "role", ID + post.role.id))
        own.append((node, ORG + "postIn", ID + post.heads.id if post.heads else whole))
        if post.vacant:
            own.append((node, ORV + "vacant", Literal(True)))
        people = []
        for i, holder in enumerate(post.holders, start=1):
            person = f"{node}/holder/{i}"
            own.append((node, ORG + "heldBy", person))
            about: list[Triple] = [
                (person, RDF + "type", FOAF + "Person"),
                (person, FOAF + "name", Literal(holder.name)),
                (person, ORG + "holds", node),
            ]
            if holder.email:
                about.append((person, FOAF + "mbox", mailto(holder.email)))
            if holder.external_id:
                about.append((person, ORV + "externalId", Literal(holder.external_id)))
            if holder.acting:
                about.append((person, ORV + "acting", Literal(True)))
            for predicate, value in (("from", holder.from_), ("until", holder.until)):
                if value:
                    about.append((person, ORV + predicate, Literal(value)))
            people.append((person, about))
        yield block(node, own)
        for person, about in people:
            yield block(person, about)
    for unit in org.units:
        node = ID + unit.id
        own = [(node, RDF + "type", ORG + "OrganizationalUnit")]
        own += _labels(node, RDFS + "label", unit.name.nb, unit.name.en)
        own.append((node, ORV + "unitKind", UNIT_KIND + unit.kind.id))
        own.append((node, ORG + "unitOf", ID + unit.part_of.id if unit.part_of else whole))
        yield block(node, own)
    for forum in org.forums:
        node = ID + forum.id
        own = [(node, RDF + "type", ORV + "Forum")]
        own += _labels(node, RDFS + "label", forum.name.nb, forum.name.en)
        own.append((node, ORV + "forumKind", FORUM_KIND + forum.kind.id))
        yield block(node, own)
    for kind in org.vocabulary.authority_kinds:
        node = KIND + kind.id
        own = [(node, RDF + "type", ORV + "AuthorityKind")]
        own += _labels(node, SKOS + "prefLabel", kind.name.nb, kind.name.en)
        yield block(node, own)
    for subject in sorted(away):  # (every subject is one of the above: none is left)
        yield block(subject, [])


def _authorities(
    ix: OrgIndex, away: dict[str, list[Triple]]
) -> dict[str, list[tuple[str, list[Triple]]]]:
    """Each role's authorities (``<ROLE/authority/N>``) with their triples; the role's
    ``orv:holds`` of each goes to ``away``."""
    out: dict[str, list[tuple[str, list[Triple]]]] = {}
    for holding in holdings(ix):
        role = holding.role.id
        mine = out.setdefault(role, [])
        node = f"{ID}{role}/authority/{len(mine) + 1}"
        away.setdefault(ID + role, []).append((ID + role, ORV + "holds", node))
        about: list[Triple] = [
            (node, RDF + "type", ORV + "Authority"),
            (node, ORV + "kind", KIND + holding.kind.id),
            (node, ORV + "basis", Literal(holding.basis)),
        ]
        if holding.qualifier:
            about.append((node, ORV + "qualifier", QUALIFIER + holding.qualifier.id))
        if holding.scope:
            about.append((node, ORV + "scope", SCOPE + holding.scope.id))
        for over in holding.over:
            about.append((node, ORV + "over", ID + over.id))
        wording = holding.wording.get("nb")
        if wording:
            about.append((node, ORV + "wording", Literal(wording, "nb")))
        if holding.slides:
            about.append((node, ORV + "slides", Literal(",".join(map(str, holding.slides)))))
        mine.append((node, about))
    return out


def _labels(node: str, predicate: str, nb: str | None, en: str | None) -> list[Triple]:
    return [
        (node, predicate, Literal(text, lang)) for text, lang in ((nb, "nb"), (en, "en")) if text
    ]


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)


_dumps = encoder((", ", ": "), ensure_ascii=True)  # json.dumps, without its set-up each time


def _predicate_object(triple: Triple) -> tuple[str, int, str]:
    """The order of a subject's triples: by predicate, then IRIs before literals, IRIs by
    their text and literals by their JSON (value and language)."""
    obj = triple[2]
    return (triple[1], 1, _dumps(obj)) if isinstance(obj, Literal) else (triple[1], 0, obj)


def _turtle_literal(literal: Literal) -> str:
    value = literal.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not _LITERAL_SPECIAL.search(value):
        return f'"{value}"@{literal.lang}' if literal.lang else f'"{value}"'
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"@{literal.lang}' if literal.lang else f'"{escaped}"'


_LITERAL_SPECIAL = re.compile('[\\\\"\n\r\t]')
_IRI_ESCAPES = re.compile(r'[<>"{}|^`\\ ]')


def mailto(email: str) -> str:
    """The ``mailto:`` IRI of an e-mail address (RFC 6068): every character but the unreserved
    and ``!$'()*+:@`` percent-encoded as UTF-8 (``#`` would start a fragment, ``?`` the
    header fields, ``%`` an escape, ``,`` a second address; RFC 6068 asks ``;`` too)."""
    from urllib.parse import quote

    return "mailto:" + quote(email, safe="!$'()*+:@")


def _iri_safe(text: str) -> str:
    """Text made part of an IRI: the characters an IRI may not hold percent-escaped (once,
    where the triple is made, so Turtle and JSON-LD carry the same IRI)."""
    return _IRI_ESCAPES.sub(lambda m: f"%{ord(m.group()):02X}", text)


# Turtle's local names (PN_LOCAL, without '.', ':' and escapes): a letter of PN_CHARS_BASE,
# '_' or a digit first, then those, '-', U+00B7 and the combining marks. ("µ" and "²" are
# letters and digits to Python, not to Turtle: such an IRI is written whole.)
_BASE_CHARS = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_LOCAL = f"[{_BASE_CHARS}_0-9][{_BASE_CHARS}_0-9\\-\u00b7\u0300-\u036f\u203f-\u2040]*"
_PREFIXED = re.compile(
    "(" + "|".join(re.escape(base) for base in PREFIXES.values()) + f")({_LOCAL})"
)  # the first base (in PREFIXES' order) that leaves a local name
_PREFIX_OF = {base: prefix for prefix, base in PREFIXES.items()}


def _turtle_iri(iri: str) -> str:
    found = _PREFIXED.fullmatch(iri)
    if found is not None:
        return f"{_PREFIX_OF[found.group(1)]}:{found.group(2)}"
    return f"<{_iri_safe(iri)}>"


def turtle_chunks(ix: OrgIndex, lang: Lang) -> Iterator[str]:
    """The organisation as Turtle, one subject at a time."""
    yield "\n".join(f"@prefix {prefix}: <{base}> ." for prefix, base in PREFIXES.items())
    predicates = {RDF + "type": "a"}  # (a few predicates, written a million times)
    iri = functools.lru_cache(maxsize=1 << 14)(_turtle_iri)  # objects: types, roles, units …
    for subject, found in blocks(ix):
        if not found:
            continue
        statements = []
        for _, p, o in found:
            obj = _turtle_literal(o) if isinstance(o, Literal) else iri(o)
            pred = predicates.get(p)
            if pred is None:
                pred = predicates[p] = _turtle_iri(p)
            statements.append(f"{pred} {obj}")
        yield f"\n\n{_turtle_iri(subject)} " + " ;\n    ".join(statements) + " ."
    yield "\n"


def to_turtle(ix: OrgIndex, lang: Lang) -> str:
    """Return the organisation as Turtle."""
    return "".join(turtle_chunks(ix, lang))


def jsonld_chunks(ix: OrgIndex, lang: Lang) -> Iterator[str]:
    """The organisation as JSON-LD (expanded IRIs under a small ``@context``), one subject
    (an object of ``@graph``) at a time, as ``json.dumps(..., indent=1)`` writes it whole."""
    context = json.dumps(PREFIXES, ensure_ascii=False, indent=1).replace("\n", "\n ")
    yield f'{{\n "@context": {context},\n "@graph": '
    opened = False
    for subject, found in blocks(ix):
        if found:
            yield (",\n  " if opened else "[\n  ") + _jsonld_node(subject, found)
            opened = True
    yield "\n ]\n}\n" if opened else "[]\n}\n"


def _jsonld_node(subject: str, found: list[Triple]) -> str:
    """One object of ``@graph`` as ``json.dumps(..., indent=1)`` writes it there (two levels
    in): ``@id``, then each predicate (``@type`` for ``rdf:type``) in the order of ``found``
    with its values. Written directly: the indenting encoder is pure Python and slow."""
    values: dict[str, list[str]] = {}
    for _, p, o in found:
        if p == RDF + "type":
            values.setdefault("@type", []).append(_scalar(o))
        elif isinstance(o, Literal):
            text = '{\n     "@value": ' + _scalar(o.value)
            if o.lang:
                text += ',\n     "@language": ' + _scalar(o.lang)
            values.setdefault(p, []).append(text + "\n    }")
        else:
            values.setdefault(p, []).append('{\n     "@id": ' + _scalar(o) + "\n    }")
    fields = [f'"@id": {_scalar(subject)}']
    for key, items in values.items():
        fields.append(f"{_scalar(key)}: [\n    " + ",\n    ".join(items) + "\n   ]")
    return "{\n   " + ",\n   ".join(fields) + "\n  }"


def to_jsonld(ix: OrgIndex, lang: Lang) -> str:
    """Return the organisation as JSON-LD (expanded IRIs under a small ``@context``)."""
    return "".join(jsonld_chunks(ix, lang))


_scalar = json.JSONEncoder(ensure_ascii=False).encode
