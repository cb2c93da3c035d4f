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

import json
from typing import NamedTuple

from orgroles.index import OrgIndex
from orgroles.model import Lang
from orgroles.queries.authority import holdings

ORG = "http://www.w3.org/ns/org#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORV = "https://orgroles.invalid/vocab#"
ID = "https://orgroles.invalid/id/"
PREFIXES = {
    "org": ORG,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "xsd": XSD,
    "foaf": FOAF,
    "orv": ORV,
    "id": ID,
}


class Literal(NamedTuple):
    """A literal: text with a language, or a typed value (``xsd:integer``, ``xsd:boolean``)."""

    value: str | int | bool
    lang: str | None = None


Triple = tuple[str, str, str | Literal]


def triples(ix: OrgIndex) -> list[Triple]:
    """Return every triple of the organisation, sorted."""
    out: list[Triple] = []
    org = ix.org
    whole = ID + "organisation"
    out.append((whole, RDF + "type", ORG + "FormalOrganization"))
    name = org.meta.organisation or org.meta.title
    out += _labels(whole, RDFS + "label", name.nb, name.en)
    for role in org.roles:
        node = ID + role.id
        out.append((node, RDF + "type", ORG + "Role"))
        if role.id not in ix.role_posts:
            out.append((node, RDF + "type", ORG + "Post"))
        out += _labels(node, SKOS + "prefLabel", role.name.nb, role.name.en)
        if role.count is not None:
            out.append((node, ORV + "count", Literal(role.count.value)))
            out.append((node, ORV + "approximate", Literal(role.count.approximate)))
    for post in org.posts:
        node = ID + post.id
        out.append((node, RDF + "type", ORG + "Post"))
        out += _labels(node, RDFS + "label", ix.label(post.id, "nb"), ix.label(post.id, "en"))
        if post.role is not None:
            out.append((node, ORG + "role", ID + post.role.id))
        out.append((node, ORG + "postIn", ID + post.heads.id if post.heads else whole))
        if post.vacant:
            out.append((node, ORV + "vacant", Literal(True)))
        for i, holder in enumerate(post.holders, start=1):
            person = f"{node}/holder/{i}"
            out.append((person, RDF + "type", FOAF + "Person"))
            out.append((person, FOAF + "name", Literal(holder.name)))
            out.append((node, ORG + "heldBy", person))
            out.append((person, ORG + "holds", node))
            if holder.email:
                out.append((person, FOAF + "mbox", "mailto:" + holder.email))
            if holder.external_id:
                out.append((person, ORV + "externalId", Literal(holder.external_id)))
            if holder.acting:
                out.append((person, ORV + "acting", Literal(True)))
            for predicate, value in (("from", holder.from_), ("until", holder.until)):
                if value:
                    out.append((person, ORV + predicate, Literal(value)))
    for node, up in ix.line.target.items():
        out.append((ID + node, ORG + "reportsTo", ID + up))
    for unit in org.units:
        node = ID + unit.id
        out.append((node, RDF + "type", ORG + "OrganizationalUnit"))
        out += _labels(node, RDFS + "label", unit.name.nb, unit.name.en)
        out.append((node, ORV + "unitKind", ORV + unit.kind.id))
        parent = ID + unit.part_of.id if unit.part_of else whole
        out.append((node, ORG + "unitOf", parent))
        out.append((parent, ORG + "hasUnit", node))
    for forum in org.forums:
        node = ID + forum.id
        out.append((node, RDF + "type", ORV + "Forum"))
        out += _labels(node, RDFS + "label", forum.name.nb, forum.name.en)
        out.append((node, ORV + "forumKind", ORV + forum.kind.id))
        for member in forum.members:
            verb = "attends" if member.participation == "attends" else "memberOf"
            out.append((ID + member.id, ORV + verb, node))
    for relation in org.relations:
        if relation.to is not None:
            out.append((ID + relation.from_.id, ORV + _camel(relation.type), ID + relation.to.id))
    for kind in org.vocabulary.authority_kinds:
        out.append((ORV + kind.id, RDF + "type", ORV + "AuthorityKind"))
        out += _labels(ORV + kind.id, SKOS + "prefLabel", kind.name.nb, kind.name.en)
    counters: dict[str, int] = {}
    for holding in holdings(ix):
        counters[holding.role.id] = counters.get(holding.role.id, 0) + 1
        node = f"{ID}{holding.role.id}/authority/{counters[holding.role.id]}"
        out.append((node, RDF + "type", ORV + "Authority"))
        out.append((ID + holding.role.id, ORV + "holds", node))
        out.append((node, ORV + "kind", ORV + holding.kind.id))
        out.append((node, ORV + "basis", Literal(holding.basis)))
        if holding.qualifier:
            out.append((node, ORV + "qualifier", ORV + holding.qualifier.id))
        if holding.scope:
            out.append((node, ORV + "scope", ORV + holding.scope.id))
        for over in holding.over:
            out.append((node, ORV + "over", ID + over.id))
        wording = holding.wording.get("nb")
        if wording:
            out.append((node, ORV + "wording", Literal(wording, "nb")))
        if holding.slides:
            out.append((node, ORV + "slides", Literal(",".join(map(str, holding.slides)))))
    return sorted(set(out), key=lambda t: (t[0], t[1], _sort_key(t[2])))


def _labels(node: str, predicate: str, nb: str | None, en: str | None) -> list[Triple]:
    return [
        (node, predicate, Literal(text, lang)) for text, lang in ((nb, "nb"), (en, "en")) if text
    ]


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)


def _sort_key(obj: str | Literal) -> tuple[int, str]:
    return (1, json.dumps(obj)) if isinstance(obj, Literal) else (0, obj)


def _turtle_literal(literal: Literal) -> str:
    value = literal.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"@{literal.lang}' if literal.lang else f'"{escaped}"'


def _turtle_iri(iri: str) -> str:
    for prefix, base in PREFIXES.items():
        rest = iri[len(base) :]
        if iri.startswith(base) and rest and all(c.isalnum() or c in "_-" for c in rest):
            return f"{prefix}:{rest}"
    escaped = "".join(c if c not in '<>"{}|^`\\ ' else f"%{ord(c):02X}" for c in iri)
    return f"<{escaped}>"


def to_turtle(ix: OrgIndex, lang: Lang) -> str:
    """Return the organisation as Turtle."""
    lines = [f"@prefix {prefix}: <{base}> ." for prefix, base in PREFIXES.items()]
    subject = None
    for s, p, o in triples(ix):
        obj = _turtle_literal(o) if isinstance(o, Literal) else _turtle_iri(o)
        pred = "a" if p == RDF + "type" else _turtle_iri(p)
        if s != subject:
            if subject is not None:
                lines[-1] += " ."
            lines.append(f"\n{_turtle_iri(s)} {pred} {obj}")
            subject = s
        else:
            lines[-1] += " ;"
            lines.append(f"    {pred} {obj}")
    if subject is not None:
        lines[-1] += " ."
    return "\n".join(lines) + "\n"


def to_jsonld(ix: OrgIndex, lang: Lang) -> str:
    """Return the organisation as JSON-LD (expanded IRIs under a small ``@context``)."""
    nodes: dict[str, dict[str, list[object]]] = {}
    for s, p, o in triples(ix):
        node = nodes.setdefault(s, {})
        if p == RDF + "type":
            node.setdefault("@type", []).append(o)
            continue
        if isinstance(o, Literal):
            value: object = (
                {"@value": o.value, "@language": o.lang} if o.lang else {"@value": o.value}
            )
        else:
            value = {"@id": o}
        node.setdefault(p, []).append(value)
    graph = [{"@id": s, **props} for s, props in nodes.items()]
    document = {"@context": dict(PREFIXES), "@graph": graph}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
