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
- `changes_request`: the changes across agencies' (/changes, /api/changes), parsed by
  `search.changes.ChangesRequest`, and the download format.
- `report_pair`: the two report ids of /compare (``a``, ``b``); `against`: the report
  a report is compared with at /reports/<id>/changes (``against``, optional).

A bad value raises `search.request.BadRequest` with a Chinese sentence: a 400.
"""
from __future__ import annotations

from dataclasses import replace

from flask import current_app
from werkzeug.datastructures import MultiDict

from search.changes import ChangesRequest
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


def changes_request(args) -> tuple[ChangesRequest, str]:
    """The changes across agencies' request (`search.changes.ChangesRequest`) and the
    format asked (``format=html|csv|json``). :raise BadRequest: with a Chinese sentence."""
    fmt = (args.get("format") or "html").strip() or "html"
    if fmt not in FORMATS:
        raise BadRequest("下载格式只能是 csv 或 json。")
    return ChangesRequest.from_params(args, search_settings(current_app.config)), fmt


def _report_id(args, name: str, required: bool) -> str | None:
    value = (args.get(name) or "").strip()
    if not value:
        if required:
            raise BadRequest("请给出要对比的两份报告：参数 a 和 b 各是一份报告的编号。")
        return None
    if len(value) > search_settings(current_app.config).max_value_chars:
        raise BadRequest("报告编号过长。")
    return value


def report_pair(args) -> tuple[str, str]:
    """The two report ids /compare is asked for. :raise BadRequest: when either is missing."""
    return _report_id(args, "a", True), _report_id(args, "b", True)


def against(args) -> str | None:
    """The report id a report is to be compared with instead of its predecessor, if any."""
    return _report_id(args, "against", False)
