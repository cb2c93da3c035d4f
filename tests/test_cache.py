"""The cache never gives a wrong answer: edits, corruption, planted or unreadable entries,
version changes and racing processes all end in the right answer."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from orgroles import cache
from orgroles.load import load_org
from tests.conftest import MINIMAL, Invoke

ORG = MINIMAL + "posts:\n  - {id: a}\n  - {id: b, reports_to: a}\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache folder for one test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "orgroles"


@pytest.fixture
def org_file(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(ORG, encoding="utf-8")
    return path


def entry(folder: Path, org_file: Path) -> Path:
    return folder / f"{cache.content_key(org_file.read_bytes())}.json"


def post_ids(path: Path, use_cache: bool = True) -> list[str]:
    return [p.id for p in load_org(path, use_cache=use_cache).posts]


def test_first_load_writes_a_private_entry_that_later_loads_use(
    folder: Path, org_file: Path
) -> None:
    assert post_ids(org_file) == ["a", "b"]
    path = entry(folder, org_file)
    assert path.is_file()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    header, payload = path.read_bytes().split(b"\n", 1)
    assert json.loads(header)["key"] == path.stem
    assert [p["id"] for p in json.loads(payload)["posts"]] == ["a", "b"]


def test_the_cache_is_really_used(folder: Path, org_file: Path) -> None:
    """A private, well-formed entry is trusted: proof that warm runs skip parsing."""
    post_ids(org_file)
    key = cache.content_key(org_file.read_bytes())
    data = cache.read(key)
    assert data is not None
    data["posts"][0]["id"] = "from-cache"
    data["posts"][1]["reports_to"]["id"] = "from-cache"
    assert cache.write(key, data)
    assert post_ids(org_file) == ["from-cache", "b"]
    assert post_ids(org_file, use_cache=False) == ["a", "b"]  # --no-cache reads the file


def test_an_edited_file_is_read_again(folder: Path, org_file: Path) -> None:
    assert post_ids(org_file) == ["a", "b"]
    org_file.write_text(ORG + "  - {id: c, reports_to: b}\n", encoding="utf-8")
    assert post_ids(org_file) == ["a", "b", "c"]


def test_an_edit_that_breaks_the_file_is_reported_not_hidden(folder: Path, org_file: Path) -> None:
    post_ids(org_file)
    org_file.write_text(ORG + "  - {id: c, reports_to: zz}\n", encoding="utf-8")
    with pytest.raises(Exception, match="unknown post or role 'zz'"):
        load_org(org_file)


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "header", "version", "garbage"])
def test_damaged_entries_are_ignored_and_rebuilt(folder: Path, org_file: Path, damage: str) -> None:
    post_ids(org_file)
    path = entry(folder, org_file)
    raw = path.read_bytes()
    header, payload = raw.split(b"\n", 1)
    if damage == "flip":  # one byte of the payload changes: still valid JSON, wrong data
        payload = payload.replace(b'"a"', b'"x"', 1)
        raw = header + b"\n" + payload
    elif damage == "truncate":
        raw = raw[: len(raw) // 2]
    elif damage == "empty":
        raw = b""
    elif damage == "header":
        raw = b"{not json\n" + payload
    elif damage == "version":
        fields = json.loads(header)
        fields["orgroles"] = "0.0.0-other"
        raw = json.dumps(fields).encode() + b"\n" + payload
    else:
        raw = os.urandom(200)
    path.write_bytes(raw)
    assert post_ids(org_file) == ["a", "b"]
    assert cache.read(path.stem) is not None  # rebuilt


def test_entries_others_could_write_are_not_trusted(folder: Path, org_file: Path) -> None:
    post_ids(org_file)
    key = cache.content_key(org_file.read_bytes())
    data = cache.read(key)
    assert data is not None
    data["posts"][0]["id"] = "planted"
    data["posts"][1]["reports_to"]["id"] = "planted"
    cache.write(key, data)
    path = entry(folder, org_file)
    path.chmod(0o666)  # anyone could have written it
    assert post_ids(org_file) == ["a", "b"]
    cache.write(key, data)
    folder.chmod(0o777)  # or planted through a shared folder
    try:
        assert post_ids(org_file) == ["a", "b"]
    finally:
        folder.chmod(0o700)


def test_a_symlinked_entry_is_not_followed(folder: Path, org_file: Path, tmp_path: Path) -> None:
    post_ids(org_file)
    path = entry(folder, org_file)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(elsewhere)
    assert cache.read(path.stem) is None
    assert post_ids(org_file) == ["a", "b"]


def test_an_unreadable_entry_is_ignored(folder: Path, org_file: Path) -> None:
    post_ids(org_file)
    path = entry(folder, org_file)
    path.unlink()
    path.mkdir()  # unreadable as a file, for root too
    assert post_ids(org_file) == ["a", "b"]


def test_an_unwritable_cache_still_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, org_file: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert post_ids(org_file) == ["a", "b"]
    assert post_ids(org_file) == ["a", "b"]


def _load_in_child(args: tuple[str, str]) -> list[str]:
    path, cache_home = args
    os.environ["XDG_CACHE_HOME"] = cache_home
    return [p.id for p in load_org(Path(path)).posts]


@pytest.mark.slow
def test_racing_processes_all_get_the_right_answer(folder: Path, org_file: Path) -> None:
    big = (
        MINIMAL
        + "posts:\n  - {id: p0}\n"
        + "".join(f"  - {{id: p{i}, reports_to: p{i - 1}}}\n" for i in range(1, 3000))
    )
    org_file.write_text(big, encoding="utf-8")
    expected = [f"p{i}" for i in range(3000)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_load_in_child, [(str(org_file), str(folder.parent))] * 8)
    assert all(r == expected for r in results)
    assert cache.read(entry(folder, org_file).stem) is not None
    assert not list(folder.glob(".*.tmp"))  # no temporary files left behind


def test_no_cache_option_and_validate(invoke: Invoke, folder: Path, org_file: Path) -> None:
    result = invoke("--data", str(org_file), "--no-cache", "validate")
    assert result.exit_code == 0 and not folder.exists()
    result = invoke("--data", str(org_file), "validate")
    assert result.exit_code == 0 and entry(folder, org_file).is_file()
    again = invoke("--data", str(org_file), "validate")
    assert again.stdout == result.stdout


def test_an_entry_that_is_not_a_regular_file_is_never_opened(folder: Path, org_file: Path) -> None:
    import time

    post_ids(org_file)
    path = entry(folder, org_file)
    path.unlink()
    os.mkfifo(path, 0o600)  # opening it for reading would block forever
    start = time.perf_counter()
    assert cache.read(path.stem) is None
    assert post_ids(org_file) == ["a", "b"]
    assert time.perf_counter() - start < 5
    assert path.is_file() and not path.is_fifo()  # replaced by a fresh entry


def _forge(path: Path, payload: bytes, secret: bytes | None = None) -> None:
    """Write an entry whose header is right and whose digest is BLAKE2b of ``payload``: as
    someone who knows the format but not the user's secret would (or, with ``secret``, as
    only orgroles itself could)."""
    import hashlib

    header = json.loads(path.read_bytes().split(b"\n", 1)[0])
    if secret is None:
        header["digest"] = hashlib.blake2b(payload, digest_size=20).hexdigest()
    else:
        header["digest"] = hashlib.blake2b(payload, digest_size=20, key=secret).hexdigest()
    path.write_bytes(json.dumps(header).encode() + b"\n" + payload)


@pytest.mark.parametrize(
    "forge",
    [
        lambda d: d.pop("meta"),  # KeyError in from_data
        lambda d: d["posts"].append({"id": "c"}) or d["posts"][0].update(reports_to={"id": "b"}),
        lambda d: d["posts"][0].update(id=["not", "text"]),
        lambda d: d["posts"][0].update(id="a\x1b[2Jb"),
        lambda d: d["posts"][0].update(id="\ufffe"),
        lambda d: d["posts"][0].update(bogus=1),
        lambda d: d.update(roles=[{"id": "r", "name": {"nb": "R"}, "count": {"value": True}}]),
        lambda d: d.update(roles=[{"id": "r", "name": {"nb": "R"}, "count": {"value": -1}}]),
        lambda d: d.update(roles=[{"id": "r", "name": {"nb": "R"}, "count": {"value": 1.5}}]),
        lambda d: d["meta"].update(title={"nb": ""}),
        lambda d: d.update({"$warnings": [[1, 1, "\x1b[31mforged"]]}),
        lambda d: d.update({"$warnings": "nonsense"}),
    ],
    ids=[
        "missing-key",
        "cycle",
        "wrong-type",
        "escape-sequence",
        "noncharacter",
        "unknown-key",
        "bool-count",
        "negative-count",
        "float-count",
        "empty-text",
        "forged-warning",
        "bad-warnings",
    ],
)
def test_an_entry_with_a_right_digest_but_a_bad_payload_is_ignored(
    folder: Path, org_file: Path, invoke: Invoke, forge: Any
) -> None:
    post_ids(org_file)
    path = entry(folder, org_file)
    data = json.loads(path.read_bytes().split(b"\n", 1)[1])
    forge(data)
    _forge(path, json.dumps(data, ensure_ascii=False).encode())
    result = invoke("--data", str(org_file), "validate")
    assert result.exit_code == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr == ""
    assert post_ids(org_file) == ["a", "b"]
    assert json.loads(path.read_bytes().split(b"\n", 1)[1]) != data  # rebuilt from the file


@pytest.mark.parametrize(
    "payload",
    [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 5000 + b"1" + b"}" * 5000, b"1e999", b"null"],
    ids=["deep-list", "deep-map", "float", "null"],
)
def test_a_hostile_payload_with_a_right_digest_is_ignored(
    folder: Path, org_file: Path, invoke: Invoke, payload: bytes
) -> None:
    post_ids(org_file)
    _forge(entry(folder, org_file), payload)
    result = invoke("--data", str(org_file), "tree", "--json")
    assert result.exit_code == 0 and result.stderr == ""
    assert [r["id"] for r in json.loads(result.stdout)["rows"]] == ["a", "b"]


def test_valid_files_are_served_from_the_cache(folder: Path, org_file: Path) -> None:
    """A warm run uses the entry the first run wrote (its keyed digest checks out)."""
    post_ids(org_file)
    path = entry(folder, org_file)
    assert cache.read(path.stem, folder) is not None
    assert stat.S_IMODE((folder / "secret").stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "payload",
    [b'{"format": "orgroles/1"}', b"[" * 100_000 + b"]" * 100_000, b"null"],
    ids=["missing-keys", "deep-list", "null"],
)
def test_even_a_signed_entry_that_cannot_be_built_is_ignored(
    folder: Path, org_file: Path, invoke: Invoke, payload: bytes
) -> None:
    """Should orgroles ever have written a bad entry, it is rebuilt, not a crash."""
    post_ids(org_file)
    secret = (folder / "secret").read_bytes()
    _forge(entry(folder, org_file), payload, secret)
    result = invoke("--data", str(org_file), "tree", "--json")
    assert result.exit_code == 0 and result.stderr == ""
    assert [r["id"] for r in json.loads(result.stdout)["rows"]] == ["a", "b"]


def test_a_secret_others_can_read_is_not_used(folder: Path, org_file: Path) -> None:
    post_ids(org_file)
    path = entry(folder, org_file)
    (folder / "secret").chmod(0o644)
    assert cache.read(path.stem, folder) is None


@pytest.mark.parametrize("long", [1, 2, 3, 1000])
def test_an_entry_is_the_json_text_of_its_data_whatever_the_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, long: int
) -> None:
    """The entry's payload is written a piece at a time (long lists a batch at a time): the
    same text as json.dumps of the whole, and it reads back."""
    import json

    monkeypatch.setattr(cache, "LONG", long)
    folder = tmp_path / "c"
    data = {
        "format": "orgroles/1",
        "posts": [{"id": f"p{i}", "title": {"nb": "Ø\u2028<"}} for i in range(7)],
        "roles": [],
        "units": [{"id": "u"}],
        "$warnings": [[1, 2, "w"]],
    }
    assert cache.write("k" * 40, data, folder)
    lines = (folder / ("k" * 40 + ".json")).read_bytes().split(b"\n", 1)
    assert lines[1] == json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    assert cache.read("k" * 40, folder) == data


# A tab after a plain value: libyaml reads it, PyYAML's own parser does not (found by an
# attack: whichever parser saw the file first decided for both).
TAB_AFTER_A_VALUE = MINIMAL + "roles:\n  - id: sjef\n    name: daglig leder\t\n"


def test_one_parsers_verdict_is_not_the_others(
    folder: Path, tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key names the parser (and the Unicode database) it was made under."""
    import unicodedata

    path = tmp_path / "tab.yaml"
    path.write_text(TAB_AFTER_A_VALUE, encoding="utf-8")
    raw = path.read_bytes()
    monkeypatch.delenv("ORGROLES_PURE_YAML", raising=False)
    if cache.yaml_parser() != "libyaml":
        pytest.skip("PyYAML without libyaml here")
    with_libyaml = cache.content_key(raw)
    assert invoke("--data", str(path), "validate").exit_code == 0
    monkeypatch.setenv("ORGROLES_PURE_YAML", "1")
    assert cache.yaml_parser() == "pure" and cache.content_key(raw) != with_libyaml
    refused = invoke("--data", str(path), "validate")
    assert refused.exit_code == 1 and "found character '\\t'" in refused.stderr
    assert f"\0{unicodedata.unidata_version}" in cache.key_versions()
