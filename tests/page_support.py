"""Reading the site's HTML in tests: parse a response, read a node's text, a search
page's hits and facets. `QUERY` occurs in every made-up report's overview and
requests sections (tests/web_support.py): 8 sections."""
from __future__ import annotations

from bs4 import BeautifulSoup

QUERY = "依申请公开"      # occurs in every report's overview and requests sections: 8 sections


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def flat(node) -> str:
    """The text as read, inline elements joined without spaces."""
    return " ".join(node.get_text("").split())


def hits(page) -> list[str]:
    return [text(h.select_one("h3")) for h in page.select("li.hit")]


def facets(page) -> dict:
    """{facet title: [(label, count, selected)]} as the sidebar shows it."""
    return {text(f.h3): [(text(li.select_one("a span")), int(text(li.select_one(".count"))),
                          "selected" in (li.get("class") or []))
                         for li in f.select("li")]
            for f in page.select("aside.facets .facet")}
