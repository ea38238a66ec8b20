"""The whoosh engine's figures: report-level figure filters and the comparison table.

Every number of a report's three tables is indexed as a sortable column of its report
document (`index.schema.figure_field`), read once per index version into
``{report_id: value}`` (`search.whoosh.catalog.Catalog.figure`). A figure filter
(`search.request.FigureFilter`) passes a report that has the figure and satisfies the
comparison — a figure the report does not print never passes.

`compare(handle, request)` walks the catalog's report documents once, keeps those
passing the request's filters (`search.comparison.ComparisonRequest`), orders them as
`search.comparison.row_order` says and returns the asked page.

API: `compare(handle, request) -> Comparison` (the filters themselves:
`search.whoosh.catalog.Catalog.reports_passing`).
"""
from __future__ import annotations

from index.ids import agency_id
from search.comparison import ComparisonRequest, row_order
from search.pages import key_number
from search.regions import expand
from search.results import Comparison, ComparisonRow
from search.whoosh.context import snapshot


def compare(handle, request: ComparisonRequest) -> Comparison:
    """The comparison table of the request's figures for the reports passing its filters."""
    years = set(request.years) or None
    agencies = set(request.agencies) or None
    with handle.searcher() as searcher:
        cat = snapshot(handle, searcher).catalog
        passing = cat.reports_passing(searcher, request.figure_filters) if request.figure_filters else None
        columns = [cat.figure(searcher, key) for key in request.keys]
        # A region takes in the regions within it.
        regions = expand(request.regions, {cat.region[d] for d in cat.reports}) if request.regions else None
        audited = frozenset().union(*(cat.report_findings.get(k, ()) for k in request.audits)) \
            if request.audits else None
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
                values=[key_number(column.get(rid)) for column in columns],
                findings=[k for k, rids in cat.report_findings.items() if rid in rids]))
    ordered = row_order(rows, request)
    return Comparison(columns=list(request.keys), rows=ordered[request.offset:request.offset + request.page_size],
                      sort=request.sort, desc=request.descending, total=len(ordered),
                      page=request.page, page_size=request.page_size)
