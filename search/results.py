"""The plain data the search library returns: no whoosh object ever leaves search/.

Every result is a dataclass of str/int/float/bool/list/dict, so the site can render
it and the API can serve ``dataclasses.asdict(result)`` as JSON unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Hit:
    """One matching section."""

    report_id: str
    agency: str
    agency_id: str
    region: str
    year: int
    published: str | None
    section: str          # section key, e.g. "requests"
    title: str            # section title as printed
    snippet: str          # HTML: escaped text, query terms wrapped in <mark>
    score: float


@dataclass
class FacetValue:
    value: str
    count: int            # matching sections with this value (multi-select semantics)
    selected: bool


@dataclass
class AgencySummary:
    """An agency whose reports match the query."""

    agency: str
    agency_id: str
    region: str
    reports: int
    sections: int


@dataclass
class SearchResults:
    query: str
    terms: list[str]      # the words to mark, e.g. on the report page
    total: int            # matching sections
    page: int
    page_size: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)  # agency, region, year, section
    agencies: list[AgencySummary] = field(default_factory=list)  # most sections first, capped
    agencies_total: int = 0   # every agency with a matching section (the list may be capped)


@dataclass
class ComparisonRow:
    """One report in a comparison table: who, which year, and its chosen figures."""

    agency: str
    agency_id: str
    report_id: str
    region: str
    year: int
    values: list[float | None]   # one per column; None where the report lacks the figure


@dataclass
class Comparison:
    """Agencies × chosen figure keys, for the site's table and the CSV/JSON export."""

    columns: list[str]           # figure keys, e.g. "requests.new.total"
    rows: list[ComparisonRow] = field(default_factory=list)
    sort: str | None = None      # the figure key rows are ordered by, if any
    desc: bool = True
