"""The engine contract's service registers itself with the app, like flaskr's ``db.init_app``.

One `search.service.ReportsService` per app, chosen by the settings table
(``ENGINE``: whoosh, the default, reads ``INDEX_PATH``; opensearch reads
``OPENSEARCH_URL``), with the limits of the table (`web.config.search_settings`). Every
view asks it, and nothing else, for what it shows. The service itself picks up a newer
index generation when ``python -m index build`` swaps one in, so a rebuilt index is
served without a restart. If there is no index (or no reachable cluster) when the app
starts, the first request tries again; until one answers, requests get a 503 page
saying so (security.py), never a 500.
"""
from __future__ import annotations

from flask import Flask, current_app

from search.engines import open_service
from search.service import EngineUnavailable, ReportsService
from web.config import search_settings

EXTENSION = "reports_service"


def init_app(app: Flask) -> None:
    """Register the service; warm it up now when it can answer (gunicorn --preload)."""
    service = open_service(search_settings(app.config))
    app.extensions[EXTENSION] = service
    try:
        service.warm_up()  # jieba, the dictionary and the facet catalog load once, in the master
    except EngineUnavailable as error:
        app.logger.warning("the %s engine cannot answer yet (%s); will retry on each request",
                           service.engine, error.reason)


def get_service() -> ReportsService:
    """The current app's service."""
    return current_app.extensions[EXTENSION]
