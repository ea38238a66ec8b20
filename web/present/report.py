"""The report resource: the page (sections with anchors, tables, checks, the terms of the
search it came from marked, and 与上年相比 — the report against its predecessor,
`web.present.diff`) and the API's JSON, both from one `ReportView`; and the names an
original file is downloaded under."""
from __future__ import annotations

import hashlib
import os
import re
from urllib.parse import quote
from dataclasses import dataclass, field

from flask import url_for
from markupsafe import Markup

from corpus.report import APPEAL_CELLS, REQUEST_COLUMNS, Report
from search.diff import ReportDiff
from search.results import ReportView
from search.vocabulary import CHANGE_LABELS
from search.snippets import highlight
from web import labels
from web.present.audit import FindingView, finding_json, finding_view
from web.present.common import Link, agency_url, marked
from web.present.compare import NO_EARLIER
from web.present.diff import DiffView, diff_view
from web.render import Resource
from web.tables import Table, number, printed_table, report_tables


@dataclass
class SectionView:
    key: str              # also the anchor: /reports/<id>#requests
    title: str
    text: Markup
    tables: list[Table] = field(default_factory=list)          # tables 2–4 from the figures
    printed: list[list] = field(default_factory=list)          # any other table, as printed


@dataclass
class CheckView:
    rule: str
    label: str
    ok: bool
    detail: str


@dataclass
class ChangesPart:
    """与上年相比: the diff against the predecessor, or why there is none."""

    diff: DiffView | None
    message: str = ""


@dataclass
class SlipView:
    """A printed total its parts do not add up to: which cell, what the parts add to."""

    table: str        # 收到和处理政府信息公开申请情况
    anchor: str       # #requests: the table's section
    cell: str         # 行政复议·总计
    printed: str      # 0
    parts: str        # 结果维持、结果纠正、其他结果、尚未审结
    parts_sum: str    # 11


@dataclass
class ReportPage:
    title: str
    report_id: str
    agency: str
    agency_url: str
    region: str
    year: int
    published: str | None
    template: int
    failing: int
    toc: list[Link]
    sections: list[SectionView]
    orphan_tables: list[Table]     # tables whose section the report lacks
    findings: list[FindingView]    # the audit's findings (shown first)
    slips: list[SlipView]          # totals their parts contradict, also marked in the tables
    failed_checks: list[CheckView]
    passed_checks: list[CheckView]
    passed_count: int
    original_url: str | None
    source_url: str | None         # 原文链接: where the report was published (http/https only)
    ocr: bool                      # read by OCR from pictures: the page says its figures may differ
    api_url: str
    back_url: str | None
    query: str
    changes: ChangesPart | None = None    # None: the index keeps no change record (built before them)


def checks_view(checks) -> list[CheckView]:
    return [CheckView(c.rule, labels.check_label(c.rule), c.ok, labels.check_detail(c.rule, c.detail)[0])
            for c in checks]


def slips_view(report) -> list[SlipView]:
    """The failed total-of-parts checks, each as the cell it names and what its parts add to."""
    out = []
    for check in report.checks:
        kind = check.rule.partition(".")[0]
        if check.ok or check.cell not in report.figures or check.parts_sum is None or kind not in labels.CHECK_PARTS:
            continue
        table = check.cell.split(".")[0]
        out.append(SlipView(labels.SECTION_NAMES.get(table, table), "#" + table, labels.figure_label(check.cell),
                            number(report.figures[check.cell]), labels.CHECK_PARTS[kind], number(check.parts_sum)))
    return out


def _mark_slips(tables: dict[str, Table], report) -> None:
    """Each cell a slip names, marked where it stands: its printed number and what its parts
    add to (escaped here; the template prints the cell as it is)."""
    sums: dict[str, list[str]] = {}
    for check in report.checks:
        if not check.ok and check.cell in report.figures and check.parts_sum is not None:
            sums.setdefault(check.cell, []).append(number(check.parts_sum))
    for key, found in sums.items():
        table, row, column = key.split(".")
        columns = {"requests": REQUEST_COLUMNS, "appeals": APPEAL_CELLS}.get(table, ())
        if table not in tables or column not in columns:
            continue
        for block in tables[table].blocks:
            for line in block.rows:
                if line.key == row:
                    at = columns.index(column)
                    line.cells[at] = Markup('<mark class="slip" title="分项合计 {sums}">{cell}</mark>'
                                            '<span class="slip-sum">分项合计 {sums}</span>').format(
                        cell=line.cells[at], sums=" / ".join(dict.fromkeys(found)))


def report_title(report: Report) -> str:
    return f"{report.agency} {report.year} 年政府信息公开工作年度报告"


def report_page(view: ReportView, query: str, terms: list[str], diff: ReportDiff | None = None) -> ReportPage:
    """Everything the report page shows; the query's terms marked in the text; `diff`:
    the report against its predecessor, when it has one."""
    report, report_id = view.report, view.report_id
    tables = {t.key: t for t in report_tables(report.figures, report.template)}
    mark = (lambda text: marked(highlight(text, terms)))
    for table in tables.values():
        for block in table.blocks:
            for row in block.rows:
                row.label = mark(row.label)
    _mark_slips(tables, report)
    sections = []
    for s in report.sections:
        # Table 2 belongs to section 二 (proactive), 3 to 三 (requests), 4 to 四 (appeals):
        # shown from its figures in the template's layout, in place of the printed one.
        own = [tables.pop(s.key)] if s.key in tables else []
        printed = [] if own else [printed_table(rows, mark) for rows in s.tables]
        sections.append(SectionView(s.key, s.title, mark(s.text), own, printed))
    toc = [Link(s.title, "#" + s.key) for s in report.sections]
    if tables:
        toc.append(Link("统计表", "#tables"))
    toc.append(Link("数据核对", "#checks"))
    changes = None
    if view.changes is not None:
        changes = ChangesPart(diff_view(diff)) if diff else ChangesPart(None, NO_EARLIER)
        toc.append(Link("与上年相比", "#changes"))
    return ReportPage(
        title=report_title(report), report_id=report_id, agency=report.agency,
        agency_url=agency_url(view.agency_id), region=report.region,
        year=report.year, published=report.published, template=report.template,
        failing=sum(1 for c in report.checks if not c.ok), toc=toc, sections=sections,
        orphan_tables=list(tables.values()),
        findings=[finding_view(x) for x in view.findings],
        slips=slips_view(report),
        failed_checks=[c for c in checks_view(report.checks) if not c.ok],
        passed_checks=[c for c in checks_view(report.checks) if c.ok],
        passed_count=sum(1 for c in report.checks if c.ok),
        original_url=url_for("pages.original", report_id=report_id) if view.has_original else None,
        source_url=view.source_url, ocr=report.ocr,
        api_url=url_for("api.report", report_id=report_id),
        back_url=url_for("pages.search", q=query) if query else None, query=query, changes=changes,
    )


def report_json(view: ReportView) -> dict:
    """The API's report: the schema's fields, labelled checks, links."""
    report, report_id = view.report, view.report_id
    page_url = url_for("pages.report", report_id=report_id)
    return {
        "id": report_id, "agency": report.agency, "agency_id": view.agency_id,
        "region": report.region, "year": report.year, "published": report.published,
        "template": report.template, "source": view.source,
        "sections": [{"key": s.key, "title": s.title, "text": s.text, "tables": s.tables,
                      "url": f"{page_url}#{s.key}"} for s in report.sections],
        "figures": report.figures,
        "checks": [labels.check_json(c) for c in report.checks],
        "consistent": report.consistent,
        "findings": [finding_json(x) for x in view.findings],
        "changes": changes_json(view),
        "url": page_url,
        "original_url": url_for("pages.original", report_id=report_id) if view.has_original else None,
        "source_url": view.source_url,
    }


def changes_json(view: ReportView) -> dict | None:
    """The report's change record for the API: its predecessor, the class of its prose's
    change and each section's state, and where the whole diff is (None: not recorded)."""
    record = view.changes
    if record is None:
        return None
    previous = record.get("previous")
    return {"previous": previous, "previous_year": record.get("previous_year"),
            "similarity": record.get("similarity"), "text": record.get("text"),
            "text_label": CHANGE_LABELS.get(record.get("text"), None),
            "sections": record.get("sections", {}),
            "diff_url": url_for("api.report_changes", report_id=view.report_id) if previous else None}


def resource(view: ReportView, query: str = "", terms: tuple[str, ...] | list[str] = (),
             diff: ReportDiff | None = None) -> Resource:
    """The report as a page (`terms` of `query` marked: `web.parsing.marked_terms`; `diff`
    against its predecessor) or as JSON."""
    return Resource(view, "report.html", page=lambda v: {"report": report_page(v, query, list(terms), diff)},
                    payload=lambda v: {"report": report_json(v)})


# The media types an original is sent with: documents a browser hands to a viewer or
# shows as text. Anything else — a web page above all, whose scripts would run on the
# site's own origin if a browser opened it — is sent as a file to save.
KEPT_MEDIA_TYPES = frozenset({
    "application/pdf", "text/plain", "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
})
FILE_TO_SAVE = "application/octet-stream"


def download_type(media_type: str) -> str:
    """The media type to send an original with (`KEPT_MEDIA_TYPES`, else a file to save)."""
    return media_type if media_type in KEPT_MEDIA_TYPES else FILE_TO_SAVE


def original_name(report_id: str, path) -> str:
    """The download name of an original: the report id with the file's own suffix."""
    return report_id + os.path.splitext(str(path))[1]


def ascii_name(report_id: str, path) -> str:
    """A plain-ASCII name for browsers that ignore ``filename*``: the report's year and a
    short hash of its id (report-2023-1a2b3c4d.pdf), so two agencies' reports differ."""
    year = re.search(r"(\d{4})$", report_id)
    digest = hashlib.sha1(report_id.encode("utf-8")).hexdigest()[:8]
    suffix = re.sub(r"[^A-Za-z0-9.]", "", os.path.splitext(str(path))[1])[:10]
    return f"report-{year.group(1) + '-' if year else ''}{digest}{suffix}"


def content_disposition(report_id: str, path) -> str:
    """``attachment`` with the ASCII fallback and the UTF-8 name (RFC 6266 / 5987)."""
    return (f'attachment; filename="{ascii_name(report_id, path)}"; '
            f"filename*=UTF-8''{quote(original_name(report_id, path), safe='')}")
