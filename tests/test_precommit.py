"""The pre-commit hook: its definition, and ``orgroles-pre-commit`` on good and bad files."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from orgroles.precommit import main
from tests.conftest import FIXTURES, ROOT

DUBIOUS = (
    "format: orgroles/1\n"
    "meta: {title: T, require_sources: false}\n"
    "roles:\n"
    "  - {id: boss, name: Boss}\n"
    "  - {id: lead, name: Lead, count: {value: 10, approximate: true}}\n"
    "posts:\n"
    "  - {id: b1, role: boss}\n"
    "  - {id: l1, role: lead, reports_to: b1}\n"
    "  - {id: l2, role: lead, reports_to: b1}\n"
)
DUBIOUS_WARNING = (
    "5:35: warning: role 'lead' has about 10 holders but lists 2 posts: only the listed posts "
    "are in the line (list them all, or none)"
)


def test_hook_definition() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook == {
        "id": "orgroles-validate",
        "name": "orgroles validate",
        "description": "Check orgroles organisation files; every problem as FILE:LINE:COL.",
        "entry": "orgroles-pre-commit",
        "language": "python",
        "files": r"\.ya?ml$",
        "types": ["yaml"],
        "pass_filenames": True,
    }
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'orgroles-pre-commit = "orgroles.precommit:main"' in pyproject


def test_valid_files_pass_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES)
    assert main(["small.yaml", "team-leads.yaml"]) == 0
    assert capsys.readouterr() == ("", "")


def test_every_problem_of_every_file_is_located(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES)
    assert main(["broken.yaml", "small.yaml", "missing.yaml"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "orgroles: broken.yaml:5:43: role 'sjef' declares 4 holders but 3 posts are listed",
        "orgroles: broken.yaml:9:37: reporting cycle: c -> d -> c",
        "orgroles: broken.yaml:11:25: unknown post or role 'ab'; did you mean 'a', 'b'?",
        "orgroles: 3 problems found",
        "orgroles: missing.yaml: data file not found",
    ]


def test_warnings_fail_only_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("org.yaml").write_text(DUBIOUS, encoding="utf-8")
    assert main(["org.yaml"]) == 0
    assert capsys.readouterr().err == f"orgroles: org.yaml:{DUBIOUS_WARNING}\n"
    assert main(["--strict", "org.yaml"]) == 1
    assert (
        capsys.readouterr().err
        == "orgroles: org.yaml:" + DUBIOUS_WARNING.replace("warning: ", "") + "\n"
    )


def test_no_files_is_fine() -> None:
    assert main([]) == 0


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "orgroles-pre-commit"
    assert script.is_file(), "the console script is missing: pip install -e '.[test]' again"


# --- the real pre-commit tool on a temporary repository -------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "__pycache__", ".*_cache", ".hypothesis", "dist", "build", "*.egg-info"
)


def readme_block(marker: str, lang: str) -> str:
    """Return the fenced block that follows ``<!-- pre-commit: MARKER -->`` in the README."""
    found = re.search(rf"<!-- pre-commit: {marker} -->\n```{lang}\n(.*?)```", README, flags=re.S)
    assert found, f"the README lost its pre-commit {marker} block"
    return found.group(1)


def git_env(tmp: Path) -> dict[str, str]:
    """An environment for git and pre-commit that ignores the user's own configuration."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ORGROLES_DATA")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
        PRE_COMMIT_HOME=str(tmp / "pre-commit-home"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


def sh(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A git repository with this repository's hook installed, as the README says to.

    pre-commit installs a hook from a git repository at a commit, so the working tree of this
    repository (committed or not) is copied and committed first.
    """
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip(
            "pre-commit is not installed (it is in the test extra: pip install -e '.[test]')"
        )
    tmp = tmp_path_factory.mktemp("pre-commit")
    env = git_env(tmp)
    hooks = tmp / "orgroles"
    shutil.copytree(ROOT, hooks, ignore=COPY_IGNORE)
    for step in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "snapshot")):
        assert sh("git", *step, cwd=hooks, env=env).returncode == 0, step
    rev = sh("git", "rev-parse", "HEAD", cwd=hooks, env=env).stdout.strip()
    repo = tmp / "ours"
    (repo / "org").mkdir(parents=True)
    config = readme_block("config", "yaml")
    config = config.replace("../orgroles", str(hooks)).replace("COMMIT", rev)
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    assert sh("git", "init", "-q", cwd=repo, env=env).returncode == 0
    installed = sh(sys.executable, "-m", "pre_commit", "install", cwd=repo, env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # Install the hook's environment now (pip and the package index), so failures show here.
    ready = sh(sys.executable, "-m", "pre_commit", "install-hooks", cwd=repo, env=env)
    assert ready.returncode == 0, ready.stdout + ready.stderr
    return repo, env


def commit(
    repo: Path, env: dict[str, str], name: str, source: Path
) -> subprocess.CompletedProcess[str]:
    """Stage ``source`` as ``name`` in ``repo`` and try to commit it (the hook runs)."""
    target = repo / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    sh("git", "add", target, cwd=repo, env=env)
    sh("git", "add", ".pre-commit-config.yaml", cwd=repo, env=env)
    return sh("git", "commit", "-m", "change", cwd=repo, env=env)


@pytest.mark.packaging
def test_a_valid_file_is_committed(consumer: tuple[Path, dict[str, str]]) -> None:
    repo, env = consumer
    done = commit(repo, env, "org/roles.yaml", FIXTURES / "small.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^orgroles validate\.+Passed$", done.stdout + done.stderr, flags=re.M)


@pytest.mark.packaging
def test_an_invalid_file_blocks_the_commit(consumer: tuple[Path, dict[str, str]]) -> None:
    repo, env = consumer
    before = sh("git", "rev-parse", "-q", "--verify", "HEAD", cwd=repo, env=env).stdout
    blocked = commit(repo, env, "org/roles.yaml", FIXTURES / "broken.yaml")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert re.search(r"^orgroles validate\.+Failed$", output, flags=re.M), output
    assert readme_block("output", "text") in output
    assert sh("git", "rev-parse", "-q", "--verify", "HEAD", cwd=repo, env=env).stdout == before


@pytest.mark.packaging
def test_yaml_outside_files_is_not_checked(consumer: tuple[Path, dict[str, str]]) -> None:
    repo, env = consumer
    sh("git", "reset", "-q", "--hard", cwd=repo, env=env)  # whatever a test left staged
    done = commit(repo, env, "notes/list.yaml", ROOT / ".pre-commit-hooks.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(no files to check)Skipped" in done.stdout + done.stderr
