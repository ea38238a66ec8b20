"""The OpenSearch engine's rows for the changes across agencies (`search.changes`).

One `search.changes.FigureRow` per report document of the two years asked: its id,
agency, region, year and audit finding kinds from ``_source``, the values of the
figure's parts (one for a figure, each part of a summed one) from their doc values
(figures are not kept in ``_source``: index/opensearch/mapping.md), read a page at a
time in ``doc_id`` order. The years the index holds are the served generation's. The
listing itself is `search.changes.change_listing`, the same for every engine.

API: `listing(connection, generation, request) -> ChangeListing`.
"""
from __future__ import annotations

from index.opensearch import mapping as m
from index.opensearch.reading import scan
from search.changes import ChangesRequest, FigureRow, change_listing, figure_parts, resolve_years
from search.results import ChangeListing

ROW_FIELDS = [m.REPORT_ID, m.AGENCY, m.REGION, m.YEAR, m.FINDING]


def _value(fields: dict, name: str) -> float | None:
    found = fields.get(name)
    return float(found[0]) if found else None


def listing(connection, generation, request: ChangesRequest) -> ChangeListing:
    """The listing for `request` over the served generation."""
    years = generation.years
    wanted = sorted(set(resolve_years(request, years)))
    parts = [m.FIGURE_FIELDS[key] for key in figure_parts(request.figure)]
    query = {"bool": {"filter": [{"term": {m.KIND: m.KIND_REPORT}}, {"terms": {m.YEAR: wanted}}]}}
    rows = []
    for hit in scan(connection.client, generation.index, query, ROW_FIELDS, docvalue_fields=parts):
        source, fields = hit["_source"], hit.get("fields", {})
        rows.append(FigureRow(source[m.REPORT_ID], source[m.AGENCY], source[m.REGION], int(source[m.YEAR]),
                              tuple(_value(fields, name) for name in parts),
                              frozenset(source.get(m.FINDING) or ())))
    return change_listing(request, rows, years)
