"""The site's reports on two data nodes on loopback, as an operator deploys them: built
with ``python -m index build --engine opensearch --shards 2 --replicas 1`` (a copy of
every shard on each node, green), read through the engine contract with both nodes'
addresses. When the elected cluster manager among the data nodes is SIGKILLed while a
client searches without pause, searches fail at most within a stated failover window
and every answered search has the totals it had before; a report added with
``python -m index add`` while the node is down is found at once; while the node comes
back on its data, searches go on with the totals of after the add, and then each node
alone holds every report. (The add is not made while the client searches: an in-place
add becomes visible refresh by refresh, so a search during one may count part of it.)"""
from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from config.settings import DEFAULTS
from index.__main__ import main as index_main
from madeup import scale
from search.opensearch.service import OpenSearchService
from search.request import SearchRequest
from search.service import EngineUnavailable
from tests.engines import alias_for, forget_lock
from tests.indexdata import write_report
from tests.opensearch_nodes import client

pytestmark = pytest.mark.opensearch

REPORTS = 60
QUERIES = ("政府信息公开", "行政复议", "申请")
ADDED_AGENCY = "谷雨县补录办公室"
# Generous: the window measured on 2 loaded cores is a few seconds at most (the
# survivor sees the killed node's connections close at once); the figure is printed.
WINDOW_SECONDS = 30.0
AFTER_SECONDS = 3.0         # searching goes on this long after the kill or the rejoin


@pytest.fixture(scope="module")
def built(opensearch_cluster, tmp_path_factory):
    """The bench generator's reports built onto the cluster: (url list, alias, files)."""
    folder = tmp_path_factory.mktemp("cluster-corpus")
    files, _ = scale.write(REPORTS, folder / "corpus", seed=7)
    url = ",".join(opensearch_cluster.urls)
    alias = alias_for(folder)
    assert index_main(["build", "--corpus", str(folder / "corpus"), "--workers", "1", "--shards", "2",
                       "--replicas", "1", *target(url, alias)]) == 0
    opensearch_cluster.wait_for("green")
    yield url, alias, files, folder
    client(opensearch_cluster.urls).indices.delete(index=f"{alias}-*", expand_wildcards="all",
                                                   allow_no_indices=True)
    forget_lock(url, alias)


def target(url: str, alias: str) -> list[str]:
    return ["--engine", "opensearch", "--opensearch-url", url, "--opensearch-index", alias, "--quiet"]


def service(url: str, alias: str) -> OpenSearchService:
    return OpenSearchService(replace(DEFAULTS, engine="opensearch", opensearch_url=url, opensearch_index=alias),
                             recheck_seconds=0)


def totals(reports: OpenSearchService) -> tuple[int, ...]:
    return tuple(reports.search(SearchRequest(query=query)).total for query in QUERIES)


def test_the_reports_index_has_two_primaries_and_a_copy_of_each_on_each_node(opensearch_cluster, built):
    url, alias, files, _ = built
    search = client(opensearch_cluster.urls)
    index = next(iter(search.indices.get_alias(name=alias)))
    health = search.cluster.health(index=index)
    assert (health["status"], health["active_primary_shards"], health["active_shards"]) == ("green", 2, 4)
    per_node: dict[str, set] = {}
    for shard in search.cat.shards(index=index, format="json"):
        per_node.setdefault(shard["node"], set()).add(shard["shard"])
    assert per_node == {"node-0": {"0", "1"}, "node-1": {"0", "1"}}
    assert service(url, alias).health().reports == files


class Searcher(threading.Thread):
    """Searches through the contract one after another (a 20 ms breath between them, the
    machine has 2 cores), recording (started, seconds, totals or the error's name)."""

    def __init__(self, reports: OpenSearchService):
        super().__init__(daemon=True)
        self.reports = reports
        self.log: list[tuple[float, float, object]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            started = time.monotonic()
            try:
                outcome: object = totals(self.reports)
            except EngineUnavailable as error:      # the contract's one error for "try again"
                outcome = type(error).__name__
            self.log.append((started, time.monotonic() - started, outcome))
            self.done.wait(0.02)

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=60)


def added_hits(reports: OpenSearchService) -> int:
    return reports.search(SearchRequest(query=ADDED_AGENCY)).total


def searched_through(reports: OpenSearchService, action) -> tuple[list, float]:
    """Run `action` while a client searches without pause; the searches from the moment
    `action` began (started, seconds, totals or error) and that moment."""
    searcher = Searcher(reports)
    searcher.start()
    time.sleep(1.0)
    began = time.monotonic()
    try:
        action()
        time.sleep(AFTER_SECONDS)
    finally:
        searcher.stop()
    return [entry for entry in searcher.log if entry[0] >= began], began


def failover_window(searches: list, began: float) -> float:
    """Seconds from `began` to the end of the last failed search (0 if none failed)."""
    failed = [entry for entry in searches if not isinstance(entry[2], tuple)]
    return (failed[-1][0] + failed[-1][1] - began) if failed else 0.0


def test_a_killed_data_node_fails_over_and_a_report_added_meanwhile_is_found(opensearch_cluster, built):
    cluster = opensearch_cluster
    url, alias, files, folder = built
    reports = service(url, alias)
    before = totals(reports)
    assert all(before) and added_hits(reports) == 0
    if cluster.cluster_manager() not in ("node-0", "node-1"):
        cluster.move_cluster_manager("tiebreaker")      # the hard case: a data node that manages
    victim = cluster.cluster_manager()
    assert victim in ("node-0", "node-1")
    timings = {}

    def kill() -> None:
        started = time.monotonic()
        cluster.kill(victim)
        health = cluster.wait_for("yellow", nodes=2)
        timings["yellow"] = time.monotonic() - started
        assert health["number_of_data_nodes"] == 1 and cluster.cluster_manager() != victim

    # The kill, while a client searches: every answered search has the totals of before.
    down, killed = searched_through(service(url, alias), kill)
    window = failover_window(down, killed)

    # A report added while the node is down is found at once.
    added = write_report(Path(folder) / "added", "补录.txt", ADDED_AGENCY, 2023)
    assert index_main(["add", str(added), *target(url, alias)]) == 0
    found_while_down = added_hits(reports)
    assert found_while_down > 0
    final = totals(reports)
    assert final != before and reports.health().reports == files + 1

    def restart() -> None:
        started = time.monotonic()
        cluster.restart(victim)
        cluster.wait_for("green")
        timings["green"] = time.monotonic() - started

    # The node back on its data, while a client searches: the totals of after the add.
    back, restarted = searched_through(service(url, alias), restart)
    rejoin_window = failover_window(back, restarted)
    print(f"\nfailover: killed {victim}; {len(down)} searches from the kill, "
          f"{sum(not isinstance(e[2], tuple) for e in down)} failed (window {window:.2f} s), slowest "
          f"{max(e[1] for e in down):.2f} s; yellow after {timings['yellow']:.2f} s; restarted: {len(back)} "
          f"searches, {sum(not isinstance(e[2], tuple) for e in back)} failed (window {rejoin_window:.2f} s), "
          f"green after {timings['green']:.1f} s")
    assert len(down) > 10 and len(back) > 10
    assert window <= WINDOW_SECONDS and rejoin_window <= WINDOW_SECONDS
    assert {outcome for _, _, outcome in down if isinstance(outcome, tuple)} == {before}
    assert {outcome for _, _, outcome in back if isinstance(outcome, tuple)} == {final}
    assert added_hits(reports) == found_while_down
    search = client(url.split(","))
    index = next(iter(search.indices.get_alias(name=alias)))
    for node in cluster.urls:                   # each node alone holds every report
        alone = client(node).search(index=index, body={"query": {"match_all": {}}, "size": 0,
                                                       "track_total_hits": True}, preference="_only_local")
        assert alone["_shards"]["failed"] == 0 and alone["_shards"]["successful"] == 2
        assert alone["hits"]["total"]["value"] == search.count(index=index)["count"]
