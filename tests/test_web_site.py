"""The site through Flask's test client: what every response carries, the home page,
errors, limits, settings, and an index appearing or rebuilt while the app runs.

The index is built from the made-up reports of tests/web_support.py: 青柳市交通运输局
(2022, 2023), 青柳市生态环境局 (2023, a markup payload in its text) and 白石县人民政府
(2023, 2019 template, table 3 does not balance).
"""
from __future__ import annotations

import csv
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web_support import app, client, index_root, made_up_reports, make_app, site, site_index  # noqa: F401
from tests.page_support import QUERY, hits, soup, text
from web.security import HEADERS


# --- every response ---------------------------------------------------------------

ROUTES = ["/", "/search", f"/search?q={QUERY}", "/reports/青柳市交通运输局-2023",
          "/agencies/青柳市交通运输局", "/figures", "/figures?format=csv", "/search.atom?q=公开",
          "/api/search", "/api/openapi.json", "/static/site.css", "/nowhere", "/search?page=x",
          "/reports/青柳市交通运输局-2023/original"]


@pytest.mark.parametrize("url", ROUTES)
def test_every_response_carries_the_security_headers(client, url):
    with client.get(url) as response:
        assert response.status_code < 500
        for name, value in HEADERS.items():
            assert response.headers[name] == value
    assert "script-src" not in HEADERS["Content-Security-Policy"]   # default-src 'none'
    assert "'unsafe-inline'" not in HEADERS["Content-Security-Policy"]


# --- one view per resource ------------------------------------------------------------

def test_a_resources_page_and_its_api_are_one_view(app):
    views = app.view_functions
    for name in ("search", "report", "agency", "audit", "figures"):
        assert views[f"pages.{name}"] is views[f"api.{name}"], name
    assert views["feeds.search_feed"] is views["pages.search"]


def test_the_api_answers_from_one_search_without_building_the_page(client, monkeypatch):
    from web.present import search as search_view

    def no_page(*args, **kwargs):
        raise AssertionError("the page was built for a JSON answer")

    service = client.application.extensions["reports_service"]    # the engine contract's (web.service)
    calls = []
    real = service.search
    monkeypatch.setattr(service, "search", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(search_view, "search_page", no_page)
    data = client.get(f"/api/search?q={QUERY}").get_json()
    assert data["ok"] and data["total"] == 8 and len(calls) == 1


# --- home -----------------------------------------------------------------------------

def test_home_shows_what_the_corpus_holds_and_ways_in(client):
    page = soup(client.get("/"))
    stats = [text(li) for li in page.select("ul.stats li")]
    assert stats == ["4 份年度报告", "3 个机关", "2 个地区", "2 个年度", "1 份报告的表格数字未通过核对"]
    assert page.select_one("ul.stats a")["href"] == "/search?failing=1"
    groups = {text(h2): [(text(a), a["href"]) for a in h2.find_next("ul").select("a")]
              for h2 in page.select("main h2")}
    assert groups == {
        "按地区": [("青柳市 3", "/search?region=%E9%9D%92%E6%9F%B3%E5%B8%82"),     # reports, most first
                 ("白石县 1", "/search?region=%E7%99%BD%E7%9F%B3%E5%8E%BF")],
        "按年度": [("2023 年度 3", "/search?year=2023"), ("2022 年度 1", "/search?year=2022")],
        "按机关": [("白石县人民政府 1", "/agencies/%E7%99%BD%E7%9F%B3%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C"),
                 ("青柳市交通运输局 2", "/agencies/%E9%9D%92%E6%9F%B3%E5%B8%82%E4%BA%A4%E9%80%9A%E8%BF%90%E8%BE%93%E5%B1%80"),
                 ("青柳市生态环境局 1", "/agencies/%E9%9D%92%E6%9F%B3%E5%B8%82%E7%94%9F%E6%80%81%E7%8E%AF%E5%A2%83%E5%B1%80")],
    }
    form = page.select_one("form.searchbox")
    assert form["action"] == "/search" and form.select_one("input")["name"] == "q"


def test_failing_link_finds_the_unbalanced_report(client):
    page = soup(client.get("/search?failing=1"))
    assert {h.split(" ")[0] for h in hits(page)} == {"白石县人民政府"}
    chips = [(text(a), a["href"]) for a in page.select("ul.chips a")]
    assert chips == [("核对未通过 ✕", "/search"), ("清除全部筛选", "/search")]


def test_filters_without_a_facet_show_as_chips_and_clear(client):
    page = soup(client.get(f"/search?q={QUERY}&fig=requests.new.total>=10&template=2021&region=青柳市"))
    assert {h.split(" ")[0] for h in hits(page)} == {"青柳市交通运输局"}
    chips = {text(a): parse_qs(urlsplit(a["href"]).query) for a in page.select("ul.chips a")}
    assert chips == {
        "地区：青柳市 ✕": {"q": [QUERY], "template": ["2021"], "fig": ["requests.new.total>=10"]},
        "2021 年版模板 ✕": {"q": [QUERY], "fig": ["requests.new.total>=10"], "region": ["青柳市"]},
        "数字：requests.new.total>=10 ✕": {"q": [QUERY], "template": ["2021"], "region": ["青柳市"]},
        "清除全部筛选": {"q": [QUERY]},
    }


# --- errors and limits -----------------------------------------------------------------------

def test_unknown_pages_and_methods(client):
    response = client.get("/nowhere")
    assert response.status_code == 404 and "找不到这个页面" in response.get_data(as_text=True)
    response = client.post("/search")
    assert response.status_code == 405 and "不支持这种请求方式" in response.get_data(as_text=True)
    assert response.headers["Allow"]


def test_rate_limit_answers_429_with_retry_after(site):
    limited = make_app(site, RATELIMIT_ENABLED=True, RATELIMIT_APPLICATION="3 per minute")
    client = limited.test_client()
    allowed = [client.get("/") for _ in range(3)]
    assert [r.status_code for r in allowed] == [200, 200, 200]
    assert [r.headers["X-RateLimit-Remaining"] for r in allowed] == ["2", "1", "0"]
    assert all("Retry-After" not in r.headers for r in allowed)
    response = client.get("/")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "请求过于频繁" in response.get_data(as_text=True)
    with client.get("/static/site.css") as static:
        assert static.status_code == 200                     # static files are not counted
    other = limited.test_client()
    assert other.get("/", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200   # per client


def test_the_default_secret_is_refused_outside_debug_and_testing(index_root, monkeypatch):
    from web import create_app

    monkeypatch.delenv("REPORTS_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="default secret"):
        create_app({"INDEX_PATH": str(index_root)})
    monkeypatch.setenv("REPORTS_SECRET_KEY", "a real secret")
    assert create_app({"INDEX_PATH": str(index_root)}).config["SECRET_KEY"] == "a real secret"


def test_settings_come_from_the_environment(index_root, monkeypatch):
    monkeypatch.setenv("REPORTS_PAGE_SIZE", "3")
    monkeypatch.setenv("REPORTS_INDEX_PATH", str(index_root))
    from web import create_app

    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})
    assert app.config["PAGE_SIZE"] == 3 and app.config["INDEX_PATH"] == str(index_root)
    assert len(hits(soup(app.test_client().get(f"/search?q={QUERY}")))) == 3
    monkeypatch.setenv("REPORTS_MAX_PAGE_SIZE", "many")
    with pytest.raises(RuntimeError, match="REPORTS_MAX_PAGE_SIZE"):
        create_app({"TESTING": True})


def test_no_index_is_a_503_until_one_is_built_then_served_without_restart(tmp_path):
    app = make_app(tmp_path / "index")
    client = app.test_client()
    response = client.get(f"/search?q={QUERY}")
    assert response.status_code == 503
    assert "检索索引尚未建立" in response.get_data(as_text=True)
    assert client.get("/api/search").get_json() == {
        "ok": False, "error": "检索索引尚未建立，请稍后再试。", "status": 503}
    site_index(tmp_path / "index")
    assert len(hits(soup(client.get(f"/search?q={QUERY}")))) == 8


def test_a_rebuilt_index_is_served_without_restart(tmp_path):
    reports = made_up_reports()
    site_index(tmp_path, reports[:1])
    client = make_app(tmp_path).test_client()
    assert len(hits(soup(client.get(f"/search?q={QUERY}")))) == 2
    assert client.get("/reports/白石县人民政府-2023").status_code == 404
    site_index(tmp_path, reports)
    assert len(hits(soup(client.get(f"/search?q={QUERY}")))) == 8
    assert client.get("/reports/白石县人民政府-2023").status_code == 200


FUZZ_VALUES = ["", "-1", str(10 ** 30), "nan", "<script>alert(1)</script>", "\x00", "青柳市",
               "requests.new.total", "requests.new.total>=1", "a" * 600]
FUZZ_PARAMS = ["q", "agency", "region", "year", "section", "sort", "order", "page", "size",
               "template", "failing", "fig", "figure", "format", "audit"]


@pytest.mark.parametrize("route", ["/search", "/search.atom", "/figures", "/api/search", "/api/figures", "/audit",
                                   "/reports/青柳市交通运输局-2023"])
def test_no_parameter_value_gives_a_server_error_or_raw_markup(client, route):
    for name in FUZZ_PARAMS:
        for value in FUZZ_VALUES:
            response = client.get(route, query_string={name: value, "q": value} if name != "q" else {name: value})
            assert response.status_code in (200, 400), (route, name, value, response.status_code)
            if response.mimetype == "application/json":      # data, not markup: it only has to parse
                assert response.get_json()["ok"] is (response.status_code == 200)
            else:
                assert "<script>alert(1)</script>" not in response.get_data(as_text=True), (route, name, value)
