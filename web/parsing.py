"""Request parameters -> the search library's typed requests, parsed once.

search.request parses and bounds every search parameter within the limits of the
settings table (web/config.py → `search.settings.Settings`, the handle's); the site
adds one rule of its own: a query longer than ``MAX_QUERY_LENGTH`` is a 400, not
silently cut, so a reader knows.
"""
from __future__ import annotations

from dataclasses import replace

from flask import current_app

from search.request import BadRequest, SearchRequest
from web.config import search_settings


def search_request(args, page_size: int | None = None) -> SearchRequest:
    """Parse a search's parameters (`page_size`: a fixed size, e.g. a feed's).
    :raise BadRequest: with a Chinese sentence."""
    settings = search_settings(current_app.config)
    query = args.get("q") or ""
    if len(query) > settings.max_query_chars:
        raise BadRequest(f"检索词太长了，请不要超过 {settings.max_query_chars} 个字。")
    parsed = SearchRequest.from_params(args, settings)
    return replace(parsed, page_size=page_size) if page_size else parsed
