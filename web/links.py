"""Absolute links and a page's canonical address.

A feed reader, a search engine or an API client keeps absolute URLs. They start with
the configured ``PUBLIC_URL``; without one, with the scheme and host the request came
by — never a host the site does not know: Flask refuses any Host outside
``TRUSTED_HOSTS`` (web/config.py: PUBLIC_URL's host, or BIND's, localhost and
127.0.0.1 unless set) before a view runs, so a forged ``Host: evil.example`` never
reaches the Atom feed served to everyone (or a cache). Behind the shipped nginx the
scheme is its ``X-Forwarded-Proto`` and the host the client's own (PROXY_COUNT).

A page's canonical address names what the page shows and nothing else: a search's or
a comparison's parameters as parsed (`web.parsing.asked`: normalised, defaults left
out, unknown parameters dropped), no query at all on the other pages (a report
opened from a search, ``?q=…``, is the same report).

API: `base_url()`, `external_url(endpoint, **values)`, `canonical_url()`.
"""
from __future__ import annotations

from flask import current_app, request, url_for

from search.comparison import ComparisonRequest
from search.request import BadRequest, SearchRequest


def base_url() -> str:
    """The site's address without a trailing slash: PUBLIC_URL, else the request's own."""
    configured = str(current_app.config["PUBLIC_URL"] or "").rstrip("/")
    return configured or request.host_url.rstrip("/")


def external_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` made absolute (`base_url`)."""
    return base_url() + url_for(endpoint, **values)


def canonical_url() -> str:
    """This page's own address: its path, and only the parameters that make it."""
    from web.parsing import asked
    from web.state import SearchLinks

    if request.url_rule is None:
        return base_url() + request.path
    try:
        shown = asked()
    except BadRequest:
        shown = None
    endpoint, values = request.endpoint, dict(request.view_args or {})
    values.pop("fmt", None)
    if isinstance(shown, SearchRequest):
        values.update(SearchLinks(shown, current_app.config["PAGE_SIZE"]).params(page=shown.page))
    elif isinstance(shown, ComparisonRequest):
        values.update(comparison_params(shown))
    return external_url(endpoint, **values)


def comparison_params(shown: ComparisonRequest) -> dict:
    """A comparison's parameters without its defaults (sort by agency, ascending; the
    first page; the site's page size)."""
    params = shown.to_params()
    if params.get("sort") == ["agency"] and params.get("order") == ["asc"]:
        params.pop("sort"), params.pop("order")
    if shown.page != 1:
        params["page"] = [str(shown.page)]
    if shown.page_size != current_app.config["COMPARISON_ROWS"]:
        params["size"] = [str(shown.page_size)]
    return params
