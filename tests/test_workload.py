"""Every request has a work budget: a search stops when its CPU budget is spent and
answers with what it has (partial) or 503 + Retry-After; zero-hit suggestions come
from the facet counts (no extra searches); excluded terms are cached; expensive
searches weigh more in the rate limit; past a few milliseconds a search needs a
slow-lane slot, so slow requests cannot hold every thread."""
from __future__ import annotations

import pytest

from index.store import IndexHandle
from search import budget as budget_module
from search.whoosh import context, engine
from search.budget import BUSY, PARTIAL, Budget, BudgetSpent, Busy
from search.request import SearchRequest
from tests.web_support import index_root, make_app  # noqa: F401
from web.service import get_service
from web.workload import EXTENSION


class Clock:
    """A CPU clock for a Budget: 0 at the start, then `after` for every later reading."""

    def __init__(self, after: float):
        self.readings, self.after = 0, after

    def __call__(self) -> float:
        self.readings += 1
        return 0.0 if self.readings == 1 else self.after


def test_a_search_over_budget_answers_partial_and_every_hit_shown_is_true(index_root):
    handle = IndexHandle(index_root)
    engine.search(handle, SearchRequest(query="依申请公开"))      # the group's sections now kept
    results = engine.search(handle, SearchRequest(query="依申请公开 -复议"), Budget(1.0, clock=Clock(2.0)))
    assert results.partial and results.notice == PARTIAL
    assert results.hits, "it answers with what it has"
    full = engine.search(handle, SearchRequest(query="依申请公开 -复议"))
    assert not full.partial and full.notice is None
    assert {h.report_id + h.section for h in results.hits} <= {h.report_id + h.section for h in full.hits}


def test_a_search_with_nothing_to_show_when_spent_raises(index_root):
    handle = IndexHandle(index_root)
    with pytest.raises(BudgetSpent):
        engine.search(handle, SearchRequest(query="公开栏目更新"), Budget(1.0, clock=Clock(2.0)))
    # The same search within its budget is whole.
    assert engine.search(handle, SearchRequest(query="公开栏目更新"), Budget(1.0, clock=Clock(0.5))).total == 1


def test_a_refused_gate_stops_the_search_as_busy():
    asked = []
    budget = Budget(1.0, gate=lambda: asked.append(1) or False, gate_after=0.01, clock=Clock(0.02))
    with pytest.raises(Busy) as raised:
        budget.cut()
    assert raised.value.message == BUSY and asked == [1]
    assert budget_module.Budget(None).spent() is False


def test_excluded_terms_are_matched_once_then_kept(index_root, monkeypatch):
    handle = IndexHandle(index_root)
    calls = []
    real = context.verbatim_docs
    monkeypatch.setattr(context, "verbatim_docs", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    request = SearchRequest(query="-公开栏目更新不够 -道路运输许可信息")
    first = engine.search(handle, request)
    assert sorted(calls) == ["公开栏目更新不够", "道路运输许可信息"]
    calls.clear()
    assert engine.search(handle, request).total == first.total and calls == []


def test_a_zero_hit_page_with_many_filters_runs_one_search(index_root, monkeypatch):
    client = make_app(index_root).test_client()
    calls = []
    real = engine.search
    monkeypatch.setattr(engine, "search", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    years = "&".join(f"year={y}" for y in range(2000, 2050))
    regions = "&".join(f"region=地区{n}" for n in range(49)) + "&region=白石县"
    html = client.get(f"/search?q=依申请公开&{years}&{regions}&section=problems").get_data(as_text=True)
    assert len(calls) == 1
    assert "没有找到符合条件的报告章节" in html
    # The suggestion's count is what the search without that filter finds.
    without_section = real(IndexHandle(index_root), SearchRequest(
        query="依申请公开", years=tuple(range(2000, 2050)),
        regions=tuple(f"地区{n}" for n in range(49)) + ("白石县",))).total
    assert without_section > 0
    assert f"去掉「章节：存在的主要问题及改进情况」（{without_section} 条结果）" in html


def test_without_filter_counts_equal_the_searches_they_replace(index_root):
    handle = IndexHandle(index_root)
    request = SearchRequest(query="依申请公开", regions=("白石县", "青柳市"), years=(2022,),
                            sections=("problems",), agencies=("白石县人民政府",))
    results = engine.search(handle, request)
    assert results.total == 0 and results.without_filter
    for facet, attribute, values in (("region", "regions", request.regions), ("year", "years", request.years),
                                     ("section", "sections", request.sections),
                                     ("agency", "agencies", request.agencies)):
        for value in values:
            smaller = SearchRequest(**{**request.__dict__, attribute: tuple(v for v in values if v != value)})
            assert results.without_filter[f"{facet}:{value}"] == engine.search(handle, smaller).total, (facet, value)
    assert results.without_filter["all"] == engine.search(handle, SearchRequest(query="依申请公开")).total


def test_api_answers_partial_with_a_sentence_and_the_page_says_so(index_root):
    app = make_app(index_root, SEARCH_CPU_SECONDS=1e-9)
    with app.app_context():   # the group's sections kept (by the app's handle), found without a budget
        engine.search(get_service().handle, SearchRequest(query="依申请公开"))
    client = app.test_client()
    data = client.get("/api/search?q=依申请公开 -复议").get_json()
    assert data["ok"] and data["partial"] is True and data["notice"] == PARTIAL and data["hits"]
    assert all("复议" not in hit["snippet"] for hit in data["hits"])
    assert PARTIAL in client.get("/search?q=依申请公开 -复议").get_data(as_text=True)
    whole = make_app(index_root).test_client().get("/api/search?q=依申请公开 -复议").get_json()
    assert whole["partial"] is False and whole["notice"] is None


def test_a_search_with_nothing_within_budget_is_a_503_with_retry_after(index_root):
    client = make_app(index_root, SEARCH_CPU_SECONDS=1e-9, BUSY_RETRY_AFTER=7, RATELIMIT_ENABLED=True).test_client()
    for url in ("/api/search?q=主动公开道路", "/search?q=主动公开道路", "/search.atom?q=主动公开道路"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response.headers["Retry-After"] == "7"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/api/search?q=主动公开道路").get_json()["status"] == 503


def test_past_the_cheap_share_a_search_needs_a_slow_lane_slot(index_root):
    app = make_app(index_root, SLOW_SEARCH_SECONDS=0.0, SLOW_SEARCHES=1, BUSY_RETRY_AFTER=3, SLOW_LANE_WAIT=0.01)
    client = app.test_client()
    lane = app.extensions[EXTENSION]
    assert lane.acquire(blocking=False)          # another request is in the slow lane
    try:
        response = client.get("/api/search?q=行政许可决定")
        assert response.status_code == 503 and response.headers["Retry-After"] == "3"
        assert response.get_json()["error"] == BUSY
    finally:
        lane.release()
    assert client.get("/api/search?q=行政许可决定").get_json()["total"] >= 1
    assert lane.acquire(blocking=False), "the slot was given back when the request ended"
    lane.release()


def test_expensive_searches_count_more_in_the_rate_limit(index_root):
    limited = dict(RATELIMIT_ENABLED=True, RATELIMIT_APPLICATION="12 per minute")
    client = make_app(index_root, **limited).test_client()
    statuses = [client.get("/api/search?q=公开 -复议 -诉讼").status_code for _ in range(6)]
    assert statuses[:2] == [200, 200] and statuses[-1] == 429     # each weighs 5 of 12
    cheap = make_app(index_root, **limited).test_client()
    assert [cheap.get("/api/search?q=公开").status_code for _ in range(12)] == [200] * 12


def test_the_rate_limit_weighs_the_search_the_view_runs_parsed_once(index_root, monkeypatch):
    from search.request import SearchRequest as Parsed

    client = make_app(index_root, RATELIMIT_ENABLED=True, RATELIMIT_APPLICATION="12 per minute").test_client()
    calls = []
    real = Parsed.from_params.__func__
    monkeypatch.setattr(Parsed, "from_params", classmethod(lambda cls, *a, **k: calls.append(1) or real(cls, *a, **k)))
    statuses = [client.get("/api/search?q=公开 -复议 -诉讼").status_code for _ in range(3)]
    assert statuses == [200, 200, 429] and len(calls) == 3        # one parse per request, cost 5 each
    # Two queries in one URL: one of them would be weighed and the other run; refused instead.
    refused = make_app(index_root).test_client().get("/api/search?q=公开&q=-复议 -诉讼 -公开 -依申请")
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "参数“q”只能给一个值，这个请求给了 2 个。"


# --- the figures comparison: budget, slow lane, weight ---------------------------------

def test_a_comparison_over_budget_answers_partial_rows_or_raises(index_root, monkeypatch):
    from search.comparison import ComparisonRequest
    from search.whoosh import figures

    monkeypatch.setattr(figures, "CHECK_EVERY", 1)      # four reports: look at the budget after each
    handle = IndexHandle(index_root)
    whole = figures.compare(handle, ComparisonRequest())
    assert whole.total == 4 and not whole.partial and whole.notice is None
    cut = figures.compare(handle, ComparisonRequest(), Budget(1.0, clock=Clock(2.0)))
    assert cut.partial and cut.notice == budget_module.PARTIAL_ROWS
    assert 1 <= cut.total < whole.total
    assert {r.report_id for r in cut.rows} <= {r.report_id for r in whole.rows}
    nothing = ComparisonRequest(regions=("没有这个地区",))
    assert figures.compare(handle, nothing).rows == []
    with pytest.raises(BudgetSpent):
        figures.compare(handle, nothing, Budget(1.0, clock=Clock(2.0)))


def test_figures_pages_say_when_the_budget_cut_them_and_a_cut_csv_is_refused(index_root, monkeypatch):
    from search.whoosh import figures

    monkeypatch.setattr(figures, "CHECK_EVERY", 1)
    client = make_app(index_root, SEARCH_CPU_SECONDS=1e-9).test_client()
    data = client.get("/api/figures").get_json()
    assert data["ok"] and data["partial"] is True and data["notice"] == budget_module.PARTIAL_ROWS
    assert data["rows"] and data["total"] < 4
    assert budget_module.PARTIAL_ROWS in client.get("/figures").get_data(as_text=True)
    download = client.get("/figures?format=csv")
    assert download.status_code == 503 and download.headers["Retry-After"]
    whole = make_app(index_root).test_client().get("/api/figures").get_json()
    assert whole["partial"] is False and whole["notice"] is None and whole["total"] == 4


def test_past_the_cheap_share_a_comparison_needs_a_slow_lane_slot(index_root, monkeypatch):
    from search.whoosh import figures

    monkeypatch.setattr(figures, "CHECK_EVERY", 1)
    app = make_app(index_root, SLOW_SEARCH_SECONDS=0.0, SLOW_SEARCHES=1, BUSY_RETRY_AFTER=3, SLOW_LANE_WAIT=0.01)
    client = app.test_client()
    lane = app.extensions[EXTENSION]
    assert lane.acquire(blocking=False)
    try:
        response = client.get("/api/figures")
        assert response.status_code == 503 and response.headers["Retry-After"] == "3"
        assert response.get_json()["error"] == BUSY
    finally:
        lane.release()
    assert client.get("/api/figures").get_json()["total"] == 4


def test_comparisons_weigh_more_in_the_rate_limit_and_downloads_most(index_root):
    limited = dict(RATELIMIT_ENABLED=True, RATELIMIT_APPLICATION="10 per minute")
    client = make_app(index_root, **limited).test_client()
    assert [client.get("/api/figures").status_code for _ in range(4)] == [200] * 3 + [429]     # 3 each
    downloads = make_app(index_root, **limited).test_client()
    assert [downloads.get("/figures?format=csv&size=5000").status_code for _ in range(3)] == [200, 200, 429]
    assert [make_app(index_root, **limited).test_client().get("/api/agencies").status_code
            for _ in range(10)] == [200] * 10
