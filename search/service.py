"""The engine contract: everything the site asks of an index, in plain data.

The site (web/) holds one `ReportsService` and asks it for every page and API route;
it never sees the engine behind it. Two engines serve the contract with the same
meaning for every method:

- ``whoosh`` (`search.whoosh.service.WhooshService`): the embedded index on this
  machine's disk, written by ``python -m index build``; the default.
- ``opensearch`` (`search.opensearch.service.OpenSearchService`): an OpenSearch
  cluster, written by ``python -m index build --engine opensearch``.

`search.engines.open_service(settings)` gives the one the settings choose
(``engine``; for OpenSearch also ``opensearch_url``). What crosses the contract is the typed requests
of search/ (`search.request.SearchRequest`, `search.comparison.ComparisonRequest`,
`search.changes.ChangesRequest`) going in and the dataclasses of `search.results` and
this module coming out — no
whoosh or OpenSearch object.

Errors are values of the contract too:

- `EngineUnavailable`: the engine cannot answer now (the cluster is unreachable, the
  index is being opened…): the site answers 503 with Retry-After and a Chinese
  sentence. `NoIndex`, its kind, says there is no index at all yet.
- `search.budget.BudgetSpent` (and `Busy`): a search spent its work budget with
  nothing to show (503 with Retry-After); with something to show the results are
  marked ``partial`` instead.
- `search.request.BadRequest`: a request the engine cannot run as asked (400).

API: `ReportsService` (protocol), `OriginalFile`, `Health`, `EngineUnavailable`,
`NoIndex`, `ENGINES`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from search.budget import Budget
from search.changes import ChangesRequest
from search.comparison import ComparisonRequest
from search.request import SearchRequest
from search.results import (
    AgencyListing, AgencyView, AuditOverview, ChangeListing, Comparison, CorpusStats, ReportView, SearchResults,
)

ENGINES = ("whoosh", "opensearch")

UNAVAILABLE = "检索服务暂时无法连接，请稍后再试。"
NO_INDEX = "检索索引尚未建立，请稍后再试。"


class EngineUnavailable(Exception):
    """The engine cannot answer now; `message` is the Chinese sentence for the reader,
    `reason` the operator's explanation (for the log)."""

    def __init__(self, reason: str, message: str = UNAVAILABLE):
        super().__init__(reason)
        self.reason, self.message = reason, message


class NoIndex(EngineUnavailable):
    """There is no index to serve yet (never built, or damaged)."""

    def __init__(self, reason: str):
        super().__init__(reason, NO_INDEX)


@dataclass(frozen=True)
class OriginalFile:
    """A report's original file as it was read: its bytes, media type and file name."""

    content: bytes
    media_type: str      # e.g. application/pdf; text/html for a web page
    name: str            # the name to offer a download under: <report id><suffix>


@dataclass(frozen=True)
class Health:
    """What a load balancer and an operator want to know of the engine."""

    engine: str                  # "whoosh" | "opensearch"
    generation: str              # the index generation being served (a folder or an index name)
    reports: int                 # reports it serves
    built_at: float | None       # when that generation was written (seconds since the epoch)


class ReportsService(Protocol):
    """Everything the site asks of an index (see the module docstring). Each method
    answers from the index generation being served when it is called; a newer one
    (a build, an ``add``) is picked up without a restart."""

    engine: str

    def search(self, request: SearchRequest, budget: Budget | None = None) -> SearchResults:
        """The request's page of hits with snippets, its total, the multi-select facet
        counts, the agencies summary, the abbreviations it expanded, and — for an empty
        result — what dropping each filter would give. ``partial`` when the budget ran
        out. :raise BudgetSpent: when it ran out with nothing to show."""

    def report(self, report_id: str) -> ReportView | None:
        """The whole report with this id (sections, figures, checks, findings), or None."""

    def agency(self, agency_id: str) -> AgencyView | None:
        """An agency by its id: its reports by year, key figures over the years, its
        check history; None when it has no report."""

    def agencies(self) -> list[AgencyListing]:
        """Every agency: region, years reported, reports, failing reports; by region, then name."""

    def stats(self) -> CorpusStats:
        """What the index holds: counts and the lists of regions, agencies and years."""

    def audit(self) -> AuditOverview:
        """The audit's findings across the corpus: reports with each kind, by region and
        by year, and the agencies with the most findings."""

    def compare(self, request: ComparisonRequest, budget: Budget | None = None) -> Comparison:
        """The comparison table's asked page (`search.comparison`)."""

    def changes(self, request: ChangesRequest, budget: Budget | None = None) -> ChangeListing:
        """The agencies whose figure rose and fell most between two years, with the counts
        (`search.changes`: the engine supplies one `search.changes.FigureRow` per report
        of the two years to `search.changes.change_listing`)."""

    def original(self, report_id: str) -> OriginalFile | None:
        """The report's original file, or None when there is no such report or its
        original was not kept."""

    def health(self) -> Health:
        """The engine, the generation served and its report count.
        :raise EngineUnavailable: (`NoIndex`) when there is nothing to serve."""

    def warm_up(self) -> None:
        """Load now what the first request would otherwise load (dictionary, columns)."""

    def close(self) -> None:
        """Let go of files and connections."""
