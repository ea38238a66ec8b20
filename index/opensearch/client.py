"""An opensearch-py client configured as the build and the site need it.

A URL may list several nodes (``http://a:9200,http://b:9200``): the client spreads
calls over them and tries another after a connection error. Sniffing is off — behind
a load balancer, or on loopback, the given addresses are the ones to use, and a
sniffed node list would bypass the balancer. Every call has a time limit
(``timeout``, seconds) and is retried at most ``retries`` times, on a connection
error or a 502/503/504 only (never on a timeout: a slow cluster is not made slower).

API: `connect(url, timeout, retries=1) -> OpenSearch`, `hosts(url) -> list[str]`.
"""
from __future__ import annotations

from opensearchpy import OpenSearch

BUILD_TIMEOUT = 300.0     # a bulk request of a few MB, a refresh, a force merge on a busy node


def hosts(url: str) -> list[str]:
    """The node URLs of a comma-separated list, each without a trailing slash."""
    found = [part.strip().rstrip("/") for part in str(url).split(",") if part.strip()]
    if not found:
        raise ValueError("no OpenSearch URL given")
    return found


def connect(url: str, timeout: float = BUILD_TIMEOUT, retries: int = 1, pool: int = 16) -> OpenSearch:
    """A client of the cluster at `url` (see the module docstring)."""
    return OpenSearch(hosts(url), timeout=timeout, max_retries=retries, retry_on_timeout=False,
                      sniff_on_start=False, sniff_on_connection_fail=False, sniffer_timeout=None,
                      pool_maxsize=pool)
