"""The indexed store: a validated organisation as one SQLite file that a question reads rows of.

A warm question used to read the whole organisation back (cached JSON → model → lookups), so
its cost grew with the organisation. The store keeps what the lookups of
``orgroles.index.OrgIndex`` hold as rows keyed by id or by folded name, so a question opens it
and reads only the rows its answer needs (``orgroles.storeindex``).

**Tables** (each ``(key TEXT PRIMARY KEY, body TEXT, mac BLOB) WITHOUT ROWID``; a body is JSON):

- ``node``: one row per role, post, unit and forum (``ord`` is its place in the file): ``k``
  kind, ``o`` place, ``d`` its validated data, and its lookups: ``t`` the target of its line,
  ``b`` the entry that declares it, ``r`` a post's role, ``below`` the nodes whose line ends at
  it, ``posts`` a role's posts, ``heads`` the posts heading a unit, ``parts`` the units and
  forums part of it.
- ``list``: ``below:ID`` or ``posts:ID`` → ``i`` a node's ``below`` or a role's ``posts`` when
  longer than ``INLINE`` ids (its node row then says only how many, ``below#``/``posts#``), so
  a question about one post of a role with a million posts does not read them all; and
  ``spans:N`` → ``i`` the ``N``-th ``SPANS_PER_ROW`` spans of control of ``stats``.
- ``name``: a folded name (``orgroles.names.fold``) → ``i`` the ids it names, ``g`` when it was
  made up, not written; ``p``/``gp`` the same with people's names, when they differ.
- ``word``: a folded word → ``i`` the ids with a name that has the whole word, ``u`` those
  that are units.
- ``tree``: the layout of ``tree`` (``orgroles.queries.line.Layout``): a row's key (a node, a
  group of a role's posts, or ``" "`` for the top) → ``c`` the keys below it, ``g`` a group's
  role and posts, ``s`` how many rows lie below it; so ``tree --depth N`` reads the rows it
  shows.
- ``meta``: ``header`` (store format, versions, content key, counts of entities and of each
  table's rows, a digest of the name table's keys), ``rest`` (everything in the file that is
  not a role, post or unit, read whole: meta, vocabulary, forums, relations, principles,
  delegations …) and ``stats`` (the measurements of ``stats`` but the spans:
  ``orgroles.queries.stats.encode``).

**Trust.** Each row carries a MAC: BLAKE2b keyed with the cache folder's secret
(``orgroles.cache``) over the store's content key, the table, the row's key and its body. A row
that was edited, moved to another key or copied from another store fails. A deleted row is
caught too: each body names the next key of its table (``n``; a first row with the empty key
starts the chain), so a lookup that misses reads the row before and checks that its ``n`` skips
the key asked for; every key read at once (for suggestions) must match the header's digest.
Whatever is wrong raises ``StoreCorrupt``; the reader then answers from the
file (``orgroles.storeindex``) and writes the store again. The file is written under a
temporary name and renamed into place, so readers see a whole store or none, and racing
writers are harmless.

**Writing in bounded memory.** The rows are defined once, by ``Contents`` (which the reader's
in-memory fallback uses too). The writer takes the table of nodes, lists and the tree from
it, letting go of each part once written when it is a process of its own; the names and words
of every entity are not gathered in Python sets (ten million posts' names outgrow the memory)
but put as (key, id, flags) pairs into a private scratch database beside the store, and read
back grouped and sorted by SQLite (``_count_names``, ``_name_rows``, ``_word_rows``); tests
prove each written row equal to the one ``Contents`` defines.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import itertools
import json
import operator
import os
import signal
import sqlite3
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from orgroles import FORMAT_VERSION, __version__
from orgroles.cache import cache_dir, is_private, secret_of
from orgroles.jsontext import compact

STORE_FORMAT = 8  # 3: the spans of stats and their names without people; 4: ids composed (NFC);
# 5: words split in their composed form, marks dropped (names.words); 6: in NFKC (ⓐ is a);
# 7: the header counts each table's rows and digests the name table's keys; 8: names and
# words without invisible characters, ǿ and ǽ folded as ø and æ
TABLES = ("node", "list", "name", "word", "tree", "meta")
LONG = ("below", "posts")  # lists kept in the list table when longer than INLINE
INLINE = 64
SPANS_PER_ROW = 20_000  # spans of control per ``spans:N`` row of the list table
TREE_TOP = " "  # the key of the top of the tree in the tree table (no id has a space)
ENTITY_LISTS = (("role", "roles"), ("post", "posts"), ("unit", "units"), ("forum", "forums"))
START = ""  # the key of the row that starts each table's chain
ROWS_WITHOUT_PEOPLE = "name-i"  # (the header's digest of the names with ids without people)


class StoreCorrupt(Exception):
    """A store that cannot be trusted (edited, truncated, unreadable); answer from the file."""


def span_key(number: int) -> str:
    """The key of the ``number``-th row of spans of control in the list table."""
    return f"spans:{number:08d}"


def store_path(key: str, folder: Path | None = None) -> Path:
    """Return where the store of content key ``key`` lives."""
    return (folder or cache_dir()) / f"{key}.db"


def _mac(secret: bytes, key: str, table: str, row: str, body: bytes) -> bytes:
    digest = hashlib.blake2b(digest_size=16, key=secret)
    digest.update(f"{key}\0{table}\0{row}\0".encode("utf-8", "surrogatepass"))
    digest.update(body)
    return digest.digest()


_dumps = compact


# --- what the store holds, defined once (the writer and the in-memory fallback use it) ------


class Contents:
    """The rows of the store of one organisation, computed from its validated data and model."""

    def __init__(self, plain: dict[str, Any], org: Any) -> None:
        from orgroles.index import OrgIndex

        self.plain = plain
        self.org = org
        self.ix = OrgIndex(org)
        self.data: dict[str, Any] = {}
        for _, field in ENTITY_LISTS:
            for entry in plain.get(field, ()):
                self.data[entry["id"]] = entry
        self._names: tuple[Any, Any, dict[str, set[str]]] | None = None
        self._layout: Any = None
        self._stats: tuple[dict[str, Any], list[list[Any]]] | None = None

    def release(self, part: str) -> None:
        """Let go of a part the writer has written the rows of: the validated ``data``, the
        ``stats``, or all the ``lookups`` (the model alone stays)."""
        if part == "data":
            self.plain, self.data = {}, {}
        elif part == "stats":
            self._stats = None
        else:
            self.ix = None  # type: ignore[assignment]
            self._names = self._layout = self._stats = None

    def _name_indexes(self) -> tuple[Any, Any, dict[str, set[str]]]:
        """The name index with people's names, without, and the words (built on first use:
        the store's writer streams them instead, ``_name_rows``)."""
        if self._names is None:
            from orgroles.model import without_people
            from orgroles.names import entity_index

            found: dict[str, set[str]] = {}

            def add_words(id_: str, names: list[str | None]) -> None:
                for word in _words_of(names):
                    found.setdefault(word, set()).add(id_)

            full = entity_index(self.org, add_words)
            stripped = without_people(self.org)  # ``org`` itself when nobody is named
            plain = full if stripped is self.org else entity_index(stripped)
            self._names = (full, plain, found)
        return self._names

    def header(self, key: str) -> dict[str, Any]:
        """The header row: versions, the content key and how many of each entity there are."""
        counts = {kind: len(self.plain.get(field, ())) for kind, field in ENTITY_LISTS}
        counts["relations"] = len(self.plain.get("relations", ()))
        return {
            "store": STORE_FORMAT,
            "orgroles": __version__,
            "format": FORMAT_VERSION,
            "key": key,
            "counts": counts,
        }

    def rest(self) -> dict[str, Any]:
        """Every part of the validated data except the roles, posts and units."""
        return {k: v for k, v in self.plain.items() if k not in ("roles", "posts", "units")}

    def node_ids(self) -> Iterator[str]:
        """Every role, post, unit and forum id, in file order (roles, posts, units, forums)."""
        return self.ix.ids()

    def node(self, id_: str) -> dict[str, Any] | None:
        """The ``node`` row of an id (None when no entity has it)."""
        if id_ not in self.ix._order:
            return None
        ix, line = self.ix, self.ix.line
        record: dict[str, Any] = {"k": ix.kind(id_), "o": ix.order(id_), "d": self.data[id_]}
        lookups: tuple[tuple[str, Mapping[str, Any]], ...] = (
            ("t", line.target),
            ("b", line.declared_by),
            ("r", line.post_role),
            ("below", line.below),
            ("posts", line.role_posts),
            ("heads", ix.heads_of),
            ("parts", ix.parts),
        )
        for field, table in lookups:
            value = table.get(id_)
            if value is not None:
                if field in LONG and len(value) > INLINE:
                    record[f"{field}#"] = len(value)  # the list itself: list_row
                else:
                    record[field] = value
        return record

    def list_keys(self) -> list[str]:
        """The keys of the long lists (``below:ID``, ``posts:ID``) and of the spans of
        control (``spans:N``, ``SPANS_PER_ROW`` each)."""
        line = self.ix.line
        tables = {"below": line.below, "posts": line.role_posts}
        spans = range(0, len(self.stats()[1]), SPANS_PER_ROW)
        return [
            f"{field}:{id_}"
            for field, table in tables.items()
            for id_, value in table.items()
            if len(value) > INLINE
        ] + [span_key(n) for n in range(len(spans))]

    def stats(self) -> tuple[dict[str, Any], list[list[Any]]]:
        """The measurements of ``stats`` (``queries.stats.encode``), computed once."""
        if self._stats is None:
            from orgroles.queries.stats import encode

            self._stats = encode(self.ix)
        return self._stats

    def stats_head(self) -> dict[str, Any]:
        """The ``stats`` row of the meta table: the measurements but the spans, and how
        many spans there are."""
        head, spans = self.stats()
        return {**head, "spans": len(spans)}

    def list_row(self, key: str) -> dict[str, Any] | None:
        """The ``list`` row of ``below:ID``, ``posts:ID`` or ``spans:N``."""
        field, _, id_ = key.partition(":")
        if field == "spans":
            spans = self.stats()[1]
            start = int(id_) * SPANS_PER_ROW if id_.isascii() and id_.isdigit() else len(spans)
            return {"i": spans[start : start + SPANS_PER_ROW]} if start < len(spans) else None
        line = self.ix.line
        table = {"below": line.below, "posts": line.role_posts}.get(field)
        value = table.get(id_) if table is not None else None
        return {"i": value} if value is not None and len(value) > INLINE else None

    def name_keys(self) -> set[str]:
        """Every folded name, with and without people's names."""
        full, plain, _ = self._name_indexes()
        return set(full.keys) | set(plain.keys)

    def name(self, key: str) -> dict[str, Any] | None:
        """The ``name`` row of a folded name (None when nothing goes by it)."""
        full, plain, _ = self._name_indexes()
        if key not in plain.keys and key not in full.keys:
            return None
        return name_row(
            sorted(plain.keys.get(key, ())),
            key in plain.guessed,
            sorted(full.keys.get(key, ())),
            key in full.guessed,
            full is not plain,
        )

    def words(self) -> dict[str, set[str]]:
        """Folded word → the ids with a name that has it (people's names included)."""
        return self._name_indexes()[2]

    def layout(self) -> Any:
        """The tree's layout (``orgroles.queries.line.Layout``), computed once."""
        if self._layout is None:
            from orgroles.queries.line import tree_layout

            self._layout = tree_layout(self.ix)
        return self._layout

    def tree_keys(self) -> list[str]:
        """Every key of the tree's layout (``TREE_TOP`` for the top)."""
        layout = self.layout()
        keys = {*layout.children, *layout.groups, *layout.sizes}
        return [TREE_TOP if k == "" else k for k in keys]

    def tree(self, key: str) -> dict[str, Any] | None:
        """The ``tree`` row of a layout key."""
        layout, at = self.layout(), "" if key == TREE_TOP else key
        record: dict[str, Any] = {}
        for field, table in (("c", layout.children), ("g", layout.groups), ("s", layout.sizes)):
            value = table.get(at)
            if value is not None:
                record[field] = value
        return record or None

    def word(self, key: str) -> dict[str, Any] | None:
        """The ``word`` row of a folded word: the ids, and which of them are units."""
        ids = self.words().get(key)
        if not ids:
            return None
        ordered = sorted(ids)
        return word_row(ordered, [i for i in ordered if self.ix.kind(i) == "unit"])


def _words_of(names: list[str | None]) -> Iterator[str]:
    """The folded words of an entity's names, each name once (a word may come twice)."""
    from orgroles.names import words

    for name in dict.fromkeys(names):
        if name:
            for word in words(name):
                if word:  # "_" folds to nothing; "" starts each table's chain
                    yield word


def name_row(
    ids: list[str], guessed: bool, full_ids: list[str], full_guessed: bool, people: bool
) -> dict[str, Any]:
    """The ``name`` row of a key: the ``ids`` it names without people's names (sorted) and
    whether it was made up there (``guessed``), then, when the organisation names people
    (``people``), the same with their names where that differs."""
    record: dict[str, Any] = {}
    if ids:
        record["i"] = ids
    if guessed:
        record["g"] = 1
    if people:
        if full_ids != ids:
            record["p"] = full_ids
        if full_guessed != guessed:
            record["gp"] = int(full_guessed)
    return record


def word_row(ids: list[str], units: list[str]) -> dict[str, Any]:
    """The ``word`` row of a folded word: the ids with a name that has it (sorted), and
    those of them that are units."""
    return {"i": ids, "u": units} if units else {"i": ids}


# --- writing -------------------------------------------------------------------------------

_SCHEMA = "".join(
    f"CREATE TABLE {table} (key TEXT PRIMARY KEY, body TEXT NOT NULL, mac BLOB NOT NULL"
    + (", ord INTEGER UNIQUE" if table == "node" else "")
    + ") WITHOUT ROWID;"
    for table in TABLES
)


def write(key: str, contents: Contents, folder: Path | None = None, consume: bool = False) -> bool:
    """Write the store of ``contents`` under ``key``; False (silently) when that is impossible.

    With ``consume`` (a process that only writes the store), ``contents`` is used up."""
    folder = folder or cache_dir()
    try:
        secret = secret_of(folder, create=True)
        if secret is None:
            return False
        tidy(folder)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".db.tmp", dir=folder)
        os.close(fd)
        try:
            _fill(Path(tmp), key, contents, secret, consume)
            os.replace(tmp, store_path(key, folder))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, sqlite3.Error, ValueError, RecursionError):
        return False
    return True


ABANDONED = 600  # seconds: a temporary store not written to for this long lost its writer


def tidy(folder: Path | None = None) -> None:
    """Remove what writers that were killed left in the cache folder, for any file (one may
    have changed since): their temporary files untouched for ``ABANDONED`` seconds, their
    markers (``building`` turns a dead writer's into a failure) and failures older than
    ``BUILDING_AT_MOST``. Run by every writer, and by runs that find a failure."""
    folder = folder or cache_dir()
    now = time.time()
    with contextlib.suppress(OSError):
        for leftover in folder.glob(".*.db.tmp"):
            key = leftover.name[1:].partition(".")[0]  # .<key>.<random>[.names].db.tmp
            with contextlib.suppress(OSError):
                # (a live writer of ten million posts leaves a file alone for many minutes)
                if now - leftover.stat().st_mtime > ABANDONED and not building(key, folder):
                    leftover.unlink()
        for marker in folder.glob("*.building"):
            building(marker.name.removesuffix(".building"), folder)
        for failure in folder.glob("*.failed"):
            with contextlib.suppress(OSError):
                if now - failure.stat().st_mtime > BUILDING_AT_MOST:
                    failure.unlink()


def _fill(path: Path, key: str, contents: Contents, secret: bytes, consume: bool) -> None:
    """Write every table; with ``consume``, let go of each part of ``contents`` once its rows
    are written (a writer of its own: the names are then counted from the model alone)."""
    scratch = path.with_name(path.name.removesuffix(".db.tmp") + ".names.db.tmp")
    conn = None
    try:
        os.close(os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        conn = sqlite3.connect(path, isolation_level=None)
        conn.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;"
            "PRAGMA cache_size=-262144;"  # 256 MiB: a large store is written without re-reads
            + _SCHEMA
        )
        conn.execute("ATTACH DATABASE ? AS scratch", (str(scratch),))
        conn.executescript(
            "PRAGMA scratch.journal_mode=OFF; PRAGMA scratch.synchronous=OFF;"
            "PRAGMA scratch.cache_size=-65536;"
            "CREATE TABLE scratch.names (k TEXT, i TEXT, f INTEGER);"
            "CREATE TABLE scratch.words (k TEXT, i TEXT, u INTEGER);"
        )
        conn.execute("BEGIN")

        counts: dict[str, int] = {}  # rows of each table
        digests: dict[str, str] = {}  # of the name table's keys (and ROWS_WITHOUT_PEOPLE's)
        touched = [time.monotonic()]

        def alive() -> None:
            """Touch the temporary files now and then: ``tidy`` takes files left untouched for
            ``ABANDONED`` seconds as a killed writer's (SQLite may not write them for long)."""
            now = time.monotonic()
            if now - touched[0] > ABANDONED / 10:
                touched[0] = now
                for own in (path, scratch):
                    with contextlib.suppress(OSError):
                        os.utime(own)

        def chain(table: str, rows: Iterable[tuple[str, dict[str, Any]]]) -> None:
            """Insert ``rows`` (sorted by key) after the starting row, each naming the next."""
            with_ord = table == "node"
            sql = f"INSERT INTO {table} VALUES (?, ?, ?{', ?' if with_ord else ''})"
            counts[table] = -1  # (the starting row)
            every, without = _KeyDigest(), _KeyDigest()

            def items() -> Iterator[tuple[Any, ...]]:
                for row_key, body in _with_next(rows):
                    counts[table] += 1
                    if not counts[table] % 4096:
                        alive()
                    if table == "name" and row_key != START:
                        every.add(row_key)
                        if "i" in body:
                            without.add(row_key)
                    text = _dumps(body)
                    mac = _mac(secret, key, table, row_key, text.encode())
                    if with_ord:
                        yield row_key, text, mac, body.get("o", -1)
                    else:
                        yield row_key, text, mac

            conn.executemany(sql, items())
            if table == "name":
                digests["name"], digests[ROWS_WITHOUT_PEOPLE] = every.value(), without.value()

        def put_meta(row_key: str, value: Any) -> None:
            text = _dumps(value)
            mac = _mac(secret, key, "meta", row_key, text.encode())
            conn.execute("INSERT INTO meta VALUES (?, ?, ?)", (row_key, text, mac))

        header = contents.header(key)
        put_meta("rest", contents.rest())
        chain("node", _rows(sorted(contents.node_ids()), contents.node))
        if consume:
            contents.release("data")
        alive()
        chain("list", _rows(sorted(contents.list_keys()), contents.list_row))
        put_meta("stats", contents.stats_head())
        if consume:
            contents.release("stats")
        alive()
        chain("tree", _rows(sorted(contents.tree_keys()), contents.tree))
        org = contents.org
        if consume:  # what is left to write needs the model only
            contents.release("lookups")
            gc.collect()
        alive()
        _count_names(conn, org, alive)
        chain("name", _name_rows(conn, _names_people(org)))
        chain("word", _word_rows(conn))
        put_meta("header", {**header, "rows": counts, "keys": digests})
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE scratch")
    finally:
        if conn is not None:
            conn.close()
        scratch.unlink(missing_ok=True)


class _KeyDigest:
    """A digest of keys in order (in the header, MAC'd with it: ``Store.keys``)."""

    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=16)

    def add(self, key: str) -> None:
        self._hash.update(key.encode("utf-8", "surrogatepass") + b"\0")

    def value(self) -> str:
        return self._hash.hexdigest()


def _rows(
    keys: list[str], body_of: Callable[[str], dict[str, Any] | None]
) -> Iterator[tuple[str, dict[str, Any]]]:
    for row_key in keys:
        body = body_of(row_key)
        assert body is not None, row_key
        yield row_key, body


def _with_next(rows: Iterable[tuple[str, dict[str, Any]]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The starting row (``START``, empty), then ``rows``, each body naming the next key."""
    last_key, last = START, {}
    for row_key, body in rows:
        last["n"] = row_key
        yield last_key, last
        last_key, last = row_key, body
    yield last_key, last


FULL, PLAIN, GUESSED = 1, 2, 4  # a name's flags in the scratch table
CHUNK = 20_000  # entities whose names are counted between two inserts


def _count_names(conn: sqlite3.Connection, org: Any, alive: Callable[[], None]) -> None:
    """Put every (folded name, id, flags) and (word, id, unit?) pair of the organisation into
    the scratch tables, for ``_name_rows`` and ``_word_rows`` to read back grouped and sorted:
    the names of ten million posts do not fit in memory as Python sets."""
    from orgroles.names import entity_name_lists, guessed_names, name_keys

    units = {unit.id for unit in org.units}
    names: list[tuple[str, str, int]] = []
    words: list[tuple[str, str, bool]] = []

    def flush() -> None:
        alive()
        conn.executemany("INSERT INTO scratch.names VALUES (?, ?, ?)", names)
        conn.executemany("INSERT INTO scratch.words VALUES (?, ?, ?)", words)
        names.clear()
        words.clear()

    # Without people's names a post goes by the same names but those of its holders.
    without = entity_name_lists(org, people=False) if _names_people(org) else None
    for id_, full, _, _ in entity_name_lists(org):
        plain = full if without is None else next(without)[1]
        keys = list(name_keys(id_, full))
        if plain == full:
            names += [(k, id_, FULL | PLAIN) for k in keys]
        else:
            plain_keys = set(name_keys(id_, plain))
            names += [(k, id_, FULL | (PLAIN if k in plain_keys else 0)) for k in keys]
            names += [(k, id_, PLAIN) for k in plain_keys.difference(keys)]
        unit = id_ in units
        words += [(w, id_, unit) for w in _words_of(full)]
        if len(words) > CHUNK:
            flush()
    # Made-up names come from a post's role and field, never from its holders.
    for id_, made_up in guessed_names(org):
        names += [(k, id_, FULL | PLAIN | GUESSED) for k in name_keys(id_, made_up, True)]
        if len(names) > CHUNK:
            flush()
    flush()


def _names_people(org: Any) -> bool:
    """Tell whether any post has holders (``model.without_people`` would change it)."""
    return any(post.holders for post in org.posts)


def _name_rows(conn: sqlite3.Connection, people: bool) -> Iterator[tuple[str, dict[str, Any]]]:
    """The ``name`` rows, sorted by key, from the scratch table (``name_row``)."""
    rows = conn.execute("SELECT k, i, f FROM scratch.names ORDER BY k, i")
    for name, pairs in itertools.groupby(rows, key=operator.itemgetter(0)):
        ids: list[str] = []
        full_ids: list[str] = []
        written = full_written = False
        for _, id_, flags in pairs:
            if flags & PLAIN:
                if not ids or ids[-1] != id_:
                    ids.append(id_)
                written = written or not flags & GUESSED
            if flags & FULL:
                if not full_ids or full_ids[-1] != id_:
                    full_ids.append(id_)
                full_written = full_written or not flags & GUESSED
        guessed = bool(ids) and not written
        yield name, name_row(ids, guessed, full_ids, bool(full_ids) and not full_written, people)


def _word_rows(conn: sqlite3.Connection) -> Iterator[tuple[str, dict[str, Any]]]:
    """The ``word`` rows, sorted by key, from the scratch table (``word_row``)."""
    rows = conn.execute("SELECT k, i, u FROM scratch.words ORDER BY k, i")
    for word, pairs in itertools.groupby(rows, key=operator.itemgetter(0)):
        ids: list[str] = []
        units: list[str] = []
        for _, id_, unit in pairs:
            if not ids or ids[-1] != id_:
                ids.append(id_)
                if unit:
                    units.append(id_)
        yield word, word_row(ids, units)


def write_in_background(
    key: str, take: Callable[[], tuple[dict[str, Any], Any]], folder: Path | None = None
) -> None:
    """Write the store in a child process, so the command that validated the file answers as
    fast as without a store (POSIX; the CLI's own process only: see ``orgroles.load``).

    The child detaches from the terminal and the output (a pipe reader sees the end of the
    output when the command is done), marks the store as being built (``<key>.building``,
    holding its pid: other runs neither wait for it nor build it again), waits until the
    command has exited, and exits when done. Waiting costs the store a few seconds and saves
    memory: the command's pages are no longer shared when the child reads them, so they are
    not copied (a cold question on ten million posts would otherwise need its memory twice).
    """
    folder = folder or cache_dir()
    if building(key, folder):
        return
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # (None: started with the descriptor closed)
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    try:
        parent_gone, parent_alive = os.pipe()  # end of file for the child when we exit
    except OSError:
        return
    try:
        pid = os.fork()
    except OSError:
        os.close(parent_gone)
        os.close(parent_alive)
        return
    if pid:
        os.close(parent_gone)  # parent_alive stays open until this process exits
        return
    code = 0
    try:  # the child: never returns into the command
        os.close(parent_alive)
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        # Nothing the command had open stays open here (a pipe's write end would keep its
        # reader waiting for the store, a lock would stay held): only the pipe to the parent.
        os.closerange(3, parent_gone)
        os.closerange(parent_gone + 1, _open_max())
        signal.signal(signal.SIGTERM, _stop)  # a stopped writer leaves no temporary file
        marker = folder / f"{key}.building"
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        failed = True
        try:
            os.write(fd, f"{os.getpid()} {_started(os.getpid())}".encode())
            os.close(fd)
            while os.read(parent_gone, 1):
                pass
            os.utime(marker)  # its age counts from now (``building``)
            with contextlib.suppress(OSError):
                os.nice(5)  # after a question asked meanwhile
            # ``take`` hands over the validated data and the model, keeping no other reference
            # to them: the contents let each part go once its rows are written.
            # SQLite sorts the names in temporary files: beside the store, not in a /tmp that
            # may be a small RAM disk (ten million posts sort a few GB).
            os.environ["SQLITE_TMPDIR"] = str(folder)
            gc.collect()  # the command's lookups, if they are cyclic garbage now
            failed = not write(key, Contents(*take()), folder, consume=True)
        finally:
            if failed:  # (stopped, or unable): not started again on every run
                with contextlib.suppress(OSError):
                    (folder / f"{key}.failed").touch(mode=0o600)
            marker.unlink(missing_ok=True)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _open_max() -> int:
    try:
        return max(3, min(os.sysconf("SC_OPEN_MAX"), 1 << 20))
    except (OSError, ValueError):
        return 1024


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(1)


def failed_lately(key: str, folder: Path | None = None) -> bool:
    """Tell whether writing the store of ``key`` failed within ``BUILDING_AT_MOST`` (a full
    disk, say): later runs do not start it again and again meanwhile."""
    try:
        made = ((folder or cache_dir()) / f"{key}.failed").stat().st_mtime
    except OSError:
        return False
    return time.time() - made < BUILDING_AT_MOST


def building(key: str, folder: Path | None = None) -> bool:
    """Tell whether another process is writing the store of ``key`` right now: its marker
    names a live orgroles process and is younger than ``BUILDING_AT_MOST`` (a writer killed
    long ago whose pid was reused does not stop the store from being written).

    A writer that is gone without finishing was killed (by the system when memory ran out,
    most likely): that counts as a failure (``failed_lately``), so the next runs do not start
    it again at once."""
    folder = folder or cache_dir()
    marker = folder / f"{key}.building"
    try:
        text, age = _read_marker(marker)
        number, _, started = text.partition(" ")  # "<pid> <its start time>"
        pid = int(number) if number.isdigit() and len(number) < 12 else 0
        if pid > 0 and age < BUILDING_AT_MOST:
            try:
                os.kill(pid, 0)  # alive (and ours)?
                if _is_zombie(pid):  # killed, not yet reaped (or never: a container's init)
                    raise ProcessLookupError
            except ProcessLookupError:
                (folder / f"{key}.failed").touch(mode=0o600)
                raise
            if _started(pid) == started if started else _is_orgroles(pid):
                return True  # (the same process: not another that got its pid since)
        elif pid <= 0 and age < 60:
            return True  # just made: its pid is being written
        marker.unlink(missing_ok=True)  # a marker that names no writer
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(OSError):
            marker.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass
    return False


BUILDING_AT_MOST = 3 * 3600  # seconds: longer than writing the store of 10 million posts


def _read_marker(marker: Path) -> tuple[str, float]:
    """The text and age of a writer's marker: a regular file of a few bytes, never followed
    through a link nor waited on (a FIFO left in the cache folder would hang every run)."""
    fd = os.open(marker, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{marker.name}: not a regular file")
        text = os.read(fd, 32).decode("ascii")
    finally:
        os.close(fd)
    return text, time.time() - info.st_mtime


def _is_zombie(pid: int) -> bool:
    """Whether process ``pid`` has ended and waits to be reaped (where /proc tells)."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    state = stat_line[stat_line.rfind(b")") + 2 : stat_line.rfind(b")") + 3]
    return state in (b"Z", b"X")


def _started(pid: int) -> str:
    """When process ``pid`` started, in clock ticks since boot (where /proc tells, else "?"):
    with its pid, it names one process, whatever its command line looks like."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_bytes()
        return stat_line[stat_line.rfind(b")") + 2 :].split()[19].decode("ascii")
    except (OSError, IndexError, UnicodeDecodeError):
        return "?"


def _is_orgroles(pid: int) -> bool:
    """Whether process ``pid`` runs orgroles (where /proc tells; elsewhere, assumed)."""
    try:
        return b"orgroles" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return not Path("/proc/self").exists()


# --- reading -------------------------------------------------------------------------------


class Store:
    """An open store: authenticated look-ups by key, and scans; every fault is StoreCorrupt."""

    def __init__(self, conn: sqlite3.Connection, key: str, secret: bytes, path: Path) -> None:
        self.conn = conn
        self.key = key
        self.secret = secret
        self.path = path
        if _schema_of(conn) != _expected_schema():  # e.g. a table rebuilt with another order
            raise StoreCorrupt("schema")
        self.header = self._meta("header")
        self.rest = self._meta("rest")
        expected = {
            "store": STORE_FORMAT,
            "orgroles": __version__,
            "format": FORMAT_VERSION,
            "key": key,
        }
        if {k: self.header.get(k) for k in expected} != expected:
            raise StoreCorrupt("header")

    def _body(self, table: str, row_key: str, text: Any, mac: Any) -> dict[str, Any]:
        if not isinstance(text, str) or not isinstance(mac, bytes):
            raise StoreCorrupt(table)
        body_bytes = text.encode("utf-8", "surrogatepass")
        expected = _mac(self.secret, self.key, table, row_key, body_bytes)
        if mac != expected:
            raise StoreCorrupt(f"{table} {row_key!r}")
        try:
            body = json.loads(text)
        except ValueError:
            raise StoreCorrupt(table) from None
        if not isinstance(body, dict):
            raise StoreCorrupt(table)
        return body

    def meta(self, row_key: str) -> dict[str, Any]:
        """A row of the meta table (``header``, ``rest``, ``stats``), checked."""
        return self._meta(row_key)

    def _meta(self, row_key: str) -> dict[str, Any]:
        try:
            sql = "SELECT body, mac FROM meta WHERE key = ?"
            row = self.conn.execute(sql, (row_key,)).fetchone()
        except sqlite3.Error:
            raise StoreCorrupt("meta") from None
        if row is None:
            raise StoreCorrupt(f"meta {row_key}")
        return self._body("meta", row_key, *row)

    def get(self, table: str, row_key: str) -> dict[str, Any] | None:
        """Return the body stored under ``row_key``, or None when the chain proves it absent."""
        if not row_key or not _encodable(row_key):
            return None  # no key is empty or unencodable
        try:
            row = self.conn.execute(
                f"SELECT key, body, mac FROM {table} WHERE key <= ? ORDER BY key DESC LIMIT 1",
                (row_key,),
            ).fetchone()
        except sqlite3.Error:
            raise StoreCorrupt(table) from None
        if row is None or not isinstance(row[0], str):
            raise StoreCorrupt(f"{table}: no start row")
        body = self._body(table, row[0], row[1], row[2])
        if row[0] == row_key:
            return body
        following = body.get("n")
        if following is None or (isinstance(following, str) and following > row_key):
            return None
        raise StoreCorrupt(f"{table}: a row before {row_key!r} was removed")

    def get_many(self, table: str, keys: list[str]) -> dict[str, dict[str, Any]]:
        """Return the bodies of those of ``keys`` that are stored, checked, in one query per
        500 keys (a missing key is proved absent by ``get``)."""
        found: dict[str, dict[str, Any]] = {}
        wanted = [k for k in keys if k and _encodable(k)]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            try:
                rows = self.conn.execute(
                    f"SELECT key, body, mac FROM {table} WHERE key IN ({marks})", chunk
                ).fetchall()
            except sqlite3.Error:
                raise StoreCorrupt(table) from None
            for row_key, text, mac in rows:
                if not isinstance(row_key, str):
                    raise StoreCorrupt(table)
                found[row_key] = self._body(table, row_key, text, mac)
        return found

    def scan(self, table: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Yield every (key, body) of a table in key order, checking the chain whole."""
        expected: str | None = START
        try:
            cursor = self.conn.execute(f"SELECT key, body, mac FROM {table} ORDER BY key")
            for row_key, text, mac in cursor:
                if row_key != expected:
                    raise StoreCorrupt(f"{table}: expected {expected!r}, found {row_key!r}")
                body = self._body(table, row_key, text, mac)
                expected = body.get("n")
                if row_key != START:
                    yield row_key, body
        except sqlite3.Error:
            raise StoreCorrupt(table) from None
        if expected is not None:
            raise StoreCorrupt(f"{table}: ends before {expected!r}")

    def keys(self, table: str, people: bool = True) -> list[str]:
        """Every key of the name table (without ``people``, of the names not only people's
        names make), for suggestions: each one is then read and checked by ``get``, and all of
        them together by the digest in the header, so a row removed, added or renamed is
        caught here too."""
        # A name row's body starts with its ids without people ("i") when it has any.
        without = not people and table == "name"
        where = """ AND body LIKE '{"i":%'""" if without else ""
        try:
            sql = f"SELECT key FROM {table} WHERE key > ''{where} ORDER BY key"
            rows = self.conn.execute(sql).fetchall()
        except sqlite3.Error:
            raise StoreCorrupt(table) from None
        found = [k for (k,) in rows if isinstance(k, str)]
        digest = _KeyDigest()
        for k in found:
            digest.add(k)
        if digest.value() != self.header.get("keys", {}).get(
            ROWS_WITHOUT_PEOPLE if without else table
        ):
            raise StoreCorrupt(f"{table}: the keys are not those written")
        return found

    def starting(self, prefix: str, limit: int) -> list[tuple[str, dict[str, Any]]]:
        """Up to ``limit`` node rows whose id starts with ``prefix``, in file order, checked
        (for completion: a removed row goes unnoticed, an edited one does not)."""
        if not _encodable(prefix):
            return []
        try:
            rows = self.conn.execute(
                "SELECT key, body, mac FROM node WHERE key >= ? AND key < ? AND ord >= 0 "
                "ORDER BY ord LIMIT ?",
                (prefix, prefix + "\U0010ffff", limit),
            ).fetchall()
        except sqlite3.Error:
            raise StoreCorrupt("node") from None
        return [(k, self._body("node", k, text, mac)) for k, text, mac in rows]

    def nodes_in_order(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Yield every node (id, body) in file order, checking that none is missing."""
        place = 0
        try:
            cursor = self.conn.execute(
                "SELECT key, body, mac FROM node WHERE ord >= 0 ORDER BY ord"
            )
            for row_key, text, mac in cursor:
                body = self._body("node", row_key, text, mac)
                if body.get("o") != place:
                    raise StoreCorrupt(f"node {row_key!r} out of place")
                place += 1
                yield row_key, body
        except sqlite3.Error:
            raise StoreCorrupt("node") from None
        if place != sum(self.header["counts"][kind] for kind, _ in ENTITY_LISTS):
            raise StoreCorrupt("node: rows missing")

    def close(self) -> None:
        """Close the database connection."""
        self.conn.close()


def _schema_of(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """The tables, indexes and their SQL, and the text encoding: look-ups and their proofs of
    absence rely on the keys' order being Python's (UTF-8, BINARY collation)."""
    try:
        rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
        encoding = conn.execute("PRAGMA encoding").fetchone()
    except sqlite3.Error:
        raise StoreCorrupt("schema") from None
    return [*sorted(rows, key=repr), encoding]


@functools.cache
def _expected_schema() -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(_SCHEMA)
        return _schema_of(conn)
    finally:
        conn.close()


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def open_store(key: str, folder: Path | None = None) -> Store | None:
    """Open the store of content key ``key``; None when there is none that can be trusted."""
    folder = folder or cache_dir()
    path = store_path(key, folder)
    try:
        secret = secret_of(folder, create=False)
        if secret is None:
            return None
        st = os.lstat(path)  # a link, FIFO or device is never opened
        if not stat.S_ISREG(st.st_mode) or not is_private(st):
            return None
        uri = f"file:{quote(str(path))}?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except (OSError, sqlite3.Error, ValueError):
        return None
    try:
        return Store(conn, key, secret, path)
    except StoreCorrupt:
        conn.close()
        discard(key, folder)
        return None


def discard(key: str, folder: Path | None = None) -> None:
    """Remove a store that failed its checks (quietly: it is rebuilt from the file)."""
    with contextlib.suppress(OSError):
        store_path(key, folder).unlink(missing_ok=True)
