"""The HTML site through Flask's test client: every page, its parameters, its errors.

The index is built from the made-up reports of tests/web_support.py: 青柳市交通运输局
(2022, 2023), 青柳市生态环境局 (2023, a markup payload in its text) and 白石县人民政府
(2023, 2019 template, table 3 does not balance).
"""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.web_support import XSS, app, client, index_root, made_up_reports, make_app, site_index  # noqa: F401
from search.request import cap_query
from web.security import HEADERS

QUERY = "依申请公开"      # occurs in every report's overview and requests sections: 8 sections


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def flat(node) -> str:
    """The text as read, inline elements joined without spaces."""
    return " ".join(node.get_text("").split())


def hits(page) -> list[str]:
    return [text(h.select_one("h3")) for h in page.select("li.hit")]


def facets(page) -> dict:
    """{facet title: [(label, count, selected)]} as the sidebar shows it."""
    return {text(f.h3): [(text(li.select_one("a span")), int(text(li.select_one(".count"))),
                          "selected" in (li.get("class") or []))
                         for li in f.select("li")]
            for f in page.select("aside.facets .facet")}


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


# --- search -------------------------------------------------------------------------------

def test_search_shows_marked_snippets_facets_and_agencies(client):
    page = soup(client.get(f"/search?q={QUERY}"))
    assert text(page.select_one(".summary-line span")).startswith(f"“{QUERY}”：共 8 个章节")
    assert len(hits(page)) == 8
    for snippet in page.select("li.hit .snippet"):
        assert [text(m) for m in snippet.select("mark")] == [QUERY]
    assert facets(page) == {
        "机关": [("青柳市交通运输局", 4, False), ("白石县人民政府", 2, False), ("青柳市生态环境局", 2, False)],
        "地区": [("青柳市", 6, False), ("白石县", 2, False)],
        "年度": [("2023 年度", 6, False), ("2022 年度", 2, False)],
        "章节": [("总体情况", 4, False), ("收到和处理政府信息公开申请情况", 4, False)],
        "体检": [("表内勾稽不符", 2, False)],      # 白石县's table does not balance
    }
    agencies = [text(li) for li in page.select("ul.agencies-list li")]
    assert agencies == ["青柳市交通运输局 青柳市 · 2 份报告 · 4 个章节",
                        "白石县人民政府 白石县 · 1 份报告 · 2 个章节",
                        "青柳市生态环境局 青柳市 · 1 份报告 · 2 个章节"]
    first = page.select_one("li.hit h3 a")["href"]
    path, query, anchor = urlsplit(first).path, parse_qs(urlsplit(first).query), urlsplit(first).fragment
    assert path.startswith("/reports/") and query == {"q": [QUERY]} and anchor in ("overview", "requests")


def test_a_facet_value_toggles_on_and_off_and_clears(client):
    page = soup(client.get(f"/search?q={QUERY}"))
    link = next(a for a in page.select("aside .facet a") if text(a.span) == "白石县")
    selected = soup(client.get(link["href"]))
    assert {h.split(" ")[0] for h in hits(selected)} == {"白石县人民政府"}
    assert ("白石县", 2, True) in facets(selected)["地区"]
    # Multi-select: the other region still shows what it would add.
    assert ("青柳市", 6, False) in facets(selected)["地区"]
    chips = [(text(a), a["href"]) for a in selected.select("ul.chips a")]
    assert chips[0][0] == "地区：白石县 ✕" and chips[1][0] == "清除全部筛选"
    again = next(a for a in selected.select("aside .facet a") if text(a.span) == "白石县")
    assert parse_qs(urlsplit(again["href"]).query) == {"q": [QUERY]}
    assert parse_qs(urlsplit(chips[1][1]).query) == {"q": [QUERY]}
    assert len(hits(soup(client.get(again["href"])))) == 8


def test_pages_of_results(client):
    first = soup(client.get(f"/search?q={QUERY}&size=3"))
    assert len(hits(first)) == 3
    pager = [(text(x), x.name, x.get("href")) for x in first.select("nav.pager > *")]
    assert [p[0] for p in pager] == ["1", "2", "3", "下一页"]
    assert pager[0][1] == "span"                       # the current page is not a link
    second = soup(client.get(pager[1][2]))
    third = soup(client.get(pager[2][2]))
    assert len(hits(second)) == 3 and len(hits(third)) == 2
    assert not set(hits(first)) & set(hits(second)) and not set(hits(second)) & set(hits(third))
    assert [text(x) for x in third.select("nav.pager > *")] == ["上一页", "1", "2", "3"]


def test_a_page_past_the_end_says_so(client):
    page = soup(client.get(f"/search?q={QUERY}&size=3&page=7"))
    assert hits(page) == []
    assert "第 7 页已经没有结果了" in text(page.select_one(".empty"))
    assert page.select_one(".empty a")["href"].endswith("size=3")


def test_sort_newest_puts_2023_reports_first(client):
    page = soup(client.get(f"/search?q={QUERY}&sort=newest"))
    years = [int(re.search(r"(\d{4}) 年度报告", h).group(1)) for h in hits(page)]
    assert years == sorted(years, reverse=True) and years[-1] == 2022
    assert text(page.select_one(".sort strong")) == "最新"


def test_the_empty_state_names_the_filters_to_drop(client):
    page = soup(client.get(f"/search?q={QUERY}&region=白石县&year=2022"))
    assert hits(page) == []
    suggestions = [text(a) for a in page.select(".empty a")]
    assert suggestions == ["去掉「地区：白石县」（2 条结果）", "去掉「年度：2022 年度」（2 条结果）",
                           "清除全部筛选（8 条结果）"]
    # Most hits first.
    page = soup(client.get(f"/search?q={QUERY}&region=白石县&year=2022&section=overview"))
    assert [text(a) for a in page.select(".empty a")] == [
        "去掉「地区：白石县」（1 条结果）", "去掉「年度：2022 年度」（1 条结果）",
        "去掉「章节：总体情况」（0 条结果）", "清除全部筛选（8 条结果）"]


def test_the_empty_state_costs_one_search(client, monkeypatch):
    """The counts come from the facets of the search itself: no extra search per filter."""
    from search import engine
    calls = []
    real = engine.search
    monkeypatch.setattr(engine, "search", lambda *a, **k: calls.append(1) or real(*a, **k))
    page = soup(client.get(f"/search?q={QUERY}&region=白石县&year=2022"))
    assert hits(page) == [] and page.select(".empty a") and len(calls) == 1


def test_an_expanded_abbreviation_is_said_with_the_literal_search(client):
    page = soup(client.get("/search?q=交通局"))
    note = page.select_one("p.expansion")
    assert text(note) == "“交通局”按机关简称检索，包括：青柳市交通运输局。 只搜文字“交通局”"
    literal = note.a["href"]
    assert parse_qs(urlsplit(literal).query)["q"] == ['"交通局"']
    assert soup(client.get(literal)).select_one("p.expansion") is None
    assert soup(client.get("/search?q=公开")).select_one("p.expansion") is None


def test_search_state_survives_in_every_link(client):
    page = soup(client.get(f"/search?q={QUERY}&region=青柳市&sort=newest&size=2&junk=1"))
    for a in page.select("aside .facet a, nav.pager a"):
        params = parse_qs(urlsplit(a["href"]).query)
        assert params["q"] == [QUERY] and params["sort"] == ["newest"] and params["size"] == ["2"]
        assert "junk" not in params
    feed = page.select_one("link[rel=alternate]")["href"]
    assert parse_qs(urlsplit(feed).query)["region"] == ["青柳市"]


HOSTILE = [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' OR 1=1 --",
    "title:* AND (", "*", "\x00\x01", "%00", "\u202e依申请", "OR", "-", '"', "a" * 200,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_answered_and_escaped(client, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body
    # The box shows the query back as text (the attribute was escaped, not broken out of).
    assert soup(response).select_one("input[name=q]")["value"] == cap_query(query)
    for mark in soup(response).select("mark"):
        assert mark.find() is None                       # nothing but text inside a mark


@pytest.mark.parametrize("params, message", [
    ({"page": "abc"}, "页码必须是正整数。"),
    ({"page": "0"}, "页码必须是正整数。"),
    ({"page": "5000"}, "页码不能超过 1000。"),
    ({"page": str(10 ** 9)}, "页码必须是正整数。"),
    ({"year": "abc"}, "年度“abc”不是有效的年份。"),
    ({"section": "<b>"}, "没有名为“<b>”的章节"),
    ({"sort": "bogus"}, "无法按“bogus”排序"),
    ({"size": "-1"}, "每页条数必须是正整数。"),
    ({"q": "长" * 201}, "检索词太长了，请不要超过 200 个字。"),
    ({"fig": "requests.new.total>>1"}, "无法理解数字筛选条件"),
])
def test_bad_parameters_are_a_400_in_chinese(client, params, message):
    response = client.get("/search", query_string=params)
    assert response.status_code == 400
    page = soup(response)
    assert message in text(page.select_one(".empty"))
    assert "<b>" not in response.get_data(as_text=True)


def test_a_huge_page_size_is_capped(client):
    page = soup(client.get(f"/search?q={QUERY}&size=1000000"))
    assert len(hits(page)) == 8 and page.select_one("nav.pager") is None


def test_invalid_utf8_and_unknown_parameters_do_no_harm(client):
    assert client.get("/search?q=%ff%fe&region=%c3").status_code == 200
    assert client.get("/search?whatever=1&q=").status_code == 200


def test_xss_in_a_filter_value_is_escaped(client):
    response = client.get("/search", query_string={"agency": XSS})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert XSS not in body and "&lt;script&gt;" in body


# --- report ---------------------------------------------------------------------------------

def test_report_page_has_sections_tables_checks_and_original(client):
    page = soup(client.get("/reports/青柳市交通运输局-2023"))
    assert text(page.h1) == "青柳市交通运输局 2023 年政府信息公开工作年度报告"
    assert [s["id"] for s in page.select("section.report-section")] == [
        "overview", "proactive", "requests", "appeals", "other", "checks"]
    assert [a["href"] for a in page.select("ul.toc a")] == [
        "#overview", "#proactive", "#requests", "#appeals", "#other", "#checks"]
    table3 = page.select_one("section#requests table#table-requests")
    rows = {text(tr.th): [text(td) for td in tr.select("td")] for tr in table3.select("tbody tr")}
    assert rows["一、本年新收政府信息公开申请数量"] == ["20", "0", "0", "0", "0", "0", "20"]
    assert rows["（一）予以公开"] == ["15", "0", "0", "0", "0", "0", "15"]
    assert rows["（三）不予公开 1.属于国家秘密"] == ["—"] * 7          # not printed: never invented
    assert [text(th) for th in table3.select("thead th")] == [
        "项目", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    table2 = page.select_one("section#proactive table#table-proactive")
    assert [text(tr) for tr in table2.select("tbody tr")][2] == "行政许可 410"
    appeals = page.select_one("table#table-appeals")
    assert [text(tr.th) for tr in appeals.select("tbody tr")] == [
        "行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉"]
    assert page.select_one("section#checks .bad") is None
    assert text(page.select_one("details.passed summary")) == "✓ 16 项核对通过"
    original = page.find("a", string="下载原文")["href"]
    with client.get(original) as download:
        assert download.status_code == 200
        assert download.get_data(as_text=True) == "青柳市交通运输局 2023 原文"
        disposition = download.headers["Content-Disposition"]
        assert disposition.startswith('attachment; filename="report-2023-')
        fallback = re.search(r'filename="([^"]+)"', disposition).group(1)
        assert fallback.isascii() and re.fullmatch(r"report-2023-[0-9a-f]{8}\.txt", fallback)
        assert disposition.endswith("filename*=UTF-8''" + quote("青柳市交通运输局-2023.txt"))
    with client.get("/reports/青柳市交通运输局-2022/original") as earlier:
        other = earlier.headers["Content-Disposition"]
    assert re.search(r'filename="([^"]+)"', other).group(1) != fallback   # ids differ, names differ


def test_favicon_ico_answers(client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert icon.get_data().startswith(b"<svg")


def test_report_page_marks_the_terms_of_the_search_it_came_from(client):
    page = soup(client.get(f"/reports/青柳市交通运输局-2023?q={QUERY} 规范"))
    marks = [text(m) for m in page.select("section.report-section .section-text mark")]
    assert marks == [QUERY, "规范", QUERY]
    assert parse_qs(urlsplit(page.find("a", string="← 返回检索结果")["href"]).query) == {"q": [f"{QUERY} 规范"]}
    assert soup(client.get("/reports/青柳市交通运输局-2023")).select("mark") == []


def test_report_page_shows_the_failing_checks_with_their_numbers(client):
    page = soup(client.get("/reports/白石县人民政府-2023"))
    failed = [text(li) for li in page.select("section#checks > ul.checks li")]
    assert failed == [
        "✗ 未通过 总计：新收 + 上年结转 = 总计 + 结转下年度 "
        "一、本年新收政府信息公开申请数量 8 + 二、上年结转政府信息公开申请数量 0 = 8 ≠ （七）总计 9 "
        "+ 四、结转下年度继续办理 0 = 9",
        "✗ 未通过 （七）总计：总计列 = 各类申请人之和 总计 9 ≠ 自然人 8 + 商业企业 0 "
        "+ 科研机构 0 + 社会公益组织 0 + 法律服务机构 0 + 其他 0 = 8"]
    assert "2 项核对未通过" in text(page.select_one("main > p.muted"))
    # The 2019 template's single 其他处理 row.
    rows = [text(tr.th) for tr in page.select("table#table-requests tbody tr")]
    assert "（六）其他处理" in rows and "（六）其他处理 3.其他" not in rows


def test_report_text_is_escaped(client):
    response = client.get("/reports/青柳市生态环境局-2023?q=字符")
    body = response.get_data(as_text=True)
    assert XSS not in body
    problems = soup(response).select_one("section#problems .section-text")
    assert XSS in text(problems).replace(" ", "") or XSS.replace(" ", "") in text(problems).replace(" ", "")
    assert [text(m) for m in problems.select("mark")] == ["字符"]


@pytest.mark.parametrize("report_id", ["nope", "青柳市交通运输局-1999", "..", "%2e%2e%2f%2e%2e%2fetc",
                                       "<script>", "a" * 5000])
def test_unknown_reports_are_a_404(client, report_id):
    for url in (f"/reports/{report_id}", f"/reports/{report_id}/original"):
        response = client.get(url)
        assert response.status_code == 404
        assert text(soup(response).select_one(".empty")) == "找不到这个页面。"
        assert "<script>" not in response.get_data(as_text=True)


# --- agency ----------------------------------------------------------------------------------

def test_agency_page_lists_reports_draws_figures_and_checks(client):
    page = soup(client.get("/agencies/青柳市交通运输局"))
    assert text(page.h1) == "青柳市交通运输局"
    assert [text(li.a) for li in page.select("main > ul.agencies-list li")] == ["2023 年度报告", "2022 年度报告"]
    svg = page.select_one("figure.chart svg")
    lines = svg.select("polyline")
    assert [line["class"] for line in lines] == [["series-0"], ["series-1"], ["series-2"], ["series-3"]]
    points = [[tuple(map(float, p.split(","))) for p in line["points"].split()] for line in lines]
    assert all(len(p) == 2 for p in points)
    # 本年新收 12 -> 20 rises (smaller y is higher); 行政复议 1 -> 0 falls.
    assert points[0][1][1] < points[0][0][1] and points[2][1][1] > points[2][0][1]
    assert [text(t) for t in svg.select("path.marker title")][:2] == [
        "一、本年新收政府信息公开申请数量·总计 2022：12", "一、本年新收政府信息公开申请数量·总计 2023：20"]
    table = {text(tr.th): [text(td) for td in tr.select("td")]
             for tr in page.select("table#agency-figures tbody tr")}
    assert table["一、本年新收政府信息公开申请数量·总计"] == ["12", "20"]
    assert table["行政许可·本年处理决定数量"] == ["340", "410"]
    assert [flat(li) for li in page.select("main > ul.checks li")] == [
        "2023 年度：16 项全部通过", "2022 年度：16 项全部通过"]


def test_agency_chart_counts_on_whole_numbers_and_coinciding_lines_told_apart(client):
    page = soup(client.get("/agencies/青柳市交通运输局"))
    svg = page.select_one("figure.chart svg")
    ticks = [text(t) for t in svg.select("text[text-anchor=end]")]
    assert ticks and all(t.isdigit() for t in ticks) and ticks[0] == "0"
    # Each series has its own marker shape: the four paths of 2022 differ.
    shapes = {p["d"].split(" ", 1)[1] for p in svg.select("path.marker")[::2]}
    assert len(shapes) == 4
    legend = [text(li) for li in page.select("figure.chart .legend li")]
    assert len(legend) == 4
    # 行政复议·总计 and 未经复议直接起诉·总计 are both 0 in 2023 only: not the same line.
    assert not any("重合" in item for item in legend[:3])


def test_agency_with_one_year_gets_bars_not_a_lone_dot(client):
    page = soup(client.get("/agencies/白石县人民政府"))
    svg = page.select_one("figure.chart svg")
    assert svg.select("polyline") == [] and svg.select("path.marker") == []
    bars = svg.select("rect")
    values = [text(t) for t in svg.select("text.value")]
    assert len(bars) == len(values) >= 1 and all(v.replace(".", "").isdigit() for v in values)
    widths = [float(b["width"]) for b in bars]
    assert max(widths) > 300          # the largest figure spans the plot
    assert "只有一个年度" in text(page.select_one("figure.chart figcaption"))


def test_agency_check_history_shows_failures(client):
    page = soup(client.get("/agencies/白石县人民政府"))
    history = flat(page.select_one("main > ul.checks li"))
    assert history.startswith("2023 年度：2 项未通过，14 项通过")
    assert "✗ 总计：新收 + 上年结转 = 总计 + 结转下年度" in history


@pytest.mark.parametrize("agency_id", ["nope", "<script>alert(1)</script>", "青柳市"])
def test_unknown_agencies_are_a_404(client, agency_id):
    response = client.get(f"/agencies/{agency_id}")
    assert response.status_code == 404
    assert "<script>alert" not in response.get_data(as_text=True)


# --- figures ---------------------------------------------------------------------------------

def shown_table(page) -> tuple[list[str], list[list[str]]]:
    table = page.select_one("table#figures-table")
    header = [text(th).rstrip(" ▲▼") for th in table.select("thead th")]
    rows = [[text(td) for td in tr.select("td")] for tr in table.select("tbody tr")]
    return header, rows


def test_figures_compares_agencies_and_sorts_any_column(client):
    page = soup(client.get("/figures?figure=requests.new.total&figure=appeals.review.total"
                           "&sort=requests.new.total&order=desc"))
    header, rows = shown_table(page)
    assert header == ["机关", "地区", "年度", "一、本年新收政府信息公开申请数量·总计", "行政复议·总计", "体检"]
    assert rows == [["青柳市交通运输局", "青柳市", "2023", "20", "0", ""],
                    ["青柳市交通运输局", "青柳市", "2022", "12", "1", ""],
                    ["白石县人民政府", "白石县", "2023", "8", "0", "表内勾稽不符"],
                    ["青柳市生态环境局", "青柳市", "2023", "5", "2", ""]]
    sort_links = {text(th).rstrip(" ▲▼"): th.a["href"] for th in page.select("thead th")}
    ascending = soup(client.get(sort_links["一、本年新收政府信息公开申请数量·总计"]))
    assert [r[3] for r in shown_table(ascending)[1]] == ["5", "8", "12", "20"]
    by_region = soup(client.get(sort_links["地区"]))
    assert [r[1] for r in shown_table(by_region)[1]] == ["白石县", "青柳市", "青柳市", "青柳市"]


def test_figures_filters_by_region_and_year(client):
    page = soup(client.get("/figures?figure=requests.new.total&region=青柳市&year=2023"))
    assert shown_table(page)[1] == [["青柳市交通运输局", "青柳市", "2023", "20", ""],
                                    ["青柳市生态环境局", "青柳市", "2023", "5", ""]]
    assert page.select_one("select[name=region] option[selected]")["value"] == "青柳市"
    assert page.select_one("select[name=year] option[selected]")["value"] == "2023"


def test_figures_downloads_hold_exactly_what_is_shown(client):
    url = "/figures?figure=requests.new.total&figure=proactive.fees.amount&sort=year&order=desc"
    page = soup(client.get(url))
    header, rows = shown_table(page)
    csv_link = page.find("a", string="下载 CSV")["href"]
    json_link = page.find("a", string="下载 JSON")["href"]
    response = client.get(csv_link)
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0] == header
    # A blank figure is "—" on the page; a report without findings has an empty 体检 cell.
    assert [[cell or "—" for cell in row[:-1]] + row[-1:] for row in table[1:]] == rows
    data = json.loads(client.get(json_link).get_data(as_text=True))
    assert [c["label"] for c in data["columns"]] == header
    assert [[str(v) if v is not None else "—" for v in row] for row in data["rows"]] == rows
    assert data["rows"][-1][3:] == [12, 12.5, ""]      # 2022 is last; its fees amount is 12.5 万元


@pytest.mark.parametrize("params, message", [
    ("figure=requests.nope.total", "没有名为“requests.nope.total”的统计指标。"),
    ("year=20x3", "年度“20x3”不是有效的年份。"),
    ("sort=appeals.suit_direct.total", "只能按表中的一列排序。"),
    ("order=sideways", "排序方向只能是 asc（升序）或 desc（降序）。"),
    ("format=xlsx", "下载格式只能是 csv 或 json。"),
])
def test_figures_bad_parameters_are_a_400(client, params, message):
    response = client.get(f"/figures?{params}")
    assert response.status_code == 400
    assert text(soup(response).select_one(".empty")) == message


NINE = "figure=" + "&figure=".join(f"requests.{r}.total" for r in (
    "new", "carried_over", "granted", "partial", "total", "carried_forward",
    "withheld_secret", "withheld_law", "withheld_safety"))


def test_too_many_figures_stay_on_the_page_with_the_choice_kept(client):
    response = client.get(f"/figures?{NINE}")
    assert response.status_code == 200
    page = soup(response)
    assert text(page.select_one("p.notice")) == (
        "一次最多比较 8 个数字，您选了 9 个，下表只列出前 8 个。请取消勾选一些，再点“比较”。")
    assert text(page.select_one(".figure-picker summary")) == "选择要比较的数字（已选 9 个，一次最多 8 个）"
    assert page.select_one(".figure-picker").has_attr("open")
    assert len(page.select(".figure-picker input[checked]")) == 9
    assert len(page.select("#figures-table thead th")) == 3 + 8 + 1   # agency, region, year, 8 figures, 体检
    # Programs still get a clear error rather than a shortened table.
    assert client.get(f"/figures?{NINE}&format=csv").status_code == 400
    assert client.get(f"/api/figures?{NINE}").get_json()["error"] == "一次最多比较 8 个数字。"


def test_figures_page_says_how_many_may_be_compared(client):
    page = soup(client.get("/figures"))
    assert text(page.select_one(".figure-picker summary")) == "选择要比较的数字（已选 4 个，一次最多 8 个）"
    assert page.select_one("p.notice") is None
    # Agency and region read as text (left), figures as numbers (right), 体检 as text.
    first = page.select_one("#figures-table tbody tr").select("td")
    assert [td.get("class") for td in first[:3]] == [None, None, None]
    assert all(td.get("class") == ["num"] for td in first[3:-1]) and len(first[3:-1]) == 4
    assert first[-1].get("class") is None


def test_figures_with_no_matching_report_says_so(client):
    page = soup(client.get("/figures?region=不存在"))
    assert page.select_one("table#figures-table") is None
    assert "没有符合条件的报告" in text(page.select_one(".empty"))


# --- Atom feed -------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_of_a_search(client):
    response = client.get(f"/search.atom?q={QUERY}&region=青柳市")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())
    assert feed.find(f"{ATOM}title").text == f"年度报告检索：{QUERY}"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 6
    titles = [e.find(f"{ATOM}title").text for e in entries]
    years = [int(re.search(r"(\d{4}) 年度报告", t).group(1)) for t in titles]
    assert years == [2023, 2023, 2023, 2023, 2022, 2022]     # newest reports first by default
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert feed.find(f"{ATOM}updated").text == max(updated) == "2024-01-25T00:00:00Z"
    first = entries[0]
    link = first.find(f"{ATOM}link").get("href")
    assert urlsplit(link).path.startswith("/reports/") and urlsplit(link).fragment
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "html" and f"<mark>{QUERY}</mark>" in summary.text
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert parse_qs(urlsplit(self_link).query) == {"q": [QUERY], "region": ["青柳市"]}


def test_atom_feed_escapes_hostile_queries(client):
    response = client.get("/search.atom", query_string={"q": XSS})
    assert response.status_code == 200
    ET.fromstring(response.get_data())                     # still well-formed XML


# --- errors and limits -----------------------------------------------------------------------

def test_unknown_pages_and_methods(client):
    response = client.get("/nowhere")
    assert response.status_code == 404 and "找不到这个页面" in response.get_data(as_text=True)
    response = client.post("/search")
    assert response.status_code == 405 and "不支持这种请求方式" in response.get_data(as_text=True)
    assert response.headers["Allow"]


def test_rate_limit_answers_429_with_retry_after(index_root):
    limited = make_app(index_root, RATELIMIT_ENABLED=True, RATELIMIT_APPLICATION="3 per minute")
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
