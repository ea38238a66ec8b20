"""The figures comparison on OpenSearch: the report documents its request selects, in its order.

A `search.comparison.ComparisonRequest`'s filters become a query on the report
documents (a region takes in the regions within it; audit kinds: any of them; each
figure condition must hold, a report lacking the figure never passing), sorted as
`search.comparison.sort_keys` says — agency, region and year as they are, a figure
column with the reports lacking it last whichever the direction — and paged
(`search.opensearch.paging`: from/size, ``search_after`` past the result window). The
total is the query's hit count. The figures are read from the documents' doc values
(they are not kept in ``_source``: index/opensearch/mapping.md).

API: `compare(connection, generation, request, budget=None) -> Comparison`.
"""
from __future__ import annotations

from index.opensearch import mapping as m
from search.comparison import FIXED_COLUMNS, ComparisonRequest, sort_keys
from search.opensearch.connection import answering
from search.opensearch.paging import page
from search.opensearch.query import report_clauses, values_clause
from search.pages import key_number
from search.regions import expand
from search.results import Comparison, ComparisonRow
from search.vocabulary import AUDIT_KINDS

ROW_FIELDS = [m.REPORT_ID, m.AGENCY, m.AGENCY_ID, m.REGION, m.YEAR, m.FINDING]
COLUMNS = {"agency": m.AGENCY, "region": m.REGION, "year": m.YEAR}


def _sort(request: ComparisonRequest) -> list:
    sort = []
    for column, descending in sort_keys(request):
        direction = "desc" if descending else "asc"
        if column in FIXED_COLUMNS:
            sort.append({COLUMNS[column]: direction})
        else:
            sort.append({m.FIGURE_FIELDS[column]: {"order": direction, "missing": "_last"}})
    return sort + [{m.DOC_ID: "asc"}]


def _query(request: ComparisonRequest, regions) -> dict:
    clauses = [{"term": {m.KIND: m.KIND_REPORT}}]
    if request.regions:
        clauses.append(values_clause("region", expand(request.regions, regions)))
    for facet, chosen in (("year", request.years), ("agency", request.agencies), ("audit", request.audits)):
        if chosen:
            clauses.append(values_clause(facet, chosen))
    clauses += report_clauses(figure_filters=request.figure_filters)
    return {"bool": {"filter": clauses}}


def _row(hit: dict, request: ComparisonRequest) -> ComparisonRow:
    source, figures = hit["_source"], hit.get("fields", {})
    findings = set(source.get(m.FINDING) or ())
    values = [figures.get(m.FIGURE_FIELDS[key]) for key in request.keys]
    return ComparisonRow(agency=source[m.AGENCY], agency_id=source[m.AGENCY_ID], report_id=source[m.REPORT_ID],
                         region=source[m.REGION], year=int(source[m.YEAR]),
                         values=[key_number(value[0]) if value else None for value in values],
                         findings=[kind for kind in AUDIT_KINDS if kind in findings])


def compare(connection, generation, request: ComparisonRequest) -> Comparison:
    """The comparison table's asked page (see the module docstring)."""
    body = {"query": _query(request, generation.regions), "sort": _sort(request), "track_total_hits": True,
            "_source": ROW_FIELDS, "docvalue_fields": [m.FIGURE_FIELDS[key] for key in request.keys]}
    with answering(connection.settings):
        hits, answer = page(lambda part: connection.client.search(index=generation.index, body=part),
                            body, request.offset, request.page_size)
    return Comparison(columns=list(request.keys), rows=[_row(hit, request) for hit in hits],
                      sort=request.sort, desc=request.descending, total=answer["hits"]["total"]["value"],
                      page=request.page, page_size=request.page_size)
