"""The OCR of one file: its pictures read side by side, within the file's limits, cached.

`corpus.parse.parse_bytes` opens a session for each file (`opened`), naming the cache
folder if there is one; a reader that meets pictures calls `read_pictures` with a
loader for each (pictures are drawn one at a time, as they are needed, so a long scan
never sits in memory whole). The session looks the file up in the cache by its
sha256, and reads what is not there on `corpus.ocr.WORKERS` threads — each picture on
one core — refusing the file past the settings' ``ocr_max_pages`` pictures or
``ocr_seconds`` of reading (the parse's own limits grow by OCR's time and
memory, `corpus.limits.extend`). `pictures` and `seconds` say what it cost.
"""
from __future__ import annotations

import contextvars
import hashlib
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from config.settings import current as current_settings
from corpus import limits, ocr
from corpus.ocr import cache, page
from corpus.report import NotAReport

_CURRENT: contextvars.ContextVar["Session | None"] = contextvars.ContextVar("ocr_session", default=None)
_DEFAULT_FOLDER: Path | None = None   # set by `caching_in`; forked parse children inherit it


class Session:
    """One file's OCR: its cache key, and what reading its pictures cost."""

    def __init__(self, data: bytes, folder: Path | None):
        self.key = hashlib.sha256(data).hexdigest()
        self.folder = folder
        self.calls = 0
        self.pictures = 0       # pictures read by OCR (not from the cache)
        self.seconds = 0.0

    def read_pictures(self, loaders: list[Callable], dpi: float) -> list[list[page.Item]]:
        """Each picture's items (`corpus.ocr.page.read`); `loaders[i]()` gives picture i.

        :raise NotAReport: past the page or time limit of `corpus.ocr`.
        """
        if not loaders:
            return []
        key = self.key if self.calls == 0 else f"{self.key}-{self.calls}"
        self.calls += 1
        if self.folder is not None:
            found = cache.get(self.folder, key)
            if found is not None and len(found) == len(loaders):
                return found
        settings = current_settings()
        if len(loaders) > settings.ocr_max_pages:
            raise NotAReport(f"the file has {len(loaders)} pages of pictures; "
                             f"OCR reads at most {settings.ocr_max_pages}.")
        limits.extend(settings.ocr_seconds, settings.ocr_memory_mb)
        started = time.monotonic()
        out = _read_all(loaders, dpi, started, settings.ocr_seconds)
        self.pictures += len(loaders)
        self.seconds += time.monotonic() - started
        if self.folder is not None:
            cache.put(self.folder, key, out, time.monotonic() - started)
        return out


def _read_all(loaders: list[Callable], dpi: float, started: float, seconds: float) -> list[list[page.Item]]:
    """Read the pictures on the worker threads, drawing each only when a thread is free.
    Past the time limit the file is refused at once: the pages being read finish
    unwatched, the others are never started."""
    out: list = [None] * len(loaders)
    pool = ThreadPoolExecutor(max_workers=ocr.WORKERS)
    try:
        running: dict = {}
        for index, load in enumerate(loaders):
            if len(running) >= ocr.WORKERS:
                _collect(running, out, started, seconds)
            running[pool.submit(page.read, load(), dpi)] = index
        while running:
            _collect(running, out, started, seconds)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return out


def _collect(running: dict, out: list, started: float, seconds: float) -> None:
    left = seconds - (time.monotonic() - started)
    done, _ = wait(list(running), timeout=max(0.0, left), return_when=FIRST_COMPLETED)
    if not done:
        raise NotAReport(f"OCR of the file's pictures took longer than {seconds:g} seconds.")
    for future in done:
        out[running.pop(future)] = future.result()


def current() -> Session:
    """The session of the file being read (one without a cache when none was opened)."""
    session = _CURRENT.get()
    return session if session is not None else Session(b"", None)


@contextmanager
def caching_in(folder: Path | None):
    """Within the block, files opened without a cache folder of their own use `folder`
    (the index build's: its parse children are forked inside the block)."""
    global _DEFAULT_FOLDER
    before, _DEFAULT_FOLDER = _DEFAULT_FOLDER, folder
    try:
        yield
    finally:
        _DEFAULT_FOLDER = before


@contextmanager
def opened(data: bytes, folder: Path | None = None):
    """A session for the file `data` for the duration of the block, caching in `folder`
    (or the folder `caching_in` set)."""
    token = _CURRENT.set(Session(data, folder if folder is not None else _DEFAULT_FOLDER))
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)
