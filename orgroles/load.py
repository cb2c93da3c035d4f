"""Load an organisation file: read, parse safely, validate structure and meaning, build."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from orgroles.errors import DataFileError, DataPathError, Problem
from orgroles.model import WARNINGS, Org, from_data


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


def read_bytes(path: Path) -> bytes:
    """Read a data file, turning every OS problem into a DataPathError naming the path."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataPathError(f"{path}: data file not found") from None
    except IsADirectoryError:
        raise DataPathError(f"{path}: is a directory, not a data file") from None
    except PermissionError:
        raise DataPathError(f"{path}: permission denied") from None
    except OSError as exc:
        raise DataPathError(f"{path}: cannot read ({exc.strerror or exc})") from None


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
        tree = read_tree(data, filename, pure=pure_yaml)
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
        ctx = Context(filename)
        plain = ORGANISATION.check(tree, tree.pos, ctx)
        if ctx.problems or plain is INVALID:
            raise DataFileError(ctx.problems)

        def where(path: tuple[str | int, ...]) -> str:
            line, column = locate(tree, path)
            return f"line {line}, column {column}"

        findings, warnings = checks.check(plain, where)
        if findings:
            problems = []
            for finding in findings:
                line, column = locate(tree, finding.path)
                problems.append(Problem(filename, line, column, finding.message))
            problems.sort(key=lambda p: (p.line, p.column))
            raise DataFileError(problems)
        assert isinstance(plain, dict)
        if warnings:  # kept with the data (and its cache entry), located
            plain[WARNINGS] = sorted(
                [*locate(tree, w.path), w.message] for w in warnings
            )
        return plain


def load_org(path: Path, *, display_name: str | None = None, use_cache: bool = True) -> Org:
    """Load and validate an organisation file; raise DataPathError or DataFileError.

    With ``use_cache``, a file whose exact content was validated before is taken from the
    cache (``orgroles.cache``) instead of being parsed and checked again.
    """
    name = display_name or str(path)
    return load_bytes(read_bytes(path), name, use_cache=use_cache)


def load_bytes(raw: bytes, name: str, *, use_cache: bool = True) -> Org:
    """Validate and build an organisation from a file's bytes (``name`` locates errors)."""
    from orgroles import cache

    key = cache.content_key(raw)
    with gc_paused():
        plain = cache.read(key) if use_cache else None
        if plain is None:
            pure = os.environ.get("ORGROLES_PURE_YAML") == "1"
            plain = validate_data(raw, name, pure_yaml=pure)
            if use_cache:
                cache.write(key, plain)
        return from_data(plain, file=name)


def load_spec(spec: str, *, use_cache: bool = True) -> Org:
    """Load ``PATH``, or ``REV:PATH`` (a file as it was in a git revision, e.g. HEAD~1:x.yaml)."""
    path = Path(spec)
    if path.exists() or ":" not in spec:
        return load_org(path, use_cache=use_cache)
    import subprocess

    revision, _, file = spec.partition(":")
    try:
        proc = subprocess.run(
            ["git", "show", f"{revision}:{file}"], capture_output=True, check=False
        )
    except OSError as exc:
        raise DataPathError(f"{spec}: cannot run git ({exc.strerror or exc})") from None
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DataPathError(f"{spec}: not found in git ({reason[-1] if reason else 'git failed'})")
    return load_bytes(proc.stdout, spec, use_cache=use_cache)
