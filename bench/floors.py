"""Measure the floors under the targets of issue 18 that pure Python misses, in one process.

    python bench/floors.py                    # 100,000 posts (about two minutes)
    python bench/floors.py --posts 1000000    # about twenty minutes
    python bench/floors.py --data our-org.yaml

Each line is one step, timed once with the cyclic collector off (as orgroles runs them), and
compared with libyaml's own event stream of the same file, the baseline of the cold target
(≤ 2×). The point is what no cleverness in Python can go below:

- *a minimal tree*: the events turned into dicts, lists and strings with nothing else done
  (no positions, no checks): the least any validation from the events costs;
- *libyaml's composer*: the same in C (PyYAML's Cython composer), nodes without values;
- orgroles' own cold steps (the located tree, the schema, the checks, the model);
- the warm whole-organisation load (the cached JSON, the model, the lookups) that an export
  pays before it writes, and a scan of every node row of the indexed store (what an export
  reading the store instead of the model would pay);
- the store's writer (the run right after a cold one answers from the cached JSON until it
  is done).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_org import make_org  # noqa: E402

ROWS: list[tuple[str, float]] = []  # (step, seconds), in the order measured


@contextmanager
def clock(name: str) -> Iterator[None]:
    """Time the block once as the step ``name`` (printed at once: a long run shows progress)."""
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    ROWS.append((name, seconds))
    print(f"  {name}: {seconds:.2f} s", file=sys.stderr, flush=True)


def event_stream(text: str) -> int:
    """Read libyaml's event stream and do nothing with it (the cold baseline)."""
    import yaml

    count = 0
    for _ in yaml.parse(text, Loader=yaml.CSafeLoader):
        count += 1
    return count


def minimal_tree(text: str) -> Any:
    """The events as plain dicts, lists and strings: no positions, no checks, no errors."""
    import yaml
    from yaml.events import (
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
    )

    loader = yaml.CSafeLoader(text)
    stack: list[Any] = []
    keys: list[Any] = []
    root: Any = None
    while loader.check_event():
        event = loader.get_event()
        kind = type(event)
        value: Any
        if kind is ScalarEvent:
            value = event.value  # type: ignore[union-attr]
        elif kind is MappingStartEvent:
            value = {}
        elif kind is SequenceStartEvent:
            value = []
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            keys.pop()
            continue
        else:
            continue
        if not stack:
            root = value
        else:
            parent = stack[-1]
            if type(parent) is list:
                parent.append(value)
            elif keys[-1] is None:
                keys[-1] = value
                continue
            else:
                parent[keys[-1]] = value
                keys[-1] = None
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            stack.append(value)
            keys.append(None)
    loader.dispose()
    return root


def c_composer(text: str) -> Any:
    """libyaml's parser and PyYAML's Cython composer: the document's nodes, in C."""
    import yaml

    loader = yaml.CSafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100_000, help="posts of a generated file")
    parser.add_argument("--data", type=Path, help="measure this file instead")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="orgroles-floors-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    path = args.data or work / "org.yaml"
    if args.data is None:
        path.write_text(make_org(args.posts, seed=1), encoding="utf-8")

    from orgroles import cache, checks, load, statcache, store
    from orgroles.dataformat import ORGANISATION
    from orgroles.index import build_index
    from orgroles.model import from_data
    from orgroles.spec import Context
    from orgroles.yamlread import read_tree

    gc.disable()
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    with clock("libyaml's event stream (the cold baseline)"):
        event_stream(text)
    with clock("a minimal tree from those events (no positions, no checks)"):
        least = minimal_tree(text)  # (freed after the clock: its freeing is not the floor's)
    del least
    with clock("libyaml's composer in C (nodes, no Python values)"):
        least = c_composer(text)
    del least

    with clock("orgroles: the located tree"):
        tree = read_tree(raw, str(path), root_keys=frozenset(ORGANISATION.fields))
    with clock("orgroles: the schema"):
        plain = ORGANISATION.check(tree, tree.pos, Context(str(path)))
    del tree
    with clock("orgroles: the checks"):
        checks.check(plain, lambda where: "?")
    with clock("orgroles: the model"):
        org = from_data(plain)
    del plain, org

    load.load_org(path)  # validated, cached, and its store written (in this process)
    key = statcache.known_key(path) or cache.content_key(raw)
    with clock("warm load: the cached JSON"):
        plain = cache.read(key)
    assert plain is not None, "the file was not cached"
    with clock("warm load: the model"):
        org = from_data(plain)
    with clock("warm load: the lookups"):
        index = build_index(org)
    del index
    opened = store.open_store(key)
    assert opened is not None, "the store was not written"
    with clock("store: every node row read in order"):
        sum(1 for _ in opened.nodes_in_order())
    opened.close()
    contents = store.Contents(plain, org)
    del plain, org
    with clock("store: the writer"):
        written = store.write(key, contents, work / "again", consume=True)
    assert written, "the store could not be written again"

    base = ROWS[0][1]
    print(f"| {path.name}, {len(raw) / 1e6:.1f} MB | seconds | × the event stream |")
    print("| --- | ---: | ---: |")
    for name, seconds in ROWS:
        print(f"| {name} | {seconds:.2f} | {seconds / base:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
