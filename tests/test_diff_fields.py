"""diff misses nothing: every field of the model is compared, and an edit of one field is
reported once, as that field (by its own change, or by its path). Works from the model's type
hints (tests/edits.py), so a field added to the model is covered without a change here."""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple, get_type_hints

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from orgroles.index import build_index
from orgroles.load import load_bytes, load_org
from orgroles.model import Lang, LangText, Member, Org, Ref
from orgroles.queries.diff import (
    IGNORED,
    NAME_FIELD,
    SPECIFIC,
    Change,
    is_record_type,
    plan,
)
from orgroles.queries.diff import compare as _compare
from tests import edits
from tests.conftest import DATA, ROOT, property_examples, reading
from tests.test_line_oracle import organisations

COMPANY = ROOT / "docs" / "examples" / "company.yaml"
DELEGATION = ROOT / "docs" / "examples" / "delegation.yaml"
# per property; long runs: more
EXAMPLES = property_examples(25, "ORGROLES_DIFF_EXAMPLES")
PLANS = {
    "ignored", "name_changed", "moved", "count_changed", "heads_changed", "part_of_changed",
    "authorities", "members", "source_changed", "by_id", "in_order", "as_set", "whole",
    "fields", "value",
}  # fmt: skip
SCALARS = {str, int, float, bool, type(None)}


@cache
def examples() -> tuple[Org, ...]:
    """The company example (small, fast to reload), the bundled data (most kinds of record)
    and the delegation register (limits, reserved powers), each with spare things whose ids
    nothing refers to (so an id can change)."""
    paths = (COMPANY, DATA, DELEGATION)
    return tuple(edits.with_spare_things(load_org(p, use_cache=False)) for p in paths)


@cache
def seen() -> dict[tuple[type, str], list[Any]]:
    return edits.seen_values(list(examples()))


compare = reading(_compare)


def changes(old: Org, new: Org, lang: Lang = "nb") -> tuple[Change, ...]:
    changed: tuple[Change, ...] = compare(build_index(old), build_index(new), lang=lang).changes
    return changed


def test_the_walk_knows_every_field_reachable_from_the_organisation() -> None:
    found = edits.reachable()
    assert len(found) > 100
    for cls, field in found:
        assert plan(cls, field) in PLANS, (cls.__name__, field)
        hint = get_type_hints(cls)[field]
        for leaf in edits._leaf_types(hint):
            assert leaf in SCALARS or is_record_type(leaf), (cls.__name__, field, leaf)
    assert {(cls, field) for cls, field in found if plan(cls, field) == "ignored"} == IGNORED


def test_every_specific_change_names_a_field_of_the_model() -> None:
    for cls, field in [*SPECIFIC, *NAME_FIELD.items()]:
        assert field in getattr(cls, "_fields"), (cls.__name__, field)  # noqa: B009


def test_plans_of_a_few_fields() -> None:
    from orgroles import model

    assert plan(model.Role, "tasks") == "in_order"
    assert plan(model.Role, "aliases") == "as_set"
    assert plan(model.Source, "slides") == "whole"
    assert plan(model.Org, "roles") == "by_id"
    assert plan(model.Role, "name") == "name_changed"
    assert plan(model.Post, "title") == "name_changed"
    assert plan(model.Item, "source") == "source_changed"
    assert plan(model.Meta, "date") == "value"
    assert plan(model.Org, "meta") == "fields"


def expectation(site: edits.Site) -> set[str] | None:
    """The two changes an edit gives when it changes what a thing is known by (documented in
    docs/json.md): another member is one removed and one added; so is another authority kind."""
    if site.cls is Member and site.field == "id":
        return {"member_removed", "member_added"}
    if site.cls is Ref and site.field == "id" and site.steps[-4::2] == ("authorities", "kind"):
        return {"authority_lost", "authority_gained"}
    return None


def check(old: Org, new: Org, site: edits.Site, lang: Lang = "nb") -> None:
    """The edit at ``site`` is reported once, as that field."""
    where = edits.diff_path(old, new, site.steps)
    found = changes(old, new, lang)
    pair = expectation(site)
    if pair is not None and {c.change for c in found} == pair:
        in_list = where.rsplit("[", 1)[0]  # roles[x].authorities[2].kind.id -> ….authorities
        assert len(found) == 2 and all(edits.covers(c.path, in_list) for c in found), found
        return
    assert len(found) == 1, (where, found)
    assert edits.covers(found[0].path, where), (where, found)
    assert found[0].change in ("added", "removed") or found[0].old != found[0].new, found


def _first_edit(cls: type, field: str) -> tuple[Org, Org, edits.Site] | None:
    """The first valid edit of the field in the examples; a field holding a record that can
    be neither removed nor replaced (a grant's wording) is edited through one of its fields.
    A type no example has (one new in the model) is first added to an example."""
    orgs: tuple[Org | None, ...] = examples()
    if not any(s.cls is cls for org in examples() for s in edits.sites(org)):
        orgs = tuple(edits.plant(org, cls) for org in examples())
    for org in filter(None, orgs):
        occurrences = [s for s in edits.sites(org) if (s.cls, s.field) == (cls, field)][:12]
        for site in occurrences:
            edited = edits.edit(org, site, seen())
            if edited is not None:
                return org, edited, site
            if is_record_type(type(site.value)):
                for inner in (s for s in edits.sites(org) if s.steps[:-1] == site.steps):
                    edited = edits.edit(org, inner, seen())
                    if edited is not None:
                        return org, edited, inner
    return None


def _edited_through_its_fields(cls: type, field: str) -> bool:
    """A record that is always there (``Org.meta``, ``Item.text``) is edited field by field."""
    return is_record_type(get_type_hints(cls)[field])


FIELDS = [
    (c, f)
    for c, f in edits.reachable()
    if (c, f) not in IGNORED and not _edited_through_its_fields(c, f)
]


# The quick tier edits every fifth field (each edit reloads a whole file); --full edits all.
@pytest.mark.parametrize(
    ("cls", "field"),
    [
        pytest.param(c, f, id=f"{c.__name__}.{f}", marks=() if i % 5 == 0 else pytest.mark.slow)
        for i, (c, f) in enumerate(FIELDS)
    ],
)
def test_an_edit_of_each_field_is_reported_once(cls: type, field: str) -> None:
    found = _first_edit(cls, field)
    assert found is not None, f"no valid edit of {cls.__name__}.{field} in the examples"
    check(*found)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_random_edit_of_one_field_is_reported_once_as_that_field(data: st.DataObject) -> None:
    org = examples()[data.draw(st.integers(0, 1), label="organisation (company, bundled)")]
    every = list(edits.sites(org))
    site = every[data.draw(st.integers(0, len(every) - 1), label="site")]
    edited = edits.edit(org, site, seen())
    assume(edited is not None)
    assert edited is not None
    check(org, edited, site, data.draw(st.sampled_from(["nb", "en"]), label="lang"))


def test_a_record_no_example_has_is_added_to_be_edited() -> None:
    from orgroles.model import Item

    company = examples()[0]
    assert not any(s.cls is Item for s in edits.sites(company))
    planted = edits.plant(company, Item)
    assert planted is not None
    site = next(s for s in edits.sites(planted) if (s.cls, s.field) == (Item, "note"))
    edited = edits.edit(planted, site, seen())
    assert edited is not None
    check(planted, edited, site)
    assert [(c.change, c.path) for c in changes(company, planted)] == [
        ("changed", "roles[employee_spare].focus[0]")  # the planted statement
    ]


class Holder(NamedTuple):
    """A record the model does not have (yet): who holds a post."""

    name: str
    email: str | None = None
    acting: bool = False


class PostWithHolders(NamedTuple):
    """A post with fields the model does not have (yet)."""

    id: str
    holders: tuple[Holder, ...] = ()
    vacant: bool = False


def test_fields_unknown_to_the_diff_are_compared_from_their_type_hints() -> None:
    from orgroles.queries.diff import NONE, _Diff, _Where

    ix = build_index(examples()[0])
    old = PostWithHolders("p", (Holder("Kari Nordmann"), Holder("Ola Hansen")))
    new = PostWithHolders("p", (Holder("Kari Nordmann", acting=True),), vacant=True)
    walk = _Diff(ix, ix)
    where = _Where("post", "p", LangText("P", None), "posts[p]")
    walk.value(old, new, "posts[p]", where, NONE, "fields")
    assert [(c.change, c.field, c.old, c.new) for c in walk.out] == [
        ("changed", "holders[0].acting", False, True),
        ("changed", "holders[1]", {"name": "Ola Hansen", "email": None, "acting": False}, None),
        ("changed", "vacant", False, True),
    ]
    assert plan(PostWithHolders, "holders") == "in_order"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(text=organisations(), data=st.data())
def test_a_random_edit_of_a_generated_organisation_is_reported_once(
    text: str, data: st.DataObject
) -> None:
    """The same on organisations generated with every way of stating a line (lines, counts,
    staff, roles with and without posts: tests/test_line_oracle.py)."""
    org = load_bytes(text.encode(), "generated.yaml", use_cache=False)
    every = list(edits.sites(org))
    site = every[data.draw(st.integers(0, len(every) - 1), label="site")]
    edited = edits.edit(org, site, edits.seen_values([org]))
    assume(edited is not None)
    assert edited is not None
    check(org, edited, site, data.draw(st.sampled_from(["nb", "en"]), label="lang"))
