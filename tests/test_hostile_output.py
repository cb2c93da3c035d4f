"""Output faults: closed pipes, Ctrl-C, odd locales and terminals, bad arguments, bugs.

Each case checks the exit code, that stdout holds nothing partial, and that stderr holds no
traceback. What depends on the process (a closed pipe, Ctrl-C, the locale, a pseudo-terminal)
runs the real program in a subprocess (the slow tier); the rest runs in-process, with the
terminal injected (``terminal``) or through Typer's runner (``invoke``).
"""

import json
import os
import pty
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, Invoke, Terminal

ORGROLES = [sys.executable, "-m", "orgroles"]


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM", "COLUMNS")}
    return {**base, **extra}


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        "orgroles tree | head -n 1",
        "orgroles roles --json | head -c 1",
        "orgroles authority | head -n 2",
        "orgroles who-reports-to radmann --all | head -c 10",
    ],
)
def test_a_closed_pipe_is_silent(command: str) -> None:
    shell = command.replace("orgroles", f"{sys.executable} -m orgroles")
    proc = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {shell} >/dev/null"],
        cwd=ROOT,
        capture_output=True,
        env=env(),
        check=False,
    )
    assert proc.stderr == b"", proc.stderr.decode()
    assert proc.returncode in (0, 141)


@pytest.mark.slow
def test_sigint_exits_130_with_nothing_on_stdout(synthetic: Callable[[int, int], Path]) -> None:
    big = synthetic(60_000, 2)
    proc = subprocess.Popen(
        [*ORGROLES, "--no-cache", "--data", str(big), "roles", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env(),
    )
    time.sleep(1.0)  # well inside the load
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err.decode("utf-8", "replace")[-2000:]
    assert out == b""
    assert b"Traceback" not in err and b"Aborted" not in err


@pytest.mark.slow
@pytest.mark.parametrize(
    "setting",
    [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C"}, {"PYTHONIOENCODING": "latin-1"}],
)
def test_json_is_utf8_whatever_the_locale(setting: dict[str, str]) -> None:
    proc = subprocess.run(
        [*ORGROLES, "roles", "--json"], capture_output=True, env=env(**setting), check=False
    )
    assert proc.returncode == 0
    data = json.loads(proc.stdout.decode("utf-8"))
    assert data["roles"][0]["name"] == "rådmann"
    bad = subprocess.run(
        [*ORGROLES, "show", "rådmannx"], capture_output=True, env=env(**setting), check=False
    )
    assert bad.returncode == 1 and bad.stdout == b""
    assert bad.stderr.decode("utf-8").startswith("orgroles: unknown name 'rådmannx'")


def run_in_terminal(args: list[str], **extra: str) -> bytes:
    """Run orgroles with a pseudo-terminal as stdout; return what it printed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*ORGROLES, *args], stdout=follower, stderr=subprocess.PIPE, env=env(**extra)
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=30)
    os.close(leader)
    return b"".join(chunks)


@pytest.mark.slow
def test_a_terminal_gets_rich_output() -> None:
    out = run_in_terminal(["tree"], TERM="xterm-256color", COLUMNS="120")
    assert b"\x1b[" in out and "├──".encode() in out


@pytest.mark.slow
@pytest.mark.parametrize("setting", ["NO_COLOR=1", "TERM=dumb"])
def test_a_real_terminal_without_colour_gets_no_escape_bytes(setting: str) -> None:
    key, value = setting.split("=")
    out = run_in_terminal(["units"], **{"TERM": "xterm", key: value})
    assert b"\x1b" not in out and out.strip()


@pytest.mark.parametrize(
    "setting",
    [{"no_color": True}, {"dumb": True}, {"columns": 40}],
)
@pytest.mark.parametrize("args", [["tree"], ["units"], ["show", "tjenesteleder"]])
def test_no_escape_bytes_with_no_color_a_dumb_or_narrow_terminal(
    terminal: Terminal, setting: dict[str, object], args: list[str]
) -> None:
    out = terminal(*args, **setting)
    assert out.exit_code == 0
    assert b"\x1b" not in out.raw and out.stdout.strip()


def test_an_injected_terminal_gets_rich_output(terminal: Terminal) -> None:
    out = terminal("tree", columns=120)
    assert "├──" in out.stdout
    assert "├──" not in terminal("tree", isatty=False).stdout


@pytest.mark.parametrize("args", [["units"], ["tree"], ["roles"], ["authority", "budget"]])
@pytest.mark.parametrize("isatty", [False, True])
def test_narrow_output_loses_no_ids(terminal: Terminal, args: list[str], isatty: bool) -> None:
    out = terminal(*args, isatty=isatty, columns=40)
    text = out.stdout
    assert out.exit_code == 0 and "\x1b" not in text
    ids = json.loads(terminal(*args, "--json", isatty=False).stdout)
    if args == ["units"]:
        assert all(u["id"] in text for u in ids["units"])
    if args == ["roles"]:
        assert all(r["id"] in text for r in ids["roles"])
    assert all(len(line) > 0 for line in text.splitlines()[:1])


def test_an_argument_that_is_not_utf8(invoke: Invoke) -> None:
    result = invoke("show", os.fsdecode(b"r\xe5dmann"))  # as Python decodes such an argv
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "orgroles: the name 'r\\xe5dmann' is not valid UTF-8\n"


def test_an_nfd_argument_in_odd_case_resolves(invoke: Invoke) -> None:
    result = invoke("show", "RA\u030aDMANNEN", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "radmann"


def test_usage_errors_exit_2_with_usage_on_stderr(invoke: Invoke) -> None:
    result = invoke("tree", "--depth", "x")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "Usage: " in result.stderr and "Traceback" not in result.stderr


def test_an_internal_bug_is_one_line_without_data(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    import orgroles.queries.catalogue as catalogue

    def broken(*args: object, **kwargs: object) -> object:
        secret = "a data value that must not be shown"
        raise ZeroDivisionError(secret)

    monkeypatch.setattr(catalogue, "roles", broken)
    result = invoke("roles", "--json")
    assert (result.exit_code, result.stdout) == (70, "")
    assert result.stderr == (
        "orgroles: internal error (ZeroDivisionError): this is a bug in "
        "orgroles; run again with --debug for the traceback\n"
    )
    with pytest.raises(ZeroDivisionError):
        invoke("--debug", "roles")


@pytest.mark.parametrize("columns", [80, 100, 160])
def test_a_terminal_gets_the_authority_matrix_without_cut_words(
    terminal: Terminal, columns: int
) -> None:
    import re

    text = terminal("authority", "--lang", "en", columns=columns).stdout
    plain = terminal("authority", "--lang", "en", isatty=False).stdout
    assert "\x1b" not in plain and "\x1b[" in text  # the terminal's is drawn with Rich
    text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", text)
    assert set(re.findall(r"[\w-]+", text)) <= set(re.findall(r"[\w-]+", plain))
    assert "responsibility" in text and max(map(len, text.splitlines())) <= columns


@pytest.mark.slow
@pytest.mark.parametrize("columns", ["80", "100", "160"])
def test_a_real_terminal_gets_the_authority_matrix_without_cut_words(columns: str) -> None:
    import re

    out = run_in_terminal(["authority", "--lang", "en"], TERM="xterm", COLUMNS=columns)
    text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", out.decode("utf-8")).replace("\r", "")
    plain = subprocess.run(
        [*ORGROLES, "authority", "--lang", "en"], capture_output=True, check=True, env=env()
    ).stdout.decode("utf-8")
    assert set(re.findall(r"[\w-]+", text)) <= set(re.findall(r"[\w-]+", plain))
    assert "responsibility" in text and max(map(len, text.splitlines())) <= int(columns)


@pytest.mark.parametrize("name", [b"a\x1b[31mred.yaml", b"b\xffx.yaml"])
@pytest.mark.parametrize("json_out", [False, True])
def test_odd_file_names_are_shown_escaped(
    terminal: Terminal, tmp_path: Path, name: bytes, json_out: bool
) -> None:
    path = os.path.join(os.fsencode(tmp_path), name)
    with open(path, "wb") as handle:
        handle.write((ROOT / "tests" / "fixtures" / "small.yaml").read_bytes())
    args = ["validate", os.fsdecode(path), *(["--json"] if json_out else [])]
    out = terminal(*args, isatty=False)  # os.fsdecode: as Python decodes such an argv
    assert out.exit_code == 0 and out.stderr == ""
    assert b"\x1b" not in out.raw
    if json_out:
        assert json.loads(out.raw)["valid"] is True


def test_a_closed_stdout_is_an_output_error(tmp_path: Path) -> None:
    """Started with stdout closed (`>&-`): one line on stderr and exit 74, as for a full
    disk, not an internal error."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    for _ in range(2):  # cold, then warm
        done = subprocess.run(
            [sys.executable, "-m", "orgroles", "who-reports-to", "radmann"],
            env=env,
            stderr=subprocess.PIPE,
            timeout=120,
            preexec_fn=lambda: os.close(1),
        )
        assert done.returncode == 74
        assert done.stderr == b"orgroles: cannot write the answer (the output is closed)\n"
