"""The long-tail mix: distinct queries drawn from the corpus itself, each asked once.

The fixed mix (bench.queries) repeats 20 queries, so after its first pass it measures
the per-term caches. Real traffic is mostly queries nobody asked before; this mix
stands for them. With a fixed seed it draws, from the parsed corpus (the bench's
``reports.jsonl``):

- verbatim substrings of 1–8 characters of a section's text (letters, digits and Han
  characters only, so every query is one run of what a reader would type);
- two words (2–4 characters each) from the same section, which must both occur;
- a quarter of all queries with a filter: the year or the agency of the report the
  words came from.

Every query is distinct (text and filters); each engine is asked each query once,
in the same order, after one warm-up query that matches nothing (it loads the
index's per-generation data, not any term's postings).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import Latency
from bench.queries import BenchQuery
from bench.tables import long_tail_table

SIZE = 300
SEED = 7
WARM_UP = BenchQuery("warm-up", "量子计算机")     # in no generated report
_KINDS = ("substring",) * 3 + ("two words",)       # three substrings to one pair


def _word_char(ch: str) -> bool:
    return ch.isalnum()


def _runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each maximal run of word characters of `text`."""
    runs, start = [], None
    for i, ch in enumerate(text):
        if _word_char(ch):
            if start is None:
                start = i
        elif start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(text)))
    return runs


def _substring(rng: random.Random, text: str, shortest: int, longest: int) -> str:
    """A piece of one run of word characters of `text`, `shortest`–`longest` long."""
    runs = [(a, b) for a, b in _runs(text) if b - a >= shortest]
    if not runs:
        return ""
    a, b = rng.choice(runs)
    length = min(rng.randint(shortest, longest), b - a)
    start = rng.randint(a, b - length)
    return text[start:start + length]


def _sample_lines(path: Path, count: int, rng: random.Random) -> list[dict]:
    """`count` reports of the JSON-lines file picked at random (two passes, O(count) memory)."""
    with path.open("rb") as lines:
        total = sum(1 for _ in lines)
    wanted = sorted(rng.sample(range(total), min(count, total)))
    picked, want = [], iter(wanted)
    target = next(want, None)
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number == target:
                picked.append(json.loads(line))
                target = next(want, None)
                if target is None:
                    break
    rng.shuffle(picked)
    return picked


def draw(reports_jsonl: Path, size: int = SIZE, seed: int = SEED) -> list[BenchQuery]:
    """`size` distinct queries drawn from the parsed corpus with a fixed seed."""
    rng = random.Random(seed)
    reports = _sample_lines(Path(reports_jsonl), 4 * size, rng)
    drawn: list[BenchQuery] = []
    seen: set[BenchQuery] = set()
    for attempt in range(20 * size):
        if len(drawn) >= size or not reports:
            break
        report = reports[attempt % len(reports)]
        sections = [s for s in report["sections"] if s.get("text")]
        if not sections:
            continue
        text = rng.choice(sections)["text"]
        kind = rng.choice(_KINDS)
        if kind == "substring":
            q = _substring(rng, text, 1, 8)
            label = f"{len(q)} char" if q else ""
        else:
            first, second = _substring(rng, text, 2, 4), _substring(rng, text, 2, 4)
            q = f"{first} {second}" if first and second and first != second else ""
            label = "two words"
        if not q:
            continue
        query = BenchQuery(label, q, kind=label)
        if rng.random() < 0.25:
            if rng.random() < 0.5:
                query = BenchQuery(f"{label} + year", q, years=(int(report["year"]),), kind=f"{label} + year")
            else:
                query = BenchQuery(f"{label} + agency", q, agencies=(report["agency"],), kind=f"{label} + agency")
        if query not in seen:
            seen.add(query)
            drawn.append(query)
    return drawn


@dataclass
class LongTail:
    """One engine's answers to the long-tail mix: each query's latency and total."""

    latency: Latency = field(default_factory=Latency)
    per_query: list[tuple[BenchQuery, float, int]] = field(default_factory=list)   # (query, seconds, total)

    def slowest(self, n: int = 10) -> list[tuple[BenchQuery, float, int]]:
        return sorted(self.per_query, key=lambda row: -row[1])[:n]

    def by_kind(self) -> dict[str, Latency]:
        kinds: dict[str, Latency] = {}
        for query, seconds, _ in self.per_query:
            kinds.setdefault(query.kind.split(" + ")[0] if "char" in query.kind else query.kind,
                             Latency()).samples.append(seconds)
        return kinds


def ask_each_once(queries: list[BenchQuery], answer) -> LongTail:
    """Warm up with a query that matches nothing, then time `answer(query)` once per query."""
    answer(WARM_UP)
    result = LongTail()
    started = time.perf_counter()
    for query in queries:
        t = time.perf_counter()
        total = answer(query)
        elapsed = time.perf_counter() - t
        result.latency.samples.append(elapsed)
        result.per_query.append((query, elapsed, total))
    result.latency.wall = time.perf_counter() - started
    return result


def library(index_dir: Path, queries: list[BenchQuery]) -> LongTail:
    """The search library in this process, on a handle opened for this run (cold caches)."""
    from index.store import IndexHandle
    from search.whoosh import engine

    handle = IndexHandle(index_dir)
    return ask_each_once(queries, lambda q: engine.search(handle, q.request()).total)


def baseline(db: Path, queries: list[BenchQuery]) -> LongTail:
    """The FTS5 baseline doing a results page's work (total, top 10, snippets, facets)."""
    from bench.baseline import Baseline

    database = Baseline(db)
    try:
        return ask_each_once(queries, lambda q: database.search(q.q, **q.baseline_args()).total)
    finally:
        database.close()


def main(argv=None) -> int:
    """``python -m bench.longtail --workdir DIR``: the long tail alone, on a workdir an
    earlier ``python -m bench --workdir DIR`` left (its reports.jsonl, index, baseline)."""
    parser = argparse.ArgumentParser(prog="python -m bench.longtail", description=main.__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--size", type=int, default=SIZE, help="queries drawn (default %(default)s)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the FTS5 baseline (its figures: NaN)")
    args = parser.parse_args(argv)
    drawn = draw(args.workdir / "reports.jsonl", args.size)
    tail = {"queries": drawn, "library": library(args.workdir / "index", drawn),
            "baseline": LongTail() if args.no_baseline else baseline(args.workdir / "baseline.sqlite", drawn)}
    print("\n".join(long_tail_table(tail)))
    print(f"load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
