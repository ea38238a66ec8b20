"""``python -m reliability --reports N``: every server scenario on an N-report bench corpus.

    python -m reliability --reports 10000 --seconds 60 [--workdir DIR] [--index DIR] [--build-seconds S]

Generates the corpus (bench.generate, seed 1), builds its index (``python -m index
build``; ``--index`` reuses one built from ``DIR/corpus``), runs each scenario of
`reliability.scenarios` and prints its figures as JSON lines, then a Markdown table.
Everything runs on 127.0.0.1 and every server is stopped before the next starts.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reliability import releases, scenarios, writes
from reliability.server import PROJECT_ROOT


def prepare(reports: int, workdir: Path, index: Path | None) -> tuple[Path, Path, float]:
    """The corpus and its index under `workdir` (index reused when given): paths, build seconds."""
    corpus = workdir / "corpus"
    if not corpus.is_dir():
        subprocess.run([sys.executable, "-m", "bench.generate", "--reports", str(reports),
                        "--out", str(corpus), "--seed", "1"], cwd=PROJECT_ROOT, check=True,
                       stdout=subprocess.DEVNULL, timeout=3600)
    if index is not None:
        return corpus, index, 0.0
    root = workdir / "index"
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "index", "build", "--corpus", str(corpus), "--index", str(root),
                    "--quiet"], cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL, timeout=4 * 3600)
    return corpus, root, time.monotonic() - started


def row(name: str, figures: dict) -> str:
    rss = f"{figures.get('rss_start_mb', '')} → {figures.get('rss_end_mb', '')}" if "rss_start_mb" in figures else ""
    return (f"| {name} | {figures.get('requests', '')} | {figures.get('failures', '')} | "
            f"{figures.get('5xx', '')} | {figures.get('p95_ms', '')} | {rss} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=30.0, help="load duration per scenario")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workdir", type=Path, default=None, help="kept when given")
    parser.add_argument("--index", type=Path, default=None, help="an index already built from the corpus")
    parser.add_argument("--build-seconds", type=float, default=scenarios.BUILD_SECONDS,
                        help="longest a rebuild under load may take (default: %(default)s)")
    parser.add_argument("--only", action="append", default=None, metavar="SCENARIO",
                        help="run only this scenario (repeatable), e.g. 'slow queries under load'")
    args = parser.parse_args(argv)
    scenarios.BUILD_SECONDS = args.build_seconds
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="reliability-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        corpus, root, build_seconds = prepare(args.reports, workdir, args.index)
        print(json.dumps({"scenario": "build", "reports": args.reports, "build_s": round(build_seconds, 1)}))
        results = {}
        for name, run in (
            ("steady load", lambda: scenarios.steady_load(root, workdir, args.seconds, args.clients)),
            ("reindex under load", lambda: scenarios.reindex_under_load(root, corpus, workdir, args.seconds,
                                                                        args.clients)),
            ("SIGKILL a worker under load", lambda: scenarios.kill_worker_under_load(root, workdir, args.seconds,
                                                                                    args.clients)),
            ("slow queries under load", lambda: scenarios.slow_queries_under_load(root, workdir, args.seconds)),
            ("rate limit", lambda: scenarios.rate_limit(root, workdir)),
            ("oversized requests", lambda: scenarios.oversized_requests(root, workdir)),
            ("slow clients", lambda: scenarios.slow_clients(root, workdir, args.seconds)),
            ("slow clients through nginx", lambda: scenarios.slow_clients(root, workdir, args.seconds, proxy=True)),
            ("figures under load", lambda: scenarios.figures_under_load(root, workdir, args.seconds)),
            ("writes during a build", lambda: writes.writes_during_build(root, corpus, workdir / "writes",
                                                                         moments=8)),
            ("rebuilds release old generations", lambda: releases.old_generations_released(
                root, corpus, workdir, rebuilds=4)),
        ):
            if args.only and name not in args.only:
                continue
            results[name] = run()
            print(json.dumps({"scenario": name, **results[name]}, ensure_ascii=False), flush=True)
        print("\n| scenario | requests | failed | 5xx | p95 ms | worker RSS start → end, MB |")
        print("|---|---:|---:|---:|---:|---|")
        for name, figures in results.items():
            if "requests" in figures:
                print(row(name, figures))
            for part in ("cheap_alone", "cheap_under_load", "cheap_under_attack", "slow", "figures"):
                if part in figures:
                    print(row(f"{name}: {part}", figures[part]))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
