"""The scenarios a public site must survive, each bounded, each returning its figures.

Every scenario starts its own gunicorn (`reliability.server.Gunicorn`) on loopback
and stops it before returning, whatever happens. They share one shape: run clients
(`reliability.load.Load`) for a bounded time while something happens, then return a
dict of plain figures (requests, failures, 5xx, latency, worker memory …) for the
tests to assert on and for ``python -m reliability`` to print.

- `steady_load`: concurrent clients on a mixed set of pages and API calls;
- `reindex_under_load`: a full ``python -m index build`` and an ``index add`` while
  clients search; the new reports must turn up in searches, with no restart;
- `kill_worker_under_load`: SIGKILL one worker; gunicorn must replace it;
- `rate_limit`: one address floods, another browses, a third hides behind a forged
  X-Forwarded-For;
- `start_without_index`: a missing or damaged index must stop the start with one
  clear sentence;
- `oversized_requests`: request lines, headers and queries beyond the limits;
- `slow_queries_under_load`: clients looping on the slowest searches known while one
  more measures a cheap search's latency;
- `slow_clients`: connections that never finish their request (`reliability.slowclients`)
  opened two a second while a client measures a cheap search, against bare gunicorn or
  the shipped nginx in front of it (`reliability.nginxserver`);
- `figures_under_load`: clients looping on the figures pages and downloads while one
  more measures a cheap search's latency.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import quote, urlencode

from madeup import layouts
from reliability.load import Load, Sample
from reliability.server import PROJECT_ROOT, Gunicorn, cpu_seconds, rss_mb

# Load tests send every request from 127.0.0.1: lift the per-client limit for them.
NO_LIMIT = {"RATELIMIT_ENABLED": "0"}
BUILD_SECONDS = 900.0
REFRESH_SECONDS = 30.0
SEARCH_WORDS = ("公开", "申请", "依申请", "政务公开", "行政复议", "政府信息公开申请", "古树名木",
                '"依申请公开"', "食品安全 培训", "费", "量子计算", "问题")


# --- what the clients ask ------------------------------------------------------------------

def site_paths(server: Gunicorn, reports: int = 6) -> list[str]:
    """A mix of every kind of page and API call, with ids read from the site itself."""
    status, body = server.get("/api/agencies")
    assert status == 200, status
    agencies = json.loads(body)["agencies"]
    picked = agencies[:: max(1, len(agencies) // 3)][:3]
    report_ids: list[str] = []
    for agency in picked:
        status, body = server.get(agency["api_url"])
        assert status == 200, (status, agency["api_url"])
        report_ids += [ref["id"] for ref in json.loads(body)["agency"]["reports"]]
    paths = ["/"]
    for n, word in enumerate(SEARCH_WORDS):
        paths.append("/search?" + urlencode({"q": word}))
        paths.append("/api/search?" + urlencode({"q": word, "year": 2019 + n % 7}))
    for rid in report_ids[:reports]:
        paths += [f"/reports/{quote(rid, safe='')}", f"/api/reports/{quote(rid, safe='')}"]
    for agency in picked:
        paths += [f"/agencies/{quote(agency['id'], safe='')}", f"/api/agencies/{quote(agency['id'], safe='')}"]
    paths += ["/figures?figure=requests.new.total&sort=requests.new.total&order=desc",
              "/api/figures?figure=requests.granted.total", "/search.atom?q=%E5%85%AC%E5%BC%80",
              "/search?q=%E5%85%AC%E5%BC%80&page=3", "/api/agencies"]
    return paths


def hits(server: Gunicorn, word: str) -> int:
    """How many sections the site finds for `word` (-1 when it does not answer 200)."""
    status, body = server.get("/api/search?" + urlencode({"q": word}))
    return json.loads(body)["total"] if status == 200 else -1


# --- memory --------------------------------------------------------------------------------

class MemoryWatch:
    """Samples the workers' RSS once a second in a thread, until stopped."""

    def __init__(self, server: Gunicorn, every: float = 1.0):
        self.server, self.every = server, every
        self.samples: list[tuple[float, dict[int, float]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.monotonic(), {pid: rss_mb(pid) for pid in self.server.workers()}))
            self._stop.wait(self.every)

    def __enter__(self) -> "MemoryWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.samples.append((time.monotonic(), {pid: rss_mb(pid) for pid in self.server.workers()}))

    def figures(self) -> dict:
        """Per-worker RSS (MB) at the start and the end of the run, for workers alive throughout."""
        first, last = self.samples[0][1], self.samples[-1][1]
        both = sorted(set(first) & set(last))
        thirds = [self.samples[min(len(self.samples) - 1, k * len(self.samples) // 3)][1] for k in (1, 2)]
        return {"rss_start_mb": [round(first[pid], 1) for pid in both],
                "rss_thirds_mb": [[round(sample.get(pid, 0), 1) for pid in both] for sample in thirds],
                "rss_end_mb": [round(last[pid], 1) for pid in both],
                "rss_max_mb": round(max((v for _, s in self.samples for v in s.values()), default=0), 1)}


def warm_up(server: Gunicorn, paths: list[str], clients: int) -> None:
    """Every path a few times from several clients, so caches are full before measuring."""
    Load(server.port, paths, clients=clients, seconds=60, max_requests=3 * len(paths),
         allowed=frozenset({200})).run()


# --- the scenarios -------------------------------------------------------------------------

def steady_load(index_root: Path, workdir: Path, seconds: float = 30, clients: int = 4,
                workers: int = 2) -> dict:
    """Concurrent clients on every kind of page for `seconds`: failures, latency, memory."""
    with Gunicorn(index_root, workdir / "steady.log", workers=workers, **NO_LIMIT) as server:
        server.wait_ready(workers=workers)
        paths = site_paths(server)
        warm_up(server, paths, clients)
        with MemoryWatch(server) as memory:
            result = Load(server.port, paths, clients=clients, seconds=seconds).run()
        return {"paths": len(paths), "clients": clients, "workers": workers,
                **result.figures(), **memory.figures()}


def _run_index(argv: list[str], log: Path) -> tuple[int, float]:
    """``python -m index …`` in a child, bounded; (exit status, seconds)."""
    started = time.monotonic()
    with open(log, "ab") as out:
        done = subprocess.run([sys.executable, "-m", "index", *argv, "--quiet"], cwd=PROJECT_ROOT,
                              stdout=out, stderr=subprocess.STDOUT, timeout=BUILD_SECONDS)
    return done.returncode, time.monotonic() - started


def _wait_visible(server: Gunicorn, word: str, seconds: float = REFRESH_SECONDS) -> float:
    """Seconds until 10 searches in a row (both workers, likely) find `word`; -1 if never."""
    started = time.monotonic()
    streak = 0
    while time.monotonic() - started < seconds:
        streak = streak + 1 if hits(server, word) > 0 else 0
        if streak >= 10:
            return time.monotonic() - started
        time.sleep(0.05)
    return -1.0


def report_with_word(seed: int, word: str) -> str:
    """A made-up report (`madeup.layouts`) whose overview mentions `word`."""
    text = layouts.markdown(layouts.made_up(seed))
    heading = "### 一、总体情况\n"
    assert heading in text
    return text.replace(heading, heading + f"\n本年度新建{word}观测点，相关信息已主动公开。\n", 1)


def reindex_under_load(index_root: Path, corpus: Path, workdir: Path, seconds: float = 30,
                       clients: int = 4, workers: int = 2) -> dict:
    """A full rebuild, then ``index add``, while clients search; then the new words are found.

    Works on copies (`workdir`/reindex-corpus and -index) so the caller's index stays as it was.
    """
    root, words = workdir / "reindex-index", ("琥珀蜻蜓", "翡翠螳螂")
    shutil.copytree(index_root, root, symlinks=True)
    rebuilt_corpus = workdir / "reindex-corpus"
    shutil.copytree(corpus, rebuilt_corpus)
    (rebuilt_corpus / "zz-new-in-rebuild.md").write_text(report_with_word(11, words[0]), encoding="utf-8")
    added = workdir / "added-report.md"
    added.write_text(report_with_word(12, words[1]), encoding="utf-8")
    log = workdir / "reindex-build.log"
    with Gunicorn(root, workdir / "reindex.log", workers=workers, **NO_LIMIT) as server:
        server.wait_ready(workers=workers)
        paths = site_paths(server)
        before = {word: hits(server, word) for word in words}
        master, worker_pids = server.pid, server.workers()
        warm_up(server, paths, clients)
        load = Load(server.port, paths, clients=clients, seconds=seconds + BUILD_SECONDS).start()
        try:
            with MemoryWatch(server) as memory:
                time.sleep(min(5.0, seconds / 6))
                build_status, build_seconds = _run_index(
                    ["build", "--corpus", str(rebuilt_corpus), "--index", str(root)], log)
                rebuilt_visible = _wait_visible(server, words[0])
                add_status, add_seconds = _run_index(["add", str(added), "--index", str(root)], log)
                added_visible = _wait_visible(server, words[1])
                remaining = load.started + seconds - time.monotonic()
                if remaining > 0:
                    time.sleep(remaining)
        finally:
            result = load.stop()
        after = {word: hits(server, word) for word in words}
        return {"clients": clients, "workers": workers, **result.figures(), **memory.figures(),
                "build_status": build_status, "build_s": round(build_seconds, 1),
                "add_status": add_status, "add_s": round(add_seconds, 1),
                "hits_before": before, "hits_after": after,
                "rebuilt_visible_after_s": round(rebuilt_visible, 2),
                "added_visible_after_s": round(added_visible, 2),
                "same_master": server.pid == master and server.process.poll() is None,
                "same_workers": server.workers() == worker_pids}


def kill_worker_under_load(index_root: Path, workdir: Path, seconds: float = 30, clients: int = 4,
                           workers: int = 2) -> dict:
    """SIGKILL one worker a third into the run; gunicorn must start a replacement."""
    with Gunicorn(index_root, workdir / "kill.log", workers=workers, **NO_LIMIT) as server:
        server.wait_ready(workers=workers)
        paths = site_paths(server)
        warm_up(server, paths, clients)
        load = Load(server.port, paths, clients=clients, seconds=seconds).start()
        replaced_after, killed_at = -1.0, time.monotonic()
        try:
            time.sleep(seconds / 3)
            before = server.workers()
            victim = before[0]
            os.kill(victim, signal.SIGKILL)
            killed_at = time.monotonic()
            while time.monotonic() - killed_at < 30:
                now = server.workers()
                if victim not in now and len(now) == len(before):
                    replaced_after = time.monotonic() - killed_at
                    break
                time.sleep(0.05)
            after = server.workers()
            time.sleep(max(0.0, load.started + seconds - time.monotonic()))
        finally:
            result = load.stop()
        around = [s for s in result.samples if abs(s.started - killed_at) < 5]
        return {"clients": clients, "workers": workers, **result.figures(),
                "failure_pct": round(100 * result.failures / max(1, result.requests), 2),
                "failures_within_5s_of_kill": sum(1 for s in around if result.failed(s)),
                "killed": victim, "replaced_after_s": round(replaced_after, 2),
                "workers_before": before, "workers_after": after,
                "answers_after_kill": sum(1 for s in result.samples
                                          if s.started > killed_at + max(replaced_after, 0) and s.status == 200)}


def _burst(port: int, path: str, count: int, source: str, headers: dict | None = None,
           clients: int = 1) -> list[Sample]:
    """`count` requests from address `source` (one keep-alive connection per client)."""
    return Load(port, [path], clients=clients, seconds=60, max_requests=count, allowed=frozenset({200, 429}),
                source=source, headers=headers).run().samples


def rate_limit(index_root: Path, workdir: Path, limit: int = 20) -> dict:
    """One address over the limit gets 429 + Retry-After; another address is unaffected.

    Four servers: one worker (the count is exact); two workers counting in memory
    (each allows `limit` / 2, so a client never gets more than `limit`); two workers
    sharing a Redis store (Debian's redis-server on loopback: exactly `limit`, from a
    third address so the start-up probes do not count); and one worker behind a
    trusted proxy (``PROXY_COUNT=1``: X-Forwarded-For is the client).
    """
    from reliability.redisserver import RedisServer

    path = "/api/agencies"
    figures: dict = {"limit": f"{limit} per minute"}
    with Gunicorn(index_root, workdir / "ratelimit.log", workers=1,
                  RATELIMIT_APPLICATION=f"{limit} per minute") as server:
        server.wait_ready(workers=1)   # one request of the limit
        flood = _burst(server.port, path, 4 * limit, "127.0.0.1")
        figures["flood_statuses"] = _count(flood)
        figures["flood_retry_after"] = sorted({s.retry_after for s in flood if s.status == 429}, key=str)
        forged = _burst(server.port, path, 10, "127.0.0.1",
                        {"X-Forwarded-For": "203.0.113.9", "Connection": "close"})
        figures["forged_forwarded_for_statuses"] = _count(forged)
        figures["other_client_statuses"] = _count(_burst(server.port, path, limit // 2, "127.0.0.2"))
    with Gunicorn(index_root, workdir / "ratelimit-2.log", workers=2,
                  RATELIMIT_APPLICATION=f"{limit} per minute") as server:
        server.wait_ready(workers=2)
        flood = _burst(server.port, path, 8 * limit, "127.0.0.1", {"Connection": "close"}, clients=4)
        figures["two_workers_flood_statuses"] = _count(flood)
        figures["two_workers_other_client_statuses"] = _count(_burst(server.port, path, limit // 2, "127.0.0.2"))
    with RedisServer() as redis, Gunicorn(index_root, workdir / "ratelimit-redis.log", workers=2,
                                          RATELIMIT_APPLICATION=f"{limit} per minute",
                                          RATELIMIT_STORAGE_URI=redis.url) as server:
        server.wait_ready(workers=2)
        flood = _burst(server.port, path, 8 * limit, "127.0.0.3", {"Connection": "close"}, clients=4)
        figures["redis_two_workers_flood_statuses"] = _count(flood)
    with Gunicorn(index_root, workdir / "ratelimit-proxy.log", workers=1,
                  RATELIMIT_APPLICATION=f"{limit} per minute", PROXY_COUNT="1") as server:
        server.wait_ready(workers=1)   # from 127.0.0.1 itself, not counted for the clients below
        behind = _burst(server.port, path, 3 * limit, "127.0.0.1", {"X-Forwarded-For": "198.51.100.7"})
        figures["behind_proxy_flood_statuses"] = _count(behind)
        figures["behind_proxy_other_statuses"] = _count(
            _burst(server.port, path, limit // 2, "127.0.0.1", {"X-Forwarded-For": "198.51.100.8"}))
    return figures


def _count(samples: list[Sample]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for sample in samples:
        counts[sample.status] = counts.get(sample.status, 0) + 1
    return dict(sorted(counts.items()))


def start_without_index(index_root: Path, workdir: Path) -> dict:
    """gunicorn on a missing index and on a damaged one: exit status and what it says."""
    from index import store

    missing = workdir / "missing-index"
    damaged = workdir / "damaged-index"
    shutil.copytree(index_root, damaged, symlinks=True)
    live = damaged / store.GENERATIONS / store.current_generation(damaged) / store.INDEX_DIR
    for toc in live.glob("*.toc"):
        toc.write_bytes(b"\x00garbage" * 10)
    outcome = {}
    for name, root in (("missing", missing), ("damaged", damaged)):
        log = workdir / f"start-{name}.log"
        server = Gunicorn(root, log, workers=1)
        try:
            status = server.process.wait(timeout=60)
        finally:
            server.stop()
        outcome[name] = {"exit_status": status, "output": log.read_text(errors="replace")}
    return outcome


def oversized_requests(index_root: Path, workdir: Path) -> dict:
    """Status of requests beyond the limits: long query, long request line, huge header."""
    import http.client

    sizes = {}
    with Gunicorn(index_root, workdir / "oversized.log", workers=1, **NO_LIMIT) as server:
        server.wait_ready(workers=1)
        sizes["q of 201 chars"] = server.get("/api/search?" + urlencode({"q": "公" * 201}))[0]
        sizes["q of 3000 chars"] = server.get("/search?" + urlencode({"q": "a" * 3000}))[0]
        sizes["request line of 20 KB"] = server.get("/search?q=" + "a" * 20_000)[0]
        sizes["report id of 5000 chars"] = server.get("/api/reports/" + "x" * 5000)[0]
        for name, headers in (("header of 20 KB", {"X-Junk": "a" * 20_000}),
                              ("200 headers", {f"X-Junk-{n}": "a" for n in range(200)})):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            try:
                connection.request("GET", "/api/agencies", headers=headers)
                sizes[name] = connection.getresponse().status
            except (OSError, http.client.HTTPException):
                sizes[name] = 0
            finally:
                connection.close()
        sizes["afterwards, /api/agencies"] = server.get("/api/agencies")[0]
    return sizes


# --- slow requests must not starve cheap ones ------------------------------------------

# Common characters of the reports: each matches most sections, so a search built of
# many of them must look through most of the index.
COMMON = "公开政府信息申请工作情况年度报告依本机关办理行政复议诉讼主动网站平台发布政策解读回应关切"
CHEAP_PATH = "/api/search?" + urlencode({"q": "行政复议", "size": 5})


def slow_paths(count: int, seed: int = 7) -> list[str]:
    """`count` distinct searches of the slowest kinds known, so no cache answers them:
    40 common characters ORed; sixteen excluded characters and a word; and the HTML
    page with 50 years, 50 agencies and 50 regions selected and excluded characters
    (a zero-hit page that once ran one search per filter value)."""
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        excluded = "-" + "".join(rng.choice(COMMON) for _ in range(16))
        if n % 3 == 0:
            paths.append("/api/search?" + urlencode({"q": " OR ".join(rng.sample(COMMON, 40))}))
        elif n % 3 == 1:
            paths.append("/api/search?" + urlencode({"q": f"{excluded} {rng.choice(COMMON)}"}))
        else:
            params = [("q", excluded)] + [("year", str(y)) for y in range(2000, 2050)]
            params += [("agency", f"某{k}局") for k in range(50)] + [("region", f"某{k}市") for k in range(50)]
            paths.append("/search?" + urlencode(params))
    return paths


def slow_queries_under_load(index_root: Path, workdir: Path, seconds: float = 30, slow_clients: int = 8,
                            workers: int = 2) -> dict:
    """`slow_clients` clients loop on distinct slow searches (`slow_paths`) while a ninth
    asks a cheap one; its p95 alone, then under that load. Slow answers may be 200
    (partial or whole) or 503 (shed, with Retry-After); the cheap one must be 200.
    ``worker_cpu_s`` is the CPU time the workers spent meanwhile (on both kinds)."""
    with Gunicorn(index_root, workdir / "slow.log", workers=workers, **NO_LIMIT) as server:
        server.wait_ready(workers=workers)
        warm_up(server, [CHEAP_PATH], 1)
        alone = Load(server.port, [CHEAP_PATH], clients=1, seconds=min(10.0, seconds / 3)).run()
        pids = server.workers()
        cpu_before = {pid: cpu_seconds(pid) for pid in pids}
        slow = Load(server.port, slow_paths(4000), clients=slow_clients, seconds=seconds,
                    allowed=frozenset({200, 503})).start()
        time.sleep(min(3.0, seconds / 10))   # the slow clients hold their threads first
        try:
            cheap = Load(server.port, [CHEAP_PATH], clients=1, seconds=seconds - min(3.0, seconds / 10)).run()
        finally:
            loaded = slow.stop()
        alive = [pid for pid in pids if pid in server.workers()]
        return {"slow_clients": slow_clients, "workers": workers,
                "cheap_alone": alone.figures(), "cheap_under_load": cheap.figures(),
                "slow": loaded.figures(), "workers_alive": len(alive),
                "worker_cpu_s": round(sum(cpu_seconds(pid) - cpu_before[pid] for pid in alive), 2)}


# --- slow clients must not take the threads ---------------------------------------------

def slow_clients(index_root: Path, workdir: Path, seconds: float = 60, rate: float = 2.0, limit: int = 200,
                 proxy: bool = False, workers: int = 2, **settings) -> dict:
    """Slow connections (`reliability.slowclients`: silent, one header line, a line every
    few seconds) opened `rate` a second, at most `limit`, for `seconds`, from 127.0.0.2,
    while a client on 127.0.0.1 asks a cheap search on a new connection each time: its
    latency alone, then under the attack (from the moment about 16 are open). With
    `proxy`, both go through the shipped nginx (deploy/nginx.conf) in front of gunicorn."""
    from reliability.nginxserver import Nginx
    from reliability.slowclients import SlowClients

    behind = {"PROXY_COUNT": "1"} if proxy else {}
    close = {"Connection": "close"}
    with Gunicorn(index_root, workdir / "slowclients.log", workers=workers, **NO_LIMIT, **behind,
                  **settings) as server:
        server.wait_ready(workers=workers)
        with (Nginx(server.port) if proxy else nullcontext()) as front:
            port = front.port if proxy else server.port
            warm_up(server, [CHEAP_PATH], 1)
            alone = Load(port, [CHEAP_PATH], clients=1, seconds=min(10.0, seconds / 6), headers=close).run()
            attack = SlowClients(port, rate=rate, limit=limit, seconds=seconds).start()
            build_up = min(8.0, seconds / 4)     # ~16 connections open before measuring
            time.sleep(build_up)
            try:
                cheap = Load(port, [CHEAP_PATH], clients=1, seconds=seconds - build_up, headers=close).run()
            finally:
                held = attack.stop()
            after = Load(port, [CHEAP_PATH], clients=1, seconds=2, headers=close).run()
        return {"proxy": proxy, "workers": workers, "rate_per_s": rate, "limit": limit, "seconds": seconds,
                "cheap_alone": alone.figures(), "cheap_under_attack": cheap.figures(),
                "cheap_after": after.figures(), "slow_connections": held.as_dict()}


# --- the figures comparison must not starve cheap searches -------------------------------

FIGURES_PATHS = ["/figures", "/figures?sort=requests.new.total&order=desc",
                 "/api/figures?figure=requests.granted.total&sort=requests.granted.total",
                 "/figures?format=csv&size=5000", "/figures?format=json&size=5000", "/api/figures?size=5000"]


def _sized(server: Gunicorn, path: str, times: int = 3) -> dict:
    """One path asked `times` times alone: its status, body size and median seconds."""
    taken, size, status = [], 0, 0
    for _ in range(times):
        started = time.monotonic()
        status, body = server.get(path)
        taken.append(time.monotonic() - started)
        size = len(body)
    return {"status": status, "bytes": size, "median_ms": round(sorted(taken)[len(taken) // 2] * 1000, 1)}


def figures_under_load(index_root: Path, workdir: Path, seconds: float = 30, clients: int = 4,
                       workers: int = 2) -> dict:
    """Each figures page, API answer and download asked alone (size, time), then `clients`
    clients loop on them while one more asks a cheap search: its latency alone and under
    that load. A comparison may answer 200 (whole or partial) or 503 (shed)."""
    with Gunicorn(index_root, workdir / "figures.log", workers=workers, **NO_LIMIT) as server:
        server.wait_ready(workers=workers)
        warm_up(server, [CHEAP_PATH, *FIGURES_PATHS], 1)
        each = {path: _sized(server, path) for path in FIGURES_PATHS}
        alone = Load(server.port, [CHEAP_PATH], clients=1, seconds=min(10.0, seconds / 3)).run()
        load = Load(server.port, FIGURES_PATHS, clients=clients, seconds=seconds,
                    allowed=frozenset({200, 503})).start()
        time.sleep(min(3.0, seconds / 10))
        try:
            cheap = Load(server.port, [CHEAP_PATH], clients=1, seconds=seconds - min(3.0, seconds / 10)).run()
        finally:
            loaded = load.stop()
        return {"clients": clients, "workers": workers, "each": each, "cheap_alone": alone.figures(),
                "cheap_under_load": cheap.figures(), "figures": loaded.figures()}
