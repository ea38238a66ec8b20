"""The search page and its Atom feed: hits, facets, filters, sort, pages, the empty
state, hostile and bad parameters.

The index is built from the made-up reports of tests/web_support.py: 青柳市交通运输局
(2022, 2023), 青柳市生态环境局 (2023, a markup payload in its text) and 白石县人民政府
(2023, 2019 template, table 3 does not balance).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web_support import XSS, app, client, index_root, site  # noqa: F401
from tests.page_support import QUERY, facets, hits, soup, text
from search.request import cap_query


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
        "与上年相比": [("大幅改写", 2, False)],    # 交通运输局 2023 shares no sentence with its 2022
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
    service = client.application.extensions["reports_service"]    # the engine contract's (web.service)
    calls = []
    real = service.search
    monkeypatch.setattr(service, "search", lambda *a, **k: calls.append(1) or real(*a, **k))
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


def test_a_feed_has_an_etag_and_answers_304_while_it_is_unchanged(client):
    first = client.get(f"/search.atom?q={QUERY}")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and len(etag) > 20
    assert first.headers["Cache-Control"] in ("public, max-age=300", "max-age=300, public")
    again = client.get(f"/search.atom?q={QUERY}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    assert again.headers["X-Content-Type-Options"] == "nosniff"
    other = client.get("/search.atom?q=行政复议", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    assert client.get(f"/search.atom?q={QUERY}", headers={"If-None-Match": '"stale"'}).status_code == 200


def built_at(site) -> float:
    """When the site's index was written, read from the index itself: the whoosh
    generation's build record, or the OpenSearch generation document behind the alias."""
    if site.engine == "whoosh":
        from index.store import IndexHandle

        return IndexHandle(site.config["INDEX_PATH"]).built_at()
    from index.opensearch import generations, reading
    from index.opensearch.client import connect

    cluster = connect(site.config["OPENSEARCH_URL"])
    return reading.generation(cluster, generations.live(cluster, site.config["OPENSEARCH_INDEX"]))["built_at"]


def test_an_empty_feed_is_as_new_as_its_index_not_1970(client, site):
    import time

    feed = ET.fromstring(client.get("/search.atom?q=量子纠缠").get_data())
    assert feed.findall(f"{ATOM}entry") == []
    built = built_at(site)
    assert feed.find(f"{ATOM}updated").text == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(built))


def test_atom_feed_escapes_hostile_queries(client):
    response = client.get("/search.atom", query_string={"q": XSS})
    assert response.status_code == 200
    ET.fromstring(response.get_data())                     # still well-formed XML
