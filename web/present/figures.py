"""The figures page: its parameters, the comparison table, and its downloads.

``/figures?figure=requests.new.total&figure=appeals.review.total&region=…&year=…
&audit=late&sort=…&order=desc&format=csv`` (``audit``: only reports with any of
these audit findings; the table's last column, 体检, names each report's findings). `figure_args` parses those once (a bad value is a
`BadRequest`: 400). `figures_page` turns search.figures' `Comparison` into the
shown table; the CSV and JSON downloads and ``/api/figures`` are made from the
*same* `FiguresPage` (`download_header`, `download_rows`), so a download holds
exactly the rows and columns on screen, in the same order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app, url_for

from corpus.report import APPEAL_GROUPS, PROACTIVE_2021, REQUEST_ROWS
from search import reports
from search.figures import compare
from index.audit import KINDS as AUDIT_KINDS
from index.audit import LABELS as AUDIT_LABELS
from search.request import BadRequest, audit_kind, check_figure_key
from search.results import Comparison
from web import labels
from web.present.common import agency_url, report_url
from web.present.regions import region_options
from web.tables import number

DEFAULT_FIGURES = ("requests.new.total", "requests.granted.total",
                   "requests.carried_forward.total", "appeals.review.total")
FIXED_COLUMNS = {"agency": "机关", "region": "地区", "year": "年度"}
FINDINGS_COLUMN = ("findings", "体检")     # the last column: the report's audit findings
FORMATS = ("html", "csv", "json")
# The choices the form offers: each table-3 row's total, table 4's totals and
# corrections, table 2 (2021 layout). Any other figure key still works in the URL.
FIGURE_CHOICES = (
    *(f"requests.{row}.total" for row in REQUEST_ROWS),
    *(f"appeals.{group}.{cell}" for group in APPEAL_GROUPS for cell in ("total", "corrected")),
    *(f"proactive.{row}.{col}" for row, cols in PROACTIVE_2021.items() for col in cols),
)


@dataclass
class FigureArgs:
    keys: list[str]
    region: str | None
    year: int | None
    sort: str                 # "agency", "region", "year" or one of keys
    order: str                # "asc" | "desc"
    format: str
    chosen: list[str] = field(default_factory=list)   # what the reader ticked (may exceed the cap)
    notice: str = ""          # why fewer figures are shown than were ticked
    audits: list[str] = field(default_factory=list)   # audit finding kinds (any of them)

    @property
    def params(self) -> dict:
        """The URL parameters that give this table (format left out)."""
        params = {"figure": self.keys, "sort": self.sort, "order": self.order}
        if self.audits:
            params["audit"] = self.audits
        if self.region:
            params["region"] = self.region
        if self.year:
            params["year"] = self.year
        return params


def _one(args, name: str) -> str | None:
    value = (args.get(name) or "").strip()
    return value or None


def figure_args(args, page: bool = False) -> FigureArgs:
    """Parse the figures page's parameters. :raise BadRequest: with a Chinese sentence.

    Too many figures is an error for the downloads and the API; the page (`page`)
    instead keeps the reader's choice, shows the first ones and says why.
    """
    keys = list(dict.fromkeys(k.strip() for k in args.getlist("figure") if k.strip()))
    keys = [check_figure_key(k) for k in keys] or list(DEFAULT_FIGURES)
    chosen, notice = list(keys), ""
    cap = current_app.config["MAX_FIGURE_COLUMNS"]
    if len(keys) > cap:
        if not page or (_one(args, "format") or "html") != "html":
            raise BadRequest(f"一次最多比较 {cap} 个数字。")
        notice = (f"一次最多比较 {cap} 个数字，您选了 {len(keys)} 个，下表只列出前 {cap} 个。"
                  "请取消勾选一些，再点“比较”。")
        keys = keys[:cap]
    region = _one(args, "region")
    if region and len(region) > 100:
        raise BadRequest("地区名称过长。")
    year = _one(args, "year")
    if year is not None:
        if not re.fullmatch(r"\d{4}", year):
            raise BadRequest(f"年度“{year[:20]}”不是有效的年份。")
        year = int(year)
    sort = _one(args, "sort") or "agency"
    if sort not in FIXED_COLUMNS and sort not in keys:
        raise BadRequest("只能按表中的一列排序。")
    order = _one(args, "order") or ("asc" if sort in FIXED_COLUMNS else "desc")
    if order not in ("asc", "desc"):
        raise BadRequest("排序方向只能是 asc（升序）或 desc（降序）。")
    fmt = _one(args, "format") or "html"
    if fmt not in FORMATS:
        raise BadRequest("下载格式只能是 csv 或 json。")
    audits = list(dict.fromkeys(audit_kind(v.strip()) for v in args.getlist("audit") if v.strip()))
    return FigureArgs(keys, region, year, sort, order, fmt, chosen, notice, audits)


def compare_arguments(args: FigureArgs) -> dict:
    """Keyword arguments for search.figures.compare."""
    figure_sort = args.sort if args.sort in args.keys else None
    return {"keys": args.keys, "region": args.region, "year": args.year,
            "sort": figure_sort, "desc": args.order == "desc", "audits": args.audits}


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
    args: FigureArgs
    max_figures: int = 0
    download_header: list[str] = field(default_factory=list)
    download_keys: list[str] = field(default_factory=list)
    download_rows: list[list] = field(default_factory=list)


def _ordered(comparison: Comparison, args: FigureArgs) -> list:
    """Rows in the asked order; a figure sort is already done by search.figures."""
    if args.sort not in FIXED_COLUMNS:
        return comparison.rows
    rows = sorted(comparison.rows, key=lambda r: (r.agency, r.year))
    return sorted(rows, key=lambda r: getattr(r, args.sort), reverse=args.order == "desc")


def figures_page(comparison: Comparison, args: FigureArgs, regions: list[str],
                 years: list[int]) -> FiguresPage:
    """The shown table, the form's options and the download links."""
    columns = []
    for key, label in [*FIXED_COLUMNS.items(),
                       *((k, labels.figure_label(k)) for k in comparison.columns)]:
        current = args.sort == key
        flipped = "asc" if current and args.order == "desc" else "desc"
        if not current and key in FIXED_COLUMNS:
            flipped = "asc"
        columns.append(Column(
            key=key, label=label, numeric=key not in FIXED_COLUMNS,
            sort_url=url_for("pages.figures", **{**args.params, "sort": key, "order": flipped}),
            sorted=("descending" if args.order == "desc" else "ascending") if current else None,
            arrow=("▼" if args.order == "desc" else "▲") if current else ""))
    columns.append(Column(key=FINDINGS_COLUMN[0], label=FINDINGS_COLUMN[1], numeric=False,
                          sort_url=url_for("pages.figures", **args.params), sorted=None, arrow=""))
    rows, download_rows = [], []
    for r in _ordered(comparison, args):
        findings = "、".join(AUDIT_LABELS[k] for k in r.findings)
        rows.append(Row([
            Cell(r.agency, agency_url(r.agency_id)), Cell(r.region),
            Cell(f"{r.year}", report_url(r.report_id)),
            *(Cell(number(v), numeric=True) for v in r.values),
            Cell(findings, url_for("pages.report", report_id=r.report_id, _anchor="audit") if findings else None)]))
        download_rows.append([r.agency, r.region, r.year, *r.values, findings])
    return FiguresPage(
        columns=columns, rows=rows,
        summary=f"共 {len(rows)} 份报告；点击表头排序，“—”表示报告中没有这个数字。",
        figure_options=[Option(k, labels.figure_label(k), k in (args.chosen or args.keys))
                        for k in dict.fromkeys([*(args.chosen or args.keys), *FIGURE_CHOICES])],
        figures_chosen=len(args.chosen or args.keys),
        max_figures=current_app.config["MAX_FIGURE_COLUMNS"],
        region_options=[Option(value, label, chosen) for value, label, chosen in region_options(regions, args.region)],
        year_options=[Option(str(y), f"{y} 年度", y == args.year) for y in years],
        audit_options=[Option(k, AUDIT_LABELS[k], k in args.audits) for k in AUDIT_KINDS],
        csv_url=url_for("pages.figures", **args.params, format="csv"),
        json_url=url_for("pages.figures", **args.params, format="json"),
        api_url=url_for("api.figures", **args.params),
        args=args,
        download_header=[c.label for c in columns],
        download_keys=[c.key for c in columns],
        download_rows=download_rows,
    )


def figures_json(page: FiguresPage) -> dict:
    """The table as JSON: the same columns and rows as the page and its CSV."""
    return {
        "figures": page.args.keys,
        "columns": [{"key": k, "label": l} for k, l in zip(page.download_keys, page.download_header)],
        "rows": page.download_rows,
        "region": page.args.region, "year": page.args.year, "audit": page.args.audits,
        "sort": page.args.sort, "order": page.args.order,
    }


def load(handle, args, page: bool = False) -> FiguresPage:
    """The comparison the figures page (`page`), its downloads and /api/figures all show."""
    parsed = figure_args(args, page)
    comparison = compare(handle, **compare_arguments(parsed))
    stats = reports.corpus_stats(handle)
    return figures_page(comparison, parsed, stats.region_list, stats.year_list)
