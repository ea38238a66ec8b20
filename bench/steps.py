"""``python -m bench.steps --workdir DIR``: where the long tail's CPU time goes, step by step.

Runs the long-tail queries (bench.longtail) once each through the library on a freshly
opened index, with a CPU timer (``time.process_time``) around each step of
`search.engine.search` — the verbatim lookups that make the match set, the BM25F
scoring of the hits, filters and facet counts, the page (stored fields, verbatim
check, snippets), compiling the query — and prints the seconds each took in all.
The timers wrap the functions the engine calls, for this process only; a profile of
the same run without the profiler's own overhead.
"""
from __future__ import annotations

import argparse
import importlib
import time
from collections import Counter
from pathlib import Path

from bench import longtail

# (module, function the engine calls, the step it is)
STEPS = (("search.context", "verbatim_docs", "the match set: verbatim lookups"),
         ("search.context", "score_hits", "scoring the hits (BM25F)"),
         ("search.engine", "filter_and_count", "filters and facet counts"),
         ("search.engine", "_page", "the page: stored fields, checks, snippets"),
         ("search.engine", "compile_query", "compiling the query"))


def _timed(spent: Counter, step: str, function):
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[step] += time.process_time() - started
    return wrapper


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.steps", description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--size", type=int, default=longtail.SIZE)
    args = parser.parse_args(argv)
    spent: Counter = Counter()
    for module_name, name, step in STEPS:
        module = importlib.import_module(module_name)
        setattr(module, name, _timed(spent, step, getattr(module, name)))
    drawn = longtail.draw(args.workdir / "reports.jsonl", args.size)
    started = time.process_time()
    longtail.library(args.workdir / "index", drawn)
    total = time.process_time() - started
    print(f"{len(drawn)} long-tail queries, CPU seconds: total {total:.2f} (with opening the index)")
    for _, _, step in STEPS:
        print(f"  {step}: {spent[step]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
