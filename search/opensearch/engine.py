"""Run one `SearchRequest` against the cluster and return plain `SearchResults`.

One ``_search`` call answers a search: the query's match (`search.opensearch.query`),
scored by the rank recipe when the order is relevance; the filters as the
``post_filter``; the facet counts, the agencies summary and the unfiltered count as
aggregations (`search.opensearch.facets`); the requested order; the page's hits with
the stored fields a hit shows. The hits' snippets are made here, from the stored
prose and tables, by the same `search.hits.hit_snippet` the whoosh engine uses, so
they are escaped before marking and identical on both engines.

The orders, as whoosh's (`search.whoosh.engine._order`): relevance (the score, ties
and unscored hits newest first); newest or oldest (by year, then agency, then the
section's place in the template); a figure of the report (reports having it by its
value, ties newest first, then those lacking it). Every order ends with the unique
document id, so each page of a search cuts the same list.

The work budget (`search.budget`): what is left of it goes to the cluster as the
search's ``timeout``; a search that timed out is ``partial`` (its hits are true, its
total and order maybe not), and one that timed out with no hit raises `BudgetSpent`.

With more than one shard a relevance search runs ``dfs_query_then_fetch``, so every
shard scores with the whole index's word statistics; and each query asks the same
shard copies (``preference``), so its pages are cut from one ranking.

API: `search(connection, generation, request, budget=None) -> SearchResults` (`generation`:
the `search.opensearch.generation.Generation` served).
"""
from __future__ import annotations

import json
import zlib

from index.opensearch import mapping as m
from search.budget import PARTIAL, SPENT, Budget, BudgetSpent
from search.facets import facet_values, without_each_filter
from search.hits import hit_snippet
from search.opensearch.connection import answering
from search.opensearch.facets import aggregations, counts, summaries
from search.opensearch.paging import page
from search.opensearch.query import facet_clauses, matching, ranked, report_clauses
from search.query import abbreviated, parse, resolve
from search.request import SearchRequest
from search.results import Hit, SearchResults
from search.vocabulary import AUDIT_KINDS

HIT_FIELDS = [m.REPORT_ID, m.AGENCY, m.AGENCY_ID, m.REGION, m.YEAR, m.PUBLISHED, m.SECTION, m.TITLE,
              m.TEXT, m.TABLES_JSON, m.FINDING]
IN_REPORT = [{m.AGENCY: "asc"}, {m.SECTION_ORDER_FIELD: "asc"}, {m.DOC_ID: "asc"}]
MIN_TIMEOUT_MS = 1


def order(request: SearchRequest, scored: bool) -> list:
    """The sort of the request (see the module docstring)."""
    newest = [{m.YEAR: "desc"}, *IN_REPORT]
    if request.sort == "relevance":
        return [{"_score": "desc"}, *newest] if scored else newest
    if request.sort == "newest":
        return newest
    if request.sort == "oldest":
        return [{m.YEAR: "asc"}, *IN_REPORT]
    field = m.FIGURE_FIELDS[request.sort]
    return [{field: {"order": "asc" if request.ascending else "desc", "missing": "_last"}}, *newest]


def _both(clauses: list[dict]) -> dict:
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def _timeout(budget: Budget) -> str | None:
    """What is left of the budget, as the cluster's search timeout (at least
    `MIN_TIMEOUT_MS`: the cluster is always asked, and may well answer in time)."""
    if budget.seconds is None:
        return None
    left = budget.seconds - budget.used()
    return f"{max(int(left * 1000), MIN_TIMEOUT_MS)}ms"


def _hit(hit: dict, resolved, terms: list[str], scored: bool) -> Hit:
    source = hit["_source"]
    agency, text = source.get(m.AGENCY, ""), source.get(m.TEXT, "")
    tables = json.loads(source.get(m.TABLES_JSON) or "[]")
    title, section = source.get(m.TITLE, ""), source.get(m.SECTION, "")
    # A hit found through an abbreviation (工信局) marks the agency's full name.
    marked = terms + ([agency] if resolved.agency_terms(agency) else [])
    findings = set(source.get(m.FINDING) or ())
    return Hit(report_id=source[m.REPORT_ID], agency=agency, agency_id=source.get(m.AGENCY_ID, ""),
               region=source.get(m.REGION, ""), year=int(source.get(m.YEAR, 0)), published=source.get(m.PUBLISHED),
               section=section, title=title, snippet=hit_snippet(text, tables, marked, title, section),
               score=round(float(hit.get("_score") or 0.0), 4) if scored else 0.0,
               findings=[kind for kind in AUDIT_KINDS if kind in findings])


def search(connection, generation, request: SearchRequest, budget: Budget | float | None = None) -> SearchResults:
    """Run `request` (see the module docstring). :raise BudgetSpent: :raise EngineUnavailable:"""
    budget = budget if isinstance(budget, Budget) else Budget(budget)
    parsed = parse(request.query, connection.settings)
    settings = connection.settings
    with answering(settings):
        resolved = resolve(parsed, generation.agencies)
        matched = matching(resolved)
        rank = ranked(matched, parsed.terms, generation.analyzer) if request.sort == "relevance" else None
        facets = facet_clauses(request, generation.regions)
        report_level = report_clauses(request.template, request.failing, request.figure_filters)
        body = {"query": rank or matched, "post_filter": _both(report_level + list(facets.values())),
                "aggs": aggregations(facets, report_level, generation, request),
                "sort": order(request, rank is not None), "track_total_hits": True, "_source": HIT_FIELDS}
        timeout = _timeout(budget)
        if timeout:
            body["timeout"] = timeout
        options = {"preference": f"q{zlib.crc32(parsed.text.encode('utf-8'))}"}
        if rank is not None and generation.shards > 1:
            options["search_type"] = "dfs_query_then_fetch"

        def run(part: dict) -> dict:
            return connection.client.search(index=generation.index, body=part, **options)

        hits, answer = page(run, body, request.offset, request.page_size)
    partial = bool(answer.get("timed_out"))
    if partial and not hits:
        raise BudgetSpent(SPENT)
    found = answer["aggregations"]
    facet_counts, totals = counts(found, request)
    agencies, agencies_total = summaries(found, generation)
    total = answer["hits"]["total"]["value"]
    unfiltered = found["all"]["doc_count"]
    return SearchResults(
        query=parsed.text, terms=parsed.terms, total=total, page=request.page, page_size=request.page_size,
        hits=[_hit(hit, resolved, parsed.terms, rank is not None) for hit in hits],
        facets=facet_values(facet_counts, request), agencies=agencies, agencies_total=agencies_total,
        partial=partial, notice=PARTIAL if partial else None,
        expansions={term: found_names for term, names in resolved.term_agencies.items()
                    if (found_names := abbreviated(term, names))},
        without_filter={} if total else without_each_filter(generation.regions, facet_counts, request,
                                                            unfiltered, totals),
        unfiltered=unfiltered,
    )
