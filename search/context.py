"""One search's context: the searcher, its index version's snapshot, the budget.

Every step of a search needs the same few things: the whoosh searcher (postings,
stored fields), the index version's `Catalog` (plain columns, facet indexes, date
ranks), the version's `QueryCache` (what earlier searches computed) and the work
`Budget`. A `Context` carries them as one value.

The snapshot (catalog and query cache) is derived from one index version and kept by
the `IndexHandle` (`IndexHandle.derived`): a new generation, an ``index add`` or a
deletion gives a new snapshot, and a fresh handle starts with none — no module-level
cache. The query cache's memory budget is the handle's settings' `query_cache_bytes`
(`search.settings`), fixed when the snapshot is built.

API: `open_context(handle, budget=None) -> Context` (a context manager), `Context`
(``searcher``, ``catalog``, ``cache``, ``budget``), `snapshot(handle, searcher) ->
Snapshot` (``catalog``, ``cache``).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from search.budget import Budget
from search.catalog import Catalog
from search.querycache import QueryCache
from search.settings import settings_of


@dataclass(frozen=True)
class Snapshot:
    """What one index version gives every search: its columns and its query cache."""

    catalog: Catalog
    cache: QueryCache


@dataclass
class Context:
    """The searcher of one search and what goes with it (see module doc)."""

    searcher: Any
    catalog: Catalog
    cache: QueryCache
    budget: Budget = field(default_factory=lambda: Budget(None))


def snapshot(handle, searcher) -> Snapshot:
    """The snapshot of the index version `searcher` reads, built on first use."""
    budget_bytes = settings_of(handle).query_cache_bytes
    return handle.derived(searcher, lambda opened: Snapshot(Catalog(opened), QueryCache(budget_bytes)))


@contextmanager
def open_context(handle, budget: Budget | None = None):
    """A `Context` on the live index for the length of the block."""
    with handle.searcher() as searcher:
        found = snapshot(handle, searcher)
        yield Context(searcher, found.catalog, found.cache, budget or Budget(None))
