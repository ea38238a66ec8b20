"""Run one `SearchRequest` against the index and return plain `SearchResults`.

`search(handle, request)` opens one context on the index's live version for the whole
call (`search.whoosh.context`) and, inside it:

1. resolves the query (`search.query`) against the corpus's agency names (for
   abbreviations) and builds its rank query with the index's own jieba analyzer;
2. finds the matching sections as a set of document numbers (unscored: cheap): each
   term's verbatim occurrences (`search.verbatim`) plus the sections of agencies whose
   name holds it, ORed within a group, groups intersected, excluded terms removed; an
   empty query matches every section;
3. walks that set once with the catalog's columns (`search.whoosh.facets`), applying the
   report-level filters (template, "fails a check", figure filters) to everything
   and the four facet filters with multi-select semantics: a section counts towards
   facet F's values when it passes every filter *except F's own*, so picking 海东市
   still shows how many sections the other regions would give;
4. orders the hits — relevance (BM25F over the ``rank`` query), newest or oldest, or
   a figure of the report — and
   takes only the page's slice, checking each displayed hit's stored text verbatim
   (a hit never lacks the query text) and making its snippet.

The result holds no whoosh object. Any query text gives an answer, possibly empty;
only the request's own values are validated (`search.request`).

Every step is bounded by a work budget (`search.budget`): spent, the search answers
with what it has, marked partial, or raises `BudgetSpent` when it has nothing (and
`Busy` at once when refused a slow-lane slot).

Every step gets that one context (`search.whoosh.context.Context`): the index
version's snapshot (catalog, query cache: kept by the index handle), the budget, and
the index's answers (match, score, stored fields).

API: `search(handle, request, budget=None) -> SearchResults` (`handle`: an
`index.store.IndexHandle`), `warm_up(handle)` (call once at start-up: reads the catalog
so the first search is not slower). Facet counting and the agencies summary:
`search.whoosh.facets`.
"""
from __future__ import annotations

import heapq
import json
from itertools import compress, islice
from operator import itemgetter, neg

from corpus.report import SECTION_KEYS
from index import schema as f
from index.documents import searchable_text
from index.ids import agency_id
from search.budget import PARTIAL, SPENT, Budget, BudgetSpent, Busy
from search.facets import facet_values, without_each_filter
from search.hits import hit_snippet
from search.query import QueryTerm, abbreviated, parse, resolve
from search.request import SearchRequest
from search.results import Hit, SearchResults
from search.whoosh.context import open_context, settings_of
from search.whoosh.facets import agencies_summary, filter_and_count
from search.whoosh.ranking import rank_query


def search(handle, request: SearchRequest, budget: Budget | float | None = None) -> SearchResults:
    """Run `request` and return its page of hits, facets and agencies.

    `budget`: a `search.budget.Budget`, or CPU seconds, or None (no limit). When it is
    spent the results are partial (``partial``, ``notice``); with nothing to show,
    `BudgetSpent` is raised.
    """
    budget = budget if isinstance(budget, Budget) else Budget(budget)
    parsed = parse(request.query, settings_of(handle))
    with open_context(handle, budget) as ctx:
        cat = ctx.catalog
        compiled = resolve(parsed, cat.agencies())
        rank = rank_query(parsed.terms, ctx.analyzer())
        matched = _matched(ctx, compiled)
        # Counts of a partial match are not the query's: not kept for the next search.
        hits, counts, agencies = filter_and_count(ctx, request, matched,
                                                  None if budget.partial else (parsed.groups, parsed.excluded, parsed.literal))
        # Date orders need only the first pages' worth of hits (a heap, not a sort);
        # if verbatim checks drop so many that the page is not filled, order them all.
        need = request.offset + 2 * request.page_size + 20
        if budget.cut():   # no time left to rank: document order
            ordered, scores = heapq.nsmallest(need, hits), {}
        else:
            ordered, scores = _order(ctx, request, rank, hits, need)
        page, dropped = _page(ctx, request, compiled, ordered, scores)
        if len(page) < request.page_size and len(ordered) < len(hits) and not budget.cut():
            ordered, scores = _order(ctx, request, rank, hits, None)
            page, dropped = _page(ctx, request, compiled, ordered, scores)
        if not page and hits and budget.partial:
            raise BudgetSpent(SPENT)
        if agencies is None:
            # Without an agency filter the agency facet already counts each agency's hits.
            agencies = agencies_summary(cat, hits, None if request.agencies else counts[0])
        agencies, agencies_total = agencies
    return SearchResults(
        query=parsed.text, terms=parsed.terms, total=max(len(hits) - dropped, 0),
        page=request.page, page_size=request.page_size, hits=page,
        facets=facet_values(counts, request), agencies=agencies, agencies_total=agencies_total,
        partial=budget.partial, notice=PARTIAL if budget.partial else None,
        expansions={term: found for term, names in compiled.term_agencies.items()
                    if (found := abbreviated(term, names))},
        without_filter={} if hits else without_each_filter(cat.values("region"), counts, request, len(matched)),
        unfiltered=len(matched),
    )


def warm_up(handle) -> None:
    """Read the catalog of the live index now (at start-up), not during the first search."""
    with open_context(handle) as ctx:
        analyzer = ctx.analyzer()
        if hasattr(analyzer, "prepare"):
            analyzer.prepare()


def term_sections(term: QueryTerm, ctx) -> frozenset[int]:
    """Docnums of the sections matching `term` (`search.query.QueryTerm`): its verbatim
    occurrences and its agencies' sections, kept in the version's query cache."""
    def compute():
        docs = ctx.verbatim(term.text)
        for name in term.agencies:
            docs.update(ctx.catalog.sections_by_agency.get(name, ()))
        return docs
    return ctx.cache.term_docs(term.key, compute)


def _matched(ctx, compiled) -> frozenset[int] | set[int]:
    """Docnums of the sections the query matches (before filters).

    With the budget spent after some of the query's groups, the rest are skipped: the
    set is then too large, never too small, and the page's verbatim check
    (`ResolvedQuery.accepts`) keeps every shown hit true. Excluded terms likewise.
    """
    budget = ctx.budget
    found = None
    groups = []
    for group in compiled.groups:
        if groups and budget.cut():
            break
        try:
            # Cached frozensets are used as they are (no copy of a big set per search).
            groups.append(term_sections(group[0], ctx) if len(group) == 1 else
                          frozenset().union(*(term_sections(term, ctx) for term in group)))
        except BudgetSpent as error:
            if not groups or isinstance(error, Busy):
                raise
            budget.partial = True
            break
    # Smallest group first keeps the intersections cheap.
    for docs in sorted(groups, key=len):
        found = docs if found is None else found & docs
    if found is None:
        found = ctx.catalog.section_set
    excluded = set()
    for term in compiled.excluded:
        if budget.cut():
            break
        try:
            excluded |= term_sections(term, ctx)
        except Busy:
            raise
        except BudgetSpent:
            budget.partial = True
            break
    return found - excluded if excluded else found


_SECTION_ORDER = {key: i for i, key in enumerate(SECTION_KEYS)}


def _order(ctx, request, rank, hits, limit=None) -> tuple[list[int], dict[int, float]]:
    """Hits in the requested order, every tie broken the same way on every page.

    For newest/oldest only the first `limit` are returned (None: all): each section's
    place in the whole index's date order is computed once per index version
    (`Catalog.date_rank`), so this is a heap over integers, not a sort per search.
    """
    if request.sort == "relevance" and rank is not None and hits:
        return _ranked(ctx, rank, hits, limit)
    cat = ctx.catalog

    def in_report(d):  # an agency's report, then its sections in template order
        return cat.agency[d], _SECTION_ORDER.get(cat.section[d], 99), d

    if request.sort in ("relevance", "newest", "oldest"):
        rank = cat.date_rank(oldest=request.sort == "oldest", key=lambda d: in_report(d))
        if limit is not None and limit < len(hits):
            return heapq.nsmallest(limit, hits, key=rank.__getitem__), {}
        return sorted(hits, key=rank.__getitem__), {}
    values = ctx.figure(request.sort)
    present = [d for d in hits if cat.report_id[d] in values]
    missing = [d for d in hits if cat.report_id[d] not in values]
    sign = 1 if request.ascending else -1
    present.sort(key=lambda d: (sign * values[cat.report_id[d]], -cat.year[d], *in_report(d)))
    missing.sort(key=lambda d: (-cat.year[d], *in_report(d)))
    return present + missing, {}


def _ranked(ctx, rank, hits, limit=None) -> tuple[list[int], dict[int, float]]:
    """Hits by BM25F over the rank query, best first; hits it does not match follow.

    The hits are already known (the match set), so only they are scored
    (`search.ranking`): not the whole index's postings of the query's words. Every hit
    is scored and ties go in document order, so each page of a search cuts the same
    list.
    """
    scores = ctx.score(rank, hits)
    if limit is not None and limit < len(scores):
        # Highest score first, ties by docnum: the largest (score, -docnum) pairs, no sort.
        best = heapq.nlargest(limit, zip(scores.values(), map(neg, scores)))
        return [-negative for _, negative in best], scores
    # Docnum order, then a stable sort by score (C-level keys): ties stay in docnum order.
    ordered = [docnum for docnum, _ in sorted(sorted(scores.items()), key=itemgetter(1), reverse=True)]
    if limit is None or len(ordered) < limit:
        ordered += _unscored(ctx.catalog, hits, scores, None if limit is None else limit - len(ordered))
    return ordered, scores


def _unscored(cat, hits, scores, count: int | None) -> list[int]:
    """The first `count` (None: all) hits without a score, in docnum order.

    When the hits are a good share of all sections (a one-character query), walking
    the sorted section list stops after `count`; otherwise sorting the few is cheaper.
    """
    if count is not None and len(hits) * 8 >= len(cat.sections):
        wanted = (d for d in compress(cat.sections, map(hits.__contains__, cat.sections)) if d not in scores)
        return list(islice(wanted, count))
    return sorted(frozenset(hits).difference(scores))


def _page(ctx, request, compiled, ordered, scores) -> tuple[list[Hit], int]:
    """The page's hits, each checked verbatim against its stored text; how many failed.
    Past the budget only a page's worth of candidates is still looked at (a short page)."""
    cat, budget = ctx.catalog, ctx.budget
    page: list[Hit] = []
    dropped = 0
    index = request.offset
    while len(page) < request.page_size and index < len(ordered) and (
            index - request.offset < request.page_size or not budget.cut()):
        docnum = ordered[index]
        index += 1
        stored = ctx.stored(docnum)
        text, agency = stored.get(f.TEXT_FIELD, ""), stored.get(f.AGENCY, "")
        tables = json.loads(stored.get(f.TABLES_JSON) or "[]")
        if compiled.parsed.groups or compiled.parsed.excluded:
            if not compiled.accepts(searchable_text(text, tables), agency):
                dropped += 1
                continue
        # A hit found through an abbreviation (工信局) marks the agency's full name.
        terms = compiled.parsed.terms + ([agency] if compiled.agency_terms(agency) else [])
        title, section = stored.get(f.TITLE, ""), stored.get(f.SECTION, "")
        page.append(Hit(
            report_id=stored.get(f.REPORT_ID) or cat.report_id[docnum],
            agency=agency, agency_id=agency_id(agency), region=stored.get(f.REGION, ""),
            year=int(stored.get(f.YEAR, 0)), published=stored.get(f.PUBLISHED),
            section=section, title=title, snippet=hit_snippet(text, tables, terms, title, section),
            score=round(float(scores.get(docnum, 0.0)), 4),
            findings=[kind for kind, docs in cat.findings.items() if docnum in docs],
        ))
    return page, dropped
