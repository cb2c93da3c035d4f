"""Know a file's content key from its stat data, without reading it (as git's index does).

After a file is read and hashed, its path, device, inode, size, mtime and ctime (nanoseconds)
are kept with its content key in ``<cache>/paths/``, and the versions the key was made under
(``cache.key_versions``: after an upgrade, or a change of the rules, the file is hashed anew).
A later run that finds all of them unchanged takes the key without reading the file; any
difference, and any entry that is not ours (a keyed digest, as ``orgroles.cache``), means
reading and hashing it again.

**The racy case.** A file changed again within the timestamp granularity of its file system,
right after it was hashed, could keep the same size and times. An entry is therefore kept
only when the file's mtime and ctime are older than the moment reading began by more than
``RACY_NS`` (2 s, coarser than any common file system's timestamps); a file written moments
before it was read is hashed again next time, and remembered then.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path

from orgroles.cache import cache_dir, is_private, key_versions, secret_of

RACY_NS = 2_000_000_000
FIELDS = ("dev", "ino", "size", "mtime_ns", "ctime_ns")


def _entry_path(folder: Path, path: str) -> Path:
    name = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
    return folder / "paths" / f"{name}.json"


def _facts(path: str, st: os.stat_result) -> dict[str, object]:
    return {
        "path": path,
        "dev": st.st_dev,
        "ino": st.st_ino,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "ctime_ns": st.st_ctime_ns,
        "versions": key_versions(),  # another version of orgroles makes another key
    }


def _digest(facts: dict[str, object], key: str, secret: bytes) -> str:
    text = json.dumps([facts, key], sort_keys=True, ensure_ascii=True)
    return hashlib.blake2b(text.encode(), digest_size=20, key=secret).hexdigest()


def known_key(path: Path, folder: Path | None = None) -> str | None:
    """Return the content key of ``path`` if its stat data is unchanged since it was hashed."""
    folder = folder or cache_dir()
    try:
        where = os.path.abspath(path)
        st = os.stat(where)
        if not stat.S_ISREG(st.st_mode):
            return None
        secret = secret_of(folder, create=False)
        if secret is None:
            return None
        entry_path = _entry_path(folder, where)
        est = os.lstat(entry_path)
        if not stat.S_ISREG(est.st_mode) or not is_private(est) or est.st_size > 4096:
            return None
        entry = json.loads(entry_path.read_bytes())
        if not isinstance(entry, dict):
            return None
        facts, key = entry.get("facts"), entry.get("key")
        if facts != _facts(where, st) or not isinstance(key, str):
            return None
        if entry.get("digest") != _digest(facts, key, secret):
            return None
        return key
    except (OSError, ValueError, UnicodeError):
        return None


def remember(
    path: Path, st: os.stat_result, key: str, started_ns: int, folder: Path | None = None
) -> bool:
    """Keep ``key`` for ``path`` as it was when read (``st``, reading began at ``started_ns``).

    Nothing is kept for a file changed less than ``RACY_NS`` before it was read."""
    if max(st.st_mtime_ns, st.st_ctime_ns) >= started_ns - RACY_NS:
        return False
    folder = folder or cache_dir()
    try:
        where = os.path.abspath(path)
        secret = secret_of(folder, create=True)
        if secret is None:
            return False
        entry_path = _entry_path(folder, where)
        entry_path.parent.mkdir(mode=0o700, exist_ok=True)
        facts = _facts(where, st)
        text = json.dumps({"facts": facts, "key": key, "digest": _digest(facts, key, secret)})
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=entry_path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, entry_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, ValueError, UnicodeError):
        return False
    return True
