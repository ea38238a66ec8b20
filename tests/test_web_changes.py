"""What changed, on the site: 与上年相比 on the report page, two reports side by side
(/compare, /reports/<id>/changes), the changes across agencies (/changes) with its
downloads, and the search facet 与上年相比 — over my own pairs of reports
(tests/changesdata.py), a pair carrying markup, and the agencies of
tests/test_changes_listing.py, built into every engine (`tests.engines.ENGINES`)."""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.changesdata import (
    ADDED, EXTRA, FIRST, GAP, NEW_OVERVIEW, ONE_NUMBER, REWRITTEN, SENTENCES, UNCHANGED, change_reports, report,
)
from tests.page_support import flat, soup, text
from tests.test_changes_listing import REPORTS as ACROSS, brute
from tests.engines import ENGINES
from tests.web_support import make_app, site_for

MARKUP = "丹霞县档案局"
PAYLOAD = '<script>alert("x")</script>'


REDONE = "丹霞县气象局"


def more_reports():
    """A pair whose changed sentence carries markup, which must come out as text; a
    report whose every sentence is new (the only one 大幅改写 as a whole)."""
    return [report(MARKUP, 2022, {"overview": f"本年收到<b>申请</b>3件{PAYLOAD}。"}),
            report(MARKUP, 2023, {"overview": f"本年收到<b>申请</b>4件{PAYLOAD}。"}),
            report(REDONE, 2022, {"overview": SENTENCES[0]}), report(REDONE, 2023, {"overview": NEW_OVERVIEW})]


@pytest.fixture(scope="module", params=ENGINES)
def client(request, tmp_path_factory):
    site = site_for(request.param, tmp_path_factory.mktemp("changes-site"),
                    change_reports() + more_reports() + ACROSS)
    return make_app(site).test_client()


def part(client, report_id):
    return soup(client.get(f"/reports/{report_id}")).select_one("section#changes")


def section_change(found, key):
    return found.select_one(f"#changes-{key}")


def test_the_report_page_lists_changed_figures_large_first_and_marks_the_changed_number(client):
    found = part(client, f"{ONE_NUMBER}-2023")
    assert text(found.h2) == "与上年相比"
    assert "正文基本相同" in flat(found.p) and "2 个大幅变化" in flat(found.p)
    rows = [[text(cell) for cell in tr.select("th, td")] for tr in found.select("table.change-figures tbody tr")]
    assert rows == [
        ["行政许可·本年处理决定数量 大幅变化", "100", "160", "+60", "+60%"],
        ["行政复议·总计 大幅变化", "0", "12", "+12", "—"],
        ["行政处罚·本年处理决定数量", "100", "140", "+40", "+40%"],
        ["一、本年新收政府信息公开申请数量·总计", "12", "15", "+3", "+25%"]]
    assert "另有 2 个数字与上年相同" in text(found)
    requests = section_change(found, "requests")
    assert [text(x) for x in requests.select("del.num")] == ["12"]
    assert [text(x) for x in requests.select("ins.num")] == ["15"]
    assert text(section_change(found, "overview").select_one(".badge")) == "与上年完全相同"
    link = found.find("a", string="并排对比两份报告")["href"]
    assert parse_qs(urlsplit(link).query) == {"a": [f"{ONE_NUMBER}-2022"], "b": [f"{ONE_NUMBER}-2023"]}


def test_an_added_sentence_is_marked_and_figures_new_and_gone_are_listed(client):
    found = part(client, f"{ADDED}-2023")
    problems = section_change(found, "problems")
    assert text(problems.select_one(".badge")) == "部分改写"
    assert [text(x) for x in problems.select("ins")] == [EXTRA]
    assert problems.select("del") == []
    lists = {text(d.summary): [text(li) for li in d.select("li")] for d in found.select("details.figure-list")}
    assert lists == {"本年新增的数字（1 个，上年报告没有）": ["（六）其他处理 3.其他·总计：1"],
                     "本年没有的数字（1 个，上年报告有）": ["（六）其他处理·总计：1"]}


def test_a_rewritten_section_strikes_out_the_old_and_marks_the_new(client):
    overview = section_change(part(client, f"{REWRITTEN}-2023"), "overview")
    assert text(overview.select_one(".badge")) == "大幅改写"
    assert [text(x) for x in overview.select("del")] == SENTENCES[:2]
    assert "".join(text(x) for x in overview.select("ins")) == NEW_OVERVIEW


def test_missing_years_are_said_and_a_first_report_has_nothing_to_compare(client):
    assert text(part(client, f"{GAP}-2023").select_one(".notice")) == \
        "该机关没有 2021、2022 年度的报告，与最近的 2020 年度报告相比。"
    assert text(part(client, f"{FIRST}-2023")) == "与上年相比 该机关此前没有年度报告可以对比。"
    unchanged = part(client, f"{UNCHANGED}-2023")
    assert [text(b) for b in unchanged.select(".section-change .badge")] == ["与上年完全相同"] * 3
    assert unchanged.select(".diff ins, .diff del") == []


def test_markup_in_a_changed_sentence_is_text_not_markup(client):
    response = client.get(f"/reports/{MARKUP}-2023")
    html = response.get_data(as_text=True)
    assert "<script>" not in html and "<b>申请</b>" not in html
    assert "&lt;b&gt;申请&lt;/b&gt;" in html and "&lt;script&gt;" in html
    overview = section_change(soup(response).select_one("section#changes"), "overview")
    assert [text(x) for x in overview.select("ins.num")] == ["4"]
    assert flat(overview.select_one(".diff")) == f"本年收到<b>申请</b>34件{PAYLOAD}。"


def test_two_reports_side_by_side_in_either_order(client):
    page = soup(client.get(f"/compare?a={ONE_NUMBER}-2023&b={ONE_NUMBER}-2022"))
    assert text(page.h1) == f"{ONE_NUMBER}：2022 与 2023 年度报告对比"
    again = soup(client.get(f"/compare?a={ONE_NUMBER}-2022&b={ONE_NUMBER}-2023"))
    assert text(page.select_one("main")) == text(again.select_one("main"))
    figures = [[text(c) for c in tr.select("th, td")][:3] for tr in page.select("#figures tbody tr")]
    assert len(figures) == 6 and figures[-1] == ["（一）予以公开·总计", "10", "10"]
    requests = page.select_one("#s-requests")
    rows = [(flat(r.select_one(".old")), flat(r.select_one(".new"))) for r in requests.select(".sbs-row")]
    assert rows == [(SENTENCES[2], SENTENCES[2]),
                    ("本年新收政府信息公开申请12件，予以公开10件。", "本年新收政府信息公开申请15件，予以公开10件。")]
    assert [text(x) for x in requests.select(".old del.num")] == ["12"]
    assert [text(x) for x in requests.select(".new ins.num")] == ["15"]
    added = soup(client.get(f"/compare?a={ADDED}-2022&b={ADDED}-2023")).select_one("#s-problems")
    last = added.select(".sbs-row")[-1]
    assert (last.select_one(".old").contents, text(last.select_one(".new ins"))) == ([], EXTRA)


def test_a_report_against_its_predecessor_or_another_year(client):
    page = soup(client.get(f"/reports/{GAP}-2023/changes"))
    assert text(page.h1) == f"{GAP}：2020 与 2023 年度报告对比"
    assert text(page.select_one(".other-years")) == "与其他年度对比： 2020 年度"
    first = soup(client.get(f"/reports/{FIRST}-2023/changes"))
    assert text(first.select_one(".empty")) == "该机关此前没有年度报告可以对比。"
    against = soup(client.get(f"/reports/{GAP}-2020/changes?against={GAP}-2023"))
    assert text(against.h1) == f"{GAP}：2020 与 2023 年度报告对比"


@pytest.mark.parametrize("url, status", [
    (f"/compare?a={ONE_NUMBER}-2022&b={ADDED}-2023", 400),      # two agencies
    (f"/compare?a={ONE_NUMBER}-2022&b={ONE_NUMBER}-2022", 400),  # the same report
    (f"/compare?a={ONE_NUMBER}-2022", 400),
    (f"/compare?a={ONE_NUMBER}-2022&b=nope", 404),
    (f"/reports/{GAP}-2023/changes?against={FIRST}-2023", 400),
])
def test_what_cannot_be_compared_is_refused(client, url, status):
    assert client.get(url).status_code == status


def test_the_changes_page_lists_rises_and_falls_with_the_counts_and_the_filters(client):
    page = soup(client.get("/changes"))
    api = client.get("/api/changes").get_json()
    rises = [text(tr.select_one("td a")) for tr in page.select("#rises-table tbody tr")]
    assert rises == [row["agency"] for row in api["rises"]]
    assert rises[:3] == ["青岚市发展和改革委员会", "青岚市人民政府", "青岚市教育局"]
    counts = api["counts"]
    assert f"共 {counts['compared']} 个机关两年都有这个数字" in text(page.select_one("p.summary"))
    assert len(page.select("figure.change-chart rect")) == min(8, counts["rose"]) + min(8, counts["fell"])
    # A filter is a link that adds it; chosen, a chip that drops it.
    kind = next(a for a in page.select("#facet-kind a") if "乡镇人民政府" in text(a))
    chosen = soup(client.get(kind["href"]))
    assert [text(tr.select_one("td a")) for tr in chosen.select("#falls-table tbody tr")] == ["青岚市松风区竹溪镇人民政府"]
    assert chosen.select("#rises-table") == []
    chip = chosen.select_one("ul.chips li.selected a")
    assert text(chip) == "机关类型：乡镇人民政府 ✕"
    assert "kind" not in parse_qs(urlsplit(chip["href"]).query)


def test_the_downloads_hold_every_agency_compared_under_the_same_filters(client):
    params = "figure=requests.new.total&region=青岚市&measure=relative"
    rows = list(csv.reader(io.StringIO(client.get(f"/changes?{params}&format=csv").get_data(as_text=True).lstrip("\ufeff"))))
    download = json.loads(client.get(f"/changes?{params}&format=json").get_data(as_text=True))
    expected = brute(keep=lambda agency: agency.startswith("青岚市"))
    assert sorted(row[0] for row in rows[1:]) == sorted(row[0] for row in expected)
    assert [row[0] for row in rows[1:]] == [row["agency"] for row in download["rows"]]
    assert rows[0][:7] == ["机关", "地区", "机关类型", "2022 年度", "2023 年度", "变化", "变化幅度（%）"]
    assert (download["region"], download["measure"]) == (["青岚市"], "relative")
    page = soup(client.get(f"/changes?{params}"))
    assert parse_qs(urlsplit(page.find("a", string="下载 CSV")["href"]).query) == {
        "region": ["青岚市"], "measure": ["relative"], "format": ["csv"]}


def test_the_search_counts_and_filters_reports_by_how_much_they_changed(client):
    page = soup(client.get("/search"))
    facet = page.select_one("#facet-change")
    assert text(facet.h3) == "与上年相比"
    labels = [text(a.select_one("span")) for a in facet.select("a")]
    assert labels == ["完全相同", "基本相同", "部分改写", "大幅改写"]
    rewritten = next(a for a in facet.select("a") if text(a.select_one("span")) == "大幅改写")
    assert text(rewritten.select_one(".count")) == "1"
    results = client.get("/api" + rewritten["href"]).get_json()
    assert [(hit["report_id"], hit["section"]) for hit in results["hits"]] == [(f"{REDONE}-2023", "overview")]
    # Multi-select: the other classes keep their counts, the chosen one is marked.
    assert [(v["value"], v["selected"]) for v in results["facets"]["change"]] == [
        ("identical", False), ("similar", False), ("revised", False), ("rewritten", True)]
