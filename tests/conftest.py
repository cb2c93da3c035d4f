"""Shared fixtures: the repository, the real data, a CLI runner, small organisation files."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from orgroles.cli import app
from orgroles.graph import build_graph
from orgroles.index import OrgIndex
from orgroles.load import load_org
from orgroles.model import Lang, Org
from orgroles.render.jsonout import localise

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
