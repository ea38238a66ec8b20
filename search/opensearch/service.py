"""The OpenSearch engine behind the contract (`search.service.ReportsService`).

One `OpenSearchService` per process serves the alias ``settings.opensearch_index`` of
the cluster at ``settings.opensearch_url`` (several URLs, comma-separated, for several
nodes). It holds a client made in the process that uses it
(`search.opensearch.connection`) and what it derived from the served generation
(`search.opensearch.generation`: agencies, regions, years, the jieba dictionary),
looked at again every few seconds, so a build's flip or an ``add`` is picked up
without a restart.

Each method hands the work to the engine's modules — `search.opensearch.engine`
(search), `search.opensearch.reports` (pages, originals, counts),
`search.opensearch.figures` (comparison), `search.opensearch.changes` (changes across
agencies) — inside `answering`, which turns an
unreachable, slow or failing cluster into `EngineUnavailable` and a missing alias
into `NoIndex` (the site's 503), never a 500 or a hang: every call is bounded by
``settings.opensearch_timeout``.
"""
from __future__ import annotations

from search.budget import Budget
from search.changes import ChangesRequest
from search.comparison import ComparisonRequest
from search.opensearch import changes, engine, figures, reports
from search.opensearch.connection import Connection, answering
from search.opensearch.generation import RECHECK_SECONDS, Generations
from search.request import SearchRequest
from search.service import Health, NoIndex, OriginalFile
from config.settings import DEFAULTS, Settings


class OpenSearchService:
    """The alias the settings name, on the cluster they name (see the module docstring)."""

    engine = "opensearch"

    def __init__(self, settings: Settings = DEFAULTS, recheck_seconds: float = RECHECK_SECONDS):
        self.settings = settings
        self.connection = Connection(settings)
        self.generations = Generations(self.connection, recheck_seconds)

    def _served(self):
        """The served generation. :raise NoIndex: :raise EngineUnavailable:"""
        with answering(self.settings):
            return self.generations.current()

    def _ask(self, lookup, *args):
        """`lookup(connection, generation, *args)` on the served generation, its errors
        the contract's; once more on a fresh look when its index is gone (an alias flip
        deletes the old index)."""
        for attempt in (1, 2):
            generation = self._served()
            try:
                with answering(self.settings):
                    return lookup(self.connection, generation, *args)
            except NoIndex:
                if attempt == 2:
                    raise
                self.generations.forget()
        raise AssertionError("unreachable")

    def search(self, request: SearchRequest, budget: Budget | None = None):
        return self._ask(engine.search, request, budget)

    def report(self, report_id: str):
        return self._ask(reports.get_report, report_id)

    def agency(self, agency_id: str):
        return self._ask(reports.get_agency, agency_id)

    def agencies(self):
        return self._ask(reports.list_agencies)

    def stats(self):
        return self._ask(reports.corpus_stats)

    def audit(self):
        return self._ask(reports.audit_overview)

    def compare(self, request: ComparisonRequest, budget: Budget | None = None):
        return self._ask(figures.compare, request)

    def changes(self, request: ChangesRequest, budget: Budget | None = None):
        return self._ask(changes.listing, request)

    def original(self, report_id: str) -> OriginalFile | None:
        return self._ask(reports.get_original, report_id)

    def health(self) -> Health:
        generation = self._served()
        count = self._ask(reports.report_count)
        return Health(engine=self.engine, generation=generation.index, reports=count,
                      built_at=generation.built_at)

    def warm_up(self) -> None:
        """Derive the served generation's data and load its dictionary now."""
        self._served().analyzer  # noqa: B018 - loads the jieba dictionary

    def close(self) -> None:
        self.connection.close()
