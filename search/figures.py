"""Figures: filter reports by expressions on any figure, sort by any figure, compare.

Every number of a report's three tables is indexed as a sortable column of its report
document (`index.schema.figure_field`). A figure filter is ``key op number``
(``requests.new.total>=1``, ``appeals.suit_direct.total>0``; ops ``>= <= > < = == !=``,
parsed by `search.request.parse_figure_filter`); a report passes when it has the
figure and the comparison holds — a figure the report does not print never passes.

`compare` gives the table a journalist wants: one row per report (agency, year), one
column per chosen figure key, optionally narrowed to a region or year, by figure
filters and by audit findings (reports having any of the chosen kinds), sorted by any
figure (reports lacking it last, whatever the direction). Each row carries the kinds
of its report's audit findings (`index.audit`).
`to_csv` writes it for download; ``dataclasses.asdict`` gives the JSON.

API: `compare(handle, keys, region=None, year=None, filters=(), sort=None, desc=True,
agency=None, audits=()) -> Comparison`, `reports_passing(searcher, catalog, filters) -> set[report_id]`,
`to_csv(comparison) -> str`, `MAX_COLUMNS`.
"""
from __future__ import annotations

import csv
import io

from index.ids import agency_id
from search.context import snapshot
from search.regions import expand
from search.request import BadRequest, FigureFilter, check_figure_key, parse_figure_filter
from search.results import Comparison, ComparisonRow
from search.settings import DEFAULTS, settings_of

MAX_COLUMNS = DEFAULTS.max_figure_columns   # the handle's settings may say otherwise


def _filters(filters) -> list[FigureFilter]:
    return [item if isinstance(item, FigureFilter) else parse_figure_filter(item) for item in filters]


def reports_passing(searcher, cat, filters) -> set[str]:
    """Report ids passing every figure filter (within one searcher block)."""
    passing: set[str] | None = None
    for item in _filters(filters):
        values = cat.figure(searcher, item.key)
        ok = {rid for rid, value in values.items() if item.test(value)}
        passing = ok if passing is None else passing & ok
    if passing is None:
        return {cat.report_id[d] for d in cat.reports}
    return passing


def _as_set(value) -> set | None:
    if value is None or value == "" or value == ():
        return None
    if isinstance(value, (str, int)):
        return {value}
    return set(value) or None


def _number(value: float | None):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def compare(handle, keys, region=None, year=None, filters=(), sort=None, desc=True,
            agency=None, audits=()) -> Comparison:
    """The comparison table of `keys` for the reports passing the filters.

    `region`, `year`, `agency` take one value or several (a region includes the regions
    within it: 海东市 takes in 海东市平安区); `filters` figure filters
    (strings or `FigureFilter`); `audits` audit finding kinds (a report passes with
    any of them); `sort` a figure key (it need not be a column).
    :raise BadRequest: for an unknown figure key, a bad filter or too many columns.
    """
    keys = list(dict.fromkeys(check_figure_key(key) for key in keys))
    max_columns = settings_of(handle).max_figure_columns
    if len(keys) > max_columns:
        raise BadRequest(f"最多比较 {max_columns} 个统计指标。")
    if sort is not None:
        check_figure_key(sort)
    filters = _filters(filters)
    regions, years, agencies = _as_set(region), _as_set(year), _as_set(agency)
    if years is not None:
        years = {int(y) for y in years}
    with handle.searcher() as searcher:
        cat = snapshot(handle, searcher).catalog
        passing = reports_passing(searcher, cat, filters) if filters else None
        columns = [cat.figure(searcher, key) for key in keys]
        order = cat.figure(searcher, sort) if sort else None
        if regions is not None:      # a region takes in the regions within it
            regions = expand(regions, {cat.region[d] for d in cat.reports})
        audited = frozenset().union(*(cat.report_findings.get(k, ()) for k in audits)) if audits else None
        rows = []
        for docnum in cat.reports:
            rid = cat.report_id[docnum]
            if regions is not None and cat.region[docnum] not in regions:
                continue
            if years is not None and cat.year[docnum] not in years:
                continue
            if agencies is not None and cat.agency[docnum] not in agencies:
                continue
            if passing is not None and rid not in passing:
                continue
            if audited is not None and rid not in audited:
                continue
            rows.append(ComparisonRow(
                agency=cat.agency[docnum], agency_id=agency_id(cat.agency[docnum]),
                report_id=rid, region=cat.region[docnum], year=cat.year[docnum],
                values=[_number(column.get(rid)) for column in columns],
                findings=[k for k, rids in cat.report_findings.items() if rid in rids]))
    rows.sort(key=lambda row: (row.agency, -row.year))
    if order is not None:
        present = [row for row in rows if row.report_id in order]
        missing = [row for row in rows if row.report_id not in order]
        present.sort(key=lambda row: order[row.report_id], reverse=desc)
        rows = present + missing
    return Comparison(columns=keys, rows=rows, sort=sort, desc=desc)


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
