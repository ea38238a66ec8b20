"""What the OpenSearch engine does that one small index never shows: several shards give
the same answers as one (agencies routed whole to a shard, so their facet counts are
exact; relevance scored with the whole index's statistics), pages past the result
window are read with search_after in the same order as the first ones, and documents
made on several processes are those one process makes."""
from __future__ import annotations

import pytest

from index.opensearch import making
from search.comparison import ComparisonRequest
from search.engines import open_service
from search.opensearch import paging
from search.request import SearchRequest
from tests.engines import built_opensearch, settings_for
from tests.indexdata import make_report
from tests.searchdata import CORPUS

pytestmark = pytest.mark.opensearch

QUERIES = ["公开", "申请", "行政复议 OR 诉讼", "公开 -申请", "工信局", "", "件"]


def _service(folder, shards: int):
    url, alias = built_opensearch(CORPUS, folder, shards=shards)
    return open_service(settings_for("opensearch", folder, opensearch_url=url, opensearch_index=alias))


@pytest.fixture(scope="module")
def one_and_three(tmp_path_factory):
    return _service(tmp_path_factory.mktemp("one-shard"), 1), _service(tmp_path_factory.mktemp("three"), 3)


def test_three_shards_answer_as_one(one_and_three):
    one, three = one_and_three
    assert three.health().reports == one.health().reports == len(CORPUS)
    for query in QUERIES:
        for extra in ({}, {"regions": ("青山市",)}, {"years": (2023,), "sort": "newest"},
                      {"sort": "requests.new.total"}, {"audits": ("arithmetic",)}):
            request = SearchRequest(query=query, page_size=50, **extra)
            a, b = one.search(request), three.search(request)
            assert (b.total, b.facets, b.agencies, b.agencies_total, b.unfiltered) == \
                (a.total, a.facets, a.agencies, a.agencies_total, a.unfiltered), (query, extra)
            # The same hits in the same order; scores equal but for float rounding.
            assert [(h.report_id, h.section) for h in b.hits] == [(h.report_id, h.section) for h in a.hits]
            assert [h.score for h in b.hits] == pytest.approx([h.score for h in a.hits], abs=1e-3)
    table = ComparisonRequest.from_params({"sort": "requests.new.total"})
    assert three.compare(table) == one.compare(table)
    assert three.agencies() == one.agencies() and three.stats() == one.stats() and three.audit() == one.audit()


def test_pages_past_the_result_window_follow_the_same_order(one_and_three, monkeypatch):
    service = one_and_three[1]
    whole = service.search(SearchRequest(query="公开", page_size=50))
    table = service.compare(ComparisonRequest.from_params({"sort": "year", "order": "desc", "size": "100"}))
    monkeypatch.setattr(paging, "MAX_RESULT_WINDOW", 3)    # every page but the first is "deep"
    monkeypatch.setattr(paging, "STEP", 2)                 # and skipped two rows a request
    pages = [service.search(SearchRequest(query="公开", page=page, page_size=4)) for page in range(1, 5)]
    assert [hit for page in pages for hit in page.hits] == whole.hits and len(whole.hits) == 13
    assert {page.total for page in pages} == {whole.total} and pages[2].facets == whole.facets
    rows = []
    for page in range(1, 4):
        part = service.compare(ComparisonRequest.from_params({"sort": "year", "order": "desc", "size": "3",
                                                              "page": str(page)}))
        assert part.total == table.total
        rows += part.rows
    assert rows == table.rows[:9]
    assert service.search(SearchRequest(query="公开", page=9, page_size=4)).hits == []


def test_documents_made_on_several_processes_are_those_made_on_one(tmp_path):
    """A build of enough reports makes their documents on child processes
    (index.opensearch.making): the index is the same as one process makes."""
    reports = [make_report(f"第{n}号测试局", "青山市" if n % 2 else "绿水县", 2020 + n % 4, n, failing=n % 7 == 0)
               for n in range(making.PARALLEL_MIN_REPORTS + 5)]
    services = []
    for workers in (1, 2):
        folder = tmp_path / f"workers{workers}"
        url, alias = built_opensearch(reports, folder, workers=workers)
        services.append(open_service(settings_for("opensearch", folder, opensearch_url=url, opensearch_index=alias)))
    one, two = services
    for query in ("公开", "第7号测试局", "信息处理费 -青山市", ""):
        request = SearchRequest(query=query, page_size=50)
        assert two.search(request) == one.search(request), query
    assert two.agencies() == one.agencies() and two.stats() == one.stats()
    assert [two.report(f"第{n}号测试局-{2020 + n % 4}") for n in (0, 44)] == \
        [one.report(f"第{n}号测试局-{2020 + n % 4}") for n in (0, 44)]
