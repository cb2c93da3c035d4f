"""A cache of validated organisation files, so later runs skip parsing and checking.

- **Keyed on content**: the BLAKE2b digest of the file's bytes, our version, the file
  format's version, the YAML parser and the Unicode database (``key_versions``). An edited
  file is a new key; a renamed or touched one is not.
- **Where**: ``$XDG_CACHE_HOME/orgroles``, else ``~/.cache/orgroles``; the folder is made
  private (0700) and each entry is written private (0600).
- **Never a way to run code**: entries are JSON (no pickle). An entry is used only when it and
  its folder belong to the current user and are not writable by others, when its header names
  our versions and the key asked for, and when its digest matches: a BLAKE2b digest *keyed*
  with a secret that only this user can read (``secret`` in the folder, 32 random bytes, made
  on first use). Only orgroles, after validating a file, can write an entry that passes, so an
  entry is trusted exactly as far as the checks that wrote it; anything else (missing,
  truncated, corrupted, planted, edited, unreadable) is ignored and rebuilt from the file.
- **Atomic**: an entry is written to a temporary file in the same folder and renamed into
  place, so a reader sees a whole entry or none, and racing writers are harmless.

File layout: one JSON header line ``{"cache", "orgroles", "format", "key", "digest"}``, then
the validated data as compact JSON (the payload the digest covers).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from orgroles import FORMAT_VERSION, __version__

CACHE_FORMAT = 6  # 2: keyed digests; 3: ids composed (NFC); 4: no invisible characters in ids;
# 5: a forum's member listed once; 6: a relation stated once
SECRET_BYTES = 32
MAX_ENTRY_BYTES = 8 * 1024**3  # an entry over this is never read (a file is at most 2 GiB)


def cache_dir() -> Path:
    """Return the cache folder (not created)."""
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "orgroles"


def key_versions() -> str:
    """What a content key is made under besides the file's bytes: our version, the file
    format's and the cache's, the YAML parser that validates it here and Python's Unicode
    database (ids, folded names and words follow it): a key remembered under others is not
    this one."""
    import unicodedata

    return (
        f"\0{__version__}\0{FORMAT_VERSION}\0{CACHE_FORMAT}"
        f"\0{yaml_parser()}\0{unicodedata.unidata_version}"
    )


def yaml_parser() -> str:
    """Which parser validates a file here: ``libyaml`` (PyYAML's C extension), or ``pure``
    (PyYAML's own, with ``ORGROLES_PURE_YAML=1`` or without the extension). The two disagree
    on a few files (tabs where a token or an indentation could start), so one's verdict is not
    the other's. Found without importing PyYAML (a warm question never does)."""
    if os.environ.get("ORGROLES_PURE_YAML") == "1":
        return "pure"
    return "libyaml" if _has_libyaml() else "pure"


_LIBYAML: list[bool] = []  # (found once per process)


def _has_libyaml() -> bool:
    if not _LIBYAML:
        import importlib.machinery
        import importlib.util

        spec = importlib.util.find_spec("yaml")
        folders = (spec.submodule_search_locations or []) if spec is not None else []
        _LIBYAML.append(
            any(
                os.path.exists(os.path.join(folder, "_yaml" + suffix))
                for folder in folders
                for suffix in importlib.machinery.EXTENSION_SUFFIXES
            )
        )
    return _LIBYAML[0]


def content_key(raw: bytes) -> str:
    """Return the cache key of a file's bytes under this version of orgroles."""
    digest = hashlib.blake2b(raw, digest_size=20)
    digest.update(key_versions().encode())
    return digest.hexdigest()


def is_private(st: os.stat_result) -> bool:
    owner_ok = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return owner_ok and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def folder_secret(folder: Path, create: bool) -> bytes | None:
    """Return the folder's secret (made when ``create``), or None if it is missing or unsafe."""
    path = folder / "secret"
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if not create:
            return None
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:  # another process made it just now
            return folder_secret(folder, create=False)
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(SECRET_BYTES))
        return folder_secret(folder, create=False)
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode) or not is_private(st) or st.st_mode & 0o077:
            return None  # a secret others can read or write is no secret
        secret = handle.read(SECRET_BYTES + 1)
    return secret if len(secret) == SECRET_BYTES else None


def secret_of(folder: Path, create: bool) -> bytes | None:
    """Return the secret of the cache folder (with ``create``: the folder, private, and its
    secret are made if need be); None when the folder or its secret cannot be trusted. The one
    gate of every cache reader and writer (entries, stores, stat keys); OSError passes."""
    if create:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not is_private(os.stat(folder)):
        return None
    return folder_secret(folder, create=create)


def _digest(payload: bytes, secret: bytes) -> str:
    return hashlib.blake2b(payload, digest_size=20, key=secret).hexdigest()


LONG = 1000  # a list of more items than this is written a thousand items at a time


def _json_pieces(data: Any) -> Iterator[str]:
    """``data`` as compact JSON text (what ``json.dumps(..., separators=(",", ":"))`` gives),
    in pieces: a top-level list of more than ``LONG`` items is encoded ``LONG`` at a time."""
    from orgroles.jsontext import compact

    if not isinstance(data, dict):
        yield compact(data)
        return
    yield "{"
    for i, (name, value) in enumerate(data.items()):
        yield ("," if i else "") + compact(name) + ":"
        if isinstance(value, list) and len(value) > LONG:
            yield "["
            for start in range(0, len(value), LONG):
                yield ("," if start else "") + compact(value[start : start + LONG])[1:-1]
            yield "]"
        else:
            yield compact(value)
    yield "}"


def read(key: str, folder: Path | None = None) -> Any | None:
    """Return the cached data for ``key``, or None when there is no trustworthy entry."""
    folder = folder or cache_dir()
    path = folder / f"{key}.json"
    try:
        secret = secret_of(folder, create=False)
        if secret is None:
            return None
        st = os.lstat(path)  # not a regular file (a FIFO, a device, a link): never opened
        if not stat.S_ISREG(st.st_mode) or not is_private(st) or st.st_size > MAX_ENTRY_BYTES:
            return None
        # O_NONBLOCK: should a FIFO be swapped in after the lstat, opening it cannot hang.
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or not is_private(st):
                return None
            if st.st_size > MAX_ENTRY_BYTES:
                return None
            header_line = handle.readline(4096)
            payload = handle.read(MAX_ENTRY_BYTES + 1)
            if len(payload) > MAX_ENTRY_BYTES:
                return None
        header = json.loads(header_line)
        if header != {
            "cache": CACHE_FORMAT,
            "orgroles": __version__,
            "format": FORMAT_VERSION,
            "key": key,
            "digest": _digest(payload, secret),
        }:
            return None
        from orgroles.load import gc_paused

        with gc_paused():  # millions of acyclic objects: the collector would walk them again
            return json.loads(payload)  # and again (20 s of 32 at a million posts)
    except (OSError, ValueError, UnicodeDecodeError, TypeError, RecursionError, MemoryError):
        return None


def write(key: str, data: Any, folder: Path | None = None) -> bool:
    """Store validated data under ``key``; return False (silently) when that is not possible."""
    folder = folder or cache_dir()
    try:
        secret = secret_of(folder, create=True)
        if secret is None:
            return False
        digest = hashlib.blake2b(digest_size=20, key=secret)

        def header_line(hexdigest: str) -> bytes:
            header = {
                "cache": CACHE_FORMAT,
                "orgroles": __version__,
                "format": FORMAT_VERSION,
                "key": key,
                "digest": hexdigest,
            }
            return json.dumps(header).encode("ascii") + b"\n"

        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                # The payload is written a piece at a time (never whole in memory: gigabytes
                # at ten million posts), then the header, of the same length, with its digest.
                placeholder = header_line("0" * 2 * digest.digest_size)
                handle.write(placeholder)
                for piece in _json_pieces(data):
                    chunk = piece.encode("utf-8")
                    digest.update(chunk)
                    handle.write(chunk)
                final = header_line(digest.hexdigest())
                if len(final) != len(placeholder):
                    raise ValueError("the cache header changed length")
                handle.seek(0)
                handle.write(final)
            os.replace(tmp, folder / f"{key}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, ValueError, RecursionError):  # ValueError: text JSON cannot encode
        return False
    return True
