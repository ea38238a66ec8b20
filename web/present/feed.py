"""The Atom feed of a search: ``/search.atom?q=…&region=…`` (the parameters of /search).

A journalist subscribes to a search and learns of new matching reports. Entries are
the first ``FEED_SIZE`` hits, newest report first unless the URL asks for another
order (`web.parsing.feed_request`); each links to the report page at the matching
section, and its summary is the marked snippet as ``type="html"`` text. The template
(feed.xml) is XML, so Jinja escapes everything, the snippet included (as Atom's html
type wants). A feed is updated when its newest entry is; a feed without entries when
the index it searched was built (`search.service.Health.built_at`), never 1970. How
the feed is sent (ETag, Cache-Control, 304): web/render.py.
"""
from __future__ import annotations

import time
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


def atom_time(seconds: float | None) -> str:
    """A moment (seconds since the epoch; None: now) as Atom writes it, in UTC."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if seconds is None else seconds))


def feed(results: SearchResults, request: SearchRequest, built_at: float | None = None) -> Feed:
    """The feed of `results`; its own and its page's links are those of `request` (the
    search as its URL gives it); `built_at`: when the index was built (a feed without
    entries is updated then)."""
    links = SearchLinks(request, current_app.config["PAGE_SIZE"])
    entries = []
    for h in results.hits:
        url = external_url("pages.report", report_id=h.report_id, _anchor=h.section)
        entries.append(FeedEntry(
            title=f"{h.agency} {h.year} 年度报告 · {h.title}", id=url,
            updated=atom_date(h.published, h.year), url=url, summary=h.snippet))
    updated = max((e.updated for e in entries), default=None) or atom_time(built_at)
    self_url = external_url("feeds.search_feed", **links.params())
    return Feed(
        title=f"年度报告检索：{results.query}" if results.query else "年度报告检索",
        id=self_url, updated=updated, self_url=self_url,
        html_url=external_url("pages.search", **links.params()),
        entries=entries)
