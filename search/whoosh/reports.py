"""The whoosh engine's lookups for the site's pages: a report, an agency, every agency,
the corpus, the audit.

Each opens one searcher, reads what it needs (the catalog's columns, a few stored
report documents) and returns dataclasses from `search.results` (a report's and an
agency's page are built by `search.pages`, as for every engine); nothing whoosh leaves.
A missing report or agency gives None (the site answers 404).

API: `get_report(handle, report_id) -> ReportView | None`,
`list_agencies(handle) -> list[AgencyListing]`,
`get_agency(handle, agency_id) -> AgencyView | None`,
`corpus_stats(handle) -> CorpusStats`, `report_count(handle)`, `audit_overview(handle) -> AuditOverview` (the
audit's findings across the corpus); a stored report document is read by `search.pages.stored_report`.
"""
from __future__ import annotations

from collections import defaultdict

from index import schema as f
from index.ids import agency_id as make_agency_id
from search.pages import agency_view, report_view, stored_report
from search.pages import audit_overview as overview_of
from search.results import AgencyListing, AgencyView, AuditOverview, CorpusStats, ReportView
from search.whoosh.context import snapshot

def _stored_report(searcher, report_id: str) -> dict | None:
    return searcher.document(**{f.DOC_ID: report_id, f.KIND: f.KIND_REPORT})


def get_report(handle, report_id: str) -> ReportView | None:
    """The report with this id, or None."""
    if not isinstance(report_id, str) or not report_id:
        return None
    with handle.searcher() as searcher:
        stored = _stored_report(searcher, report_id)
    return report_view(stored_report(stored)) if stored else None


def list_agencies(handle) -> list[AgencyListing]:
    """Every agency: region, years reported, reports, failing reports; by region, then name."""
    with handle.searcher() as searcher:
        cat = snapshot(handle, searcher).catalog
        years: dict[str, list[int]] = defaultdict(list)
        failing: dict[str, int] = defaultdict(int)
        region: dict[str, str] = {}
        latest: dict[str, tuple[int, str]] = {}
        for docnum in cat.reports:
            name, year = cat.agency[docnum], cat.year[docnum]
            years[name].append(year)
            failing[name] += docnum in cat.failing
            region.setdefault(name, cat.region[docnum])
            latest[name] = max(latest.get(name, (year, "")), (year, cat.report_id[docnum]))
    listings = [AgencyListing(agency=name, agency_id=make_agency_id(name), region=region[name],
                              years=sorted(set(years[name])), reports=len(years[name]),
                              failing=failing[name], latest_report=latest[name][1]) for name in years]
    listings.sort(key=lambda a: (a.region, a.agency))
    return listings


def get_agency(handle, agency_id: str) -> AgencyView | None:
    """An agency by its id: reports by year, key figures over the years, check history."""
    if not isinstance(agency_id, str) or not agency_id:
        return None
    with handle.searcher() as searcher:
        cat = snapshot(handle, searcher).catalog
        docnums = [d for d in cat.reports if make_agency_id(cat.agency[d]) == agency_id]
        stored = [searcher.stored_fields(d) for d in docnums]
    return agency_view(agency_id, [stored_report(fields) for fields in stored])


def report_count(handle) -> int:
    """How many reports the live generation serves."""
    with handle.searcher() as searcher:
        return len(snapshot(handle, searcher).catalog.reports)


def corpus_stats(handle) -> CorpusStats:
    """Counts of reports, sections, agencies, regions, years, failing reports, and the lists."""
    with handle.searcher() as searcher:
        cat = snapshot(handle, searcher).catalog
        agencies = sorted({cat.agency[d] for d in cat.reports})
        regions = sorted({cat.region[d] for d in cat.reports})
        years = sorted({cat.year[d] for d in cat.reports}, reverse=True)
        failing = sum(1 for d in cat.reports if d in cat.failing)
        sections = len(cat.sections)
        reports = len(cat.reports)
    return CorpusStats(reports=reports, sections=sections, agencies=len(agencies),
                       regions=len(regions), years=len(years), failing=failing,
                       region_list=regions, agency_list=agencies, year_list=years)


def audit_overview(handle) -> AuditOverview:
    """The audit across the corpus (`search.pages.audit_overview`), from the catalog's
    reports and the report ids having each finding kind."""
    with handle.searcher() as searcher:
        cat = snapshot(handle, searcher).catalog
        kinds: dict[str, list[str]] = defaultdict(list)
        for kind, rids in cat.report_findings.items():
            for rid in rids:
                kinds[rid].append(kind)
        return overview_of([(cat.agency[d], cat.region[d], cat.year[d], tuple(kinds.get(cat.report_id[d], ())))
                            for d in cat.reports])
