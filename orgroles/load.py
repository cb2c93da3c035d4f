"""Load an organisation file: read, parse safely, validate structure and meaning, build."""

from __future__ import annotations

import errno
import gc
import os
import re
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgroles.errors import DataFileError, DataPathError, Problem
from orgroles.model import WARNINGS, Org, from_data

if TYPE_CHECKING:
    from orgroles.index import OrgIndex


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: loading allocates millions of acyclic objects."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


DEFAULT_MAX_BYTES = 2 * 1024**3  # 2 GiB: about 20 million posts in our format
_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a directory",
}


def max_bytes() -> int:
    """The largest file read: ``$ORGROLES_MAX_BYTES``, else ``DEFAULT_MAX_BYTES`` (2 GiB)."""
    value = os.environ.get("ORGROLES_MAX_BYTES", "").strip()
    if not value:
        return DEFAULT_MAX_BYTES
    if not value.isascii() or not value.isdigit() or len(value) > 30:
        raise DataPathError(
            f"ORGROLES_MAX_BYTES={value!r}: expected a whole number of bytes (like 1000000)"
        )
    return int(value)


def read_bytes(path: Path) -> bytes:
    """Read a regular file of at most ``max_bytes()`` bytes (``read_file``)."""
    return read_file(path)[0]


def read_file(path: Path) -> tuple[bytes, os.stat_result, int]:
    """Read a regular file of at most ``max_bytes()`` bytes; every problem a DataPathError.

    Returns its bytes, its stat data as opened and the time (ns) reading began.

    Devices, FIFOs, sockets and directories are refused without reading (a FIFO is opened
    non-blocking, so it cannot hang the tool); a file over the limit is refused before it is
    read, and a file that grows past it while being read is refused too.
    """
    limit = max_bytes()
    started = time.time_ns()
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise DataPathError(f"{path}: data file not found") from None
    except IsADirectoryError:
        raise DataPathError(f"{path}: is a directory, not a data file") from None
    except PermissionError:
        raise DataPathError(f"{path}: permission denied") from None
    except OSError as exc:
        raise DataPathError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        kind = stat.S_IFMT(st.st_mode)
        if kind == stat.S_IFDIR:
            raise DataPathError(f"{path}: is a directory, not a data file")
        if kind != stat.S_IFREG:
            what = _KINDS.get(kind, "not a regular file")
            raise DataPathError(f"{path}: is {what}, not a regular file; give a file")
        if st.st_size > limit:
            raise DataPathError(
                f"{path}: {st.st_size:,} bytes is over the limit of {limit:,} "
                "(raise it with ORGROLES_MAX_BYTES)"
            )
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 24, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise DataPathError(
                    f"{path}: grew over the limit of {limit:,} bytes while being read "
                    "(raise it with ORGROLES_MAX_BYTES)"
                )
        return b"".join(chunks), st, started
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise DataPathError(f"{path}: is a directory, not a data file") from None
        raise DataPathError(f"{path}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def locate(tree: Any, path: tuple[str | int, ...]) -> tuple[int, int]:
    """Return the 1-based (line, column) of a path into a located tree."""
    from orgroles.yamlread import YMap, YSeq, unpack

    node, pos = tree, getattr(tree, "pos", 0)
    for step in path:
        if isinstance(node, YMap) and step in node:
            pos, node = node.value_pos[str(step)], node[str(step)]
        elif isinstance(node, YSeq) and isinstance(step, int) and step < len(node):
            pos, node = node.item_pos[step], node[step]
        else:
            break
    return unpack(pos)


def validate_data(data: bytes, filename: str, *, pure_yaml: bool = False) -> dict[str, Any]:
    """Parse and validate file contents; return plain data or raise DataFileError."""
    from orgroles import checks
    from orgroles.dataformat import ORGANISATION
    from orgroles.spec import INVALID, Context
    from orgroles.yamlread import YMap, read_tree

    with gc_paused():
        root_keys = frozenset(ORGANISATION.fields)
        tree = read_tree(data, filename, pure=pure_yaml, root_keys=root_keys)
        if not isinstance(tree, YMap):
            from orgroles.spec import describe

            raise DataFileError(
                [
                    Problem(
                        filename,
                        1,
                        1,
                        "expected a mapping at the top of the "
                        f"file (format, meta, roles ...), found {describe(tree)}",
                    )
                ]
            )
        ctx = Context(filename, consume=True)  # the tree's lists are let go as they are read
        plain = ORGANISATION.check(tree, tree.pos, ctx)
        if ctx.problems or plain is INVALID:
            raise DataFileError(ctx.problems)
        again: list[Any] = []

        def located(path: tuple[str | int, ...]) -> tuple[int, int]:
            """A path's place, from the file read again (once) the first time it is asked."""
            if not again:
                again.append(read_tree(data, filename, pure=pure_yaml, root_keys=root_keys))
            return locate(again[0], path)

        def where(path: tuple[str | int, ...]) -> str:
            line, column = located(path)
            return f"line {line}, column {column}"

        del tree
        findings, warnings = checks.check(plain, where)
        if findings:
            problems = []
            for finding in findings:
                line, column = located(finding.path)
                problems.append(Problem(filename, line, column, finding.message))
            problems.sort(key=lambda p: (p.line, p.column))
            raise DataFileError(problems)
        assert isinstance(plain, dict)
        if warnings:  # kept with the data (and its cache entry), located
            plain[WARNINGS] = sorted([*located(w.path), w.message] for w in warnings)
        return plain


def load_org(path: Path, *, display_name: str | None = None, use_cache: bool = True) -> Org:
    """Load and validate an organisation file; raise DataPathError or DataFileError.

    With ``use_cache``, a file whose exact content was validated before is taken from the
    cache (``orgroles.cache``) instead of being parsed and checked again; a file whose stat
    data is unchanged since (``orgroles.statcache``) is not even read.
    """
    from orgroles import cache

    name = display_name or str(path)
    if use_cache:
        key = _known_key(path)
        plain = cache.read(key) if key is not None else None
        if plain is not None:
            try:  # an entry only orgroles can have written (a keyed digest); a bug stays ours
                with gc_paused():
                    return from_data(plain, file=name)
            except Exception:
                pass
    raw, key = _read_and_key(path, use_cache)
    return _plain_and_org(raw, name, key, use_cache)[1]


def load_bytes(raw: bytes, name: str, *, use_cache: bool = True) -> Org:
    """Validate and build an organisation from a file's bytes (``name`` locates errors)."""
    from orgroles import cache

    return _plain_and_org(raw, name, cache.content_key(raw), use_cache)[1]


def _known_key(path: Path) -> str | None:
    """The content key of ``path`` from its unchanged stat data (None: read and hash it)."""
    from orgroles import statcache

    key = statcache.known_key(path)
    if key is not None:
        try:
            if os.stat(path).st_size > max_bytes():
                return None  # read it, to refuse it
        except OSError:
            return None
    return key


def _read_and_key(path: Path, use_cache: bool) -> tuple[bytes, str]:
    """Read a file and hash it; remember the key by its stat data (``orgroles.statcache``)."""
    from orgroles import cache, statcache

    raw, st, started = read_file(path)
    key = cache.content_key(raw)
    if use_cache:
        statcache.remember(path, st, key, started)
    return raw, key


def _plain_and_org(raw: bytes, name: str, key: str, use_cache: bool) -> tuple[dict[str, Any], Org]:
    """The validated data and the model of a file's bytes, from the cache when it has them;
    a file validated now is cached, and its indexed store written (``orgroles.store``)."""
    from orgroles import cache

    with gc_paused():
        plain = cache.read(key) if use_cache else None
        if plain is not None:
            try:  # an entry only orgroles can have written (a keyed digest); a bug stays ours
                return plain, from_data(plain, file=name)
            except Exception:
                plain = None
        pure = os.environ.get("ORGROLES_PURE_YAML") == "1"
        plain = validate_data(raw, name, pure_yaml=pure)
        org = from_data(plain, file=name)
        if use_cache:
            cache.write(key, plain)
            _ensure_store(key, plain, org)
        return plain, org


# The CLI's own process leaves the store to a child it starts once the command is done
# (``PENDING_STORES``, ``orgroles.cli.main``); a host program (tests, the Python API) writes
# it before going on.
BACKGROUND_STORES = False
PENDING_STORES: list[tuple[str, dict[str, Any], Org]] = []


def take_pending(key: str) -> tuple[dict[str, Any], Org]:
    """Return the validated data and model of the pending store of ``key`` and forget every
    pending store: called in the store's writer, which then holds the only reference to what
    it writes (and none to another file's organisation)."""
    for pending, plain, org in PENDING_STORES:
        if pending == key:
            PENDING_STORES.clear()
            return plain, org
    raise KeyError(key)


def _ensure_store(key: str, plain: dict[str, Any], org: Org) -> None:
    """Write the indexed store of a validated file, unless it is there or being written."""
    from orgroles import store

    if store.store_path(key).exists() or store.building(key):
        return
    if store.failed_lately(key):
        store.tidy()  # (a killed writer left its files: not kept for hours)
        return
    if BACKGROUND_STORES and hasattr(os, "fork"):
        if all(pending[0] != key for pending in PENDING_STORES):
            PENDING_STORES.append((key, plain, org))
    else:
        store.write(key, store.Contents(plain, org))


def open_index(path: Path, name: str, *, use_cache: bool = True, people: bool = True) -> OrgIndex:
    """Return the lookups of an organisation file for questions that read a few rows.

    With the cache, that is its indexed store (``orgroles.storeindex``: a question reads only
    the rows it needs), written first if need be; without, the index of the loaded file.
    """
    from orgroles.index import build_index
    from orgroles.model import without_people

    if not use_cache:
        org = load_org(path, display_name=name, use_cache=False)
        return build_index(org if people else without_people(org))
    from orgroles import store
    from orgroles.storeindex import StoreIndex

    key = _known_key(path)
    raw = None
    if key is None:
        raw, key = _read_and_key(path, use_cache)

    def reload() -> tuple[dict[str, Any], Org]:
        """The store failed a check: validate the file itself (it must not have changed)."""
        from orgroles import cache

        data = read_bytes(path)
        if cache.content_key(data) != key:
            raise DataPathError(f"{name}: the file changed while it was read; run again")
        plain = validate_data(data, name, pure_yaml=os.environ.get("ORGROLES_PURE_YAML") == "1")
        org = from_data(plain, file=name)
        cache.write(key, plain)
        _ensure_store(key, plain, org)
        return plain, org

    rows = store.open_store(key)
    if rows is None:
        if raw is None:
            raw, key = _read_and_key(path, use_cache)
        plain, org = _plain_and_org(raw, name, key, use_cache)
        _ensure_store(key, plain, org)
        rows = store.open_store(key)
        if rows is None:  # the cache folder cannot be written: answer from memory
            return build_index(org if people else without_people(org))
    return StoreIndex(rows, name, people, reload)


def load_spec(spec: str, *, use_cache: bool = True) -> Org:
    """Load ``PATH``, or ``REV:PATH`` (a file as it was in a git revision, e.g. HEAD~1:x.yaml).

    Nothing the user wrote reaches git as an option: a revision starting with ``-`` is
    refused, the revision is resolved to a commit first (``git rev-parse --verify
    --end-of-options REV^{commit}``), and only that commit's hash is given to ``git show``.
    """
    path = Path(spec)
    if path.exists() or ":" not in spec:
        return load_org(path, use_cache=use_cache)
    revision, _, file = spec.partition(":")
    if not revision or revision.startswith("-") or not file:
        raise DataPathError(
            f"{spec}: not a file, nor a git REV:PATH (a revision may not be empty or start "
            "with '-')"
        )
    if any(ch in revision for ch in "\0\n\r") or "\0" in file:
        raise DataPathError(f"{spec}: not a valid git revision")
    try:
        resolved = _git(
            spec, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"]
        )
    except DataPathError:
        resolved = b""
    commit = resolved.decode("ascii", "replace").strip()
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit):
        raise DataPathError(f"{spec}: not found in git (no revision {revision!r})")
    data = _git(spec, ["show", "--no-textconv", "--end-of-options", f"{commit}:{file}"])
    return load_bytes(data, spec, use_cache=use_cache)


def _git(spec: str, args: list[str]) -> bytes:
    """Run git with fixed options; return stdout or raise a DataPathError naming ``spec``."""
    import subprocess

    try:
        proc = subprocess.run(
            ["git", "--no-pager", *args],
            capture_output=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except OSError as exc:
        raise DataPathError(f"{spec}: cannot run git ({exc.strerror or exc})") from None
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        shown = reason[-1] if reason else "no such revision"
        raise DataPathError(f"{spec}: not found in git ({shown!r})")
    if len(proc.stdout) > max_bytes():
        raise DataPathError(f"{spec}: larger than the limit of {max_bytes():,} bytes")
    return proc.stdout
