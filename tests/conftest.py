"""Fixtures shared by the test modules.

- `search_index`: the made-up corpus of tests/searchdata.py built once for the whole
  run into a temporary whoosh index. It is read-only: a test that adds, removes or
  rebuilds builds its own index (``searchdata.build_index(tmp_path, …)``), and the run
  ends in an error if any file of the shared one changed. A module opens its own
  handle on it (`SearchIndex.open`), so handle-held caches do not carry over from
  module to module.
- `search_service`: the same corpus behind the engine contract, once per engine of
  `tests.engines.ENGINES` (a test using it runs on each): what the site's views ask.
- `opensearch_url`, `opensearch_cluster`: a real OpenSearch node for the run, and a
  two-node cluster (tests/opensearch_nodes.py). The run's node is launched right after
  collection when a collected test uses ``opensearch_url`` or is marked ``opensearch``
  (the contract tests' OpenSearch parameter) — its JVM starts while the tests before it
  run — and is stopped when the run ends, after the indices the tests built on it are
  deleted (tests/engines.py). A run that collects no such test starts no JVM.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.store import IndexHandle
from tests.engines import ENGINES, built_service, forget_aliases
from tests.opensearch_nodes import FIXTURE, SESSION_NODE, opensearch_cluster, opensearch_url  # noqa: F401
from tests.searchdata import CORPUS, build_index


@dataclass(frozen=True)
class SearchIndex:
    """The shared index: its root folder, and a way to open a handle on it."""

    root: Path

    def open(self, **options) -> IndexHandle:
        """A new handle on the shared index (`IndexHandle` options pass through)."""
        return IndexHandle(self.root, **options)


def fingerprint(root: Path) -> dict[str, str]:
    """Each file and link under `root`: its content's hash (a link: where it points)."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(root))] = "-> " + str(path.readlink())
        elif path.is_file():
            found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="session")
def search_index(tmp_path_factory) -> SearchIndex:
    """tests/searchdata.py's `CORPUS`, built once for the run; read-only."""
    root = tmp_path_factory.mktemp("search-index")
    build_index(root)
    before = fingerprint(root)
    yield SearchIndex(root)
    assert fingerprint(root) == before, "a test wrote into the shared index; build your own"


@pytest.fixture(scope="session", params=ENGINES)
def search_service(request, tmp_path_factory):
    """tests/searchdata.py's `CORPUS` behind the contract, on each engine; read-only."""
    return built_service(request.param, CORPUS, tmp_path_factory.mktemp(f"service-{request.param}"))


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
