"""The figures comparison: its request, parsed once, and the order of its rows.

A comparison is the table a journalist wants: one row per report (agency, year), one
column per chosen figure key, narrowed by region (a region takes in the regions
within it), year, agency, audit findings (reports having any of the chosen kinds) and
figure conditions (``requests.new.total>=1``), ordered by any column. Every engine
returns it as a `search.results.Comparison`, rows in the order `row_order` states:

- by agency, region or year (``sort``), then agency, then year (oldest first);
- by a figure: reports having it first, by its value (largest first, or smallest with
  ``order=asc``); reports lacking it last, whatever the direction; ties and the
  reports lacking it by agency, then year (newest first).

`ComparisonRequest.from_params(params, settings)` reads a mapping of parameter name
to value (like `search.request.SearchRequest.from_params`):

========  ===========================================================  ==============
name      meaning                                                      invalid value
========  ===========================================================  ==============
figure    a figure key, repeatable: the columns (default: four)        unknown key
region    a region, repeatable                                         too long
year      a year, repeatable                                           not a year
agency    an agency, repeatable                                        too long
audit     an audit finding kind, repeatable                            unknown kind
fig       a figure condition, repeatable, all must hold                bad syntax
sort      agency · region · year · a figure key (compared too, as the   anything else
          last column, when not among ``figure``)
order     asc · desc (default: asc for agency/region/year, else desc)  anything else
page      1, 2, …                                                      not a number
size      rows per page, capped                                        not a number
========  ===========================================================  ==============

More figures than ``max_figure_columns`` is a `BadRequest`, unless ``cut_columns``
(the site's own page): then the first ones are compared and ``chosen`` keeps what was
asked, so the page can say so.

API: `ComparisonRequest`, `DEFAULT_FIGURES`, `FIXED_COLUMNS`, `sort_keys(request)`, `row_order(rows, request)`,
`to_csv(comparison)`.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from search.request import (
    BadRequest, FigureFilter, Values, audit_kind, check_figure_key, figure_filters, limited, nfkc_chars,
    page_number, page_size, texts, year,
)
from search.results import Comparison, ComparisonRow
from config.settings import DEFAULTS, Settings

DEFAULT_FIGURES = ("requests.new.total", "requests.granted.total",
                   "requests.carried_forward.total", "appeals.review.total")
# The columns every row has before its figures, with their headings.
FIXED_COLUMNS = {"agency": "机关", "region": "地区", "year": "年度"}
ORDERS = ("asc", "desc")


@dataclass(frozen=True)
class ComparisonRequest:
    """One comparison, typed and bounded (see the module docstring)."""

    keys: tuple[str, ...] = DEFAULT_FIGURES
    chosen: tuple[str, ...] = ()          # the figures asked for, when more than could be shown
    regions: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    agencies: tuple[str, ...] = ()
    audits: tuple[str, ...] = ()
    figure_filters: tuple[FigureFilter, ...] = ()
    sort: str = "agency"                  # agency | region | year | one of `keys`
    descending: bool = False
    page: int = 1
    page_size: int = DEFAULTS.comparison_rows

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def figure_sort(self) -> str | None:
        """The figure key rows are ordered by, if any."""
        return None if self.sort in FIXED_COLUMNS else self.sort

    @property
    def asked(self) -> tuple[str, ...]:
        """Every figure the reader asked for (more than `keys` when they were too many)."""
        return self.chosen or self.keys

    @classmethod
    def from_params(cls, params, settings: Settings = DEFAULTS, cut_columns: bool = False) -> "ComparisonRequest":
        """Parse the parameters (see the module docstring). :raise BadRequest:"""
        values = Values(params)
        keys = tuple(dict.fromkeys(check_figure_key(nfkc_chars(k)) for k in values.many("figure"))) \
            or DEFAULT_FIGURES
        chosen: tuple[str, ...] = ()
        cap = settings.max_figure_columns
        if len(keys) > cap:
            if not cut_columns:
                raise BadRequest(f"一次最多比较 {cap} 个数字。")
            chosen, keys = keys, keys[:cap]
        sort = nfkc_chars(values.one("sort") or "agency")
        if sort not in FIXED_COLUMNS:
            # A figure to sort by is compared too: the last column (beyond the cap, if need be).
            keys = keys if sort in keys else (*keys, check_figure_key(sort))
        order = nfkc_chars(values.one("order") or ("asc" if sort in FIXED_COLUMNS else "desc")).lower()
        if order not in ORDERS:
            raise BadRequest("排序方向只能是 asc（升序）或 desc（降序）。")

        def many(name: str, label: str) -> list[str]:
            return limited(values.many(name), label, settings)

        return cls(
            keys=keys, chosen=chosen,
            regions=texts(many("region", "地区"), "地区", settings),
            years=tuple(dict.fromkeys(year(v) for v in many("year", "年度"))),
            agencies=texts(many("agency", "机关"), "机关", settings),
            audits=tuple(dict.fromkeys(audit_kind(v) for v in many("audit", "体检"))),
            figure_filters=figure_filters(values.many("fig"), settings),
            sort=sort, descending=order == "desc",
            page=page_number(values.one("page"), settings),
            page_size=page_size(values.one("size"), settings.comparison_rows,
                                settings.max_comparison_rows),
        )

    def to_params(self) -> dict[str, list[str]]:
        """The parameters that parse back to this request (for links), page left out."""
        params = {
            "figure": list(self.asked), "region": list(self.regions), "year": [str(y) for y in self.years],
            "agency": list(self.agencies), "audit": list(self.audits),
            "fig": [str(item) for item in self.figure_filters],
            "sort": [self.sort], "order": ["desc" if self.descending else "asc"],
        }
        return {name: values for name, values in params.items() if values}


def sort_keys(request: ComparisonRequest) -> list[tuple[str, bool]]:
    """The row order as (column, descending) keys, the most significant first (see the
    module docstring); a figure column puts the rows lacking it last in either direction.
    Every engine orders its rows by these."""
    key = request.figure_sort
    if key is None:
        return [(request.sort, request.descending), ("agency", False), ("year", False)]
    return [(key, request.descending), ("agency", False), ("year", True)]


def row_order(rows: list[ComparisonRow], request: ComparisonRequest) -> list[ComparisonRow]:
    """`rows` in the request's order (`sort_keys`); `rows[i].values` are in the order of
    ``request.keys``."""
    rows = list(rows)
    for column, descending in reversed(sort_keys(request)):   # least significant first, each sort stable
        if column in FIXED_COLUMNS:
            rows.sort(key=lambda row: getattr(row, column), reverse=descending)
            continue
        at = request.keys.index(column)
        present = [row for row in rows if row.values[at] is not None]
        present.sort(key=lambda row: row.values[at], reverse=descending)
        rows = present + [row for row in rows if row.values[at] is None]
    return rows


def to_csv(comparison: Comparison) -> str:
    """The table as CSV: 机关, 地区, 年度, 报告, then one column per figure key."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["机关", "地区", "年度", "报告", *comparison.columns])
    for row in comparison.rows:
        writer.writerow([_cell(row.agency), _cell(row.region), row.year, row.report_id,
                         *("" if v is None else v for v in row.values)])
    return out.getvalue()


def _cell(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
