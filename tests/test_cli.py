"""The command line: exit codes, stdout versus stderr, --data and $ORGROLES_DATA, --version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from orgroles import __version__
from tests.conftest import DATA, FIXTURES, MINIMAL, Invoke


def test_version(invoke: Invoke) -> None:
    result = invoke("--version")
    assert (result.exit_code, result.stdout) == (0, f"orgroles {__version__}\n")


def test_validate_bundled(invoke: Invoke) -> None:
    result = invoke("validate")
    assert result.exit_code == 0
    assert result.stdout == (
        f"{DATA}: valid (5 roles, 27 posts, 25 units, 12 forums, 19 relations)\n"
    )
    assert result.stderr == ""


def test_validate_json(invoke: Invoke) -> None:
    result = invoke("--data", str(FIXTURES / "small.yaml"), "validate", "--json")
    assert json.loads(result.stdout) == {
        "valid": True,
        "file": str(FIXTURES / "small.yaml"),
        "roles": 3,
        "posts": 4,
        "units": 0,
        "forums": 0,
        "relations": 0,
    }


def test_validate_reports_every_problem_on_stderr(
    invoke: Invoke, write_yaml: Callable[[str], Path]
) -> None:
    path = write_yaml(MINIMAL + "posts:\n  - {id: a, reports_to: x}\n  - {id: a}\n")
    result = invoke("--data", str(path), "validate")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"orgroles: {path}:4:25: unknown post or role 'x'\n"
        f"orgroles: {path}:5:10: duplicate id 'a' (first defined at line 4, column 10)\n"
        "orgroles: 2 problems found\n"
    )


def test_env_var_chooses_the_data(invoke: Invoke) -> None:
    result = invoke("validate", env={"ORGROLES_DATA": str(FIXTURES / "small.yaml")})
    assert result.exit_code == 0 and "small.yaml: valid (3 roles, 4 posts" in result.stdout
    result = invoke("--data", str(DATA), "validate", env={"ORGROLES_DATA": "/nope.yaml"})
    assert result.exit_code == 0, "--data wins over the environment"


@pytest.mark.parametrize("kind", ["missing", "directory", "unreadable"])
def test_unusable_data_paths(
    invoke: Invoke, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if kind == "missing":
        path, reason = tmp_path / "none.yaml", "data file not found"
    elif kind == "directory":
        path, reason = tmp_path, "is a directory, not a data file"
    else:
        path, reason = tmp_path / "secret.yaml", "permission denied"
        path.write_text(MINIMAL)
        path.chmod(0)
        if os.geteuid() == 0:  # root reads any file: make the read fail as it would for a user
            real = os.open

            def refuse(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
                if Path(file) == path:
                    raise PermissionError(13, "Permission denied", str(file))
                return real(file, flags, *args, **kwargs)

            monkeypatch.setattr(os, "open", refuse)
    for command in (["validate"], ["tree"], ["tree", "--json"]):
        result = invoke("--data", str(path), *command)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == f"orgroles: {path}: {reason}\n"


def test_unknown_name_is_exit_1_with_suggestion(invoke: Invoke) -> None:
    result = invoke("tree", "kommunalsjeff", "--json")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "orgroles: unknown name 'kommunalsjeff'; did you mean 'kommunalsjef'?\n"
    )


def test_names_with_escape_sequences_are_shown_escaped(invoke: Invoke) -> None:
    result = invoke("tree", "\x1b[2Jx")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\\x1b[2Jx" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["tree", "--lang", "de"], ["tree", "--depth", "-1"], ["nosuchcommand"], ["tree", "--bogus"]],
)
def test_usage_errors_exit_2(invoke: Invoke, args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Usage" in result.stderr or "Error" in result.stderr


def test_no_arguments_shows_help(invoke: Invoke) -> None:
    result = invoke()
    assert "validate" in result.stdout + result.stderr and "tree" in result.stdout + result.stderr


def test_python_dash_m_in_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "ORGROLES_LANG": "en"}
    proc = subprocess.run(
        [sys.executable, "-m", "orgroles", "tree", "--json", "--depth", "0"],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.decode("utf-8"))["rows"][0]["name"] == "chief municipal executive"
    proc = subprocess.run(
        [sys.executable, "-m", "orgroles", "--data", "/nope", "tree"],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert proc.stderr == b"orgroles: /nope: data file not found\n"
    assert b"Traceback" not in proc.stderr


def test_version_answers_without_importing_the_cli() -> None:
    code = (
        "import sys; sys.argv = ['orgroles', '--version']; from orgroles.entry import main; "
        "main(); print(sorted(m for m in ('typer', 'yaml', 'networkx', 'rich') "
        "if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout == f"orgroles {__version__}\n[]\n"


def test_global_options_work_after_the_command_too(invoke: Invoke) -> None:
    small = str(FIXTURES / "small.yaml")
    before = invoke("--data", small, "tree", "--lang", "en")
    assert invoke("tree", "--data", small, "--lang", "en").stdout == before.stdout
    assert invoke("tree", "--lang", "en", f"--data={small}", "--no-cache").stdout == before.stdout
    assert before.stdout.startswith("Top manager")


def test_hoisting_leaves_arguments_after_a_double_dash_alone() -> None:
    from orgroles.argv import hoist_globals

    assert hoist_globals(["search", "x", "--debug", "--", "--data", "y"]) == [
        "--debug", "search", "x", "--", "--data", "y"
    ]


def test_validate_takes_the_file_as_its_argument(invoke: Invoke) -> None:
    result = invoke("validate", str(FIXTURES / "small.yaml"))
    assert (result.exit_code, result.stdout) == (
        0,
        f"{FIXTURES / 'small.yaml'}: valid (3 roles, 4 posts, 0 units, 0 forums, 0 relations)\n",
    )
    broken = invoke("validate", str(FIXTURES / "broken.yaml"))
    assert broken.exit_code == 1 and "reporting cycle: c -> d -> c" in broken.stderr


def test_the_organisation_can_come_on_stdin(invoke: Invoke) -> None:
    text = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
    result = invoke("--data", "-", "roles", "--json", input=text)
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)["roles"]] == ["leder", "sjef", "medarbeider"]
    bad = invoke("validate", "-", input="format: orgroles/1\n")
    assert bad.exit_code == 1 and bad.stderr.startswith("orgroles: <stdin>:")


def test_lang_and_json_work_before_the_command_too(invoke: Invoke) -> None:
    after = invoke("tree", "--depth", "0", "--lang", "en")
    assert invoke("--lang", "en", "tree", "--depth", "0").stdout == after.stdout
    assert invoke("--lang=en", "tree", "--depth", "0").stdout == after.stdout
    assert json.loads(invoke("--json", "roles").stdout)["roles"][0]["id"] == "radmann"


def test_running_inside_another_program_leaves_its_garbage_collector_alone(
    invoke: Invoke,
) -> None:
    """Only the console script's own process turns the cyclic collector off (it exits right
    after); a host that runs the CLI many times (tests, a fuzzer) would otherwise keep every
    cycle of every run, and did: a fuzz run reached 12 GiB."""
    import gc

    frozen = gc.get_freeze_count()
    assert invoke("--no-cache", "tree", "--json").exit_code == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
