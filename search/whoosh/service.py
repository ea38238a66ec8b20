"""The whoosh engine behind the contract (`search.service.ReportsService`).

One `WhooshService` per process serves the index under ``settings.index_path``
through one `index.store.IndexHandle`, opened on first use and kept: the handle
notices a newer generation (a build, an ``add`` or ``remove``) on the next call and
switches to it, so the site needs no restart. Until there is an index every call
raises `search.service.NoIndex` (the site answers 503); opening is retried on each
call until one appears.

Each method hands the work to the engine's modules — `search.whoosh.engine` (search),
`search.whoosh.reports` (pages), `search.whoosh.figures` (comparison),
`search.whoosh.changes` (changes across agencies) — and returns
their plain data; the original file is read from the generation's ``originals/``.
"""
from __future__ import annotations

import mimetypes
import threading

from index.store import IndexHandle, IndexMissing
from search.budget import Budget
from search.changes import ChangesRequest
from search.comparison import ComparisonRequest
from search.request import SearchRequest
from search.service import Health, NoIndex, OriginalFile
from config.settings import DEFAULTS, Settings
from search.whoosh import changes, engine, figures, reports


def media_type(name: str) -> str:
    """The media type of a file by its suffix (application/octet-stream when unknown)."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class WhooshService:
    """The whoosh index under ``settings.index_path`` (see the module docstring)."""

    engine = "whoosh"

    def __init__(self, settings: Settings = DEFAULTS, handle: IndexHandle | None = None):
        self.settings = settings
        self._handle = handle
        self._lock = threading.Lock()

    @property
    def handle(self) -> IndexHandle:
        """The index handle, opened on first use. :raise NoIndex: when there is no index."""
        if self._handle is None:
            with self._lock:
                if self._handle is None:
                    try:
                        self._handle = IndexHandle(self.settings.index_path, settings=self.settings)
                    except IndexMissing as error:
                        raise NoIndex(str(error)) from None
        return self._handle

    def search(self, request: SearchRequest, budget: Budget | None = None):
        return engine.search(self.handle, request, budget)

    def report(self, report_id: str):
        return reports.get_report(self.handle, report_id)

    def agency(self, agency_id: str):
        return reports.get_agency(self.handle, agency_id)

    def agencies(self):
        return reports.list_agencies(self.handle)

    def stats(self):
        return reports.corpus_stats(self.handle)

    def audit(self):
        return reports.audit_overview(self.handle)

    def compare(self, request: ComparisonRequest, budget: Budget | None = None):
        return figures.compare(self.handle, request, budget)

    def changes(self, request: ChangesRequest, budget: Budget | None = None):
        return changes.listing(self.handle, request)

    def original(self, report_id: str) -> OriginalFile | None:
        path = self.handle.original_path(report_id) if isinstance(report_id, str) and report_id else None
        if path is None:
            return None
        return OriginalFile(content=path.read_bytes(), media_type=media_type(path.name), name=path.name)

    def health(self) -> Health:
        handle = self.handle
        count = reports.report_count(handle)
        return Health(engine=self.engine, generation=handle.generation or "", reports=count,
                      built_at=handle.built_at())

    def warm_up(self) -> None:
        engine.warm_up(self.handle)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
