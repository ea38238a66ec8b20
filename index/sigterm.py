"""SIGTERM as an exception, so a command stopped by it cleans up like one that failed.

SIGTERM is how a service manager, a container runtime or ``kill`` asks a process to
stop. Python's default ends the process on the spot, leaving a half-written generation
folder behind. Within `raising_on_sigterm()` it raises `Terminated` wherever the
command is instead: the build (or add, remove) abandons the generation it was writing
(the ``except BaseException`` around every write in `index.build`), its child
processes are stopped by the blocks that started them, the write lock is released, and
the command line says so and exits with status 143 (128 + SIGTERM, what a shell
reports for a process the signal ended). Children do not inherit the handler
(`index.children`).

An exception raised by a signal handler lands wherever the main thread happens to be,
and a few places swallow it: Python prints "Exception ignored in …" and goes on. The
one a build meets is a fork (the `os.register_at_fork` hooks of logging and of
`index.children` run Python code around every fork, and a build forks dozens of
children). So while this process forks the handler only remembers the signal, and
`check()` raises `Terminated` at the one step that must never follow a SIGTERM: the
swap that makes a new generation live (`index.store.swap_in`). A SIGTERM landing in a
fork thus stops the command at its swap rather than at once, still with status 143.

API: `raising_on_sigterm()`, `check()`, `Terminated`, `EXIT_STATUS`.
"""
from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager

EXIT_STATUS = 128 + signal.SIGTERM
_received: list[bool] = [False]
_forking: list[bool] = [False]
_hooked: list[bool] = [False]


class Terminated(BaseException):
    """The process received SIGTERM. A BaseException, like KeyboardInterrupt, so that
    no ``except Exception`` on the way takes it for an ordinary failure."""


def _raise(signum, frame) -> None:
    _received[0] = True
    if not _forking[0]:
        raise Terminated()


def _fork_begins() -> None:
    _forking[0] = True


def _fork_ends() -> None:
    _forking[0] = False


def check() -> None:
    """:raise Terminated: when SIGTERM arrived within `raising_on_sigterm`, even if the
    exception its handler raised was swallowed on the way."""
    if _received[0]:
        raise Terminated()


@contextmanager
def raising_on_sigterm():
    """For the block, SIGTERM raises `Terminated` in this process's main thread (the
    handler before is put back after). Outside the main thread, where Python cannot
    set a handler, the block runs with SIGTERM's handling unchanged."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if not _hooked[0]:
        # Registered last, so they bracket the other hooks: `before` hooks run in
        # reverse order of registration, the `after` ones in order.
        os.register_at_fork(before=_fork_begins, after_in_parent=_fork_ends, after_in_child=_fork_ends)
        _hooked[0] = True
    before = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)
        _received[0] = False
