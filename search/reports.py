"""Plain-data lookups for the site's pages: a report, an agency, every agency, the corpus.

Each opens one searcher, reads what it needs (the catalog's columns, a few stored
report documents) and returns dataclasses from `search.results`; nothing whoosh leaves.
A missing report or agency gives None (the site answers 404).

API: `get_report(handle, report_id) -> ReportView | None`,
`list_agencies(handle) -> list[AgencyListing]`,
`get_agency(handle, agency_id) -> AgencyView | None`,
`corpus_stats(handle) -> CorpusStats`, `audit_overview(handle) -> AuditOverview` (the
audit's findings across the corpus), and `KEY_FIGURES` (the figures an agency page
shows over the years).
"""
from __future__ import annotations

import json
from collections import defaultdict

from corpus.fetch.manifest import web_address
from corpus.numbers import is_figure
from corpus.report import Report
from index import schema as f
from index.audit.stored import stored_findings
from index.ids import agency_id as make_agency_id
from search.context import snapshot
from search.results import (
    AgencyListing, AgencyView, AuditAgency, AuditOverview, CheckRecord, CorpusStats,
    ReportSummary, ReportView,
)

MAX_AUDIT_AGENCIES = 20     # agencies listed on the audit page, most findings first

# Shown on an agency page, year by year (those present in at least one of its reports).
KEY_FIGURES = (
    "requests.new.total",            # 本年新收政府信息公开申请
    "requests.carried_over.total",   # 上年结转
    "requests.granted.total",        # 予以公开
    "requests.partial.total",        # 部分公开
    "requests.total.total",          # 总计
    "requests.carried_forward.total",  # 结转下年度继续办理
    "appeals.review.total",          # 行政复议
    "appeals.suit_direct.total",     # 行政诉讼（未经复议直接起诉）
    "appeals.suit_after_review.total",  # 行政诉讼（复议后起诉）
    "proactive.licensing.decisions",  # 行政许可处理决定
    "proactive.penalty.decisions",   # 行政处罚
)


def _stored_report(searcher, report_id: str) -> dict | None:
    return searcher.document(**{f.DOC_ID: report_id, f.KIND: f.KIND_REPORT})


def _report(stored: dict) -> Report:
    report = Report.from_json(json.loads(stored[f.REPORT_JSON]))
    # An index built before figures were bounded may hold Infinity: never serve it.
    report.figures = {key: value for key, value in report.figures.items() if is_figure(value)}
    return report


def get_report(handle, report_id: str) -> ReportView | None:
    """The report with this id, or None."""
    if not isinstance(report_id, str) or not report_id:
        return None
    with handle.searcher() as searcher:
        stored = _stored_report(searcher, report_id)
    if not stored:
        return None
    report = _report(stored)
    return ReportView(report_id=report_id, agency_id=make_agency_id(report.agency),
                      failing=bool(stored.get(f.FAILING)), source=stored.get(f.SOURCE) or report.source,
                      has_original=bool(stored.get(f.ORIGINAL)), report=report,
                      source_url=web_address(stored.get(f.SOURCE_URL)),
                      findings=stored_findings(stored) or [])


def list_agencies(handle) -> list[AgencyListing]:
    """Every agency: region, years reported, reports, failing reports; by region, then name."""
    with handle.searcher() as searcher:
        cat = snapshot(handle, searcher).catalog
        years: dict[str, list[int]] = defaultdict(list)
        failing: dict[str, int] = defaultdict(int)
        region: dict[str, str] = {}
        for docnum in cat.reports:
            name = cat.agency[docnum]
            years[name].append(cat.year[docnum])
            failing[name] += docnum in cat.failing
            region.setdefault(name, cat.region[docnum])
    listings = [AgencyListing(agency=name, agency_id=make_agency_id(name), region=region[name],
                              years=sorted(set(years[name])), reports=len(years[name]),
                              failing=failing[name]) for name in years]
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
    if not stored:
        return None
    entries = sorted(((_report(s), s) for s in stored), key=lambda pair: pair[0].year)
    first = entries[-1][0]
    years = [report.year for report, _ in entries]
    summaries, checks = [], []
    for report, fields in entries:
        rid = fields[f.REPORT_ID]
        summaries.append(ReportSummary(report_id=rid, year=report.year, published=report.published,
                                       template=report.template, failing=bool(fields.get(f.FAILING)),
                                       source=fields.get(f.SOURCE) or report.source,
                                       findings=stored_findings(fields) or []))
        checks += [CheckRecord(year=report.year, report_id=rid, rule=c.rule, ok=c.ok, detail=c.detail)
                   for c in sorted(report.checks, key=lambda c: c.rule)]
    figures = {}
    for key in KEY_FIGURES:
        values = [_number(report.figures.get(key)) for report, _ in entries]
        if any(v is not None for v in values):
            figures[key] = values
    return AgencyView(agency=first.agency, agency_id=agency_id, region=first.region, years=years,
                      reports=summaries, figures=figures, checks=checks)


def _number(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


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
