"""bench.parity's comparison: every count the page shows, each difference named with its query."""
from dataclasses import replace

from bench.parity import compared, differences
from bench.queries import BenchQuery
from search.results import AgencySummary, FacetValue, SearchResults

QUERY = BenchQuery("q", "公开", years=(2023,))


def _results(**changes) -> SearchResults:
    base = SearchResults(
        query="公开", terms=["公开"], total=5, page=1, page_size=10, unfiltered=9, agencies_total=2,
        facets={"agency": [FacetValue("甲局", 3, False), FacetValue("乙局", 2, False)],
                "year": [FacetValue("2023", 5, True), FacetValue("2022", 4, False)]},
        agencies=[AgencySummary("甲局", "a1", "东原市", 1, 3), AgencySummary("乙局", "a2", "东原市", 1, 2)])
    return replace(base, **changes)


def test_equal_answers_differ_in_nothing_and_every_count_is_compared():
    assert differences(QUERY, _results(), _results()) == []
    # total, unfiltered, agencies_total, partial, 4 facet values, 2 + 2 summary counts
    assert compared(_results(), _results()) == 12


def test_each_differing_count_is_named_with_its_query():
    other = _results(total=4, facets={"agency": [FacetValue("甲局", 3, False)],
                                      "year": [FacetValue("2023", 5, True), FacetValue("2022", 3, False)]})
    found = differences(QUERY, _results(), other)
    assert [(d["what"], d["value"], d["whoosh"], d["opensearch"]) for d in found] == [
        ("facet agency", "乙局", 2, None), ("facet year", "2022", 4, 3), ("total", "", 5, 4)]
    assert all(d["q"] == "公开" and d["filters"] == "years=2023" for d in found)
