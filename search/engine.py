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

API: `search(handle, request) -> SearchResults`, `warm_up(handle)` (call once at
start-up: reads the catalog so the first search is not slower), `MAX_AGENCIES`,
`MAX_FACET_VALUES`.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from corpus.report import SECTION_KEYS
from index import schema as f
from index.ids import agency_id
from search.catalog import catalog
from search.figures import reports_passing
from search.ranking import score_hits
from search.query import agencies_named, compile_query, parse
from search.request import SearchRequest
from search.results import AgencySummary, FacetValue, Hit, SearchResults
from search.snippets import snippet
from search.verbatim import verbatim_docs

MAX_AGENCIES = 100          # agencies listed in the summary (agencies_total has them all)
MAX_FACET_VALUES = 50       # values listed per facet, selected ones always included
FACETS = ("agency", "region", "year", "section")


def search(handle, request: SearchRequest) -> SearchResults:
    """Run `request` and return its page of hits, facets and agencies."""
    parsed = parse(request.query)
    with handle.searcher() as searcher:
        cat = catalog(searcher)
        compiled = compile_query(parsed, index_analyzer(searcher), cat.agencies())
        matched = _matched(searcher, cat, compiled)
        hits, counts = _filter_and_count(searcher, cat, request, matched)
        ordered, scores = _order(searcher, cat, request, compiled, hits)
        page, dropped = _page(searcher, cat, request, compiled, ordered, scores)
        agencies = _agencies(cat, hits)
    return SearchResults(
        query=parsed.text, terms=parsed.terms, total=max(len(hits) - dropped, 0),
        page=request.page, page_size=request.page_size, hits=page,
        facets=_facets(counts, request), agencies=agencies[:MAX_AGENCIES],
        agencies_total=len(agencies),
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


def _term_docs(searcher, cat, compiled, term: str) -> frozenset[int]:
    """Sections containing `term` verbatim, plus the sections of agencies it names."""
    def compute():
        docs = verbatim_docs(searcher, term, index_analyzer(searcher))
        for name in compiled.term_agencies.get(term, ()):
            docs.update(cat.sections_by_agency.get(name, ()))
        return docs
    # Agency matches depend only on the term and the corpus: the cache key is the term.
    return cat.term_docs(term, compute)


def _matched(searcher, cat, compiled):
    """Docnums of the sections the query matches (before filters)."""
    parsed = compiled.parsed
    found = None
    # Smallest group first keeps the intersections cheap.
    groups = [frozenset().union(*(_term_docs(searcher, cat, compiled, t) for t in group))
              for group in parsed.groups]
    for docs in sorted(groups, key=len):
        found = set(docs) if found is None else found & docs
    if found is None:
        found = cat.sections
    if parsed.excluded:
        excluded = set()
        for term in parsed.excluded:
            excluded |= verbatim_docs(searcher, term, index_analyzer(searcher))
            for name in agencies_named(term, cat.agencies()):
                excluded.update(cat.sections_by_agency.get(name, ()))
        found = [d for d in found if d not in excluded]
    return found


def _filter_and_count(searcher, cat, request: SearchRequest, matched):
    """The hits (docnums passing every filter) and multi-select facet counts."""
    allowed = _report_level(searcher, cat, request)
    selected = [set(request.agencies), set(request.regions), set(request.years), set(request.sections)]
    active = [i for i, values in enumerate(selected) if values]
    columns = (cat.agency, cat.region, cat.year, cat.section)
    counts = [Counter() for _ in FACETS]
    hits: list[int] = []
    for docnum in matched:
        if allowed is not None and docnum not in allowed:
            continue
        failed = -1
        for i in active:
            if columns[i][docnum] not in selected[i]:
                if failed >= 0:
                    break
                failed = i
        else:
            if failed < 0:
                hits.append(docnum)
                for i in range(4):
                    counts[i][columns[i][docnum]] += 1
            else:
                counts[failed][columns[failed][docnum]] += 1
    return hits, counts


def _report_level(searcher, cat, request: SearchRequest) -> set[int] | None:
    """Docnums allowed by template, "fails a check" and figure filters; None: all."""
    allowed: set[int] | None = None

    def narrow(docs):
        nonlocal allowed
        allowed = set(docs) if allowed is None else allowed & set(docs)

    if request.template is not None:
        narrow(cat.template.get(request.template, ()))
    if request.failing is not None:
        narrow(cat.failing if request.failing else
               (d for d in cat.sections if d not in cat.failing))
    if request.figure_filters:
        rids = reports_passing(searcher, cat, request.figure_filters)
        narrow(d for d in cat.sections if cat.report_id[d] in rids)
    return allowed


_SECTION_ORDER = {key: i for i, key in enumerate(SECTION_KEYS)}


def _order(searcher, cat, request, compiled, hits) -> tuple[list[int], dict[int, float]]:
    """Hits in the requested order, every tie broken the same way on every page."""
    if request.sort == "relevance" and compiled.rank is not None and hits:
        return _ranked(searcher, cat, compiled, hits)

    def in_report(d):  # an agency's report, then its sections in template order
        return cat.agency[d], _SECTION_ORDER.get(cat.section[d], 99), d

    if request.sort in ("relevance", "newest", "oldest"):
        sign = 1 if request.sort == "oldest" else -1
        return sorted(hits, key=lambda d: (sign * cat.year[d], *in_report(d))), {}
    values = cat.figure(searcher, request.sort)
    present = [d for d in hits if cat.report_id[d] in values]
    missing = [d for d in hits if cat.report_id[d] not in values]
    sign = 1 if request.ascending else -1
    present.sort(key=lambda d: (sign * values[cat.report_id[d]], -cat.year[d], *in_report(d)))
    missing.sort(key=lambda d: (-cat.year[d], *in_report(d)))
    return present + missing, {}


def _ranked(searcher, cat, compiled, hits) -> tuple[list[int], dict[int, float]]:
    """Hits by BM25F over the rank query, best first; hits it does not match follow.

    The hits are already known (the match set), so only they are scored
    (`search.ranking`): not the whole index's postings of the query's words. Every hit
    is scored and ties go in document order, so each page of a search cuts the same
    list.
    """
    scores = score_hits(searcher, cat, compiled.rank, hits)
    ordered = sorted(scores, key=lambda docnum: (-scores[docnum], docnum))
    ordered += sorted(d for d in hits if d not in scores)
    return ordered, scores


def _page(searcher, cat, request, compiled, ordered, scores) -> tuple[list[Hit], int]:
    """The page's hits, each checked verbatim against its stored text; how many failed."""
    page: list[Hit] = []
    dropped = 0
    index = request.offset
    while len(page) < request.page_size and index < len(ordered):
        docnum = ordered[index]
        index += 1
        stored = searcher.stored_fields(docnum)
        text, agency = stored.get(f.TEXT_FIELD, ""), stored.get(f.AGENCY, "")
        if compiled.parsed.groups or compiled.parsed.excluded:
            if not compiled.accepts(text, agency):
                dropped += 1
                continue
        # A hit found through an abbreviation (工信局) marks the agency's full name.
        terms = compiled.parsed.terms + ([agency] if compiled.agency_terms(agency) else [])
        page.append(Hit(
            report_id=stored.get(f.REPORT_ID) or cat.report_id[docnum],
            agency=agency, agency_id=agency_id(agency), region=stored.get(f.REGION, ""),
            year=int(stored.get(f.YEAR, 0)), published=stored.get(f.PUBLISHED),
            section=stored.get(f.SECTION, ""), title=stored.get(f.TITLE, ""),
            snippet=snippet(text, terms), score=round(float(scores.get(docnum, 0.0)), 4),
        ))
    return page, dropped


def _agencies(cat, hits) -> list[AgencySummary]:
    """Every agency with matching sections: its matching reports and sections."""
    reports: dict[str, set[str]] = defaultdict(set)
    sections: Counter = Counter()
    regions: dict[str, str] = {}
    for docnum in hits:
        name = cat.agency[docnum]
        reports[name].add(cat.report_id[docnum])
        sections[name] += 1
        regions.setdefault(name, cat.region[docnum])
    summaries = [AgencySummary(agency=name, agency_id=agency_id(name), region=regions[name],
                               reports=len(reports[name]), sections=sections[name])
                 for name in sections]
    summaries.sort(key=lambda a: (-a.sections, -a.reports, a.agency))
    return summaries


def _facets(counts, request: SearchRequest) -> dict[str, list[FacetValue]]:
    """Facet values with counts, selected values always present (even at 0)."""
    facets = {}
    for i, name in enumerate(FACETS):
        chosen = {str(v) for v in request.filters[name]}
        counted = {str(value): count for value, count in counts[i].items() if value is not None}
        for value in chosen:
            counted.setdefault(value, 0)
        if name == "year":
            keys = sorted(counted, key=lambda v: -int(v) if v.isdigit() else 0)
        elif name == "section":
            order = {key: n for n, key in enumerate(SECTION_KEYS)}
            keys = sorted(counted, key=lambda v: (order.get(v, 99), v))
        else:
            keys = sorted(counted, key=lambda v: (-counted[v], v))
        shown = keys[:MAX_FACET_VALUES] + [k for k in keys[MAX_FACET_VALUES:] if k in chosen]
        facets[name] = [FacetValue(value=k, count=counted[k], selected=k in chosen) for k in shown]
    return facets
