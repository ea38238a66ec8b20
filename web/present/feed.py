"""The Atom feed of a search: ``/search.atom?q=…&region=…`` (the parameters of /search).

A journalist subscribes to a search and learns of new matching reports. Entries are
the first ``FEED_SIZE`` hits, newest report first unless the URL asks for another
order (`web.parsing.feed_request`); each links to the report page at the matching
section, and its summary is the marked snippet as ``type="html"`` text. The template
(feed.xml) is XML, so Jinja escapes everything, the snippet included (as Atom's html
type wants).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from search.request import SearchRequest
from search.results import SearchResults
from web.links import external_url
from web.state import SearchLinks


@dataclass
class FeedEntry:
    title: str
    id: str
    updated: str
    url: str
    summary: str          # HTML as text: the XML template escapes it once more


@dataclass
class Feed:
    title: str
    id: str
    updated: str
    self_url: str
    html_url: str
    entries: list[FeedEntry]


def atom_date(published: str | None, year: int) -> str:
    # A report without a printed date counts as published when its year ended.
    return f"{published or f'{year}-12-31'}T00:00:00Z"


def feed(results: SearchResults, request: SearchRequest) -> Feed:
    """The feed of `results`; its own and its page's links are those of `request` (the
    search as its URL gives it)."""
    links = SearchLinks(request, current_app.config["PAGE_SIZE"])
    entries = []
    for h in results.hits:
        url = external_url("pages.report", report_id=h.report_id, _anchor=h.section)
        entries.append(FeedEntry(
            title=f"{h.agency} {h.year} 年度报告 · {h.title}", id=url,
            updated=atom_date(h.published, h.year), url=url, summary=h.snippet))
    updated = max((e.updated for e in entries), default="1970-01-01T00:00:00Z")
    self_url = external_url("feeds.search_feed", **links.params())
    return Feed(
        title=f"年度报告检索：{results.query}" if results.query else "年度报告检索",
        id=self_url, updated=updated, self_url=self_url,
        html_url=external_url("pages.search", **links.params()),
        entries=entries)
