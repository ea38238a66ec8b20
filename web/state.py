"""A search's state lives in its URL; this turns it into the links a page offers.

`SearchLinks(args)` reads the query string of the current search (only the
parameters a search knows; junk is dropped, never echoed) and builds the URLs for
every move from there: toggle a facet value, drop one filter, clear all filters,
change the sort, go to a page, open the same search as a feed or as JSON. Any
change but a page move goes back to page 1. The page then only prints hrefs.
"""
from __future__ import annotations

from flask import url_for

FACETS = ("agency", "region", "year", "section")      # multi-valued facet filters
SINGLE = ("q", "sort", "size", "template", "failing")  # one value each
KEPT_LISTS = ("fig",)                                  # other repeatable filters, kept as they are


class SearchLinks:
    def __init__(self, args):
        self.single = {k: args.get(k) for k in SINGLE if args.get(k)}
        self.filters = {f: list(dict.fromkeys(v for v in args.getlist(f) if v)) for f in FACETS}
        self.kept = {k: args.getlist(k) for k in KEPT_LISTS if args.getlist(k)}
        self.page = args.get("page")

    def params(self, filters=None, page=None, **single) -> dict:
        """The query-string parameters of this search with the given changes."""
        params = {**self.single, **single}
        params = {k: v for k, v in params.items() if v}
        params.update(self.kept)
        for facet, values in (filters if filters is not None else self.filters).items():
            if values:
                params[facet] = values
        if page and page != 1:
            params["page"] = page
        return params

    def url(self, endpoint: str = "pages.search", *, page=None, filters=None, **single) -> str:
        return url_for(endpoint, **self.params(filters, page, **single))

    def toggle(self, facet: str, value: str) -> str:
        """The search with value added to facet, or taken out when it is selected."""
        values = self.filters[facet]
        changed = [v for v in values if v != value] if value in values else values + [value]
        return self.url(filters={**self.filters, facet: changed})

    def clear(self) -> str:
        """The same query without any filter."""
        return self.url(filters={})

    def sort(self, order: str) -> str:
        return self.url(sort=order)

    def to_page(self, number: int) -> str:
        return self.url(page=number)

    def feed(self) -> str:
        return self.url("feeds.search_feed")

    def api(self) -> str:
        """The same search, this page, from the JSON API."""
        page = int(self.page) if str(self.page or "").isdigit() else None
        return self.url("api.search", page=page)

    @property
    def selected(self) -> list[tuple[str, str]]:
        return [(f, v) for f, values in self.filters.items() for v in values]
