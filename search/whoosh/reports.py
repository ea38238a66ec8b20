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
from search.pages import MAX_AUDIT_AGENCIES, agency_view, report_view, stored_report
from search.results import AgencyListing, AgencyView, AuditAgency, AuditOverview, CorpusStats, ReportView
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
    """Reports with each kind of finding, in all, by region and by year, and the
    agencies with the most findings (a finding here: one kind on one report)."""
    with handle.searcher() as searcher:
        cat = snapshot(handle, searcher).catalog
        where = {cat.report_id[d]: (cat.agency[d], cat.region[d], cat.year[d]) for d in cat.reports}
        kinds = {kind: [rid for rid in rids if rid in where] for kind, rids in cat.report_findings.items()}
    overview = AuditOverview(reports=len(where), flagged=len({rid for rids in kinds.values() for rid in rids}))
    agencies: dict[str, AuditAgency] = {}
    flagged: dict[str, set[str]] = defaultdict(set)
    for kind, rids in kinds.items():
        overview.totals[kind] = len(rids)
        for rid in rids:
            agency, region, year = where[rid]
            by_region = overview.by_region.setdefault(region, {})
            by_region[kind] = by_region.get(kind, 0) + 1
            by_year = overview.by_year.setdefault(year, {})
            by_year[kind] = by_year.get(kind, 0) + 1
            entry = agencies.setdefault(agency, AuditAgency(agency, make_agency_id(agency), region, 0, 0))
            entry.findings += 1
            entry.kinds[kind] = entry.kinds.get(kind, 0) + 1
            flagged[agency].add(rid)
    for name, entry in agencies.items():
        entry.reports = len(flagged[name])
    overview.by_region = dict(sorted(overview.by_region.items(), key=lambda pair: (-sum(pair[1].values()), pair[0])))
    overview.by_year = dict(sorted(overview.by_year.items(), reverse=True))
    overview.agencies = sorted(agencies.values(), key=lambda a: (-a.findings, -a.reports, a.agency))[:MAX_AUDIT_AGENCIES]
    return overview
