"""Name resolution: case, inflection, æøå spelled out, Unicode form, aliases, misses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orgroles.errors import AmbiguousNameError, UnknownNameError
from orgroles.index import OrgIndex
from orgroles.model import Org
from orgroles.names import entity_index, fold, words
from tests.conftest import Invoke


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("radmann", "radmann"),
        ("Rådmannen", "radmann"),
        ("RÅDMANN", "radmann"),
        ("raadmannen", "radmann"),
        ("rådmenn", "radmann"),
        ("radmennene", "radmann"),
        ("ra\u030admannen", "radmann"),  # NFD
        ("kommunedirektør", "radmann"),
        ("kommunedirektoer", "radmann"),
        ("chief municipal executive", "radmann"),
        ("direktørene", "direktor"),
        ("direktorer", "direktor"),
        ("arbeidsgiverdirektør", "direktor"),
        ("Kommunalsjefene", "kommunalsjef"),
        ("kommunal-sjef", "kommunalsjef"),
        ("kommunal sjef", "kommunalsjef"),
        ("tjenestelederne", "tjenesteleder"),
        ("tjeneste-leder", "tjenesteleder"),
        ("enhetsledere", "enhetssjef"),
        ("Enhetssjefene", "enhetssjef"),
        ("grunnskoleopplaering", "grunnskoleopplaering"),
        ("Grunnskoleopplæring", "grunnskoleopplaering"),
        ("IKT strateg", "ikt_strategi"),
        ("IKT-strategi", "ikt_strategi"),
        ("ledermøtet", "ledermote"),
        ("ledermote", "ledermote"),
        ("formannskap", "formannskapet"),
        ("direktør – HR", "direktor_hr"),
        ("kommunalsjef – Eiendom", "kommunalsjef_eiendom"),
        ("plan og miljø", "plan_og_miljo"),
        ("Rådmenn", "radmann"),
        ("KOMMUNEDIREKTØREN", "radmann"),
        ("direktoerene", "direktor"),
        ("HR", "direktor_hr"),
        ("økonomi", "direktor_okonomi"),
        ("oekonomi", "direktor_okonomi"),
        ("Eiendom", "eiendom"),
        ("tjenester fornebu", "tjenester_fornebu"),
        ("hms", "hms"),
        ("kommunestyre", "kommunestyret"),
        ("municipal council", "kommunestyret"),
        ("executive committee", "formannskapet"),
        ("stabsteam", "radmannens_stabsteam"),
        ("nettverket", "nettverk"),
        ("political level", "politisk_niva"),
        ("head of support unit", "enhetssjef"),
        ("service managers", "tjenesteleder"),
    ],
)
def test_resolves(org: Org, typed: str, expected: str) -> None:
    assert entity_index(org).resolve(typed) == expected


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("radman", "rådmann (radmann)"),
        ("kommunalsjeff", "kommunalsjef"),
        ("tjenstleder", "tjenesteleder"),
    ],
)
def test_misses_suggest(org: Org, typed: str, suggestion: str) -> None:
    with pytest.raises(UnknownNameError) as info:
        entity_index(org).resolve(typed)
    assert suggestion in info.value.suggestions


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("budget", "budsjettansvar"),
        ("budsjettansvar", "budsjettansvar"),
        ("Budsjett", "budsjettansvar"),
        ("employer", "arbeidsgiveransvar"),
        ("arbeidsgiver", "arbeidsgiveransvar"),
        ("wage-negotiation", "lonnsforhandlinger"),
        ("lønnsforhandlinger", "lonnsforhandlinger"),
        ("lonnsforhandlinger", "lonnsforhandlinger"),
        ("personnel", "personalansvar"),
        ("delegated", "delegerte_fullmakter"),
        ("økonomiansvar", "okonomiansvar"),
        ("finance", "okonomiansvar"),
        ("result", "resultatansvar"),
        ("professional", "fagansvar"),
    ],
)
def test_authority_kinds_resolve(ix: OrgIndex, typed: str, expected: str) -> None:
    assert ix.resolve_kind(typed) == expected


def test_unknown_without_anything_close(org: Org) -> None:
    with pytest.raises(UnknownNameError) as info:
        entity_index(org).resolve("zzzzqqq")
    assert info.value.suggestions == []
    assert (
        str(info.value)
        == "unknown name 'zzzzqqq'; to look for it in every text: orgroles search zzzzqqq"
    )


def test_ambiguous_lists_candidates(org: Org) -> None:
    index = entity_index(org)
    index.add("radmann", ["duplikat"])
    index.add("direktor", ["duplikat"])
    with pytest.raises(AmbiguousNameError) as info:
        index.resolve("Duplikat")
    assert info.value.candidates == ["direktør (direktor)", "rådmann (radmann)"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Rådmann", "raadmann"),
        ("ØKONOMI", "okonomi"),
        ("økonomi", "oekonomi"),
        ("Ærlig", "aerlig"),
        ("tjeneste leder", "tjenesteleder"),
    ],
)
def test_fold_equivalences(a: str, b: str) -> None:
    assert fold(a) == fold(b)


OWN = """format: orgroles/1
meta: {title: Sykehus, require_sources: false}
roles:
  - {id: sykepleier, name: {nb: sykepleier, en: nurse}, count: 40}
  - {id: assistent, name: assistent, count: 3}
  - {id: avdelingsleder, name: {nb: avdelingsleder, en: ward manager}}
  - {id: konsulent, name: konsulent}
  - {id: konsulenter, name: {nb: innleide konsulenter}}
posts:
  - {id: a1, role: avdelingsleder, title: Avdelingsleder A}
"""


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sykepleierne", "sykepleier"),
        ("Sykepleiere", "sykepleier"),
        ("nurses", "sykepleier"),
        ("ASSISTENTENE", "assistent"),
        ("avdelingslederne", "avdelingsleder"),
        ("ward managers", "avdelingsleder"),
    ],
)
def test_regular_endings_resolve_in_a_users_own_file(
    write_yaml: object, typed: str, expected: str
) -> None:
    """Without aliases: definite and plural forms (bokmål) and English plurals."""
    from orgroles.index import build_index
    from orgroles.load import load_org

    ix = build_index(load_org(write_yaml(OWN), use_cache=False))  # type: ignore[operator]
    assert ix.resolve(typed) == expected


def test_an_exact_name_wins_over_an_ending_and_shared_stems_are_ambiguous(
    write_yaml: object,
) -> None:
    from orgroles.index import build_index
    from orgroles.load import load_org

    ix = build_index(load_org(write_yaml(OWN), use_cache=False))  # type: ignore[operator]
    assert ix.resolve("konsulenter") == "konsulenter"  # an id, exactly
    with pytest.raises(AmbiguousNameError):
        ix.resolve("konsulentene")  # both share the stem 'konsulent': the tool asks


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("HR-direktør", "direktor_hr"),
        ("økonomidirektør", "direktor_okonomi"),
        ("Økonomidirektøren", "direktor_okonomi"),
        ("kultursjef", "kommunalsjef_kultur"),
        ("barnevernsjefen", "kommunalsjef_barnehager_og_barnevern"),
        ("HR director", "direktor_hr"),
        ("finance director", "direktor_okonomi"),
        ("barnevern", "barnehager_og_barnevern"),  # a word of the area's name: the area
    ],
)
def test_names_people_say_resolve(ix: OrgIndex, typed: str, expected: str) -> None:
    assert ix.resolve(typed) == expected


def test_a_word_shared_by_several_units_lists_them(ix: OrgIndex) -> None:
    with pytest.raises(AmbiguousNameError) as info:
        ix.resolve("IKT")
    assert "IKT drift (ikt_drift)" in str(info.value) and "ikt_strategi" in str(info.value)


def test_a_misspelling_is_not_read_as_a_word_beginning(ix: OrgIndex) -> None:
    with pytest.raises(UnknownNameError) as info:
        ix.resolve("radman")
    assert "rådmann (radmann)" in str(info.value)


def test_a_name_read_other_than_as_written_is_said_on_stderr(invoke: Invoke) -> None:
    run = invoke
    guessed = run("reports-to", "økonomidirektøren", "--json")
    assert (
        guessed.exit_code == 0 and json.loads(guessed.stdout)["start"]["id"] == "direktor_okonomi"
    )
    assert guessed.stderr == (
        "orgroles: note: read 'økonomidirektøren' as direktør – økonomi (direktor_okonomi)\n"
    )
    written = run("reports-to", "Rådmannen")
    assert written.exit_code == 0 and written.stderr == ""  # an alias in the data: no note


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IKT-strategi", ["ikt", "strategi"]),
        ("Ha\u030agensen og Hågensen", ["hagensen", "og", "hagensen"]),  # NFD is one word
        ("e\u0301\u0304nhet", ["enhet"]),  # a mark that does not compose is dropped
        ("\u0939\u093f\u0902\u0926\u0940 x", ["\u0939\u0926", "x"]),  # spacing marks too
        ("a _ b", ["a", "b"]),  # a word that folds to nothing is left out
        (" \u0301 ", []),
    ],
)
def test_words_are_the_same_in_any_unicode_form(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_a_decomposed_name_is_found_by_its_words(invoke: Invoke, tmp_path: Path) -> None:
    """Word search meets a name written decomposed, typed composed, and the other way round,
    in memory and from the store."""
    path = tmp_path / "org.yaml"
    path.write_text(
        "format: orgroles/1\nmeta:\n  title: T\nroles:\n  - {id: a, name: Ha\u030agensen leder}\n"
        "  - {id: b, name: Sjef for Tønsberg}\n",
        encoding="utf-8",
    )
    for cache in (["--no-cache"], [], []):  # no cache, the cold run, then the store
        for typed, expected in (("hågensen", "a"), ("To\u0308nsberg", "b"), ("tonsberg", "b")):
            result = invoke(*cache, "--data", str(path), "show", typed, "--json")
            assert result.exit_code == 0, (cache, typed, result.stderr)
            assert json.loads(result.stdout)["id"] == expected, (cache, typed)


def _fold_as_written(name: str) -> str:
    """``fold`` as the module docstring defines it, step by step (the reference)."""
    import re
    import unicodedata

    if name.isascii():
        key = name.lower()
    else:
        ignorable = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u3164\ufeff\uffa0"
        ranges = [(0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F)]
        ranges += [(0xFE00, 0xFE0F), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A)]
        ranges += [(0xE0000, 0xE0FFF)]
        name = "".join(
            c
            for c in name
            if c not in ignorable and not any(lo <= ord(c) <= hi for lo, hi in ranges)
        )
        key = unicodedata.normalize("NFC", name).casefold()
        for letter, spelled in {"æ": "ae", "ø": "o", "å": "a", "ä": "ae", "ö": "o"}.items():
            key = key.replace(letter, spelled)
        key = re.sub(r"\s+", "", key)
        if not key.isascii():
            decomposed = unicodedata.normalize("NFKD", key)
            for letter, spelled in {
                "ł": "l",
                "đ": "d",
                "ð": "d",
                "þ": "th",
                "ı": "i",
                "ŀ": "l",
            }.items():
                decomposed = decomposed.replace(letter, spelled)
            key = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
            for letter, spelled in {"æ": "ae", "ø": "o", "å": "a", "ä": "ae", "ö": "o"}.items():
                key = key.replace(letter, spelled)
    key = key.replace("aa", "a").replace("oe", "o")
    return key.translate(str.maketrans("", "", " \t\n\r\f\v-_.'’\u00a0\u2013\u2014"))


@given(
    st.text(
        alphabet=st.sampled_from("aAoOeE æøå-_.'’\u00a0\u2013\u2014\t1xÆéǿǽ\u00ad\u200d\u3164")
        | st.characters()
    )
)
def test_fold_is_the_reference_fold(name: str) -> None:
    assert fold(name) == _fold_as_written(name)


@pytest.mark.parametrize(
    ("typed", "hint"),
    [("zzqqxx", True), ("\u00ad", False), ("\U0001d173", False), ("_", False), ("a\u200db", False)],
)
def test_the_search_hint_of_an_unknown_name_is_a_command_that_works(
    invoke: Invoke, typed: str, hint: bool
) -> None:
    """The hint is given only for a text `search` takes and that can be typed as shown (an
    attack found it for a lone soft hyphen, which `search` refuses)."""
    result = invoke("show", typed)
    assert result.exit_code == 1
    assert ("orgroles search" in result.stderr) == hint, result.stderr


def test_an_invisible_character_beyond_the_first_plane_is_shown_as_python_writes_it() -> None:
    from orgroles.render.text import printable

    assert printable("a\U0001d173b\u00ad") == "a\\U0001d173b\\u00ad"


def test_a_role_named_only_by_spaces_makes_no_compound_names(
    invoke: Invoke, tmp_path: Path
) -> None:
    """A role's name of a tab (valid text) has no head word to join a field to: the names
    were an internal error (IndexError) in ``tree NAME`` and the chart page."""
    path = tmp_path / "org.yaml"
    path.write_text(
        "format: orgroles/1\nmeta: {title: t, require_sources: false}\n"
        'roles: [{id: r, name: "\\t"}]\nposts: [{id: p, role: r, portfolio: Salg}]\n',
        encoding="utf-8",
    )
    assert invoke("--data", str(path), "tree", "salg").exit_code == 0
    assert invoke("--data", str(path), "export", "--format", "html").exit_code == 0
