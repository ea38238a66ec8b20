"""An `index add` and an `index remove` landing at each phase of a full build are never
undone: the build and they take effect one after the other (index/lock.py).

Each test hooks one phase of `build` (the corpus parsed, the audit, the writing, the
swap) and lands an add of a new report and a remove of a served one there, the way a
second process would: when the index's write lock is free at that moment they run to
the end at once; when it is held they start in threads and wait for it. After all of
them, the index must serve what was done — the corpus, plus the added report, less the
removed one (worked out here from the file names, not read from the code) — and the
next build must keep it so.
"""
from __future__ import annotations

import fcntl
import os
import threading

import pytest

from index import build as builder
from index import manifest, plan, store
from index.lock import LOCK
from index.store import IndexHandle
from tests.test_no_silent_loss import A, B, C, site  # noqa: F401  (site: a fixture)
from tests.test_store import report_ids

pytestmark = pytest.mark.slow

CORPUS = {f"{A}-2022", f"{B}-2022"}
ADDED, REMOVED = f"{C}-2023", f"{B}-2022"

# Where a phase is hooked: (module, function); the operations land just before the
# function runs, or just after it returns ("after").
PHASES = {
    "parsing done": (builder, "read_corpus", "after"),
    "audit": (plan, "audit", "before"),
    "writing": (builder, "write_reports", "before"),
    "the swap": (store, "swap_in", "before"),
}


def lock_is_free(root) -> bool:
    """True when no one holds the index's write lock right now (an flock of our own)."""
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


class Landing:
    """An add and a remove landing once, at the hooked moment, as another process would."""

    def __init__(self, root, added_file):
        self.root, self.added_file = root, added_file
        self.threads: list[threading.Thread] = []
        self.errors: list[BaseException] = []
        self.waited = None

    def _run(self, operation) -> None:
        try:
            operation()
        except BaseException as error:  # noqa: BLE001 - recorded, asserted by the test
            self.errors.append(error)

    def land(self) -> None:
        if self.waited is not None:
            return      # once per build
        operations = [lambda: builder.add([self.added_file], self.root, grace=0),
                      lambda: builder.remove([REMOVED], self.root, grace=0)]
        self.waited = not lock_is_free(self.root)
        if self.waited:
            # The lock is held: they wait for it in threads, in this order.
            def both():
                for operation in operations:
                    self._run(operation)
            self.threads.append(threading.Thread(target=both))
            self.threads[-1].start()
        else:
            for operation in operations:
                self._run(operation)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=600)
            assert not thread.is_alive(), "an add or remove never got the lock"


@pytest.mark.parametrize("phase", sorted(PHASES))
def test_an_add_and_a_remove_during_a_build_are_kept(site, monkeypatch, phase):
    root, corpus, added_file = site
    module, name, when = PHASES[phase]
    real = getattr(module, name)
    landing = Landing(root, added_file)

    def hooked(*args, **kwargs):
        if when == "before":
            landing.land()
        result = real(*args, **kwargs)
        if when == "after":
            landing.land()
        return result

    monkeypatch.setattr(module, name, hooked)
    try:
        builder.build(corpus, root, workers=1, grace=0)
    finally:
        landing.join()
    monkeypatch.undo()
    expected = sorted((CORPUS | {ADDED}) - {REMOVED})
    assert landing.errors == []
    assert report_ids(IndexHandle(root)) == expected
    assert [p.name for p in manifest.added_files(root)] == [f"{ADDED}.txt"]
    assert manifest.removed_ids(root) == {REMOVED}
    # The build held the lock from before it read the ledger: they waited for it.
    assert landing.waited is True
    builder.build(corpus, root, workers=1, grace=0)     # and the next build keeps them
    assert report_ids(IndexHandle(root)) == expected
