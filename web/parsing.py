"""Request parameters -> typed requests, parsed once per request, here only.

Every view (web/views.py) reads its parameters through one function of this module and
never looks at ``request.args`` again; links are built from the typed result
(`web.state.SearchLinks`, `FigureArgs.params`), not from the query string.

- `search_request`: a search's parameters (/search, /api/search), parsed and bounded by
  `search.request` within the limits of the settings table (web/config.py →
  `search.settings.Settings`); the site adds one rule of its own: a query longer than
  ``MAX_QUERY_LENGTH`` is a 400, not silently cut, so a reader knows.
- `feed_request`: the same for an Atom feed (/search.atom): always its first hits.
- `marked_terms`: the query a report page was opened from (``?q=``) and its terms.
- `figure_args`: the comparison table's parameters (/figures, /api/figures).

A bad value raises `search.request.BadRequest` with a Chinese sentence: a 400.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from flask import current_app
from werkzeug.datastructures import MultiDict

from search.query import parse
from search.request import BadRequest, SearchRequest, audit_kind, cap_query, check_figure_key
from web.config import search_settings

DEFAULT_FIGURES = ("requests.new.total", "requests.granted.total",
                   "requests.carried_forward.total", "appeals.review.total")
FIXED_COLUMNS = {"agency": "机关", "region": "地区", "year": "年度"}
FORMATS = ("html", "csv", "json")


def search_request(args) -> SearchRequest:
    """Parse a search's parameters. :raise BadRequest: with a Chinese sentence."""
    settings = search_settings(current_app.config)
    query = args.get("q") or ""
    if len(query) > settings.max_query_chars:
        raise BadRequest(f"检索词太长了，请不要超过 {settings.max_query_chars} 个字。")
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
    query = cap_query(args.get("q") or "", search_settings(current_app.config).max_query_chars)
    return query, parse(query).terms if query else []


@dataclass
class FigureArgs:
    """The comparison table's parameters (see `figure_args`)."""

    keys: list[str]
    region: str | None
    year: int | None
    sort: str                 # "agency", "region", "year" or one of keys
    order: str                # "asc" | "desc"
    format: str
    chosen: list[str] = field(default_factory=list)   # what the reader ticked (may exceed the cap)
    notice: str = ""          # why fewer figures are shown than were ticked
    audits: list[str] = field(default_factory=list)   # audit finding kinds (any of them)

    @property
    def params(self) -> dict:
        """The URL parameters that give this table (format left out)."""
        params = {"figure": self.keys, "sort": self.sort, "order": self.order}
        if self.audits:
            params["audit"] = self.audits
        if self.region:
            params["region"] = self.region
        if self.year:
            params["year"] = self.year
        return params

    def compare_arguments(self) -> dict:
        """Keyword arguments for search.figures.compare."""
        figure_sort = self.sort if self.sort in self.keys else None
        return {"keys": self.keys, "region": self.region, "year": self.year,
                "sort": figure_sort, "desc": self.order == "desc", "audits": self.audits}


def _one(args, name: str) -> str | None:
    value = (args.get(name) or "").strip()
    return value or None


def figure_args(args, page: bool = False) -> FigureArgs:
    """Parse the figures page's parameters. :raise BadRequest: with a Chinese sentence.

    ``/figures?figure=requests.new.total&figure=appeals.review.total&region=…&year=…
    &audit=late&sort=…&order=desc&format=csv`` (``audit``: only reports with any of
    these audit findings). Too many figures is an error for the downloads and the API;
    the page (`page`) instead keeps the reader's choice, shows the first ones and says why.
    """
    keys = list(dict.fromkeys(k.strip() for k in args.getlist("figure") if k.strip()))
    keys = [check_figure_key(k) for k in keys] or list(DEFAULT_FIGURES)
    chosen, notice = list(keys), ""
    cap = current_app.config["MAX_FIGURE_COLUMNS"]
    if len(keys) > cap:
        if not page or (_one(args, "format") or "html") != "html":
            raise BadRequest(f"一次最多比较 {cap} 个数字。")
        notice = (f"一次最多比较 {cap} 个数字，您选了 {len(keys)} 个，下表只列出前 {cap} 个。"
                  "请取消勾选一些，再点“比较”。")
        keys = keys[:cap]
    region = _one(args, "region")
    if region and len(region) > search_settings(current_app.config).max_value_chars:
        raise BadRequest("地区名称过长。")
    year = _one(args, "year")
    if year is not None:
        if not re.fullmatch(r"\d{4}", year):
            raise BadRequest(f"年度“{year[:20]}”不是有效的年份。")
        year = int(year)
    sort = _one(args, "sort") or "agency"
    if sort not in FIXED_COLUMNS and sort not in keys:
        raise BadRequest("只能按表中的一列排序。")
    order = _one(args, "order") or ("asc" if sort in FIXED_COLUMNS else "desc")
    if order not in ("asc", "desc"):
        raise BadRequest("排序方向只能是 asc（升序）或 desc（降序）。")
    fmt = _one(args, "format") or "html"
    if fmt not in FORMATS:
        raise BadRequest("下载格式只能是 csv 或 json。")
    audits = list(dict.fromkeys(audit_kind(v.strip()) for v in args.getlist("audit") if v.strip()))
    return FigureArgs(keys, region, year, sort, order, fmt, chosen, notice, audits)
