"""The whoosh engine's rows for the changes across agencies (`search.changes`).

One `search.changes.FigureRow` per report of the two years asked, read from the
catalog's columns (agency, region, year), its figure columns (`Catalog.figure`, one per
part of a summed figure) and its audit findings (`Catalog.report_findings`); the
listing itself is `search.changes.change_listing`, the same for every engine.

API: `listing(handle, request) -> ChangeListing`.
"""
from __future__ import annotations

from collections import defaultdict

from search.changes import ChangesRequest, FigureRow, change_listing, figure_parts, resolve_years
from search.results import ChangeListing
from search.whoosh.context import snapshot


def listing(handle, request: ChangesRequest) -> ChangeListing:
    """The listing for `request` over the live index."""
    with handle.searcher() as searcher:
        cat = snapshot(handle, searcher).catalog
        years = {cat.year[d] for d in cat.reports}
        wanted = set(resolve_years(request, years))
        parts = [cat.figure(searcher, key) for key in figure_parts(request.figure)]
        findings: dict[str, set[str]] = defaultdict(set)
        for kind, report_ids in cat.report_findings.items():
            for rid in report_ids:
                findings[rid].add(kind)
        rows = [FigureRow(rid, cat.agency[d], cat.region[d], cat.year[d], tuple(part.get(rid) for part in parts),
                          frozenset(findings.get(rid, ())))
                for d in cat.reports if cat.year[d] in wanted for rid in (cat.report_id[d],)]
    return change_listing(request, rows, years)
