"""The boundary between the search logic and an index: what the engine asks of one.

`search.engine` turns a `SearchRequest` into `SearchResults` through a
`SearchBackend`, never through whoosh directly: a backend opens a `Session` for one
search, and a session answers the engine's few questions —

* **match**: ``verbatim(text)``, the sections whose text holds a string (a query
  term's meaning, agencies included, is `search.query.QueryTerm`'s);
* **score**: ``score(rank, hits)``, BM25F of the hits over the rank query;
* **count facets**: ``catalog``, plain per-docnum columns (agency, region, year,
  section, report id, findings…: `search.catalog.Catalog`'s attributes), counted by
  `search.facets`, and ``reports_passing(filters)`` / ``figure(key)`` for figures;
* **fetch stored fields**: ``stored(docnum)``;

plus ``cache`` (a `search.querycache.QueryCache` of that index version), ``budget``
(the work budget) and ``analyzer()`` (cuts query text for ``rank``). The whoosh backend
is `WhooshBackend` (its session: `search.context.Context`); another engine serving
the same contract needs no change to web/ or `search.request`.

API: `SearchBackend`, `Session` (protocols), `WhooshBackend(handle)`,
`backend_of(source) -> SearchBackend` (an `IndexHandle` gets the whoosh backend).
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

from index.store import IndexHandle
from search.budget import Budget
from search.context import open_context


class Session(Protocol):
    """One search's view of one index version (see module doc)."""

    catalog: Any
    cache: Any
    budget: Budget

    def analyzer(self): ...

    def verbatim(self, text: str) -> set[int]: ...

    def score(self, rank, hits) -> dict[int, float]: ...

    def stored(self, docnum: int) -> dict: ...

    def figure(self, key: str) -> dict[str, float]: ...

    def reports_passing(self, filters) -> set[str]: ...


class SearchBackend(Protocol):
    """Opens a `Session` on the index's live version for one search."""

    def session(self, budget: Budget | None = None) -> AbstractContextManager[Session]: ...


class WhooshBackend:
    """The whoosh index behind an `IndexHandle` (sessions: `search.context.Context`)."""

    def __init__(self, handle: IndexHandle):
        self.handle = handle

    def session(self, budget: Budget | None = None):
        return open_context(self.handle, budget)


def backend_of(source) -> SearchBackend:
    """`source` itself if it is a backend; the whoosh backend of an `IndexHandle`."""
    return WhooshBackend(source) if isinstance(source, IndexHandle) else source
