"""-o FILE never destroys: not over a device, a directory or (without --force) a file; a failed
write leaves nothing behind; stdout that cannot be written is a clear error, exit 74."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from orgroles.errors import OrgrolesError, OutputError
from orgroles.render.files import write_file
from tests.conftest import ROOT, Invoke


@pytest.mark.parametrize("command", [["export", "-f", "csv"], ["init"]])
def test_o_refuses_a_device_and_a_directory(
    invoke: Invoke, tmp_path: Path, command: list[str]
) -> None:
    before = os.stat("/dev/null")
    refusals = (("/dev/null", "is not a regular file"), (str(tmp_path), "is a directory"))
    for target, words in refusals:
        result = invoke(*command, "-o", target, "--force")
        assert result.exit_code == 1 and words in result.stderr and result.stdout == ""
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev  # still the device
    assert list(tmp_path.iterdir()) == []  # no temporary file left


@pytest.mark.parametrize("command", [["export", "-f", "csv"], ["init"]])
def test_o_with_a_trailing_slash_names_a_folder_not_a_file(
    invoke: Invoke, tmp_path: Path, command: list[str]
) -> None:
    """Found by an attack: ``-o new/`` wrote a file called ``new`` (a Path drops the slash)."""
    for target in (f"{tmp_path}/new/", f"{tmp_path}/", f"{tmp_path}/new/.", f"{tmp_path}/.."):
        result = invoke(*command, "-o", target)
        assert result.exit_code == 2 and result.stdout == ""
        assert f"'{target}' names a folder; give a file name in it" in result.stderr
    assert list(tmp_path.iterdir()) == []
    empty = invoke(*command, "-o", "")
    assert empty.exit_code == 2 and "an empty name; give a file name" in empty.stderr


def test_o_dash_is_stdout(invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``import csv -`` reads stdin; a file called ``-`` is ``-o ./-``."""
    csv = invoke("export", "-f", "csv").stdout
    assert invoke("export", "-f", "csv", "-o", "-").stdout == csv
    assert invoke("export", "-f", "csv", "-o", "/dev/stdout").stdout == csv
    assert invoke("init", "-o", "-").stdout.startswith("# ")
    refused = invoke("export", "-f", "sqlite", "-o", "-")
    assert refused.exit_code == 2 and "give -o FILE" in refused.stderr
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "-o", "./-").exit_code == 0 and (tmp_path / "-").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "//dev/stdout"])
def test_o_naming_stdout_writes_stdout(name: str, tmp_path: Path) -> None:
    """Found by an attack: into a pipe these failed ("No such file or directory"); into a file
    opened for appending they replaced it (with --force) instead of appending."""
    if not os.path.exists(name):
        pytest.skip(f"no {name} here")
    command = [sys.executable, "-m", "orgroles", "export", "-f", "dot", "-o", name]
    piped = subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
    assert (piped.returncode, piped.stderr) == (0, b"")
    assert piped.stdout.startswith(b"digraph orgroles {")
    log = tmp_path / "log.txt"
    log.write_text("PRIOR\n", encoding="utf-8")
    with log.open("a", encoding="utf-8") as appended:
        done = subprocess.run(command, stdout=appended, stderr=subprocess.PIPE, cwd=ROOT)
    assert (done.returncode, done.stderr) == (0, b"")
    assert log.read_text(encoding="utf-8").startswith("PRIOR\ndigraph orgroles {")


def test_o_replaces_a_file_only_with_force_and_keeps_its_permissions(
    invoke: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "org.csv"
    path.write_text("mine\n", encoding="utf-8")
    path.chmod(0o640)
    refused = invoke("export", "-f", "csv", "-o", str(path))
    assert refused.exit_code == 1 and "exists; use --force" in refused.stderr
    assert path.read_text(encoding="utf-8") == "mine\n"
    assert invoke("export", "-f", "csv", "-o", str(path), "--force").exit_code == 0
    assert path.read_text(encoding="utf-8").startswith("id,kind,")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org.csv"]


def test_a_new_file_gets_the_permissions_the_umask_gives(tmp_path: Path) -> None:
    """Not mkstemp's 0600: a chart or an export is for others to read."""
    old = os.umask(0o022)
    try:
        write_file(tmp_path / "chart.html", "x\n", force=False)
        os.umask(0o077)
        write_file(tmp_path / "private.csv", "x\n", force=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "chart.html").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private.csv").stat().st_mode) == 0o600


def test_a_symlink_is_followed_to_its_file(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    write_file(link, "new\n", force=True)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new\n"


def test_a_write_that_fails_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(OutputError, match="No such file or directory"):
        write_file(tmp_path / "missing" / "x.yaml", "text\n")

    def refuse(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError, match="No space left on device"):
        write_file(tmp_path / "x.yaml", "text\n")
    assert list(tmp_path.iterdir()) == []


def test_refusals_are_data_problems() -> None:
    with pytest.raises(OrgrolesError, match="is a directory"):
        write_file(Path("/"), "x")


@pytest.mark.parametrize("args", [["roles"], ["roles", "--json"], ["tree"]])
def test_a_full_disk_is_a_clear_error_with_exit_74(args: list[str]) -> None:
    """In-process: the CLI's stdout, injected, is /dev/full."""
    import io

    from typer.testing import CliRunner

    from orgroles.cli import app
    from orgroles.render.output import Environment

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    err = io.BytesIO()
    with open("/dev/full", "wb", buffering=0) as full:  # unbuffered: nothing left to close
        out = io.TextIOWrapper(full, encoding="utf-8", write_through=True)
        env = Environment(out, io.TextIOWrapper(err, encoding="utf-8", write_through=True))
        result = CliRunner().invoke(app, args, obj=env, catch_exceptions=False)
    assert result.exit_code == 74
    assert err.getvalue() == b"orgroles: cannot write the answer (No space left on device)\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["roles"],
        ["roles", "--json"],
        ["tree"],
        ["--version"],
        ["--help"],
        ["--no-cache", "--version"],
    ],
)
def test_a_full_disk_is_a_clear_error_with_exit_74_in_a_process(args: list[str]) -> None:
    """Also the answers written before the CLI (``--version``, the top-level ``--help``) and
    those Typer and Click write (``--version`` after an option, help): not lost with exit 0 as
    the process ends, not a traceback, not an internal error."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "orgroles", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            check=False,
        )
    assert proc.returncode == 74
    assert proc.stderr == b"orgroles: cannot write the answer (No space left on device)\n"


@pytest.mark.slow
def test_a_closed_stdout_is_a_clear_error_for_the_fast_answers() -> None:
    for args in (["--version"], ["--help"]):
        proc = subprocess.run(
            [sys.executable, "-m", "orgroles", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            check=False,
            preexec_fn=lambda: os.close(1),
        )
        assert proc.returncode == 74, proc.stderr
        assert proc.stderr == b"orgroles: cannot write the answer (the output is closed)\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["--help"],
        ["--data", "data/roles.yaml", "--help"],  # help Click writes while parsing the group
        ["tree", "--help"],
        ["roles", "--json"],
    ],
)
def test_a_pipe_whose_reader_is_gone_exits_141_in_silence(args: list[str]) -> None:
    """As ``orgroles … | head -c0`` after head has exited: the status of SIGPIPE, no message."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "orgroles", *args],
            stdout=writer,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            check=False,
        )
    finally:
        os.close(writer)
    assert (proc.returncode, proc.stderr) == (141, b"")


def test_a_failed_database_export_leaves_no_temporary_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database is built in a temporary file and streamed to -o: when writing fails, the
    temporary copy (every name and e-mail in it) is gone too, though the stream is still held
    (the CLI ends with ``os._exit``: a clean-up left to the collector would never run)."""
    import tempfile

    from orgroles.errors import OutputError
    from orgroles.exports import export_chunks
    from orgroles.index import build_index
    from orgroles.load import load_org
    from tests.conftest import DATA

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    pieces = export_chunks(build_index(load_org(DATA, use_cache=False)), "sqlite")
    target = tmp_path / "out" / "org.db"
    target.parent.mkdir()

    def full_fdopen(fd: int, mode: str) -> Any:
        handle = open(fd, mode)  # noqa: SIM115

        def write(data: bytes) -> int:
            raise OSError(28, "No space left on device")

        handle.write = write  # type: ignore[method-assign,assignment]
        return handle

    monkeypatch.setattr(os, "fdopen", full_fdopen)
    with pytest.raises(OutputError, match="No space left on device"):
        write_file(target, pieces)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert list(target.parent.iterdir()) == []


@pytest.mark.slow
def test_a_full_disk_with_stderr_closed_still_exits_74() -> None:
    """Nothing can be said, but the exit status still tells (was 1: saying it failed too)."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "orgroles", "roles"],
            stdout=full,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            check=False,
            preexec_fn=lambda: os.close(2),
        )
    assert proc.returncode == 74


def test_a_database_that_cannot_be_built_is_an_output_error(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full or unwritable temporary folder: exit 74 naming it, not an internal error."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    folder.chmod(0o500)
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    if os.access(folder, os.W_OK):  # (root writes anywhere)
        import sqlite3

        def full(*args: Any, **kwargs: Any) -> Any:
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(sqlite3, "connect", full)
    out = tmp_path / "org.db"
    result = invoke("export", "--format", "sqlite", "-o", str(out))
    assert result.exit_code == 74 and result.stdout == "" and not out.exists()
    assert result.stderr.startswith(f"orgroles: cannot build the database in {folder} (")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]
