"""Child processes that die with the process that forked them.

A build forks children: the parse pool (`corpus.limits`, one child per worker),
whoosh's sub-writers (`index.whoosh_adapter.MpWriter`) and the bigram writers
(`index.bigram_writer`). A parent killed with SIGKILL — as the kernel's OOM killer
does — runs no clean-up of its own, and its children would live on: a sub-writer
waits for its next job forever, holding the files of a generation nobody will serve.

`die_with_parent()` makes every child this process forks from then on ask the kernel
to kill it when its parent dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``, Linux only),
first thing in the child, before it runs anything else (an `os.register_at_fork`
hook); a child whose parent died before the request took effect exits at once. The
child also gets back the default action for SIGTERM (the parent's handler,
`index.sigterm`, must not run in it): a SIGTERM sent to the whole group just ends it.

Linux sends the signal when the *thread* that forked the child ends, not the whole
process: children must be forked by a thread that outlives them, as every pool here
is (each is stopped before the call that started it returns).

API: `die_with_parent()`.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1    # <linux/prctl.h>
_forking_parent: list[int] = [0]
_registered: list[bool] = [False]


def _ask_to_die_with_parent() -> None:
    """In a new child: SIGKILL when the parent dies; exit now if it already has."""
    parent = _forking_parent[0]
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            return  # the kernel refused: the child lives as before
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    except ValueError:
        pass  # not the main thread of the main interpreter: nothing was inherited to undo
    if parent and os.getppid() != parent:
        os._exit(1)     # the parent died between the fork and the request


def _remember_parent() -> None:
    _forking_parent[0] = os.getpid()


def die_with_parent() -> None:
    """From now on, every child this process forks dies when its parent does (see the
    module docstring). Idempotent; children inherit it for their own children."""
    if _registered[0]:
        return
    _registered[0] = True
    os.register_at_fork(before=_remember_parent, after_in_child=_ask_to_die_with_parent)
