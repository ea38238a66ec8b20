"""The report and agency pages: sections, tables, checks, marked terms, originals,
the agency's reports, chart and check history, unknown ids.

The index is built from the made-up reports of tests/web_support.py: 青柳市交通运输局
(2022, 2023), 青柳市生态环境局 (2023, a markup payload in its text) and 白石县人民政府
(2023, 2019 template, table 3 does not balance).
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.web_support import XSS, app, client, index_root, site  # noqa: F401
from tests.page_support import QUERY, flat, soup, text


# --- report ---------------------------------------------------------------------------------

def test_report_page_has_sections_tables_checks_and_original(client):
    page = soup(client.get("/reports/青柳市交通运输局-2023"))
    assert text(page.h1) == "青柳市交通运输局 2023 年政府信息公开工作年度报告"
    assert [s["id"] for s in page.select("section.report-section")] == [
        "overview", "proactive", "requests", "appeals", "other", "checks", "changes"]
    assert [a["href"] for a in page.select("ul.toc a")] == [
        "#overview", "#proactive", "#requests", "#appeals", "#other", "#checks", "#changes"]
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


def test_report_page_shows_a_total_its_parts_contradict_where_it_stands(tmp_path):
    from corpus.parse import parse_bytes
    from madeup import layouts
    from tests import more_shapes
    from tests.web_support import make_app, site_index

    made = more_shapes.appeals_total_misprinted(layouts.made_up(51))
    report = parse_bytes(layouts.pdf_text(made).encode("utf-8"), "report.txt", ".txt")
    client = make_app(site_index(tmp_path / "index", [report])).test_client()
    page = soup(client.get(f"/reports/{made.agency}-{made.year}"))
    slips = page.select_one("section#slips")
    assert [flat(li) for li in slips.select("li")] == [
        "政府信息公开行政复议、行政诉讼情况：行政复议·总计 印为 0，而结果维持、结果纠正、其他结果、尚未审结合计为 11。"]
    assert slips.select_one("a")["href"] == "#appeals" and page.select_one("section#appeals table#table-appeals")
    review = page.select_one("table#table-appeals tbody tr")
    assert text(review.th) == "行政复议"
    cells = review.select("td")
    assert [text(td.select_one("mark.slip")) for td in cells if td.select_one("mark.slip")] == ["0"]
    assert text(cells[-1]) == "0 分项合计 11" and [text(td) for td in cells[:-1]] == ["5", "3", "2", "1"]
    # Still in the checks list too.
    assert "行政复议" in text(page.select_one("section#checks ul.checks li"))


def test_report_page_without_a_slip_has_no_slip_box(client):
    page = soup(client.get("/reports/青柳市交通运输局-2023"))
    assert page.select_one("section#slips") is None and page.select("mark.slip") == []


def test_a_report_opened_with_a_query_over_the_cap_is_refused_not_cut(client):
    response = client.get("/reports/青柳市交通运输局-2023", query_string={"q": "长" * 201})
    assert response.status_code == 400
    assert "检索词太长了，请不要超过 200 个字。" in response.get_data(as_text=True)
    assert client.get("/reports/青柳市交通运输局-2023", query_string={"q": "公" * 200}).status_code == 200


def test_a_web_page_original_downloads_as_a_file_to_save_under_its_name(tmp_path):
    from tests.web_support import make_app, site_index

    page = b"<!doctype html><html><script>alert(document.cookie)</script><p>\xe5\x8e\x9f\xe6\x96\x87</p></html>"
    root = site_index(tmp_path / "index", originals={"青柳市交通运输局-2023": (".html", page),
                                                     "青柳市交通运输局-2022": (".pdf", b"%PDF-1.7 ...")})
    client = make_app(root).test_client()
    with client.get("/reports/青柳市交通运输局-2023/original") as download:
        assert download.status_code == 200 and download.get_data() == page
        assert download.headers["Content-Type"] == "application/octet-stream"
        disposition = download.headers["Content-Disposition"]
        assert disposition.startswith("attachment; ")
        assert disposition.endswith("filename*=UTF-8''" + quote("青柳市交通运输局-2023.html"))
        assert re.search(r'filename="report-2023-[0-9a-f]{8}\.html"', disposition)
    with client.get("/reports/青柳市交通运输局-2022/original") as pdf:
        assert pdf.headers["Content-Type"] == "application/pdf"
    with client.get("/reports/白石县人民政府-2023/original") as text_file:
        assert text_file.mimetype == "text/plain"
