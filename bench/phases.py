"""The search phases every engine of the benchmark goes through, and where a run keeps its figures.

`timed_passes` (the fixed mix, warm, in this process), `stage_http_long_tail` (the
long tail over HTTP, one client, on a gunicorn just started) and `stage_http` (the
mix over HTTP, one client then several, with gunicorn's start-up and worker RSS) take
the engine as an argument — an answering function, or the environment variables that
choose gunicorn's engine — so whoosh's stages (bench.run) and OpenSearch's
(bench.opensearch) measure alike. `options` is a `bench.run.Options`.
"""
from __future__ import annotations

import time
from pathlib import Path

from bench import longtail
from bench.measure import Latency
from bench.server import Server, http_clients

STAGES_FILE = "stages.json"   # in the workdir: what the data-making stages measured


def timed_passes(mix, answer, options) -> tuple[Latency, dict]:
    """One warm-up pass, then `repeat` passes over the mix, within the time budget."""
    totals = {}
    first = Latency()                       # the warm-up pass, timed too: caches still empty
    for query in mix:                       # warm-up: caches, lazy loads, first-use costs
        t = time.perf_counter()
        totals[query.label] = answer(query)
        first.samples.append(time.perf_counter() - t)
    latency = Latency()
    per_query: dict[str, list[float]] = {q.label: [] for q in mix}
    started = time.perf_counter()
    for _ in range(options.repeat):
        if time.perf_counter() - started > options.search_seconds:
            break
        for query in mix:
            t = time.perf_counter()
            answer(query)
            elapsed = time.perf_counter() - t
            latency.samples.append(elapsed)
            per_query[query.label].append(elapsed)
    latency.wall = time.perf_counter() - started
    return latency, {"totals": totals, "per_query": per_query, "first": first}


def stage_http_long_tail(options, index_dir: Path, drawn, log: Path, engine=None) -> Latency:
    """The long tail over HTTP: one client, each query once, on a gunicorn just started
    (on the whoosh index, or the engine the `engine` variables choose)."""
    server = Server(index_dir, log, options.workers, engine)
    try:
        server.wait_first_answer(longtail.WARM_UP.url())
        return http_clients(server.port, drawn, 1, 1, max(options.search_seconds, 10 * len(drawn)))
    finally:
        server.stop()


def stage_http(options, index_dir: Path, mix, log: Path, engine=None) -> dict:
    server = Server(index_dir, log, options.workers, engine)
    try:
        first = server.wait_first_answer(mix[0].url())
        # Warm-up: every worker sees every query a couple of times.
        warm = http_clients(server.port, mix, max(2, options.clients), 1, options.search_seconds)
        rss_warm = server.worker_rss_mb()
        serial = http_clients(server.port, mix, 1, options.repeat, options.search_seconds)
        concurrent = http_clients(server.port, mix, options.clients, options.repeat, options.search_seconds)
        rss_after = server.worker_rss_mb()
        return {"first_answer_s": first, "warm_errors": warm.errors, "serial": serial, "concurrent": concurrent,
                "worker_rss_mb": rss_warm, "worker_rss_after_mb": rss_after,
                "master_rss_mb": server.master_rss_mb()}
    finally:
        server.stop()
