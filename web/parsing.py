"""Request parameters -> the search library's typed requests, with the site's caps.

search.request parses and bounds every search parameter; this module adds the
limits an operator sets in web/config.py on top (they can only be stricter): a
query longer than ``MAX_QUERY_LENGTH`` is a 400, not silently cut, so a reader
knows; the page size is capped at ``MAX_PAGE_SIZE``; pages beyond ``MAX_PAGE`` are
a 400.
"""
from __future__ import annotations

from dataclasses import replace

from flask import current_app

from search.request import BadRequest, SearchRequest


def search_request(args, page_size: int | None = None) -> SearchRequest:
    """Parse a search's parameters. :raise BadRequest: with a Chinese sentence."""
    config = current_app.config
    query = args.get("q") or ""
    if len(query) > config["MAX_QUERY_LENGTH"]:
        raise BadRequest(f"检索词太长了，请不要超过 {config['MAX_QUERY_LENGTH']} 个字。")
    parsed = SearchRequest.from_params(args)
    if parsed.page > config["MAX_PAGE"]:
        raise BadRequest(f"页码不能超过 {config['MAX_PAGE']}。")
    size = page_size or (parsed.page_size if args.get("size") else config["PAGE_SIZE"])
    return replace(parsed, page_size=min(size, config["MAX_PAGE_SIZE"]))
