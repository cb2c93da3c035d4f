"""Fuzz the loader and the line for longer than CI does.

    python bench/fuzz.py --cases 100000 --seed 1

Three kinds of case, in turn:

- random bytes, and random YAML-ish text built from the format's own keys and YAML's special
  characters: loading must succeed or raise ``DataFileError`` with located problems;
- mutations of ``data/roles.yaml`` (deleted, duplicated, re-indented lines, flipped bytes,
  swapped lines): the same;
- random valid organisations (a forest of posts with roles): every chain of command ends at a
  top-level head, ``who-reports-to --all X`` is exactly the set of posts whose line passes X,
  and the JSON output parses.

- hostile *files* (``--files``): valid files (``data/roles.yaml``, the worked example, the test
  fixtures) mutated at the byte level (ranges deleted, duplicated or overwritten; hostile
  snippets inserted: escapes past U+10FFFF, surrogates, noncharacters, U+2028, 5,000-digit
  numbers, NUL, BOMs, tabs, anchors, tags, flow brackets) and at the YAML-event level (events
  dropped, duplicated, swapped; scalars replaced by hostile values; styles, anchors and tags
  changed; then emitted back to text), each run through the real CLI (``validate``,
  ``tree --json``, ``stats``, ``export --format csv``, ``roles``) with the cache off, then
  on (cold, then warm): the exit code is 0 or 1, never a traceback or an internal error;
  on 1 stdout is empty and stderr is one line per problem; ``--json`` parses; and the cache
  changes nothing (the same exit code and output without it, cold and warm).

Prints the number of cases of each kind and every failure (with the input that caused it, in
``--failures DIR``); exits 1 on any failure. Results are recorded in docs/reliability.md.
"""

import argparse
import json
import random
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orgroles.errors import DataFileError  # noqa: E402
from orgroles.index import build_index  # noqa: E402
from orgroles.load import validate_data  # noqa: E402
from orgroles.model import from_data  # noqa: E402
from orgroles.queries.line import line_tree, reports_to, who_reports_to  # noqa: E402
from orgroles.render.jsonout import to_json  # noqa: E402

SEED = (ROOT / "data" / "roles.yaml").read_bytes()
TOKENS = [
    "format",
    "orgroles/1",
    "meta",
    "title",
    "roles",
    "posts",
    "units",
    "forums",
    "id",
    "name",
    "reports_to",
    "role",
    "count",
    "value",
    "approximate",
    "source",
    "slides",
    "status",
    ":",
    ": ",
    "- ",
    "\n",
    "\n  ",
    "\n    ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a",
    "*a",
    "!!str",
    "!!int",
    "'",
    '"',
    "#",
    "|",
    ">",
    "---",
    "...",
    "~",
    "null",
    "true",
    "no",
    "0150",
    "8:30",
    "1.10",
    "æøå",
    "\t",
    "\\e",
    "\u202e",
    "\x00",
    "?",
    "%YAML 1.1",
    "<<",
]


def check_load(data: bytes) -> None:
    """Loading ends in data or a located DataFileError, nothing else."""
    try:
        validate_data(data, "fuzz.yaml")
    except DataFileError as exc:
        assert exc.problems, "a DataFileError without problems"
        for problem in exc.problems:
            assert problem.file == "fuzz.yaml" and problem.line >= 1, problem


def random_bytes(rng: random.Random) -> bytes:
    return rng.randbytes(rng.randint(0, 300))


def random_tokens(rng: random.Random) -> bytes:
    return "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 80))).encode(
        "utf-8", "surrogatepass"
    )


def mutation(rng: random.Random) -> bytes:
    lines = SEED.split(b"\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        action = rng.choice(["delete", "duplicate", "indent", "dedent", "flip", "swap"])
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = b"  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][2:]
        elif action == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif lines[i]:
            j = rng.randrange(len(lines[i]))
            line = bytearray(lines[i])
            line[j] ^= rng.randint(1, 255)
            lines[i] = bytes(line)
    return b"\n".join(lines)


def random_org(rng: random.Random) -> str:
    n_roles = rng.randint(1, 4)
    out = ["format: orgroles/1", "meta: {title: Fuzz, require_sources: false}", "roles:"]
    out += [
        f"  - {{id: r{r}, name: R{r}" + (f", reports_to: r{r - 1}" if r else "") + "}"
        for r in range(n_roles)
    ]
    posts: list[int] = []
    lines = []
    for i in range(rng.randint(1, 60)):
        role = rng.randrange(n_roles)
        above = [j for j, rr in enumerate(posts) if rr == role - 1]
        line = f"  - {{id: p{i}, role: r{role}"
        if role and above and rng.random() < 0.8:
            line += f", reports_to: p{rng.choice(above)}"
        lines.append(line + "}")
        posts.append(role)
    return "\n".join([*out, "posts:", *lines]) + "\n"


def check_invariants(text: str) -> None:
    """A valid organisation answers as the line's reference implementation does
    (tests/oracle.py: every chain listed), and every answer's JSON parses."""
    from tests.oracle import Oracle

    data = validate_data(text.encode(), "fuzz.yaml")
    oracle = Oracle(data)
    index = build_index(from_data(data))
    for name in oracle.nodes:
        rows = who_reports_to(index, name, all_levels=True).rows
        assert [(r.id, r.depth, r.possibly) for r in rows] == oracle.under(name, True), name
        chain = reports_to(index, name).chain
        expected = oracle.steps(oracle.start(name))[1:]
        assert [(s.candidates, s.possibly, s.unspecified) for s in chain] == expected, name
    for answer in (
        who_reports_to(index, oracle.nodes[0], all_levels=True),
        reports_to(index, oracle.nodes[-1]),
        line_tree(index),
    ):
        json.loads(to_json(answer))


SNIPPETS = [
    b'"\\U00110000"',
    b'"\\UFFFFFFFF"',
    b'"\\ud800"',
    b'"\\ud83d\\ude00"',
    b'"\\uFFFE"',
    "\ufffe".encode(),
    "\U0010ffff".encode(),
    "\u2028".encode(),
    "\u202e".encode(),
    b"1" * 5000,
    b"99999999999999999999",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\t",
    b"&a ",
    b"*a",
    b"!!python/object/apply:os.system ",
    b"[" * 100,
    b"{",
    b"}",
    b"- ",
    b": ",
    b"\n---\n",
    b"\x1b[2J",
    b"null",
    b"~",
    b"'",
    b'"',
    b"reports_to: ",
    b"id: ",
    b"=1+1",
]
FILE_SEEDS = [
    SEED,
    (ROOT / "docs" / "examples" / "company.yaml").read_bytes(),
    *(p.read_bytes() for p in sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))),
]
HOSTILE_VALUES = [
    "\U0010ffff",
    "\ufffe",
    "x\u2028y",
    "\x1b[2J",
    "1" * 5000,
    "0150",
    "no",
    "",
    "=cmd|calc",
    "ghost",
    "a" * 300,
]


def byte_mutation(rng: random.Random) -> bytes:
    data = bytearray(rng.choice(FILE_SEEDS))
    for _ in range(rng.randint(1, 5)):
        i = rng.randrange(len(data) + 1)
        j = min(len(data), i + rng.randint(0, 80))
        action = rng.randrange(5)
        if action == 0:
            del data[i:j]
        elif action == 1:
            data[i:i] = data[i:j]
        elif action == 2:
            data[i:i] = rng.choice(SNIPPETS)
        elif action == 3:
            data[i:j] = rng.randbytes(j - i)
        elif data:
            k = rng.randrange(len(data))
            data[k] ^= 1 << rng.randrange(8)
    return bytes(data)


def event_mutation(rng: random.Random) -> bytes:
    import yaml
    from yaml import events as ev

    seed = rng.choice(FILE_SEEDS)
    try:
        events = list(yaml.parse(seed.decode("utf-8"), Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return seed
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(2, max(3, len(events) - 2))
        action = rng.randrange(6)
        event = events[i]
        if action == 0:
            del events[i]
        elif action == 1:
            events.insert(i, event)
        elif action == 2:
            j = rng.randrange(2, max(3, len(events) - 2))
            events[i], events[j] = events[j], events[i]
        elif action == 3 and isinstance(event, ev.ScalarEvent):
            style = rng.choice([None, '"', "'", "|"])
            value = rng.choice(HOSTILE_VALUES)
            anchor = rng.choice([None, "a"])
            events[i] = ev.ScalarEvent(anchor, None, (True, False), value, style=style)
        elif action == 4 and isinstance(event, (ev.ScalarEvent, ev.SequenceStartEvent)):
            event.tag = rng.choice(["!!int", "!!python/name:os.system", "!x"])
            event.implicit = (False, False) if isinstance(event, ev.ScalarEvent) else False
        elif action == 5:
            events.insert(i, ev.AliasEvent("a"))
    try:
        text: str = yaml.emit(events, allow_unicode=True)
    except Exception:  # an event sequence the emitter refuses: keep a byte mutation instead
        return byte_mutation(rng)
    return text.encode("utf-8", "surrogatepass")


FILE_COMMANDS = [
    ["validate"],
    ["tree", "--json"],
    ["stats"],
    ["export", "--format", "csv"],
    ["roles"],
]


class FileChecker:
    """Runs a hostile file through the CLI, the cache off, then on (cold and warm)."""

    def __init__(self, folder: Path) -> None:
        import os

        from typer.testing import CliRunner

        from orgroles.cli import app

        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
        self.runner, self.app = CliRunner(), app
        self.count = 0

    def __call__(self, data: bytes) -> None:
        import shutil

        path = self.folder / "case.yaml"
        path.write_bytes(data)
        shutil.rmtree(self.folder / "cache", ignore_errors=True)
        command = FILE_COMMANDS[self.count % len(FILE_COMMANDS)]
        self.count += 1
        results = []
        for cache in (["--no-cache"], [], []):  # off, then on: cold (writes), warm (reads)
            result = self.runner.invoke(
                self.app, [*cache, "--data", str(path), *command], catch_exceptions=False
            )
            out, err = result.stdout, result.stderr
            assert result.exit_code in (0, 1), (command, result.exit_code, err[-300:])
            assert "Traceback" not in err and "internal error" not in err, err[-300:]
            if result.exit_code == 1:
                assert out == "", out[:200]
                assert err.startswith("orgroles: "), err[:200]
            elif "--json" in command:
                json.loads(out)
            results.append((result.exit_code, out, err))
        assert results[0] == results[1] == results[2], "the cache changed the answer"


def main(argv: list[str] | None = None) -> int:
    """Run the cases and report."""
    parser = argparse.ArgumentParser(description="Fuzz the loader and the line.")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--failures", type=Path, default=Path("fuzz-failures"))
    parser.add_argument(
        "--files", action="store_true", help="hostile files through the CLI, cache on and off"
    )
    parser.add_argument("--minutes", type=float, default=0, help="stop after this long")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    kinds: list[tuple[str, Any, Any]]
    if args.files:
        import tempfile

        checker = FileChecker(Path(tempfile.mkdtemp(prefix="orgroles-fuzz-")))
        kinds = [
            ("byte-level mutations of valid files, through the CLI", byte_mutation, checker),
            ("YAML-event mutations of valid files, through the CLI", event_mutation, checker),
        ]
    else:
        kinds = [
            ("random bytes", random_bytes, check_load),
            ("random YAML tokens", random_tokens, check_load),
            ("mutations of data/roles.yaml", mutation, check_load),
            ("random valid organisations", lambda r: random_org(r), check_invariants),
        ]
    counts = {name: 0 for name, _, _ in kinds}
    failures = 0
    start = time.perf_counter()
    done = 0
    for case in range(args.cases):
        if args.minutes and time.perf_counter() - start > args.minutes * 60:
            break
        done += 1
        name, make, check = kinds[case % len(kinds)]
        data = make(rng)
        counts[name] += 1
        try:
            check(data)
        except Exception:  # any other exception is what we are looking for
            failures += 1
            args.failures.mkdir(exist_ok=True)
            raw = data if isinstance(data, bytes) else str(data).encode()
            (args.failures / f"case-{case}.yaml").write_bytes(raw)
            print(f"FAILURE in case {case} ({name}):\n{traceback.format_exc()}", flush=True)
    elapsed = time.perf_counter() - start
    for name, count in counts.items():
        print(f"{count:>8,} {name}")
    print(f"{done:,} cases in {elapsed:,.0f} s (seed {args.seed}): {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
