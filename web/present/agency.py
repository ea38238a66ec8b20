"""The agency resources: one agency (the page: reports by year, key figures as a chart,
check history; and its JSON) and the list of agencies (JSON)."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for

from search.results import AgencyListing, AgencyView
from web import labels
from web.charts import Chart, line_chart
from web.present.audit import AuditYear, audit_history, finding_json
from web.present.common import agency_url, report_url
from web.render import Resource
from web.tables import number

# Drawn on the chart (when the agency has them); the table under it shows every key figure.
CHART_FIGURES = ("requests.new.total", "requests.granted.total",
                 "appeals.review.total", "appeals.suit_direct.total")


@dataclass
class ReportLink:
    year: int
    url: str
    published: str | None
    failing: int


@dataclass
class FigureRow:
    label: str
    cells: list[str]


@dataclass
class CheckLine:
    label: str
    detail: str


@dataclass
class CheckYear:
    year: int
    url: str
    passed: int
    failed: list[CheckLine] = field(default_factory=list)

    @property
    def failed_count(self) -> int:
        return len(self.failed)


@dataclass
class AgencyPage:
    name: str
    region: str
    reports: list[ReportLink]
    report_count: int
    years: list[int]
    chart: Chart | None
    chart_caption: str
    figure_rows: list[FigureRow]
    check_history: list[CheckYear]
    audit_history: list[AuditYear]
    search_url: str
    api_url: str


def _failed_by_year(view: AgencyView) -> dict[int, int]:
    failed: dict[int, int] = {}
    for c in view.checks:
        failed[c.year] = failed.get(c.year, 0) + (not c.ok)
    return failed


def agency_page(view: AgencyView) -> AgencyPage:
    failed = _failed_by_year(view)
    reports = [ReportLink(r.year, report_url(r.report_id), r.published, failed.get(r.year, 0))
               for r in sorted(view.reports, key=lambda r: -r.year)]
    drawn = {labels.figure_label(k): view.figures[k] for k in CHART_FIGURES if k in view.figures}
    chart = line_chart(view.years, drawn) if drawn else None
    history = {}
    for r in view.reports:
        history[r.year] = CheckYear(r.year, report_url(r.report_id, section="checks"), 0)
    for c in view.checks:
        entry = history[c.year]
        if c.ok:
            entry.passed += 1
        else:
            entry.failed.append(CheckLine(labels.check_label(c.rule), labels.check_detail(c.rule, c.detail)[0]))
    return AgencyPage(
        name=view.agency, region=view.region, reports=reports, report_count=len(reports),
        years=view.years,
        chart=chart, chart_caption=f"{view.agency}历年主要数字：" + "、".join(drawn),
        figure_rows=[FigureRow(labels.figure_label(k), [number(v) for v in values])
                     for k, values in view.figures.items()],
        check_history=[history[y] for y in sorted(history, reverse=True)],
        audit_history=audit_history(view.reports),
        search_url=url_for("pages.search", agency=view.agency),
        api_url=url_for("api.agency", agency_id=view.agency_id),
    )


def agency_json(view: AgencyView) -> dict:
    """The API's agency: reports, key figures aligned with years, checks by year."""
    failed = _failed_by_year(view)
    checks: dict[str, list] = {str(y): [] for y in view.years}
    for c in view.checks:
        checks.setdefault(str(c.year), []).append(labels.check_json(c))
    return {
        "id": view.agency_id, "agency": view.agency, "region": view.region,
        "reports": [{"id": r.report_id, "year": r.year, "published": r.published,
                     "failing_checks": failed.get(r.year, 0), "url": report_url(r.report_id),
                     "findings": [finding_json(x) for x in r.findings],
                     "api_url": url_for("api.report", report_id=r.report_id)}
                    for r in view.reports],
        "key_figures": view.figures, "years": view.years, "checks": checks,
        "url": agency_url(view.agency_id),
    }


def agencies_json(listings: list[AgencyListing]) -> list[dict]:
    return [{"id": a.agency_id, "agency": a.agency, "region": a.region, "years": a.years,
             "url": agency_url(a.agency_id), "api_url": url_for("api.agency", agency_id=a.agency_id)}
            for a in listings]


def resource(view: AgencyView) -> Resource:
    """One agency as a page or as JSON."""
    return Resource(view, "agency.html", page=lambda v: {"agency": agency_page(v)},
                    payload=lambda v: {"agency": agency_json(v)})


def listing(listings: list[AgencyListing]) -> Resource:
    """Every agency, as JSON (the home page and the search's facet list them for readers)."""
    return Resource(listings, payload=lambda found: {"agencies": agencies_json(found)})
