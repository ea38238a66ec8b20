"""The plain data the search library returns: no whoosh object ever leaves search/.

Every result is a dataclass of str/int/float/bool/list/dict (a `ReportView` also holds
the plain `corpus.report.Report` dataclass), so the site can render it and the API can
serve ``dataclasses.asdict(result)`` as JSON unchanged.

Search: `SearchResults` (`Hit`, `FacetValue`, `AgencySummary`). Figures: `Comparison`
(`ComparisonRow`). Changes across agencies: `ChangeListing` (`ChangeRow`). Pages:
`ReportView`, `AgencyView` (`ReportSummary`, `CheckRecord`), `AgencyListing`,
`CorpusStats`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus.report import Report


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
    findings: list[str] = field(default_factory=list)   # its report's audit finding kinds


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
    partial: bool = False     # the work budget ran out: hits true, total and order maybe incomplete
    notice: str | None = None  # the sentence saying so, for the reader
    # Only for an empty result: hits without one selected facet value ("region:海东市")
    # or without any filter ("all"), read off the facet counts.
    without_filter: dict[str, int] = field(default_factory=dict)
    # What the query did: the agencies each term matched through an abbreviation only
    # (工信局 → [海东市工业和信息化局, …]); quoting the term searches the text alone.
    expansions: dict[str, list[str]] = field(default_factory=dict)
    unfiltered: int = 0        # sections the query matches with no filter at all


@dataclass
class ComparisonRow:
    """One report in a comparison table: who, which year, and its chosen figures."""

    agency: str
    agency_id: str
    report_id: str
    region: str
    year: int
    values: list[float | None]   # one per column; None where the report lacks the figure
    findings: list[str] = field(default_factory=list)   # its audit finding kinds (index.audit)


@dataclass
class Comparison:
    """Agencies × chosen figure keys, for the site's table and the CSV/JSON export."""

    columns: list[str]           # figure keys, e.g. "requests.new.total"
    rows: list[ComparisonRow] = field(default_factory=list)   # this page's, in order
    sort: str = "agency"         # the column rows are ordered by: agency, region, year or a figure key
    desc: bool = False
    total: int = 0               # rows on every page together
    page: int = 1
    page_size: int = 0
    partial: bool = False        # the work budget ran out: rows true, total and order incomplete
    notice: str | None = None    # when partial: the sentence saying so (Chinese)


@dataclass
class ChangeRow:
    """One agency's figure in two years (`search.changes`)."""

    agency: str
    agency_id: str
    region: str                  # its later report's
    kind: str                    # corpus.agency_kind: government, office, department …
    earlier_id: str              # its report on the earlier year
    later_id: str                # on the later year
    earlier: float
    later: float
    change: float                # later − earlier
    percent: float | None        # change / |earlier| × 100; None when earlier is 0
    findings: list[str] = field(default_factory=list)   # audit finding kinds of either report


@dataclass
class ChangeListing:
    """The agencies whose figure rose and fell most between two years (`search.changes`)."""

    figure: str                  # a figure key, or a summed one (corpus.report.SUMMED_FIGURES)
    earlier_year: int
    later_year: int
    measure: str                 # absolute | relative: what rises and falls are ordered by
    rises: list[ChangeRow] = field(default_factory=list)   # largest first, at most the asked size
    falls: list[ChangeRow] = field(default_factory=list)
    rows: list[ChangeRow] = field(default_factory=list)    # every agency compared, largest rise to largest fall
    compared: int = 0            # agencies with the figure in both years (passing the filters)
    rose: int = 0
    fell: int = 0
    same: int = 0
    only_earlier: int = 0        # agencies with the figure in the earlier year only
    only_later: int = 0          # in the later year only
    # region / kind / audit -> value -> agencies compared passing every filter but that one
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)         # every year the index holds, newest first


@dataclass
class ReportSummary:
    """One report of an agency, as listed on the agency page."""

    report_id: str
    year: int
    published: str | None
    template: int
    failing: bool         # fails at least one arithmetic check
    source: str
    findings: list[dict] = field(default_factory=list)   # its audit findings (index.audit)


@dataclass
class ReportView:
    """One report for its page: the whole parsed report plus what the index knows."""

    report_id: str
    agency_id: str
    failing: bool
    source: str
    has_original: bool    # the original file can be downloaded (handle.original_path)
    report: "Report"      # corpus.report.Report: sections, figures, checks (plain dataclasses)
    source_url: str | None = None   # the web address the file was fetched from, if known
    findings: list[dict] = field(default_factory=list)   # the audit's findings (index.audit)
    # Its record against its predecessor (index.changes: previous, previous_year,
    # similarity, text, sections); None when the index holds none (built before records).
    changes: dict | None = None


@dataclass
class AgencyListing:
    """An agency in the list of all agencies."""

    agency: str
    agency_id: str
    region: str
    years: list[int]
    reports: int
    failing: int          # reports failing a check
    latest_report: str = ""   # the id of its newest report


@dataclass
class CheckRecord:
    """One check of one year's report (the agency's check history)."""

    year: int
    report_id: str
    rule: str
    ok: bool
    detail: str
    cell: str | None = None        # a total that is not the sum of its parts: its figure key
    parts_sum: float | None = None  # … and what its parts add to


@dataclass
class AgencyView:
    """An agency's page: its reports by year, key figures over the years, check history."""

    agency: str
    agency_id: str
    region: str
    years: list[int]                       # ascending; the columns of `figures`
    reports: list[ReportSummary]           # one per year, ascending
    figures: dict[str, list[float | None]]  # key figure -> one value per year (None: absent)
    checks: list[CheckRecord]              # every check of every report, by year then rule


@dataclass
class AuditAgency:
    """An agency with many findings: how many, of which kinds."""

    agency: str
    agency_id: str
    region: str
    findings: int                          # findings over all its reports
    reports: int                           # its reports having any
    kinds: dict[str, int] = field(default_factory=dict)   # kind -> its reports having it


@dataclass
class AuditOverview:
    """The audit across the corpus: reports with each kind, by region and by year."""

    reports: int                           # reports in the index
    flagged: int                           # reports with any finding
    totals: dict[str, int] = field(default_factory=dict)                # kind -> reports
    by_region: dict[str, dict[str, int]] = field(default_factory=dict)  # region -> kind -> reports
    by_year: dict[int, dict[str, int]] = field(default_factory=dict)    # year -> kind -> reports
    agencies: list[AuditAgency] = field(default_factory=list)           # most findings first


@dataclass
class CorpusStats:
    """What the index holds, for the home page and the filters' choices."""

    reports: int
    sections: int
    agencies: int
    regions: int
    years: int
    failing: int                           # reports failing at least one check
    region_list: list[str] = field(default_factory=list)
    agency_list: list[str] = field(default_factory=list)
    year_list: list[int] = field(default_factory=list)   # newest first
