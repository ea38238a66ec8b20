"""Run the benchmark: generate, parse, build, search three ways, print one table.

The stages, each timed on this machine in one run, so ratios compare like with like:

1. generate N reports (bench.generate) into a work directory;
2. parse them in this process, one core (`corpus.parse.parse_bytes`): reports/s, MB/s
   of file bytes; the parsed reports go to ``reports.jsonl`` for the baseline;
3. build our index in a child process (``python -m index build``, which parses again
   on all cores), and the baseline in a child process (``python -m bench.baseline``,
   loading ``reports.jsonl``; its time is reported plus the parse time of stage 2).
   Peak memory is the child's ``ru_maxrss`` (os.wait4: the largest single process of
   its tree) and the largest sum of RSS over the child's process tree, sampled;
4. search the fixed query mix (bench.queries), warm: the library in this process
   (`search.engine.search`), the baseline in this process (`bench.baseline`),
   and the ``/search`` page over HTTP through gunicorn (web/gunicorn.conf.py) on
   127.0.0.1, first with one client, then with several concurrent clients;
5. gunicorn's start-up (time to the first answered request) and worker RSS.

Every loop is bounded by a count and by a time budget; gunicorn is stopped in a
``finally``. Nothing listens beyond loopback.
"""
from __future__ import annotations

import http.client
import json
import math
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from bench import generate, queries

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT = 4 * 3600          # seconds; a 100k build is long but not endless
START_TIMEOUT = 120               # seconds for gunicorn to answer its first request
REQUEST_TIMEOUT = 60              # seconds for one HTTP request


@dataclass
class Options:
    reports: int = 300
    seed: int = 1
    workdir: Path | None = None     # kept when given; a temporary directory otherwise
    repeat: int = 5                 # warm passes over the mix, per engine
    search_seconds: float = 60.0    # time budget per engine and per HTTP phase
    clients: int = 4                # concurrent HTTP clients
    workers: int | None = None      # gunicorn workers (web/gunicorn.conf.py default when None)
    build_workers: int | None = None
    results: Path | None = None     # markdown file to append to
    command: str = ""
    reuse: bool = False             # keep the workdir's corpus, index and baseline from an earlier run


@dataclass
class Latency:
    samples: list[float] = field(default_factory=list)   # seconds
    errors: int = 0
    wall: float = 0.0

    def pct(self, p: float) -> float:
        """The p-th percentile in milliseconds (nearest rank), NaN without samples."""
        if not self.samples:
            return float("nan")
        ordered = sorted(self.samples)
        rank = min(len(ordered), max(1, math.ceil(p / 100 * len(ordered))))
        return ordered[rank - 1] * 1000

    @property
    def rate(self) -> float:
        return len(self.samples) / self.wall if self.wall else float("nan")


# ---- processes and memory ------------------------------------------------------------

def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc/<pid>/task/*/children."""
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    found += [int(x) for x in f.read().split()]
            except OSError:
                continue
    except OSError:
        pass
    return found


def _tree(pid: int) -> list[int]:
    pids, frontier = [pid], [pid]
    for _ in range(8):      # bounded depth: python -> pool workers is two levels
        frontier = [c for p in frontier for c in _children(p)]
        if not frontier:
            break
        pids += frontier
    return pids


@dataclass
class ChildRun:
    seconds: float
    maxrss_mb: float        # ru_maxrss of the child (largest single process of its tree)
    peak_tree_mb: float     # largest sampled sum of RSS over the child's tree
    returncode: int
    stdout: str


def run_child(argv: list[str], timeout: float, env=None) -> ChildRun:
    """Run a child to completion, sampling its tree's RSS; bounded by `timeout`."""
    started = time.perf_counter()
    out = tempfile.TemporaryFile()
    process = subprocess.Popen(argv, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.DEVNULL, env=env)
    peak = 0
    status = usage = None
    try:
        while time.perf_counter() - started < timeout:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, sum(_rss_kb(p) for p in _tree(process.pid)))
            time.sleep(0.05)
        else:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            raise RuntimeError(f"{' '.join(argv[:4])} … took longer than {timeout} s")
    finally:
        process.returncode = 0 if status is None else os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    out.seek(0)
    text = out.read().decode(errors="replace")
    out.close()
    maxrss_kb = usage.ru_maxrss
    # A child quicker than the sampling interval is never sampled: its tree peak is
    # at least its own peak.
    return ChildRun(seconds, maxrss_kb / 1024, max(peak, maxrss_kb) / 1024, process.returncode, text)


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file() and not p.is_symlink())


# ---- stages ------------------------------------------------------------------------

def stage_generate(options: Options, corpus_dir: Path) -> dict:
    started = time.perf_counter()
    files, size = generate.write(options.reports, corpus_dir, options.seed)
    return {"files": files, "file_bytes": size, "seconds": time.perf_counter() - started}


def stage_parse(corpus_dir: Path, jsonl: Path) -> dict:
    """Parse every file in this process; write the reports as JSON lines."""
    from corpus.parse import parse_bytes
    from corpus.report import Refusal
    from index.documents import searchable_text

    paths = sorted(corpus_dir.iterdir())
    agencies, regions = Counter(), Counter()
    parsed = refused = file_bytes = text_bytes = 0
    seconds = 0.0
    with jsonl.open("w", encoding="utf-8") as out:
        for path in paths:
            data = path.read_bytes()
            started = time.perf_counter()
            result = parse_bytes(data, path.name, path.suffix)
            seconds += time.perf_counter() - started
            file_bytes += len(data)
            if isinstance(result, Refusal):
                refused += 1
                continue
            parsed += 1
            agencies[result.agency] += 1
            regions[result.region] += 1
            text_bytes += sum(len(searchable_text(s.text, s.tables).encode()) for s in result.sections)
            out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    return {"reports": parsed, "refused": refused, "seconds": seconds, "file_bytes": file_bytes,
            "text_bytes": text_bytes, "top_agency": queries.most_common(agencies),
            "top_region": queries.most_common(regions)}


def stage_build(options: Options, corpus_dir: Path, index_dir: Path) -> dict:
    argv = [sys.executable, "-m", "index", "build", "--corpus", str(corpus_dir), "--index", str(index_dir),
            "--quiet"]
    if options.build_workers:
        argv += ["--workers", str(options.build_workers)]
    run = run_child(argv, BUILD_TIMEOUT)
    if run.returncode != 0:
        raise RuntimeError(f"index build failed ({run.returncode}):\n{run.stdout[-2000:]}")
    current = (index_dir / "current").resolve()
    summary = json.loads((current / "build.json").read_text(encoding="utf-8"))
    return {"seconds": run.seconds, "maxrss_mb": run.maxrss_mb, "peak_tree_mb": run.peak_tree_mb,
            "index_bytes": _dir_bytes(current / "index"), "generation_bytes": _dir_bytes(current),
            "summary": run.stdout.strip().splitlines()[0] if run.stdout.strip() else "",
            # The audit (index.audit) runs inside the build, after parsing, before writing.
            "audit_seconds": summary.get("audit_seconds", 0.0), "findings": summary.get("findings", {})}


def stage_baseline_build(jsonl: Path, db: Path) -> dict:
    run = run_child([sys.executable, "-m", "bench.baseline", "--reports", str(jsonl), "--db", str(db)],
                    BUILD_TIMEOUT)
    if run.returncode != 0:
        raise RuntimeError(f"baseline build failed ({run.returncode}):\n{run.stdout[-2000:]}")
    return {"seconds": run.seconds, "maxrss_mb": run.maxrss_mb, "peak_tree_mb": run.peak_tree_mb,
            "index_bytes": db.stat().st_size}


def _timed_passes(mix, answer, options: Options) -> tuple[Latency, dict]:
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


def stage_library(options: Options, index_dir: Path, mix) -> tuple[Latency, dict]:
    from index.store import IndexHandle
    from search import engine

    handle = IndexHandle(index_dir)
    return _timed_passes(mix, lambda q: engine.search(handle, q.request()).total, options)


def stage_baseline(options: Options, db: Path, mix) -> tuple[Latency, dict]:
    from bench.baseline import Baseline

    baseline = Baseline(db)
    try:
        return _timed_passes(mix, lambda q: baseline.search(q.q, **q.baseline_args()).total, options)
    finally:
        baseline.close()


# ---- gunicorn ------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


class Server:
    """gunicorn serving the site on 127.0.0.1:<free port>; `stop()` always ends it."""

    def __init__(self, index_dir: Path, log: Path, workers: int | None):
        self.port = free_port()
        env = dict(os.environ, REPORTS_BIND=f"127.0.0.1:{self.port}", REPORTS_INDEX_PATH=str(index_dir),
                   REPORTS_SECRET_KEY=secrets.token_hex(32), REPORTS_RATELIMIT_ENABLED="0")
        if workers:
            env["REPORTS_WORKERS"] = str(workers)
        self.log = log.open("wb")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "web/gunicorn.conf.py", "--access-logfile", "/dev/null",
             "web:create_app()"], cwd=PROJECT_ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_first_answer(self, path: str) -> float:
        """Seconds from launch to the first 200 answer to `path`."""
        deadline = self.started + START_TIMEOUT
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log.name}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
                try:
                    if _get(connection, path) == 200:
                        return time.perf_counter() - self.started
                finally:
                    connection.close()
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT} s; see {self.log.name}")

    def worker_rss_mb(self) -> list[float]:
        return [_rss_kb(pid) / 1024 for pid in _children(self.process.pid)]

    def master_rss_mb(self) -> float:
        return _rss_kb(self.process.pid) / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        self.log.close()


def http_clients(port: int, mix, clients: int, passes: int, seconds: float) -> Latency:
    """`clients` threads, each going through the mix `passes` times (from its own
    starting point), on keep-alive connections; all stop when `seconds` run out."""
    latency = Latency()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        mine, errors = [], 0
        try:
            for n in range(passes * len(mix)):
                if time.perf_counter() > deadline:
                    break
                query = mix[(offset + n) % len(mix)]
                t = time.perf_counter()
                try:
                    ok = _get(connection, query.url()) == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                elapsed = time.perf_counter() - t
                if ok:
                    mine.append(elapsed)
                else:
                    errors += 1
        finally:
            connection.close()
        with lock:
            latency.samples.extend(mine)
            latency.errors += errors

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k * 7,), daemon=True) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 2 * REQUEST_TIMEOUT)
    latency.wall = time.perf_counter() - started
    return latency


def stage_http(options: Options, index_dir: Path, mix, log: Path) -> dict:
    server = Server(index_dir, log, options.workers)
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


# ---- the whole run -------------------------------------------------------------------

STAGES_FILE = "stages.json"   # in the workdir: what the data-making stages measured


def _saved_stages(workdir: Path, options: Options) -> dict | None:
    """The generate/parse/build figures of an earlier run on this workdir, if they fit `options`."""
    path = workdir / STAGES_FILE
    if not path.is_file():
        return None
    saved = json.loads(path.read_text(encoding="utf-8"))
    if (saved.get("reports"), saved.get("seed")) != (options.reports, options.seed):
        raise RuntimeError(f"{path} was made with --reports {saved.get('reports')} --seed "
                           f"{saved.get('seed')}, not {options.reports}/{options.seed}")
    return saved["stages"]


def _make_data(options: Options, workdir: Path, say) -> dict:
    """Generate, parse, build the index and the baseline; or, with reuse, read what they measured."""
    corpus_dir, index_dir = workdir / "corpus", workdir / "index"
    jsonl, db = workdir / "reports.jsonl", workdir / "baseline.sqlite"
    if options.reuse:
        saved = _saved_stages(workdir, options)
        if saved is not None:
            say(f"reusing the corpus, index and baseline in {workdir} (figures from {STAGES_FILE})")
            return saved
    (workdir / STAGES_FILE).unlink(missing_ok=True)
    for stale in (corpus_dir, index_dir):
        shutil.rmtree(stale, ignore_errors=True)
    stages = {}
    say(f"generating {options.reports} reports …")
    stages["generate"] = stage_generate(options, corpus_dir)
    say("parsing …")
    stages["parse"] = stage_parse(corpus_dir, jsonl)
    say("building the index …")
    stages["build"] = stage_build(options, corpus_dir, index_dir)
    say("building the baseline …")
    stages["baseline_build"] = stage_baseline_build(jsonl, db)
    stages["commit"] = commit()
    (workdir / STAGES_FILE).write_text(json.dumps(
        {"reports": options.reports, "seed": options.seed, "stages": stages}, ensure_ascii=False),
        encoding="utf-8")
    return stages


def run(options: Options) -> dict:
    if options.reuse and options.workdir is None:
        raise ValueError("reuse needs a workdir")
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="bench-"))
    keep = options.workdir is not None
    workdir.mkdir(parents=True, exist_ok=True)
    index_dir, db = workdir / "index", workdir / "baseline.sqlite"
    results: dict = {"options": {k: str(v) for k, v in asdict(options).items()}}
    try:
        say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
        results.update(_make_data(options, workdir, say))
        parse = results["parse"]
        mix = queries.mix([_Meta(parse["top_agency"], parse["top_region"])])
        say("searching: library …")
        results["library"], results["library_detail"] = stage_library(options, index_dir, mix)
        say("searching: baseline …")
        results["baseline"], results["baseline_detail"] = stage_baseline(options, db, mix)
        say("searching: HTTP through gunicorn …")
        try:
            results["http"] = stage_http(options, index_dir, mix, workdir / "gunicorn.log")
        except RuntimeError as error:   # the rest of the table still stands
            log = (workdir / "gunicorn.log").read_text(errors="replace")[-1500:] if keep else ""
            say(f"HTTP stage failed: {error}\n{log}")
            results["http"] = {"error": str(error)}
        results["mix"] = mix
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


@dataclass
class _Meta:
    """What queries.mix needs of a report (the parse stage keeps no Report objects)."""

    agency: str
    region: str


# ---- the table -----------------------------------------------------------------------

TARGETS = {
    "http_p95_ratio": 1.0,         # search page p95 / baseline p95 at 10k reports
    "http_p95_ms": 300.0,          # at 100k reports
    "build_mb_s": 1.0,
    "worker_rss_mb": 200.0,        # at 10k reports
    "first_answer_s": 2.0,
}


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b and b == b and a == a else "–"


def _ms(latency: Latency) -> tuple[str, str, str]:
    return tuple(f"{latency.pct(p):.1f}" for p in (50, 95, 99))


def table(results: dict) -> str:
    """The results as Markdown tables (they read fine in a terminal too)."""
    gen, parse, build, bbuild = results["generate"], results["parse"], results["build"], results["baseline_build"]
    lib, base, http = results["library"], results["baseline"], results["http"]
    mb = 1e6
    text_mb = parse["text_bytes"] / mb
    baseline_build_s = bbuild["seconds"] + parse["seconds"]
    lines = [
        f"Corpus: {parse['reports']} reports ({parse['refused']} refused), {gen['file_bytes'] / mb:.1f} MB of files, "
        f"{text_mb:.1f} MB of section text; {len(results['mix'])} queries in the mix.",
        "",
        "| measure | ours | FTS5 baseline | ours / baseline | target |",
        "|---|---:|---:|---:|---|",
        f"| parse, reports/s (1 process) | {parse['reports'] / parse['seconds']:.0f} | (same parser) | | |",
        f"| parse, MB/s of files | {parse['file_bytes'] / mb / parse['seconds']:.2f} | | | |",
        f"| build, s (ours: parse on all cores + index; baseline: parse 1 core + load) | {build['seconds']:.1f} | "
        f"{baseline_build_s:.1f} | {_ratio(build['seconds'], baseline_build_s)} | |",
        f"| build: of which the audit (年报体检), s (share of the build) | {build.get('audit_seconds', 0):.1f} "
        f"({100 * build.get('audit_seconds', 0) / build['seconds']:.1f} %) | | | < 100 % (at most doubles it) |",
        f"| build, MB/s of section text | {text_mb / build['seconds']:.2f} | {text_mb / baseline_build_s:.2f} | "
        f"{_ratio(text_mb / build['seconds'], text_mb / baseline_build_s)} | ≥ {TARGETS['build_mb_s']} |",
        f"| index size on disk, MB | {build['index_bytes'] / mb:.1f} | {bbuild['index_bytes'] / mb:.1f} | "
        f"{_ratio(build['index_bytes'], bbuild['index_bytes'])} | |",
        f"| build peak RSS, largest process, MB | {build['maxrss_mb']:.0f} | {bbuild['maxrss_mb']:.0f} | "
        f"{_ratio(build['maxrss_mb'], bbuild['maxrss_mb'])} | |",
        f"| build peak RSS, process tree (sampled), MB | {build['peak_tree_mb']:.0f} | {bbuild['peak_tree_mb']:.0f} | "
        f"{_ratio(build['peak_tree_mb'], bbuild['peak_tree_mb'])} | |",
    ]
    engines = [("library", lib)]
    if "error" not in http:
        engines += [("HTTP /search, 1 client", http["serial"]),
                    (f"HTTP /search, {results['options']['clients']} clients", http["concurrent"])]
    for name, latency in engines:
        ours = _ms(latency)
        theirs = _ms(base)
        for k, p in enumerate(("p50", "p95", "p99")):
            target = ""
            if name.startswith("HTTP") and p == "p95":
                target = f"ratio ≤ {TARGETS['http_p95_ratio']} (10k); ≤ {TARGETS['http_p95_ms']:.0f} ms (100k)"
            lines.append(f"| search {p}, ms — {name} | {ours[k]} | {theirs[k]} | "
                         f"{_ratio(latency.pct(int(p[1:])), base.pct(int(p[1:])))} | {target} |")
        lines.append(f"| search throughput, req/s — {name} ({len(latency.samples)} requests"
                     f"{', %d errors' % latency.errors if latency.errors else ''}) | {latency.rate:.1f} | "
                     f"{base.rate:.1f} | {_ratio(latency.rate, base.rate)} | |")
    # Each query's first answer: nothing of it cached yet (matching sections, scores).
    first, base_first = results["library_detail"]["first"], results["baseline_detail"]["first"]
    for p in ("p50", "p95"):
        k = int(p[1:])
        lines.append(f"| search {p}, ms — library, first pass over the mix (cold per-term caches) | "
                     f"{first.pct(k):.1f} | {base_first.pct(k):.1f} | "
                     f"{_ratio(first.pct(k), base_first.pct(k))} | |")
    rss = http.get("worker_rss_mb", [])
    if "error" in http:
        lines.append(f"| HTTP through gunicorn | failed: {http['error']} | | | |")
    else:
        lines += [
            f"| gunicorn worker RSS after warm-up, MB (max of {len(rss)}) | {max(rss, default=0):.0f} | | | "
            f"≤ {TARGETS['worker_rss_mb']:.0f} (10k) |",
            f"| gunicorn worker RSS after the run, MB (max) | {max(http['worker_rss_after_mb'], default=0):.0f} "
            "| | | |",
            f"| gunicorn start to first answered /search, s | {http['first_answer_s']:.2f} | | | "
            f"≤ {TARGETS['first_answer_s']} |",
        ]
    lines += [
        "",
        "Per query (warm, in-process): matching sections and median latency.",
        "",
        "| query | text | filters | ours: hits | baseline: hits | ours p50 ms | baseline p50 ms | ratio |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    ld, bd = results["library_detail"], results["baseline_detail"]
    for query in results["mix"]:
        filters = "; ".join(f"{k}={','.join(map(str, v))}" for k, v in query.baseline_args().items() if v)
        ours = statistics.median(ld["per_query"][query.label]) * 1000 if ld["per_query"][query.label] else float("nan")
        theirs = statistics.median(bd["per_query"][query.label]) * 1000 if bd["per_query"][query.label] else float("nan")
        lines.append(f"| {query.label} | {query.q} | {filters} | {ld['totals'][query.label]} | "
                     f"{bd['totals'][query.label]} | {ours:.1f} | {theirs:.1f} | {_ratio(ours, theirs)} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal")))
        memory = f"{mem_kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, StopIteration):
        memory = "RAM unknown"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores, {memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}; "
            f"load average before the run {load}")


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def markdown_section(results: dict, options: Options, machine_line: str) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join([
        f"## {options.reports} reports — {when}",
        "",
        f"- machine: {machine_line}",
        f"- commit: {commit()}",
        *([f"- corpus, index and baseline reused from an earlier run at commit {results['commit']} "
           "(its generate, parse and build figures)"] if options.reuse else []),
        f"- command: `{options.command}`",
        "",
        table(results),
        "",
    ])
