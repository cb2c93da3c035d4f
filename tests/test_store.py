"""The indexed store (orgroles/store.py, orgroles/storeindex.py) answers exactly as the index in
memory, on generated organisations (the line oracle) and on every example file, and it is never
trusted when it should not be: truncated, edited, rows removed or moved, another store's rows,
racing writers, a read-only cache folder all end in the right answer."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import sqlite3
import stat
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgroles import cache, statcache, store
from orgroles.errors import OrgrolesError
from orgroles.index import OrgIndex, build_index
from orgroles.load import open_index, validate_data
from orgroles.model import from_data, without_people
from orgroles.queries.delegation import can
from orgroles.queries.detail import show
from orgroles.queries.line import common, line_tree, reports_to, who_reports_to
from orgroles.queries.stats import decode, statistics
from orgroles.render.jsonout import to_json
from orgroles.storeindex import StoreIndex
from tests.conftest import DATA, FIXTURES, ROOT, Invoke
from tests.oracle import Oracle
from tests.test_line_oracle import EXAMPLES, check_everything, organisations

EXAMPLE_FILES = [
    DATA,
    *sorted(p for p in FIXTURES.glob("*.yaml") if "broken" not in p.name),
    *sorted((ROOT / "docs" / "examples").glob("*.yaml")),
]
EXAMPLE_FILES = [
    p for p in EXAMPLE_FILES if not p.name.startswith(("delegation-limit", "delegation-broken"))
]


def store_index(text: bytes, folder: Path, people: bool = True) -> StoreIndex:
    """Write the store of a file's bytes into ``folder`` and open it."""
    plain = validate_data(text, "org.yaml")
    org = from_data(plain, file="org.yaml")
    key = cache.content_key(text)
    assert store.write(key, store.Contents(plain, org), folder)
    rows = store.open_store(key, folder)
    assert rows is not None

    def reload() -> tuple[dict[str, Any], Any]:
        again = validate_data(text, "org.yaml")
        return again, from_data(again, file="org.yaml")

    return StoreIndex(rows, "org.yaml", people, reload)


class Big(NamedTuple):
    """A 3,000-post synthetic organisation: its bytes, its index in memory, its store."""

    text: bytes
    mem: OrgIndex
    folder: Path


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Big:
    """Built once per module: the store is opened afresh by each test (``open_big``)."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from make_org import make_org
    finally:
        sys.path.pop(0)
    text = make_org(3000, 3).encode()
    folder = tmp_path_factory.mktemp("big") / "orgroles"
    store_index(text, folder)
    return Big(text, memory_index(text), folder)


def open_big(big: Big, tmp_path: Path) -> StoreIndex:
    """A fresh StoreIndex on a private copy of the big store (tests may damage it)."""
    folder = tmp_path / "orgroles"
    shutil.copytree(big.folder, folder)
    key = cache.content_key(big.text)
    rows = store.open_store(key, folder)
    assert rows is not None

    def reload() -> tuple[dict[str, Any], Any]:
        plain = validate_data(big.text, "org.yaml")
        return plain, from_data(plain, file="org.yaml")

    return StoreIndex(rows, "org.yaml", True, reload)


def memory_index(text: bytes, people: bool = True) -> OrgIndex:
    org = from_data(validate_data(text, "org.yaml"), file="org.yaml")
    return build_index(org if people else without_people(org))


# --- the line oracle, against the store -------------------------------------------------------


@settings(
    max_examples=max(EXAMPLES // 2, 20),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(organisations())
def test_every_line_question_from_the_store_agrees_with_the_oracle(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "orgroles"
        ix = store_index(text.encode(), folder)
        check_everything(ix, Oracle(validate_data(text.encode(), "gen.yaml")))
        mem = memory_index(text.encode())
        for limit in (None, 1, 2, 3, 5):  # the stored measurements, under any limit
            _same(ix, mem, statistics, max_span=limit)


# --- every question on every example file ------------------------------------------------------


def _answer(query: Any, ix: OrgIndex, *args: Any, **kwargs: Any) -> str:
    try:
        return to_json(query(ix, *args, **kwargs))
    except OrgrolesError as exc:
        return f"error: {exc.lines()}"


def _same(disk: OrgIndex, mem: OrgIndex, query: Any, *args: Any, **kwargs: Any) -> None:
    got = _answer(query, disk, *args, **kwargs)
    assert got == _answer(query, mem, *args, **kwargs), (query.__name__, args, kwargs)


def _questions(ix: OrgIndex) -> list[str]:
    return [
        *(r.id for r in ix.org.roles),
        *(p.id for p in ix.org.posts),
        *(u.id for u in ix.org.units),
    ]


NAMES = [
    "kommunalsjefen",
    "Radmannen",
    "enhetsledere",
    "tjenesteledere",
    "HR director",
    "barnevern",
    "økonomidirektør",
    "no such thing",
    "kommunalsjeff",
    "Kari Nordmann",
    "hansen",
    "",
    "ab",
    "leder",
]


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("people", [True, False], ids=["people", "no-people"])
def test_the_store_answers_every_question_as_memory_does(
    path: Path, people: bool, tmp_path: Path
) -> None:
    text = path.read_bytes()
    mem = memory_index(text, people)
    disk = store_index(text, tmp_path / "orgroles", people)
    ids = _questions(mem)
    asked = ids + NAMES + [mem.label(i, "en") for i in ids[:40]]
    for name in asked:  # an answer holds both languages
        for query in (who_reports_to, reports_to, show):
            _same(disk, mem, query, name)
        _same(disk, mem, who_reports_to, name, all_levels=True)
    for a in ids[:12]:
        for b in ids[-12:]:
            _same(disk, mem, common, a, b)
    for kind in [k.id for k in mem.org.vocabulary.authority_kinds]:
        for who in ids[:20]:
            _same(disk, mem, can, who, kind, None)
    _same(disk, mem, line_tree)
    for limit in (None, 1, 3, 12):
        _same(disk, mem, statistics, max_span=limit)
    assert disk.readings() == mem.readings()
    assert isinstance(disk._rows, store.Store)  # answered from the store, never fell back


def test_a_question_reads_only_the_rows_it_needs(tmp_path: Path, big: Big) -> None:
    """The cost follows the answer: one question about a post of a 3,000-post line touches the
    rows on its line and its names, not the organisation."""
    disk = open_big(big, tmp_path)
    seen: list[str] = []
    get = disk._rows.get

    def counting(table: str, key: str) -> Any:
        seen.append(table)
        return get(table, key)

    disk._rows.get = counting  # type: ignore[assignment]
    answer = reports_to(disk, "p0002999")
    assert [s.candidates for s in answer.chain][-1] == ("p0000000",)
    assert disk._all is None  # no walk of every row
    assert len(seen) < 60, len(seen)


# --- the CLI takes the store, and the store its faults -----------------------------------------


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache folder for one test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "orgroles"


QUESTIONS = [
    ["who-reports-to", "kommunalsjef", "--json"],
    ["who-reports-to", "kommunalsjefene", "--json"],
    ["reports-to", "tjenesteleder", "--json"],
    ["show", "rådmannen", "--json"],
    ["common", "kommunalsjef", "tjenesteleder", "--json"],
    ["who-reports-to", "--all", "radmann", "--json"],
    ["can", "tjenesteleder", "budsjettansvar", "--json"],
    ["stats", "--json"],
    ["stats", "--max-span", "13", "--lang", "en"],
]


def _run_all(invoke: Invoke, *extra: str) -> list[tuple[int, str]]:
    out = []
    for args in QUESTIONS:
        result = invoke(*extra, *args)
        out.append((result.exit_code, result.stdout))
    return out


@pytest.fixture
def expected(invoke: Invoke) -> list[tuple[int, str]]:
    return _run_all(invoke, "--no-cache")


def the_store(folder: Path) -> Path:
    found = list(folder.glob("*.db"))
    assert len(found) == 1, found
    return found[0]


def test_the_cli_answers_from_the_store_as_without_it(
    folder: Path, invoke: Invoke, expected: list[tuple[int, str]]
) -> None:
    assert _run_all(invoke) == expected  # cold: validates, writes the cache and the store
    path = the_store(folder)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert _run_all(invoke) == expected  # warm: from the store


def _tamper(path: Path, sql: str, *params: Any) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(sql, params)
    conn.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        "garbage",
        "edited node",
        "edited name",
        "node removed",
        "name removed",
        "row moved",
        "header",
        "empty table",
        "spans edited",
        "spans removed",
        "stats edited",
    ],
)
def test_a_damaged_store_is_never_trusted(
    damage: str, folder: Path, invoke: Invoke, expected: list[tuple[int, str]]
) -> None:
    _run_all(invoke)
    path = the_store(folder)
    if damage == "truncated":
        with path.open("r+b") as handle:
            handle.truncate(path.stat().st_size // 2)
    elif damage == "garbage":
        path.write_bytes(os.urandom(path.stat().st_size))
    elif damage == "edited node":  # kommunalsjef now reports to nobody
        _tamper(
            path,
            "UPDATE node SET body = replace(body, '\"t\":', '\"x\":') WHERE key LIKE 'kommunal%'",
        )
    elif damage == "edited name":  # 'kommunalsjef' now names the top
        _tamper(path, "UPDATE name SET body = replace(body, 'kommunalsjef', 'radmann')")
    elif damage == "node removed":
        _tamper(path, "DELETE FROM node WHERE key LIKE 'kommunalsjef%'")
    elif damage == "name removed":
        _tamper(path, "DELETE FROM name WHERE key LIKE 'kommunalsjef%'")
    elif damage == "row moved":  # another row's body and MAC under this key
        conn = sqlite3.connect(path)
        body, mac = conn.execute("SELECT body, mac FROM node WHERE key = 'radmann'").fetchone()
        with conn:
            conn.execute(
                "UPDATE node SET body = ?, mac = ? WHERE key = 'kommunalsjef'", (body, mac)
            )
        conn.close()
    elif damage == "header":
        now, then = f'"store":{store.STORE_FORMAT}', f'"store":{store.STORE_FORMAT + 1}'
        _tamper(path, "UPDATE meta SET body = replace(body, ?, ?)", now, then)
    elif damage == "empty table":
        _tamper(path, "DELETE FROM name")
    elif damage == "spans edited":  # the top's span of 13 now 3
        _tamper(path, "UPDATE list SET body = replace(body, ',13,13,', ',3,3,')")
    elif damage == "spans removed":
        _tamper(path, "DELETE FROM list WHERE key LIKE 'spans:%'")
    elif damage == "stats edited":  # one level fewer
        _tamper(path, "UPDATE meta SET body = replace(body, '[2,', '[1,') WHERE key = 'stats'")
    assert _run_all(invoke) == expected
    assert not path.exists() or _whole(path)  # discarded, or already written again
    assert _run_all(invoke) == expected  # and again, from the rebuilt store
    assert _whole(path)


def _whole(path: Path) -> bool:
    """Whether the store at ``path`` passes every check, row by row."""
    rows = store.open_store(path.stem, path.parent)
    if rows is None:
        return False
    try:
        list(rows.nodes_in_order())
        for table in ("node", "name", "word"):
            list(rows.scan(table))
    except store.StoreCorrupt:
        return False
    finally:
        rows.close()
    return True


def test_rows_from_another_organisations_store_are_not_trusted(
    folder: Path, invoke: Invoke, tmp_path: Path, expected: list[tuple[int, str]]
) -> None:
    """Same secret, same ids, another content key: its rows' MACs do not match."""
    _run_all(invoke)
    path = the_store(folder)
    other = tmp_path / "other.yaml"
    other.write_text(
        DATA.read_text(encoding="utf-8").replace("Kommunalsjef", "Kommunaldirektør"),
        encoding="utf-8",
    )
    assert invoke("--data", str(other), "who-reports-to", "kommunalsjef").exit_code == 0
    other_path = next(p for p in folder.glob("*.db") if p != path)
    shutil.copyfile(other_path, path)
    assert _run_all(invoke) == expected


def _read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the cache folder refuse writes: its mode, or (for root, whom modes do not stop)
    every way orgroles writes there failing as on a read-only file system."""
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if not os.access(folder, os.W_OK):
        return
    real_open, real_unlink = os.open, Path.unlink
    real_mkstemp: Any = tempfile.mkstemp

    def refuse(*_: Any, **__: Any) -> Any:
        raise OSError(errno.EROFS, "Read-only file system")

    def guarded_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(folder)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse()
        return real_open(path, flags, *args, **kwargs)

    def guarded_mkstemp(*args: Any, dir: Any = None, **kwargs: Any) -> Any:
        if dir is not None and str(dir).startswith(str(folder)):
            refuse()
        return real_mkstemp(*args, dir=dir, **kwargs)

    def guarded_unlink(self: Path, missing_ok: bool = False) -> None:
        if str(self).startswith(str(folder)):
            refuse()
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(tempfile, "mkstemp", guarded_mkstemp)
    monkeypatch.setattr(Path, "unlink", guarded_unlink)


@pytest.mark.slow
@pytest.mark.parametrize("before", ["empty", "with a store", "with a damaged store"])
def test_a_read_only_cache_folder_still_answers(
    before: str,
    folder: Path,
    invoke: Invoke,
    expected: list[tuple[int, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder.mkdir(parents=True, mode=0o700)
    if before != "empty":
        _run_all(invoke)
    if before == "with a damaged store":
        _tamper(the_store(folder), "DELETE FROM node WHERE key LIKE 'kommunalsjef%'")
    stores = sorted(folder.glob("*.db"))
    try:
        _read_only(folder, monkeypatch)
        assert _run_all(invoke) == expected
        assert sorted(folder.glob("*.db")) == stores
    finally:
        monkeypatch.undo()
        folder.chmod(0o700)


def test_a_store_others_can_write_is_not_used(folder: Path, invoke: Invoke) -> None:
    _run_all(invoke)
    path = the_store(folder)
    path.chmod(0o622)
    key = path.stem
    assert store.open_store(key, folder) is None


def _race(folder: str, data: str, results: Any) -> None:
    os.environ["XDG_CACHE_HOME"] = folder
    from typer.testing import CliRunner

    from orgroles.cli import app

    runner = CliRunner()
    outs = []
    for _ in range(3):
        result = runner.invoke(app, ["--data", data, "reports-to", "tjenesteleder", "--json"])
        outs.append((result.exit_code, result.stdout))
    results.put(outs)


@pytest.mark.slow
def test_racing_processes_write_and_read_the_store_safely(tmp_path: Path, invoke: Invoke) -> None:
    want = invoke("--no-cache", "reports-to", "tjenesteleder", "--json")
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_race, args=(str(tmp_path / "xdg"), str(DATA), results))
        for _ in range(4)
    ]
    for proc in procs:
        proc.start()
    outs = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert all(out == (0, want.stdout) for run in outs for out in run)
    assert len(list((tmp_path / "xdg" / "orgroles").glob("*.db"))) == 1
    assert not list((tmp_path / "xdg" / "orgroles").glob("*.tmp"))


def test_an_edited_file_is_answered_from_its_own_store(
    folder: Path, invoke: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "org.yaml"
    path.write_text((FIXTURES / "small.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    ask = ["--data", str(path), "who-reports-to", "--all", "topp", "--json"]
    first = invoke(*ask)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("reports_to: topp,", "reports_to: annen_topp,", 1), encoding="utf-8"
    )
    second = invoke(*ask)
    assert second.stdout == invoke("--no-cache", *ask).stdout
    assert first.stdout != second.stdout


# --- knowing the key from the file's stat data ---------------------------------------------------


def test_a_file_whose_stat_data_is_unchanged_is_not_read_again(
    folder: Path, tmp_path: Path
) -> None:
    path = tmp_path / "org.yaml"
    path.write_bytes(DATA.read_bytes())
    key = cache.content_key(path.read_bytes())
    st = os.stat(path)
    later = time.time_ns() + 10 * statcache.RACY_NS
    assert statcache.remember(path, st, key, later)
    assert statcache.known_key(path) == key


def test_a_file_changed_just_before_it_was_read_is_not_remembered(
    folder: Path, tmp_path: Path
) -> None:
    """git's racy case: a change within the timestamp granularity could keep size and times."""
    path = tmp_path / "org.yaml"
    path.write_bytes(DATA.read_bytes())
    st = os.stat(path)
    assert not statcache.remember(path, st, "k", time.time_ns())
    assert statcache.known_key(path) is None


def test_a_key_remembered_by_another_version_is_not_used(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key remembered before an upgrade (or a change of the rules: the cache's format) was
    made under the old versions: the file is hashed anew, so it is validated by today's rules
    (an id with an invisible character passed from last version's store)."""
    path = tmp_path / "org.yaml"
    path.write_bytes(b"x: 1\n")
    st = os.stat(path)
    assert statcache.remember(path, st, "key", time.time_ns() + 10 * statcache.RACY_NS)
    assert statcache.known_key(path) == "key"
    monkeypatch.setattr(cache, "CACHE_FORMAT", cache.CACHE_FORMAT + 1)
    assert statcache.known_key(path) is None


@pytest.mark.parametrize("change", ["content", "same size", "touched", "replaced", "entry"])
def test_any_change_means_reading_and_hashing_again(
    change: str, folder: Path, tmp_path: Path
) -> None:
    path = tmp_path / "org.yaml"
    path.write_bytes(b"x: 1\n")
    st = os.stat(path)
    assert statcache.remember(path, st, "key", time.time_ns() + 10 * statcache.RACY_NS)
    if change == "content":
        path.write_bytes(b"x: 12\n")
    elif change == "same size":  # mtime put back: the ctime still tells
        path.write_bytes(b"x: 2\n")
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    elif change == "touched":
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    elif change == "replaced":
        other = tmp_path / "other.yaml"
        other.write_bytes(b"x: 2\n")
        os.replace(other, path)
    elif change == "entry":  # an entry not written by orgroles (its digest does not match)
        for entry in (folder / "paths").glob("*.json"):
            entry.write_text(entry.read_text().replace('"key": "key"', '"key": "kez"'))
    assert statcache.known_key(path) is None


def test_a_remembered_key_is_used_by_the_store_path(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "org.yaml"
    path.write_bytes((FIXTURES / "small.yaml").read_bytes())
    ix = open_index(path, str(path))
    assert isinstance(ix, StoreIndex)
    key = cache.content_key(path.read_bytes())
    statcache.remember(path, os.stat(path), key, time.time_ns() + 10 * statcache.RACY_NS)

    def never(_: Path) -> Any:
        raise AssertionError("the file was read")

    monkeypatch.setattr("orgroles.load.read_file", never)
    ix = open_index(path, str(path))
    assert isinstance(ix, StoreIndex)
    assert [r.id for r in who_reports_to(ix, "topp").rows] == ["sjef_a", "sjef_b"]


# --- the store is written beside the answer, not before it ---------------------------------------


def test_the_cli_writes_the_store_in_a_child_process(tmp_path: Path) -> None:
    """A real orgroles process answers first; a detached child writes the store, and does not
    hold the output open (so `| jq` ends when the answer does)."""
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    ask = [sys.executable, "-m", "orgroles", "--data", str(DATA), "reports-to", "tjenesteleder"]
    first = subprocess.run([*ask, "--json"], capture_output=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    folder = tmp_path / "xdg" / "orgroles"
    deadline = time.monotonic() + 60
    while (not list(folder.glob("*.db")) or list(folder.glob("*.building"))) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.05)
    assert _whole(the_store(folder))
    again = subprocess.run([*ask, "--json"], capture_output=True, env=env, timeout=120)
    assert again.stdout == first.stdout
    assert not list(folder.glob("*.tmp"))


def test_a_store_being_written_is_neither_waited_for_nor_written_twice(
    folder: Path, invoke: Invoke, expected: list[tuple[int, str]]
) -> None:
    folder.mkdir(parents=True, mode=0o700)
    key = cache.content_key(DATA.read_bytes())
    marker = folder / f"{key}.building"
    import subprocess
    import sys

    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "orgroles"])
    try:
        marker.write_text(str(writer.pid))  # a live orgroles process is writing it
        assert _run_all(invoke) == expected
        assert not list(folder.glob("*.db"))
        marker.write_text(str(os.getpid()))  # a live process, but not orgroles: a reused pid
        assert _run_all(invoke) == expected
        assert _whole(the_store(folder))
        the_store(folder).unlink()
        marker.write_text(str(writer.pid))  # orgroles, but hours ago: a writer that hung
        old = time.time() - store.BUILDING_AT_MOST - 60
        os.utime(marker, (old, old))
        assert _run_all(invoke) == expected
        assert _whole(the_store(folder))
        the_store(folder).unlink()
    finally:
        writer.kill()
        writer.wait()
    marker.write_text("999999999")  # a writer that is gone without finishing: killed
    assert _run_all(invoke) == expected
    assert not marker.exists() and not list(folder.glob("*.db"))  # not started again at once
    assert (folder / f"{key}.failed").exists()
    (folder / f"{key}.failed").unlink()
    assert _run_all(invoke) == expected
    assert _whole(the_store(folder))


def test_a_name_of_thousands_lists_a_few_and_counts_the_rest(tmp_path: Path, big: Big) -> None:
    """'Leder' is a whole word of 3,000 titles: the error names ten and counts the others,
    alike from memory and from the store, without reading every post to say so."""
    disk, mem = open_big(big, tmp_path), big.mem
    for ix in (disk, mem):
        with pytest.raises(OrgrolesError) as caught:
            reports_to(ix, "Leder")
        message = caught.value.lines()[0]
        assert message.endswith("and 2,995 more"), message[-80:]  # 3,000 posts, 5 roles
        assert message.count("', '") == 9  # ten listed
    assert len(disk._records) < 100  # the ten listed, not the 3,000
    assert _answer(reports_to, disk, "Leder") == _answer(reports_to, mem, "Leder")
    _same(disk, mem, reports_to, "Leder 2999")
    _same(disk, mem, who_reports_to, "leder nivå 2")


def test_completion_reads_the_ids_it_offers_from_the_store(tmp_path: Path, big: Big) -> None:
    """Completion of a name: the same candidates from the store as from memory, in file
    order, at most the limit, read by a range of the id index."""
    from orgroles.completion import LIMIT, names_for

    disk, mem = open_big(big, tmp_path), big.mem
    for prefix in ("", "p", "p00001", "p0002999", "niva", "u", "forum", "x", "å"):
        assert names_for(disk, prefix) == names_for(mem, prefix), prefix
    assert len(names_for(disk, "p")) == LIMIT
    assert disk._all is None  # no walk of every row


def test_everyone_below_the_top_is_answered_from_memory_and_a_leaf_from_the_store(
    tmp_path: Path, big: Big, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`who-reports-to --all` of most of a large organisation loads it (faster than 100,000
    rows read one by one); of a small part, reads the store. The answers are the same."""
    monkeypatch.setattr("orgroles.storeindex.LARGE_ANSWER_ROWS", 500)  # 3,000 posts here
    disk = open_big(big, tmp_path)
    assert disk.large_answer("p0000000", True)
    assert disk.large_answer("leder nivå 1", True)  # a role: the rows below all its posts
    assert not disk.large_answer("p0002999", True)
    assert not disk.large_answer("no such name", True)
    assert not disk.large_answer("p0000000", False)  # its direct reports are few
    last_role = max(big.mem.line.role_posts, key=lambda r: big.mem.line.order[r])
    assert not disk.large_answer(last_role, True)  # its posts, with nobody below them
    below_last = [n for n in big.mem.line.role_posts if big.mem.line.order[n] < 99]
    assert any(disk.large_answer(r, False) for r in below_last)  # a role of many reports
    _same(disk, big.mem, who_reports_to, "p0000100", all_levels=True)


@pytest.mark.parametrize("damage", ["none", "list removed", "list edited"])
def test_a_role_of_many_posts_keeps_them_apart_and_checked(
    damage: str, tmp_path: Path, big: Big
) -> None:
    """A role's long list of posts lives in its own row: a question about one of its posts
    reads neither the list nor, when the list row is damaged, a wrong answer."""
    disk, mem = open_big(big, tmp_path), big.mem
    folder = tmp_path / "orgroles"
    role = max(mem.line.role_posts, key=lambda r: len(mem.line.role_posts[r]))
    assert len(mem.line.role_posts[role]) > store.INLINE
    path = next(folder.glob("*.db"))
    if damage == "list removed":
        _tamper(path, "DELETE FROM list WHERE key = ?", f"posts:{role}")
    elif damage == "list edited":
        _tamper(
            path, "UPDATE list SET body = replace(body, 'p0', 'p9') WHERE key = ?", f"posts:{role}"
        )
    last = mem.line.role_posts[role][-1]
    _same(disk, mem, reports_to, last)
    assert ("list", f"posts:{role}") not in disk._other  # not read for that
    _same(disk, mem, who_reports_to, role)  # reads it
    _same(disk, mem, line_tree, role)
    assert isinstance(disk._rows, store.Store) == (damage == "none")


WORDS = """\
format: orgroles/1
meta:
  title: Eiendomsfirma
vocabulary:
  unit_kinds:
    - {id: avdeling, name: {nb: avdeling, en: department}}
roles:
  - id: sjef
    name: {nb: daglig leder, en: chief executive}
posts:
  - {id: ceo, role: sjef}
  - {id: p1, reports_to: ceo, heads: u1}
  - {id: p2, reports_to: ceo, holders: [Jø Ekeberg]}
units:
  - {id: u1, kind: avdeling, name: {nb: Oslo Eiendom Øst, en: Oslo property east}}
"""


@pytest.mark.parametrize("people", [True, False], ids=["people", "no-people"])
def test_a_whole_word_after_a_letter_folded_away_is_found_alike(
    people: bool, tmp_path: Path
) -> None:
    """ "Jø Ekeberg" folds to "jokeberg" (spaces go before "oe" becomes "o"): the word
    "ekeberg" is not inside the folded name, but it is a whole word of the name, in memory as
    in the store (an attack found the two apart)."""
    disk = store_index(WORDS.encode(), tmp_path / "orgroles", people)
    mem = memory_index(WORDS.encode(), people)
    for name in ("ekeberg", "eiendom", "eiendom øst", "oslo eiendom", "Øst"):
        _same(disk, mem, show, name)
    assert mem.resolve("eiendom") == "u1"
    if people:
        assert mem.resolve("ekeberg") == "p2"


def test_a_store_whose_keys_sort_otherwise_is_not_trusted(
    folder: Path, invoke: Invoke, tmp_path: Path
) -> None:
    """A node table rebuilt with another collation (authentic rows, one left out) would make
    a lookup that misses prove the wrong thing: the schema is checked when the store opens."""
    path = tmp_path / "case.yaml"
    path.write_text(
        "format: orgroles/1\nmeta: {title: Case firm}\nroles:\n"
        "  - {id: sjef, name: {nb: daglig leder, en: chief executive}}\nposts:\n"
        "  - {id: aasen, role: sjef}\n  - {id: CEO, reports_to: aasen, title: Visesjef}\n"
        "  - {id: it, reports_to: CEO, title: IT-sjef}\n",
        encoding="utf-8",
    )
    asks = [["show", "CEO"], ["reports-to", "it"], ["who-reports-to", "aasen"], ["tree"]]
    want = [invoke("--no-cache", "--data", str(path), *a).stdout for a in asks]
    assert [invoke("--data", str(path), *a).stdout for a in asks] == want
    db = the_store(folder)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("ALTER TABLE node RENAME TO old")
        conn.execute(
            "CREATE TABLE node (key TEXT PRIMARY KEY COLLATE NOCASE, body TEXT NOT NULL, "
            "mac BLOB NOT NULL, ord INTEGER UNIQUE) WITHOUT ROWID"
        )
        conn.execute("INSERT INTO node SELECT * FROM old WHERE key != 'CEO'")
        conn.execute("DROP TABLE old")
    conn.close()
    results = [invoke("--data", str(path), *a) for a in asks]
    assert [(r.exit_code, r.stdout) for r in results] == [(0, w) for w in want]
    assert _whole(the_store(folder))


def test_a_name_with_a_lone_underscore_still_gets_a_store(folder: Path, invoke: Invoke) -> None:
    """'_' is a word that folds to nothing: it once collided with the key that starts each
    table's chain, so the store was never written (and every run tried again)."""
    path = folder.parent / "u.yaml"
    folder.mkdir(parents=True, mode=0o700)
    path.write_text(
        "format: orgroles/1\nmeta: {title: U, require_sources: false}\n"
        "posts:\n  - {id: a, title: Sjef _ A}\n  - {id: b, reports_to: a}\n",
        encoding="utf-8",
    )
    ask = ["--data", str(path), "who-reports-to", "a", "--json"]
    want = invoke("--no-cache", *ask).stdout
    assert invoke(*ask).stdout == want
    assert _whole(the_store(folder))
    assert invoke(*ask).stdout == want
    assert not list(folder.glob("*.failed"))


def test_a_store_that_could_not_be_written_is_not_tried_on_every_run(
    folder: Path, invoke: Invoke
) -> None:
    folder.mkdir(parents=True, mode=0o700)
    key = cache.content_key(DATA.read_bytes())
    (folder / f"{key}.failed").touch()
    expected = invoke("--no-cache", "reports-to", "tjenesteleder", "--json").stdout
    assert invoke("reports-to", "tjenesteleder", "--json").stdout == expected
    assert not list(folder.glob("*.db"))
    old = time.time() - store.BUILDING_AT_MOST - 60
    os.utime(folder / f"{key}.failed", (old, old))
    assert invoke("reports-to", "tjenesteleder", "--json").stdout == expected
    assert _whole(the_store(folder))


# --- stats: the measurements the store keeps ---------------------------------------------------


def test_stats_of_a_large_organisation_are_read_from_the_store_and_agree(
    tmp_path: Path, big: Big
) -> None:
    disk = open_big(big, tmp_path)
    for limit in (None, 1, 2, 10, 10_000):
        assert to_json(statistics(disk, limit)) == to_json(statistics(big.mem, limit))
    assert disk._all is None  # read from the stats rows, no walk of every node
    assert isinstance(disk._rows, store.Store)


def test_a_limit_is_applied_to_the_span_as_measured_not_as_rounded() -> None:
    head = {
        "levels": [[0, 1, False, ["p"]]],
        "roles": [],
        "staff": [0, False],
        "posts": 2,
        "held": 0,
        "vacant": [],
        "widest": "a",
        "narrowest": "b",
    }
    spans: list[list[Any]] = [
        ["a", "A", None, 3.0, 0, 3.0, False, {"u": 3.04}],
        ["b", "B", None, 3.0, 3, 0, False],
    ]
    answer = decode(head, spans, 3)
    assert [s.over_limit for s in answer.spans] == [True, False]
    assert [w.span.id for w in answer.warnings] == ["a"]
    assert answer.widest is not None and answer.widest.id == "a"


def test_stats_table_shows_the_widest_spans_of_many_and_all_on_request(
    tmp_path: Path, big: Big, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    data = tmp_path / "big.yaml"
    data.write_bytes(big.text)
    answer = statistics(big.mem, 1)
    widest = sorted(answer.spans, key=lambda s: -s.span)[:20]
    short = invoke("--data", str(data), "stats", "--max-span", "1", "--lang", "en")
    assert short.exit_code == 0, short.stderr
    span_rows = [line.split()[0] for line in short.stdout.splitlines() if line.startswith("  p")]
    assert span_rows == [s.id for s in widest]
    total = f"{len(answer.spans):,}".replace(",", "")
    assert f"the 20 widest of {total}; --all lists every one" in short.stdout
    assert f"and {len(answer.warnings) - 20} more (--all lists every one)" in short.stdout
    full = invoke("--data", str(data), "stats", "--all", "--max-span", "1", "--lang", "en")
    assert full.exit_code == 0, full.stderr
    assert "widest of" not in full.stdout and "more (--all" not in full.stdout
    assert all(f"  {s.id} " in full.stdout for s in answer.spans)
    as_json = invoke("--data", str(data), "stats", "--json")
    assert len(json.loads(as_json.stdout)["spans"]) == len(answer.spans)


HOLDERS_AS_NAMES = b"""\
format: orgroles/1
meta:
  title: {nb: Test AS, en: Test Ltd}
posts:
  - id: boss
    holders: [Kari Nordmann]
  - id: p2
    reports_to: boss
    holders: [Ola Hansen]
  - id: p3
    reports_to: boss
    vacant: true
    holders: [{name: Per Former, until: 2023-01-01}]
  - id: p4
    reports_to: p3
"""


@pytest.mark.parametrize("people", [True, False], ids=["people", "no-people"])
def test_stats_of_posts_named_by_their_holders_follow_no_people(
    tmp_path: Path, people: bool
) -> None:
    """A post with no title is named by its holder: without people, the stored spans and
    vacancies name it by its id, as in memory (found by an attack: the store leaked names)."""
    disk = store_index(HOLDERS_AS_NAMES, tmp_path / "orgroles", people)
    mem = memory_index(HOLDERS_AS_NAMES, people)
    for limit in (None, 1):
        _same(disk, mem, statistics, max_span=limit)
    shown = to_json(statistics(disk, 1))
    assert ("Kari Nordmann" in shown) == people


@pytest.mark.parametrize(
    "args",
    [
        ["who-reports-to", "kommunalsjef", "--json"],
        ["who-reports-to", "nobody-at-all"],
        ["can", "tjenesteleder", "budsjettansvar"],
        ["validate"],
    ],
)
def test_a_cold_run_ends_as_a_warm_one_and_then_the_store_is_written(
    tmp_path: Path, args: list[str]
) -> None:
    """The console script starts the store's writer once the command is done and exits at
    once: the same output and exit status as the warm run, whatever the status."""
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    ask = [sys.executable, "-m", "orgroles", "--data", str(DATA), *args]
    cold = subprocess.run(ask, capture_output=True, env=env, timeout=120)
    folder = tmp_path / "xdg" / "orgroles"
    deadline = time.monotonic() + 60
    while (not list(folder.glob("*.db")) or list(folder.glob("*.building"))) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.05)
    warm = subprocess.run(ask, capture_output=True, env=env, timeout=120)
    assert (cold.returncode, cold.stdout, cold.stderr) == (
        warm.returncode,
        warm.stdout,
        warm.stderr,
    )
    assert _whole(the_store(folder))


def test_a_writer_killed_and_not_yet_reaped_counts_as_killed(tmp_path: Path) -> None:
    """A zombie answers os.kill(pid, 0): it is still a writer that is gone (an attack found
    it taken for 'no writer', and the writer started again at once)."""
    folder = tmp_path / "c"
    folder.mkdir(mode=0o700)
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        deadline = time.monotonic() + 10
        while not store._is_zombie(pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert store._is_zombie(pid)
        (folder / "k.building").write_text(str(pid))
        assert not store.building("k", folder)
        assert store.failed_lately("k", folder)
    finally:
        os.waitpid(pid, 0)
    assert not store._is_zombie(os.getpid())


def test_a_cold_run_with_stdout_or_stderr_closed_ends_as_a_warm_one(tmp_path: Path) -> None:
    """The console script started with a descriptor closed (sys.stdout or sys.stderr is
    None): the cold run's status is the warm run's, and the store is written."""
    import subprocess
    import sys

    for closed in (1, 2):
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / f"xdg{closed}")}
        ask = [sys.executable, "-m", "orgroles", "--data", str(DATA), "who-reports-to", "radmann"]

        def run(
            fd: int = closed, ask: list[str] = ask, env: dict[str, str] = env
        ) -> subprocess.CompletedProcess[bytes]:
            return subprocess.run(
                ask, env=env, capture_output=True, timeout=120, preexec_fn=lambda: os.close(fd)
            )

        cold = run()
        folder = tmp_path / f"xdg{closed}" / "orgroles"
        deadline = time.monotonic() + 60
        while (not list(folder.glob("*.db")) or list(folder.glob("*.building"))) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.05)
        warm = run()
        assert b"Traceback" not in cold.stderr
        assert (cold.returncode, cold.stderr) == (warm.returncode, warm.stderr), closed
        assert _whole(the_store(folder))


def test_the_writer_keeps_no_descriptor_of_the_command_open(tmp_path: Path, synthetic: Any) -> None:
    """A descriptor the command inherited (`3>&1` into a pipe, a lock) is closed in the
    writer: the pipe's reader sees its end when the command ends, not when the store does."""
    import subprocess
    import sys

    source = synthetic(20_000, 3)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    read_end, write_end = os.pipe()
    ask = [sys.executable, "-m", "orgroles", "--data", str(source), "who-reports-to", "p0000001"]
    try:
        done = subprocess.run(ask, env=env, capture_output=True, timeout=300, pass_fds=(write_end,))
        assert done.returncode == 0, done.stderr
        os.close(write_end)
        write_end = -1
        ended = time.monotonic()
        assert os.read(read_end, 1) == b""  # the end, at once
        waited = time.monotonic() - ended
        folder = tmp_path / "xdg" / "orgroles"
        assert list(folder.glob("*.building")) or waited < 1.0
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


# --- the writer streams the names; its rows are those defined in memory ------------------------

_WORDS = ["Kultur", "Sjef", "Kultursjef", "Leder", "Kari", "kultur og helse", "IKT"]


@st.composite
def named_organisations(draw: st.DrawFn) -> str:
    """A small file whose names collide on purpose: roles, portfolios, units and holders drawn
    from a few words, so a name is written for one entity, made up for another (``kultursjef``
    from a role and a portfolio) and a person's name for a third."""
    pick = st.sampled_from(_WORDS)
    roles = [f"  - {{id: r{i}, name: {{nb: {draw(pick)}, en: {draw(pick)}}}}}" for i in range(3)]
    units = [f"  - {{id: u{i}, kind: unit, name: {{nb: {draw(pick)}}}}}" for i in range(2)]
    posts = []
    for i in range(draw(st.integers(1, 6))):
        fields = [f"id: p{i}", f"role: r{draw(st.integers(0, 2))}"]
        if draw(st.booleans()):
            fields.append(f"portfolio: {{nb: {draw(pick)}, en: {draw(pick)}}}")
        elif draw(st.booleans()) and i < 2:
            fields.append(f"heads: u{i}")
        people = draw(st.lists(pick, max_size=2, unique=True))
        if people:
            fields.append(f"holders: [{', '.join(people)}]")
        posts.append("  - {" + ", ".join(fields) + "}")
    return "\n".join(
        [
            "format: orgroles/1",
            "meta: {title: {nb: Navn, en: Names}}",
            "vocabulary:",
            "  unit_kinds: [{id: unit, name: {nb: enhet, en: unit}}]",
            "roles:",
            *roles,
            "posts:",
            *posts,
            "units:",
            *units,
            "",
        ]
    )


def _every_row(text: bytes, folder: Path) -> None:
    """Each table of the written store holds exactly the rows ``store.Contents`` defines."""
    plain = validate_data(text, "org.yaml")
    org = from_data(plain, file="org.yaml")
    key = cache.content_key(text)
    assert store.write(key, store.Contents(plain, org), folder)
    expected = store.Contents(validate_data(text, "org.yaml"), org)
    conn = sqlite3.connect(store.store_path(key, folder))
    try:
        lookups = {
            "node": (expected.node_ids(), expected.node),
            "list": (expected.list_keys(), expected.list_row),
            "name": (expected.name_keys(), expected.name),
            "word": (expected.words(), expected.word),
            "tree": (expected.tree_keys(), expected.tree),
        }
        for table, (keys, body_of) in lookups.items():
            got = {
                k: json.loads(body)
                for k, body in conn.execute(f"SELECT key, body FROM {table}")
                if k != store.START
            }
            assert sorted(got) == sorted(keys), table
            for k, body in got.items():
                body.pop("n", None)
                assert body == json.loads(json.dumps(body_of(k))), (table, k)
    finally:
        conn.close()


@settings(max_examples=max(EXAMPLES // 2, 25), deadline=None)
@given(named_organisations())
def test_the_written_names_and_words_are_those_defined_in_memory(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _every_row(text.encode(), Path(tmp) / "orgroles")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_row_written_is_the_row_defined_in_memory(path: Path, tmp_path: Path) -> None:
    _every_row(path.read_bytes(), tmp_path / "orgroles")


def test_the_writer_leaves_only_the_store_and_sweeps_what_a_killed_one_left(
    tmp_path: Path,
) -> None:
    """The names are counted in a private scratch file beside the store, removed when done;
    a killed writer's temporary files (store and scratch) are removed by the next writer once
    nobody has written to them for ``store.ABANDONED`` seconds."""
    text = (FIXTURES / "people.yaml").read_bytes()
    plain = validate_data(text, "org.yaml")
    org = from_data(plain, file="org.yaml")
    key = cache.content_key(text)
    folder = tmp_path / "orgroles"
    folder.mkdir(mode=0o700)
    stale = [folder / f".{key}.dead1.db.tmp", folder / f".{key}.dead1.names.db.tmp"]
    fresh = folder / f".{key}.alive.names.db.tmp"
    for path in [*stale, fresh]:
        path.write_bytes(b"")
    old = time.time() - store.ABANDONED - 60
    for path in stale:
        os.utime(path, (old, old))
    assert store.write(key, store.Contents(plain, org), folder)
    left = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
    assert left == [fresh.name]  # a writer still at work is left alone
    assert store.store_path(key, folder).exists()


def test_the_scratch_file_of_names_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """People's names pass through the scratch file: only its owner may read it."""
    text = (FIXTURES / "people.yaml").read_bytes()
    plain = validate_data(text, "org.yaml")
    folder = tmp_path / "orgroles"
    seen: list[int] = []
    count = store._count_names

    def checked(conn: sqlite3.Connection, org: Any, *rest: Any) -> None:
        count(conn, org, *rest)
        seen.extend(stat.S_IMODE(p.stat().st_mode) for p in folder.glob(".*.names.db.tmp"))

    monkeypatch.setattr(store, "_count_names", checked)
    assert store.write(cache.content_key(text), store.Contents(plain, from_data(plain)), folder)
    assert seen == [0o600]


def test_the_writer_takes_its_organisation_and_forgets_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The store's writer holds the only reference to what it writes: taking a pending store
    empties the list (another file's organisation is not kept in its memory either)."""
    from orgroles import load

    first: tuple[dict[str, Any], Any] = ({"a": 1}, object())
    second: tuple[dict[str, Any], Any] = ({"b": 2}, object())
    pending = [("k1", *first), ("k2", *second)]
    monkeypatch.setattr(load, "PENDING_STORES", pending)
    assert load.take_pending("k2") == second
    assert pending == []
    with pytest.raises(KeyError):
        load.take_pending("k1")


@pytest.mark.parametrize(
    "damage",
    [
        "DELETE FROM name WHERE key = 'kultursjef'",
        "DELETE FROM name WHERE key = 'r0'",
        "INSERT INTO name VALUES ('kultursjefx', '{\"i\":[\"r0\"]}', x'00')",
        "UPDATE name SET key = 'zzz' WHERE key = 'kultursjef'",
        "DELETE FROM name WHERE key = 'r0'; INSERT INTO name VALUES ('zz', '{}', x'00')",
    ],
)
@pytest.mark.parametrize("people", [[], ["--no-people"]])
def test_suggestions_from_a_store_with_a_row_removed_added_or_renamed_are_not_trusted(
    folder: Path, invoke: Invoke, write_yaml: Any, damage: str, people: list[str]
) -> None:
    """A miss reads every name for its suggestions: a row removed, added or renamed is caught
    there (the header holds a digest of the keys), so the answer is the one without a store
    (attacks found "did you mean" gone for good after a row was deleted, then renamed)."""
    path = write_yaml(
        "format: orgroles/1\nmeta: {title: T}\nroles:\n  - {id: r0, name: Kultursjef}\n"
    )
    question = ["--data", str(path), *people, "show", "kultursjaf"]
    without = invoke("--no-cache", *question)
    assert without.exit_code == 1 and "Kultursjef (r0)" in without.stderr
    invoke("--data", str(path), "validate")
    for sql in damage.split("; "):
        _tamper(the_store(folder), sql)
    for _ in range(2):  # the store is then written again
        got = invoke(*question)
        assert (got.exit_code, got.stdout, got.stderr) == (1, "", without.stderr)
    assert _whole(the_store(folder))


def test_what_killed_writers_left_is_removed_for_any_file_but_a_live_writers_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer killed before its file changed left files under an old key that no writer of
    that key will sweep; a failed key blocks its own writer for hours. ``tidy`` (every writer,
    and every run that meets a failure) removes any key's abandoned files and dead markers,
    but not the files of a writer still alive, however long it leaves them untouched."""
    folder = tmp_path / "orgroles"
    folder.mkdir(mode=0o700)
    old = time.time() - store.ABANDONED - 60
    dead = [folder / ".aaaa.x1.db.tmp", folder / ".aaaa.x1.names.db.tmp"]
    alive = [folder / ".bbbb.x2.db.tmp", folder / ".bbbb.x2.names.db.tmp"]
    for path in [*dead, *alive]:
        path.write_bytes(b"")
        os.utime(path, (old, old))
    (folder / "aaaa.building").write_text("999999999", encoding="ascii")  # no such process
    (folder / "bbbb.building").write_text(str(os.getpid()), encoding="ascii")
    monkeypatch.setattr(store, "_is_orgroles", lambda pid: pid == os.getpid())
    long_ago = time.time() - store.BUILDING_AT_MOST - 60
    (folder / "cccc.failed").touch()
    os.utime(folder / "cccc.failed", (long_ago, long_ago))
    store.tidy(folder)
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted(["aaaa.failed", "bbbb.building", *(p.name for p in alive)])


def test_a_run_that_meets_a_failed_store_tidies_the_folder(
    folder: Path, invoke: Invoke, write_yaml: Any
) -> None:
    path = write_yaml("format: orgroles/1\nmeta: {title: T}\nroles:\n  - {id: r0, name: R}\n")
    key = cache.content_key(path.read_bytes())
    folder.mkdir(parents=True, mode=0o700)
    (folder / f"{key}.failed").touch()
    leftover = folder / f".{key}.killed.names.db.tmp"
    leftover.write_bytes(b"")
    old = time.time() - store.ABANDONED - 60
    os.utime(leftover, (old, old))
    assert invoke("--data", str(path), "who-reports-to", "r0").exit_code == 0
    assert not leftover.exists()
    assert not store.store_path(key, folder).exists()  # (still failed: not written for hours)


def test_a_writer_keeps_its_files_fresh_and_a_stray_marker_hangs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A live writer touches its temporary files as it goes (``tidy`` never takes them, even
    when its marker was not recognised); a FIFO or a link named like a marker in the cache
    folder is not waited on nor followed (an attack hung every run with a FIFO)."""
    text = (FIXTURES / "people.yaml").read_bytes()
    plain = validate_data(text, "org.yaml")
    folder = tmp_path / "orgroles"
    folder.mkdir(mode=0o700)
    os.mkfifo(folder / "stray.building")
    (folder / "link.building").symlink_to("/dev/zero")
    touched: list[str] = []
    utime = os.utime

    def recorded(path: Any, *args: Any, **kwargs: Any) -> None:
        touched.append(Path(path).name)
        utime(path, *args, **kwargs)

    monkeypatch.setattr(store, "ABANDONED", 0)
    monkeypatch.setattr(os, "utime", recorded)
    key = cache.content_key(text)
    assert store.write(key, store.Contents(plain, from_data(plain)), folder)
    assert any(n.endswith(".names.db.tmp") for n in touched)
    assert any(n.endswith(".db.tmp") and ".names." not in n for n in touched)
    assert not store.building("stray", folder) and not store.building("link", folder)


def test_a_writer_is_known_by_its_pid_and_start_time_not_its_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run through a link of another name, the writer's command line does not say orgroles
    (an attack had its marker removed and a second writer started): its marker names its pid
    and start time, and a process that got the pid since does not count."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc")
    folder = tmp_path / "orgroles"
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(store, "_is_orgroles", lambda pid: False)
    me = os.getpid()
    (folder / "aaaa.building").write_text(f"{me} {store._started(me)}", encoding="ascii")
    (folder / "bbbb.building").write_text(f"{me} 12345", encoding="ascii")  # pid reused
    assert store.building("aaaa", folder)
    assert not store.building("bbbb", folder)
    assert not (folder / "bbbb.building").exists() and (folder / "aaaa.building").exists()
