"""Request parameters -> typed requests, parsed once per request, here only.

Every view (web/views.py) and the rate limit's weighing of a request
(`web.workload.request_cost`, which runs first) read the parameters through this
module, and what it parses is kept on ``flask.g`` for the rest of the request: the
cost is computed from the very search or comparison the view then runs, and a bad
parameter is found once (the cost of a request that will be a 400 is 1; the view
raises the kept error). Nobody looks at ``request.args`` again; links are built from
the typed result (`web.state.SearchLinks`, `ComparisonRequest.to_params`), not from
the query string.

- `search_request`: a search's parameters (/search, /api/search), parsed and bounded by
  `search.request` within the limits of the settings table (web/config.py →
  `search.settings.Settings`); the site adds one rule of its own: a query longer than
  ``MAX_QUERY_LENGTH`` is a 400, not silently cut, so a reader knows.
- `feed_request`: the same for an Atom feed (/search.atom): always its first hits.
- `marked_terms`: the query a report page was opened from (``?q=``) and its terms,
  under the same rule.
- `comparison_request`: the comparison table's parameters (/figures, /api/figures),
  parsed by `search.comparison.ComparisonRequest`, and the download format.
- `changes_request`: the changes across agencies' (/changes, /api/changes), parsed by
  `search.changes.ChangesRequest`, and the download format.
- `report_pair`: the two report ids of /compare (``a``, ``b``); `against`: the report
  a report is compared with at /reports/<id>/changes (``against``, optional).
- `asked`: whichever of these the request's endpoint takes (None for the others).

A single-valued parameter given twice (``q=a&q=b``) or a bad value raises
`search.request.BadRequest` with a Chinese sentence: a 400.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from flask import current_app, g, request
from werkzeug.datastructures import MultiDict

from search.changes import ChangesRequest
from search.comparison import ComparisonRequest
from search.query import parse
from search.request import BadRequest, SearchRequest, Values, cap_query
from web.config import search_settings

FORMATS = ("html", "csv", "json")
SEARCHES = {"pages.search", "api.search"}
FEEDS = {"feeds.search_feed"}
COMPARISONS = {"pages.figures", "api.figures"}


def _once(name: str, make: Callable):
    """`make()` the first time this request asks for `name`, then what it gave (or raised)."""
    kept = g.setdefault("parsed", {})
    if name not in kept:
        try:
            kept[name] = (make(), None)
        except BadRequest as error:
            kept[name] = (None, error)
    value, error = kept[name]
    if error is not None:
        raise error
    return value


def _query(values: Values) -> str:
    """The ``q`` parameter. :raise BadRequest: when longer than MAX_QUERY_LENGTH as sent
    (spaces around it included: the API document's maxLength counts them too)."""
    settings = search_settings(current_app.config)
    query = values.one("q", blank=True) or ""
    if len(values.params.get("q") or "") > settings.max_query_length:
        raise BadRequest(f"检索词太长了，请不要超过 {settings.max_query_length} 个字。")
    return query


def _search(args) -> SearchRequest:
    _query(Values(args))
    return SearchRequest.from_params(args, search_settings(current_app.config))


def search_request() -> SearchRequest:
    """This request's search. :raise BadRequest: with a Chinese sentence."""
    return _once("search", lambda: _search(request.args))


def feed_request() -> tuple[SearchRequest, SearchRequest]:
    """A feed's search as its URL gives it (for the feed's links), and the search it runs:
    the first ``FEED_SIZE`` hits, newest report first unless the URL sorts otherwise.
    A feed is always the first hits, so ``page`` is ignored (even an invalid one)."""
    def make():
        args = MultiDict(request.args)
        args.poplist("page")
        shown = _search(args)
        newest = {} if "sort" in args else {"sort": "newest", "ascending": False}
        return shown, replace(shown, page=1, page_size=current_app.config["FEED_SIZE"], **newest)
    return _once("feed", make)


def marked_terms() -> tuple[str, list[str]]:
    """The query a report page was opened from (``?q=``) and the terms to mark in its
    text. :raise BadRequest: as a search's query would."""
    def make():
        settings = search_settings(current_app.config)
        query = cap_query(_query(Values(request.args)), settings.max_query_length)
        return query, parse(query, settings).terms if query else []
    return _once("marked", make)


def comparison_request(page: bool = False) -> tuple[ComparisonRequest, str]:
    """The comparison table's request (`search.comparison.ComparisonRequest`) and the
    format asked (``format=html|csv|json``). :raise BadRequest: with a Chinese sentence.

    Too many figures is an error for the downloads and the API; the page (`page`)
    instead keeps the reader's choice, compares the first ones and says why.
    """
    def make():
        fmt = Values(request.args).one("format") or "html"
        if fmt not in FORMATS:
            raise BadRequest("下载格式只能是 csv 或 json。")
        settings = search_settings(current_app.config)
        return ComparisonRequest.from_params(request.args, settings, cut_columns=page and fmt == "html"), fmt
    return _once("comparison", make)


def changes_request() -> tuple[ChangesRequest, str]:
    """The changes across agencies' request (`search.changes.ChangesRequest`) and the
    format asked (``format=html|csv|json``). :raise BadRequest: with a Chinese sentence."""
    def make():
        fmt = Values(request.args).one("format") or "html"
        if fmt not in FORMATS:
            raise BadRequest("下载格式只能是 csv 或 json。")
        return ChangesRequest.from_params(request.args, search_settings(current_app.config)), fmt
    return _once("changes", make)


def _report_id(name: str, required: bool) -> str | None:
    """A report id parameter. Absent: an error when `required`, else None. Blank: no
    report (an empty id, which is found nowhere: a 404), or None when not `required`."""
    if name not in request.args:
        if required:
            raise BadRequest("请给出要对比的两份报告：参数 a 和 b 各是一份报告的编号。")
        return None
    value = Values(request.args).one(name, blank=True)
    if value is not None and len(value) > search_settings(current_app.config).max_value_chars:
        raise BadRequest("报告编号过长。")
    return value if value is not None else ("" if required else None)


def report_pair() -> tuple[str, str]:
    """The two report ids /compare is asked for. :raise BadRequest: when either is missing."""
    return _report_id("a", True), _report_id("b", True)


def against() -> str | None:
    """The report id a report is to be compared with instead of its predecessor, if any."""
    return _report_id("against", False)


def asked() -> SearchRequest | ComparisonRequest | None:
    """The search or comparison this request's endpoint runs, None for other endpoints.
    :raise BadRequest: as the view would."""
    if request.endpoint in SEARCHES:
        return search_request()
    if request.endpoint in FEEDS:
        return feed_request()[1]
    if request.endpoint in COMPARISONS:
        return comparison_request(page=request.endpoint == "pages.figures")[0]
    return None
