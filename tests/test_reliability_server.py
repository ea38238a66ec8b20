"""The site under gunicorn on loopback: load, reindex under load, a killed worker, abuse,
a bad start, an interrupted build.

One bench corpus (bench.generate, seed 1) of `REPORTS` reports is generated and built
once for this module; each scenario (reliability.scenarios) starts its own gunicorn
and stops it before returning. RELIABILITY.md has the same scenarios at 10,000 reports.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index import store
from index.store import IndexHandle
from reliability import scenarios
from reliability.server import PROJECT_ROOT
from config.settings import DEFAULTS

pytestmark = pytest.mark.reliability

REPORTS = int(os.environ.get("RELIABILITY_REPORTS", "300"))
SECONDS = float(os.environ.get("RELIABILITY_SECONDS", "20"))
SEARCH_CPU_SECONDS = DEFAULTS.search_cpu_seconds


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> tuple[Path, Path]:
    """(corpus, index root) of the bench corpus, built with ``python -m index build``."""
    folder = tmp_path_factory.mktemp("reliability")
    corpus, root = folder / "corpus", folder / "index"
    subprocess.run([sys.executable, "-m", "bench.generate", "--reports", str(REPORTS), "--out", str(corpus),
                    "--seed", "1"], cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL, timeout=300)
    subprocess.run([sys.executable, "-m", "index", "build", "--corpus", str(corpus), "--index", str(root),
                    "--quiet"], cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL, timeout=600)
    return corpus, root


def test_steady_load_has_no_failures_and_stable_latency_and_memory(bench, tmp_path):
    figures = scenarios.steady_load(bench[1], tmp_path, seconds=SECONDS)
    print(figures)
    assert figures["failures"] == 0 and figures["5xx"] == 0, figures
    assert figures["requests"] >= 100, figures
    first, _, last = figures["p95_by_thirds_ms"]
    assert last <= 3 * first + 200, figures          # no creeping slowdown
    for start, end in zip(figures["rss_start_mb"], figures["rss_end_mb"]):
        assert end <= start * 1.15 + 20, figures      # no growth over the run, after warm-up
    assert len(figures["rss_start_mb"]) == 2, figures


def test_rebuild_and_add_under_load_lose_nothing_and_need_no_restart(bench, tmp_path):
    corpus, root = bench
    figures = scenarios.reindex_under_load(root, corpus, tmp_path, seconds=SECONDS)
    print(figures)
    assert figures["failures"] == 0 and figures["5xx"] == 0, figures
    assert figures["requests"] >= 100, figures
    assert figures["build_status"] == 0 and figures["add_status"] == 0, figures
    # Each word is in one new report's overview: one section each, then and not before.
    assert figures["hits_before"] == {"琥珀蜻蜓": 0, "翡翠螳螂": 0}, figures
    assert figures["hits_after"] == {"琥珀蜻蜓": 1, "翡翠螳螂": 1}, figures
    # Found while the scenario still waited for them (-1: never), with no restart.
    assert figures["rebuilt_visible_after_s"] != -1 and figures["added_visible_after_s"] != -1, figures
    assert figures["same_master"] and figures["same_workers"], figures


def test_a_killed_worker_is_replaced_and_errors_stay_under_one_percent(bench, tmp_path):
    figures = scenarios.kill_worker_under_load(bench[1], tmp_path, seconds=max(SECONDS, 20))
    print(figures)
    assert figures["replaced_after_s"] != -1, figures     # -1: no replacement while the scenario watched
    assert figures["killed"] not in figures["workers_after"] and len(figures["workers_after"]) == 2, figures
    assert figures["5xx"] == 0, figures
    assert figures["failure_pct"] < 1.0, figures
    assert figures["requests"] >= 300, figures
    assert figures["answers_after_kill"] > 0, figures


def test_a_flooding_client_gets_429_with_retry_after_and_others_do_not(bench, tmp_path):
    limit = 20
    figures = scenarios.rate_limit(bench[1], tmp_path, limit=limit)
    print(figures)
    # One worker: exactly the limit (less the start-up probe), then 429 with Retry-After.
    assert figures["flood_statuses"] == {200: limit - 1, 429: 3 * limit + 1}, figures
    assert len(figures["flood_retry_after"]) >= 1, figures
    assert all(0 < int(value) <= 60 for value in figures["flood_retry_after"]), figures
    # Not trusting any proxy, a forged X-Forwarded-For does not make a new client.
    assert figures["forged_forwarded_for_statuses"] == {429: 10}, figures
    assert figures["other_client_statuses"] == {200: limit // 2}, figures
    # Two workers counting apart in memory: each allows half, so never more than the limit.
    two = figures["two_workers_flood_statuses"]
    assert set(two) == {200, 429} and two[200] <= limit, figures
    # Two workers sharing Redis: exactly the limit.
    assert figures["redis_two_workers_flood_statuses"] == {200: limit, 429: 7 * limit}, figures
    assert figures["two_workers_other_client_statuses"] == {200: limit // 2}, figures
    # Behind one trusted proxy, the forwarded address is the client.
    assert figures["behind_proxy_flood_statuses"] == {200: limit, 429: 2 * limit}, figures
    assert figures["behind_proxy_other_statuses"] == {200: limit // 2}, figures


def test_eight_clients_on_slow_searches_do_not_starve_a_cheap_one(bench, tmp_path):
    figures = scenarios.slow_queries_under_load(bench[1], tmp_path, seconds=SECONDS)
    print(figures)
    cheap, alone, slow = figures["cheap_under_load"], figures["cheap_alone"], figures["slow"]
    assert cheap["failures"] == 0 and cheap["requests"] >= 20, figures
    # Before the budget and the slow lane, the cheap search waited behind them for
    # seconds (~12 s at 10,000 reports); now about as long as a slow one's cheap share.
    assert cheap["p95_ms"] <= max(1000.0, 5 * alone["p95_ms"] + 300), figures
    # Slow searches end in time: 200 (whole or partial) or shed, 503 with Retry-After
    # (Result counts a 503 as a failure; here it is the answer wanted).
    assert set(slow["statuses"]) <= {200, 503} and slow["statuses"].get(200, 0) > 0, figures
    # Slow searches end at their CPU budget: the workers spent at most that per slow
    # answer (cheap searches' time included), however slow the loaded machine made them.
    assert figures["workers_alive"] == figures["workers"], figures
    assert figures["worker_cpu_s"] <= slow["requests"] * SEARCH_CPU_SECONDS, figures


def test_oversized_requests_are_refused_with_4xx(bench, tmp_path):
    statuses = scenarios.oversized_requests(bench[1], tmp_path)
    assert statuses == {"q of 201 chars": 400, "q of 3000 chars": 400, "request line of 20 KB": 414,
                        "report id of 5000 chars": 414, "header of 20 KB": 431, "200 headers": 431,
                        "afterwards, /api/agencies": 200}


def test_a_missing_or_damaged_index_stops_the_start_with_one_sentence(bench, tmp_path):
    outcome = scenarios.start_without_index(bench[1], tmp_path)
    for name, expected in (("missing", "Error: No index under "), ("damaged", "Error: The index at ")):
        assert outcome[name]["exit_status"] == 1, outcome[name]
        output = outcome[name]["output"]
        assert expected in output and "The site was not started." in output, output
        assert "python -m index build" in output and "Traceback" not in output, output


def test_a_build_killed_midway_leaves_the_served_index_untouched(bench, tmp_path):
    import shutil

    corpus, original = bench
    root = tmp_path / "index"
    shutil.copytree(original, root, symlinks=True)
    live = store.current_generation(root)
    handle = IndexHandle(root)
    with handle.searcher() as searcher:
        before = searcher.doc_count()
    build = subprocess.Popen([sys.executable, "-m", "index", "build", "--corpus", str(corpus), "--index", str(root),
                              "--quiet"], cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    try:
        # Kill it once it writes its new generation (parsing is over, whoosh is writing).
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and build.poll() is None:
            if len(list((root / store.GENERATIONS).iterdir())) > 1:
                time.sleep(0.5)
                break
            time.sleep(0.05)
        assert build.poll() is None, "the build finished before it could be interrupted"
        os.killpg(build.pid, signal.SIGKILL)
        build.wait(timeout=30)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait(timeout=30)
    assert store.current_generation(root) == live
    handle.refresh()
    assert handle.generation == live
    with handle.searcher() as searcher:
        assert searcher.doc_count() == before
    assert IndexHandle(root).generation == live


def test_rebuilds_under_a_running_site_leave_no_replaced_generation_held(bench, tmp_path):
    from reliability.releases import old_generations_released

    corpus, root = bench
    figures = old_generations_released(root, corpus, tmp_path, rebuilds=3)
    for row in figures["rebuilds"]:
        print(row)
    assert [row["build_status"] for row in figures["rebuilds"]] == [0, 0, 0], figures
    assert all(row["failures"] == 0 and row["requests"] > 0 for row in figures["rebuilds"]), figures
    # With no request at all, the replaced generation is let go (index.release).
    assert all(row["released_after_s"] >= 0 for row in figures["rebuilds"]), figures
    # Every process lets go of the replaced generations (the workers hold the live one).
    for row in figures["rebuilds"]:
        assert row["master"] == {"live": 0, "old": 0, "deleted": 0, "generations": 0}, figures
        assert all(worker["old"] == 0 for worker in row["workers"]), figures
    assert any(worker["live"] > 0 for worker in figures["rebuilds"][-1]["workers"]), figures   # it sees them
