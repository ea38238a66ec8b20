"""Every setting of the project in one table: its name, default, and what it bounds.

`Settings` is that table: one frozen dataclass whose every field carries its help
text. Each field can be overridden by an environment variable ``REPORTS_<NAME>``
(``REPORTS_MAX_PAGE=50``, ``REPORTS_ENGINE=opensearch``), read as the type of its
default. Every layer reads its limits from here and nowhere else:

- corpus/ (reading files) and index/ (writing the index): `current()` — the
  environment's settings when a file is read or the index written, so
  ``REPORTS_PARSE_SECONDS=120 python -m index build`` gives every parse two minutes,
  in the parsing processes too (they inherit the environment);
- search/ (the engines): the `Settings` it is given (the site's, the command line's
  `current()`, or a test's own);
- web/ (the site): ``app.config``, filled from the table (`web.config.load`) under the
  same names in upper case (``MAX_PAGE``), so Flask's own settings (``SECRET_KEY``,
  ``RATELIMIT_*``) live in the same table.

API: `Settings`, `DEFAULTS`, `current(environ=None)`, `from_environment(environ,
**overrides)`, `help_of(name)`, `ENV_PREFIX`, `MB`.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

ENV_PREFIX = "REPORTS_"
MB = 1024 * 1024
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BIND = "127.0.0.1:8000"    # loopback only: a reverse proxy publishes the site
# The placeholder secret: fine for debug and tests, refused anywhere else (web/security.py).
DEFAULT_SECRET = "dev-secret-change-me"


def _setting(default, help: str):
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """The project's settings (each field's help says what it is and bounds)."""

    # --- which engine, where its index is ---------------------------------------------
    engine: str = _setting("whoosh", "the search engine the site asks: whoosh (an index on this machine, "
                                     "INDEX_PATH) or opensearch (a cluster, OPENSEARCH_URL)")
    index_path: str = _setting(str(PROJECT_ROOT / "instance" / "index"),
                               "the whoosh index's root directory, written by `python -m index build`")
    opensearch_url: str = _setting("http://127.0.0.1:9200",
                                   "the OpenSearch cluster (one node's address, or a balancer's in front of several)")
    opensearch_index: str = _setting("reports", "the alias the site reads in OpenSearch; each build writes a "
                                                "new index behind it and flips it")
    opensearch_timeout: float = _setting(10.0, "seconds one call to the cluster may take")

    # --- writing the index (index/) -----------------------------------------------------
    lock_wait_seconds: float = _setting(3600.0, "seconds a build, add, remove or activate waits for another one "
                                                "writing the same index (a whoosh index root, or an OpenSearch "
                                                "alias written from this machine) before it gives up (exit "
                                                "status 1, nothing changed); a full build of 10,000 reports "
                                                "takes ~20 min on 2 cores")
    generation_grace_seconds: float = _setting(600.0, "seconds a replaced index generation stays on disk at "
                                                       "least, for searches that began before the swap (beyond "
                                                       "KEEP_GENERATIONS it is deleted after that)")
    keep_generations: int = _setting(2, "index generations kept on disk besides the live one, for `python -m "
                                        "index activate` to roll back to (each full build's is a whole copy "
                                        "of the index; an add's or remove's shares most files with the one "
                                        "before)")

    # --- reading files (corpus/) --------------------------------------------------------
    max_file_mb: int = _setting(50, "largest report file read or downloaded, in MB (larger ones are refused)")
    parse_seconds: float = _setting(60.0, "wall time one file's parse may take before it is refused")
    parse_memory_mb: int = _setting(1536, "memory one file's parse may add, in MB, before it is refused "
                                          "(a 45 MB hostile page took 2 GB)")
    convert_seconds: float = _setting(45.0, "seconds LibreOffice may take to convert a .doc/.wps file "
                                            "(below PARSE_SECONDS, so the refusal names the converter)")
    ocr_max_pages: int = _setting(60, "pictures OCR reads in one file (a scan of more pages is refused), "
                                      "and pictures the crawler saves from one page")
    ocr_seconds: float = _setting(300.0, "wall time OCR may take on one file (on top of PARSE_SECONDS); past "
                                         "it the file is refused")
    ocr_memory_mb: int = _setting(2560, "memory OCR may add to a parse's, in MB (two pages read at once took "
                                        "1.5-2.2 GB)")

    # --- one search (search/) -----------------------------------------------------------
    max_query_length: int = _setting(200, "longest query, in characters; the site answers a longer one with 400")
    max_terms: int = _setting(16, "query terms a search uses (words, quoted phrases, exclusions); later ones "
                                  "are ignored")
    max_page: int = _setting(1000, "highest page number a client may ask for (deep pages cost more than "
                                   "anyone reads)")
    page_size: int = _setting(10, "hits per search page when the URL does not say")
    max_page_size: int = _setting(50, "largest page size a client may ask for (larger asks are capped)")
    max_filter_values: int = _setting(50, "values one multi-select filter may list")
    max_figure_filters: int = _setting(10, "figure conditions (fig=) one search or comparison may have")
    max_value_chars: int = _setting(200, "longest filter value (an agency or region name), in characters")
    max_figure_columns: int = _setting(8, "figures a comparison table may show at once")
    comparison_rows: int = _setting(100, "rows of a comparison table per page when the URL does not say")
    max_comparison_rows: int = _setting(5000, "rows one comparison page, API answer or download may hold")
    change_rows: int = _setting(20, "agencies in each of the largest rises and the largest falls on /changes "
                                    "when the URL does not say")
    max_change_rows: int = _setting(5000, "agencies one /changes answer may list: in each of the rises and the "
                                          "falls, and in a CSV or JSON download of every agency compared")
    query_cache_mb: int = _setting(64, "memory per worker for what searches keep for the next ones (match "
                                       "sets, scores, counts)")

    # --- the site (web/) -------------------------------------------------------------
    secret_key: str = _setting(DEFAULT_SECRET, "Flask secret; must be changed outside debug and testing")
    feed_size: int = _setting(20, "entries in an Atom feed")
    feed_max_age: int = _setting(300, "seconds a feed reader or a cache may keep a feed before asking again "
                                      "(Cache-Control); asking with its ETag it gets 304 while nothing changed")
    ratelimit_application: str = _setting("120 per minute;2000 per hour",
                                          "requests one client may make to all pages and API routes together "
                                          "(flask-limiter syntax)")
    ratelimit_storage_uri: str = _setting("memory://",
                                          "where flask-limiter counts requests: redis://127.0.0.1:6379 shares one "
                                          "count among all workers; memory:// counts per worker process, so each "
                                          "worker allows RATELIMIT_APPLICATION divided by WORKERS")
    ratelimit_in_memory_fallback_enabled: bool = _setting(True, "count in memory (per worker) while the shared "
                                                                "store cannot be reached, rather than fail the request")
    ratelimit_enabled: bool = _setting(True, "turn rate limiting off (tests of other things)")
    ratelimit_headers_enabled: bool = _setting(True, "send X-RateLimit-* and Retry-After headers")
    workers: int = _setting(2, "gunicorn worker processes (web/gunicorn.conf.py); divides the in-memory rate limit")
    threads: int = _setting(4, "threads per gunicorn worker process; each serves one request at a time, "
                               "SLOW_SEARCHES of them may run slow searches")
    bind: str = _setting(DEFAULT_BIND, "address:port gunicorn listens on (web/gunicorn.conf.py, scripts/serve)")
    request_head_seconds: float = _setting(10.0, "seconds a client has to send gunicorn a whole request head "
                                                 "(request line and headers), read without a thread "
                                                 "(web/worker.py); then the connection is closed")
    response_write_seconds: float = _setting(30.0, "seconds a client has to take an answer from gunicorn; then "
                                                   "the connection is closed (0: no limit)")
    proxy_bind: str = _setting("127.0.0.1:8080", "address:port nginx listens on when `scripts/serve --proxy` "
                                                 "publishes the site (deploy/nginx.conf); gunicorn stays on BIND")
    search_cpu_seconds: float = _setting(1.0, "CPU seconds one search may spend; then it answers with what it "
                                              "has (marked partial), or 503 when it has nothing")
    slow_search_seconds: float = _setting(0.05, "CPU seconds after which a search needs one of the SLOW_SEARCHES "
                                                "slots to go on (a cheap search takes 5-30 ms; 0.1 let slow ones "
                                                "take twice the CPU before the gate and doubled a cheap search's "
                                                "p95 under load, RELIABILITY.md)")
    slow_lane_wait: float = _setting(0.0, "seconds a search past SLOW_SEARCH_SECONDS may wait for a slot before "
                                          "it is shed (503); waiting holds a thread, so 0 (0.25 tripled a cheap "
                                          "search's p95 under load)")
    slow_searches: int = _setting(1, "searches per worker process that may run past SLOW_SEARCH_SECONDS at "
                                     "once; the others stop there, so slow requests never hold every thread")
    busy_retry_after: int = _setting(5, "seconds a 503 (a search over its budget, no index yet, an unreachable "
                                        "cluster) asks the client to wait")
    public_url: str = _setting("", "the site's public address (scheme, host, port if any): every absolute link "
                                   "(Atom feed, OpenAPI servers, canonical links) starts with it, never with the "
                                   "request's Host. Empty: each request's own scheme and host, which TRUSTED_HOSTS "
                                   "has checked first (set it on a public server: feed ids then never change)")
    trusted_hosts: str = _setting("", "host names the site answers to, comma-separated; other Host headers get "
                                      "a 400 (Flask's TRUSTED_HOSTS). Empty: PUBLIC_URL's host (or, without one, "
                                      "BIND's), localhost and 127.0.0.1")
    proxy_count: int = _setting(0, "reverse proxies in front of gunicorn whose X-Forwarded-For to trust (0: none)")

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * MB

    @property
    def query_cache_bytes(self) -> int:
        return self.query_cache_mb * MB


DEFAULTS = Settings()
NAMES = tuple(item.name for item in dataclasses.fields(Settings))


def help_of(name: str) -> str:
    """A setting's help text (by its field name)."""
    return next(item.metadata["help"] for item in dataclasses.fields(Settings) if item.name == name)


def parse_value(raw: str, default: object) -> object:
    """An environment value read as the type of the setting's default.
    :raise ValueError: when it is not one."""
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


def from_environment(environ=None, **overrides) -> Settings:
    """The defaults, then every ``REPORTS_<NAME>`` of `environ` (default: the process's),
    then `overrides`. :raise ValueError: naming the variable whose value is not of its type."""
    environ = os.environ if environ is None else environ
    values = {}
    for name in NAMES:
        raw = environ.get(ENV_PREFIX + name.upper())
        if raw is None:
            continue
        try:
            values[name] = parse_value(raw, getattr(DEFAULTS, name))
        except ValueError as error:
            raise ValueError(f"{ENV_PREFIX}{name.upper()}: {error}") from None
    values.update(overrides)
    return dataclasses.replace(DEFAULTS, **values)


def current(environ=None) -> Settings:
    """The settings in force now: the defaults with the environment's overrides."""
    return from_environment(environ)
