"""Writing ``-o FILE``: whole or not at all, never over something that is not a regular file.

Refusals (an existing file without ``force``, a directory or device) are data problems (exit
code 1); a failed write (a full disk, no permission) is an OutputError (exit code 74).

The text goes to a temporary file beside the target, which is renamed into place only when
it is complete; on any error the temporary file is removed. An existing file is replaced only
with ``force`` (and keeps its permissions); a directory, device, FIFO or socket never is, and
a symbolic link is followed to the file it names.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from orgroles.errors import OrgrolesError, OutputError


def write_file(
    path: Path, text: str | bytes | Iterable[str] | Iterable[bytes], force: bool = False
) -> None:
    """Write ``text`` (or its pieces, one after the other) to ``path`` (text as UTF-8), or
    raise OutputError naming the path."""
    shown = str(path)
    target = Path(os.path.realpath(path))
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write ({exc.strerror or exc})") from None
    if st is None:  # (/dev/stderr and the like: a link to what has no path, a pipe)
        with contextlib.suppress(OSError):
            st = path.stat()
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            what = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            raise OrgrolesError(f"{shown}: is {what}; give the path of a file to write")
        if not force:
            raise OrgrolesError(f"{shown}: exists; use --force to overwrite it")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            pieces = (text,) if isinstance(text, str | bytes) else text
            for piece in pieces:
                data = (
                    piece if isinstance(piece, bytes) else piece.encode("utf-8", "backslashreplace")
                )
                handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        else:  # a new file gets what the umask gives, as open() would (mkstemp gives 0600)
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write ({exc.strerror or exc})") from None
    finally:
        close = getattr(text, "close", None)  # a generator's clean-up runs now, not never
        if close is not None:
            close()
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
