"""A report's and an agency's page, built from the stored reports — the same for every engine.

An engine finds the stored report documents (whoosh: by its catalog; OpenSearch: by a
query) and hands each here as a `StoredReport`: the parsed `corpus.report.Report` and
what the index added to it (its id, whether it fails a check, the name to show for
its source, whether its original was kept, the web address it was fetched from, the
audit's findings, its change record against its predecessor). `report_view` and
`agency_view` make the plain results (`search.results`) the site prints; `KEY_FIGURES`
are the figures an agency page shows over the years; `key_number` prints a figure as
a reader expects (12, not 12.0).

API: `StoredReport`, `report_view(stored)`, `agency_view(agency_id, stored_reports)`,
`KEY_FIGURES`, `key_number(value)`, `MAX_AUDIT_AGENCIES`, `audit_overview(reports)`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from corpus.fetch.manifest import web_address
from corpus.numbers import is_figure
from corpus.report import Report
from index import schema as f
from index.audit.stored import stored_findings
from index.changes.stored import stored_changes
from index.ids import agency_id as make_agency_id
from search.results import AgencyView, AuditAgency, AuditOverview, CheckRecord, ReportSummary, ReportView
from search.vocabulary import AUDIT_KINDS

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


@dataclass
class StoredReport:
    """One report as an index keeps it (see the module docstring)."""

    report: Report
    report_id: str
    failing: bool
    source: str
    has_original: bool = False
    source_url: str | None = None
    findings: list[dict] = field(default_factory=list)
    changes: dict | None = None       # its record against its predecessor (index.changes)


def finite_figures(report: Report) -> Report:
    """`report` without figures that are not finite numbers below 10^12 (an index built
    before figures were bounded may hold Infinity: never serve it)."""
    report.figures = {key: value for key, value in report.figures.items() if is_figure(value)}
    return report


def stored_report(stored: dict) -> StoredReport:
    """A stored report document — both engines store the same fields under the same
    names (`index.schema`) — as the engine-neutral `StoredReport`."""
    report = finite_figures(Report.from_json(json.loads(stored[f.REPORT_JSON])))
    return StoredReport(report=report, report_id=stored.get(f.REPORT_ID) or stored[f.DOC_ID],
                        failing=bool(stored.get(f.FAILING)), source=stored.get(f.SOURCE) or report.source,
                        has_original=bool(stored.get(f.ORIGINAL)),
                        source_url=web_address(stored.get(f.SOURCE_URL)),
                        findings=stored_findings(stored) or [], changes=stored_changes(stored))


def report_view(stored: StoredReport) -> ReportView:
    """The report's page."""
    report = stored.report
    return ReportView(report_id=stored.report_id, agency_id=make_agency_id(report.agency),
                      failing=stored.failing, source=stored.source or report.source,
                      has_original=stored.has_original, report=report,
                      source_url=stored.source_url, findings=list(stored.findings),
                      changes=stored.changes)


def agency_view(agency_id: str, stored_reports: list[StoredReport]) -> AgencyView | None:
    """An agency's page from its reports (any order): reports by year, key figures over
    the years, check history. None when there are none."""
    if not stored_reports:
        return None
    entries = sorted(stored_reports, key=lambda item: item.report.year)
    latest = entries[-1].report
    summaries, checks = [], []
    for item in entries:
        report = item.report
        summaries.append(ReportSummary(report_id=item.report_id, year=report.year, published=report.published,
                                       template=report.template, failing=item.failing,
                                       source=item.source or report.source, findings=list(item.findings)))
        checks += [CheckRecord(year=report.year, report_id=item.report_id, rule=c.rule, ok=c.ok, detail=c.detail,
                               cell=c.cell, parts_sum=c.parts_sum)
                   for c in sorted(report.checks, key=lambda c: c.rule)]
    figures = {}
    for key in KEY_FIGURES:
        values = [key_number(item.report.figures.get(key)) for item in entries]
        if any(v is not None for v in values):
            figures[key] = values
    return AgencyView(agency=latest.agency, agency_id=agency_id, region=latest.region,
                      years=[item.report.year for item in entries], reports=summaries,
                      figures=figures, checks=checks)


def key_number(value):
    """A figure as a reader expects it: an int when whole (12, not 12.0); None stays None."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def audit_overview(reports: list[tuple[str, str, int, tuple[str, ...]]]) -> AuditOverview:
    """The audit across the corpus from each report's (agency, region, year, finding
    kinds): reports with each kind, in all, by region (most first) and by year (newest
    first), and the `MAX_AUDIT_AGENCIES` agencies with the most findings (a finding:
    one kind on one report), each with its reports having any."""
    overview = AuditOverview(reports=len(reports), flagged=sum(1 for *_, kinds in reports if kinds))
    agencies: dict[str, AuditAgency] = {}
    for kind in AUDIT_KINDS:
        having = [(agency, region, year) for agency, region, year, kinds in reports if kind in kinds]
        overview.totals[kind] = len(having)
        for agency, region, year in having:
            by_region = overview.by_region.setdefault(region, {})
            by_region[kind] = by_region.get(kind, 0) + 1
            by_year = overview.by_year.setdefault(year, {})
            by_year[kind] = by_year.get(kind, 0) + 1
            entry = agencies.setdefault(agency, AuditAgency(agency, make_agency_id(agency), region, 0, 0))
            entry.findings += 1
            entry.kinds[kind] = entry.kinds.get(kind, 0) + 1
    for agency, _, _, kinds in reports:
        if kinds:
            agencies[agency].reports += 1
    overview.by_region = dict(sorted(overview.by_region.items(), key=lambda pair: (-sum(pair[1].values()), pair[0])))
    overview.by_year = dict(sorted(overview.by_year.items(), reverse=True))
    overview.agencies = sorted(agencies.values(), key=lambda a: (-a.findings, -a.reports, a.agency))[:MAX_AUDIT_AGENCIES]
    return overview
