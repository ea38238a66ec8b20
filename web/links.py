"""Absolute links, made from the configured ``PUBLIC_URL`` and never from the request.

A feed reader, a search engine or an API client keeps absolute URLs; built from the
Host header, a forged ``Host: evil.example`` would put the attacker's address in the
Atom feed served to everyone (and in caches). Unknown hosts are refused anyway
(``TRUSTED_HOSTS``, web/config.py), and these links do not depend on it.
"""
from __future__ import annotations

from flask import current_app, request, url_for

from web.config import public_url


def external_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` under PUBLIC_URL."""
    return public_url(current_app.config, url_for(endpoint, **values))


def canonical_url() -> str:
    """This page's own address under PUBLIC_URL (path and query as requested)."""
    query = request.query_string.decode("utf-8", "replace")
    return public_url(current_app.config, request.path + (f"?{query}" if query else ""))
