"""The index handle registers itself with the app, like flaskr's ``db.init_app``.

One `index.store.IndexHandle` per app, opened from ``INDEX_PATH`` with the limits of
the settings table (`web.config.search_settings`) for search/ to read. The handle itself
switches to a newer generation when ``python -m index build`` swaps one in, so a
rebuilt index is served without a restart. If there is no index yet when the app
starts, opening is retried on each request until one appears; until then requests
get a 503 page saying so (security.py), never a 500.
"""
from __future__ import annotations

import threading

from flask import Flask, current_app

from index.store import IndexHandle, IndexMissing
from search.engine import warm_up
from web.config import search_settings

EXTENSION = "reports_index"


class _LazyHandle:
    """Opens the handle on first use and keeps it; thread-safe for gthread workers."""

    def __init__(self, path: str, settings=None):
        self.path, self.settings = path, settings
        self._handle: IndexHandle | None = None
        self._lock = threading.Lock()

    def get(self) -> IndexHandle:
        if self._handle is None:
            with self._lock:
                if self._handle is None:
                    self._handle = IndexHandle(self.path, settings=self.settings)
        return self._handle


def init_app(app: Flask) -> None:
    """Register the index handle; open it now when the index exists (gunicorn --preload)."""
    lazy = _LazyHandle(app.config["INDEX_PATH"], search_settings(app.config))
    app.extensions[EXTENSION] = lazy
    try:
        warm_up(lazy.get())  # jieba, the dictionary and the facet catalog load once, in the master
    except IndexMissing as error:
        app.logger.warning("no index yet (%s); will retry on each request", error)


def get_handle() -> IndexHandle:
    """The current app's index handle. :raise IndexMissing: when there is no index."""
    return current_app.extensions[EXTENSION].get()
