"""Shared fixtures: the repository, the real data, a CLI runner, small organisation files.

Also the suite's two tiers. ``pytest`` runs the quick tier: tests marked ``slow`` or
``packaging`` are deselected and property tests run a fraction of their examples
(``property_examples()``). ``pytest --full`` runs everything with every example, as CI does. An
explicit ``-m EXPRESSION`` chooses the tests itself (``pytest -m slow``: the slow tier alone).
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from typer.testing import CliRunner

from orgroles.cli import app
from orgroles.graph import build_graph
from orgroles.index import OrgIndex
from orgroles.load import load_org
from orgroles.model import Lang, Org
from orgroles.render.jsonout import localise

FULL = False  # set from --full when pytest starts, before any test module is imported


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full",
        action="store_true",
        help="run the whole suite as CI does: the slow and packaging tests too, and every "
        "property test with its full number of examples",
    )


def pytest_configure(config: pytest.Config) -> None:
    global FULL
    FULL = bool(config.getoption("--full"))


def pytest_report_header(config: pytest.Config) -> str:
    if FULL:
        return "orgroles tier: full (every test, every example)"
    if config.option.markexpr:
        return f"orgroles tier: -m {config.option.markexpr!r} (property tests: fewer examples)"
    return "orgroles tier: quick (slow and packaging tests deselected; pytest --full runs them)"


def pytest_itemcollected(item: pytest.Item) -> None:
    if "browser" in getattr(item, "fixturenames", ()):  # starting Chromium takes seconds
        item.add_marker(pytest.mark.slow)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if FULL or config.option.markexpr:
        return
    now: list[pytest.Item] = []
    later: list[pytest.Item] = []
    for item in items:
        slow = item.get_closest_marker("slow") or item.get_closest_marker("packaging")
        (later if slow else now).append(item)
    if later:
        config.hook.pytest_deselected(items=later)
        items[:] = now


def property_examples(full: int, variable: str | None = None) -> int:
    """Return how many examples a property test runs: ``full`` with --full, a fifth otherwise;
    the number in the environment ``variable`` (a long run by hand) whatever the tier."""
    if variable is not None and os.environ.get(variable):
        return int(os.environ[variable])
    return full if FULL else max(full // 5, 5)


# Typer's CliRunner rebuilds the Click command from the app on every call: two thirds of an
# in-process run of the CLI. The app does not change while the tests run; build it once.
typer.testing._get_command = functools.cache(typer.testing._get_command)  # type: ignore[attr-defined]

# Never touch the user's own cache: every test run (and its subprocesses) gets a fresh one.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="orgroles-test-cache-")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "roles.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def org() -> Org:
    """The bundled organisation, loaded once."""
    return load_org(DATA)


@pytest.fixture(scope="session")
def graph(org: Org) -> Any:
    """The bundled organisation's graph, built once."""
    return build_graph(org)


@pytest.fixture(scope="session")
def ix(org: Org, graph: Any) -> OrgIndex:
    """The bundled organisation's index, built once."""
    return OrgIndex(org, graph)


Invoke = Callable[..., Any]


@pytest.fixture
def invoke() -> Invoke:
    """Run the CLI in-process; returns Typer's Result (stdout and stderr kept apart)."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Any:
        return runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)

    return run


class Screen:
    """What the CLI printed to an injected environment (a terminal of a chosen kind)."""

    def __init__(self, code: int, stdout: bytes, stderr: bytes) -> None:
        self.exit_code = code
        self.stdout = stdout.decode("utf-8")
        self.stderr = stderr.decode("utf-8")
        self.raw = stdout


Terminal = Callable[..., Screen]


@pytest.fixture
def terminal() -> Terminal:
    """Run the CLI in-process with stdout as a terminal of ``columns`` (or a pipe)."""
    import io

    from orgroles.render.output import Environment

    def run(
        *args: str,
        isatty: bool = True,
        columns: int = 100,
        no_color: bool = False,
        dumb: bool = False,
    ) -> Screen:
        out, err = io.BytesIO(), io.BytesIO()
        stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
        stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
        env = Environment(stdout, stderr, isatty, columns, no_color, dumb)
        result = CliRunner().invoke(app, list(args), obj=env, catch_exceptions=False)
        return Screen(result.exit_code, out.getvalue(), err.getvalue())

    return run


EntryPoint = Callable[[dict[str, str]], tuple[int, str, str]]


@pytest.fixture
def entry_point(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> EntryPoint:
    """Run the console script's entry point in-process with ``orgroles`` as its only argument
    and these environment variables set (a shell's completion request); return its exit code,
    stdout and stderr."""
    from orgroles import cli, entry

    def run(extra: dict[str, str]) -> tuple[int, str, str]:
        with monkeypatch.context() as m:
            for name in ("COLUMNS", "ORGROLES_DATA"):
                m.delenv(name, raising=False)
            for name, value in extra.items():
                m.setenv(name, value)
            m.setattr(sys, "argv", ["orgroles"])
            m.chdir(ROOT)
            # cli.main, without what it sets for a process that ends after one answer
            m.setattr(cli, "main", lambda: cli.app(prog_name="orgroles"))
            code = 0
            try:
                entry.main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


def reading(query: Callable[..., Any]) -> Callable[..., Any]:
    """A query whose answers read in one language (``lang``, bokmål unless given): names and
    phrases as strings, as the JSON and the Python API give them, for assertions on words."""

    def asked(*args: Any, lang: Lang = "nb", **kwargs: Any) -> Any:
        return localise(query(*args, **kwargs), lang)

    return asked


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str], Path]:
    """Write a YAML text to a file and return its path."""
    counter = iter(range(1_000_000))

    def write(text: str) -> Path:
        path = tmp_path / f"org{next(counter)}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


MINIMAL = "format: orgroles/1\nmeta: {title: Test, require_sources: false}\n"


@pytest.fixture
def synthetic(tmp_path: Path) -> Callable[[int, int], Path]:
    """Write a synthetic organisation of N posts (bench/make_org.py) and return its path."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from make_org import make_org
    finally:
        sys.path.pop(0)

    def write(posts: int, seed: int = 1) -> Path:
        path = tmp_path / f"synthetic-{posts}-{seed}.yaml"
        path.write_text(make_org(posts, seed), encoding="utf-8")
        return path

    return write
