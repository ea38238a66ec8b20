"""Request parameters -> typed requests, parsed once per request, here only.

Every view (web/views.py) reads its parameters through one function of this module and
never looks at ``request.args`` again; links are built from the typed result
(`web.state.SearchLinks`, `ComparisonRequest.to_params`), not from the query string.

- `search_request`: a search's parameters (/search, /api/search), parsed and bounded by
  `search.request` within the limits of the settings table (web/config.py →
  `search.settings.Settings`); the site adds one rule of its own: a query longer than
  ``MAX_QUERY_LENGTH`` is a 400, not silently cut, so a reader knows.
- `feed_request`: the same for an Atom feed (/search.atom): always its first hits.
- `marked_terms`: the query a report page was opened from (``?q=``) and its terms.
- `comparison_request`: the comparison table's parameters (/figures, /api/figures),
  parsed by `search.comparison.ComparisonRequest`, and the download format.

A bad value raises `search.request.BadRequest` with a Chinese sentence: a 400.
"""
from __future__ import annotations

from dataclasses import replace

from flask import current_app
from werkzeug.datastructures import MultiDict

from search.comparison import ComparisonRequest
from search.query import parse
from search.request import BadRequest, SearchRequest, cap_query
from web.config import search_settings

FORMATS = ("html", "csv", "json")


def search_request(args) -> SearchRequest:
    """Parse a search's parameters. :raise BadRequest: with a Chinese sentence."""
    settings = search_settings(current_app.config)
    query = args.get("q") or ""
    if len(query) > settings.max_query_length:
        raise BadRequest(f"检索词太长了，请不要超过 {settings.max_query_length} 个字。")
    return SearchRequest.from_params(args, settings)


def feed_request(args) -> tuple[SearchRequest, SearchRequest]:
    """A feed's search as its URL gives it (for the feed's links), and the search it runs:
    the first ``FEED_SIZE`` hits, newest report first unless the URL sorts otherwise.
    A feed is always the first hits, so ``page`` is ignored (even an invalid one)."""
    args = MultiDict(args)
    args.pop("page", None)
    shown = search_request(args)
    newest = {} if "sort" in args else {"sort": "newest", "ascending": False}
    return shown, replace(shown, page=1, page_size=current_app.config["FEED_SIZE"], **newest)


def marked_terms(args) -> tuple[str, list[str]]:
    """The query a report page was opened from (``?q=``, capped like a search's) and the
    terms to mark in its text."""
    settings = search_settings(current_app.config)
    query = cap_query(args.get("q") or "", settings.max_query_length)
    return query, parse(query, settings).terms if query else []


def comparison_request(args, page: bool = False) -> tuple[ComparisonRequest, str]:
    """The comparison table's request (`search.comparison.ComparisonRequest`) and the
    format asked (``format=html|csv|json``). :raise BadRequest: with a Chinese sentence.

    Too many figures is an error for the downloads and the API; the page (`page`)
    instead keeps the reader's choice, compares the first ones and says why.
    """
    fmt = (args.get("format") or "html").strip() or "html"
    if fmt not in FORMATS:
        raise BadRequest("下载格式只能是 csv 或 json。")
    settings = search_settings(current_app.config)
    return ComparisonRequest.from_params(args, settings, cut_columns=page and fmt == "html"), fmt
