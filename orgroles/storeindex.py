"""The lookups of ``orgroles.index.OrgIndex``, read row by row from the store (``orgroles.store``).

``StoreIndex`` is an ``OrgIndex`` whose tables are views of store rows, fetched when a query
first asks for them: a question about one post reads that post, the posts on its line and the
names it was asked by, whatever the size of the organisation. The queries do not know which
index they have; ``tests/test_store.py`` runs the line oracle and every question against both.

Whole-organisation walks (``org.posts``, ``line.nodes()``) still work, reading every row; the
CLI sends such commands to the in-memory index instead, which is faster for them.

When a row fails its checks (``StoreCorrupt``), the index discards the store, loads the file
through ``reload`` (which writes the store again) and answers from then on from rows computed
in memory by the same definitions the store was written with (``orgroles.store.Contents``);
rows read before were authentic, so nothing already answered changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping, MutableSet, Sequence
from functools import cached_property
from typing import Any, TypeVar, cast

from orgroles.errors import OrgrolesError
from orgroles.index import OrgIndex
from orgroles.line import Line
from orgroles.model import Forum, Org, Post, Relation, Role, Unit, from_data
from orgroles.names import NameIndex, entity_names
from orgroles.store import (
    INLINE,
    LONG,
    SPANS_PER_ROW,
    TREE_TOP,
    Contents,
    Store,
    StoreCorrupt,
    discard,
    span_key,
)

T = TypeVar("T")
V = TypeVar("V")


class MemoryRows:
    """The rows of a store, computed from a loaded organisation (after a store failed)."""

    def get_many(self, table: str, keys: list[str]) -> dict[str, dict[str, Any]]:
        """The rows of those of ``keys`` that exist."""
        return {k: row for k in keys if (row := self.get(table, k)) is not None}

    def __init__(self, contents: Contents, key: str) -> None:
        self.contents = contents
        self.header = contents.header(key)
        self.rest = contents.rest()

    def meta(self, row_key: str) -> dict[str, Any]:
        """The ``stats`` row of the meta table, as the store would hold it."""
        assert row_key == "stats"
        return self.contents.stats_head()

    def get(self, table: str, row_key: str) -> dict[str, Any] | None:
        """The row of ``row_key``, as the store would hold it."""
        lookup: dict[str, Callable[[str], dict[str, Any] | None]] = {
            "node": self.contents.node,
            "list": self.contents.list_row,
            "name": self.contents.name,
            "word": self.contents.word,
            "tree": self.contents.tree,
        }
        return lookup[table](row_key)

    def keys(self, table: str, people: bool = True) -> list[str]:
        """Every key of the name table (without ``people``: those naming more than people)."""
        assert table == "name"
        keys = self.contents.name_keys()
        if not people:
            keys = {k for k in keys if (row := self.contents.name(k)) and row.get("i")}
        return sorted(keys)

    def scan(self, table: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every (key, row) of the name table, in key order."""
        assert table == "name"
        for key in sorted(self.contents.name_keys()):
            row = self.contents.name(key)
            if row is not None:
                yield key, row

    def starting(self, prefix: str, limit: int) -> list[tuple[str, dict[str, Any]]]:
        """Up to ``limit`` node rows whose id starts with ``prefix``, in file order."""
        found: list[tuple[str, dict[str, Any]]] = []
        for id_ in self.contents.node_ids():
            if id_.startswith(prefix) and len(found) < limit:
                row = self.contents.node(id_)
                assert row is not None
                found.append((id_, row))
        return found

    def nodes_in_order(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every node row in file order."""
        for id_ in self.contents.node_ids():
            row = self.contents.node(id_)
            assert row is not None
            yield id_, row


Rows = Store | MemoryRows
Reload = Callable[[], tuple[dict[str, Any], Org]]


class StoreIndex(OrgIndex):
    """An organisation's lookups, read from its store as queries ask for them."""

    def __init__(self, rows: Rows, file: str, people: bool, reload: Reload) -> None:
        self._rows = rows
        self._reload = reload
        self._people = people
        self._records: dict[str, dict[str, Any] | None] = {}
        self._other: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._built: dict[str, Any] = {}
        self._all: list[tuple[str, dict[str, Any]]] | None = None
        counts = rows.header["counts"]
        org = from_data(rows.rest, file=file)
        self.org = org._replace(
            roles=cast(Any, _Everything(self, "role", counts["role"])),
            posts=cast(Any, _Everything(self, "post", counts["post"])),
            units=cast(Any, _Everything(self, "unit", counts["unit"])),
        )
        self.roles: _Entities[Role] = _Entities(self, "role")
        self.posts: _Entities[Post] = _Entities(self, "post")
        self.units: _Entities[Unit] = _Entities(self, "unit")
        self.forums: _Entities[Forum] = _Entities(self, "forum")
        vocabulary = org.vocabulary
        self.kinds = {k.id: k for k in vocabulary.authority_kinds}
        self.qualifiers = {t.id: t for t in vocabulary.qualifiers}
        self.scopes = {t.id: t for t in vocabulary.scopes}
        self.unit_kinds = {t.id: t for t in vocabulary.unit_kinds}
        self.forum_kinds = {t.id: t for t in vocabulary.forum_kinds}
        self._order = _Field(self, "o")
        self._kind = _Field(self, "k")
        self.heads_of = _Field(self, "heads")
        self.parts = _Field(self, "parts")
        self.memo = {}
        self.relations_from: dict[str, list[Relation]] = {}
        self.relations_to: dict[str, list[Relation]] = {}
        for relation in org.relations:
            self.relations_from.setdefault(relation.from_.id, []).append(relation)
            if relation.to is not None:
                self.relations_to.setdefault(relation.to.id, []).append(relation)
        self.line = StoreLine(self)
        self.role_posts = self.line.role_posts

    # --- rows, with the fallback to the file -------------------------------------------

    def _fall_back(self) -> None:
        """The store failed a check: discard it and compute rows from the file instead."""
        if isinstance(self._rows, Store):
            key, folder = self._rows.key, self._rows.path.parent
            self._rows.close()
            discard(key, folder)
        else:  # pragma: no cover - rows computed in memory do not fail
            raise RuntimeError("rows computed from the file failed")
        plain, org = self._reload()  # (which also writes a sound store for the next question)
        self._rows = MemoryRows(Contents(plain, org), key)
        self._all = None

    def lost_row(self) -> None:
        """A row that a checked row says exists is missing: the store was tampered with."""
        self._fall_back()
        self._records.clear()
        self._other.clear()

    def _guarded(self, read: Callable[[], T]) -> T:
        try:
            return read()
        except StoreCorrupt:
            self._fall_back()
            return read()

    def record(self, id_: str) -> dict[str, Any] | None:
        """The node row of ``id_`` (None when no role, post, unit or forum has that id)."""
        try:
            return self._records[id_]
        except KeyError:
            found = self._records[id_] = self._guarded(lambda: self._rows.get("node", id_))
            return found

    def prefetch(self, ids: list[str]) -> None:
        """Read the node rows of ``ids`` not read yet, many in one query (a walk down the line
        reads a node's reports together)."""
        missing = [i for i in ids if i not in self._records]
        if len(missing) > 1:
            found = self._guarded(lambda: self._rows.get_many("node", missing))
            for id_ in missing:
                if id_ in found:
                    self._records[id_] = found[id_]

    def row(self, table: str, key: str) -> dict[str, Any] | None:
        """A ``name``, ``word`` or ``tree`` row (read once)."""
        if (table, key) not in self._other:
            self._other[table, key] = self._guarded(lambda: self._rows.get(table, key))
        return self._other[table, key]

    def every_node(self) -> list[tuple[str, dict[str, Any]]]:
        """Every node row in file order (a walk of the whole organisation)."""
        if self._all is None:
            self._all = self._guarded(lambda: list(self._rows.nodes_in_order()))
        return self._all

    def every_name(self) -> list[tuple[str, dict[str, Any]]]:
        """Every name row, checked."""
        return self._guarded(lambda: list(self._rows.scan("name")))

    def name_keys(self) -> list[str]:
        """Every folded name (unchecked: for suggestions after a miss, each then read)."""
        return self._guarded(lambda: self._rows.keys("name", self._people))

    def entity(self, id_: str) -> Any:
        """The model object of a node row, built once."""
        built = self._built.get(id_)
        if built is None:  # (a built entity is never None)
            record = self.record(id_)
            if record is None:
                raise KeyError(id_)
            built = self._built[id_] = self._build(record)
        return built

    def _build(self, record: dict[str, Any]) -> Any:
        from orgroles.model import _forum, _post, _role, _unit

        kind, data = record["k"], record["d"]
        if kind == "post":
            post = _post(data)
            return post if self._people or not post.holders else post._replace(holders=())
        builders: dict[str, Callable[[dict[str, Any]], Any]] = {
            "role": _role,
            "unit": _unit,
            "forum": _forum,
        }
        return builders[kind](data)

    def names_of(self, id_: str) -> list[str | None]:
        """Every name one role, post, unit or forum goes by (``orgroles.names``)."""
        entity = self.entity(id_)
        role = unit = None
        if isinstance(entity, Post):
            role = self.roles.get(entity.role.id) if entity.role else None
            unit = self.units.get(entity.heads.id) if entity.heads else None
        return entity_names(entity, role, unit)[0]

    @cached_property
    def names(self) -> NameIndex:
        """The name index, read from the store's name and word rows."""
        return StoreNames(self)

    def ids_starting(self, prefix: str, limit: int) -> list[str]:
        """Ids that start with ``prefix``, in file order, read by a range of the id index."""
        rows = self._guarded(lambda: self._rows.starting(prefix, limit))
        for id_, record in rows:
            self._records.setdefault(id_, record)
        return [id_ for id_, _ in rows]

    def large_answer(self, name: str, all_levels: bool) -> bool:
        """Tell whether the answer to who reports to ``name`` (``all_levels``: everyone below)
        has more rows than ``LARGE_ANSWER`` of the organisation: a row from the store costs
        several times one in memory, so beyond that loading the whole organisation is faster.
        Counted from the rows' counts (the tree's, or a node's direct reports), never listed.
        A name that does not resolve: no."""
        try:
            node, _ = self.line_node(self.resolve(name))
        except OrgrolesError:
            return False
        starts = list(dict.fromkeys([*self.line.start(node), node]))  # and lines to a role
        if all_levels:
            sizes = _Tree(self, "s")
            rows: int = sum(sizes.get(p, 0) for p in starts)
        else:
            rows = sum(_count(self.record(p), "below") for p in starts)
        posts = len(self.org.posts)
        return rows > max(LARGE_ANSWER_ROWS, posts * LARGE_ANSWER)

    def stored_stats(self, limit: int | None) -> Any:
        """The measurements of ``stats``, read from the meta row and the span rows."""
        from orgroles.queries.stats import decode

        def read() -> Any:
            head = self._rows.meta("stats")
            count = head.get("spans")
            if not isinstance(count, int):
                raise StoreCorrupt("stats")
            chunks = -(-count // SPANS_PER_ROW)
            rows = self._rows.get_many("list", [span_key(n) for n in range(chunks)])
            spans = [s for n in range(chunks) for s in rows.get(span_key(n), {}).get("i", ())]
            if len(spans) != count:
                raise StoreCorrupt("stats: span rows missing")
            return decode(head, spans, limit, self._people)

        return self._guarded(read)

    def stored_layout(self) -> tuple[Any, Any, Any]:
        """The tree's layout, read from the tree rows as the tree walks it."""
        return _Tree(self, "c"), _Tree(self, "g"), _Tree(self, "s")


LARGE_ANSWER, LARGE_ANSWER_ROWS = 0.1, 5_000  # see StoreIndex.large_answer
_ABSENT = object()


class _ReadOnly(MutableMapping[str, V]):
    """A view of store rows as the index's mutable mappings (the in-memory index builds its
    own); writing to one is a bug."""

    def __setitem__(self, key: str, value: V) -> None:
        raise TypeError("the store is read-only")

    def __delitem__(self, key: str) -> None:
        raise TypeError("the store is read-only")


def _count(record: dict[str, Any] | None, field: str) -> int:
    """How many ids a list field of a node row holds, without reading a long one."""
    if record is None:
        return 0
    return int(record.get(f"{field}#", len(record.get(field, ()))))


def has(record: dict[str, Any], field: str) -> bool:
    """Whether a node row has ``field`` (inline, or a long list kept apart)."""
    return field in record or f"{field}#" in record


class _Field(_ReadOnly[Any]):
    """One field of the node rows, as a read-only mapping from id."""

    def __init__(self, ix: StoreIndex, field: str) -> None:
        self.ix = ix
        self.field = field

    def __getitem__(self, id_: str) -> Any:
        value = self.get(id_, _ABSENT)
        if value is _ABSENT:
            raise KeyError(id_)
        return value

    def get(self, id_: str, default: Any = None) -> Any:  # the hot path: no exception
        record = self.ix.record(id_) if isinstance(id_, str) else None
        if record is None:
            return default
        value = record.get(self.field, default)
        if self.field in LONG:
            if value is default and f"{self.field}#" in record:
                row = self.ix.row("list", f"{self.field}:{id_}")
                if row is None:  # the node row says there is one: a removed row
                    self.ix.lost_row()
                    return self.get(id_, default)
                value = row["i"]
            if value and len(value) <= INLINE:  # a long list is not read row by row here
                self.ix.prefetch(value)
        return value

    def __contains__(self, id_: object) -> bool:
        record = self.ix.record(id_) if isinstance(id_, str) else None
        return record is not None and has(record, self.field)

    def __iter__(self) -> Iterator[str]:
        return (id_ for id_, record in self.ix.every_node() if has(record, self.field))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Tree(_ReadOnly[Any]):
    """One field of the tree rows (``c``, ``g`` or ``s``), by layout key ("" the top)."""

    def __init__(self, ix: StoreIndex, field: str) -> None:
        self.ix = ix
        self.field = field

    def __getitem__(self, key: str) -> Any:
        row = self.ix.row("tree", TREE_TOP if key == "" else key) if isinstance(key, str) else None
        if row is None or self.field not in row:
            raise KeyError(key)
        value = row[self.field]
        return tuple(value) if self.field == "g" else value  # a group is (role, posts)

    def __iter__(self) -> Iterator[str]:
        raise TypeError("the tree's layout is read by key")

    def __len__(self) -> int:
        raise TypeError("the tree's layout is read by key")


class _Entities(_ReadOnly[V]):
    """The roles (posts, units, forums) by id, built from node rows when asked for."""

    def __init__(self, ix: StoreIndex, kind: str) -> None:
        self.ix = ix
        self.kind = kind

    def __getitem__(self, id_: str) -> V:
        record = self.ix.record(id_) if isinstance(id_, str) else None
        if record is None or record["k"] != self.kind:
            raise KeyError(id_)
        built: V = self.ix.entity(id_)
        return built

    def get(self, id_: str, default: Any = None) -> Any:  # the hot path: no exception
        record = self.ix.record(id_) if isinstance(id_, str) else None
        if record is None or record["k"] != self.kind:
            return default
        return self.ix.entity(id_)

    def __contains__(self, id_: object) -> bool:
        record = self.ix.record(id_) if isinstance(id_, str) else None
        return record is not None and record["k"] == self.kind

    def __iter__(self) -> Iterator[str]:
        return (id_ for id_, record in self.ix.every_node() if record["k"] == self.kind)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Everything(Sequence[Any]):
    """``org.roles`` (posts, units): its length from the header, its items read when walked."""

    def __init__(self, ix: StoreIndex, kind: str, count: int) -> None:
        self.ix = ix
        self.kind = kind
        self.size = count

    @cached_property
    def items(self) -> list[Any]:
        """Every entity of the kind, in file order."""
        return [self.ix.entity(i) for i, record in self.ix.every_node() if record["k"] == self.kind]

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: Any) -> Any:
        return self.items[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)


class _Ids(Sequence[str]):
    """Ids of the node rows that pass a test, in file order, listed when first used."""

    def __init__(self, ix: StoreIndex, test: Callable[[dict[str, Any]], bool]) -> None:
        self.ix = ix
        self.test = test

    @cached_property
    def items(self) -> list[str]:
        """The ids."""
        return [i for i, record in self.ix.every_node() if self.test(record)]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: Any) -> Any:
        return self.items[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)


class StoreLine(Line):
    """The line (``orgroles.line.Line``, every rule unchanged) over node rows."""

    def __init__(self, ix: StoreIndex) -> None:
        self.order = _Field(ix, "o")
        self.role_posts = _Field(ix, "posts")
        self.post_role = _Field(ix, "r")
        self.target = _Field(ix, "t")
        self.declared_by = _Field(ix, "b")
        self.below = _Field(ix, "below")
        self.classes = _Ids(ix, lambda r: r["k"] == "role" and not has(r, "posts"))
        self.posts = _Ids(ix, lambda r: r["k"] == "post")
        self._nodes = _Ids(ix, _is_node)
        self._ix = ix

    def post_count(self, node: str) -> int:
        """How many posts a role has, from its row (a long list is not read for it)."""
        return _count(self._ix.record(node), "posts")

    def nodes(self) -> list[str]:
        """Every node of the line in file order (already the order of the rows)."""
        return list(self._nodes)


def _is_node(record: dict[str, Any]) -> bool:
    return record["k"] == "post" or (record["k"] == "role" and not has(record, "posts"))


class _Names(_ReadOnly[set[str]]):
    """Folded name → ids, from the name rows (with or without people's names)."""

    def __init__(self, ix: StoreIndex) -> None:
        self.ix = ix

    def _ids(self, row: dict[str, Any]) -> list[str]:
        ids: list[str] = row["p"] if self.ix._people and "p" in row else row.get("i", [])
        return ids

    def __getitem__(self, key: str) -> set[str]:
        row = self.ix.row("name", key) if isinstance(key, str) else None
        ids = self._ids(row) if row is not None else []
        if not ids:
            raise KeyError(key)
        return set(ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self.ix.name_keys())  # for suggestions: a key may name only people

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Guessed(MutableSet[str]):
    """The folded names made up from a role and its field, not written in the file."""

    def __init__(self, ix: StoreIndex) -> None:
        self.ix = ix

    def __contains__(self, key: object) -> bool:
        row = self.ix.row("name", key) if isinstance(key, str) else None
        if row is None:
            return False
        if self.ix._people and "gp" in row:
            return bool(row["gp"])
        return bool(row.get("g"))

    def __iter__(self) -> Iterator[str]:
        return (key for key, _ in self.ix.every_name() if key in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def add(self, value: str) -> None:
        raise TypeError("the store is read-only")

    def discard(self, value: str) -> None:
        raise TypeError("the store is read-only")


class _Derived(_ReadOnly[Any]):
    """A mapping computed per id from the index (display names, heads, sole posts)."""

    def __init__(self, ix: StoreIndex, compute: Callable[[str], Any]) -> None:
        self.ix = ix
        self.compute = compute

    def __getitem__(self, id_: str) -> Any:
        value = self.compute(id_) if isinstance(id_, str) and self.ix.record(id_) else None
        if value is None:
            raise KeyError(id_)
        return value

    def __iter__(self) -> Iterator[str]:
        return (i for i, _ in self.ix.every_node() if i in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class StoreNames(NameIndex):
    """``orgroles.names.NameIndex`` over the store's name and word rows."""

    def __init__(self, ix: StoreIndex) -> None:
        super().__init__()
        self.ix = ix
        self.keys = _Names(ix)
        self.guessed = _Guessed(ix)
        self.display = _Derived(ix, lambda i: ix.label(i, "nb"))
        self.heads = _Derived(ix, self._heads)
        self.sole_post = _Derived(ix, self._sole_post)
        self.name_source = lambda ids: ((n, i) for i in sorted(ids or ()) for n in ix.names_of(i))
        self.units: set[str] = set()  # the units among the word rows read

    def _heads(self, id_: str) -> str | None:
        post = self.ix.posts.get(id_)
        return post.heads.id if post is not None and post.heads is not None else None

    def _sole_post(self, id_: str) -> str | None:
        record = self.ix.record(id_)
        posts = record.get("posts") if record is not None else None  # a long list: not one
        return posts[0] if posts and len(posts) == 1 else None

    def word_candidates(self, wanted: list[str]) -> tuple[set[str], bool]:
        """The ids with a name that has every one of ``wanted`` as a whole word: the answer
        itself for one word (the word rows hold exactly that, people's names included), else
        a superset whose names are checked."""
        found: set[str] | None = None
        for word in wanted:
            row = self.ix.row("word", word)
            ids = set(row["i"]) if row is not None else set()
            found = ids if found is None else found & ids
            if not found:
                return set(), True
            self.units.update(row.get("u", ()) if row is not None else ())
        return found or set(), len(wanted) == 1 and self.ix._people

    def one_per_unit(self, found: set[str]) -> set[str]:
        """Leave out a post found with the unit it heads, reading only the units' rows."""
        heading = {p for u in found & self.units for p in self.ix.heads_of.get(u, ())}
        return found - heading
