"""The report page of a report read by OCR says so, at 375 px and 1280 px, in a real
browser (screenshots in /tmp/web-shots/ocr-*.png); a typeset report's page does not."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from corpus.checks import run_checks
from corpus.report import SECTION_TITLES, Report, Section
from tests.test_browser import DESKTOP, PHONE, SHOTS, browser, serving  # noqa: F401  (fixture)
from tests.web_support import _appeals, _requests_table, site_index

pytestmark = [pytest.mark.browser, pytest.mark.ocr]

NOTICE = "由扫描件识别，数字以原文为准"


def _report(agency: str, ocr: bool) -> Report:
    figures = {**_requests_table(6, 5), **_appeals(0)}
    sections = [Section("overview", SECTION_TITLES["overview"], "本局主动公开政府信息四十条。")]
    return Report(source=f"{agency}.pdf", agency=agency, region="澄江市", year=2023, published="2024-01-20",
                  template=2021, sections=sections, figures=figures, checks=run_checks(figures), ocr=ocr)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    reports = [_report("澄江市档案局", ocr=True), _report("澄江市气象局", ocr=False)]
    with serving(site_index(tmp_path_factory.mktemp("ocr"), reports)) as url:
        yield url


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_a_report_read_by_ocr_says_its_figures_follow_the_original(browser, site, viewport):  # noqa: F811
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(site + "/reports/澄江市档案局-2023")
    notice = page.locator("#ocr-notice")
    expect(notice).to_have_text(NOTICE)
    expect(notice).to_be_visible()
    box = notice.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"ocr-report-{viewport['width']}.png"), full_page=True)
    page.goto(site + "/reports/澄江市气象局-2023")
    expect(page.locator("h1")).to_contain_text("澄江市气象局")
    expect(page.get_by_text(NOTICE)).to_have_count(0)
    context.close()
