"""The figures resource: agencies side by side on chosen figures, as a page, as JSON and
as CSV and JSON downloads.

`figures_page` turns search.figures' `Comparison` (for the parameters parsed once by
`web.parsing.figure_args`) into the shown table; the CSV and JSON downloads and
``/api/figures`` are made from the *same* `FiguresPage` (`download_header`,
`download_rows`), so a download holds exactly the rows and columns on screen, in the
same order. The table's last column, 体检, names each report's audit findings.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, url_for

from corpus.report import APPEAL_GROUPS, PROACTIVE_2021, REQUEST_ROWS
from index.audit import KINDS as AUDIT_KINDS
from index.audit import LABELS as AUDIT_LABELS
from search.results import Comparison
from web import labels
from web.parsing import FIXED_COLUMNS, FigureArgs
from web.present.common import agency_url, report_url
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


def resource(page: FiguresPage) -> Resource:
    """The table as a page or as JSON (the downloads: `web.render.csv_file`, `json_file`)."""
    return Resource(page, "figures.html", page=lambda p: {"page": p}, payload=figures_json)
