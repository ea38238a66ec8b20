"""What changed, in a real browser at 375 px and 1280 px: 与上年相比 on a report page,
two reports side by side, and /changes (choose a figure, filter, download) — on my own
pairs of reports (tests/changesdata.py) and the agencies of
tests/test_changes_listing.py. Every page is photographed into
/tmp/web-shots/changes-*.png, must not scroll sideways, and must not trip the
Content-Security-Policy (the site runs no script; the chart is inline SVG with classes).
"""
from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.changesdata import ADDED, EXTRA, GAP, ONE_NUMBER, REWRITTEN, change_reports
from tests.browser_support import sized_page  # noqa: F401  (the page fixture)
from tests.test_browser import PHONE, SHOTS, browser, serving  # noqa: F401  (fixture)
from tests.test_changes_listing import REPORTS as ACROSS, brute
from tests.web_support import site_index

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serving(site_index(tmp_path_factory.mktemp("changes"), change_reports() + ACROSS)) as url:
        yield url


def compared() -> list[tuple]:
    """(agency, 2022, 2023, change, percent) of new requests, for the listing's agencies
    and the pairs' that print it in both years."""
    rows = brute()
    values = {(r.agency, r.year): r.figures.get("requests.new.total") for r in change_reports()}
    for agency in dict.fromkeys(agency for agency, _ in values):
        before, after = values.get((agency, 2022)), values.get((agency, 2023))
        if before is not None and after is not None:
            rows.append((agency, before, after, after - before, (after - before) / before * 100 if before else None))
    return rows


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"changes-{name}-{page.width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width, f"{name} scrolls sideways"


def test_the_report_page_says_what_changed_and_leads_to_the_two_side_by_side(page, site):
    page.goto(site + f"/reports/{ONE_NUMBER}-2023")
    page.locator("p.changes-line a", has_text="查看变化").click()
    part = page.locator("section#changes")
    expect(part).to_be_in_viewport()
    expect(part.locator("table.change-figures tbody tr.large")).to_have_count(2)
    requests = part.locator("#changes-requests")
    expect(requests.locator("del.num")).to_have_text("12")
    expect(requests.locator("ins.num")).to_have_text("15")
    # Struck through and underlined, not told apart by colour alone.
    assert "line-through" in requests.locator("del.num").evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "underline" in requests.locator("ins.num").evaluate("e => getComputedStyle(e).textDecorationLine")
    expect(part.locator("#changes-overview .badge")).to_have_text("与上年完全相同")
    shot(page, "report")
    part.locator("a", has_text="并排对比两份报告").click()
    expect(page.locator("h1")).to_have_text(f"{ONE_NUMBER}：2022 与 2023 年度报告对比")


def test_a_report_after_missing_years_says_which_year_it_is_compared_with(page, site):
    page.goto(site + f"/reports/{GAP}-2023#changes")
    expect(page.locator("section#changes .notice")).to_have_text(
        "该机关没有 2021、2022 年度的报告，与最近的 2020 年度报告相比。")
    page.goto(site + f"/reports/{REWRITTEN}-2023#changes")
    overview = page.locator("#changes-overview")
    expect(overview.locator(".badge")).to_have_text("大幅改写")
    overview.locator("summary").click()
    expect(overview.locator(".diff del").first).to_be_visible()
    shot(page, "report-rewritten")


def test_side_by_side_is_two_columns_on_a_desk_and_one_on_a_phone(page, site):
    page.goto(site + f"/compare?a={ADDED}-2023&b={ADDED}-2022")
    problems = page.locator("#s-problems")
    added = problems.locator(".sbs-row.added")
    expect(added.locator(".new ins")).to_have_text(EXTRA)
    display = added.evaluate("e => getComputedStyle(e).display")
    if page.width == PHONE["width"]:
        assert display == "block"
        expect(problems.locator(".sbs-head")).to_be_hidden()
        expect(added.locator(".old")).to_be_hidden()          # nothing of last year's to show
        label = added.locator(".new").evaluate("e => getComputedStyle(e, '::before').content")
        assert label == '"2023 年度"'
    else:
        assert display == "grid"
        expect(problems.locator(".sbs-head")).to_be_visible()
    page.locator("#s-overview summary").click()
    expect(page.locator("#s-overview .sbs-row").first).to_be_visible()
    shot(page, "compare")


def test_choose_a_figure_filter_by_kind_and_download_what_is_shown(page, site, tmp_path):
    page.goto(site + "/")
    page.locator("header nav a", has_text="年度变化").click()
    expect(page.locator("h1")).to_have_text("年度变化")
    rises = [row for row in compared() if row[3] > 0]
    expect(page.locator("#rises-table tbody tr")).to_have_count(len(rises))
    expect(page.locator("figure.change-chart svg rect.rise")).to_have_count(len(rises))
    shot(page, "changes")
    page.select_option("select[name=measure]", "relative")
    page.locator("button", has_text="查看").click()
    agencies = page.locator("#rises-table tbody tr td:first-child a").all_inner_texts()
    by_percent = sorted((row for row in rises if row[4] is not None), key=lambda row: -row[4])
    assert agencies == [row[0] for row in by_percent] + ["青岚市教育局"]       # 0 → 15: no percentage, last
    page.locator("#facet-kind a", has_text="局、厅").click()
    expect(page.locator("ul.chips li.selected")).to_have_text(re.compile("机关类型：局、厅"))
    expect(page.locator("#rises-table tbody tr")).to_have_count(2)        # 审计局 12 → 15, 教育局 0 → 15
    with page.expect_download() as info:
        page.locator("a", has_text="下载 CSV").click()
    target = tmp_path / "changes.csv"
    info.value.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    expected = [row for row in compared() if row[0].endswith("局")]
    assert sorted(row[0] for row in rows[1:]) == sorted(row[0] for row in expected)
    page.locator(".quick a", has_text="行政诉讼").click()
    expect(page.locator("select[name=figure]")).to_have_value("appeals.suits.total")
    expect(page.locator("ul.chips li.selected")).to_have_text(re.compile("机关类型：局、厅"))   # kept
    shot(page, "changes-filtered")
