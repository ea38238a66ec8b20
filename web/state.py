"""A search's state lives in its URL; this turns it into the links a page offers.

`SearchLinks(request, default_size)` takes the current search as parsed once
(`search.request.SearchRequest`: only the parameters a search knows, normalised;
junk is dropped, never echoed) and builds the URLs for every move from there: toggle a facet value, drop one filter, clear all filters,
change the sort, go to a page, open the same search as a feed or as JSON. Any
change but a page move goes back to page 1. The page then only prints hrefs.
"""
from __future__ import annotations

import functools
from urllib.parse import quote_plus

from flask import url_for

from search.request import SearchRequest
from search.vocabulary import FACETS, OTHER_FILTERS

SINGLE = ("q", "sort", "size")                         # one value each, kept by every link


_SAFE = "!$'()*,/:;?@"   # werkzeug.urls._urlencode's


@functools.lru_cache(maxsize=4096)
def _piece(name: str, value: str) -> str:
    """``name=value`` encoded as werkzeug's url_for encodes a query parameter."""
    return f"{quote_plus(name, safe=_SAFE)}={quote_plus(value, safe=_SAFE)}"


class SearchLinks:
    """The links of one search (see module doc); values equal to the defaults (sort by
    relevance, the site's page size, page 1) are left out of every URL."""

    def __init__(self, request: SearchRequest, default_size: int):
        params = request.to_params()
        self.single = {k: params[k][0] for k in SINGLE if params.get(k)}
        if self.single.get("sort") == "relevance":
            del self.single["sort"]
        if request.page_size == default_size:
            self.single.pop("size", None)
        self.filters = {f: params.get(f, []) for f in FACETS}
        self.others = {k: params.get(k, []) for k in OTHER_FILTERS}
        self.page = request.page
        self.sort_key = request.sort + (":asc" if request.ascending else "")

    def params(self, filters=None, page=None, others=None, **single) -> dict:
        """The query-string parameters of this search with the given changes."""
        params = {**self.single, **single}
        params = {k: v for k, v in params.items() if v}
        for name, values in (others if others is not None else self.others).items():
            if values:
                params[name] = values
        for facet, values in (filters if filters is not None else self.filters).items():
            if values:
                params[facet] = values
        if page and page != 1:
            params["page"] = page
        return params

    def url(self, endpoint: str = "pages.search", *, page=None, filters=None, others=None,
            **single) -> str:
        # The query string as url_for writes it, from pieces encoded once per value: a
        # page with 150 filter values offers ~900 links of ~150 parameters each, and
        # encoding every parameter of every link took a second and a half.
        params = self.params(filters, page, others, **single)
        pieces = [_piece(name, str(value)) for name, values in params.items()
                  for value in (values if isinstance(values, list) else [values])]
        return url_for(endpoint) + ("?" + "&".join(pieces) if pieces else "")

    def toggle(self, facet: str, value: str) -> str:
        """The search with value added to facet, or taken out when it is selected."""
        values = self.filters[facet]
        changed = [v for v in values if v != value] if value in values else values + [value]
        return self.url(filters={**self.filters, facet: changed})

    def remove(self, name: str, value: str) -> str:
        """The search without one value of a filter that has no facet (failing, template, fig)."""
        return self.url(others={**self.others, name: [v for v in self.others[name] if v != value]})

    def clear(self) -> str:
        """The same query without any filter."""
        return self.url(filters={}, others={})

    def sort(self, order: str) -> str:
        return self.url(sort=order)

    def to_page(self, number: int) -> str:
        return self.url(page=number)

    def feed(self) -> str:
        return self.url("feeds.search_feed")

    def api(self) -> str:
        """The same search, this page, from the JSON API."""
        return self.url("api.search", page=self.page)

    @property
    def selected(self) -> list[tuple[str, str]]:
        """The selected facet values, as (facet, value)."""
        return [(f, v) for f, values in self.filters.items() for v in values]

    @property
    def other_filters(self) -> list[tuple[str, str]]:
        """The other filters set, as (parameter, value)."""
        return [(name, v) for name, values in self.others.items() for v in values]
