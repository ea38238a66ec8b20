"""The OpenSearch engine in the benchmark: a node, its build, the same searches as whoosh's.

``python -m bench --engine opensearch`` runs this stage after every whoosh and FTS5
stage (so the JVM takes nothing from their figures), on the same corpus and queries:

1. a node: the cluster at ``--opensearch-url``, or one started here with the
   project's cluster package (cluster.Cluster, one node, ``--opensearch-heap``) in
   ``WORKDIR/opensearch`` and stopped in a ``finally`` (its data stays there: a later
   ``python -m bench.parity --workdir`` starts it again); the seconds from its launch
   to green;
2. the build: the real ``python -m index build --engine opensearch`` in a child
   process (all cores, as whoosh's), timed and its tree's RSS sampled as whoosh's
   is, the JVM's RSS sampled beside it; the index's size is its store size
   (``_cat/indices``, primaries), the whoosh index's the files of its generation;
3. the long tail, each query once through the contract (`search.engines.open_service`:
   ``OpenSearchService.search`` in this process), then over HTTP through gunicorn with
   ``REPORTS_ENGINE=opensearch`` — the node's query and request caches cleared before
   each, as whoosh's are empty on a freshly opened index;
4. the fixed mix, warm, through the contract and over HTTP (1 and N clients), with
   gunicorn's start-up (first answered ``/search``) and worker RSS, as whoosh's;
5. the JVM's heap (used, max: ``_nodes/stats``) and RSS (``/proc`` of the pid the node
   reports: the node must be on this machine) after the build, the long tail and the mix.

With ``--reuse`` an index an earlier run built behind the alias is searched again
(its build figures from ``stages.json``) when the node still holds it.

API: `stage(options, workdir, drawn, mix, say) -> dict`, `jvm(client) -> dict`,
`service(url, alias)`, `started_node(folder, heap)`.
"""
from __future__ import annotations

import json
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from bench import longtail
from bench.measure import Latency, dir_bytes, rss_kb, run_child
from bench.phases import STAGES_FILE, stage_http, stage_http_long_tail, timed_passes

BUILD_TIMEOUT = 4 * 3600
NODE_DIR = "opensearch"         # in the workdir
DEFAULT_ALIAS = "bench"
LIBRARY_TIMEOUT = 120.0         # seconds one library call may take (the site's is REPORTS_OPENSEARCH_TIMEOUT)
MB = 1e6


# ---- the node ----------------------------------------------------------------------

@contextmanager
def started_node(folder: Path, heap: str):
    """A one-node cluster in `folder` (started again on its data if one is there),
    green; yields (url, seconds from launch to green); always stopped on the way out."""
    from cluster import Cluster

    cluster = Cluster.load(folder)
    if cluster is None:
        cluster = Cluster.plan(folder, 1, heap=heap)
    started = time.perf_counter()
    try:
        cluster.start(die_with_parent=True)
        yield cluster.url, time.perf_counter() - started
    finally:
        cluster.stop()


def client(url: str):
    from index.opensearch.client import connect

    return connect(url, timeout=LIBRARY_TIMEOUT)


def jvm(os_client) -> dict:
    """Every node's heap (used, committed, max) and its JVM's RSS, summed over the nodes
    (MB); RSS is NaN when a node's pid is not on this machine."""
    stats = os_client.nodes.stats(metric="jvm")["nodes"]
    pids = {node_id: info.get("process", {}).get("id")
            for node_id, info in os_client.nodes.info(metric="process")["nodes"].items()}
    heap = {"used": 0.0, "committed": 0.0, "max": 0.0}
    rss = 0.0
    for node_id, node in stats.items():
        mem = node["jvm"]["mem"]
        heap["used"] += mem["heap_used_in_bytes"] / MB
        heap["committed"] += mem["heap_committed_in_bytes"] / MB
        heap["max"] += mem["heap_max_in_bytes"] / MB
        kb = rss_kb(pids.get(node_id) or 0)
        rss += kb * 1024 / MB if kb else float("nan")
    return {"nodes": len(stats), "heap_used_mb": heap["used"], "heap_committed_mb": heap["committed"],
            "heap_max_mb": heap["max"], "rss_mb": rss, "pids": [p for p in pids.values() if p]}


class RssSampler:
    """The largest RSS of some pids (the JVMs), sampled in a thread while a build runs."""

    def __init__(self, pids: list[int], every: float = 0.25):
        self.pids, self.every, self.peak_mb = pids, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, sum(rss_kb(p) for p in self.pids) * 1024 / MB)
            self._stop.wait(self.every)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


# ---- the build ---------------------------------------------------------------------

def store_bytes(os_client, alias: str) -> dict:
    """The index behind `alias`: its name, documents, and store size (all copies, primaries)."""
    rows = os_client.cat.indices(index=alias, format="json", bytes="b")
    row = rows[0]
    return {"index": row["index"], "docs": int(row["docs.count"]), "store_bytes": int(row["store.size"]),
            "primary_bytes": int(row["pri.store.size"])}


def build(options, corpus_dir: Path, index_dir: Path, url: str, alias: str, os_client) -> dict:
    """``python -m index build --engine opensearch`` as a child process; its figures."""
    import os

    argv = [sys.executable, "-m", "index", "build", "--engine", "opensearch", "--opensearch-url", url,
            "--opensearch-index", alias, "--corpus", str(corpus_dir), "--quiet",
            "--shards", str(options.opensearch_shards)]
    if options.opensearch_replicas is not None:
        argv += ["--replicas", str(options.opensearch_replicas)]
    if options.build_workers:
        argv += ["--workers", str(options.build_workers)]
    # Any OCR cache beside the bench's whoosh index, never the project's instance/.
    env = dict(os.environ, REPORTS_INDEX_PATH=str(index_dir))
    with RssSampler(jvm(os_client)["pids"]) as sampler:
        run = run_child(argv, BUILD_TIMEOUT, env=env)
    if run.returncode != 0:
        raise RuntimeError(f"OpenSearch build failed ({run.returncode}):\n{run.stdout[-2000:]}")
    return {"seconds": run.seconds, "maxrss_mb": run.maxrss_mb, "peak_tree_mb": run.peak_tree_mb,
            "jvm_peak_rss_mb": sampler.peak_mb, "summary": run.stdout.strip().splitlines()[0] if run.stdout else "",
            "command": " ".join(argv[1:]), **store_bytes(os_client, alias)}


# ---- searching ---------------------------------------------------------------------

def service(url: str, alias: str, timeout: float = LIBRARY_TIMEOUT):
    """The contract's OpenSearch engine on `alias`, as the site opens it."""
    from config.settings import DEFAULTS
    from search.engines import open_service

    return open_service(replace(DEFAULTS, engine="opensearch", opensearch_url=url, opensearch_index=alias,
                                opensearch_timeout=timeout))


def _answer(engine):
    """A query's total through `engine`, -1 when it failed (counted as an error)."""
    from search.budget import BudgetSpent
    from search.service import EngineUnavailable

    def answer(query) -> int:
        try:
            return engine.search(query.request()).total
        except (EngineUnavailable, BudgetSpent) as error:
            print(f"  {query.q!r}: {error}", file=sys.stderr)
            return -1
    return answer


def clear_caches(os_client, alias: str) -> None:
    os_client.indices.clear_cache(index=alias, query=True, request=True, fielddata=True)


def long_tail_library(url: str, alias: str, drawn, os_client) -> longtail.LongTail:
    clear_caches(os_client, alias)
    engine = service(url, alias)
    try:
        tail = longtail.ask_each_once(drawn, _answer(engine))
    finally:
        engine.close()
    tail.latency.errors = sum(1 for _, _, total in tail.per_query if total < 0)
    return tail


def engine_env(url: str, alias: str) -> dict[str, str]:
    return {"REPORTS_ENGINE": "opensearch", "REPORTS_OPENSEARCH_URL": url, "REPORTS_OPENSEARCH_INDEX": alias}


def _saved_build(workdir: Path, alias: str, os_client) -> dict | None:
    """The build figures an earlier run saved, if the node still holds that index."""
    path = workdir / STAGES_FILE
    saved = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    figures = saved.get("opensearch_build")
    if not figures or figures.get("alias") != alias:
        return None
    try:
        if store_bytes(os_client, alias)["index"] != figures["index"]:
            return None
    except Exception:  # noqa: BLE001 - no such alias on this node
        return None
    return figures


def _save_build(workdir: Path, figures: dict) -> None:
    path = workdir / STAGES_FILE
    saved = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    saved["opensearch_build"] = figures
    path.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")


def measure(options, workdir: Path, url: str, drawn, mix, say) -> dict:
    """Steps 2–5 of the module docstring against the cluster at `url`."""
    alias = options.opensearch_index
    os_client = client(url)
    found: dict = {"url": url, "alias": alias, "jvm": {}}
    try:
        built = _saved_build(workdir, alias, os_client) if options.reuse else None
        if built is None:
            say(f"building the OpenSearch index ({url}, alias {alias}) …")
            built = build(options, workdir / "corpus", workdir / "index", url, alias, os_client)
            built["alias"] = alias
            _save_build(workdir, built)
        else:
            say(f"reusing the OpenSearch index {built['index']} behind {alias}")
        found["build"] = built
        found["jvm"]["after build"] = jvm(os_client)
        env = engine_env(url, alias)
        if drawn:
            say(f"OpenSearch long tail ({len(drawn)} queries, each once): library …")
            found["long_tail"] = {"library": long_tail_library(url, alias, drawn, os_client)}
            found["jvm"]["after the long tail (library)"] = jvm(os_client)
            say("OpenSearch long tail: HTTP through gunicorn …")
            clear_caches(os_client, alias)
            try:
                found["long_tail"]["http"] = stage_http_long_tail(
                    options, workdir / "index", drawn, workdir / "gunicorn-opensearch-long-tail.log", env)
            except RuntimeError as error:
                say(f"OpenSearch long-tail HTTP stage failed: {error}")
        say("OpenSearch: searching the mix through the contract …")
        engine = service(url, alias)
        try:
            found["library"], found["library_detail"] = timed_passes(mix, _answer(engine), options)
        finally:
            engine.close()
        say("OpenSearch: the mix over HTTP through gunicorn …")
        try:
            found["http"] = stage_http(options, workdir / "index", mix, workdir / "gunicorn-opensearch.log", env)
        except RuntimeError as error:
            say(f"OpenSearch HTTP stage failed: {error}")
            found["http"] = {"error": str(error)}
        found["jvm"]["after the mix"] = jvm(os_client)
    finally:
        os_client.close()
    return found


def whoosh_parts(index_dir: Path) -> dict:
    """The bytes of each part of the served whoosh generation: its index (whoosh's
    segments), the bigram arrays beside them, the originals kept."""
    current = (index_dir / "current").resolve()
    return {part: dir_bytes(current / part) for part in ("index", "bigrams", "originals")}


def stage(options, workdir: Path, drawn, mix, say) -> dict:
    """The whole OpenSearch stage (see the module docstring)."""
    if options.opensearch_url:
        found = measure(options, workdir, options.opensearch_url, drawn, mix, say)
    else:
        folder = workdir / NODE_DIR
        say(f"starting an OpenSearch node in {folder} (heap {options.opensearch_heap}) …")
        with started_node(folder, options.opensearch_heap) as (url, seconds):
            found = measure(options, workdir, url, drawn, mix, say)
            found["node_start_s"] = seconds
    found["whoosh_parts"] = whoosh_parts(workdir / "index")
    return found


def latency_row(latency: Latency | None) -> tuple[float, float, float]:
    """p50, p95 and max (ms) of a phase; NaN when it did not run."""
    if latency is None or not latency.samples:
        return (float("nan"),) * 3
    return latency.pct(50), latency.pct(95), latency.worst
