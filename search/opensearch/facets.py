"""Multi-select facet counts and the agencies summary as OpenSearch aggregations.

A section counts towards facet F's values when it passes every filter *except F's
own* (picking 海东市 still shows how many sections the other regions would give). The
search's ``query`` is the match alone; the filters go to the ``post_filter`` (they
narrow the hits, not the aggregations), and each facet is a ``filter`` aggregation
of the report-level filters and every *other* facet's filter around a ``terms``
aggregation of its field. The counts are exact:

* agency: the top `search.facets.MAX_FACET_VALUES` by count, then name — every
  document of an agency is on one shard (documents are routed by agency), so each
  shard's top values hold the whole index's — and the chosen agencies' own counts
  (``include``), so a chosen value is shown even when it is not among the top;
* region, year, section, audit kinds, change classes: every value, each shard asked
  for all of them
  (``shard_size``: the number of values the index holds), so no count is cut.

Each column facet's ``filter`` count is the sum of all its values' counts (one value
per section), which is what `search.facets.without_each_filter` reads when a facet's
only chosen value is dropped. (A section has several audit kinds, or none, and no
change class when its report has no predecessor: those two facets count their values
alone, as whoosh's do.) An ``all`` aggregation counts the query's matches with no
filter at all.

The agencies summary counts, over the hits, each agency's sections and its reports
(the distinct years of its hits: a report is an agency's year), ordered as
`search.facets.order_agencies` orders them, and how many agencies have a hit (a
``cardinality``: HyperLogLog++, exact in practice below its threshold of 40,000).

API: `aggregations(facets, report_level, generation, request)`,
`counts(aggregations, request) -> (counts, totals)`, `summaries(aggregations, generation)`.
"""
from __future__ import annotations

from collections import Counter

from index.ids import agency_id
from index.opensearch import mapping as m
from search.facets import MAX_AGENCIES, MAX_FACET_VALUES, order_agencies
from search.opensearch.query import FACET_FIELDS
from search.request import SearchRequest
from search.results import AgencySummary
from search.vocabulary import AUDIT_KINDS, CHANGE_CLASSES, FACETS, SECTION_KEYS

EXACT_BELOW = 40_000       # the agencies' cardinality's precision threshold
BY_COUNT = [{"_count": "desc"}, {"_key": "asc"}]


def _both(clauses: list[dict]) -> dict:
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def _sizes(generation) -> dict[str, int]:
    """How many values each facet's field can take in this generation."""
    return {"agency": MAX_FACET_VALUES, "region": max(len(generation.regions), 1),
            "year": max(len(generation.years), 1), "section": len(SECTION_KEYS) + 1,
            "audit": len(AUDIT_KINDS) + 1, "change": len(CHANGE_CLASSES) + 1}


def aggregations(facets: dict[str, dict], report_level: list[dict], generation,
                 request: SearchRequest) -> dict:
    """The aggregations of one search (see the module docstring). `facets`: the chosen
    facet filters by facet; `report_level`: the other filters."""
    sizes = _sizes(generation)
    found = {"all": {"filter": {"match_all": {}}}}
    for facet in FACETS:
        scope = report_level + [clause for other, clause in facets.items() if other != facet]
        size = sizes[facet]
        inner = {"values": {"terms": {"field": FACET_FIELDS[facet], "size": size, "shard_size": size,
                                      "order": BY_COUNT}}}
        chosen = request.filters[facet]
        if facet == "agency" and chosen:
            inner["chosen"] = {"terms": {"field": m.AGENCY, "include": sorted(chosen), "size": len(chosen)}}
        found[facet] = {"filter": _both(scope), "aggs": inner}
    found["agencies"] = {"filter": _both(report_level + list(facets.values())), "aggs": {
        "names": {"terms": {"field": m.AGENCY, "size": MAX_AGENCIES, "shard_size": MAX_AGENCIES,
                            "order": [{"_count": "desc"}, {"reports": "desc"}, {"_key": "asc"}]},
                  "aggs": {"reports": {"cardinality": {"field": m.YEAR}}}},
        "total": {"cardinality": {"field": m.AGENCY, "precision_threshold": EXACT_BELOW}}}}
    return found


def counts(found: dict, request: SearchRequest) -> tuple[list[Counter], list[int]]:
    """The facet counts in `search.vocabulary.FACETS` order (what `search.facets`
    takes) and each facet's total over its scope."""
    out, totals = [], []
    for facet in FACETS:
        counter: Counter = Counter()
        for key in ("values", "chosen"):
            for bucket in found[facet].get(key, {}).get("buckets", ()):
                value = bucket["key"]
                counter[int(value) if facet == "year" else value] = bucket["doc_count"]
        out.append(counter)
        totals.append(found[facet]["doc_count"])
    return out, totals


def summaries(found: dict, generation) -> tuple[list[AgencySummary], int]:
    """The agencies with the most matching sections (`search.facets.order_agencies`),
    and how many agencies have any."""
    agencies = found["agencies"]
    listed = [AgencySummary(agency=bucket["key"], agency_id=agency_id(bucket["key"]),
                            region=generation.agency_region.get(bucket["key"], ""),
                            reports=int(bucket["reports"]["value"]), sections=bucket["doc_count"])
              for bucket in agencies["names"]["buckets"]]
    total = int(agencies["total"]["value"]) if agencies["doc_count"] else 0
    return order_agencies(listed), total
