"""'Did you mean' suggestions, one policy for names, ids and keys.

Bounded work: ``difflib`` costs tens of microseconds per candidate, so for a large pool
(over ``PREFILTER_ABOVE`` candidates) a ``Matcher`` first keeps the ``SHORTLIST`` candidates
sharing the most character pairs (bigrams) with the word (set intersections, in C) and runs
``difflib`` on those only. A ``Matcher`` is built once per pool, so many lookups against the
same ids cost one pass over the pool each.
"""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Iterable

PREFILTER_ABOVE = 1_000
SHORTLIST = 60


def _bigrams(text: str) -> frozenset[str]:
    padded = f"\0{text.casefold()}\0"
    return frozenset(padded[i : i + 2] for i in range(len(padded) - 1))


class Matcher:
    """Close matches against one pool of candidates, prepared once."""

    def __init__(self, candidates: Iterable[str]) -> None:
        self.pool = sorted(set(candidates))  # ties go the same way whatever the order given
        self.grams = [_bigrams(c) for c in self.pool] if len(self.pool) > PREFILTER_ABOVE else None

    def shortlist(self, word: str) -> list[str]:
        """Return the candidates worth a full comparison with ``word``."""
        if self.grams is None:
            return self.pool
        mine = _bigrams(word)
        scores = [len(mine & grams) for grams in self.grams]
        best = heapq.nlargest(SHORTLIST, range(len(scores)), key=scores.__getitem__)
        return [self.pool[i] for i in best]

    def close(self, word: str, n: int = 3, cutoff: float = 0.75) -> list[str]:
        """Return up to ``n`` candidates about as close to ``word`` as the best one, best first.

        Ties are broken alphabetically, so suggestions are stable.
        """
        pool = self.shortlist(word)
        close = difflib.get_close_matches(word, pool, n=max(n, 10), cutoff=cutoff)
        if not close:
            return []
        scored = sorted((-difflib.SequenceMatcher(None, word, m).ratio(), m) for m in close)
        best = -scored[0][0]
        return [m for score, m in scored if -score >= best - 0.06][:n]


def close_matches(
    word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.75
) -> list[str]:
    """Return up to ``n`` candidates about as close to ``word`` as the best one, best first."""
    return Matcher(candidates).close(word, n, cutoff)
