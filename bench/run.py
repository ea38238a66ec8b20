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
4. the long tail (bench.longtail): distinct queries drawn from the corpus, each asked
   once — the library on a freshly opened index, the baseline, and ``/search`` over
   HTTP with one client on a freshly started gunicorn; nothing of any query cached;
5. search the fixed query mix (bench.queries), warm: the library in this process
   (`search.engine.search`), the baseline in this process (`bench.baseline`),
   and the ``/search`` page over HTTP through gunicorn (web/gunicorn.conf.py) on
   127.0.0.1, first with one client, then with several concurrent clients;
6. gunicorn's start-up (time to the first answered request) and worker RSS;
7. with ``engine="opensearch"``, after all of these: that engine's build, long tail,
   mix, start-up and memory on the same corpus and queries (bench/opensearch.py).

Every loop is bounded by a count and by a time budget; gunicorn is stopped in a
``finally``. Nothing listens beyond loopback.
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import longtail, queries
from bench.measure import Latency, dir_bytes, run_child
from bench.phases import STAGES_FILE, stage_http, stage_http_long_tail, timed_passes
from bench.tables import commit
from madeup import scale

BUILD_TIMEOUT = 4 * 3600          # seconds; a 100k build is long but not endless


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
    long_tail: int = longtail.SIZE  # distinct queries drawn from the corpus, each asked once (0: none)
    engine: str = ""                # "opensearch": the same run measures that engine too (bench.opensearch)
    opensearch_url: str | None = None   # its cluster; None: a node started in the workdir
    opensearch_index: str = "bench"     # the alias the bench builds behind
    opensearch_shards: int = 1
    opensearch_replicas: int | None = None
    opensearch_heap: str = "512m"       # a node started here


# ---- stages ------------------------------------------------------------------------

def stage_generate(options: Options, corpus_dir: Path) -> dict:
    started = time.perf_counter()
    files, size = scale.write(options.reports, corpus_dir, options.seed)
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
            "index_bytes": dir_bytes(current / "index"), "generation_bytes": dir_bytes(current),
            "summary": run.stdout.strip().splitlines()[0] if run.stdout.strip() else "",
            # The audit (index.audit) runs inside the build, after parsing, before writing.
            "audit_seconds": summary.get("audit_seconds", 0.0), "findings": summary.get("findings", {}),
            # Each report against its predecessor (index.changes), as the audit reads each agency.
            "changes_seconds": summary.get("changes_seconds", 0.0)}


def stage_baseline_build(jsonl: Path, db: Path) -> dict:
    run = run_child([sys.executable, "-m", "bench.baseline", "--reports", str(jsonl), "--db", str(db)],
                    BUILD_TIMEOUT)
    if run.returncode != 0:
        raise RuntimeError(f"baseline build failed ({run.returncode}):\n{run.stdout[-2000:]}")
    return {"seconds": run.seconds, "maxrss_mb": run.maxrss_mb, "peak_tree_mb": run.peak_tree_mb,
            "index_bytes": db.stat().st_size}


def stage_library(options: Options, index_dir: Path, mix) -> tuple[Latency, dict]:
    from index.store import IndexHandle
    from search.whoosh import engine

    handle = IndexHandle(index_dir)
    return timed_passes(mix, lambda q: engine.search(handle, q.request()).total, options)


def stage_baseline(options: Options, db: Path, mix) -> tuple[Latency, dict]:
    from bench.baseline import Baseline

    baseline = Baseline(db)
    try:
        return timed_passes(mix, lambda q: baseline.search(q.q, **q.baseline_args()).total, options)
    finally:
        baseline.close()


# ---- the whole run -------------------------------------------------------------------

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
    if not keep and options.engine == "opensearch":
        workdir.chmod(0o755)    # a node started in it runs as another user when we are root
    index_dir, db = workdir / "index", workdir / "baseline.sqlite"
    results: dict = {"options": {k: str(v) for k, v in asdict(options).items()}}
    try:
        say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
        results.update(_make_data(options, workdir, say))
        parse = results["parse"]
        mix = queries.mix([_Meta(parse["top_agency"], parse["top_region"])])
        drawn = []
        if options.long_tail:
            drawn = longtail.draw(workdir / "reports.jsonl", options.long_tail)
            results["long_tail"] = {"queries": drawn}
            say(f"long tail ({len(drawn)} queries, each once): library …")
            results["long_tail"]["library"] = longtail.library(index_dir, drawn)
            say("long tail: baseline …")
            results["long_tail"]["baseline"] = longtail.baseline(db, drawn)
            say("long tail: HTTP through gunicorn …")
            try:
                results["long_tail"]["http"] = stage_http_long_tail(options, index_dir, drawn,
                                                                    workdir / "gunicorn-long-tail.log")
            except RuntimeError as error:
                say(f"long-tail HTTP stage failed: {error}")
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
        if options.engine == "opensearch":     # after every whoosh stage: the JVM takes nothing from them
            from bench import opensearch
            results["opensearch"] = opensearch.stage(options, workdir, drawn, mix, say)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


@dataclass
class _Meta:
    """What queries.mix needs of a report (the parse stage keeps no Report objects)."""

    agency: str
    region: str


