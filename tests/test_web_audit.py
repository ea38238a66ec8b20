"""The audit on the site and the API: report findings first, agency history, /audit,
the 体检 facet, the figures filter, the API's findings — on a corpus with planted cases."""
from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, unquote, urlsplit

import jsonschema
import pytest
from bs4 import BeautifulSoup

from tests.auditdata import LONG_PROSE, audit_report, requests_table
from tests.engines import ENGINES
from tests.web_support import make_app, site_for

A, B, C, D, E, F = ("甲市甲局", "甲市乙局", "乙县丙局", "乙县丁局", "丙区戊局", "丙区己局")


def planted():
    """One planted finding per agency (F: two, late by one day), every other report clean."""
    return [
        audit_report(A, 2021, region="甲市", figures=requests_table(6, carried_forward=3)),
        audit_report(A, 2022, region="甲市", figures=requests_table(4, carried_over=2)),   # cross_year
        audit_report(B, 2022, region="甲市", published="2023-02-10"),                      # late, 10 days
        audit_report(C, 2020, region="乙县"),
        audit_report(C, 2022, region="乙县"),                                             # missing 2021
        audit_report(D, 2022, region="乙县", overview=LONG_PROSE),                        # duplicate of E
        audit_report(E, 2022, region="丙区", overview=LONG_PROSE),                        # duplicate of D
        audit_report(F, 2022, region="丙区", published="2023-02-01",
                     requests="全年共收到政府信息公开申请 9 件。"),                          # late, text_table
    ]


@pytest.fixture(scope="module", params=ENGINES)
def client(request, tmp_path_factory):
    return make_app(site_for(request.param, tmp_path_factory.mktemp("audit-site"), planted())).test_client()


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_report_page_shows_findings_first_with_numbers_and_a_link(client):
    page = soup(client.get(f"/reports/{A}-2022"))
    first_section = page.select_one("main").select_one("section")
    assert first_section["id"] == "audit"            # before the table of contents and the text
    items = first_section.select("li.finding")
    assert len(items) == 1
    line = text(items[0])
    assert line.startswith("跨年结转不符") and "上年结转 2 件" in line and "结转下年度 3 件" in line
    link = items[0].select_one("a")
    assert unquote(link["href"]) == f"/reports/{A}-2021" and text(link) == f"查看{A} 2021 年度报告"


def test_report_page_names_the_twin_and_a_clean_report_says_so(client):
    twin = soup(client.get(f"/reports/{D}-2022")).select_one("#audit li.finding")
    assert "内容雷同" in text(twin) and "100% 相同" in text(twin)
    assert unquote(twin.select_one("a")["href"]) == f"/reports/{E}-2022"
    clean = soup(client.get(f"/reports/{A}-2021")).select_one("#audit")
    assert "体检无异常" in text(clean) and not clean.select("li.finding")


def test_agency_page_lists_its_findings_by_year(client):
    page = soup(client.get(f"/agencies/{A}"))
    history = [text(li) for li in page.select("ul.findings > li")]
    assert history[0].startswith("2022 年度 ： 1 项发现 跨年结转不符 上年结转申请数与 2021 年度报告")
    assert history[1] == "2021 年度 ： 体检无异常"


def test_audit_page_counts_by_kind_year_and_region_each_number_a_search(client):
    page = soup(client.get("/audit"))
    assert "共 8 份报告，其中 6 份有体检发现，2 份体检无异常" in text(page)
    kinds = {text(tr.th): tr.select_one("td") for tr in page.select("#audit-kinds tbody tr")}
    assert {k: text(v) for k, v in kinds.items()} == {
        "表内勾稽不符": "0", "跨年结转不符": "1", "逾期发布": "2", "年度缺报": "1", "内容雷同": "2", "文表不符": "1"}
    assert kinds["表内勾稽不符"].a is None          # nothing to list
    duplicates = kinds["内容雷同"].a["href"]
    assert parse_qs(urlsplit(duplicates).query) == {"audit": ["duplicate"]}
    listed = soup(client.get(duplicates))
    agencies = {text(a) for a in listed.select("li.hit .meta a")}
    assert agencies == {D, E}
    years = {text(tr.th): [text(td) for td in tr.select("td")] for tr in page.select("#audit-years tbody tr")}
    assert years == {"2022 年度": ["0", "1", "2", "1", "2", "1", "7"]}
    regions = {text(tr.th): [text(td) for td in tr.select("td")] for tr in page.select("#audit-regions tbody tr")}
    assert regions["乙县"] == ["0", "0", "0", "1", "1", "0", "2"]
    cell = page.select("#audit-regions tbody tr")[[text(tr.th) for tr in page.select("#audit-regions tbody tr")].index("乙县")]
    assert parse_qs(urlsplit(cell.select("td")[3].a["href"]).query) == {"audit": ["missing_year"], "region": ["乙县"]}
    top = [text(li) for li in page.select("#audit-agencies li")]
    assert len(top) == 6 and top[0] == f"{F} 丙区 · 1 份报告共 2 项发现：逾期发布 1、文表不符 1"
    assert page.select_one("nav a[href='/audit']") is not None     # in the menu


def test_search_facet_counts_multi_select(client):
    data = client.get("/api/search?audit=late&audit=missing_year").get_json()
    reports = {hit["report_id"] for hit in data["hits"]}
    assert reports == {f"{B}-2022", f"{C}-2022", f"{F}-2022"}
    counts = {v["value"]: (v["count"], v["selected"]) for v in data["facets"]["audit"]}
    # Each kind counts the sections of reports having it (3 sections a report), ignoring the
    # 体检 filter itself: choosing late still shows what duplicate would give.
    assert counts == {"cross_year": (3, False), "late": (6, True), "missing_year": (3, True),
                      "duplicate": (6, False), "text_table": (3, False)}
    assert data["total"] == 9
    narrowed = client.get("/api/search?audit=duplicate&region=丙区").get_json()
    assert {hit["report_id"] for hit in narrowed["hits"]} == {f"{E}-2022"}
    page = soup(client.get("/search?audit=late"))
    facet = page.select_one("#facet-audit")
    assert "体检" in text(facet.h3) and "逾期发布" in text(facet)
    assert "体检：逾期发布" in text(page.select_one("ul.chips"))
    badges = {text(hit.select_one("h3")).split(" ")[0]: [text(b) for b in hit.select(".meta .badge")]
              for hit in page.select("li.hit")}
    assert badges == {B: ["逾期发布"], F: ["逾期发布", "文表不符"]}
    assert client.get("/api/search?audit=nope").status_code == 400


def test_figures_filter_by_findings_and_carry_them(client):
    data = client.get("/api/figures?figure=requests.new.total&audit=duplicate&audit=text_table").get_json()
    assert sorted((row[0], row[-1]) for row in data["rows"]) == sorted([
        (D, "内容雷同"), (E, "内容雷同"), (F, "逾期发布、文表不符")])
    csv_text = client.get("/figures?figure=requests.new.total&audit=late&format=csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert rows[0][-1] == "体检"
    assert sorted((row[0], row[-1]) for row in rows[1:]) == sorted([(B, "逾期发布"), (F, "逾期发布、文表不符")])
    page = soup(client.get("/figures?audit=late"))
    assert page.select_one("input[name=audit][value=late]").has_attr("checked")


def test_api_report_carries_findings_as_the_openapi_document_says(client):
    document = client.get("/api/openapi.json").get_json()
    for rid in (f"{A}-2022", f"{B}-2022", f"{C}-2022", f"{D}-2022", f"{F}-2022", f"{A}-2021"):
        body = client.get(f"/api/reports/{rid}").get_json()
        schema = document["paths"]["/api/reports/{report_id}"]["get"]["responses"]["200"]
        ref = schema["content"]["application/json"]["schema"]
        jsonschema.validate(body, {**ref, "components": document["components"]},
                            cls=jsonschema.Draft202012Validator)
    cross = client.get(f"/api/reports/{A}-2022").get_json()["report"]["findings"]
    assert [(x["kind"], x["label"], x["other"], unquote(x["other_url"])) for x in cross] == [
        ("cross_year", "跨年结转不符", f"{A}-2021", f"/reports/{A}-2021")]
    missing = client.get(f"/api/reports/{C}-2022").get_json()["report"]["findings"]
    assert missing[0]["years"] == [2021]
    told = client.get(f"/api/reports/{F}-2022").get_json()["report"]["findings"]
    assert [x["kind"] for x in told] == ["late", "text_table"]
    assert (told[0]["days_late"], told[0]["published"]) == (1, "2023-02-01")
    assert (told[1]["figure"], told[1]["text_value"], told[1]["table_value"]) == ("requests.new.total", 9, 4)
    assert client.get(f"/api/reports/{A}-2021").get_json()["report"]["findings"] == []
    overview = client.get("/api/audit").get_json()["audit"]
    assert overview["totals"]["duplicate"] == 2 and overview["by_year"]["2022"]["late"] == 2
