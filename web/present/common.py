"""What several pages share: the one place highlighter output becomes markup, links,
the pager."""
from __future__ import annotations

from dataclasses import dataclass

from typing import Callable

from flask import current_app, url_for
from markupsafe import Markup

from search.vocabulary import AUDIT_LABELS, CHANGE_LABELS
from web import labels

PAGES_AROUND = 2            # page links either side of the current one

FACET_LABELS = {"agency": "机关", "region": "地区", "year": "年度", "section": "章节", "audit": "体检",
                "change": "与上年相比"}


def marked(html: str) -> Markup:
    """Highlighter output (search.snippets): already escaped, only our <mark> inside."""
    return Markup(html)


@dataclass
class Link:
    label: str
    url: str
    count: int | None = None
    current: bool = False


def value_label(facet: str, value) -> str:
    """How a facet value reads: section keys by their names, years as 年度."""
    if facet == "section":
        return labels.SECTION_NAMES.get(str(value), str(value))
    if facet == "year":
        return f"{value} 年度"
    if facet == "audit":
        return AUDIT_LABELS.get(str(value), str(value))
    if facet == "change":
        return CHANGE_LABELS.get(str(value), str(value))
    return str(value)


def report_url(report_id: str, query: str = "", section: str | None = None, **kw) -> str:
    params = {"q": query} if query else {}
    return url_for("pages.report", report_id=report_id, _anchor=section, **params, **kw)


def agency_url(agency_id: str, **kw) -> str:
    return url_for("pages.agency", agency_id=agency_id, **kw)


@dataclass
class PageLink:
    number: int | None        # None: a gap (…)
    url: str | None
    current: bool = False


@dataclass
class Pager:
    prev_url: str | None
    next_url: str | None
    pages: list[PageLink]


def pager(page: int, total: int, page_size: int, url_of: Callable[[int], str]) -> Pager | None:
    """Links to the pages around the current one, first and last always (`url_of(number)`
    gives a page's address); None when everything fits on one page."""
    last = min(max(1, -(-total // page_size)), current_app.config["MAX_PAGE"])
    if last == 1 and page == 1:
        return None
    shown = sorted({1, last, *range(max(1, page - PAGES_AROUND), min(last, page + PAGES_AROUND) + 1)})
    pages, previous = [], 0
    for number in shown:
        if number - previous > 1:
            pages.append(PageLink(None, None))
        pages.append(PageLink(number, url_of(number), number == page))
        previous = number
    return Pager(
        prev_url=url_of(min(page - 1, last)) if page > 1 else None,
        next_url=url_of(page + 1) if page < last else None,
        pages=pages,
    )
