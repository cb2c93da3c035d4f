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
    org = from_data(validate_data(text.encode(), "fuzz.yaml"))
    index = build_index(org)
    heads = {n for n in index.line.target.values() if n not in index.line.target}
    heads |= {p.id for p in org.posts if p.id not in index.line.target}
    ancestors: dict[str, set[str]] = {}
    for post in org.posts:
        seen, node = set(), post.id
        while (up := index.superior(node)) is not None:
            assert up not in seen, "a cycle got through"
            seen.add(up)
            node = up
        assert node in heads or node in index.roles, "a chain that does not end at a head"
        ancestors[post.id] = seen
    for post in org.posts:
        below = {
            r.id
            for r in who_reports_to(index, post.id, all_levels=True).rows
            if r.kind == "post" and not r.possibly
        }
        passing = {p for p, up in ancestors.items() if post.id in up}
        assert below == passing, (post.id, below, passing)
    for answer in (
        who_reports_to(index, org.posts[0].id, all_levels=True),
        reports_to(index, org.posts[-1].id),
        line_tree(index),
    ):
        json.loads(to_json(answer))


def main(argv: list[str] | None = None) -> int:
    """Run the cases and report."""
    parser = argparse.ArgumentParser(description="Fuzz the loader and the line.")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--failures", type=Path, default=Path("fuzz-failures"))
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    kinds = [
        ("random bytes", random_bytes, check_load),
        ("random YAML tokens", random_tokens, check_load),
        ("mutations of data/roles.yaml", mutation, check_load),
        ("random valid organisations", lambda r: random_org(r), check_invariants),
    ]
    counts = {name: 0 for name, _, _ in kinds}
    failures = 0
    start = time.perf_counter()
    for case in range(args.cases):
        name, make, check = kinds[case % len(kinds)]
        data = make(rng)
        counts[name] += 1
        try:
            check(data)  # type: ignore[operator]
        except Exception:  # any other exception is what we are looking for
            failures += 1
            args.failures.mkdir(exist_ok=True)
            raw = data if isinstance(data, bytes) else str(data).encode()
            (args.failures / f"case-{case}.yaml").write_bytes(raw)
            print(f"FAILURE in case {case} ({name}):\n{traceback.format_exc()}", flush=True)
    elapsed = time.perf_counter() - start
    for name, count in counts.items():
        print(f"{count:>8,} {name}")
    print(f"{args.cases:,} cases in {elapsed:,.0f} s (seed {args.seed}): {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
