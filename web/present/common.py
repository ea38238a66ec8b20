"""What several pages share: the one place highlighter output becomes markup, links."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup

from index.audit import LABELS as AUDIT_LABELS
from web import labels

FACET_LABELS = {"agency": "机关", "region": "地区", "year": "年度", "section": "章节", "audit": "体检"}


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
    return str(value)


def report_url(report_id: str, query: str = "", section: str | None = None, **kw) -> str:
    params = {"q": query} if query else {}
    return url_for("pages.report", report_id=report_id, _anchor=section, **params, **kw)


def agency_url(agency_id: str, **kw) -> str:
    return url_for("pages.agency", agency_id=agency_id, **kw)
