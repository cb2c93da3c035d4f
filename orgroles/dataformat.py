"""The organisation file format (``orgroles/1``), defined once: the loader and the JSON Schema.

Documented for people in ``docs/data-format.md``; ``orgroles schema`` prints the JSON Schema and
``orgroles/schema/roles.schema.json`` is the same schema, checked in for editors.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Any

from orgroles import FORMAT_VERSION
from orgroles.names import IGNORABLE
from orgroles.spec import (
    Boolean,
    Either,
    Enum,
    Field,
    Integer,
    List,
    Nullable,
    Object,
    Spec,
    Text,
)

SCHEMA_ID = "https://orgroles.invalid/schema/orgroles-1.json"

STATUSES = ("stated", "inferred", "unspecified")
RELATION_TYPES = (
    "advises",
    "accountable_to",
    "cooperates_with",
    "dialogue_partner",
    "facilitates",
    "result_agreement",
    "supports",
)
PARTICIPATION = ("member", "attends")


def _is_date(text: str) -> bool:
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


_ASCII_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")  # is_id of an ASCII text
_INVISIBLE = re.compile(f"[{IGNORABLE}]")  # Unicode's default-ignorable characters
ID_RULE = "letters, digits, '_', '.', '-'; no spaces or invisible characters"


# \w does not cover combining marks; allow them so NFD-written ids reach the NFC duplicate check.
def is_id(text: str) -> bool:
    """Whether ``text`` is a valid id: in its composed form (NFC), a letter, digit or ``_``,
    then letters, digits, ``_``, ``.``, ``-`` and combining marks (any script's accents: an
    id is the same however its letters were composed), none of them invisible (a Hangul
    filler is a letter and a variation selector a mark, but two ids differing only by one
    would look the same)."""
    if text.isascii():  # the usual case, in one step
        return _ASCII_ID.fullmatch(text) is not None
    composed = unicodedata.normalize("NFC", text)
    if _INVISIBLE.search(composed):
        return False
    if not composed or not (composed[0].isalnum() or composed[0] == "_"):
        return False
    return all(
        ch.isalnum() or ch in "_.-" or unicodedata.category(ch).startswith("M")
        for ch in composed[1:]
    )


ID = Text(
    schema_pattern=r"[\w][\w\u0300-\u036f.\-]*",  # (the schema's: other scripts' marks aside)
    valid=is_id,
    explain=f"a valid id ({ID_RULE})",
    description="A stable identifier, unique in its namespace.",
    nfc=True,  # an id and a reference to it match in any Unicode form (as the checks compare)
)
DATE = Text(pattern=r"\d{4}-\d{2}-\d{2}", explain="a real date written YYYY-MM-DD", valid=_is_date)
TEXT = Text()

LANG_TEXT: Spec = Either(
    TEXT,
    Object(
        "LangText",
        "Text in bokmål (nb) and English (en). Plain text is taken as bokmål.",
        {
            "nb": Field(TEXT, doc="Norwegian bokmål."),
            "en": Field(TEXT, doc="English."),
        },
    ),
    short_key="nb",
)

SOURCE = Object(
    "Source",
    "Where a fact comes from, and whether the source states it or it is inferred.",
    {
        "slides": Field(List(Integer(minimum=1)), doc="Slide (page) numbers in the source."),
        "status": Field(
            Enum(*STATUSES),
            doc="stated (default): the source says so; inferred: we concluded it; "
            "unspecified: the source leaves it open.",
        ),
        "quote": Field(TEXT, doc="The source's exact words."),
        "document": Field(TEXT, doc="The source document, when not the file's main one."),
        "note": Field(TEXT, doc="A remark on the reading (in English)."),
    },
)


def _ref(name: str, doc: str) -> Spec:
    return Either(
        ID,
        Object(
            name,
            doc + " Long form of a reference, with its own provenance.",
            {
                "id": Field(ID, required=True, doc="The id referred to."),
                "source": Field(SOURCE),
                "note": Field(TEXT),
            },
        ),
        short_key="id",
    )


REF = _ref("Ref", "A reference to an id.")
ALIASES = List(TEXT)

TERM_FIELDS = {
    "id": Field(ID, required=True),
    "name": Field(LANG_TEXT, required=True),
    "aliases": Field(ALIASES, doc="Other names people type (inflections, synonyms, English)."),
    "description": Field(LANG_TEXT),
}
TERM = Object("Term", "An entry of a controlled vocabulary.", TERM_FIELDS)

AUTHORITY_KIND = Object(
    "AuthorityKind",
    "A kind of responsibility or authority (ansvar, fullmakt).",
    {
        **TERM_FIELDS,
        "related": Field(
            List(
                Object(
                    "RelatedKind",
                    "A kind related to this one, without merging the two.",
                    {
                        "kind": Field(ID, required=True),
                        "relation": Field(Enum("broader", "narrower", "related"), required=True),
                        "note": Field(TEXT),
                    },
                )
            )
        ),
        "categories": Field(
            List(TERM),
            doc="Categories a delegation's limits may name (purchase, contract, payment ...).",
        ),
    },
)

VOCABULARY = Object(
    "Vocabulary",
    "Controlled vocabularies that facts refer to by id.",
    {
        "authority_kinds": Field(List(AUTHORITY_KIND)),
        "qualifiers": Field(List(TERM)),
        "scopes": Field(List(TERM)),
        "unit_kinds": Field(List(TERM)),
        "forum_kinds": Field(List(TERM)),
    },
)

GRANT_FIELDS = {
    "kind": Field(REF, required=True, doc="An authority kind id."),
    "qualifier": Field(REF, doc="A qualifier id (overordnet, delegert ...); none = direct."),
    "scope": Field(REF, doc="A scope id; omitted = the source does not say."),
    "over": Field(List(REF), doc="Roles or posts the authority is exercised over."),
    "on_behalf_of": Field(REF, doc="The role or post on whose behalf it is exercised."),
    "designation": Field(LANG_TEXT, doc="The title under which one holder exercises it."),
    "source": Field(SOURCE),
    "note": Field(TEXT),
}
GRANT = Object("Grant", "An authority that a function confers.", GRANT_FIELDS)

AUTHORITY = Object(
    "Authority",
    "A responsibility or authority held by a role, with the source's exact wording.",
    {
        **GRANT_FIELDS,
        "text": Field(LANG_TEXT, required=True, doc="The exact wording."),
        "details": Field(List(LANG_TEXT), doc="Sub-points under the wording."),
    },
)

ITEM = Object(
    "Item",
    "A statement (focus area, challenge, task, duty, principle) with optional sub-points.",
    {
        "text": Field(LANG_TEXT, required=True),
        "details": Field(List(LANG_TEXT)),
        "same_as": Field(REF, doc="The statement refers to another role's list ('Som rådmannen')."),
        "source": Field(SOURCE),
        "note": Field(TEXT),
    },
)

FUNCTION = Object(
    "Function",
    "A role or function (roller og funksjoner) of a role.",
    {
        "id": Field(ID),
        "text": Field(LANG_TEXT, required=True),
        "details": Field(List(LANG_TEXT)),
        "confers": Field(List(GRANT), doc="Authorities the function confers."),
        "source": Field(SOURCE),
        "note": Field(TEXT),
    },
)

COUNT = Either(
    Integer(),
    Object(
        "Count",
        "How many: a number (`count: 3`), or this long form with 'about' and provenance.",
        {
            "value": Field(Integer(), required=True),
            "approximate": Field(Boolean(), doc="true when the source says 'about' (ca.)."),
            "source": Field(SOURCE),
            "note": Field(TEXT),
        },
    ),
    short_key="value",
)

ENTITY_FIELDS = {
    "id": Field(ID, required=True),
    "aliases": Field(ALIASES, doc="Other names people type (inflections, synonyms, English)."),
    "source": Field(SOURCE),
    "note": Field(TEXT),
}

ROLE = Object(
    "Role",
    "A leader role (a class of posts), with what holders of the role do and may do.",
    {
        **ENTITY_FIELDS,
        "name": Field(LANG_TEXT, required=True),
        "plural": Field(LANG_TEXT),
        "count": Field(COUNT),
        "reports_to": Field(
            Nullable(REF), doc="The role (or post) its holders report to in the line."
        ),
        "functions": Field(List(FUNCTION)),
        "authorities": Field(List(AUTHORITY)),
        "focus": Field(List(ITEM)),
        "challenges": Field(List(ITEM)),
        "tasks": Field(List(ITEM)),
        "duties": Field(List(ITEM)),
    },
)

EMAIL = Text(
    pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+",
    explain="an e-mail address (name@example.org)",
    description="An e-mail address.",
)

HOLDER = Either(
    TEXT,
    Object(
        "Holder",
        "A person who holds a post: a name (`holders: [Kari Nordmann]`), or this long form.",
        {
            "name": Field(TEXT, required=True, doc="The person's name as people write it."),
            "email": Field(EMAIL),
            "external_id": Field(TEXT, doc="The person's id in an HR system (ansattnummer)."),
            "acting": Field(
                Boolean(), doc="true for an acting or interim holder (konstituert, fungerende)."
            ),
            "from": Field(DATE, doc="The first day the person holds the post."),
            "until": Field(DATE, doc="The last day; a holder with `until` may be a former one."),
            "source": Field(SOURCE),
            "note": Field(TEXT),
        },
    ),
    short_key="name",
)

POST = Object(
    "Post",
    "One position. It reports to one post, or to a role when the source does not say which post.",
    {
        **ENTITY_FIELDS,
        "role": Field(REF),
        "title": Field(LANG_TEXT, doc="The post's own title, when it has one."),
        "portfolio": Field(LANG_TEXT, doc="The portfolio the post covers."),
        "heads": Field(REF, doc="The unit the post heads."),
        "reports_to": Field(Nullable(REF)),
        "staff": Field(
            COUNT,
            doc="People under the post who are not listed (3 sales reps, ca. 40 in home care).",
        ),
        "holders": Field(List(HOLDER), doc="Who holds the post (personal data: see --no-people)."),
        "vacant": Field(Boolean(), doc="true when nobody holds the post now."),
    },
)

UNIT = Object(
    "Unit",
    "An organisational unit: a programme area, a support unit, a department ...",
    {
        **ENTITY_FIELDS,
        "kind": Field(REF, required=True, doc="A unit kind id."),
        "name": Field(LANG_TEXT, required=True),
        "as_written": Field(TEXT, doc="The source's raw text, where the name normalises it."),
        "part_of": Field(REF),
    },
)

MEMBER = Either(
    ID,
    Object(
        "Member",
        "Who takes part in a forum, and how.",
        {
            "id": Field(ID, required=True),
            "participation": Field(Enum(*PARTICIPATION)),
            "source": Field(SOURCE),
            "note": Field(TEXT),
        },
    ),
    short_key="id",
)

FORUM = Object(
    "Forum",
    "A forum, body or outside party (ledermøte, kommunestyret, KS ...).",
    {
        **ENTITY_FIELDS,
        "kind": Field(REF, required=True, doc="A forum kind id."),
        "name": Field(LANG_TEXT, required=True),
        "part_of": Field(REF),
        "members": Field(List(MEMBER)),
    },
)

RELATION = Object(
    "Relation",
    "A typed relation other than the reporting line.",
    {
        "type": Field(Enum(*RELATION_TYPES), required=True),
        "from": Field(REF, required=True),
        "to": Field(Nullable(REF), required=True, doc="null when the source does not say."),
        "source": Field(SOURCE),
        "note": Field(TEXT),
    },
)

PRINCIPLE = Object(
    "Principle",
    "A principle of organisation or leadership, with its statements.",
    {
        "id": Field(ID, required=True),
        "name": Field(LANG_TEXT, required=True),
        "statements": Field(List(ITEM)),
        "source": Field(SOURCE),
        "note": Field(TEXT),
    },
)

SCORECARD = Object(
    "Scorecard",
    "A scorecard (målekart) and its perspectives.",
    {
        "name": Field(LANG_TEXT, required=True),
        "perspectives": Field(List(TERM), required=True),
        "source": Field(SOURCE),
        "note": Field(TEXT),
    },
)

SKETCH = Object(
    "Sketch",
    "An organisation sketch: its labels in the source's order, no geometry.",
    {
        "title": Field(LANG_TEXT, required=True),
        "elements": Field(
            List(
                Object(
                    "SketchElement",
                    "One label of the sketch, and what it may stand for.",
                    {
                        "id": Field(ID, required=True),
                        "name": Field(LANG_TEXT, required=True),
                        "represents": Field(List(REF)),
                        "source": Field(SOURCE),
                        "note": Field(TEXT),
                    },
                )
            ),
            required=True,
        ),
        "source": Field(SOURCE),
        "note": Field(TEXT),
    },
)

META = Object(
    "Meta",
    "About the file and the source it encodes.",
    {
        "title": Field(LANG_TEXT, required=True),
        "organisation": Field(LANG_TEXT),
        "date": Field(DATE, doc="The date of the source (YYYY-MM-DD)."),
        "document": Field(TEXT, doc="The main source document."),
        "require_sources": Field(
            Boolean(), doc="true: every fact needs a source; false (default): sources optional."
        ),
        "max_span": Field(
            Integer(minimum=1),
            doc="The widest span of control allowed: stats warns above it, validate --strict "
            "fails.",
        ),
        "source": Field(SOURCE),
        "note": Field(TEXT),
    },
)

# --- delegation: who may decide what, by whose grant (docs/data-format.md#delegations) ------

CURRENCY = Text(
    pattern=r"[A-Z]{3}",
    explain="a currency code of three capital letters (NOK, EUR)",
    description="An ISO 4217 currency code.",
)
LIMIT_PERIODS = ("case", "year")

BASIS = Object(
    "Basis",
    "What a grant or a reservation rests on: a law and section, or a decision (or both).",
    {
        "law": Field(TEXT, doc="The law, e.g. kommuneloven."),
        "section": Field(TEXT, doc="The section, e.g. § 13-1; omitted = not stated."),
        "decision": Field(TEXT, doc="The decision's reference, e.g. KS-sak 45/23."),
        "date": Field(DATE, doc="The date of the decision (YYYY-MM-DD)."),
        "note": Field(TEXT),
    },
)

LIMIT = Object(
    "Limit",
    "The most a holder may decide: an amount in a currency, per case or per year.",
    {
        "amount": Field(Integer(), required=True, doc="The largest amount, in whole units."),
        "currency": Field(CURRENCY, required=True),
        "per": Field(Enum(*LIMIT_PERIODS), required=True, doc="case or year."),
        "category": Field(REF, doc="A category of the grant's kind; omitted = every category."),
        "source": Field(SOURCE),
        "note": Field(TEXT),
    },
)

DELEGATION = Object(
    "Delegation",
    "A power (an authority kind) granted by a body, role or post to a role or post.",
    {
        "id": Field(ID, required=True, doc="The grant's id (unique among the delegations)."),
        "kind": Field(REF, required=True, doc="The authority kind granted."),
        "by": Field(
            Nullable(REF),
            required=True,
            doc="The body (forum), role or post that grants it; null: nobody in the "
            "organisation (the law grants it, when basis.law is given; else the source does "
            "not say who).",
        ),
        "to": Field(REF, required=True, doc="The role or post that holds it."),
        "from": Field(
            ID,
            doc="The grant it is sub-delegated from (default: the grantor's one grant of the "
            "same kind).",
        ),
        "scope": Field(REF, doc="A scope id; omitted = the delegator's scope."),
        "basis": Field(BASIS),
        "limits": Field(List(LIMIT)),
        "conditions": Field(List(LANG_TEXT), doc="Conditions, in words."),
        "may_delegate": Field(
            Boolean(), doc="true: may be delegated further; false: may not; omitted: not stated."
        ),
        "text": Field(LANG_TEXT, doc="The grant's own wording."),
        "source": Field(SOURCE),
        "note": Field(TEXT),
    },
)

RESERVATION = Object(
    "Reservation",
    "A power reserved to a body (by law or by its own decision): it may not be delegated.",
    {
        "kind": Field(REF, required=True, doc="The authority kind reserved."),
        "to": Field(REF, required=True, doc="The body (forum) that keeps it."),
        "basis": Field(BASIS),
        "text": Field(LANG_TEXT),
        "source": Field(SOURCE),
        "note": Field(TEXT),
    },
)

ORGANISATION = Object(
    "Organisation",
    "An orgroles organisation file.",
    {
        "format": Field(Enum(FORMAT_VERSION), required=True, doc="The format version."),
        "meta": Field(META, required=True),
        "vocabulary": Field(VOCABULARY),
        "roles": Field(List(ROLE)),
        "posts": Field(List(POST)),
        "units": Field(List(UNIT)),
        "forums": Field(List(FORUM)),
        "relations": Field(List(RELATION)),
        "principles": Field(List(PRINCIPLE)),
        "scorecard": Field(SCORECARD),
        "sketch": Field(SKETCH),
        "delegations": Field(List(DELEGATION), doc="Who may decide what, by whose grant."),
        "reserved": Field(List(RESERVATION), doc="Powers reserved to a body: not delegable."),
    },
)


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the organisation file format."""
    defs: dict[str, Any] = {}
    root = ORGANISATION.schema(defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "orgroles organisation file (" + FORMAT_VERSION + ")",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def fields_table() -> str:
    """Return every object of the format with its required and optional keys, as Markdown.

    docs/data-format.md holds this table (``tests/test_schema.py`` fails when it drifts).
    """
    from orgroles.spec import Either, List, Nullable

    seen: dict[str, Object] = {}

    def visit(spec: Spec) -> None:
        if isinstance(spec, Either):
            visit(spec.long)
        elif isinstance(spec, (List, Nullable)):
            visit(spec.item if isinstance(spec, List) else spec.inner)
        elif isinstance(spec, Object) and spec.name not in seen:
            seen[spec.name] = spec
            for field in spec.fields.values():
                visit(field.spec)

    visit(ORGANISATION)
    rows = ["| object | required | optional |", "| --- | --- | --- |"]
    for name, spec in seen.items():
        required = ", ".join(f"`{k}`" for k in spec.fields if k in spec.required) or "–"
        optional = ", ".join(f"`{k}`" for k in spec.fields if k not in spec.required) or "–"
        rows.append(f"| {name} | {required} | {optional} |")
    return "\n".join(rows) + "\n"
