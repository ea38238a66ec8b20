"""Fixtures shared by the test modules.

`search_index`: the made-up corpus of tests/searchdata.py built once for the whole
run into a temporary folder. It is read-only: a test that adds, removes or rebuilds
builds its own index (``searchdata.build_index(tmp_path, …)``), and the run ends in
an error if any file of the shared one changed. A module opens its own handle on it
(`SearchIndex.open`), so handle-held caches do not carry over from module to module.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.store import IndexHandle
from tests.searchdata import build_index


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
