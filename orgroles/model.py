"""The organisation as frozen, typed data, built from a validated file (``from_data``).

Nothing here checks input: ``orgroles.load`` validates the file (structure and meaning) before
``from_data`` is called, so every id referred to exists and every value has its type.
"""

from typing import Any, Literal, NamedTuple

Lang = Literal["nb", "en"]
LANGS: tuple[Lang, ...] = ("nb", "en")


class LangText(NamedTuple):
    """Text in bokmål and English; either may be missing."""

    nb: str | None
    en: str | None

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` (``en``, else bokmål), falling back to the other."""
        first, second = (self.en, self.nb) if lang == "en" else (self.nb, self.en)
        return first or second or ""


class Source(NamedTuple):
    """Provenance of a fact: slides, status (stated, inferred, unspecified), quote, note."""

    slides: tuple[int, ...] = ()
    status: str = "stated"
    quote: str | None = None
    document: str | None = None
    note: str | None = None


class Ref(NamedTuple):
    """A reference to an id, with its own provenance when the file gives one."""

    id: str
    source: Source | None = None
    note: str | None = None


class Term(NamedTuple):
    """An entry of a controlled vocabulary."""

    id: str
    name: LangText
    aliases: tuple[str, ...] = ()
    description: LangText | None = None


class RelatedKind(NamedTuple):
    """A link between two authority kinds (e.g. budsjettansvar, broader: okonomiansvar)."""

    kind: str
    relation: str
    note: str | None = None


class AuthorityKind(NamedTuple):
    """A kind of responsibility or authority."""

    id: str
    name: LangText
    aliases: tuple[str, ...] = ()
    description: LangText | None = None
    related: tuple[RelatedKind, ...] = ()
    categories: tuple[Term, ...] = ()


class Grant(NamedTuple):
    """An authority as held or conferred: kind, qualifier, scope and whom it covers."""

    kind: Ref
    qualifier: Ref | None = None
    scope: Ref | None = None
    over: tuple[Ref, ...] = ()
    on_behalf_of: Ref | None = None
    designation: LangText | None = None
    text: LangText | None = None
    details: tuple[LangText, ...] = ()
    source: Source | None = None
    note: str | None = None


class Item(NamedTuple):
    """A statement with optional sub-points."""

    text: LangText
    details: tuple[LangText, ...] = ()
    same_as: Ref | None = None
    source: Source | None = None
    note: str | None = None


class Function(NamedTuple):
    """A function of a role and the authorities it confers."""

    text: LangText
    id: str | None = None
    details: tuple[LangText, ...] = ()
    confers: tuple[Grant, ...] = ()
    source: Source | None = None
    note: str | None = None


class Count(NamedTuple):
    """How many hold a role; ``approximate`` when the source says 'about'."""

    value: int
    approximate: bool = False
    source: Source | None = None
    note: str | None = None


class Role(NamedTuple):
    """A leader role: a class of posts with shared functions and authorities."""

    id: str
    name: LangText
    plural: LangText | None = None
    aliases: tuple[str, ...] = ()
    count: Count | None = None  # type: ignore[assignment]  # shadows tuple.count
    reports_to: Ref | None = None
    functions: tuple[Function, ...] = ()
    authorities: tuple[Grant, ...] = ()
    focus: tuple[Item, ...] = ()
    challenges: tuple[Item, ...] = ()
    tasks: tuple[Item, ...] = ()
    duties: tuple[Item, ...] = ()
    source: Source | None = None
    note: str | None = None


class Holder(NamedTuple):
    """A person who holds a post; ``acting`` for an acting or interim holder."""

    name: str
    email: str | None = None
    external_id: str | None = None
    acting: bool = False
    from_: str | None = None  # the file's ``from``
    until: str | None = None
    source: Source | None = None
    note: str | None = None


class Post(NamedTuple):
    """One position in the line."""

    id: str
    role: Ref | None = None
    title: LangText | None = None
    portfolio: LangText | None = None
    heads: Ref | None = None
    reports_to: Ref | None = None
    aliases: tuple[str, ...] = ()
    source: Source | None = None
    note: str | None = None
    staff: Count | None = None
    holders: tuple[Holder, ...] = ()
    vacant: bool = False


class Unit(NamedTuple):
    """An organisational unit (programme area, support unit ...)."""

    id: str
    kind: Ref
    name: LangText
    as_written: str | None = None
    part_of: Ref | None = None
    aliases: tuple[str, ...] = ()
    source: Source | None = None
    note: str | None = None


class Member(NamedTuple):
    """A participant of a forum."""

    id: str
    participation: str = "member"
    source: Source | None = None
    note: str | None = None


class Forum(NamedTuple):
    """A forum, body or outside party."""

    id: str
    kind: Ref
    name: LangText
    part_of: Ref | None = None
    members: tuple[Member, ...] = ()
    aliases: tuple[str, ...] = ()
    source: Source | None = None
    note: str | None = None


class Relation(NamedTuple):
    """A typed relation other than the line (advises, supports, result_agreement ...)."""

    type: str
    from_: Ref
    to: Ref | None
    source: Source | None = None
    note: str | None = None


class Principle(NamedTuple):
    """A principle and its statements."""

    id: str
    name: LangText
    statements: tuple[Item, ...] = ()
    source: Source | None = None
    note: str | None = None


class Scorecard(NamedTuple):
    """A scorecard and its perspectives."""

    name: LangText
    perspectives: tuple[Term, ...]
    source: Source | None = None
    note: str | None = None


class SketchElement(NamedTuple):
    """One label of an organisation sketch."""

    id: str
    name: LangText
    represents: tuple[Ref, ...] = ()
    source: Source | None = None
    note: str | None = None


class Sketch(NamedTuple):
    """An organisation sketch: labels in the source's order."""

    title: LangText
    elements: tuple[SketchElement, ...]
    source: Source | None = None
    note: str | None = None


class Meta(NamedTuple):
    """About the file and its main source."""

    title: LangText
    organisation: LangText | None = None
    date: str | None = None
    document: str | None = None
    require_sources: bool = False
    source: Source | None = None
    note: str | None = None
    max_span: int | None = None


class Vocabulary(NamedTuple):
    """The controlled vocabularies."""

    authority_kinds: tuple[AuthorityKind, ...] = ()
    qualifiers: tuple[Term, ...] = ()
    scopes: tuple[Term, ...] = ()
    unit_kinds: tuple[Term, ...] = ()
    forum_kinds: tuple[Term, ...] = ()


class Org(NamedTuple):
    """A whole organisation file, validated."""

    meta: Meta
    vocabulary: Vocabulary
    roles: tuple[Role, ...] = ()
    posts: tuple[Post, ...] = ()
    units: tuple[Unit, ...] = ()
    forums: tuple[Forum, ...] = ()
    relations: tuple[Relation, ...] = ()
    principles: tuple[Principle, ...] = ()
    scorecard: Scorecard | None = None
    sketch: Sketch | None = None
    file: str = ""
    warnings: tuple[tuple[int, int, str], ...] = ()  # (line, column, message), from validation
    delegations: tuple["Delegation", ...] = ()
    reserved: tuple["Reservation", ...] = ()


def line_source(entry: Role | Post) -> Source | None:
    """Return the source of the line an entry declares: its reference's, else its own."""
    ref = entry.reports_to
    return (ref.source if ref else None) or entry.source


def without_people(org: Org) -> Org:
    """Return ``org`` with every post's holders left out (``vacant`` stays: it names nobody)."""
    if not any(post.holders for post in org.posts):
        return org
    return org._replace(posts=tuple(post._replace(holders=()) for post in org.posts))


# --- building the model from validated plain data ------------------------------------------

Data = dict[str, Any]
WARNINGS = "$warnings"  # the key under which validation keeps its warnings in the plain data


_new = tuple.__new__  # a named tuple from its fields in order, without its keyword __new__


def _text(d: Data | None) -> LangText | None:
    return None if d is None else _new(LangText, (d.get("nb"), d.get("en")))


def _texts(items: list[Data] | None) -> tuple[LangText, ...]:
    return tuple(LangText(d.get("nb"), d.get("en")) for d in items or ())


def _source(d: Data | None) -> Source | None:
    if d is None:
        return None
    return Source(
        tuple(d.get("slides", ())),
        d.get("status", "stated"),
        d.get("quote"),
        d.get("document"),
        d.get("note"),
    )


def _ref(d: Data | None) -> Ref | None:
    if d is None:
        return None
    if len(d) == 1:
        return _new(Ref, (d["id"], None, None))
    return Ref(d["id"], _source(d.get("source")), d.get("note"))


def _refs(items: list[Data] | None) -> tuple[Ref, ...]:
    return tuple(Ref(d["id"], _source(d.get("source")), d.get("note")) for d in items or ())


def _term(d: Data) -> Term:
    return Term(
        d["id"],
        LangText(d["name"].get("nb"), d["name"].get("en")),
        tuple(d.get("aliases", ())),
        _text(d.get("description")),
    )


def _grant(d: Data) -> Grant:
    kind = _ref(d["kind"])
    assert kind is not None
    return Grant(
        kind=kind,
        qualifier=_ref(d.get("qualifier")),
        scope=_ref(d.get("scope")),
        over=_refs(d.get("over")),
        on_behalf_of=_ref(d.get("on_behalf_of")),
        designation=_text(d.get("designation")),
        text=_text(d.get("text")),
        details=_texts(d.get("details")),
        source=_source(d.get("source")),
        note=d.get("note"),
    )


def _item(d: Data) -> Item:
    return Item(
        LangText(d["text"].get("nb"), d["text"].get("en")),
        _texts(d.get("details")),
        _ref(d.get("same_as")),
        _source(d.get("source")),
        d.get("note"),
    )


def _items(items: list[Data] | None) -> tuple[Item, ...]:
    return tuple(_item(d) for d in items or ())


def _function(d: Data) -> Function:
    return Function(
        LangText(d["text"].get("nb"), d["text"].get("en")),
        d.get("id"),
        _texts(d.get("details")),
        tuple(_grant(g) for g in d.get("confers", ())),
        _source(d.get("source")),
        d.get("note"),
    )


def _count(count: Data | None) -> Count | None:
    if count is None:
        return None
    return Count(
        count["value"],
        count.get("approximate", False),
        _source(count.get("source")),
        count.get("note"),
    )


def _role(d: Data) -> Role:
    return Role(
        id=d["id"],
        name=LangText(d["name"].get("nb"), d["name"].get("en")),
        plural=_text(d.get("plural")),
        aliases=tuple(d.get("aliases", ())),
        count=_count(d.get("count")),
        reports_to=_ref(d.get("reports_to")),
        functions=tuple(_function(f) for f in d.get("functions", ())),
        authorities=tuple(_grant(a) for a in d.get("authorities", ())),
        focus=_items(d.get("focus")),
        challenges=_items(d.get("challenges")),
        tasks=_items(d.get("tasks")),
        duties=_items(d.get("duties")),
        source=_source(d.get("source")),
        note=d.get("note"),
    )


def _post(d: Data) -> Post:
    # The fields in Post's order (a million posts: no keyword arguments, no call for a
    # field the post leaves out).
    get = d.get
    role, title, portfolio, heads = get("role"), get("title"), get("portfolio"), get("heads")
    up, aliases, source, staff, holders = (
        get("reports_to"),
        get("aliases"),
        get("source"),
        get("staff"),
        get("holders"),
    )
    return _new(
        Post,
        (
            d["id"],
            None if role is None else _ref(role),
            None if title is None else _new(LangText, (title.get("nb"), title.get("en"))),
            None if portfolio is None else _text(portfolio),
            None if heads is None else _ref(heads),
            None if up is None else _ref(up),
            () if aliases is None else tuple(aliases),
            None if source is None else _source(source),
            get("note"),
            None if staff is None else _count(staff),
            () if holders is None else tuple(_holder(h) for h in holders),
            get("vacant", False),
        ),
    )


def _holder(d: Data) -> Holder:
    return Holder(
        d["name"],
        d.get("email"),
        d.get("external_id"),
        d.get("acting", False),
        d.get("from"),
        d.get("until"),
        _source(d.get("source")),
        d.get("note"),
    )


def _unit(d: Data) -> Unit:
    kind = _ref(d["kind"])
    assert kind is not None
    return Unit(
        id=d["id"],
        kind=kind,
        name=LangText(d["name"].get("nb"), d["name"].get("en")),
        as_written=d.get("as_written"),
        part_of=_ref(d.get("part_of")),
        aliases=tuple(d.get("aliases", ())),
        source=_source(d.get("source")),
        note=d.get("note"),
    )


def _forum(d: Data) -> Forum:
    kind = _ref(d["kind"])
    assert kind is not None
    return Forum(
        id=d["id"],
        kind=kind,
        name=LangText(d["name"].get("nb"), d["name"].get("en")),
        part_of=_ref(d.get("part_of")),
        members=tuple(
            Member(
                m["id"], m.get("participation", "member"), _source(m.get("source")), m.get("note")
            )
            for m in d.get("members", ())
        ),
        aliases=tuple(d.get("aliases", ())),
        source=_source(d.get("source")),
        note=d.get("note"),
    )


def _relation(d: Data) -> Relation:
    from_ = _ref(d["from"])
    assert from_ is not None
    return Relation(d["type"], from_, _ref(d.get("to")), _source(d.get("source")), d.get("note"))


def from_data(data: Data, file: str = "") -> Org:
    """Build the model from plain data that ``orgroles.load`` has validated."""
    meta = data["meta"]
    vocab = data.get("vocabulary", {})
    scorecard = data.get("scorecard")
    sketch = data.get("sketch")
    return Org(
        meta=Meta(
            LangText(meta["title"].get("nb"), meta["title"].get("en")),
            _text(meta.get("organisation")),
            meta.get("date"),
            meta.get("document"),
            meta.get("require_sources", False),
            _source(meta.get("source")),
            meta.get("note"),
            meta.get("max_span"),
        ),
        vocabulary=Vocabulary(
            authority_kinds=tuple(
                AuthorityKind(
                    k["id"],
                    LangText(k["name"].get("nb"), k["name"].get("en")),
                    tuple(k.get("aliases", ())),
                    _text(k.get("description")),
                    tuple(
                        RelatedKind(r["kind"], r["relation"], r.get("note"))
                        for r in k.get("related", ())
                    ),
                    tuple(_term(t) for t in k.get("categories", ())),
                )
                for k in vocab.get("authority_kinds", ())
            ),
            qualifiers=tuple(_term(t) for t in vocab.get("qualifiers", ())),
            scopes=tuple(_term(t) for t in vocab.get("scopes", ())),
            unit_kinds=tuple(_term(t) for t in vocab.get("unit_kinds", ())),
            forum_kinds=tuple(_term(t) for t in vocab.get("forum_kinds", ())),
        ),
        roles=tuple(_role(r) for r in data.get("roles", ())),
        posts=tuple(_post(p) for p in data.get("posts", ())),
        units=tuple(_unit(u) for u in data.get("units", ())),
        forums=tuple(_forum(f) for f in data.get("forums", ())),
        relations=tuple(_relation(r) for r in data.get("relations", ())),
        principles=tuple(
            Principle(
                p["id"],
                LangText(p["name"].get("nb"), p["name"].get("en")),
                _items(p.get("statements")),
                _source(p.get("source")),
                p.get("note"),
            )
            for p in data.get("principles", ())
        ),
        scorecard=None
        if scorecard is None
        else Scorecard(
            LangText(scorecard["name"].get("nb"), scorecard["name"].get("en")),
            tuple(_term(t) for t in scorecard["perspectives"]),
            _source(scorecard.get("source")),
            scorecard.get("note"),
        ),
        sketch=None
        if sketch is None
        else Sketch(
            LangText(sketch["title"].get("nb"), sketch["title"].get("en")),
            tuple(
                SketchElement(
                    e["id"],
                    LangText(e["name"].get("nb"), e["name"].get("en")),
                    _refs(e.get("represents")),
                    _source(e.get("source")),
                    e.get("note"),
                )
                for e in sketch["elements"]
            ),
            _source(sketch.get("source")),
            sketch.get("note"),
        ),
        file=file,
        warnings=tuple((int(w[0]), int(w[1]), str(w[2])) for w in data.get(WARNINGS, ())),
        delegations=tuple(delegation_of(d) for d in data.get("delegations", ())),
        reserved=tuple(reservation_of(r) for r in data.get("reserved", ())),
    )


# --- delegation (docs/data-format.md#delegations; the rules live in orgroles.delegation) ---


class Basis(NamedTuple):
    """What a grant rests on: a law and section, and/or a decision with its date."""

    law: str | None = None
    section: str | None = None
    decision: str | None = None
    date: str | None = None
    note: str | None = None


class Limit(NamedTuple):
    """The most a holder may decide: ``amount`` in ``currency`` per case or per year."""

    amount: int
    currency: str
    per: str
    category: Ref | None = None
    source: Source | None = None
    note: str | None = None


class Delegation(NamedTuple):
    """A power granted by a body, role or post (``by``; None: the law, or not stated) to a
    role or post, possibly sub-delegated ``from_`` another grant."""

    id: str
    kind: Ref
    by: Ref | None
    to: Ref
    from_: str | None = None
    scope: Ref | None = None
    basis: Basis | None = None
    limits: tuple[Limit, ...] = ()
    conditions: tuple[LangText, ...] = ()
    may_delegate: bool | None = None
    text: LangText | None = None
    source: Source | None = None
    note: str | None = None


class Reservation(NamedTuple):
    """A power a body keeps: no grant of its kind is allowed."""

    kind: Ref
    to: Ref
    basis: Basis | None = None
    text: LangText | None = None
    source: Source | None = None
    note: str | None = None


def _basis(d: Data | None) -> Basis | None:
    if d is None:
        return None
    return Basis(d.get("law"), d.get("section"), d.get("decision"), d.get("date"), d.get("note"))


def delegation_of(d: Data) -> Delegation:
    """Build a Delegation from validated plain data."""
    kind, to = _ref(d["kind"]), _ref(d["to"])
    assert kind is not None and to is not None
    return Delegation(
        id=d["id"],
        kind=kind,
        by=_ref(d.get("by")),
        to=to,
        from_=d.get("from"),
        scope=_ref(d.get("scope")),
        basis=_basis(d.get("basis")),
        limits=tuple(
            Limit(
                x["amount"],
                x["currency"],
                x["per"],
                _ref(x.get("category")),
                _source(x.get("source")),
                x.get("note"),
            )
            for x in d.get("limits", ())
        ),
        conditions=_texts(d.get("conditions")),
        may_delegate=d.get("may_delegate"),
        text=_text(d.get("text")),
        source=_source(d.get("source")),
        note=d.get("note"),
    )


def reservation_of(d: Data) -> Reservation:
    """Build a Reservation from validated plain data."""
    kind, to = _ref(d["kind"]), _ref(d["to"])
    assert kind is not None and to is not None
    return Reservation(
        kind,
        to,
        _basis(d.get("basis")),
        _text(d.get("text")),
        _source(d.get("source")),
        d.get("note"),
    )
