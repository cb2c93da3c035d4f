"""The YAML reader: safe, strict, located. Each case pins the exact message and place."""

from __future__ import annotations

import pytest

from orgroles.errors import DataFileError
from orgroles.yamlread import Quoted, YMap, YSeq, read_tree, unpack

PARSERS = [pytest.param(False, id="libyaml"), pytest.param(True, id="pure-python")]


def problems(data: bytes, pure: bool) -> list[str]:
    with pytest.raises(DataFileError) as info:
        read_tree(data, "f.yaml", pure=pure)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"a: 1\nb:\n  c: 2\n  c: 3\n",
            "f.yaml:4:3: duplicate key 'c' (first defined at line 3, column 3)",
        ),
        (
            b"a: !!python/object/apply:os.system ['true']\n",
            "f.yaml:1:4: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; only plain values",
        ),
        (
            b"a: &x [1]\nb: *x\n",
            "f.yaml:1:4: anchors (&name) are not supported; write the value out",
        ),
        (
            b"a: 1\n---\nb: 2\n",
            "f.yaml:2:1: only one YAML document per file ('---' starts a second)",
        ),
        (b"# only a comment\n", "f.yaml:1:1: the file is empty (no YAML document)"),
        (b"", "f.yaml:1:1: the file is empty (no YAML document)"),
        (
            b"a: r\xe5d\n",
            "f.yaml:1:5: not valid UTF-8: byte 0xE5; save the file as UTF-8 (it may be Latin-1 or Windows-1252)",
        ),
        (b"a: b\x00c\n", "f.yaml:1:5: character U+0000 (NULL) is not allowed"),
        (b'a: "x\\e[2J"\n', "f.yaml:1:4: character U+001B (ESCAPE) is not allowed"),
        (
            "a: x\u202ey\n".encode(),
            "f.yaml:1:5: character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed",
        ),
        (
            b"a: {b: 1, a: 2, b: 3}\n",
            "f.yaml:1:17: duplicate key 'b' (first defined at line 1, column 5)",
        ),
        (b"? [a]\n: 1\n", "f.yaml:1:3: a mapping key must be plain text"),
    ],
)
def test_rejected_with_location(data: bytes, expected: str, pure: bool) -> None:
    assert problems(data, pure) == [expected]


@pytest.mark.parametrize("pure", PARSERS)
def test_duplicate_keys_differing_only_in_unicode_form(pure: bool) -> None:
    data = "r\u00e5d: 1\nra\u030ad: 2\n".encode()
    assert problems(data, pure) == [
        "f.yaml:2:1: duplicate key 'ra\u030ad' "
        "(first defined at line 1, column 1; the two differ only in Unicode form)"
    ]


@pytest.mark.parametrize("pure", PARSERS)
def test_tabs_for_indentation_are_located(pure: bool) -> None:
    [message] = problems(b"a:\n\tb: 1\n", pure)
    assert message.startswith("f.yaml:2:1: YAML syntax:")
    assert message.endswith("indent with spaces, not tabs")


@pytest.mark.parametrize("pure", PARSERS)
def test_deep_nesting_is_a_located_error_not_a_recursion_error(pure: bool) -> None:
    data = b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n"
    [message] = problems(data, pure)
    assert message.startswith("f.yaml:1:")
    assert "nesting" in message


@pytest.mark.parametrize("pure", PARSERS)
def test_scalars_stay_text_and_keep_positions(pure: bool) -> None:
    data = "\ufeffa: no\nb: '0150'\nc: [8:30, 1.10, on]\nd: 2024-13-01\n".encode()
    tree = read_tree(data, "f.yaml", pure=pure)
    assert isinstance(tree, YMap)
    assert tree == {"a": "no", "b": "0150", "c": ["8:30", "1.10", "on"], "d": "2024-13-01"}
    assert type(tree["b"]) is Quoted and type(tree["a"]) is str
    assert isinstance(tree["c"], YSeq)
    assert unpack(tree.value_pos["d"]) == (4, 4)
    assert unpack(tree.key_pos["c"]) == (3, 1)
    assert [unpack(p) for p in tree["c"].item_pos] == [(3, 5), (3, 11), (3, 17)]


def test_alias_bomb_is_rejected_quickly() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(
            f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]"
        )
    assert problems("\n".join(lines).encode(), False) == [
        "f.yaml:1:4: anchors (&name) are not supported; write the value out"
    ]
