"""``python -m bench --engine opensearch`` on 40 reports, and the parity of the two engines.

The whole bench runs once (generate, parse, whoosh, FTS5, then the OpenSearch build
as a child process and its searches through the contract and over gunicorn) against
the run's node, behind an alias of its own; its side-by-side table must have every
OpenSearch row with a sane figure, and `bench.parity` must find the long tail's
counts equal on both engines.
"""
from __future__ import annotations

import math
import re

import pytest

from bench import parity, run, tables
from tests.engines import alias_for

pytestmark = [pytest.mark.opensearch, pytest.mark.slow]

REPORTS = 40


@pytest.fixture(scope="module")
def bench_run(opensearch_url, tmp_path_factory):
    from index.opensearch.client import connect

    workdir = tmp_path_factory.mktemp("bench-os")
    alias = alias_for(workdir)
    options = run.Options(reports=REPORTS, seed=2, workdir=workdir, repeat=1, search_seconds=5.0, clients=2,
                          workers=1, build_workers=1, long_tail=60, engine="opensearch",
                          opensearch_url=opensearch_url, opensearch_index=alias)
    try:
        results = run.run(options)
        yield workdir, opensearch_url, alias, results
    finally:
        connect(opensearch_url, timeout=30).indices.delete(index=f"{alias}-*", expand_wildcards="all",
                                                           allow_no_indices=True)


def _rows(text: str) -> dict[str, list[str]]:
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and line.startswith("| "):
            rows[cells[0]] = cells[1:]
    return rows


def _number(cell: str) -> float:
    return float(re.match(r"[0-9.]+", cell).group()) if re.match(r"[0-9.]+", cell) else math.nan


def test_the_table_has_the_opensearch_rows_and_they_are_sane(bench_run):
    _, _, alias, results = bench_run
    text = tables.table(results)
    assert "OpenSearch beside whoosh and the FTS5 baseline" in text and f"`{alias}`" in text
    rows = _rows(text.split("OpenSearch beside whoosh")[1])
    built = results["opensearch"]["build"]
    assert built["docs"] >= 7 * REPORTS                   # a report document and six sections each
    for name in ("build, s", "build, MB/s of section text", "index size, MB", "index with the originals kept",
                 "long tail p50, ms — library", "long tail p95, ms — library", "long tail max, ms — library",
                 "long tail p50, ms — HTTP", "long tail p95, ms — HTTP", "long tail max, ms — HTTP",
                 "gunicorn worker RSS after warm-up", "gunicorn start to first answered"):
        row = next(cells for label, cells in rows.items() if label.startswith(name))
        whoosh, opensearch = _number(row[0]), _number(row[1])
        assert whoosh > 0 and opensearch > 0, (name, row)
    p50, p95, worst = (_number(next(c for n, c in rows.items() if n.startswith(f"long tail {p}, ms — library"))[1])
                       for p in ("p50", "p95", "max"))
    assert p50 <= p95 <= worst < 30_000
    assert 10 < _number(rows["gunicorn worker RSS after warm-up, MB (max)"][1]) < 2000
    assert 0 < _number(rows["gunicorn start to first answered /search, s"][1]) < 120
    equal = next(cells for label, cells in rows.items() if label.startswith("long tail: totals equal"))[1]
    assert equal == "60 of 60"
    for label, cells in rows.items():
        if label.startswith("JVM heap used / max"):
            used, most = (float(x) for x in cells[1].split(" / "))
            assert 0 < used <= most
        if label.startswith("JVM RSS"):
            assert _number(cells[1]) > 100


def test_the_engines_count_the_same_on_the_long_tail(bench_run):
    workdir, url, alias, _ = bench_run
    comparison = parity.compare(workdir, url, alias)
    assert comparison["queries"] == 300
    assert parity.report(comparison)[-1].startswith("300 queries: 0 differences")
    assert comparison["differences"] == []
    assert any(row["whoosh_total"] for row in comparison["per_query"])
