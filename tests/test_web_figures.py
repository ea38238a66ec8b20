"""The figures (comparison) page and its CSV and JSON downloads.

The index is built from the made-up reports of tests/web_support.py: 青柳市交通运输局
(2022, 2023), 青柳市生态环境局 (2023, a markup payload in its text) and 白石县人民政府
(2023, 2019 template, table 3 does not balance).
"""
from __future__ import annotations

import csv
import io
import json

import pytest

from tests.web_support import app, client, index_root, site  # noqa: F401
from tests.page_support import soup, text


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
    ("sort=appeals.nothing.total", "没有名为“appeals.nothing.total”的统计指标。"),
    ("order=sideways", "排序方向只能是 asc（升序）或 desc（降序）。"),
    ("format=xlsx", "下载格式只能是 csv 或 json。"),
])
def test_figures_bad_parameters_are_a_400(client, params, message):
    response = client.get(f"/figures?{params}")
    assert response.status_code == 400
    assert text(soup(response).select_one(".empty")) == message


def test_sorting_by_a_figure_not_compared_compares_it_too(client):
    data = client.get("/api/figures?figure=requests.new.total&sort=appeals.review.total&order=desc").get_json()
    assert data["figures"] == ["requests.new.total", "appeals.review.total"]
    assert [row[4] for row in data["rows"]] == [2, 1, 0, 0]


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
