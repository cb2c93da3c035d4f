"""SQLite: the organisation as a database any SQL tool reads (``export --format sqlite -o FILE``).

The schema is documented in docs/exports.md (``SCHEMA`` and ``INDEXES`` below are it, word for
word): one table per kind of thing, foreign keys between them, and the line as the ``line``
table (each post or class and its superior) with its ``candidates`` (the posts one of which is
the superior when the source does not say which) and the ``chain`` view (everyone who is, or
may be, above a node, at each depth). Texts in both languages; booleans as 0/1; slides as
``"7,10"``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from orgroles.errors import OutputError
from orgroles.index import OrgIndex
from orgroles.model import Lang, LangText, Source
from orgroles.queries.authority import holdings
from orgroles.queries.common import is_one_of, superior_of

SCHEMA = """\
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE roles (
  id TEXT PRIMARY KEY, name_nb TEXT, name_en TEXT, plural_nb TEXT, plural_en TEXT,
  count INTEGER, approximate INTEGER, reports_to TEXT, status TEXT, slides TEXT);
CREATE TABLE units (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, name_nb TEXT, name_en TEXT,
  part_of TEXT REFERENCES units(id), status TEXT, slides TEXT);
CREATE TABLE posts (
  id TEXT PRIMARY KEY, role TEXT REFERENCES roles(id), name_nb TEXT, name_en TEXT,
  title_nb TEXT, title_en TEXT, portfolio_nb TEXT, portfolio_en TEXT,
  heads TEXT REFERENCES units(id), reports_to TEXT, staff INTEGER, staff_approximate INTEGER,
  vacant INTEGER NOT NULL, status TEXT, slides TEXT);
CREATE TABLE holders (
  post TEXT NOT NULL REFERENCES posts(id), position INTEGER NOT NULL, name TEXT NOT NULL,
  email TEXT, external_id TEXT, acting INTEGER NOT NULL, "from" TEXT, until TEXT,
  PRIMARY KEY (post, position));
CREATE TABLE line (
  node TEXT PRIMARY KEY, kind TEXT NOT NULL, superior TEXT, one_of INTEGER NOT NULL);
CREATE TABLE candidates (
  node TEXT NOT NULL REFERENCES line(node), candidate TEXT NOT NULL REFERENCES line(node),
  PRIMARY KEY (node, candidate));
CREATE TABLE forums (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, name_nb TEXT, name_en TEXT,
  part_of TEXT REFERENCES forums(id));
CREATE TABLE members (
  forum TEXT NOT NULL REFERENCES forums(id), member TEXT NOT NULL, participation TEXT NOT NULL);
CREATE TABLE relations (
  type TEXT NOT NULL, "from" TEXT NOT NULL, "to" TEXT, status TEXT, slides TEXT);
CREATE TABLE authorities (
  role TEXT NOT NULL REFERENCES roles(id), kind TEXT NOT NULL, name_nb TEXT, name_en TEXT,
  qualifier TEXT, scope TEXT, basis TEXT NOT NULL, wording_nb TEXT, status TEXT, slides TEXT);
CREATE VIEW chain (node, above, depth) AS
  WITH RECURSIVE up(node, above, depth) AS (
    SELECT node, candidate, 1 FROM candidates
    UNION
    SELECT up.node, c.candidate, up.depth + 1 FROM up JOIN candidates c ON c.node = up.above
  )
  SELECT node, above, MAX(depth) FROM up GROUP BY node, above;
"""
# Made once the rows are in (sorting a million keys once beats inserting them one by one).
INDEXES = """\
CREATE INDEX line_superior ON line(superior);
CREATE INDEX candidates_candidate ON candidates(candidate);
CREATE INDEX posts_role ON posts(role);
"""
# A new file in a private temporary folder until it is complete: no journal, no syncs, and a
# cache of 64 MiB (the file is renamed into place when done; its indexes are made last).
BUILDING = "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;"


def _nb_en(text: LangText | None) -> tuple[str | None, str | None]:
    return (text.nb, text.en) if text is not None else (None, None)


def _source(source: Source | None) -> tuple[str | None, str | None]:
    if source is None:
        return None, None
    return source.status, ",".join(str(s) for s in source.slides) or None


def _rows(ix: OrgIndex) -> Iterable[tuple[str, Iterable[Sequence[Any]]]]:
    """Yield (table, rows) for every table (the large ones as generators: never all rows of
    a million posts in memory at once)."""
    org = ix.org
    meta = org.meta
    yield (
        "meta",
        [
            ("title_nb", meta.title.nb),
            ("title_en", meta.title.en),
            ("date", meta.date),
            ("document", meta.document),
        ],
    )
    yield (
        "roles",
        [
            (
                r.id,
                *_nb_en(r.name),
                *_nb_en(r.plural),
                r.count.value if r.count else None,
                int(r.count.approximate) if r.count else None,
                r.reports_to.id if r.reports_to else None,
                *_source(r.source),
            )
            for r in org.roles
        ],
    )
    yield (
        "units",
        [
            (
                u.id,
                u.kind.id,
                *_nb_en(u.name),
                u.part_of.id if u.part_of else None,
                *_source(u.source),
            )
            for u in org.units
        ],
    )
    yield (
        "posts",
        (
            (
                p.id,
                p.role.id if p.role else None,
                ix.label(p.id, "nb"),
                ix.label(p.id, "en"),
                *_nb_en(p.title),
                *_nb_en(p.portfolio),
                p.heads.id if p.heads else None,
                p.reports_to.id if p.reports_to else None,
                p.staff.value if p.staff else None,
                int(p.staff.approximate) if p.staff else None,
                int(p.vacant),
                *_source(p.source),
            )
            for p in org.posts
        ),
    )
    yield (
        "holders",
        (
            (p.id, i, h.name, h.email, h.external_id, int(h.acting), h.from_, h.until)
            for p in org.posts
            for i, h in enumerate(p.holders, start=1)
        ),
    )
    nodes = ix.line.nodes()
    yield (
        "line",
        ((n, ix.kind(n), superior_of(ix, n), int(is_one_of(ix, ix.superior(n)))) for n in nodes),
    )
    yield "candidates", ((n, c) for n in nodes for c in ix.line.candidates(n))
    yield (
        "forums",
        [
            (f.id, f.kind.id, *_nb_en(f.name), f.part_of.id if f.part_of else None)
            for f in org.forums
        ],
    )
    yield "members", [(f.id, m.id, m.participation) for f in org.forums for m in f.members]
    yield (
        "relations",
        [
            (r.type, r.from_.id, r.to.id if r.to else None, *_source(r.source))
            for r in org.relations
        ],
    )
    yield (
        "authorities",
        [
            (
                h.role.id,
                h.kind.id,
                ix.kinds[h.kind.id].name.nb,
                ix.kinds[h.kind.id].name.en,
                h.qualifier.id if h.qualifier else None,
                h.scope.id if h.scope else None,
                h.basis,
                h.wording.get("nb"),
                h.status,
                ",".join(str(s) for s in h.slides) or None,
            )
            for h in holdings(ix)
        ],
    )


def sqlite_chunks(ix: OrgIndex, lang: Lang) -> Iterator[bytes]:
    """The database file of ``to_sqlite`` in pieces of a megabyte: built in a temporary file,
    never whole in memory (a million posts: 270 MB)."""
    try:
        handle, path = tempfile.mkstemp(suffix=".db")
    except OSError as exc:
        raise OutputError(_no_room(exc)) from None
    os.close(handle)
    try:
        _build(ix, path)
        with open(path, "rb") as file:
            with contextlib.suppress(OSError):  # read from the open file: nothing is left
                os.unlink(path)  # should the writing fail (where the system allows it)
                path = ""
            while piece := file.read(1 << 20):
                yield piece
    finally:
        if path:
            os.unlink(path)


def _no_room(exc: BaseException) -> str:
    return f"cannot build the database in {tempfile.gettempdir()} ({exc}); set TMPDIR"


def _build(ix: OrgIndex, path: str) -> None:
    """Write the database of ``ix`` into the file at ``path``."""
    try:
        with sqlite3.connect(path) as db:
            db.executescript(BUILDING + SCHEMA)
            for table, rows in _rows(ix):
                each = iter(rows)
                first = next(each, None)
                if first is not None:
                    marks = ", ".join("?" * len(first))
                    sql = f"INSERT INTO {table} VALUES ({marks})"
                    db.executemany(sql, itertools.chain([first], each))
            db.executescript(INDEXES)
        db.close()
    except (sqlite3.OperationalError, OSError) as exc:  # a full or unwritable temporary folder
        raise OutputError(_no_room(exc)) from None


def to_sqlite(ix: OrgIndex, lang: Lang) -> bytes:
    """Return the organisation as an SQLite database file (``lang`` unused: both languages)."""
    return b"".join(sqlite_chunks(ix, lang))
