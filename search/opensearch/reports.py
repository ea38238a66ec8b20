"""The OpenSearch engine's lookups for the site's pages: a report, an agency, every agency,
the corpus, the audit, an original file, health.

A report's and an agency's page are built by `search.pages` from the stored report
documents (as for whoosh); the listings and counts are aggregations over the report
documents. A missing report or agency gives None (the site answers 404).

API: `get_report`, `get_agency`, `list_agencies`, `corpus_stats`, `audit_overview`,
`get_original`, `report_count` — each taking the
`search.opensearch.connection.Connection` and the `Generation` served.
"""
from __future__ import annotations

import base64
import mimetypes
from collections import defaultdict

from index.ids import agency_id
from index.opensearch import mapping as m
from index.opensearch.reading import REPORT_FIELDS, scan
from search.pages import agency_view, report_view, stored_report
from search.pages import audit_overview as overview_of
from search.results import AgencyListing, AgencyView, AuditOverview, CorpusStats, ReportView
from search.service import OriginalFile

REPORT = {"term": {m.KIND: m.KIND_REPORT}}
# What the listings read of each report document: no JSON, no figures.
BRIEF_FIELDS = [m.REPORT_ID, m.AGENCY, m.REGION, m.YEAR, m.FAILING, m.FINDING]


def _reports(connection, index: str, *conditions, fields=REPORT_FIELDS):
    query = {"bool": {"filter": [REPORT, *conditions]}}
    return [hit["_source"] for hit in scan(connection.client, index, query, fields)]


def get_report(connection, generation, report_id) -> ReportView | None:
    if not isinstance(report_id, str) or not report_id:
        return None
    found = _reports(connection, generation.index, {"term": {m.DOC_ID: report_id}})
    return report_view(stored_report(found[0])) if found else None


def get_agency(connection, generation, wanted) -> AgencyView | None:
    if not isinstance(wanted, str) or not wanted:
        return None
    found = _reports(connection, generation.index, {"term": {m.AGENCY_ID: wanted}})
    return agency_view(wanted, [stored_report(source) for source in found])


def _briefs(connection, generation) -> list[dict]:
    return _reports(connection, generation.index, fields=BRIEF_FIELDS)


def list_agencies(connection, generation) -> list[AgencyListing]:
    """Every agency: region, years reported, reports, failing reports; by region, then name."""
    years: dict[str, list[int]] = defaultdict(list)
    failing: dict[str, int] = defaultdict(int)
    region: dict[str, str] = {}
    latest: dict[str, tuple[int, str]] = {}
    for source in _briefs(connection, generation):
        name, year = source[m.AGENCY], int(source[m.YEAR])
        years[name].append(year)
        failing[name] += bool(source.get(m.FAILING))
        region.setdefault(name, source[m.REGION])
        latest[name] = max(latest.get(name, (year, "")), (year, source[m.REPORT_ID]))
    listings = [AgencyListing(agency=name, agency_id=agency_id(name), region=region[name],
                              years=sorted(set(years[name])), reports=len(years[name]),
                              failing=failing[name], latest_report=latest[name][1]) for name in years]
    listings.sort(key=lambda a: (a.region, a.agency))
    return listings


def report_count(connection, generation) -> int:
    return connection.client.count(index=generation.index, body={"query": REPORT})["count"]


def corpus_stats(connection, generation) -> CorpusStats:
    """Counts of reports, sections, agencies, regions, years, failing reports, and the lists."""
    client, index = connection.client, generation.index
    answer = client.search(index=index, body={
        "size": 0, "track_total_hits": True, "query": REPORT,
        "aggs": {"failing": {"filter": {"term": {m.FAILING: True}}}}})
    sections = client.count(index=index, body={"query": {"term": {m.KIND: m.KIND_SECTION}}})["count"]
    agencies = generation.agencies
    return CorpusStats(reports=answer["hits"]["total"]["value"], sections=sections, agencies=len(agencies),
                       regions=len(generation.regions), years=len(generation.years),
                       failing=answer["aggregations"]["failing"]["doc_count"],
                       region_list=list(generation.regions), agency_list=agencies,
                       year_list=list(generation.years))


def audit_overview(connection, generation) -> AuditOverview:
    """The audit across the corpus (`search.pages.audit_overview`), from every report's brief."""
    return overview_of([(source[m.AGENCY], source[m.REGION], int(source[m.YEAR]),
                         tuple(source.get(m.FINDING) or ())) for source in _briefs(connection, generation)])


def get_original(connection, generation, report_id) -> OriginalFile | None:
    """The report's original file (its own document), or None."""
    if not isinstance(report_id, str) or not report_id:
        return None
    query = {"bool": {"filter": [{"term": {m.KIND: m.KIND_ORIGINAL}}, {"term": {m.REPORT_ID: report_id}}]}}
    hits = connection.client.search(index=generation.index, body={"query": query, "size": 1,
                                                                  "_source": [m.ORIGINAL, m.CONTENT]})["hits"]["hits"]
    if not hits:
        return None
    source = hits[0]["_source"]
    name = source[m.ORIGINAL]
    return OriginalFile(content=base64.b64decode(source[m.CONTENT]),
                        media_type=mimetypes.guess_type(name)[0] or "application/octet-stream", name=name)
