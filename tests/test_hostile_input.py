"""Hostile and broken data files, through the real CLI, with the cache on and off.

Every case asserts the exit code, the located message, an empty stdout and no traceback.
"""

import json
import os
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, Invoke

CACHE = [pytest.param([], id="cache"), pytest.param(["--no-cache"], id="no-cache")]
COMMANDS = [["validate"], ["tree", "--json"], ["roles"]]


def fails(
    invoke: Invoke,
    path: Path,
    cache: list[str],
    message: str,
    line: int | None = None,
    column: int | None = None,
) -> None:
    """Assert that every command fails on ``path`` with ``message`` at LINE:COL."""
    where = f"{path}:{line}:{column}: " if line is not None else f"{path}: "
    for command in COMMANDS:
        result = invoke(*cache, "--data", str(path), *command)
        assert result.exit_code == 1, result.stdout
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"orgroles: {where}"), first
        assert message in first, first


@pytest.fixture
def write(tmp_path: Path) -> Callable[[bytes], Path]:
    counter = iter(range(1000))

    def make(data: bytes) -> Path:
        path = tmp_path / f"hostile{next(counter)}.yaml"
        path.write_bytes(data)
        return path

    return make


@pytest.mark.parametrize("cache", CACHE)
def test_code_execution_tags_do_nothing(
    invoke: Invoke, write: Callable[[bytes], Path], tmp_path: Path, cache: list[str]
) -> None:
    sentinel = tmp_path / "pwned"
    for tag in (
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
        "!python/object/apply:os.system",
    ):
        path = write(f"format: {tag} ['touch {sentinel}']\n".encode())
        fails(invoke, path, cache, "is not allowed; only plain values", 1, 9)
    assert not sentinel.exists()


@pytest.mark.parametrize("cache", CACHE)
def test_billion_laughs_is_rejected_fast(
    invoke: Invoke, write: Callable[[bytes], Path], cache: list[str]
) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        p, c = chr(96 + i), chr(97 + i)
        lines.append(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]")
    path = write("\n".join(lines).encode())
    start = time.perf_counter()
    fails(invoke, path, cache, "anchors (&name) are not supported", 1, 4)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("cache", CACHE)
@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        (
            "format: orgroles/1\nformat: orgroles/1\nmeta: {title: T}\n",
            2,
            1,
            "duplicate key 'format'",
        ),
        ("format: orgroles/1\nmeta:\n  title: T\n  title: U\n", 4, 3, "duplicate key 'title'"),
        (MINIMAL + "roles:\n  - id: a\n    name: A\n    id: b\n", 6, 5, "duplicate key 'id'"),
        (MINIMAL + "roles:\n  - {id: a, name: {nb: A, nb: B}}\n", 4, 27, "duplicate key 'nb'"),
        (
            MINIMAL
            + "posts:\n  - {id: a, reports_to: b, reports_to: c}\n  - {id: b}\n  - {id: c}\n",
            4,
            28,
            "duplicate key 'reports_to'",
        ),  # two line superiors
        (MINIMAL + "posts:\n  - {id: r\u00e5d}\n  - {id: ra\u030ad}\n", 5, 10, "duplicate id"),
        (
            MINIMAL + "vocabulary:\n  authority_kinds:\n  - id: k\n    name: K\n"
            "    categories: [{id: c, name: C}, {id: c, name: D}]\n",
            7,
            41,
            "duplicate category (of 'k') id 'c' (first defined at line 7, column 23)",
        ),
        (
            MINIMAL + "roles:\n  - id: a\n    name: A\n    functions:\n"
            "    - {id: f, text: F}\n    - {id: f, text: G}\n",
            8,
            12,
            "duplicate function (of 'a') id 'f'",
        ),
        (
            MINIMAL + "principles:\n  - {id: p, name: P}\n  - {id: p, name: Q}\n",
            5,
            10,
            "duplicate principle id 'p'",
        ),
        (
            MINIMAL + "sketch:\n  title: S\n  elements:\n  - {id: e, name: E}\n"
            "  - {id: e, name: F}\n",
            7,
            10,
            "duplicate sketch element id 'e'",
        ),
        (
            MINIMAL + "vocabulary:\n  forum_kinds: [{id: m, name: M}]\n"
            "roles:\n  - {id: r, name: R}\n"
            "forums:\n  - {id: f, kind: m, name: F, members: [r, {id: r, participation: attends}]}\n",
            8,
            44,
            "'r' is listed twice among the members of forum 'f' (first as member 1)",
        ),
        (
            MINIMAL + "posts:\n  - {id: a}\n  - {id: b, reports_to: a}\nrelations:\n"
            "  - {type: advises, from: b, to: a}\n"
            "  - {type: advises, from: b, to: a, source: {slides: [1]}}\n",
            8,
            12,
            "the relation 'advises' from 'b' to 'a' is stated twice (first as relation 1)",
        ),
    ],
    ids=[
        "top",
        "nested",
        "list-item",
        "flow",
        "two-superiors",
        "nfc-nfd-ids",
        "categories",
        "functions",
        "principles",
        "sketch",
        "forum-members",
        "relations",
    ],
)
def test_duplicates_at_every_level(
    invoke: Invoke,
    write: Callable[[bytes], Path],
    cache: list[str],
    text: str,
    line: int,
    column: int,
    message: str,
) -> None:
    fails(invoke, write(text.encode()), cache, message, line, column)


@pytest.mark.parametrize("cache", CACHE)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("NO", "expected true or false, found 'NO'"),
        ("no", "expected true or false, found 'no'"),
        ("on", "expected true or false, found 'on'"),
    ],
)
def test_yaml_11_booleans_are_located_type_errors(
    invoke: Invoke, write: Callable[[bytes], Path], cache: list[str], value: str, message: str
) -> None:
    fails(invoke, write(MINIMAL.replace("false", value).encode()), cache, message, 2, 38)


@pytest.mark.parametrize("cache", CACHE)
@pytest.mark.parametrize("value", ["0150", "8:30", "1.10", "'14'"])
def test_yaml_11_numbers_are_located_type_errors(
    invoke: Invoke, write: Callable[[bytes], Path], cache: list[str], value: str
) -> None:
    text = MINIMAL + f"roles:\n  - {{id: a, name: A, count: {{value: {value}}}}}\n"
    fails(invoke, write(text.encode()), cache, "expected a whole number written in digits", 4, 37)


@pytest.mark.parametrize("cache", CACHE)
def test_yaml_11_lookalikes_stay_text(
    invoke: Invoke, write: Callable[[bytes], Path], cache: list[str]
) -> None:
    text = MINIMAL + (
        "roles:\n  - {id: a, name: NO, plural: '0150', aliases: [on, 8:30, 1.10, 2024-13-01, no]}\n"
    )
    result = invoke(*cache, "--data", str(write(text.encode())), "show", "a", "--json")
    assert result.exit_code == 0
    import json

    data = json.loads(result.stdout)
    assert data["name"] == "NO"
    assert data["aliases"] == ["on", "8:30", "1.10", "2024-13-01", "no"]


@pytest.mark.parametrize("cache", CACHE)
def test_a_bad_date_is_a_located_error(
    invoke: Invoke, write: Callable[[bytes], Path], cache: list[str]
) -> None:
    text = MINIMAL.replace("Test,", "Test, date: 2024-13-01,")
    fails(invoke, write(text.encode()), cache, "'2024-13-01' is not a real date", 2, 27)


@pytest.mark.parametrize("cache", CACHE)
@pytest.mark.parametrize(
    ("data", "line", "column", "message"),
    [
        (b"format: orgroles/1\nmeta:\n\ttitle: T\n", 3, 1, "indent with spaces, not tabs"),
        (
            "format: orgroles/1\nmeta: {title: Bærum}\n".encode("latin-1"),
            2,
            16,
            "not valid UTF-8: byte 0xE6",
        ),
        (b"format: orgroles/1\nmeta: {title: a\x00b}\n", 2, 16, "U+0000 (NULL) is not allowed"),
        (
            b'format: orgroles/1\nmeta: {title: "x\\e[2J"}\n',
            2,
            15,
            "U+001B (ESCAPE) is not allowed",
        ),
        (
            "format: orgroles/1\nmeta: {title: \u202eevil}\n".encode(),
            2,
            15,
            "U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed",
        ),
        (b"format: orgroles/1\nmeta: {title: \x1b[2J}\n", 2, 15, "U+001B (ESCAPE) is not allowed"),
        (b"", 1, 1, "the file is empty"),
        (b"# only comments\n# here\n", 1, 1, "the file is empty"),
        (b"- format\n- meta\n", 1, 1, "expected a mapping at the top of the file"),
        (b"orgroles\n", 1, 1, "expected a mapping at the top of the file"),
        (MINIMAL.encode() + b"---\n" + MINIMAL.encode(), 3, 1, "only one YAML document per file"),
    ],
    ids=[
        "tabs",
        "latin-1",
        "nul",
        "escape-sequence",
        "bidi",
        "raw-escape",
        "empty",
        "comments-only",
        "top-level-list",
        "top-level-scalar",
        "two-documents",
    ],
)
def test_broken_bytes(
    invoke: Invoke,
    write: Callable[[bytes], Path],
    cache: list[str],
    data: bytes,
    line: int,
    column: int,
    message: str,
) -> None:
    fails(invoke, write(data), cache, message, line, column)


@pytest.mark.parametrize("cache", CACHE)
def test_a_utf8_bom_works(invoke: Invoke, write: Callable[[bytes], Path], cache: list[str]) -> None:
    result = invoke(*cache, "--data", str(write(b"\xef\xbb\xbf" + MINIMAL.encode())), "validate")
    assert result.exit_code == 0


@pytest.mark.slow
@pytest.mark.parametrize("cache", CACHE)
@pytest.mark.parametrize("pure", ["0", "1"], ids=["libyaml", "pure-python"])
def test_deep_nesting_in_either_loader(
    invoke: Invoke, write: Callable[[bytes], Path], cache: list[str], pure: str
) -> None:
    path = write(b"format: " + b"[" * 20000 + b"]" * 20000 + b"\n")
    for command in COMMANDS:
        result = invoke(*cache, "--data", str(path), *command, env={"ORGROLES_PURE_YAML": pure})
        assert (result.exit_code, result.stdout) == (1, "")
        assert "nesting" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("cache", CACHE)
def test_a_huge_file(invoke: Invoke, write: Callable[[bytes], Path], cache: list[str]) -> None:
    title = "x" * 20_000_000  # a 20 MB value: loads, no limit needed
    path = write(MINIMAL.replace("Test", title).encode())
    result = invoke(*cache, "--data", str(path), "validate")
    assert result.exit_code == 0


@pytest.mark.parametrize("cache", CACHE)
@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [
        ("posts:\n  - {id: a, reports_to: ghost}\n", 4, 25, "unknown post or role 'ghost'"),
        (
            "posts:\n  - {id: a, reports_to: b}\n  - {id: b, reports_to: a}\n",
            4,
            25,
            "reporting cycle: a -> b -> a",
        ),
        (
            "posts:\n  - {id: a, reports_to: b}\n  - {id: b, reports_to: c}\n  - {id: c, reports_to: a}\n",
            4,
            25,
            "reporting cycle: a -> b -> c -> a",
        ),
        ("posts:\n  - {id: a, reports_to: a}\n", 4, 25, "'a' reports to itself"),
    ],
    ids=["dangling", "cycle-2", "cycle-3", "self"],
)
def test_graph_faults(
    invoke: Invoke,
    write: Callable[[bytes], Path],
    cache: list[str],
    body: str,
    line: int,
    column: int,
    message: str,
) -> None:
    fails(invoke, write((MINIMAL + body).encode()), cache, message, line, column)


@pytest.mark.slow
@pytest.mark.parametrize("cache", CACHE)
def test_a_10000_level_chain_answers(
    invoke: Invoke, write: Callable[[bytes], Path], cache: list[str]
) -> None:
    n = 10_000
    text = (
        MINIMAL
        + "posts:\n  - {id: p0}\n"
        + "".join(f"  - {{id: p{i}, reports_to: p{i - 1}}}\n" for i in range(1, n))
    )
    path = write(text.encode())
    import json

    result = invoke(*cache, "--data", str(path), "reports-to", f"p{n - 1}", "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["chain"]) == n - 1
    result = invoke(*cache, "--data", str(path), "who-reports-to", "p0", "--all", "--json")
    assert len(json.loads(result.stdout)["rows"]) == n - 1
    tree = invoke(*cache, "--data", str(path), "tree", "--json")
    assert json.loads(tree.stdout)["hidden"] == n - 4  # 3 levels by default above 1,000 posts


@pytest.mark.parametrize("cache", CACHE)
def test_several_heads_each_start_a_tree(
    invoke: Invoke, write: Callable[[bytes], Path], cache: list[str]
) -> None:
    text = MINIMAL + "posts:\n  - {id: a}\n  - {id: b}\n  - {id: c, reports_to: b}\n"
    result = invoke(*cache, "--data", str(write(text.encode())), "tree")
    assert result.stdout == "a\nb\n  c\n"


@pytest.mark.parametrize("cache", CACHE)
def test_markup_in_names_is_shown_literally(
    invoke: Invoke, write: Callable[[bytes], Path], cache: list[str]
) -> None:
    name = "[bold]x[/] :fire: [link=https://e.invalid]y[/link] [/]"
    text = MINIMAL + f'roles:\n  - {{id: r, name: "{name}"}}\nposts:\n  - {{id: p, role: r}}\n'
    path = write(text.encode())
    for args in (["roles"], ["tree"], ["show", "r"]):
        result = invoke(*cache, "--data", str(path), *args)
        assert name in result.stdout, args
    result = invoke(*cache, "--data", str(path), "show", "[bold]nothing[/]")
    assert "'[bold]nothing[/]'" in result.stderr


@pytest.mark.parametrize("cache", CACHE)
def test_unusable_paths(invoke: Invoke, tmp_path: Path, cache: list[str]) -> None:
    for path, reason in (
        (tmp_path / "missing.yaml", "data file not found"),
        (tmp_path, "is a directory, not a data file"),
    ):
        result = invoke(*cache, "--data", str(path), "validate")
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == f"orgroles: {path}: {reason}\n"


def test_an_environment_without_home_still_works(invoke: Invoke) -> None:
    saved = {k: os.environ.get(k) for k in ("HOME", "XDG_CACHE_HOME")}
    try:
        os.environ.pop("XDG_CACHE_HOME", None)
        os.environ["HOME"] = "/nonexistent-home"
        assert invoke("validate").exit_code == 0
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# --- issue 14: git option injection --------------------------------------------------------


def _git_repo(tmp_path: Path) -> Path:
    import shutil
    import subprocess

    from tests.conftest import DATA

    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    shutil.copy(DATA, repo / "roles.yaml")
    subprocess.run([*git, "add", "roles.yaml"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=repo, check=True)
    return repo


@pytest.mark.parametrize(
    "spec",
    [
        "--output={out}:y",
        "--output={out}",
        "-o{out}:roles.yaml",
        "--exec=touch {out}:roles.yaml",
        "HEAD --output={out}:roles.yaml",
        "--end-of-options:roles.yaml",
        ":roles.yaml",
        "HEAD:",
    ],
)
def test_diff_never_passes_a_user_string_to_git_as_an_option(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: str
) -> None:
    repo = _git_repo(tmp_path)
    out = tmp_path / "written"
    monkeypatch.chdir(repo)
    result = invoke("diff", "--", spec.format(out=out), "roles.yaml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"orgroles: {spec.format(out=out)}: ")
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


def test_diff_of_a_git_revision_still_works(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _git_repo(tmp_path)
    monkeypatch.chdir(repo)
    assert invoke("diff", "HEAD:roles.yaml", "roles.yaml").exit_code == 0
    assert invoke("diff", "HEAD^{commit}:roles.yaml", "roles.yaml").exit_code == 0
    missing = invoke("diff", "nosuchrev:roles.yaml", "roles.yaml")
    assert (missing.exit_code, missing.stdout) == (2, "")
    assert missing.stderr == (
        "orgroles: nosuchrev:roles.yaml: not found in git (no revision 'nosuchrev')\n"
    )


# --- issue 14: bounded reads ---------------------------------------------------------------


@pytest.mark.parametrize("cache", CACHE)
def test_devices_and_fifos_are_refused_without_reading(
    invoke: Invoke, tmp_path: Path, cache: list[str]
) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    for path, what in (
        (Path("/dev/zero"), "a character device"),
        (Path("/dev/null"), "a character device"),
        (fifo, "a FIFO (named pipe)"),
    ):
        start = time.perf_counter()
        for args in (["--data", str(path), "validate"], ["import", "csv", str(path)]):
            result = invoke(*cache, *args)
            assert (result.exit_code, result.stdout) == (1, ""), args
            assert result.stderr == (
                f"orgroles: {path}: is {what}, not a regular file; give a file\n"
            )
        assert time.perf_counter() - start < 5


@pytest.mark.parametrize("cache", CACHE)
def test_a_file_over_the_size_limit_is_refused(
    invoke: Invoke, write: Callable[[bytes], Path], cache: list[str]
) -> None:
    path = write(MINIMAL.encode())
    size = len(MINIMAL.encode())
    result = invoke(*cache, "--data", str(path), "validate", env={"ORGROLES_MAX_BYTES": "20"})
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"orgroles: {path}: {size} bytes is over the limit of 20 (raise it with "
        "ORGROLES_MAX_BYTES)\n"
    )
    ok = invoke(*cache, "--data", str(path), "validate", env={"ORGROLES_MAX_BYTES": str(size)})
    assert ok.exit_code == 0
    bad = invoke(*cache, "--data", str(path), "validate", env={"ORGROLES_MAX_BYTES": "lots"})
    assert (bad.exit_code, bad.stdout) == (1, "")
    assert "ORGROLES_MAX_BYTES='lots': expected a whole number of bytes" in bad.stderr


# --- issue 14: bounded time (no superlinear growth) ----------------------------------------


def _growth(
    run: Callable[[int], Callable[[], object]], n: int, repeat: int = 3, factor: int = 2
) -> float:
    """Return time(factor·n) / time(n) for ``run(size)`` (prepared outside), best of 3.

    CPU time of this process, not the wall clock: other work on a shared machine does not count.
    """

    def best(size: int) -> float:
        job = run(size)
        times = []
        for _ in range(repeat):
            start = time.process_time()
            job()
            times.append(time.process_time() - start)
        return min(times)

    small, large = best(n), best(factor * n)
    return large / max(small, 1e-3)


@pytest.mark.slow
def test_dangling_references_cost_linear_time() -> None:
    """Suggestions for unknown ids are bounded: 2N dangling references cost about 2x N."""
    from orgroles.errors import DataFileError
    from orgroles.load import validate_data

    def prepare(n: int) -> Callable[[], object]:
        posts = "".join(f"  - {{id: post{i}, reports_to: ghost{i}}}\n" for i in range(n))
        data = (MINIMAL + "posts:\n" + posts).encode()

        def job() -> object:
            with pytest.raises(DataFileError) as caught:
                validate_data(data, "x.yaml")
            assert len(caught.value.problems) == n
            assert "did you mean" in caught.value.problems[0].message
            return caught

        return job

    assert _growth(prepare, 2_000) < 3.5


@pytest.mark.slow
def test_diff_of_many_renames_costs_linear_time() -> None:
    from orgroles.index import build_index
    from orgroles.load import load_bytes
    from orgroles.queries.diff import compare

    def org(prefix: str, n: int) -> object:
        posts = "".join(f"  - {{id: {prefix}{i}, title: T{i % 7}}}\n" for i in range(n))
        return build_index(
            load_bytes((MINIMAL + "posts:\n" + posts).encode(), "x", use_cache=False)
        )

    def prepare(n: int) -> Callable[[], object]:
        before, after = org("old", n), org("new", n)

        def job() -> object:
            changes = compare(before, after).changes  # type: ignore[arg-type]
            assert len(changes) == n and {c.change for c in changes} == {"renamed"}
            return changes

        return job

    assert _growth(prepare, 2_000) < 3.5


@pytest.mark.slow
def test_stats_of_many_siblings_without_roles_costs_linear_time() -> None:
    from orgroles.index import build_index
    from orgroles.load import load_bytes
    from orgroles.queries.stats import statistics

    def prepare(n: int) -> Callable[[], object]:
        posts = "  - {id: boss}\n" + "".join(
            f"  - {{id: p{i}, reports_to: boss}}\n" for i in range(n)
        )
        org = load_bytes((MINIMAL + "posts:\n" + posts).encode(), "x", use_cache=False)

        def job() -> object:  # a fresh index each time: the index remembers answers' parts
            answer = statistics(build_index(org))
            assert answer.leaders == n + 1
            return answer

        return job

    # 4x the posts: linear measures about 8x here (larger dicts miss the CPU's caches: each
    # look-up costs twice as much at 80,000), quadratic would be 16x. (At 2x, linear measured
    # up to 4.6x on a loaded machine against a limit of 3.5.)
    assert _growth(prepare, 20_000, factor=4) < 12.5


# --- issue 14: numbers and characters both parsers agree on --------------------------------


@pytest.mark.parametrize("cache", CACHE)
@pytest.mark.parametrize("pure", ["0", "1"], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize(
    ("title", "count", "line", "column", "message"),
    [
        ("T", "1" * 5000, 4, 37, "a number of 5000 digits is too large (at most 15)"),
        ("T", "1" * 16, 4, 37, "a number of 16 digits is too large (at most 15)"),
        ('"\\ud800"', "1", 2, None, "U+D800 (a surrogate|invalid Unicode character escape"),
        ('"\\ud83d\\ude00"', "1", 2, None, "U+D83D (a surr|invalid Unicode character escape"),
        ('"\\U00110000"', "1", 2, 18, "invalid Unicode character escape"),
        ('"\\UFFFFFFFF"', "1", 2, 18, "invalid Unicode character escape"),
        ('"\\uFFFE"', "1", 2, 15, "U+FFFE (a noncharacter) is not allowed"),
        ('"\\uffff"', "1", 2, 15, "U+FFFF (a noncharacter) is not allowed"),
        ('"\\ufdd0"', "1", 2, 15, "U+FDD0 (a noncharacter) is not allowed"),
        ('"\\U0010FFFF"', "1", 2, 15, "U+10FFFF (a noncharacter) is not allowed"),
        ("a\ufffeb", "1", 2, 16, "U+FFFE (a noncharacter) is not allowed"),
        ("'a\U0001ffff'", "1", 2, 17, "U+1FFFF (a noncharacter) is not allowed"),
    ],
    ids=[
        "5000-digits",
        "16-digits",
        "lone-surrogate",
        "surrogate-pair-escape",
        "past-unicode",
        "far-past-unicode",
        "U+FFFE-escaped",
        "U+FFFF-escaped",
        "U+FDD0-escaped",
        "U+10FFFF-escaped",
        "U+FFFE-raw",
        "U+1FFFF-raw",
    ],
)
def test_numbers_and_characters_both_parsers_refuse(
    invoke: Invoke,
    write: Callable[[bytes], Path],
    cache: list[str],
    pure: str,
    title: str,
    count: str,
    line: int,
    column: int | None,
    message: str,
) -> None:
    text = MINIMAL.replace("Test", title) + (
        f"roles:\n  - {{id: a, name: A, count: {{value: {count}}}}}\n"
    )
    path = write(text.encode())
    for command in COMMANDS:
        result = invoke(*cache, "--data", str(path), *command, env={"ORGROLES_PURE_YAML": pure})
        assert (result.exit_code, result.stdout) == (1, ""), result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
        where = f"orgroles: {path}:{line}:" + (f"{column}: " if column else "")
        assert result.stderr.startswith(where), result.stderr
        # libyaml refuses a surrogate escape itself; the pure parser's value is refused after
        assert any(m in result.stderr for m in message.split("|")), result.stderr


def test_every_export_carries_every_allowed_character(
    invoke: Invoke, write: Callable[[bytes], Path]
) -> None:
    """What the loader lets through, GraphML and GEXF (XML 1.0) can hold: they parse back."""
    import networkx as nx

    name = "\ufffd\U0010fffd\U0001f600\ue000 <&>'\""
    quoted = name.replace('"', '\\"')
    text = MINIMAL + f'roles:\n  - {{id: r, name: "{quoted}"}}\nposts:\n  - {{id: p, role: r}}\n'
    path = write(text.encode())
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = path.with_suffix("." + fmt)
        result = invoke("--data", str(path), "export", "--format", fmt, "-o", str(out))
        assert result.exit_code == 0, result.stderr
        graph = reader(out)
        assert name in {d.get("name_nb") for _, d in graph.nodes(data=True)}


# --- issue 14: CSV export and import -------------------------------------------------------

FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "=cmd|' /C calc'!A0", "'=x", "''+y", "'plain", "a=b"]
# after spaces an import may trim: plain, no-break, ideographic, zero-width
SPACED = [" =1+1", "\u00a0=1+1", "\u3000+1", "\u200b@x", "\ufeff-1", " \u00a0 'a"]
SPACED += ["\u200d=1+1", "\u200c@SUM(1)", "\u180e=2+2", "\u00ad=1", "\u034f+1", "\u2061-1"]
SPACED += ["\u2800=1", "\u3164=1", "\uffa0@x", "＝1+1", "\u200b＋1", "＠SUM(1)"]  # full width
SPACED += ["\ufe661+1", "\ufe62x", "\u00a0\ufe631", "\ufe6bSUM(1)"]  # small forms


def _shown(cell: str) -> str:
    """A cell as an import that trims blanks and drops invisible characters reads it."""
    blank = "\u2800\u3164\uffa0\u115f\u1160"
    i = 0
    while i < len(cell) and (
        cell[i].isspace() or cell[i] in blank or unicodedata.category(cell[i]) in ("Cf", "Mn")
    ):
        i += 1
    return cell[i:]


def test_csv_export_neutralises_formulas_and_import_reads_them_back(
    invoke: Invoke, write: Callable[[bytes], Path], tmp_path: Path
) -> None:
    import csv
    import io
    import json

    posts = "".join(
        f"  - {{id: p{i}, title: {json.dumps(name)}" + (", reports_to: p0" if i else "") + "}\n"
        for i, name in enumerate(FORMULAS + SPACED)
    )
    path = write((MINIMAL + "posts:\n" + posts).encode())
    exported = invoke("--data", str(path), "export", "--format", "csv")
    assert exported.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    for row in rows:  # no cell a spreadsheet would run, even with blanks trimmed
        trimmed = [_shown(v) for v in row.values()]
        assert all(not v or v[0] not in "=+-@\t\r＝＋－＠﹦﹢﹣﹫" for v in trimmed), row
    assert [r["name_nb"] for r in rows] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'=cmd|' /C calc'!A0", "''=x", "'''+y", "'plain", "a=b",
        "' =1+1", "'\u00a0=1+1", "'\u3000+1", "'\u200b@x", "'\ufeff-1", " \u00a0 'a",
        *("'" + cell for cell in SPACED[6:]),
    ]  # fmt: skip
    exported_csv = tmp_path / "export.csv"
    exported_csv.write_text(exported.stdout, encoding="utf-8")
    imported = invoke("import", "csv", str(exported_csv))
    assert imported.exit_code == 0, imported.stderr
    back = tmp_path / "back.yaml"
    back.write_text(imported.stdout, encoding="utf-8")
    shown = json.loads(invoke("--data", str(back), "tree", "--json").stdout)
    names = {r["id"]: r["name"] for r in shown["rows"]}
    assert names == {f"p{i}": name for i, name in enumerate(FORMULAS + SPACED)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--delimiter", ""], "Invalid value for --delimiter: expected one character"),
        (["--delimiter", ";;"], "Invalid value for --delimiter: expected one character"),
        (["--delimiter", '"'], "Invalid value for --delimiter: expected one character"),
        (["--id-col", "0"], "Invalid value for --id-col: column numbers start at 1, got '0'"),
        (["--title-col", "0"], "Invalid value for --title-col: column numbers start at 1"),
    ],
)
def test_csv_import_option_values_are_usage_errors(
    invoke: Invoke, tmp_path: Path, args: list[str], message: str
) -> None:
    path = tmp_path / "hr.csv"
    path.write_text("id,reports_to,title\na,,A\n", encoding="utf-8")
    result = invoke("import", "csv", str(path), *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        ("x\x1b[2Jy", "U+001B (ESCAPE)"),
        ("x\u202ey", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("x\ufffey", "U+FFFE (a noncharacter)"),
        ("x\x85y", "U+0085"),
    ],
)
def test_csv_cells_with_forbidden_characters_are_refused_at_their_row(
    invoke: Invoke, tmp_path: Path, cell: str, name: str
) -> None:
    path = tmp_path / "hr.csv"
    path.write_text(f"id,reports_to,title\na,,A\nb,a,{cell}\n", encoding="utf-8")
    result = invoke("import", "csv", str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"orgroles: {path}:3:1: character {name}"
        + (" (control character)" if name == "U+0085" else "")
        + " is not allowed (in the title column)\n"
    )


@pytest.mark.parametrize("cell", ["x\u2028y", "x\u2029y"])
def test_csv_cells_with_line_separators_come_back_as_written(
    invoke: Invoke, tmp_path: Path, cell: str
) -> None:
    """The loader takes a line or paragraph separator inside a text, so the import does too
    (its YAML writes it so that it reads back as it was)."""
    path = tmp_path / "hr.csv"
    path.write_text(f"id,reports_to,title\na,,A\nb,a,{cell}\n", encoding="utf-8")
    written = tmp_path / "hr.yaml"
    result = invoke("import", "csv", str(path), "-o", str(written))
    assert result.exit_code == 0, result.stderr
    shown = invoke("--no-cache", "--data", str(written), "show", "b", "--json")
    assert json.loads(shown.stdout)["names"]["nb"] == cell


def test_a_long_cycle_in_a_csv_is_abbreviated(invoke: Invoke, tmp_path: Path) -> None:
    n = 10_000
    path = tmp_path / "hr.csv"
    rows = "".join(f"p{i},p{(i + 1) % n},T{i}\n" for i in range(n))
    path.write_text("id,reports_to,title\n" + rows, encoding="utf-8")
    result = invoke("import", "csv", str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"orgroles: {path}:2:1: reporting cycle: p0 -> p1 -> p2 -> p3 -> ... (10000 in the "
        "cycle) ... -> p9996 -> p9997 -> p9998 -> p9999 -> p0\n"
    )


# --- issue 14: memory proportional to the file ---------------------------------------------


@pytest.mark.slow
def test_an_unknown_top_level_key_is_not_built() -> None:
    """The value of an unknown top-level key is parsed but not kept: peak memory stays small."""
    import tracemalloc

    from orgroles.errors import DataFileError
    from orgroles.load import validate_data

    items = ",".join(["{}"] * 100_000)
    data = f"format: orgroles/1\nmeta: {{title: T}}\nx: [{items}]\n".encode()
    tracemalloc.start()
    try:
        with pytest.raises(DataFileError) as caught:
            validate_data(data, "big.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    first = str(caught.value.problems[0])
    assert first.startswith("big.yaml:3:1: unknown key 'x' in Organisation")
    assert peak < 10 * len(data), (peak, len(data))  # was about 90x before issue 14


MIXED_FORMS = (
    "format: orgroles/1\n"
    "meta:\n  title: T\n"
    "roles:\n  - {id: r\u00e9le, name: r\u00e9le}\n"
    "posts:\n"
    '  - id: "se\\u0301f"\n'
    "    role: re\u0301le\n"
    "  - id: b\n"
    '    reports_to: "s\\u00e9f"\n'
    "    holders: [{name: A, email: 'a>b@example.org'}]\n"
)


def test_an_id_and_its_reference_in_two_unicode_forms_are_one(
    tmp_path: Path, invoke: Invoke
) -> None:
    """ "é" written as e + accent in an id and as one letter in a reference: valid (the checks
    compare the composed form), so every answer must follow it (an attack found tree, reports-to
    and the exports failing with a KeyError). Ids are kept composed (NFC)."""
    path = tmp_path / "forms.yaml"
    path.write_text(MIXED_FORMS, encoding="utf-8")
    data = ["--no-cache", "--data", str(path)]
    assert invoke(*data, "validate").exit_code == 0
    chain = invoke(*data, "reports-to", "b", "--json")
    assert chain.exit_code == 0, chain.stderr
    assert "s\u00e9f" in chain.stdout and "se\u0301f" not in chain.stdout
    for fmt in (
        "dot",
        "mermaid",
        "graphml",
        "gexf",
        "node-link",
        "jsonld",
        "turtle",
        "html",
        "csv",
    ):
        result = invoke(*data, "export", "-f", fmt)
        assert result.exit_code == 0, (fmt, result.stderr)
    tree = invoke(*data, "tree")
    assert tree.exit_code == 0 and "A" in tree.stdout  # (b, named by its holder)


@pytest.mark.parametrize(
    "written",
    ["\u304b\u3099", "\u304c", "\u0958", "\u0915\u093c", "\ufb2a", "se\u0301f", "\u212a"],
    ids=[
        "kana-decomposed",
        "kana",
        "qa-excluded",
        "qa-marked",
        "hebrew-shin",
        "e-accent",
        "kelvin",
    ],
)
def test_an_id_in_any_script_and_form_is_valid_and_survives_csv(
    written: str, tmp_path: Path, invoke: Invoke
) -> None:
    """An id is checked in its composed form, marks of any script allowed (an attack found
    decomposed kana refused, and a letter NFC leaves as base + mark exported to CSV that
    import refused)."""
    import unicodedata

    escaped = written.encode("unicode_escape").decode("ascii")
    path = tmp_path / "ids.yaml"
    path.write_text(
        f'format: orgroles/1\nmeta:\n  title: T\nroles:\n  - {{id: "{escaped}", name: X}}\n',
        encoding="utf-8",
    )
    assert invoke("--no-cache", "--data", str(path), "validate").exit_code == 0
    exported = tmp_path / "ids.csv"
    result = invoke("--no-cache", "--data", str(path), "export", "-f", "csv", "-o", str(exported))
    assert result.exit_code == 0, result.stderr
    assert unicodedata.normalize("NFC", written) in exported.read_text(encoding="utf-8")
    back = invoke("import", "csv", str(exported))
    assert back.exit_code == 0, back.stderr
