"""Fixtures for every test module: a real OpenSearch node (tests/opensearch_nodes.py).

The run's node is launched right after collection when a collected test uses
``opensearch_url`` — its JVM starts while the tests before it run — and is stopped when
the run ends. A run that collects no such test starts no JVM.
"""
from __future__ import annotations

from tests.opensearch_nodes import FIXTURE, SESSION_NODE, opensearch_cluster, opensearch_url  # noqa: F401


def pytest_collection_finish(session) -> None:
    if session.config.option.collectonly:
        return
    if any(FIXTURE in getattr(item, "fixturenames", ()) for item in session.items):
        SESSION_NODE.launch()


def pytest_sessionfinish(session, exitstatus) -> None:
    SESSION_NODE.stop()
