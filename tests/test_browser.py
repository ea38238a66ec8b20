"""The site in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium).

The app runs in a thread on a free local port (werkzeug's server, the made-up index
of tests/web_support.py). A reader searches, toggles a facet, pages, opens a report
from a hit and sees the marked terms, and downloads a comparison as CSV. Every page
is also photographed at 375 px and at desktop width into /tmp/web-shots/ (for a
person to look at) and must not scroll sideways on the phone, nor trip the
Content-Security-Policy.
"""
from __future__ import annotations

import csv
import io
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from tests.web_support import index_root, make_app  # noqa: F401

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path("/tmp/web-shots")
QUERY = "依申请公开"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@contextmanager
def serving(root):
    """The site over the index at `root`, on a free local port, for the block: its URL."""
    server = make_server("127.0.0.1", 0, make_app(root), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@pytest.fixture(scope="module")
def base_url(index_root):
    with serving(index_root) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def test_search_toggle_a_facet_page_and_open_a_report(page, base_url):
    page.goto(base_url + "/")
    page.fill("input[name=q]", QUERY)
    page.press("input[name=q]", "Enter")
    expect(page.locator("li.hit")).to_have_count(8)
    expect(page.locator("li.hit .snippet mark").first).to_have_text(QUERY)

    page.locator("#facet-region a", has_text="白石县").click()
    expect(page.locator("li.hit")).to_have_count(2)
    expect(page.locator("#facet-region li.selected")).to_have_text("白石县2")
    assert "region=%E7%99%BD%E7%9F%B3%E5%8E%BF" in page.url
    page.locator("ul.chips a", has_text="清除全部筛选").click()
    expect(page.locator("li.hit")).to_have_count(8)

    page.goto(base_url + f"/search?q={QUERY}&size=3")
    first_page = page.locator("li.hit h3").all_inner_texts()
    page.locator("nav.pager a", has_text="下一页").click()
    expect(page.locator("nav.pager .current")).to_have_text("2")
    second_page = page.locator("li.hit h3").all_inner_texts()
    assert len(second_page) == 3 and not set(first_page) & set(second_page)

    title = page.locator("li.hit h3 a").first
    section = title.get_attribute("href").rsplit("#", 1)[1]
    title.click()
    expect(page.locator("h1")).to_contain_text("年政府信息公开工作年度报告")
    assert page.url.endswith("#" + section)
    marks = page.locator(f"section#{section} .section-text mark")
    expect(marks.first).to_have_text(QUERY)
    expect(page.locator(f"section#{section}")).to_be_in_viewport()
    assert page.console_errors == []


def test_download_the_comparison_as_csv(page, base_url, tmp_path):
    page.goto(base_url + "/figures?figure=requests.new.total&sort=requests.new.total&order=desc")
    shown = [[cell.strip() for cell in row.split("\t")]
             for row in page.locator("#figures-table tbody tr").all_inner_texts()]
    with page.expect_download() as download_info:
        page.locator("a", has_text="下载 CSV").click()
    download = download_info.value
    assert download.suggested_filename == "figures.csv"
    target = tmp_path / "figures.csv"
    download.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    assert rows[0] == ["机关", "地区", "年度", "一、本年新收政府信息公开申请数量·总计", "体检"]
    assert rows[1:] == shown
    assert [r[3] for r in rows[1:]] == ["20", "12", "8", "5"]


def test_choose_figures_in_the_form(page, base_url):
    page.goto(base_url + "/figures")
    page.locator("details.figure-picker:not(.audit-picker) summary").click()
    page.locator("label.choice", has_text="行政复议·总计").locator("input").uncheck()
    page.locator("label.choice", has_text="行政诉讼·未经复议直接起诉·总计").locator("input").check()
    page.select_option("select[name=region]", "青柳市")
    page.locator("button", has_text="比较").click()
    headers = page.locator("#figures-table thead th").all_inner_texts()
    assert headers[-2].strip() == "行政诉讼·未经复议直接起诉·总计"   # the last is 体检
    assert "行政复议·总计" not in [h.strip() for h in headers]
    expect(page.locator("#figures-table tbody tr")).to_have_count(3)


PAGES = {
    "home": "/",
    "search": f"/search?q={QUERY}&size=3",
    "search-filtered": f"/search?q={QUERY}&region=青柳市&size=2",
    "search-empty": f"/search?q={QUERY}&region=白石县&year=2022",
    "report": f"/reports/白石县人民政府-2023?q={QUERY}",
    "agency": "/agencies/青柳市交通运输局",
    "figures": "/figures",
    "audit": "/audit",
    "search-audit": "/search?audit=arithmetic",
    "error-400": "/search?page=x",
    "error-404": "/reports/nope",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "desktop"])
def test_every_page_fits_the_screen_and_is_photographed(browser, base_url, viewport):
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error"
            and "status of 4" not in message.text and problems.append(message.text))
    try:
        for name, path in PAGES.items():
            page.goto(base_url + path)
            page.screenshot(path=str(SHOTS / f"{name}-{viewport['width']}.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{name} scrolls sideways: {width}px"
            assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
                == "rgb(179, 38, 30)", f"{name}: the stylesheet did not load"
    finally:
        context.close()
    assert problems == []          # e.g. no Content-Security-Policy violation
