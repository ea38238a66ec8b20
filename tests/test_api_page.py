"""The /api page: every route of the OpenAPI document explained in Chinese, sample
requests that really answer, the error envelope and the rate limit."""
from __future__ import annotations

from bs4 import BeautifulSoup

from web.openapi import document
from web.present.apidoc import rate_limit_text
from tests.web_support import app, client, index_root, make_app, site  # noqa: F401


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_every_route_and_parameter_of_the_openapi_document_is_on_the_page(client):
    page = soup(client.get("/api"))
    headings = [h.get_text(strip=True) for h in page.select("section.endpoint h2")]
    doc = document()
    assert headings == [f"GET {path}" for path in doc["paths"]]
    search = page.select("section.endpoint")[0]
    names = [td.get_text() for td in search.select("table.params")[0].select("tbody tr td:first-child")]
    assert names == [p["name"] for p in doc["paths"]["/api/search"]["get"]["parameters"]]
    fields = [td.get_text() for td in search.select("table.params")[1].select("tbody tr td:first-child")]
    assert fields[:3] == ["ok", "query", "terms"] and "命中的章节数" in search.get_text()
    assert '"hits": [' in search.select_one("details pre").get_text()


def test_sample_requests_answer_with_the_envelope(client):
    page = soup(client.get("/api"))
    samples = [a["href"] for a in page.select("section.endpoint pre.code a")]
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert len(samples) == len(paths) and all("{" not in url for url in samples)
    for url in samples:
        answer = client.get(url)
        assert answer.status_code == 200 and answer.get_json()["ok"] is True, url


def test_errors_and_rate_limit_are_explained(client):
    page = soup(client.get("/api"))
    errors = page.select_one("#errors")
    assert [td.get_text() for td in errors.select("tbody td:first-child")] == ["ok", "error", "status"]
    sample = errors.select_one("pre").get_text()
    assert '"ok": false' in sample and client.get("/api/search?year=20x3").get_json()["error"] in sample
    assert page.select_one("#rate-limit p").get_text() == "目前不限制请求次数。"   # tests turn it off
    assert rate_limit_text("120 per minute;2000 per hour", True).startswith(
        "每个访问来源每分钟最多 120 次、每小时最多 2000 次。超出时返回 HTTP 429")


def test_the_menu_links_to_the_page_and_the_limit_shown_is_the_apps(site):  # noqa: F811
    limited = make_app(site, RATELIMIT_ENABLED=True, RATELIMIT_APPLICATION="30 per minute").test_client()
    page = soup(limited.get("/api"))
    assert page.select_one("header nav a[href='/api']").get_text() == "API"
    assert page.select_one("#rate-limit p").get_text().startswith("每个访问来源每分钟最多 30 次")
