"""What searches compute and the next search may reuse, within one memory budget.

Like a search engine's filter cache: a popular word's matching sections, a word's BM25
parts over all its postings, and an unfiltered query's facet counts are each computed
once per index version, not on every query. They are docnums of one index version, so
a `QueryCache` belongs to that version's snapshot (`search.whoosh.context`), and it holds at
most ``budget_bytes`` (an estimate of what its values take in memory: each worker
process has one) — the least recently used values are dropped first.

API: `QueryCache(budget_bytes, max_items=MAX_ITEMS)` with ``term_docs(key, compute)``,
``word_scores(key, compute)``, ``known_word_scores(key)``, ``facet_counts(key,
compute)``, ``size`` (bytes held); `BoundedCache`.
"""
from __future__ import annotations

import threading
from array import array
from collections import OrderedDict

MAX_ITEMS = 768              # values kept, of all kinds
# Estimated bytes per element: a frozenset of docnums (hash slot and int object), a
# (docnums, scores) pair of arrays, a facet count (a Counter entry).
BYTES_PER_DOCNUM = 72
BYTES_PER_SCORE = 12
BYTES_PER_COUNT = 100


class BoundedCache:
    """Values by key, least recently used dropped first, bounded in count and in total size."""

    def __init__(self, max_items: int, max_size: int):
        self.max_items, self.max_size = max_items, max_size
        self._values: OrderedDict = OrderedDict()
        self._sizes: dict = {}
        self.size = 0
        self._lock = threading.Lock()

    def peek(self, key):
        """The value kept for `key` (now most recently used), or None."""
        with self._lock:
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
            return found

    def get(self, key, compute, size=len):
        """The value for `key`, computed (outside the lock) and kept if not known yet."""
        found = self.peek(key)
        if found is not None:
            return found
        found = compute()
        with self._lock:
            if key not in self._values:
                self._values[key] = found
                self._sizes[key] = size(found)
                self.size += self._sizes[key]
            # A one-character query's set is most of the index: memory per worker has a budget.
            while len(self._values) > 1 and (len(self._values) > self.max_items or self.size > self.max_size):
                dropped, _ = self._values.popitem(last=False)
                self.size -= self._sizes.pop(dropped)
        return found


class QueryCache:
    """Match sets, word scores and facet counts of one index version (see module doc)."""

    def __init__(self, budget_bytes: int, max_items: int = MAX_ITEMS):
        self.budget_bytes = budget_bytes
        self._values = BoundedCache(max_items, budget_bytes)

    @property
    def size(self) -> int:
        """Estimated bytes held now (at most ``budget_bytes``, unless one value is larger)."""
        return self._values.size

    def term_docs(self, key: str, compute) -> frozenset[int]:
        """The docnums `compute()` gives for a term (`search.query.QueryTerm.key`)."""
        return self._values.get(("terms", key), lambda: frozenset(compute()),
                                size=lambda found: BYTES_PER_DOCNUM * len(found))

    def word_scores(self, key: tuple[str, str], compute) -> tuple[array, array]:
        """(docnums, BM25 parts) `compute()` gives for a (field, word): two flat arrays,
        12 bytes a posting (`search.ranking`)."""
        return self._values.get(("scores", key), compute, size=lambda found: BYTES_PER_SCORE * len(found[0]))

    def known_word_scores(self, key: tuple[str, str]) -> tuple[array, array] | None:
        """What `word_scores` keeps for `key`, or None: never computes."""
        return self._values.peek(("scores", key))

    def facet_counts(self, key, compute) -> tuple:
        """The (facet counts, agencies summary) `compute()` gives for an unfiltered query."""
        return self._values.get(("counts", key), compute,
                                size=lambda found: BYTES_PER_COUNT * sum(map(len, found[0])))
