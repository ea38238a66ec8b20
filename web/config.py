"""The site's settings, in one table: defaults, environment overrides, help.

Every setting is a `Setting(name, default, help)`. `load(app, test_config)` puts the
defaults into ``app.config``, then lets the environment override any of them
(``REPORTS_<NAME>``, e.g. ``REPORTS_INDEX_PATH=/srv/index``; integers and booleans are
parsed by the type of the default), then applies the test's overrides. Nothing else
in web/ invents a number: views read ``current_app.config``. The limits search/
enforces take their defaults from `search.settings` and reach search/ as one
`search.settings.Settings` (`search_settings`, given to the index handle).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from search.settings import DEFAULTS as LIMITS
from search.settings import MB, Settings

ENV_PREFIX = "REPORTS_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The placeholder secret: fine for debug and tests, refused anywhere else (security.py).
DEFAULT_SECRET = "dev-secret-change-me"
DEFAULT_BIND = "127.0.0.1:8000"    # loopback only: a reverse proxy publishes the site


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS = (
    Setting("ENGINE", LIMITS.engine, "the search engine the site asks: whoosh (an index on this machine, "
                                     "INDEX_PATH) or opensearch (a cluster, OPENSEARCH_URL)"),
    Setting("INDEX_PATH", LIMITS.index_path,
            "the whoosh index's root directory, written by `python -m index build`"),
    Setting("OPENSEARCH_URL", LIMITS.opensearch_url,
            "the OpenSearch cluster (one node's address, or a balancer's in front of several)"),
    Setting("OPENSEARCH_INDEX", LIMITS.opensearch_index,
            "the alias the site reads in OpenSearch; `python -m index build --engine opensearch` "
            "writes a new index behind it and flips it"),
    Setting("OPENSEARCH_TIMEOUT", LIMITS.opensearch_timeout, "seconds one call to the cluster may take"),
    Setting("SECRET_KEY", DEFAULT_SECRET,
            "Flask secret; must be changed outside debug and testing"),
    Setting("PAGE_SIZE", LIMITS.default_page_size, "hits per search page when the URL does not say"),
    Setting("MAX_PAGE_SIZE", LIMITS.max_page_size, "largest page size a client may ask for"),
    Setting("MAX_QUERY_LENGTH", LIMITS.max_query_chars, "longest query, in characters, before a 400"),
    Setting("MAX_PAGE", LIMITS.max_page, "highest page number a client may ask for"),
    Setting("MAX_FILTER_VALUES", LIMITS.max_filter_values, "values one multi-select filter may list"),
    Setting("MAX_FIGURE_FILTERS", LIMITS.max_figure_filters, "figure conditions (fig=) one search may have"),
    Setting("FEED_SIZE", 20, "entries in an Atom feed"),
    Setting("MAX_FIGURE_COLUMNS", LIMITS.max_figure_columns, "figures a comparison table may show at once"),
    Setting("COMPARISON_ROWS", LIMITS.default_comparison_rows, "rows of a comparison table per page"),
    Setting("MAX_COMPARISON_ROWS", LIMITS.max_comparison_rows,
            "rows one comparison page, API answer or download may hold"),
    Setting("QUERY_CACHE_MB", LIMITS.query_cache_bytes // MB,
            "memory per worker for what searches keep for the next ones (match sets, scores, counts)"),
    Setting("RATELIMIT_APPLICATION", "120 per minute;2000 per hour",
            "requests one client may make to all pages and API routes together "
            "(flask-limiter syntax)"),
    Setting("RATELIMIT_STORAGE_URI", "memory://",
            "where flask-limiter counts requests: redis://127.0.0.1:6379 shares one count among "
            "all workers; memory:// counts per worker process, so each worker allows "
            "RATELIMIT_APPLICATION divided by WORKERS"),
    Setting("WORKERS", 2, "gunicorn worker processes (web/gunicorn.conf.py reads the same "
                          "REPORTS_WORKERS); divides the in-memory rate limit"),
    Setting("THREADS", 4, "threads per gunicorn worker process (web/gunicorn.conf.py); each "
                          "serves one request at a time, SLOW_SEARCHES of them may run slow searches"),
    Setting("BIND", DEFAULT_BIND, "address:port gunicorn listens on (web/gunicorn.conf.py, scripts/serve)"),
    Setting("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True,
            "count in memory (per worker) while the shared store cannot be reached, "
            "rather than fail the request"),
    Setting("RATELIMIT_ENABLED", True, "turn rate limiting off (tests of other things)"),
    Setting("RATELIMIT_HEADERS_ENABLED", True, "send X-RateLimit-* and Retry-After headers"),
    Setting("SEARCH_CPU_SECONDS", 1.0,
            "CPU seconds one search may spend; then it answers with what it has (marked "
            "partial), or 503 when it has nothing"),
    Setting("SLOW_SEARCH_SECONDS", 0.05,
            "CPU seconds after which a search needs one of the SLOW_SEARCHES slots to go on "
            "(a cheap search takes 5-30 ms; 0.1 let slow ones take twice the CPU before "
            "the gate and doubled a cheap search's p95 under load, RELIABILITY.md)"),
    Setting("SLOW_LANE_WAIT", 0.0,
            "seconds a search past SLOW_SEARCH_SECONDS may wait for a slot before it is shed "
            "(503); waiting holds a thread, so 0 (0.25 tripled a cheap search's p95 under load)"),
    Setting("SLOW_SEARCHES", 1,
            "searches per worker process that may run past SLOW_SEARCH_SECONDS at once; "
            "the others stop there, so slow requests never hold every thread"),
    Setting("BUSY_RETRY_AFTER", 5, "seconds a 503 for a search over its budget asks the client to wait"),
    Setting("PUBLIC_URL", f"http://{DEFAULT_BIND}",
            "the site's public address (scheme, host, port if any): every absolute link (Atom "
            "feed, OpenAPI servers, canonical links) starts with it, never with the request's Host"),
    Setting("TRUSTED_HOSTS", "",
            "host names the site answers to, comma-separated; other Host headers get a 400 "
            "(Flask's TRUSTED_HOSTS). Empty: PUBLIC_URL's host, localhost and 127.0.0.1"),
    Setting("PROXY_COUNT", 0,
            "reverse proxies in front of gunicorn whose X-Forwarded-For to trust (0: none)"),
)


def _parse(raw: str, default: object) -> object:
    """Read an environment value as the type of the setting's default."""
    if isinstance(default, bool):
        if raw.strip().lower() in ("1", "true", "yes", "on"):
            return True
        if raw.strip().lower() in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"not a boolean: {raw!r}")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def search_settings(config) -> Settings:
    """The limits of the table that search/ enforces, as the `Settings` it receives."""
    return Settings(engine=config["ENGINE"], index_path=str(config["INDEX_PATH"]),
                    opensearch_url=config["OPENSEARCH_URL"], opensearch_index=config["OPENSEARCH_INDEX"],
                    opensearch_timeout=float(config["OPENSEARCH_TIMEOUT"]),
                    max_query_chars=config["MAX_QUERY_LENGTH"], max_page=config["MAX_PAGE"],
                    default_page_size=config["PAGE_SIZE"], max_page_size=config["MAX_PAGE_SIZE"],
                    max_filter_values=config["MAX_FILTER_VALUES"],
                    max_figure_filters=config["MAX_FIGURE_FILTERS"],
                    max_value_chars=LIMITS.max_value_chars,
                    max_figure_columns=config["MAX_FIGURE_COLUMNS"],
                    default_comparison_rows=config["COMPARISON_ROWS"],
                    max_comparison_rows=config["MAX_COMPARISON_ROWS"],
                    query_cache_bytes=config["QUERY_CACHE_MB"] * MB)


def env_value(name: str) -> object:
    """One setting's value from its ``REPORTS_<NAME>`` variable or its default (for
    web/gunicorn.conf.py, which reads the table before any app exists)."""
    setting = next(s for s in SETTINGS if s.name == name)
    raw = os.environ.get(ENV_PREFIX + name)
    return setting.default if raw is None else _parse(raw, setting.default)


def public_url(config, path: str) -> str:
    """`path` (starting with /) made absolute with the configured PUBLIC_URL."""
    return str(config["PUBLIC_URL"]).rstrip("/") + path


def trusted_hosts(config) -> list[str]:
    """TRUSTED_HOSTS as the list Flask wants (derived from PUBLIC_URL when empty)."""
    value = config["TRUSTED_HOSTS"]
    hosts = [h.strip() for h in value.split(",")] if isinstance(value, str) else list(value or [])
    hosts = [h for h in hosts if h]
    if not hosts:
        public = urlsplit(str(config["PUBLIC_URL"])).hostname
        hosts = [h for h in (public, "localhost", "127.0.0.1") if h]
    return list(dict.fromkeys(hosts))


def load(app, test_config: dict | None = None) -> None:
    """Fill ``app.config``: defaults, then ``REPORTS_*`` variables, then test_config."""
    for setting in SETTINGS:
        value = setting.default
        raw = os.environ.get(ENV_PREFIX + setting.name)
        if raw is not None:
            try:
                value = _parse(raw, setting.default)
            except ValueError as error:
                raise RuntimeError(f"{ENV_PREFIX}{setting.name}: {error}") from None
        app.config[setting.name] = value
    if test_config:
        app.config.update(test_config)
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
