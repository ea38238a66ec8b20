"""Letting go of replaced index generations in a process that searches.

An `index.store.IndexHandle` closes what it holds of a generation a swap replaced —
its idle searchers, its mapped bigram segments (`index.bigrams`) — when the last
search reading that generation ends, or when its next search opens the live one. A
process that searches nothing meanwhile (a gunicorn worker no request reaches) would
keep the replaced generation's files open, and their disk space taken once
`index.store.clean_up` deletes them, until its next request. So a process that
searches runs one daemon thread which, every `RELEASE_SECONDS`, asks each handle it
used to let go of a generation no longer live that no search reads
(`IndexHandle.let_go`): a replaced generation is let go at most `RELEASE_SECONDS`
after the swap, or after the last search that started before the swap, whichever is
later.

A fork copies the handles but not the thread: a forked child starts its own at its
first search, and gives every handle a fresh lock first thing (the thread may have
held one at the moment of the fork).

API: `watch(handle)`, `RELEASE_SECONDS`.
"""
from __future__ import annotations

import os
import threading
import time
import weakref

RELEASE_SECONDS = 5.0
_handles: weakref.WeakSet = weakref.WeakSet()
_guard = [threading.Lock()]
_running_in = [0]       # the process whose thread runs (a forked child has none)


def _let_go_forever() -> None:
    while True:
        time.sleep(RELEASE_SECONDS)
        with _guard[0]:
            handles = list(_handles)
        for handle in handles:
            try:
                handle.let_go()
            except OSError:
                pass    # its root is gone (a deleted test index): nothing left to hold


def watch(handle) -> None:
    """Have this process's thread let `handle` go of replaced generations (started here
    on the process's first call)."""
    with _guard[0]:
        _handles.add(handle)
        if _running_in[0] == os.getpid():
            return
        _running_in[0] = os.getpid()
    threading.Thread(target=_let_go_forever, name="index-release", daemon=True).start()


def _after_fork_in_child() -> None:
    _guard[0] = threading.Lock()
    for handle in list(_handles):
        handle.after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)
