"""Facet counts with multi-select semantics, the agencies summary, and the report-level
filters of a whoosh search (`search.whoosh.engine` calls these on its match set).

A section counts towards facet F's values when it passes every filter *except F's
own*, so picking 海东市 still shows how many sections the other regions would give.
No Python loop per document: membership tests and column reads run as
``map``/``compress`` over the docnums, set intersections combine the filters, and
``Counter`` counts a column over a set of docnums, all at C speed.

The counts are a list of `Counter`s in the order of `search.vocabulary.FACETS` (agency,
region, year, section, then the audit kinds and the change classes); `search.facets`
turns them into the results' facet values, the same for every engine.

API: `filter_and_count(ctx, request, matched, query_key=None) -> (hits, counts,
agencies or None)`, `agencies_summary(cat, hits, sections=None)`.
"""
from __future__ import annotations

import functools
import heapq
from collections import Counter
from itertools import compress

from index.ids import agency_id
from search.facets import AUDIT, CHANGE, COLUMN_FACETS, MAX_AGENCIES, order_agencies
from search.regions import expand
from search.request import SearchRequest
from search.results import AgencySummary


def filter_and_count(ctx, request: SearchRequest, matched, query_key=None):
    """The hits (docnums passing every filter), multi-select facet counts, and — when
    kept for an unfiltered query — its agencies summary (else None).

    No Python loop per document: membership tests and column reads run as
    ``map``/``compress`` over the docnums, set intersections combine the filters, and
    ``Counter`` counts a column over a set of docnums, all at C speed. Without any
    filter the counts and the agencies summary depend on the query alone: they are
    kept per `query_key` (the parsed query) for the index version, like the match sets.
    """
    cat = ctx.catalog
    allowed = _report_level(ctx, request)
    base = matched if isinstance(matched, (set, frozenset)) else set(matched)
    if allowed is not None:
        base = base & allowed if len(base) > len(allowed) else \
            set(compress(base, map(allowed.__contains__, base)))
    # A region chosen means it and every region within it (海东市 → 海东市平安区 …).
    regions = expand(request.regions, cat.values("region"))
    selected = [set(request.agencies), regions, set(request.years), set(request.sections)]
    if allowed is None and not any(selected) and not request.audits and not request.changes \
            and query_key is not None:
        def compute():
            counts = _counts(cat, base, base, {})
            return counts, agencies_summary(cat, base, counts[0])
        counts, agencies = ctx.cache.facet_counts(query_key, compute)
        return base, counts, agencies
    # Each filter's passing hits: the chosen values' sections (an index per column) ∩ base.
    passing = {i: base & cat.sections_with(COLUMN_FACETS[i], values) for i, values in enumerate(selected) if values}
    if request.audits:   # the 体检 facet: sections of reports having any chosen kind
        passing[AUDIT] = base & frozenset().union(*(cat.findings.get(k, ()) for k in request.audits))
    if request.changes:  # the 与上年相比 facet: sections of reports in any chosen class
        passing[CHANGE] = base & frozenset().union(*(cat.changes.get(c, ()) for c in request.changes))
    hits = _intersect(base, passing.values())
    return hits, _counts(cat, base, hits, passing), None


def _set_counts(facet: int, sets: dict[str, frozenset[int]], base, hits, passing) -> Counter:
    """A facet whose values are sets of sections (audit kinds, change classes): each value's
    sections among what passes every filter but the facet's own."""
    if facet not in passing and not any(sets.values()):
        return Counter()
    scope = hits if facet not in passing else _intersect(base, [docs for j, docs in passing.items() if j != facet])
    return Counter({value: len(docs.intersection(scope)) for value, docs in sets.items() if docs})


def _counts(cat, base, hits, passing: dict[int, set[int]]) -> list[Counter]:
    """Agency, region, year, section, audit and change counts: facet i over what passes every
    filter but its own (`passing`: facet index → the base docnums its filter lets through)."""
    columns = (cat.agency, cat.region, cat.year, cat.section)
    counts = []
    audit = _set_counts(AUDIT, cat.findings, base, hits, passing)
    change = _set_counts(CHANGE, cat.changes, base, hits, passing)
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
    return counts + [audit, change]


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


def _report_level(ctx, request: SearchRequest) -> set[int] | None:
    """Docnums allowed by template, "fails a check" and figure filters; None: all."""
    cat = ctx.catalog
    allowed: set[int] | None = None

    def narrow(docs):
        nonlocal allowed
        allowed = set(docs) if allowed is None else allowed & set(docs)

    if request.template is not None:
        narrow(cat.template.get(request.template, ()))
    if request.failing is not None:
        narrow(cat.failing if request.failing else cat.section_set - cat.failing)
    if request.figure_filters:
        rids = ctx.reports_passing(request.figure_filters)
        narrow(compress(cat.sections, map(rids.__contains__, map(cat.report_id.__getitem__, cat.sections))))
    return allowed


def agencies_summary(cat, hits, sections: Counter | None = None) -> tuple[list[AgencySummary], int]:
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
    return order_agencies(summaries), len(sections)


_agency_id = functools.lru_cache(maxsize=1 << 16)(agency_id)
