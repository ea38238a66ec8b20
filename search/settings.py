"""The limits search/ works within, in one table, with one value each.

`DEFAULTS` holds every limit's value; web/config.py's settings table takes its
defaults for these from here (an operator may override them with ``REPORTS_*``
variables), builds one `Settings` from its configuration and gives it to the index
handle it opens (``IndexHandle(root, settings=...)``) and to `SearchRequest.from_params`;
search/ reads the handle's (`settings_of`). Code without a configuration (the command
line, tests, the bench) gets `DEFAULTS`.

API: `Settings`, `DEFAULTS`, `settings_of(handle) -> Settings`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
DEFAULT_INDEX = Path(__file__).resolve().parent.parent / "instance" / "index"


@dataclass(frozen=True)
class Settings:
    """Which engine serves search/, where its index is, and the limits it works within
    (each field says what it bounds)."""

    engine: str = "whoosh"            # whoosh | opensearch (`search.service.open_service`)
    index_path: str = str(DEFAULT_INDEX)   # the whoosh index's root folder
    opensearch_url: str = "http://127.0.0.1:9200"   # the cluster (a node or a balancer in front)
    opensearch_index: str = "reports"  # the alias the site reads; each build writes an index behind it
    opensearch_timeout: float = 10.0   # seconds one call to the cluster may take

    max_query_chars: int = 200        # longer queries are cut (the site refuses them: 400)
    max_page: int = 1000              # deep pages cost more than anyone reads
    default_page_size: int = 10       # hits per page when the request does not say
    max_page_size: int = 50           # larger asked page sizes are capped
    max_filter_values: int = 50       # values per multi-select filter
    max_figure_filters: int = 10      # figure conditions (fig=) per search
    max_value_chars: int = 200        # one filter value (agency names are far shorter)
    max_figure_columns: int = 8       # figures one comparison may show
    default_comparison_rows: int = 100   # rows of a comparison page when the request does not say
    max_comparison_rows: int = 5000   # rows one comparison page (or download) may hold
    # Memory the query cache of one index version may hold, per worker process.
    query_cache_bytes: int = 64 * MB


DEFAULTS = Settings()


def settings_of(handle) -> Settings:
    """The settings the handle was opened with, or `DEFAULTS`."""
    found = getattr(handle, "settings", None)
    return found if isinstance(found, Settings) else DEFAULTS
