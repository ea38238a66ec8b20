"""Reading the site in a real browser at 375 px and 1280 px: prose and tables apart,
checks in Chinese, regions as a tree, the comparison page, the agency chart, the /api
page, what the query did, and the small things (icon, download name, placeholder).

Runs on its own made-up corpus (below): agencies in a city, one of its districts and a
town of that district, and another province; prose that discusses 行政复议 beside
tables that only print it as a label. Screenshots go to /tmp/web-shots/reading-*.png.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from corpus.checks import run_checks
from corpus.report import SECTION_TITLES, Report, Section
from tests.browser_support import sized_page  # noqa: F401  (the page fixture)
from tests.test_browser import PHONE, SHOTS, browser, serving  # noqa: F401  (fixture)
from tests.web_support import _appeals, _requests_table, site_index

pytestmark = pytest.mark.browser

APPEALS_GRID = [
    ["行政复议"] * 5 + ["行政诉讼"] * 10,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
    ["0"] * 15,
]
REQUESTS_ROWS = [
    ["申请人情况"], ["自然人", "法人或其他组织", "总计"],
    ["一、本年新收政府信息公开申请数量", "6", "0", "0", "0", "0", "0", "6"],
    ["（五）不予处理"], ["2.重复申请", "1", "0", "0", "0", "0", "0", "1"],
]


def _report(agency, region, year, texts, tables=None, figures=None) -> Report:
    figures = figures or {**_requests_table(6, 5), **_appeals(0)}
    sections = [Section(key, SECTION_TITLES[key], text, (tables or {}).get(key, []))
                for key, text in texts.items()]
    return Report(source=f"{agency}-{year}.txt", agency=agency, region=region, year=year,
                  published=f"{year + 1}-01-20", template=2021, sections=sections,
                  figures=figures, checks=run_checks(figures))


def reading_reports() -> list[Report]:
    unbalanced = _requests_table(6, 5)
    unbalanced["requests.total.natural"] = 7.0
    return [
        _report("澄江市工业和信息化局", "澄江市", 2022,
                {"overview": "2022年，本局主动公开产业政策信息四十条，依申请公开工作规范。"}),
        _report("澄江市工业和信息化局", "澄江市", 2023,
                {"overview": "2023年，本局办理行政复议案件一件，复议机关维持了原答复。全年主动公开产业政策信息五十条。",
                 "requests": "", "appeals": ""},
                {"requests": [REQUESTS_ROWS], "appeals": [APPEALS_GRID]}),
        _report("澄江市临川区教育局", "澄江市临川区", 2023,
                {"overview": "本局公开招生入学政策信息。", "requests": "", "appeals": ""},
                {"requests": [REQUESTS_ROWS], "appeals": [APPEALS_GRID]},
                {**unbalanced, **_appeals(0)}),
        _report("澄江市临川区桃源镇人民政府", "澄江市临川区桃源镇", 2023,
                {"overview": "本镇公开惠农补贴发放信息。"}),
        _report("云岭省白沙市水利局", "云岭省白沙市", 2023,
                {"overview": "本局公开水利工程建设信息。"}),
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serving(site_index(tmp_path_factory.mktemp("reading"), reading_reports())) as url:
        yield url


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reading-{name}-{page.width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width, f"{name} scrolls sideways"


def test_prose_first_tables_as_labels_and_numbers_each_table_once(page, site):
    page.goto(site + "/search?q=行政复议")
    snippets = page.locator("li.hit .snippet")
    expect(snippets.first).to_have_text("2023年，本局办理行政复议案件一件，复议机关维持了原答复。全年主动公开产业政策信息五十条。")
    expect(snippets.first.locator("mark")).to_have_text("行政复议")
    table_hit = page.locator("li.hit", has_text="表四").first
    expect(table_hit.locator(".snippet")).to_have_text("表四：行政复议·结果维持、结果纠正、其他结果、尚未审结、总计均为 0")
    shot(page, "search-tables")
    page.goto(site + "/search?q=重复申请")
    expect(snippets.first).to_have_text("表三 · （五）不予处理 · 2.重复申请：自然人 1，总计 1")
    page.goto(site + "/reports/澄江市工业和信息化局-2023?q=行政复议")
    expect(page.locator("section#appeals table")).to_have_count(1)
    expect(page.locator("section#requests table")).to_have_count(1)
    expect(page.locator("section#appeals .section-text")).to_have_count(0)
    shot(page, "report")


def test_checks_name_rows_and_columns_in_chinese(page, site):
    page.goto(site + "/reports/澄江市临川区教育局-2023")
    failed = page.locator("section#checks > ul.checks li").first
    expect(failed).to_contain_text("自然人")
    expect(failed).to_contain_text("（七）总计 7")
    assert not re.search(r"[a-z_]{3}", page.locator("section#checks").inner_text())
    shot(page, "checks")


def test_regions_nest_and_a_city_takes_in_its_districts(page, site):
    page.goto(site + "/")
    city = page.locator(".home-regions > ul.region-tree > li").first
    summary = city.locator("> details > summary")
    expect(summary).to_have_text(re.compile(r"澄江市\s*4"))
    summary.click(position={"x": 4, "y": 8})     # the fold marker, not the link
    expect(city.locator("ul.region-tree a", has_text="临川区")).to_be_visible()
    shot(page, "home")
    page.goto(site + "/search?q=公开&section=overview")
    page.locator("#facet-region summary a", has_text="澄江市").click()
    expect(page.locator("li.hit")).to_have_count(4)
    expect(page.locator("#facet-region li.selected > details[open]")).to_have_count(1)
    page.locator("#facet-region summary", has_text="临川区").click(position={"x": 4, "y": 8})
    page.locator("#facet-region a", has_text="桃源镇").click()
    expect(page.locator("li.hit")).to_have_count(4)      # still within 澄江市: both chosen
    page.goto(site + "/search?q=公开&section=overview&region=澄江市临川区")
    expect(page.locator("li.hit")).to_have_count(2)
    shot(page, "search-region")


def test_comparison_keeps_a_too_long_choice_and_scrolls_in_its_frame(page, site):
    page.goto(site + "/figures")
    expect(page.locator("details.figure-picker:not(.audit-picker) summary")).to_contain_text("一次最多 8 个")
    page.locator("details.figure-picker:not(.audit-picker) summary").click()
    boxes = page.locator("details.figure-picker:not(.audit-picker) input[type=checkbox]")
    for i in range(9):
        boxes.nth(i).check()
    page.locator("button", has_text="比较").click()
    expect(page.locator("p.notice")).to_contain_text("一次最多比较 8 个数字，您选了 9 个")
    expect(page.locator("details.figure-picker:not(.audit-picker) input:checked")).to_have_count(9)
    expect(page.locator("#figures-table thead th")).to_have_count(12)   # 3 + 8 figures + 体检
    frame = page.locator(".table-wrap.scrolls").first
    if page.width == PHONE["width"]:
        assert frame.evaluate("e => e.scrollWidth > e.clientWidth")
        expect(page.locator(".scroll-hint")).to_be_visible()
        frame.evaluate("e => { e.scrollLeft = 200; }")
        left = frame.evaluate("e => e.getBoundingClientRect().left")
        agency = page.locator("#figures-table tbody tr td").first
        assert abs(agency.evaluate("e => e.getBoundingClientRect().left") - left) < 2   # stays in view
    else:
        expect(page.locator(".scroll-hint")).to_be_hidden()
    region = page.locator("#figures-table tbody tr td").nth(1)
    assert region.evaluate("e => getComputedStyle(e).textAlign") in ("left", "start")
    shot(page, "figures")


def test_agency_chart_whole_numbers_one_year_bars_coinciding_named(page, site):
    page.goto(site + "/agencies/澄江市工业和信息化局")
    ticks = page.locator("figure.chart svg text[text-anchor=end]").all_text_contents()   # SVG: no innerText
    assert ticks and all(t.strip().isdigit() for t in ticks)
    expect(page.locator("figure.chart .legend")).to_contain_text("重合")
    shot(page, "agency")
    page.goto(site + "/agencies/澄江市临川区教育局")
    expect(page.locator("figure.chart svg rect").first).to_be_visible()
    expect(page.locator("figure.chart svg path.marker")).to_have_count(0)
    shot(page, "agency-one-year")


def test_the_menu_api_link_opens_the_chinese_api_page(page, site):
    page.goto(site + "/")
    page.locator("header nav a", has_text="API").click()
    expect(page.locator("h1")).to_have_text("API 说明")
    expect(page.locator("section.endpoint h2").first).to_have_text("GET /api/search")
    expect(page.locator("#rate-limit")).to_be_visible()
    shot(page, "api")


def test_the_results_say_what_the_query_did(page, site):
    page.goto(site + "/search?q=工信局")
    note = page.locator("p.expansion")
    expect(note).to_contain_text("“工信局”按机关简称检索，包括：澄江市工业和信息化局")
    note.locator("a").click()
    expect(page.locator("input[name=q]")).to_have_value('"工信局"')
    expect(page.locator("p.expansion")).to_have_count(0)
    page.goto(site + "/search?q=惠农&region=澄江市临川区&year=2022")
    expect(page.locator(".empty a").first).to_have_text("去掉「年度：2022 年度」（1 条结果）")
    shot(page, "search-empty")


def test_icon_download_name_and_placeholder(page, site):
    assert page.request.get(site + "/favicon.ico").status == 200
    page.goto(site + "/reports/澄江市工业和信息化局-2023")
    with page.expect_download() as info:
        page.locator("a", has_text="下载原文").click()
    assert info.value.suggested_filename == "澄江市工业和信息化局-2023.txt"
    page.goto(site + "/")
    box = page.locator("input[name=q]")
    fits = box.evaluate("""e => { const s = getComputedStyle(e), c = document.createElement('canvas').getContext('2d');
        c.font = s.fontSize + ' ' + s.fontFamily;
        return c.measureText(e.placeholder).width <= e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }""")
    assert fits
