"""Write a valid synthetic organisation file of N posts (deterministic for a seed).

    python bench/make_org.py --posts 100000 --seed 1 -o /tmp/org-100k.yaml

The line is a tree grown level by level with a span of control of 5 to 12 and a depth of 6 to
9 levels (as needed to hold N posts); one role per level, with authorities and a forum per
level; the upper levels head units. Sources are optional in such files
(``require_sources: false``), as in an HR export.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

KINDS = [
    ("resultatansvar", "accountability for results"),
    ("personalansvar", "personnel"),
    ("okonomiansvar", "financial"),
    ("budsjettansvar", "budget"),
]


def depth_for(posts: int) -> int:
    """Return the depth (6 to 9) that holds ``posts`` at the average span of 8.5."""
    for depth in range(6, 10):
        if sum(int(8.5**level) for level in range(depth)) >= posts:
            return depth
    return 9


def make_org(posts: int, seed: int) -> str:
    """Return the YAML text of an organisation with ``posts`` posts."""
    rng = random.Random(seed)
    depth = depth_for(posts)
    out = [
        "# Synthetic organisation written by bench/make_org.py",
        "format: orgroles/1",
        "meta:",
        f"  title: {{nb: Syntetisk organisasjon {posts}, en: Synthetic organisation {posts}}}",
        "  require_sources: false",
        "vocabulary:",
        "  authority_kinds:",
        *(f"    - {{id: {k}, name: {{nb: {k}, en: {en}}}}}" for k, en in KINDS),
        "  scopes:",
        "    - {id: egen_enhet, name: {nb: egen enhet, en: own unit}}",
        "  unit_kinds:",
        "    - {id: avdeling, name: {nb: avdeling, en: department}}",
        "  forum_kinds:",
        "    - {id: ledermote, name: {nb: ledermøte, en: management meeting}}",
        "roles:",
    ]
    # Grow the tree level by level: (post number, level).
    levels: list[list[int]] = [[0]]
    total = 1
    while total < posts:
        if len(levels) + 1 >= depth:  # the deepest level takes whatever is left
            size = posts - total
        else:
            size = min(sum(rng.randint(5, 12) for _ in levels[-1]), posts - total)
        levels.append(list(range(total, total + size)))
        total += size
    parent_of: dict[int, int] = {}
    for level in range(1, len(levels)):
        above = levels[level - 1]
        for index, post in enumerate(levels[level]):
            parent_of[post] = above[
                min(index * len(above) // max(len(levels[level]), 1), len(above) - 1)
            ]
    level_of = {post: level for level, members in enumerate(levels) for post in members}
    for level in range(len(levels)):
        out.append(f"  - id: niva{level}")
        out.append(f"    name: {{nb: leder nivå {level}, en: level {level} head}}")
        out.append(f"    plural: {{nb: ledere nivå {level}, en: level {level} heads}}")
        if level:
            out.append(f"    reports_to: niva{level - 1}")
        out.append("    authorities:")
        for kind, _ in rng.sample(KINDS, 2):
            out.append(f"      - {{kind: {kind}, scope: egen_enhet, text: {kind} for egen enhet}}")
    out.append("posts:")
    for post in range(total):
        level = level_of[post]
        out.append(f"  - id: p{post:07d}")
        out.append(f"    role: niva{level}")
        out.append(f"    title: {{nb: Leder {post}, en: Head {post}}}")
        if post in parent_of:
            out.append(f"    reports_to: p{parent_of[post]:07d}")
        if level <= 2:
            out.append(f"    heads: u{post:07d}")
    out.append("units:")
    for post in range(total):
        if level_of[post] <= 2:
            out.append(f"  - {{id: u{post:07d}, kind: avdeling, name: Avdeling {post}}}")
    out.append("forums:")
    for level in range(min(len(levels), 4)):
        out.append(f"  - id: forum{level}")
        out.append("    kind: ledermote")
        out.append(f"    name: {{nb: Ledermøte nivå {level}, en: Level {level} meeting}}")
        out.append(f"    members: [niva{level}]")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and write the file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--posts", type=int, required=True, help="number of posts")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    if args.posts < 1:
        parser.error("--posts must be at least 1")
    text = make_org(args.posts, args.seed)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
