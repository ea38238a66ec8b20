"""One search's context: the searcher, its index version's snapshot, the budget.

Every step of a search needs the same few things: the whoosh searcher (postings,
stored fields), the index version's `Catalog` (plain columns, facet indexes, date
ranks), the version's `QueryCache` (what earlier searches computed) and the work
`Budget`. A `Context` carries them as one value.

The snapshot (catalog and query cache) is derived from one index version and kept by
the `IndexHandle` (`IndexHandle.derived`): a new generation, an ``index add`` or a
deletion gives a new snapshot, and a fresh handle starts with none — no module-level
cache. The query cache's memory budget is the handle's settings' `query_cache_bytes`
(`config.settings`), fixed when the snapshot is built.

API: `open_context(handle, budget=None) -> Context` (a context manager), `Context`
(``searcher``, ``catalog``, ``cache``, ``budget``), `snapshot(handle, searcher) ->
Snapshot` (``catalog``, ``cache``).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from index import schema as f
from search.budget import Budget
from search.whoosh.catalog import Catalog
from search.whoosh.querycache import QueryCache
from search.whoosh.ranking import score_hits
from config.settings import DEFAULTS, Settings
from search.whoosh.verbatim import verbatim_docs


@dataclass(frozen=True)
class Snapshot:
    """What one index version gives every search: its columns and its query cache."""

    catalog: Catalog
    cache: QueryCache


@dataclass
class Context:
    """The searcher of one search and what goes with it (see module doc); the whoosh
    engine's one handle on the index: what a search asks of it goes through its methods."""

    searcher: Any
    catalog: Catalog
    cache: QueryCache
    budget: Budget = field(default_factory=lambda: Budget(None))

    def analyzer(self):
        """The index's jieba analyzer: queries are cut with the dictionary the build used."""
        return f.jieba_of(self.searcher.schema)

    def verbatim(self, text: str) -> set[int]:
        """Docnums of the sections whose text holds `text` verbatim (`search.verbatim`)."""
        return verbatim_docs(self.searcher, text, self.budget)

    def score(self, rank, hits) -> dict[int, float]:
        """BM25F of the `hits` holding a word of the `rank` query (`search.ranking`)."""
        return score_hits(self, rank, hits)

    def stored(self, docnum: int) -> dict:
        """A document's stored fields."""
        return self.searcher.stored_fields(docnum)

    def figure(self, key: str) -> dict[str, float]:
        """``{report_id: value}`` of the reports having figure `key`."""
        return self.catalog.figure(self.searcher, key)

    def reports_passing(self, filters) -> set[str]:
        """Ids of the reports passing every figure filter (`search.whoosh.catalog.Catalog.reports_passing`)."""
        return self.catalog.reports_passing(self.searcher, filters)


def settings_of(handle) -> Settings:
    """The settings the handle was opened with, or the defaults."""
    found = getattr(handle, "settings", None)
    return found if isinstance(found, Settings) else DEFAULTS


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
