"""Asking a node over HTTP whether its cluster is up, with a deadline on every call.

Plain urllib, so starting and watching a node needs no client library (the site's
client, opensearch-py, is for the engine). `cluster_health` is one bounded call of
``GET /_cluster/health``; `wait_for_health` polls it until the cluster has the status
and node count asked for, or the deadline passes — a node still starting refuses
connections, which counts as "not yet", and `still_alive` lets the caller stop waiting
at once when the JVM has exited.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Callable
from urllib.parse import urlencode

from cluster.errors import ClusterError

CALL_SECONDS = 5.0
POLL_SECONDS = 0.25
RANK = {"red": 0, "yellow": 1, "green": 2}


def get_json(url: str, path: str, timeout: float = CALL_SECONDS, method: str = "GET") -> dict:
    """`method` (GET) `path` on a node, no body; the decoded JSON answer, also for
    4xx/5xx answers that have one."""
    request = urllib.request.Request(url.rstrip("/") + path, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return json.loads(body)
        except ValueError:
            raise OSError(f"HTTP {error.code} from {url}{path}") from error


def cluster_health(url: str, status: str = "", nodes: int = 0, timeout: float = CALL_SECONDS) -> dict:
    """One ``_cluster/health`` call; with `status`/`nodes` (exactly that many) the node
    itself waits up to `timeout` for them and answers ``timed_out: true`` if they did not come."""
    query = {"timeout": f"{max(int(timeout) - 1, 1)}s"}
    if status:
        query["wait_for_status"] = status
    if nodes:
        query["wait_for_nodes"] = str(nodes)
    return get_json(url, "/_cluster/health?" + urlencode(query), timeout=timeout)


def wait_for_health(url: str, status: str, nodes: int, timeout: float,
                    still_alive: Callable[[], str] = lambda: "") -> dict:
    """Poll until the cluster behind `url` is at least `status` with exactly `nodes`
    nodes (0: any number; after a node dies, the survivors count it until a manager
    removes it).

    Returns the last health answer. Raises ClusterError when the deadline passes or
    when `still_alive()` returns a reason (a node that exited) — the message names
    the last thing the node said.
    """
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while True:
        gone = still_alive()
        if gone:
            raise ClusterError(gone)
        left = deadline - time.monotonic()
        if left <= 0:
            raise ClusterError(f"{url} did not become {status} with {nodes} node(s) within {timeout:.0f} s "
                               f"(last: {last})")
        try:
            health = cluster_health(url, status, nodes, timeout=min(CALL_SECONDS, max(left, 1.0)))
        except (OSError, ValueError) as exc:
            last = str(getattr(exc, "reason", exc))
            time.sleep(POLL_SECONDS)
            continue
        if health.get("status") not in RANK:          # an error body: {"error": ..., "status": 503}
            last = json.dumps(health)[:300]
            time.sleep(POLL_SECONDS)
            continue
        last = f"{health['status']}, {health.get('number_of_nodes')} node(s)"
        if RANK[health["status"]] >= RANK[status] and (not nodes or health.get("number_of_nodes") == nodes):
            return health
