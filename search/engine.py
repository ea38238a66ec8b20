"""Run one `SearchRequest` against the index and return plain `SearchResults`.

`search(handle, request)` opens one searcher for the whole call and, inside it:

1. compiles the query (`search.query`) with the index's own jieba analyzer and the
   corpus's agency names (for abbreviations);
2. finds the matching sections as a set of document numbers (unscored: cheap): each
   term's verbatim occurrences (`search.verbatim`) plus the sections of agencies whose
   name holds it, ORed within a group, groups intersected, excluded terms removed; an
   empty query matches every section;
3. walks that set once with the catalog's columns (`search.catalog`), applying the
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

API: `search(handle, request, budget=None) -> SearchResults`, `warm_up(handle)` (call once at
start-up: reads the catalog so the first search is not slower), `MAX_AGENCIES`,
`MAX_FACET_VALUES`.
"""
from __future__ import annotations

import functools
import heapq
import json
from collections import Counter
from itertools import compress, islice
from operator import itemgetter, neg

from corpus.report import SECTION_KEYS
from index import schema as f
from index.analysis import fold
from index.documents import searchable_text, table_text
from index.audit.kinds import KINDS as AUDIT_KINDS
from index.ids import agency_id
from search.budget import PARTIAL, SPENT, Budget, BudgetSpent, Busy
from search.catalog import catalog
from search.figures import reports_passing
from search.ranking import score_hits
from search.regions import expand
from search.query import abbreviated, compile_query, parse
from search.request import SearchRequest
from search.results import AgencySummary, FacetValue, Hit, SearchResults
from search.snippets import mark_spans, snippet
from search.tablesnippet import table_snippet

MAX_AGENCIES = 100          # agencies listed in the summary (agencies_total has them all)
MAX_FACET_VALUES = 50       # values listed per facet, selected ones always included
MAX_REGION_VALUES = 2000    # the region facet lists every region (a tree), up to this
FACETS = ("agency", "region", "year", "section")
AUDIT = len(FACETS)         # the 体检 facet's place in the counts: after the four columns


def search(handle, request: SearchRequest, budget: Budget | float | None = None) -> SearchResults:
    """Run `request` and return its page of hits, facets and agencies.

    `budget`: a `search.budget.Budget`, or CPU seconds, or None (no limit). When it is
    spent the results are partial (``partial``, ``notice``); with nothing to show,
    `BudgetSpent` is raised.
    """
    budget = budget if isinstance(budget, Budget) else Budget(budget)
    parsed = parse(request.query)
    with handle.searcher() as searcher:
        cat = catalog(searcher)
        compiled = compile_query(parsed, index_analyzer(searcher), cat.agencies())
        matched = _matched(searcher, cat, compiled, budget)
        # Counts of a partial match are not the query's: not kept for the next search.
        hits, counts, agencies = _filter_and_count(searcher, cat, request, matched,
                                                   None if budget.partial else (parsed.groups, parsed.excluded, parsed.literal))
        # Date orders need only the first pages' worth of hits (a heap, not a sort);
        # if verbatim checks drop so many that the page is not filled, order them all.
        need = request.offset + 2 * request.page_size + 20
        if budget.cut():   # no time left to rank: document order
            ordered, scores = heapq.nsmallest(need, hits), {}
        else:
            ordered, scores = _order(searcher, cat, request, compiled, hits, need)
        page, dropped = _page(searcher, cat, request, compiled, ordered, scores, budget)
        if len(page) < request.page_size and len(ordered) < len(hits) and not budget.cut():
            ordered, scores = _order(searcher, cat, request, compiled, hits, None)
            page, dropped = _page(searcher, cat, request, compiled, ordered, scores, budget)
        if not page and hits and budget.partial:
            raise BudgetSpent(SPENT)
        if agencies is None:
            # Without an agency filter the agency facet already counts each agency's hits.
            agencies = _agencies(cat, hits, None if request.agencies else counts[0])
        agencies, agencies_total = agencies
    return SearchResults(
        query=parsed.text, terms=parsed.terms, total=max(len(hits) - dropped, 0),
        page=request.page, page_size=request.page_size, hits=page,
        facets=_facets(counts, request), agencies=agencies, agencies_total=agencies_total,
        partial=budget.partial, notice=PARTIAL if budget.partial else None,
        expansions={term: found for term, names in compiled.term_agencies.items()
                    if (found := abbreviated(term, names))},
        without_filter={} if hits else _without_each_filter(cat, counts, request, matched),
        unfiltered=len(matched),
    )


def warm_up(handle) -> None:
    """Read the catalog of the live index now (at start-up), not during the first search."""
    with handle.searcher() as searcher:
        catalog(searcher)
        analyzer = index_analyzer(searcher)
        if hasattr(analyzer, "prepare"):
            analyzer.prepare()


def index_analyzer(searcher):
    """The index's jieba analyzer: queries are cut with the dictionary the build used."""
    return f.jieba_of(searcher.schema)


def _matched(searcher, cat, compiled, budget: Budget | None = None):
    """Docnums of the sections the query matches (before filters).

    With the budget spent after some of the query's groups, the rest are skipped: the
    set is then too large, never too small, and the page's verbatim check
    (`CompiledQuery.accepts`) keeps every shown hit true. Excluded terms likewise.
    """
    budget = budget or Budget(None)
    found = None
    groups = []
    for group in compiled.groups:
        if groups and budget.cut():
            break
        try:
            # Cached frozensets are used as they are (no copy of a big set per search).
            groups.append(group[0].sections(searcher, cat, budget) if len(group) == 1 else
                          frozenset().union(*(term.sections(searcher, cat, budget) for term in group)))
        except BudgetSpent as error:
            if not groups or isinstance(error, Busy):
                raise
            budget.partial = True
            break
    # Smallest group first keeps the intersections cheap.
    for docs in sorted(groups, key=len):
        found = docs if found is None else found & docs
    if found is None:
        found = cat.section_set
    excluded = set()
    for term in compiled.excluded:
        if budget.cut():
            break
        try:
            excluded |= term.sections(searcher, cat, budget)
        except Busy:
            raise
        except BudgetSpent:
            budget.partial = True
            break
    return found - excluded if excluded else found


def _filter_and_count(searcher, cat, request: SearchRequest, matched, query_key=None):
    """The hits (docnums passing every filter), multi-select facet counts, and — when
    kept for an unfiltered query — its agencies summary (else None).

    No Python loop per document: membership tests and column reads run as
    ``map``/``compress`` over the docnums, set intersections combine the filters, and
    ``Counter`` counts a column over a set of docnums, all at C speed. Without any
    filter the counts and the agencies summary depend on the query alone: they are
    kept per `query_key` (the parsed query) for the index version, like the match sets.
    """
    allowed = _report_level(searcher, cat, request)
    base = matched if isinstance(matched, (set, frozenset)) else set(matched)
    if allowed is not None:
        base = base & allowed if len(base) > len(allowed) else \
            set(compress(base, map(allowed.__contains__, base)))
    # A region chosen means it and every region within it (海东市 → 海东市平安区 …).
    regions = expand(request.regions, cat.values("region"))
    selected = [set(request.agencies), regions, set(request.years), set(request.sections)]
    if allowed is None and not any(selected) and not request.audits and query_key is not None:
        def compute():
            counts = _counts(cat, base, base, {})
            return counts, _agencies(cat, base, counts[0])
        counts, agencies = cat.facet_counts(query_key, compute)
        return base, counts, agencies
    # Each filter's passing hits: the chosen values' sections (an index per column) ∩ base.
    passing = {i: base & cat.sections_with(FACETS[i], values) for i, values in enumerate(selected) if values}
    if request.audits:   # the 体检 facet: sections of reports having any chosen kind
        passing[AUDIT] = base & frozenset().union(*(cat.findings.get(k, ()) for k in request.audits))
    hits = _intersect(base, passing.values())
    return hits, _counts(cat, base, hits, passing), None


def _counts(cat, base, hits, passing: dict[int, set[int]]) -> list[Counter]:
    """Agency, region, year, section and audit counts: facet i over what passes every
    filter but its own (`passing`: facet index → the base docnums its filter lets through)."""
    columns = (cat.agency, cat.region, cat.year, cat.section)
    counts = []
    if AUDIT in passing or any(cat.findings.values()):
        scope = hits if AUDIT not in passing else \
            _intersect(base, [docs for j, docs in passing.items() if j != AUDIT])
        audit = Counter({kind: len(docs.intersection(scope)) for kind, docs in cat.findings.items() if docs})
    else:
        audit = Counter()
    for i, column in enumerate(columns):
        if i == 3 and 2 not in passing and 3 not in passing:
            continue   # counted with the years, below
        if i == 2 and 2 not in passing and 3 not in passing:
            # Years and sections over the same scope: one pass over (year, section) codes.
            years, sections = _split_pairs(Counter(map(cat.year_section.__getitem__, hits)), cat.pairs)
            counts += [years, sections]
            continue
        if i == 1 and 0 not in passing and 1 not in passing and cat.one_region_per_agency:
            # Same scope as the agency counts, and each agency lies in one region:
            # add up the agencies' counts instead of another pass over the hits.
            regions: Counter = Counter()
            for name, count in counts[0].items():
                regions[cat.agency_region.get(name)] += count
            counts.append(regions)
            continue
        # Facet i counts what passes every filter but its own.
        scope = hits if i not in passing else \
            _intersect(base, [docs for j, docs in passing.items() if j != i])
        counts.append(Counter(map(column.__getitem__, scope)))
    return counts + [audit]


def _split_pairs(codes: Counter, pairs: list[tuple]) -> tuple[Counter, Counter]:
    """Counts of (year, section) pair codes as year counts and section counts."""
    years: Counter = Counter()
    sections: Counter = Counter()
    for code, count in codes.items():
        year, section = pairs[code]
        years[year] += count
        sections[section] += count
    return years, sections


def _intersect(base, sets) -> set[int]:
    sets = sorted(sets, key=len)
    if not sets:
        return base
    result = set(sets[0])
    for docs in sets[1:]:
        result &= docs
    return result


def _report_level(searcher, cat, request: SearchRequest) -> set[int] | None:
    """Docnums allowed by template, "fails a check" and figure filters; None: all."""
    allowed: set[int] | None = None

    def narrow(docs):
        nonlocal allowed
        allowed = set(docs) if allowed is None else allowed & set(docs)

    if request.template is not None:
        narrow(cat.template.get(request.template, ()))
    if request.failing is not None:
        narrow(cat.failing if request.failing else cat.section_set - cat.failing)
    if request.figure_filters:
        rids = reports_passing(searcher, cat, request.figure_filters)
        narrow(compress(cat.sections, map(rids.__contains__, map(cat.report_id.__getitem__, cat.sections))))
    return allowed


_SECTION_ORDER = {key: i for i, key in enumerate(SECTION_KEYS)}


def _order(searcher, cat, request, compiled, hits, limit=None) -> tuple[list[int], dict[int, float]]:
    """Hits in the requested order, every tie broken the same way on every page.

    For newest/oldest only the first `limit` are returned (None: all): each section's
    place in the whole index's date order is computed once per index version
    (`Catalog.date_rank`), so this is a heap over integers, not a sort per search.
    """
    if request.sort == "relevance" and compiled.rank is not None and hits:
        return _ranked(searcher, cat, compiled, hits, limit)

    def in_report(d):  # an agency's report, then its sections in template order
        return cat.agency[d], _SECTION_ORDER.get(cat.section[d], 99), d

    if request.sort in ("relevance", "newest", "oldest"):
        rank = cat.date_rank(oldest=request.sort == "oldest", key=lambda d: in_report(d))
        if limit is not None and limit < len(hits):
            return heapq.nsmallest(limit, hits, key=rank.__getitem__), {}
        return sorted(hits, key=rank.__getitem__), {}
    values = cat.figure(searcher, request.sort)
    present = [d for d in hits if cat.report_id[d] in values]
    missing = [d for d in hits if cat.report_id[d] not in values]
    sign = 1 if request.ascending else -1
    present.sort(key=lambda d: (sign * values[cat.report_id[d]], -cat.year[d], *in_report(d)))
    missing.sort(key=lambda d: (-cat.year[d], *in_report(d)))
    return present + missing, {}


def _ranked(searcher, cat, compiled, hits, limit=None) -> tuple[list[int], dict[int, float]]:
    """Hits by BM25F over the rank query, best first; hits it does not match follow.

    The hits are already known (the match set), so only they are scored
    (`search.ranking`): not the whole index's postings of the query's words. Every hit
    is scored and ties go in document order, so each page of a search cuts the same
    list.
    """
    scores = score_hits(searcher, cat, compiled.rank, hits)
    if limit is not None and limit < len(scores):
        # Highest score first, ties by docnum: the largest (score, -docnum) pairs, no sort.
        best = heapq.nlargest(limit, zip(scores.values(), map(neg, scores)))
        return [-negative for _, negative in best], scores
    # Docnum order, then a stable sort by score (C-level keys): ties stay in docnum order.
    ordered = [docnum for docnum, _ in sorted(sorted(scores.items()), key=itemgetter(1), reverse=True)]
    if limit is None or len(ordered) < limit:
        ordered += _unscored(cat, hits, scores, None if limit is None else limit - len(ordered))
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


def _page(searcher, cat, request, compiled, ordered, scores, budget: Budget) -> tuple[list[Hit], int]:
    """The page's hits, each checked verbatim against its stored text; how many failed.
    Past the budget only a page's worth of candidates is still looked at (a short page)."""
    page: list[Hit] = []
    dropped = 0
    index = request.offset
    while len(page) < request.page_size and index < len(ordered) and (
            index - request.offset < request.page_size or not budget.cut()):
        docnum = ordered[index]
        index += 1
        stored = searcher.stored_fields(docnum)
        text, agency = stored.get(f.TEXT_FIELD, ""), stored.get(f.AGENCY, "")
        tables = json.loads(stored.get(f.TABLES_JSON) or "[]")
        if compiled.parsed.groups or compiled.parsed.excluded:
            if not compiled.accepts(searchable_text(text, tables), agency):
                dropped += 1
                continue
        # A hit found through an abbreviation (工信局) marks the agency's full name.
        terms = compiled.parsed.terms + ([agency] if compiled.agency_terms(agency) else [])
        page.append(Hit(
            report_id=stored.get(f.REPORT_ID) or cat.report_id[docnum],
            agency=agency, agency_id=agency_id(agency), region=stored.get(f.REGION, ""),
            year=int(stored.get(f.YEAR, 0)), published=stored.get(f.PUBLISHED),
            section=stored.get(f.SECTION, ""), title=stored.get(f.TITLE, ""),
            snippet=_snippet(text, tables, terms, stored), score=round(float(scores.get(docnum, 0.0)), 4),
            findings=[kind for kind, docs in cat.findings.items() if docnum in docs],
        ))
    return page, dropped


def _without_each_filter(cat, counts, request: SearchRequest, matched) -> dict[str, int]:
    """For an empty result: the hits dropping each selected facet value would give
    (``"region:海东市"``), and dropping every filter (``"all"``).

    Read off the facet counts already made, no further search: facet F counts what
    passes every filter but F's own, so without value v of F the hits are the counts of
    F's other chosen values (a region with the regions within it), or all of F's counts
    when v was the only one.
    """
    found: dict[str, int] = {}
    for i, name in enumerate(FACETS):
        chosen = {str(v) for v in request.filters[name]}
        if not chosen:
            continue
        by_value: Counter = Counter()
        for value, count in counts[i].items():
            by_value[str(value)] += count
        everything = sum(by_value.values())
        for value in chosen:
            rest = chosen - {value}
            if rest and name == "region":
                rest = {str(v) for v in expand(tuple(rest), cat.values("region"))}
            found[f"{name}:{value}"] = sum(by_value[v] for v in rest) if chosen - {value} else everything
    found["all"] = len(matched)
    return found


def _snippet(text: str, tables: list, terms: list[str], stored: dict) -> str:
    """A sentence of the prose when the prose holds a term; else the table rows that do
    (labels and numbers: `search.tablesnippet`); else the prose's opening."""
    folded = fold(text)
    if text and mark_spans(text, terms, folded):
        return snippet(text, terms, folded=folded)
    found = table_snippet(tables, terms, stored.get(f.TITLE, ""), stored.get(f.SECTION, ""))
    if found:
        return found
    printed = table_text(tables)
    if printed and mark_spans(printed, terms):   # a caption or note of a table
        return snippet(printed, terms, fragments=1)
    return snippet(text, terms, folded=folded) if text else snippet(printed, terms)


def _agencies(cat, hits, sections: Counter | None = None) -> tuple[list[AgencySummary], int]:
    """The agencies with most matching sections (up to `MAX_AGENCIES`, with their
    matching reports), and how many agencies have any.

    `sections` is each agency's number of hits when the caller has counted it. Reports
    are counted only for the agencies listed (and those tied with the last of them).
    """
    if sections is None:
        sections = Counter(map(cat.agency.__getitem__, hits))
    sections = {name: count for name, count in sections.items() if count}
    chosen = list(sections)
    if len(chosen) > MAX_AGENCIES:
        least = heapq.nlargest(MAX_AGENCIES, sections.values())[-1]
        chosen = [name for name in chosen if sections[name] >= least]
    report_id = cat.report_id
    summaries = [AgencySummary(agency=name, agency_id=_agency_id(name), region=cat.agency_region[name],
                               reports=len({report_id[d] for d in cat.sections_by_agency.get(name, ())
                                            if d in hits}),
                               sections=sections[name])
                 for name in chosen]
    summaries.sort(key=lambda a: (-a.sections, -a.reports, a.agency))
    return summaries[:MAX_AGENCIES], len(sections)


_agency_id = functools.lru_cache(maxsize=1 << 16)(agency_id)


def _facets(counts, request: SearchRequest) -> dict[str, list[FacetValue]]:
    """Facet values with counts, selected values always present (even at 0)."""
    facets = {}
    for i, name in enumerate(FACETS):
        chosen = {str(v) for v in request.filters[name]}
        # Regions are shown as a tree whose counts add up: all of them, up to a far cap.
        cap = MAX_REGION_VALUES if name == "region" else MAX_FACET_VALUES
        counted = {str(value): count for value, count in counts[i].items() if value is not None}
        for value in chosen:
            counted.setdefault(value, 0)
        if name == "year":
            keys = sorted(counted, key=lambda v: -int(v) if v.isdigit() else 0)
        elif name == "section":
            order = {key: n for n, key in enumerate(SECTION_KEYS)}
            keys = sorted(counted, key=lambda v: (order.get(v, 99), v))
        else:   # most first, then by name: only the first `cap` are ordered
            top = heapq.nsmallest(cap, zip(map(neg, counted.values()), counted))
            keys = [k for _, k in top]
            keys += sorted(set(chosen).difference(keys), key=lambda v: (-counted[v], v))
        shown = keys[:cap] + [k for k in keys[cap:] if k in chosen]
        facets[name] = [FacetValue(value=k, count=counted[k], selected=k in chosen) for k in shown]
    chosen = set(request.audits)
    facets["audit"] = [FacetValue(value=kind, count=counts[AUDIT].get(kind, 0), selected=kind in chosen)
                       for kind in AUDIT_KINDS if counts[AUDIT].get(kind) or kind in chosen]
    return facets
