"""The questions the seed answers, asked through the library and the CLI, answers pinned."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from orgroles.errors import OrgrolesError, UnknownNameError
from orgroles.index import OrgIndex
from orgroles.queries.authority import authority_holders as _authority_holders
from orgroles.queries.authority import authority_matrix as _authority_matrix
from orgroles.queries.catalogue import forums as _forums
from orgroles.queries.catalogue import principles as _principles
from orgroles.queries.catalogue import roles as _roles
from orgroles.queries.catalogue import units as _units
from orgroles.queries.detail import show as _show
from orgroles.queries.line import common as _common
from orgroles.queries.line import reports_to as _reports_to
from orgroles.queries.line import who_reports_to as _who_reports_to
from orgroles.queries.search import search as _search
from tests.conftest import FIXTURES, Invoke, reading

authority_holders = reading(_authority_holders)
authority_matrix = reading(_authority_matrix)
forums = reading(_forums)
principles = reading(_principles)
roles = reading(_roles)
units = reading(_units)
show = reading(_show)
common = reading(_common)
reports_to = reading(_reports_to)
who_reports_to = reading(_who_reports_to)
search = reading(_search)


def holders(ix: OrgIndex, kind: str) -> list[tuple[str, str, str | None, tuple[int, ...], str]]:
    answer = authority_holders(ix, kind)
    return [
        (h.role.id, h.basis, h.scope.id if h.scope else None, h.slides, h.status)
        for h in answer.holders
    ]


# --- authority --------------------------------------------------------------------------------


def test_who_holds_budget_authority(ix: OrgIndex) -> None:
    answer = authority_holders(ix, "budget")
    assert answer.kind.id == "budsjettansvar"
    assert holders(ix, "budget") == [("kommunalsjef", "listed", "programomradet", (13,), "stated")]
    assert [n.id for n in answer.not_stated_for] == [
        "radmann",
        "direktor",
        "tjenesteleder",
        "enhetssjef",
    ]
    broader = answer.related[0]
    assert (broader.kind.id, broader.relation) == ("okonomiansvar", "broader")
    assert [(h.role.id, h.slides) for h in broader.holders] == [
        ("radmann", (8,)),
        ("kommunalsjef", (13,)),
        ("tjenesteleder", (14,)),
    ]
    delegated = answer.related[1]
    assert (delegated.kind.id, delegated.relation) == ("delegerte_fullmakter", "related")
    assert [h.role.id for h in delegated.holders] == ["tjenesteleder"]


@pytest.mark.parametrize("spelling", ["budget", "budsjettansvar", "Budsjett", "BUDGET AUTHORITY"])
def test_budget_in_any_spelling(ix: OrgIndex, spelling: str) -> None:
    assert authority_holders(ix, spelling).kind.id == "budsjettansvar"


def test_who_is_employer_for_the_enhetssjefer(ix: OrgIndex) -> None:
    over_enhetssjef = [
        h
        for h in authority_holders(ix, "employer").holders
        if "enhetssjef" in [o.id for o in h.over]
    ]
    assert [(h.role.id, h.basis, h.slides, h.status, h.wording) for h in over_enhetssjef] == [
        (
            "direktor",
            "function",
            (10, 16),
            "inferred",
            "Operativ ledelse: Linjeleder og tilrettelegger – Personalleder, arbeidsgiver for enhetsledere",
        )
    ]


def test_employer_holders_come_from_authorities_and_functions(ix: OrgIndex) -> None:
    assert holders(ix, "arbeidsgiver") == [
        ("radmann", "listed", "hele_kommunen", (8,), "stated"),
        ("radmann", "function", None, (7,), "stated"),
        ("direktor", "function", None, (10, 16), "inferred"),
        ("kommunalsjef", "function", None, (12,), "stated"),
        ("tjenesteleder", "function", "eget_tjenestested", (14,), "inferred"),
    ]


def test_who_negotiates_wages(ix: OrgIndex) -> None:
    [holding] = authority_holders(ix, "wage-negotiation").holders
    assert holding.role.id == "direktor"
    assert holding.on_behalf_of is not None and holding.on_behalf_of.id == "radmann"
    assert holding.designation == "arbeidsgiverdirektør"
    assert holding.wording == "Lønnsforhandlinger på vegne av rådmannen (arbeidsgiverdirektør)"
    assert holding.slides == (11,)


def test_what_the_kommunalsjef_may_do(ix: OrgIndex) -> None:
    detail = show(ix, "kommunalsjef")
    assert [(h.kind.id, h.basis) for h in detail.authorities] == [
        ("resultatansvar", "listed"),
        ("personalansvar", "listed"),
        ("okonomiansvar", "listed"),
        ("utviklingsansvar", "listed"),
        ("resultatstyring", "listed"),
        ("lederansettelser", "listed"),
        ("budsjettansvar", "listed"),
        ("medansvar", "function"),
        ("personalansvar", "function"),
        ("arbeidsgiveransvar", "function"),
    ]
    assert [h.status for h in detail.authorities[:3]] == [
        "inferred"
    ] * 3  # scope read from sub-points


def test_the_matrix_puts_scope_in_each_cell(ix: OrgIndex) -> None:
    matrix = authority_matrix(ix)
    kinds = [k.id for k in matrix.kinds]
    assert kinds[:6] == [
        "resultatansvar",
        "fagansvar",
        "arbeidsgiveransvar",
        "personalansvar",
        "okonomiansvar",
        "budsjettansvar",
    ]
    budget = kinds.index("budsjettansvar")
    cells = {
        row.role.id: [e.scope.id if e.scope else None for e in row.cells[budget].entries]
        for row in matrix.rows
    }
    assert cells == {
        "radmann": [],
        "direktor": [],
        "kommunalsjef": ["programomradet"],
        "tjenesteleder": [],
        "enhetssjef": [],
    }


def test_unknown_authority_kind_suggests(ix: OrgIndex) -> None:
    with pytest.raises(UnknownNameError) as info:
        authority_holders(ix, "budgett")
    assert info.value.suggestions[0].startswith("budsjettansvar")


# --- the line ---------------------------------------------------------------------------------


def test_who_reports_to_kommunalsjef(ix: OrgIndex) -> None:
    [row] = who_reports_to(ix, "kommunalsjefer").rows
    assert (row.id, row.kind, row.count, row.approximate, row.superior_unspecified) == (
        "tjenesteleder",
        "role",
        200,
        True,
        True,
    )


def test_who_reports_to_one_kommunalsjef_says_possibly(ix: OrgIndex) -> None:
    [row] = who_reports_to(ix, "kommunalsjef – kultur").rows
    assert (row.id, row.possibly, row.superior) == ("tjenesteleder", True, "kommunalsjef")


def test_who_reports_to_the_radmann(ix: OrgIndex) -> None:
    direct = who_reports_to(ix, "rådmannen").rows
    assert [r.id for r in direct][:2] == ["direktor_stab", "direktor_okonomi"]
    assert len(direct) == 4 + 9  # the posts; their roles are not nodes of the line
    assert not any(r.superior_unspecified or r.possibly for r in direct)
    everyone = who_reports_to(ix, "rådmannen", all_levels=True).rows
    assert len(everyone) == 4 + 9 + 1 + 14
    assert {r.id: r.depth for r in everyone}["tjenesteleder"] == 2
    assert {r.id: r.depth for r in everyone}["enhetssjef_hms"] == 2


def test_who_reports_to_director_lists_the_enhetssjefer(ix: OrgIndex) -> None:
    rows = who_reports_to(ix, "direktørene").rows
    assert [r.role for r in rows] == ["enhetssjef"] * 14
    assert all(r.superior == "direktor" and r.superior_unspecified for r in rows)
    assert not any(r.possibly for r in rows)  # each certainly reports to a director


def test_reports_to_ends_with_the_political_level(ix: OrgIndex) -> None:
    answer = reports_to(ix, "tjenesteleder")
    assert [(s.id, s.unspecified) for s in answer.chain] == [
        ("kommunalsjef", True),
        ("radmann", False),
    ]
    [political] = answer.accountable_to
    assert political.id == "politisk_niva" and political.slides == (7,)
    assert [b.id for b in political.bodies] == [
        "kommunestyret",
        "formannskapet",
        "politiske_organer",
    ]
    assert reports_to(ix, "radmann").chain == ()


def test_where_tjenesteleder_and_enhetssjef_meet(ix: OrgIndex) -> None:
    answer = common(ix, "tjenesteleder", "enhetssjef")
    assert answer.meet is not None and answer.meet.id == "radmann"
    assert [s.id for s in answer.path_a] == ["tjenesteleder", "kommunalsjef", "radmann"]
    assert [s.id for s in answer.path_b] == ["enhetssjef", "direktor", "radmann"]


def test_two_enhetssjefer_may_share_a_director(ix: OrgIndex) -> None:
    answer = common(ix, "enhetssjef – HMS", "enhetssjef – lønn")
    assert answer.meet is not None and answer.meet.id == "radmann"
    assert answer.possible_meet is not None and answer.possible_meet.id == "direktor"


def test_a_post_meets_its_own_superior(ix: OrgIndex) -> None:
    answer = common(ix, "direktor_hr", "radmann")
    assert answer.meet is not None and answer.meet.id == "radmann"
    assert [s.id for s in answer.path_b] == ["radmann"]


def test_forums_are_not_in_the_line(ix: OrgIndex) -> None:
    with pytest.raises(OrgrolesError, match="not part of the reporting line"):
        reports_to(ix, "ledermøte")


# --- catalogue --------------------------------------------------------------------------------


def test_roles(ix: OrgIndex) -> None:
    assert [
        (r.id, r.count, r.approximate, r.superior.id if r.superior else None, r.posts)
        for r in roles(ix).roles
    ] == [
        ("radmann", 1, False, None, 0),
        ("direktor", 4, False, "radmann", 4),
        ("kommunalsjef", 9, False, "radmann", 9),
        ("tjenesteleder", 200, True, "kommunalsjef", 0),
        ("enhetssjef", 14, False, "direktor", 14),
    ]


def test_areas_each_with_its_kommunalsjef(ix: OrgIndex) -> None:
    areas = units(ix, kinds=("programme_area",)).units
    # S11's programme area "administrasjon" has no head named; the nine S12 areas each have one.
    assert [(a.id, a.heads) for a in areas if a.id == "administrasjon"] == [("administrasjon", ())]
    areas = tuple(a for a in areas if a.id != "administrasjon")
    assert len(areas) == 9
    assert all(len(a.heads) == 1 and a.heads[0].status == "inferred" for a in areas)
    assert all(a.heads[0].superior and a.heads[0].superior.id == "radmann" for a in areas)


def test_support_units_with_director_not_stated(ix: OrgIndex) -> None:
    support = units(ix, exclude=("programme_area",)).units
    # The whole municipal organisation (S7) is a unit too, with no post heading it.
    assert [(u.id, u.heads) for u in support if u.kind != "support_unit"] == [
        ("kommuneorganisasjonen", ())
    ]
    support = tuple(u for u in support if u.kind == "support_unit")
    assert len(support) == 14
    assert all(u.heads[0].superior_unspecified for u in support)
    assert all(u.heads[0].superior and u.heads[0].superior.id == "direktor" for u in support)


def test_forums_and_principles(ix: OrgIndex) -> None:
    by_id = {f.id: f for f in forums(ix).forums}
    assert [m.participation for m in by_id["kommunestyret"].members] == ["attends"]
    assert by_id["prosjekt_og_arbeidsgrupper"].members == ()
    answer = principles(ix)
    assert len(answer.principles) == 4 and answer.scorecard and answer.sketch


def test_search_folds_spelling(ix: OrgIndex) -> None:
    hits = search(ix, "MAALEKART").hits
    assert [(h.entity, h.section) for h in hits] == [("tjenesteleder", "tasks")]
    assert search(ix, "xyzzy").hits == ()
    english = search(ix, "wage negotiations", lang="en").hits
    assert [(h.entity, h.lang) for h in english] == [
        ("direktor", "en"),
        ("lonnsforhandlinger", "en"),
    ]


def test_show_a_post_a_unit_and_a_forum(ix: OrgIndex) -> None:
    post = show(ix, "direktør – HR")
    assert (post.kind, post.role.id if post.role else None, post.portfolio) == (
        "post",
        "direktor",
        "HR",
    )
    assert post.role_facts_from == "direktor" and post.authorities
    unit = show(ix, "IKT strateg")
    assert [h.id for h in unit.headed_by] == ["enhetssjef_ikt_strategi"]
    forum = show(ix, "ledermøtet")
    assert [m.id for m in forum.members] == ["direktor", "kommunalsjef"]
    enhetssjef = show(ix, "enhetssjef")
    assert enhetssjef.authorities == ()  # S16 has no "Ansvar og fullmakter" section
    # (found by a newcomer: what a unit or forum is part of, and its parts, were not shown)
    council = show(ix, "kommunestyret")
    assert council.part_of is not None and council.part_of.id == "politisk_niva"
    assert "kommunestyret" in [p.id for p in show(ix, "politisk nivå").parts]
    assert show(ix, "radmann").part_of is None


def test_show_says_what_a_unit_is_part_of(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "units.yaml"
    path.write_text(
        "format: orgroles/1\nmeta: {title: T, require_sources: false}\nvocabulary:\n"
        "  unit_kinds: [{id: avd, name: avdeling}]\n"
        "units:\n  - {id: okonomi, kind: avd, name: Økonomi}\n"
        "  - {id: ikt, kind: avd, name: IKT, part_of: okonomi}\n",
        encoding="utf-8",
    )
    for cache in ([], ["--no-cache"], []):  # from the file, and (warm) from the store
        shown = invoke(*cache, "--data", str(path), "show", "ikt", "--lang", "en")
        assert "Part of  Økonomi" in shown.stdout, shown.stdout
        parts = invoke(*cache, "--data", str(path), "show", "okonomi", "--json").stdout
        assert [p["id"] for p in json.loads(parts)["parts"]] == ["ikt"]


# --- through the CLI ----------------------------------------------------------------------------

COMMANDS = [
    ["who-reports-to", "kommunalsjef"],
    ["who-reports-to", "radmann", "--all"],
    ["reports-to", "enhetssjef_hms"],
    ["show", "kommunalsjef"],
    ["show", "budsjettansvar"],
    ["roles"],
    ["areas"],
    ["units"],
    ["authority"],
    ["authority", "budget"],
    ["forums"],
    ["principles"],
    ["search", "resultatavtale"],
    ["common", "tjenesteleder", "enhetssjef"],
    ["tree"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_command_answers_in_text_and_json(invoke: Invoke, args: list[str], lang: str) -> None:
    text = invoke(*args, "--lang", lang)
    assert text.exit_code == 0 and text.stderr == ""
    assert text.stdout.strip() and "\x1b" not in text.stdout
    as_json = invoke(*args, "--json", "--lang", lang)
    assert as_json.exit_code == 0
    json.loads(as_json.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["show", "nobody"],
        ["who-reports-to", "nobody"],
        ["reports-to", "nobody"],
        ["common", "radmann", "nobody"],
        ["authority", "nothing"],
        ["tree", "nobody"],
    ],
    ids=" ".join,
)
def test_unknown_names_exit_1_with_empty_stdout(invoke: Invoke, args: list[str]) -> None:
    for extra in ([], ["--json"]):
        result = invoke(*args, *extra)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr.startswith("orgroles: unknown name 'no")


def test_ambiguous_name_lists_candidates(invoke: Invoke) -> None:
    result = invoke("--data", str(FIXTURES / "small.yaml"), "show", "Boss", "--json")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "orgroles: ambiguous name 'Boss': could be 'leder', 'sjef'\n"


def test_show_budget_kind_through_show(invoke: Invoke) -> None:
    data = json.loads(invoke("show", "budsjettansvar", "--json").stdout)
    assert data["kind"]["id"] == "budsjettansvar"


def test_empty_answer_exits_0(invoke: Invoke) -> None:
    result = invoke("who-reports-to", "enhetssjef_hms", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["rows"] == []
    text = invoke("who-reports-to", "enhetssjef_hms")
    assert "(ingen)" in text.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IKT", ["ikt_strategi", "ikt_drift"]),  # not "riktig", not "ansikt"
        ("ikt d", ["ikt_drift"]),  # words and word beginnings, in order
        ("drift", ["ikt_drift"]),
    ],
)
def test_search_matches_whole_words_and_word_beginnings(
    ix: OrgIndex, text: str, expected: list[str]
) -> None:

    hits = search(ix, text).hits
    assert [h.entity for h in hits if h.entity_kind == "unit"] == expected
    assert len({(h.entity, h.section, h.text) for h in hits}) == len(hits)  # each hit once
    assert not any("riktig" in h.text.lower() or "ansikt" in h.text.lower() for h in hits)


def test_show_a_role_lists_its_posts(ix: OrgIndex) -> None:

    assert [p.id for p in show(ix, "direktør").posts] == [
        "direktor_stab",
        "direktor_okonomi",
        "direktor_hr",
        "direktor_spesialoppgaver",
    ]
    assert show(ix, "tjenesteleder").posts == ()


def test_empty_answers_say_so_in_one_line(invoke: Invoke) -> None:
    small = str(FIXTURES / "small.yaml")
    assert invoke("--data", small, "principles", "--lang", "en").stdout == "Nothing found.\n"
    assert invoke("--data", small, "forums", "--lang", "en").stdout == (
        "Forums and bodies\n  (none)\n"
    )
    empty = invoke("search", "")
    assert empty.exit_code == 2 and "give a word to look for" in empty.stderr


@pytest.mark.parametrize("text", ["_", "'", "\u0301", " - "])
def test_a_search_with_no_letters_or_digits_is_a_usage_error(invoke: Invoke, text: str) -> None:
    """Nothing to look for: said as for a blank search, not 'no match' (nor every text)."""
    result = invoke("search", text)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "has no letters or digits to look for" in result.stderr


@pytest.mark.parametrize("text", ["ⓚⓞⓜⓜⓤⓝⓐⓛⓢⓙⓔⓕ", "ＫＯＭＭＵＮＡＬＳＪＥＦ", "ⓐ", "㈱"])
def test_a_search_for_letters_in_compatibility_form_reads_them_as_letters(
    invoke: Invoke, text: str
) -> None:
    """Circled, full-width and squared letters fold to letters (``fold``, NFKC): a search for
    them finds what the letters find, never a usage error."""
    result = invoke("search", text, "--json")
    assert result.exit_code == 0, result.stderr
    plain = unicodedata.normalize("NFKC", text).lower()
    expected = json.loads(invoke("search", plain, "--json").stdout)["hits"]
    assert json.loads(result.stdout)["hits"] == expected
    assert expected or len(plain) < 5  # (kommunalsjef is found)


@pytest.mark.parametrize("text", ["øko\u00adnomi", "ØKO\u3164NOMI", "øko\u200dnomi", "ǿkonomi"])
def test_a_search_with_invisible_characters_or_odd_accents_finds_the_plain_word(
    invoke: Invoke, text: str
) -> None:
    """A soft hyphen, a joiner or a Hangul filler inside a word, or ø written with an accent,
    does not change what a search finds (an attack found nothing for them)."""
    expected = json.loads(invoke("search", "økonomi", "--json").stdout)["hits"]
    result = invoke("search", text, "--json")
    assert result.exit_code == 0, result.stderr
    assert expected and json.loads(result.stdout)["hits"] == expected
