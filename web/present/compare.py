"""Two reports of one agency side by side: the page (/compare?a=…&b=…, and a report
against its predecessor at /reports/<id>/changes) and the API's JSON of the same diff.

The page shows every figure of both years in one table and each section's sentences in
two columns, last year's on the left with what was removed struck through, this
year's on the right with what was added marked (one column on a phone, each sentence
labelled with its year). Links compare the later report with the agency's other years.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for

from search.diff import ReportDiff
from search.results import AgencyView, ReportView
from web.present.common import Link, agency_url, report_url
from web.present.diff import DiffView, compare_url, diff_json, diff_view
from web.render import Resource

NO_EARLIER = "该机关此前没有年度报告可以对比。"


@dataclass
class ComparePage:
    title: str
    agency: str
    agency_url: str
    report_url: str                      # the later report (the one asked for)
    diff: DiffView | None
    message: str = ""                    # why there is nothing to compare
    others: list[Link] = field(default_factory=list)   # the later report against another year
    api_url: str = ""


def _others(later: ReportView, agency: AgencyView | None, diff: ReportDiff | None) -> list[Link]:
    """Each other year of the agency, as a comparison with the later report."""
    if agency is None:
        return []
    links = []
    for item in agency.reports:
        if item.report_id == later.report_id:
            continue
        pair = (item.report_id, later.report_id) if item.year < later.report.year else (later.report_id, item.report_id)
        links.append(Link(f"{item.year} 年度", compare_url(*pair),
                          current=diff is not None and item.report_id in (diff.earlier_id, diff.later_id)))
    return links


def compare_page(diff: ReportDiff | None, later: ReportView, agency: AgencyView | None) -> ComparePage:
    """The page for `diff` (None: `later` has no earlier report to compare with)."""
    report = later.report
    view = diff_view(diff) if diff else None
    title = (f"{report.agency}：{diff.earlier_year} 与 {diff.later_year} 年度报告对比" if diff
             else f"{report.agency} {report.year} 年度报告：与上年相比")
    return ComparePage(
        title=title, agency=report.agency, agency_url=agency_url(later.agency_id),
        report_url=report_url(later.report_id), diff=view, message="" if diff else NO_EARLIER,
        others=_others(later, agency, diff),
        api_url=view.api_url if view else url_for("api.report_changes", report_id=later.report_id))


def payload(diff: ReportDiff | None, later: ReportView) -> dict:
    """The API's answer: the report asked for and its diff (null: nothing earlier to compare)."""
    return {"report_id": later.report_id, "diff": diff_json(diff) if diff else None,
            "message": None if diff else NO_EARLIER}


def resource(diff: ReportDiff | None, later: ReportView, agency: AgencyView | None = None) -> Resource:
    """The comparison as a page or as JSON."""
    return Resource(diff, "compare.html", page=lambda d: {"page": compare_page(d, later, agency)},
                    payload=lambda d: payload(d, later))
