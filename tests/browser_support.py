"""A browser page at each screen width the site is checked at, for the browser tests.

Import `sized_page` (a fixture named ``page``) beside `tests.test_browser.browser`: each
test using ``page`` runs at 375 px (a phone) and at 1280 px, downloads allowed, and
fails if the page logged a console error other than a 4xx answer (a Content-Security-
Policy refusal shows up there).
"""
from __future__ import annotations

import pytest

from tests.test_browser import DESKTOP, PHONE


@pytest.fixture(name="page", params=[PHONE, DESKTOP], ids=["375px", "1280px"])
def sized_page(request, browser):
    context = browser.new_context(viewport=request.param, accept_downloads=True)
    page = context.new_page()
    page.width = request.param["width"]
    page.errors = []
    page.on("console", lambda m: m.type == "error" and "status of 4" not in m.text and page.errors.append(m.text))
    yield page
    context.close()
    assert page.errors == []
