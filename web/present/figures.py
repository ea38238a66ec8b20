"""The figures resource: agencies side by side on chosen figures, as a page, as JSON and
as CSV and JSON downloads.

`figures_page` turns the engine's `Comparison` (for the `ComparisonRequest` parsed once
by `web.parsing.comparison_request`) into the shown table, one page of rows at a
time; the CSV and JSON downloads and ``/api/figures`` are made from the *same*
`FiguresPage` (`download_header`, `download_rows`), so a download holds the rows and
columns of the table it was asked for, in the same order (the page's download links
ask for its first `max_comparison_rows` rows at once). The table's last column, 体检,
names each report's audit findings.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, url_for

from corpus.report import APPEAL_GROUPS, PROACTIVE_2021, REQUEST_ROWS
from search.comparison import FIXED_COLUMNS, ComparisonRequest
from search.results import Comparison
from search.vocabulary import AUDIT_KINDS, AUDIT_LABELS
from web import labels
from web.present.common import Pager, agency_url, pager, report_url
from web.present.regions import region_options
from web.render import Resource
from web.tables import number

FINDINGS_COLUMN = ("findings", "体检")     # the last column: the report's audit findings
# The choices the form offers: each table-3 row's total, table 4's totals and
# corrections, table 2 (2021 layout). Any other figure key still works in the URL.
FIGURE_CHOICES = (
    *(f"requests.{row}.total" for row in REQUEST_ROWS),
    *(f"appeals.{group}.{cell}" for group in APPEAL_GROUPS for cell in ("total", "corrected")),
    *(f"proactive.{row}.{col}" for row, cols in PROACTIVE_2021.items() for col in cols),
)


@dataclass
class Option:
    value: str
    label: str
    selected: bool


@dataclass
class Column:
    key: str
    label: str
    numeric: bool
    sort_url: str
    sorted: str | None        # "ascending" / "descending" (aria-sort) when sorted by it
    arrow: str


@dataclass
class Cell:
    text: str
    url: str | None = None
    numeric: bool = False


@dataclass
class Row:
    cells: list[Cell]


@dataclass
class FiguresPage:
    columns: list[Column]
    rows: list[Row]
    summary: str
    figure_options: list[Option]
    figures_chosen: int
    region_options: list[Option]
    year_options: list[Option]
    audit_options: list[Option]
    csv_url: str
    json_url: str
    api_url: str
    request: ComparisonRequest
    notice: str = ""              # why fewer figures are compared than were ticked
    partial: str | None = None    # the work budget ran out: the sentence saying so
    total: int = 0                # rows on every page
    pager: Pager | None = None    # links to the other pages
    max_figures: int = 0
    download_header: list[str] = field(default_factory=list)
    download_keys: list[str] = field(default_factory=list)
    download_rows: list[list] = field(default_factory=list)


def figures_page(comparison: Comparison, request: ComparisonRequest, regions: list[str],
                 years: list[int], shown: bool = True) -> FiguresPage:
    """The shown table, the form's options, the page links and the download links; the
    rows' cells with their links only when the table is `shown` (a page, not the API or
    a download: three links a row were most of a 5,000-row download's time)."""
    params = request.to_params()
    columns = []
    for key, label in [*FIXED_COLUMNS.items(),
                       *((k, labels.figure_label(k)) for k in comparison.columns)]:
        current = request.sort == key
        flipped = "asc" if current and request.descending else "desc"
        if not current and key in FIXED_COLUMNS:
            flipped = "asc"
        columns.append(Column(
            key=key, label=label, numeric=key not in FIXED_COLUMNS,
            sort_url=url_for("pages.figures", **{**params, "sort": key, "order": flipped}),
            sorted=("descending" if request.descending else "ascending") if current else None,
            arrow=("▼" if request.descending else "▲") if current else ""))
    columns.append(Column(key=FINDINGS_COLUMN[0], label=FINDINGS_COLUMN[1], numeric=False,
                          sort_url=url_for("pages.figures", **params), sorted=None, arrow=""))
    rows, download_rows = [], []
    for r in comparison.rows:
        findings = "、".join(AUDIT_LABELS[k] for k in r.findings)
        download_rows.append([r.agency, r.region, r.year, *r.values, findings])
        if not shown:
            continue
        rows.append(Row([
            Cell(r.agency, agency_url(r.agency_id)), Cell(r.region),
            Cell(f"{r.year}", report_url(r.report_id)),
            *(Cell(number(v), numeric=True) for v in r.values),
            Cell(findings, url_for("pages.report", report_id=r.report_id, _anchor="audit") if findings else None)]))
    cap = current_app.config["MAX_FIGURE_COLUMNS"]
    notice = (f"一次最多比较 {cap} 个数字，您选了 {len(request.chosen)} 个，下表只列出前 {cap} 个。"
              "请取消勾选一些，再点“比较”。") if request.chosen else ""
    first, last = request.offset + 1, request.offset + len(download_rows)
    span = f"第 {first}–{last} 份" if comparison.total > len(download_rows) and download_rows else ""
    most = current_app.config["MAX_COMPARISON_ROWS"]
    downloads = {**params, "size": most}
    return FiguresPage(
        columns=columns, rows=rows,
        summary=(f"共 {comparison.total} 份报告{('，本页为' + span) if span else ''}；"
                 "点击表头排序，“—”表示报告中没有这个数字。"
                 + (f"下载的文件最多包含前 {most} 份。" if comparison.total > most else "")),
        figure_options=[Option(k, labels.figure_label(k), k in request.asked)
                        for k in dict.fromkeys([*request.asked, *FIGURE_CHOICES])],
        figures_chosen=len(request.asked),
        max_figures=cap,
        region_options=[Option(value, label, chosen) for value, label, chosen
                        in region_options(regions, request.regions[0] if request.regions else None)],
        year_options=[Option(str(y), f"{y} 年度", y in request.years) for y in years],
        audit_options=[Option(k, AUDIT_LABELS[k], k in request.audits) for k in AUDIT_KINDS],
        csv_url=url_for("pages.figures", **downloads, format="csv"),
        json_url=url_for("pages.figures", **downloads, format="json"),
        api_url=url_for("api.figures", **params, page=request.page) if request.page > 1 else url_for("api.figures", **params),
        request=request, notice=notice, partial=comparison.notice if comparison.partial else None,
        total=comparison.total,
        pager=pager(request.page, comparison.total, request.page_size,
                    lambda number: url_for("pages.figures", **params, page=number)),
        download_header=[c.label for c in columns],
        download_keys=[c.key for c in columns],
        download_rows=download_rows,
    )


def figures_json(page: FiguresPage) -> dict:
    """The table as JSON: the same columns and rows as the page and its CSV."""
    request = page.request
    return {
        "figures": list(request.keys),
        "columns": [{"key": k, "label": l} for k, l in zip(page.download_keys, page.download_header)],
        "rows": page.download_rows,
        "total": page.total, "page": request.page, "size": request.page_size,
        "region": list(request.regions), "year": list(request.years),
        "audit": list(request.audits),
        "sort": request.sort, "order": "desc" if request.descending else "asc",
        "partial": page.partial is not None, "notice": page.partial,
    }


def resource(page: FiguresPage) -> Resource:
    """The table as a page or as JSON (the downloads: `web.render.csv_file`, `json_file`)."""
    return Resource(page, "figures.html", page=lambda p: {"page": p}, payload=figures_json)
