"""Fixtures for every test module: a real OpenSearch node (tests/opensearch_nodes.py).

The run's node is launched right after collection when a collected test uses
``opensearch_url`` or is marked ``opensearch`` (the contract tests' OpenSearch
parameter) — its JVM starts while the tests before it run — and is stopped when the
run ends, after the indices the tests built on it are deleted (tests/engines.py). A
run that collects no such test starts no JVM.
"""
from __future__ import annotations

from tests.engines import forget_aliases
from tests.opensearch_nodes import FIXTURE, SESSION_NODE, opensearch_cluster, opensearch_url  # noqa: F401


def _needs_opensearch(item) -> bool:
    return FIXTURE in getattr(item, "fixturenames", ()) or item.get_closest_marker("opensearch") is not None


def pytest_collection_finish(session) -> None:
    if session.config.option.collectonly:
        return
    if any(_needs_opensearch(item) for item in session.items):
        SESSION_NODE.launch()


def pytest_sessionfinish(session, exitstatus) -> None:
    forget_aliases()
    SESSION_NODE.stop()
