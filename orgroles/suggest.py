"""'Did you mean' suggestions, one policy for names, ids and keys."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_matches(
    word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.75
) -> list[str]:
    """Return up to ``n`` candidates about as close to ``word`` as the best one, best first.

    Ties are broken alphabetically, so suggestions are stable.
    """
    pool = list(candidates)
    close = difflib.get_close_matches(word, pool, n=max(n, 10), cutoff=cutoff)
    if not close:
        return []
    scored = sorted((-difflib.SequenceMatcher(None, word, m).ratio(), m) for m in close)
    best = -scored[0][0]
    return [m for score, m in scored if -score >= best - 0.06][:n]
