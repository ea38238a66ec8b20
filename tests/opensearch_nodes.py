"""Real OpenSearch nodes for the tests: one node for the whole run, a cluster on demand.

``opensearch_url`` (session fixture) is the URL of one node shared by every test that
asks for it. tests/conftest.py launches that node as soon as collection shows a test
needs it, so its JVM boots while earlier tests run; the fixture waits until it is green
(or fails with the node's log). Set ``REPORTS_TEST_OPENSEARCH_URL`` to use a node of
your own instead: it is used as it is and never stopped. Tests share the node, so each
uses index names of its own (`index_name`) and deletes what it made.

``opensearch_cluster`` (module fixture) is a `cluster.Cluster` of two data nodes and a
cluster-manager-only tiebreaker (cluster.cluster says why), for failover tests: kill
and restart nodes with ``cluster.kill(name)`` / ``cluster.restart(name)``.

Every node a test run starts is tied to the pytest process (PR_SET_PDEATHSIG): if the
run is killed, the kernel kills its nodes. They live in folders under
``$TMPDIR/gov-reports-opensearch-<uid>/``, one per cluster; a start first stops and
deletes any cluster there whose test run is gone, and a finished run deletes its own.
(Under /tmp rather than pytest's tmp_path: as root the nodes run as another user,
who cannot enter root's private pytest folders.)
"""
from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest

from cluster import Cluster, ClusterError
from cluster.cluster import START_SECONDS
from cluster.distribution import make_public
from cluster.health import wait_for_health

URL_VARIABLE = "REPORTS_TEST_OPENSEARCH_URL"
FIXTURE = "opensearch_url"
CLIENT_SECONDS = 30


def nodes_root() -> Path:
    root = Path(tempfile.gettempdir()) / f"gov-reports-opensearch-{os.getuid()}"
    make_public(root)
    return root


def clear_leftovers(root: Path) -> None:
    """Stop and delete every cluster under `root` whose test run has ended."""
    for folder in root.iterdir():
        cluster = Cluster.load(folder)
        if cluster is not None and cluster.owner is not None and _alive(cluster.owner):
            continue
        if cluster is not None:
            cluster.stop(grace=10.0)
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def new_cluster(label: str, nodes: int = 1, tiebreaker: bool = False) -> Cluster:
    """A planned (not started) cluster in a fresh folder under nodes_root()."""
    root = nodes_root()
    clear_leftovers(root)
    folder = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=root))
    os.chmod(folder, 0o755)
    return Cluster.plan(folder, nodes, tiebreaker=tiebreaker)


def discard(cluster: Cluster) -> None:
    cluster.stop()
    shutil.rmtree(cluster.folder, ignore_errors=True)


class SessionNode:
    """The run's one node: launched early by conftest, awaited by the fixture, stopped at the end."""

    def __init__(self):
        self.cluster: Cluster | None = None
        self.failure: str = ""

    def launch(self) -> None:
        if os.environ.get(URL_VARIABLE) or self.cluster is not None:
            return
        try:
            self.cluster = new_cluster("session")
            self.cluster.launch(die_with_parent=True)
        except ClusterError as error:
            self.failure = str(error)

    def url(self) -> str:
        given = os.environ.get(URL_VARIABLE)
        if given:
            wait_for_health(given, "yellow", 0, timeout=30.0)
            return given.rstrip("/")
        self.launch()
        if self.failure:
            raise ClusterError(self.failure)
        assert self.cluster is not None
        self.cluster.wait_for("green", START_SECONDS)
        return self.cluster.url

    def stop(self) -> None:
        if self.cluster is not None:
            discard(self.cluster)
            self.cluster = None


SESSION_NODE = SessionNode()


@pytest.fixture(scope="session")
def opensearch_url() -> str:
    """The URL of a running OpenSearch node (see the module docstring)."""
    try:
        return SESSION_NODE.url()
    except ClusterError as error:
        pytest.fail(f"no OpenSearch node for the tests: {error}", pytrace=False)


@pytest.fixture(scope="module")
def opensearch_cluster():
    """Two data nodes and a tiebreaker, green, stopped after the module."""
    cluster = new_cluster("cluster", nodes=2, tiebreaker=True)
    try:
        cluster.start(die_with_parent=True)
    except ClusterError as error:
        discard(cluster)
        pytest.fail(f"the two-node OpenSearch cluster did not start: {error}", pytrace=False)
    yield cluster
    discard(cluster)


def client(urls: str | list[str], **options):
    """An opensearch-py client as the tests use it: every node given (it fails over
    between them), no sniffing (the nodes' addresses are known), bounded timeouts, a
    few retries on another node after a connection error or timeout."""
    from opensearchpy import OpenSearch

    settings = dict(timeout=CLIENT_SECONDS, max_retries=3, retry_on_timeout=True,
                    sniff_on_start=False, sniff_on_connection_fail=False, sniffer_timeout=None)
    settings.update(options)
    return OpenSearch([urls] if isinstance(urls, str) else list(urls), **settings)


def index_name(label: str) -> str:
    """An index name no other test uses on the shared node."""
    return f"test-{label}-{secrets.token_hex(4)}"
