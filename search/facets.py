"""Facet values as a page shows them, from any engine's counts.

An engine counts, with multi-select semantics (a section counts towards facet F's
values when it passes every filter *except F's own*, so picking 海东市 still shows how
many sections the other regions would give), one `Counter` per facet of
`search.vocabulary.FACETS` — agency, region, year, section, the audit kinds, the change
classes — and
hands them here: `facet_values` orders and caps them the same way for every engine,
`without_each_filter` reads off them what an empty result would give without each
filter, `order_agencies` orders and caps the agencies summary.

API: `facet_values(counts, request)`, `without_each_filter(regions, counts, request,
unfiltered, totals=None)`, `order_agencies(summaries)`, `MAX_AGENCIES`, `MAX_FACET_VALUES`,
`MAX_REGION_VALUES`, and the vocabulary's `FACETS`, `COLUMN_FACETS`, `AUDIT`, `CHANGE`.
"""
from __future__ import annotations

import heapq
from collections import Counter
from operator import neg

from search.regions import expand
from search.request import SearchRequest
from search.results import AgencySummary, FacetValue
from search.vocabulary import AUDIT, AUDIT_KINDS, CHANGE, CHANGE_CLASSES, COLUMN_FACETS, FACETS, SECTION_KEYS

MAX_AGENCIES = 100          # agencies listed in the summary (agencies_total has them all)
MAX_FACET_VALUES = 50       # values listed per facet, selected ones always included
MAX_REGION_VALUES = 2000    # the region facet lists every region (a tree), up to this

__all__ = ["facet_values", "without_each_filter", "order_agencies", "MAX_AGENCIES", "MAX_FACET_VALUES",
           "MAX_REGION_VALUES", "FACETS", "COLUMN_FACETS", "AUDIT", "CHANGE"]


def facet_values(counts, request: SearchRequest) -> dict[str, list[FacetValue]]:
    """Facet values with counts, selected values always present (even at 0)."""
    facets = {}
    for i, name in enumerate(COLUMN_FACETS):
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
    chosen = set(request.changes)
    facets["change"] = [FacetValue(value=c, count=counts[CHANGE].get(c, 0), selected=c in chosen)
                        for c in CHANGE_CLASSES if counts[CHANGE].get(c) or c in chosen]
    return facets


def without_each_filter(regions, counts, request: SearchRequest, unfiltered: int,
                        totals: list[int] | None = None) -> dict[str, int]:
    """For an empty result: the hits dropping each selected facet value would give
    (``"region:海东市"``), and dropping every filter (``"all"``: `unfiltered`, the
    sections the query matches with no filter).

    Read off the facet counts already made, no further search: facet F counts what
    passes every filter but F's own, so without value v of F the hits are the counts of
    F's other chosen values (a region with the regions within it: `regions` are every
    region the index holds), or all of F's counts when v was the only one — the sum of
    `counts`, or ``totals[i]`` when the engine counted only some of F's values (the
    top ones and the chosen ones) and the total apart.
    """
    found: dict[str, int] = {}
    for i, name in enumerate(COLUMN_FACETS):
        chosen = {str(v) for v in request.filters[name]}
        if not chosen:
            continue
        by_value: Counter = Counter()
        for value, count in counts[i].items():
            by_value[str(value)] += count
        everything = sum(by_value.values()) if totals is None else totals[i]
        for value in chosen:
            rest = chosen - {value}
            if rest and name == "region":
                rest = {str(v) for v in expand(tuple(rest), regions)}
            found[f"{name}:{value}"] = sum(by_value[v] for v in rest) if chosen - {value} else everything
    found["all"] = unfiltered
    return found


def order_agencies(summaries: list[AgencySummary]) -> list[AgencySummary]:
    """The agencies summary as shown: most matching sections first, then most reports,
    then by name; at most `MAX_AGENCIES`."""
    return sorted(summaries, key=lambda a: (-a.sections, -a.reports, a.agency))[:MAX_AGENCIES]
