"""The limits search/ works within, in one table.

web/ builds one `Settings` from its configuration (`web.config`) and gives it to the
index handle it opens (``IndexHandle(root, settings=...)``); search/ reads it from the
handle (`settings_of`). Code without a configuration (the command line, tests) gets
`DEFAULTS`.

API: `Settings`, `DEFAULTS`, `settings_of(handle) -> Settings`.
"""
from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Limits of search/ (each field says what it bounds)."""

    # Memory the query cache of one index version may hold, per worker process.
    query_cache_bytes: int = 64 * MB


DEFAULTS = Settings()


def settings_of(handle) -> Settings:
    """The settings the handle was opened with, or `DEFAULTS`."""
    found = getattr(handle, "settings", None)
    return found if isinstance(found, Settings) else DEFAULTS
