"""The whoosh engine's own machinery: what it keeps per index version and how it bounds
its work, checked against the independent oracle (tests/oracle.py)."""
import pytest

from index.store import IndexHandle
from search.request import SearchRequest
from search.whoosh.engine import search
from tests import oracle
from tests.searchdata import CORPUS, build_index
from tests.test_service_search import QUERIES

SECTIONS = [(r, s) for r in CORPUS for s in r.sections]


@pytest.fixture(scope="module")
def handle(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("index"))


@pytest.mark.parametrize("shown", [1, 2, 3])
def test_agencies_summary_lists_the_top_agencies_and_counts_them_all(handle, monkeypatch, shown):
    from search import facets as shown_facets
    from search.whoosh import facets

    full = search(handle, SearchRequest(query="公开")).agencies
    monkeypatch.setattr(facets, "MAX_AGENCIES", shown)
    monkeypatch.setattr(shown_facets, "MAX_AGENCIES", shown)
    fresh = IndexHandle(handle.root)   # a fresh handle: no snapshot, nothing kept
    results = search(fresh, SearchRequest(query="公开"))
    assert results.agencies == full[:shown]
    assert results.agencies_total == len(full) > shown


def test_warm_up_builds_the_catalog_once(handle):
    from search.whoosh.context import snapshot
    from search.whoosh.engine import warm_up

    warm_up(handle)
    with handle.searcher() as first:
        built = snapshot(handle, first).catalog
    with handle.searcher() as again:
        assert snapshot(handle, again).catalog is built
    assert len(built.sections) == len(SECTIONS) and len(built.reports) == len(CORPUS)


@pytest.mark.parametrize("query", ["公开", "", "申请 OR 国家秘密", "公开 -申请", "12"])
def test_kept_counts_and_agencies_answer_as_a_fresh_search(handle, query):
    handle = IndexHandle(handle.root)   # a fresh handle: no snapshot, nothing kept
    fresh = search(handle, SearchRequest(query=query))
    again = search(handle, SearchRequest(query=query))            # counts and agencies kept
    page2 = search(handle, SearchRequest(query=query, page=2, page_size=3))
    assert again == fresh
    assert (page2.facets, page2.agencies, page2.total) == (fresh.facets, fresh.agencies, fresh.total)
    filtered = search(handle, SearchRequest(query=query, years=(2023,)))   # not from the kept ones
    assert filtered.total == sum(v.count for v in fresh.facets["year"] if v.value == "2023")


def test_a_verbatim_lookup_in_small_slices_finds_the_same(tmp_path_factory, monkeypatch):
    """`search.whoosh.verbatim` reads a segment's postings a slice of docnums at a time
    (its memory bound); slices of one document, cutting every posting block, change nothing."""
    from search.whoosh import verbatim

    monkeypatch.setattr(verbatim, "SLICE", 1)
    sliced = build_index(tmp_path_factory.mktemp("sliced"))   # a fresh handle: nothing cached
    for query in QUERIES:
        results = search(sliced, SearchRequest(query=query, page_size=100))
        expected = {(f"{r.agency}-{r.year}", s.key) for r, s in SECTIONS if oracle.matches(query, r, s)}
        assert {(h.report_id, h.section) for h in results.hits} == expected, query
