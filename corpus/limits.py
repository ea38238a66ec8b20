"""The runner that holds every file's parse to one time limit and one memory limit
(the settings table's ``PARSE_SECONDS`` and ``PARSE_MEMORY_MB``, `config.settings`).

``python -m corpus parse``, ``python -m index build`` and ``python -m index add`` all
read files through `parse_many`, so a file costs the same at most wherever it is read:

- ``PARSE_SECONDS`` of wall time. Each file is parsed in a child process, which is
  killed when its time is up (a signal inside Python cannot stop a reader busy in C —
  pdfium, lxml — for minutes); the file is refused saying so, and a new child takes
  the next file.
- ``PARSE_MEMORY_MB`` of memory more than the child had when it started
  (``RLIMIT_AS``): a parse that wants more gets a MemoryError (the file is refused
  saying so) instead of the machine's memory; the child is then replaced, so the next
  file starts clean.

A child that dies another way (a reader crashing) costs its file a refusal, never the
batch. `parse_many` yields results as children finish, not in job order.

OCR (`corpus.ocr`) has a time and a memory limit of its own per file, far above a
parse's: a reader about to OCR asks for them with `extend`; the parent moves the
child's deadline on by that time (once per file), and the child's memory limit grows
by that memory.
"""
from __future__ import annotations

import multiprocessing
import resource
import time
from collections import deque
from multiprocessing.connection import wait
from typing import Callable, Iterable, Iterator

from config.settings import current
from corpus.report import Refusal

MEMORY_REFUSAL = "The file needs more than {mb} MB of memory to read; it was skipped."
TIME_REFUSAL = "The file took longer than {seconds:g} s to read; it was skipped."
CRASH_REFUSAL = "The reader stopped unexpectedly on this file (exit status {code}); it was skipped."


def _address_space() -> int:
    """This process's virtual memory in bytes (the base the memory limit adds to)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _limit_memory(memory_mb: float | None) -> None:
    if not memory_mb:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = _address_space() + int(memory_mb * 1024 * 1024)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


_TO_PARENT = None     # in a child: the connection to the parent (for `extend`)
MORE_TIME = "more time"


def extend(seconds: float, memory_mb: float) -> None:
    """Ask for `seconds` more for the file being parsed, and allow it `memory_mb` more
    memory (no-op outside a child)."""
    if _TO_PARENT is None:
        return
    _TO_PARENT.send((MORE_TIME, seconds))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        wanted = soft + int(memory_mb * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


def _child(connection, parse: Callable, memory_mb: float | None) -> None:
    """Parse the paths sent until told to stop (None); retire after a MemoryError."""
    global _TO_PARENT
    _TO_PARENT = connection
    _limit_memory(memory_mb)
    while True:
        path = connection.recv()
        if path is None:
            return
        try:
            result = parse(path)
            # corpus.parse turns a MemoryError into this refusal itself.
            retire = isinstance(result, Refusal) and result.error.startswith(MEMORY_REFUSAL[:20])
        except MemoryError:
            result, retire = Refusal(path, MEMORY_REFUSAL.format(mb=int(memory_mb or 0))), True
        except Exception as exc:  # noqa: BLE001 - one bad file never stops a batch
            result, retire = Refusal(path, f"The file could not be parsed ({type(exc).__name__})."), False
        if retire and memory_mb:
            result = Refusal(path, MEMORY_REFUSAL.format(mb=int(memory_mb)))
        connection.send((result, retire))
        if retire:
            return


class _Worker:
    """One child process and the job it is on (key, path, deadline)."""

    def __init__(self, parse: Callable, memory_mb: float | None):
        context = multiprocessing.get_context("fork")
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_child, args=(theirs, parse, memory_mb), daemon=True)
        self.process.start()
        theirs.close()
        self.job = None
        self.deadline = 0.0

    def give(self, job, seconds: float | None) -> None:
        self.job = job
        self.deadline = time.monotonic() + seconds if seconds else float("inf")
        self.extended = False
        self.connection.send(job[1])

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except OSError:
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def parse_many(jobs: Iterable[tuple[object, str]], workers: int = 1, seconds: float | None = None,
               memory_mb: float | None = None, *, parse: Callable) -> Iterator:
    """Parse each ``(key, path)`` job with `parse` (``corpus.parse.parse_file``, which the
    caller passes: the readers it calls import these limits, so this module cannot import
    it) in a child held to the limits; yield ``(key, result)``.

    `seconds` and `memory_mb` are the settings' ``parse_seconds`` and
    ``parse_memory_mb`` (`config.settings.current`) unless given (0: no limit).
    """
    settings = current()
    seconds = settings.parse_seconds if seconds is None else seconds
    memory_mb = settings.parse_memory_mb if memory_mb is None else memory_mb
    pending = deque(jobs)
    pool: list[_Worker] = []
    try:
        while pending or any(w.job for w in pool):
            while pending and len([w for w in pool if w.job]) < max(1, workers):
                idle = next((w for w in pool if not w.job), None)
                if idle is None:
                    idle = _Worker(parse, memory_mb)
                    pool.append(idle)
                idle.give(pending.popleft(), seconds)
            busy = [w for w in pool if w.job]
            now = time.monotonic()
            ready = wait([w.connection for w in busy], timeout=max(0.0, min(w.deadline for w in busy) - now))
            for worker in busy:
                key, path = worker.job
                if worker.connection in ready:
                    try:
                        result, retire = worker.connection.recv()
                        if result == MORE_TIME:
                            if not worker.extended:
                                worker.deadline += retire
                                worker.extended = True
                            continue
                    except (EOFError, OSError):
                        worker.process.join(timeout=5)
                        result = Refusal(path, CRASH_REFUSAL.format(code=worker.process.exitcode))
                        retire = True
                elif time.monotonic() >= worker.deadline:
                    result, retire = Refusal(path, TIME_REFUSAL.format(seconds=seconds)), True
                    worker.process.kill()
                else:
                    continue
                worker.job = None
                if retire:
                    worker.stop(kill=True)
                    pool.remove(worker)
                yield key, result
    finally:
        for worker in pool:
            worker.stop(kill=bool(worker.job))

