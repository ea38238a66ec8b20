"""What the build, ``add``, ``remove`` and ``audit`` read back from an OpenSearch generation.

The stored report documents (`StoredReports`: by id, and those of some agencies and
years, for `index.audit.update.audit_change`), the ids of every report served (the
build's prune check), the generation document (its jieba dictionary), a report's
documents (to delete them), and what the index holds (`counts`, for the summary) —
all read from the index itself, never from what a build meant to write.

Large reads page with ``search_after`` over the unique ``doc_id`` (no scroll context is
left open on the cluster).

API: `StoredReports(client, index)`, `served_report_ids(client, index)`,
`generation(client, index) -> dict | None`, `report_documents(client, index, report_id)`,
`counts(client, index) -> dict`, `every_report(client, index) -> list[dict]`, `scan`.
"""
from __future__ import annotations

from typing import Iterator

from opensearchpy.exceptions import NotFoundError

from index.audit.stored import audit_row, by_agency_and_year
from index.opensearch import mapping as m

PAGE = 1000
# What a stored report document is read with: everything but its figures (they are in
# its JSON) and the large fields of other kinds.
REPORT_FIELDS = [m.KIND, m.DOC_ID, m.REPORT_ID, m.AGENCY, m.REGION, m.YEAR, m.TEMPLATE, m.FAILING,
                 m.PUBLISHED, m.SOURCE, m.SOURCE_URL, m.ORIGINAL, m.REPORT_JSON, m.FINDINGS_JSON,
                 m.CHANGES_JSON]


def scan(client, index: str, query: dict, fields, sort_field: str = m.DOC_ID,
         page: int = PAGE, docvalue_fields=()) -> Iterator[dict]:
    """Every hit of `query` (its ``_source`` limited to `fields`; False: none; and the
    `docvalue_fields` in its ``fields``), in `sort_field` order, read a page at a time
    with search_after."""
    after = None
    while True:
        body = {"query": query, "size": page, "sort": [{sort_field: "asc"}], "_source": fields,
                "track_total_hits": False}
        if docvalue_fields:
            body["docvalue_fields"] = list(docvalue_fields)
        if after is not None:
            body["search_after"] = after
        hits = client.search(index=index, body=body)["hits"]["hits"]
        yield from hits
        if len(hits) < page:
            return
        after = hits[-1]["sort"]


def _kind(kind: str) -> dict:
    return {"term": {m.KIND: kind}}


def _reports(*conditions: dict) -> dict:
    return {"bool": {"filter": [_kind(m.KIND_REPORT), *conditions]}}


class StoredReports:
    """`index.audit.update.StoredReports` of an OpenSearch index."""

    def __init__(self, client, index: str):
        self.client, self.index = client, index

    def report(self, report_id: str) -> dict | None:
        hits = list(scan(self.client, self.index, _reports({"term": {m.DOC_ID: report_id}}), REPORT_FIELDS))
        return hits[0]["_source"] if hits else None

    def reports(self, report_ids) -> dict[str, dict | None]:
        """Each id's stored report document (None: not in the index)."""
        ids = list(dict.fromkeys(report_ids))
        found = {hit["_source"][m.REPORT_ID]: hit["_source"] for hit in
                 scan(self.client, self.index, _reports({"terms": {m.DOC_ID: ids}}), REPORT_FIELDS)}
        return {rid: found.get(rid) for rid in ids}

    def neighbours(self, agencies: set[str], years: set[int]) -> dict[str, dict]:
        either = [{"terms": {m.AGENCY: sorted(agencies)}}] if agencies else []
        either += [{"terms": {m.YEAR: sorted(years)}}] if years else []
        if not either:
            return {}
        query = _reports({"bool": {"should": either, "minimum_should_match": 1}})
        return {hit["_source"][m.REPORT_ID]: hit["_source"]
                for hit in scan(self.client, self.index, query, REPORT_FIELDS)}


def served_report_ids(client, index: str | None) -> set[str]:
    """The ids of every report `index` serves (none when there is no index)."""
    if index is None:
        return set()
    return {hit["_id"] for hit in scan(client, index, _kind(m.KIND_REPORT), False)}


def generation(client, index: str) -> dict | None:
    """The generation document's content (`index.opensearch.documents.generation_source`)."""
    try:
        found = client.get(index=index, id=m.GENERATION_ID, routing=m.GENERATION_ID)
    except NotFoundError:
        return None
    return found["_source"].get(m.GENERATION)


def report_documents(client, index: str, report_id: str) -> list[tuple[str, str]]:
    """(id, routing) of every document of a report: its sections, itself, its original."""
    return [(hit["_id"], hit.get("_routing") or m.GENERATION_ID)
            for hit in scan(client, index, {"term": {m.REPORT_ID: report_id}}, False)]


def counts(client, index: str) -> dict:
    """Reports, sections, agencies and years (year -> reports) the index holds."""
    def count(kind: str) -> int:
        return client.count(index=index, body={"query": _kind(kind)})["count"]

    agencies, after = 0, None
    while True:      # distinct agencies, exactly: a composite aggregation a page at a time
        composite = {"size": PAGE, "sources": [{"agency": {"terms": {"field": m.AGENCY}}}]}
        if after:
            composite["after"] = after
        answer = client.search(index=index, body={"size": 0, "query": _kind(m.KIND_REPORT),
                                                  "aggs": {"agencies": {"composite": composite}}})
        found = answer["aggregations"]["agencies"]
        agencies += len(found["buckets"])
        after = found.get("after_key")
        if not found["buckets"] or after is None:
            break
    answer = client.search(index=index, body={"size": 0, "query": _kind(m.KIND_REPORT),
                                              "aggs": {"years": {"terms": {"field": m.YEAR, "size": 1000}}}})
    years = {int(b["key"]): b["doc_count"] for b in answer["aggregations"]["years"]["buckets"]}
    return {"reports": count(m.KIND_REPORT), "sections": count(m.KIND_SECTION), "agencies": agencies,
            "years": dict(sorted(years.items()))}


def every_report(client, index: str) -> list[dict]:
    """`index.audit.stored.audit_row` of every report, ordered by agency then year."""
    return by_agency_and_year([audit_row(hit["_source"]) for hit in
                               scan(client, index, _kind(m.KIND_REPORT),
                                    [m.REPORT_ID, m.AGENCY, m.YEAR, m.FINDINGS_JSON])])
