"""The JSON API through Flask's test client: envelope, data, errors, and the OpenAPI
document validated against real responses of every route."""
from __future__ import annotations

import re

import csv
import io
from urllib.parse import quote

import jsonschema
import pytest
from bs4 import BeautifulSoup

from tests.web_support import XSS, app, client, index_root, made_up_reports, make_app, site  # noqa: F401

QUERY = "依申请公开"


def test_the_health_checks_503_matches_the_document(tmp_path):
    client = make_app(tmp_path / "no-index").test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    validate(client, response, "/healthz")


def validate(client, response, path: str) -> None:
    """Check a response against the OpenAPI document's schema for its path and status."""
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"][path]["get"]
    declared = operation["responses"][str(response.status_code)]
    schema = declared["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator.check_schema(document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    jsonschema.validate(response.get_json(), {**schema, "components": document["components"]},
                        cls=jsonschema.Draft202012Validator)


# Every documented route with a request that succeeds and one that fails.
CASES = [
    ("/api/search", f"/api/search?q={QUERY}&region=青柳市&size=2", 200),
    ("/api/search", "/api/search", 200),
    ("/api/search", "/api/search?page=0", 400),
    ("/api/search", "/api/search?year=later", 400),
    ("/api/reports/{report_id}", "/api/reports/白石县人民政府-2023", 200),
    ("/api/reports/{report_id}", "/api/reports/青柳市交通运输局-2022", 200),
    ("/api/reports/{report_id}", "/api/reports/nope", 404),
    ("/api/agencies", "/api/agencies", 200),
    ("/api/agencies/{agency_id}", "/api/agencies/青柳市交通运输局", 200),
    ("/api/agencies/{agency_id}", "/api/agencies/白石县人民政府", 200),
    ("/api/agencies/{agency_id}", "/api/agencies/nope", 404),
    ("/api/figures", "/api/figures", 200),
    ("/api/figures", "/api/figures?figure=proactive.fees.amount&region=青柳市&year=2022", 200),
    ("/api/figures", "/api/figures?figure=nope", 400),
    ("/api/figures", "/api/figures?audit=arithmetic", 200),
    ("/api/audit", "/api/audit", 200),
    ("/healthz", "/healthz", 200),
    ("/api/search", "/api/search?change=rewritten&change=similar", 200),
    ("/api/search", "/api/search?change=copied", 400),
    ("/api/reports/{report_id}/changes", "/api/reports/青柳市交通运输局-2023/changes", 200),
    ("/api/reports/{report_id}/changes", "/api/reports/青柳市生态环境局-2023/changes", 200),   # none earlier
    ("/api/reports/{report_id}/changes",
     "/api/reports/青柳市交通运输局-2022/changes?against=青柳市交通运输局-2023", 200),
    ("/api/reports/{report_id}/changes", "/api/reports/青柳市交通运输局-2023/changes?against=白石县人民政府-2023", 400),
    ("/api/reports/{report_id}/changes", "/api/reports/nope/changes", 404),
    ("/api/reports/{report_id}/changes", "/api/reports/青柳市交通运输局-2023/changes?against=nope", 404),
    ("/api/compare", "/api/compare?a=青柳市交通运输局-2023&b=青柳市交通运输局-2022", 200),
    ("/api/compare", "/api/compare?a=青柳市交通运输局-2023", 400),
    ("/api/compare", "/api/compare?a=青柳市交通运输局-2023&b=青柳市交通运输局-2023", 400),
    ("/api/compare", "/api/compare?a=nope&b=青柳市交通运输局-2022", 404),
    ("/api/changes", "/api/changes", 200),
    ("/api/changes", "/api/changes?figure=appeals.suits.total&kind=department&audit=arithmetic&measure=relative", 200),
    ("/api/changes", "/api/changes?figure=appeals.review.total&region=青柳市&from=2022&to=2023&size=1", 200),
    ("/api/changes", "/api/changes?from=2023&to=2022", 200),
    ("/api/changes", "/api/changes?measure=most", 400),
]


@pytest.mark.parametrize("path, url, status", CASES)
def test_responses_match_the_openapi_document(client, path, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    validate(client, response, path)


def test_every_documented_route_is_exercised(client):
    document = client.get("/api/openapi.json").get_json()
    assert set(document["paths"]) == {path for path, _, _ in CASES}
    assert document["openapi"].startswith("3.1")
    for path, item in document["paths"].items():
        # Every route may be rate-limited and find no index; the health check only the latter.
        assert set(item["get"]["responses"]) >= ({"200", "503"} if path == "/healthz" else {"200", "429", "503"})


def test_every_api_route_of_the_app_is_documented(app, client):
    document = client.get("/api/openapi.json").get_json()
    served = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"}
    assert served | {"/healthz"} == set(document["paths"])


def test_search_returns_the_engines_results_in_the_envelope(client):
    data = client.get(f"/api/search?q={QUERY}&region=白石县").get_json()
    assert data["ok"] is True
    assert (data["query"], data["terms"], data["total"], data["page"], data["page_size"]) == (
        QUERY, [QUERY], 2, 1, 10)
    assert sorted((h["report_id"], h["section"]) for h in data["hits"]) == [
        ("白石县人民政府-2023", "overview"), ("白石县人民政府-2023", "requests")]
    assert all(f"<mark>{QUERY}</mark>" in h["snippet"] for h in data["hits"])
    assert data["facets"]["region"] == [
        {"value": "青柳市", "count": 6, "selected": False},
        {"value": "白石县", "count": 2, "selected": True}]
    assert data["agencies"] == [{"agency": "白石县人民政府", "agency_id": "白石县人民政府",
                                 "region": "白石县", "reports": 1, "sections": 2}]


def test_search_escapes_markup_in_snippets(client):
    data = client.get("/api/search", query_string={"q": "字符"}).get_json()
    snippet = data["hits"][0]["snippet"]
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert "<mark>字符</mark>" in snippet


def test_report_is_the_whole_parsed_report_with_links(client):
    data = client.get("/api/reports/白石县人民政府-2023").get_json()
    report = data["report"]
    expected = next(r for r in made_up_reports() if r.agency == "白石县人民政府")
    assert report["figures"] == expected.figures
    assert [(s["key"], s["title"], s["text"]) for s in report["sections"]] == [
        (s.key, s.title, s.text) for s in expected.sections]
    assert [(c["rule"], c["ok"]) for c in report["checks"]] == [(c.rule, c.ok) for c in expected.checks]
    # The detail reads in Chinese; the figures it adds up keep their keys for programs.
    balance = next(c for c in report["checks"] if c["rule"] == "balance.natural")
    assert balance["detail"] == ("一、本年新收政府信息公开申请数量 8 + 二、上年结转政府信息公开申请数量 0 = 8 = "
                                 "（七）总计 8 + 四、结转下年度继续办理 0 = 8")
    assert [(n["key"], n["value"]) for n in balance["numbers"]] == [
        ("requests.new.natural", 8), ("requests.carried_over.natural", 0),
        ("requests.total.natural", 8), ("requests.carried_forward.natural", 0)]
    assert balance["numbers"][0]["label"] == "一、本年新收政府信息公开申请数量·自然人"
    assert not any(re.search(r"[a-z_]{3}", c["detail"]) for c in report["checks"])
    assert report["consistent"] is False
    assert (report["id"], report["agency_id"], report["region"], report["year"], report["template"]) == (
        "白石县人民政府-2023", "白石县人民政府", "白石县", 2023, 2019)
    assert report["sections"][0]["url"] == "/reports/" + quote("白石县人民政府-2023") + "#overview"
    with client.get(report["original_url"]) as original:
        assert original.status_code == 200


def test_agencies_lists_every_agency(client):
    data = client.get("/api/agencies").get_json()
    assert [(a["agency"], a["region"], a["years"]) for a in data["agencies"]] == [
        ("白石县人民政府", "白石县", [2023]),
        ("青柳市交通运输局", "青柳市", [2022, 2023]),
        ("青柳市生态环境局", "青柳市", [2023])]
    for agency in data["agencies"]:
        assert client.get(agency["api_url"]).status_code == 200
        assert client.get(agency["url"]).status_code == 200


def test_agency_has_reports_key_figures_and_checks(client):
    agency = client.get("/api/agencies/青柳市交通运输局").get_json()["agency"]
    assert agency["years"] == [2022, 2023]
    assert [(r["id"], r["failing_checks"]) for r in agency["reports"]] == [
        ("青柳市交通运输局-2022", 0), ("青柳市交通运输局-2023", 0)]
    assert agency["key_figures"]["requests.new.total"] == [12, 20]
    assert agency["key_figures"]["appeals.review.total"] == [1, 0]
    assert sorted(agency["checks"]) == ["2022", "2023"]
    failing = client.get("/api/agencies/白石县人民政府").get_json()["agency"]
    assert [c["rule"] for c in failing["checks"]["2023"] if not c["ok"]] == ["balance.total", "row_total.total"]


def test_figures_are_the_same_table_as_the_page_and_its_csv(client):
    params = "figure=requests.new.total&figure=appeals.review.total&sort=requests.new.total&order=asc"
    data = client.get(f"/api/figures?{params}").get_json()
    assert data["figures"] == ["requests.new.total", "appeals.review.total"]
    assert [c["key"] for c in data["columns"]] == [
        "agency", "region", "year", "requests.new.total", "appeals.review.total", "findings"]
    assert data["rows"] == [["青柳市生态环境局", "青柳市", 2023, 5, 2, ""],
                            ["白石县人民政府", "白石县", 2023, 8, 0, "表内勾稽不符"],
                            ["青柳市交通运输局", "青柳市", 2022, 12, 1, ""],
                            ["青柳市交通运输局", "青柳市", 2023, 20, 0, ""]]
    table = list(csv.reader(io.StringIO(
        client.get(f"/figures?{params}&format=csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0] == [c["label"] for c in data["columns"]]
    assert table[1:] == [[str(v) for v in row] for row in data["rows"]]
    page = BeautifulSoup(client.get(f"/figures?{params}").get_data(as_text=True), "html.parser")
    shown = [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select("#figures-table tbody tr")]
    assert shown == table[1:]


@pytest.mark.parametrize("url, status, message", [
    ("/api/search?page=abc", 400, "页码必须是正整数。"),
    ("/api/search?section=nope", 400, "没有名为“nope”的章节，可选：overview、proactive、requests、appeals、problems、other。"),
    ("/api/search?q=" + "长" * 201, 400, "检索词太长了，请不要超过 200 个字。"),
    ("/api/search?q=公开&q=-复议 -诉讼", 400, "参数“q”只能给一个值，这个请求给了 2 个。"),
    ("/api/search?q=公开&page=1&page=2", 400, "参数“page”只能给一个值，这个请求给了 2 个。"),
    ("/api/search?page=", 400, "参数“page”不能为空：不需要时请去掉它。"),
    ("/api/figures?sort=agency&sort=year", 400, "参数“sort”只能给一个值，这个请求给了 2 个。"),
    ("/api/figures?order=asc&order=desc", 400, "参数“order”只能给一个值，这个请求给了 2 个。"),
    ("/api/figures?size=5&size=500", 400, "参数“size”只能给一个值，这个请求给了 2 个。"),
    ("/api/figures?format=pdf", 400, "下载格式只能是 csv 或 json。"),
    ("/api/reports/" + quote(XSS, safe=""), 404, "找不到这个页面。"),
    ("/api/nothing-here", 404, "找不到这个页面。"),
])
def test_errors_come_in_the_error_envelope(client, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert response.get_json() == {"ok": False, "error": message, "status": status}


def test_wrong_method_is_a_405_envelope(client):
    response = client.post("/api/search")
    assert response.status_code == 405
    assert response.get_json() == {"ok": False, "error": "不支持这种请求方式。", "status": 405}


def test_rate_limited_api_answers_429_envelope_with_retry_after(site):
    client = make_app(site, RATELIMIT_ENABLED=True, RATELIMIT_APPLICATION="2 per minute").test_client()
    assert [client.get("/api/agencies").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/search")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json() == {"ok": False, "error": "请求过于频繁，请稍后再试。", "status": 429}
    validate(make_app(site).test_client(), response, "/api/search")


def test_chinese_stays_readable_in_json(client):
    body = client.get("/api/agencies").get_data(as_text=True)
    assert "青柳市交通运输局" in body and "\\u" not in body


def test_every_parameter_the_parsers_read_is_documented_with_their_words(client):
    from search.comparison import ComparisonRequest
    from search.request import SearchRequest, parse_figure_filter
    from search.vocabulary import FIGURE_KEYS, SORTS

    paths = client.get("/api/openapi.json").get_json()["paths"]
    search = {p["name"]: p["schema"] for p in paths["/api/search"]["get"]["parameters"]}
    full = SearchRequest(query="公开", agencies=("甲局",), regions=("甲市",), years=(2023,), sections=("other",),
                         audits=("late",), changes=("similar",), template=2019, failing=True,
                         figure_filters=(parse_figure_filter("requests.new.total>=1"),),
                         sort="requests.new.total", ascending=True, page=2, page_size=5)
    assert set(search) == set(full.to_params())
    assert set(search["sort"]["enum"]) == {*SORTS, *(k + o for k in FIGURE_KEYS for o in ("", ":asc", ":desc"))}
    assert search["template"] == {"enum": [2019, 2021]}
    figures = {p["name"]: p["schema"] for p in paths["/api/figures"]["get"]["parameters"]}
    asked = ComparisonRequest.from_params({"figure": "requests.new.total", "region": "甲市", "year": "2023",
                                           "agency": "甲局", "audit": "late", "fig": "requests.new.total>1",
                                           "sort": "requests.new.total", "order": "asc"})
    assert set(figures) == {*asked.to_params(), "page", "size"}
    from search.changes import ChangesRequest

    changes = {p["name"]: p["schema"] for p in paths["/api/changes"]["get"]["parameters"]}
    listing = ChangesRequest.from_params({"figure": "appeals.suits.total", "from": "2021", "to": "2023",
                                          "region": "甲市", "kind": "department", "audit": "late",
                                          "measure": "relative"})
    assert set(changes) == {*listing.to_params(), "size"}
    assert "appeals.suits.total" in changes["figure"]["enum"]


def test_the_documents_bounds_are_the_settings_the_site_runs_with(index_root):
    client = make_app(index_root, MAX_PAGE=7, MAX_FILTER_VALUES=3, MAX_QUERY_LENGTH=30).test_client()
    search = {p["name"]: p["schema"] for p in
              client.get("/api/openapi.json").get_json()["paths"]["/api/search"]["get"]["parameters"]}
    assert search["page"] == {"type": "integer", "minimum": 1, "maximum": 7}
    assert search["q"]["maxLength"] == 30 and search["agency"]["maxItems"] == 3
    assert search["year"]["items"]["anyOf"][0] == {"type": "integer", "minimum": 2000, "maximum": 2099}
    assert client.get("/api/search?page=7").status_code == 200
    assert client.get("/api/search?page=8").status_code == 400
    assert client.get("/api/search?q=" + "公" * 31).status_code == 400
