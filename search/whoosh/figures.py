"""The whoosh engine's figures: report-level figure filters and the comparison table.

Every number of a report's three tables is indexed as a sortable column of its report
document (`index.schema.figure_field`), read once per index version into
``{report_id: value}`` (`search.whoosh.catalog.Catalog.figure`). A figure filter
(`search.request.FigureFilter`) passes a report that has the figure and satisfies the
comparison — a figure the report does not print never passes.

`compare(handle, request, budget)` walks the catalog's report documents once, keeps
those passing the request's filters (`search.comparison.ComparisonRequest`), orders
them as `search.comparison.row_order` says and returns the asked page. The walk checks
the work budget (`search.budget.Budget`, as a search does) every `CHECK_EVERY`
reports: spent, it orders what it has and answers ``partial`` (every row true, the
total and the order incomplete), or raises `BudgetSpent` when it has no row yet; a
slow-lane gate that refuses raises `Busy`. Only the asked page's rows get their audit
findings.

API: `compare(handle, request, budget=None) -> Comparison` (the filters themselves:
`search.whoosh.catalog.Catalog.reports_passing`).
"""
from __future__ import annotations

from index.ids import agency_id
from search.budget import PARTIAL_ROWS, Budget, BudgetSpent
from search.comparison import ComparisonRequest, row_order
from search.pages import key_number
from search.regions import expand
from search.results import Comparison, ComparisonRow
from search.whoosh.context import snapshot


CHECK_EVERY = 256      # reports walked between two looks at the budget


def compare(handle, request: ComparisonRequest, budget: Budget | None = None) -> Comparison:
    """The comparison table of the request's figures for the reports passing its filters.
    :raise BudgetSpent: when the budget ran out before any row was found."""
    budget = budget or Budget(None)
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
        rows, ids = [], {}      # agency ids by name: 2,000 agencies, 10,000 reports
        for walked, docnum in enumerate(cat.reports):
            if walked % CHECK_EVERY == 0 and walked and budget.cut():
                break
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
            agency = cat.agency[docnum]
            if agency not in ids:
                ids[agency] = agency_id(agency)
            rows.append(ComparisonRow(
                agency=agency, agency_id=ids[agency],
                report_id=rid, region=cat.region[docnum], year=cat.year[docnum],
                values=[key_number(column.get(rid)) for column in columns]))
        budget.spent()          # the slow lane's gate, for a walk past its share (a sort is next)
        if budget.partial and not rows:
            raise BudgetSpent()
        page = row_order(rows, request)[request.offset:request.offset + request.page_size]
        for row in page:
            row.findings = [k for k, rids in cat.report_findings.items() if row.report_id in rids]
    return Comparison(columns=list(request.keys), rows=page, sort=request.sort, desc=request.descending,
                      total=len(rows), page=request.page, page_size=request.page_size,
                      partial=budget.partial, notice=PARTIAL_ROWS if budget.partial else None)
