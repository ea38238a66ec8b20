"""Where the index lives on disk, and the handle every reader opens it through.

An index root holds generations, one directory per build (or ``add``/``remove``),
and a symlink ``current`` naming the live one::

    instance/index/
        current -> generations/20240118T101500-3f2a
        generations/20240118T101500-3f2a/
            index/        whoosh's files
            bigrams/      each segment's bigram postings, beside whoosh (index.bigrams)
            originals/    the original report files, named <report_id><suffix>
            build.json    the build's summary
            retired       (written when a newer generation replaced this one)

A writer builds a new generation beside the live one and then replaces
``current`` with `os.replace`, which is atomic: a reader sees the old generation or
the new one, never half of either. Writers take turns under the write lock
(`index.lock`, re-exported here as `write_lock`); a generation a writer abandoned
half-way (no ``build.json``, never live) is deleted by the next one (`discard_partial`).
Replaced generations stay on disk for a grace period, so searchers opened before the
swap keep reading their files, and the ``keep_generations`` most recent stay longer,
for ``python -m index activate`` (`clean_up`, `index.generations`).

`IndexHandle` is what search/ and web/ hold: it notices a swap on its next
``searcher()`` and opens the new generation, so a rebuild needs no restart; it lets go
of the replaced one's files when no search reads it any more (`IndexHandle.let_go`,
`index.release`).
"""
from __future__ import annotations

import json
import os
import shutil
import threading
import time
import weakref
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index

from config.settings import DEFAULTS, current

from index import bigrams, release, sigterm, whoosh_adapter
from index import schema as fields
from index.bigrams import FOLDER as BIGRAMS, is_written as bigrams_written
from index.lock import write_lock  # noqa: F401  (writers take it through the store)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROOT = PROJECT_ROOT / "instance" / "index"
DEFAULT_CORPUS = PROJECT_ROOT / "corpus" / "samples"

CURRENT = "current"
GENERATIONS = "generations"
INDEX_DIR = "index"
ORIGINALS = "originals"
SUMMARY = "build.json"
RETIRED = "retired"

# How long a replaced generation stays on disk for searchers opened before the swap
# (the setting generation_grace_seconds).
GRACE_SECONDS = DEFAULTS.generation_grace_seconds
# Searchers an `IndexHandle` keeps open for reuse (one per concurrent search).
MAX_IDLE_SEARCHERS = 8
# Index versions whose derived data (`IndexHandle.derived`) a handle keeps: the live one
# and the one searchers opened before a swap may still read.
KEPT_VERSIONS = 2


class IndexMissing(Exception):
    """There is no usable index under the root (never built, or damaged)."""


# --- the generation layout ----------------------------------------------------------------

OCR_CACHE = "ocr-cache"   # what OCR read of scanned files, by sha256 (corpus.ocr.cache)


def ocr_cache_dir(root: Path) -> Path:
    """Where builds keep what OCR read, beside the generations: a rebuild reads no picture twice."""
    return Path(root) / OCR_CACHE


def generations_dir(root: Path) -> Path:
    return Path(root) / GENERATIONS


def current_generation(root: Path) -> str | None:
    """The name of the live generation, or None when nothing was ever swapped in."""
    try:
        return Path(os.readlink(Path(root) / CURRENT)).name
    except (FileNotFoundError, NotADirectoryError, OSError):
        return None


def generation_dir(root: Path, name: str) -> Path:
    return generations_dir(root) / name


def new_generation(root: Path) -> Path:
    """Create and return an empty, uniquely named generation directory, after deleting
    the partial ones earlier writers left (`discard_partial`: call it under the write
    lock, as every writer does)."""
    discard_partial(root)
    base = time.strftime("%Y%m%dT%H%M%S")
    generations_dir(root).mkdir(parents=True, exist_ok=True)
    for attempt in range(1000):
        path = generations_dir(root) / f"{base}-{os.getpid()}-{attempt}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        (path / ORIGINALS).mkdir()
        return path
    raise RuntimeError("could not create a new index generation")


def copy_generation(root: Path, source: str) -> Path:
    """A new generation holding the same files as `source`, hard-linked where possible.

    whoosh never rewrites a file in place (a commit writes new segment and TOC files
    and unlinks unused ones), so linking is safe: changing the copy leaves the
    source as it was for readers still using it.
    """
    target = new_generation(root)
    origin = generation_dir(root, source)
    for folder in (INDEX_DIR, ORIGINALS, BIGRAMS):
        _link_tree(origin / folder, target / folder)
    return target


def _link_tree(origin: Path, target: Path) -> None:
    target.mkdir(exist_ok=True)
    if not origin.is_dir():
        return
    for item in origin.iterdir():
        if item.name.endswith("WRITELOCK"):
            continue
        if item.is_dir():
            _link_tree(item, target / item.name)
            continue
        try:
            os.link(item, target / item.name)
        except OSError:
            shutil.copy2(item, target / item.name)


def swap_in(root: Path, generation: Path) -> None:
    """Make `generation` the live one, atomically, and mark the one it replaces.

    :raise index.sigterm.Terminated: instead, when the process was asked to stop.
    """
    sigterm.check()
    root = Path(root)
    previous = current_generation(root)
    link = root / CURRENT
    temporary = root / f".{CURRENT}.{os.getpid()}.tmp"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(Path(GENERATIONS) / generation.name, temporary)
    os.replace(temporary, link)
    if previous and previous != generation.name:
        retired = generation_dir(root, previous) / RETIRED
        try:
            if retired.parent.is_dir():
                retired.write_text(str(time.time()))
        except OSError:
            pass  # the swap is done; without the marker clean_up dates the folder by its mtime


def is_partial(root: Path, name: str) -> bool:
    """True for a generation that was never finished: no build summary, never live.

    Every writer writes the summary last, just before the swap (`index.build`), so a
    folder without one (and without the ``retired`` marker of a generation once live)
    was abandoned half-way: a build that failed, was stopped, or was killed before it
    could clean up.
    """
    folder = generation_dir(root, name)
    return (name != current_generation(root) and not (folder / SUMMARY).exists()
            and not (folder / RETIRED).exists())


def discard_partial(root: Path) -> list[str]:
    """Delete the partial generations (`is_partial`) under `root`; their names.

    Only under the write lock (`index.lock`): holding it, no other writer is at work,
    so a partial generation's writer is gone and nothing will ever finish it.
    """
    folder = generations_dir(root)
    if not folder.is_dir():
        return []
    discarded = sorted(path.name for path in folder.iterdir() if path.is_dir() and is_partial(root, path.name))
    for name in discarded:
        shutil.rmtree(generation_dir(root, name), ignore_errors=True)
    return discarded


def replaced_at(root: Path, name: str) -> float:
    """When a generation stopped being live (its ``retired`` marker), or, for one that
    never was, when it was written (its summary)."""
    folder = generation_dir(root, name)
    try:
        return float((folder / RETIRED).read_text())
    except (OSError, ValueError):
        pass
    for path in (folder / SUMMARY, folder):
        try:
            return path.stat().st_mtime
        except OSError:
            continue
    return 0.0


def clean_up(root: Path, grace: float = GRACE_SECONDS, keep: int | None = None) -> list[str]:
    """Delete the generations no longer kept; their names.

    Kept: the live one, and the `keep` (default: the setting ``keep_generations``)
    replaced most recently, for ``python -m index activate`` to go back to. The others
    go once they were replaced more than `grace` seconds ago, so that searchers opened
    before a swap can finish reading them; partial ones (`is_partial`) after `grace`
    too (a writer holding the lock deletes them at once: `discard_partial`).
    """
    keep = current().keep_generations if keep is None else keep
    live = current_generation(root)
    folder = generations_dir(root)
    if not folder.is_dir():
        return []
    others = [path.name for path in folder.iterdir() if path.is_dir() and path.name != live]
    finished = sorted((name for name in others if not is_partial(root, name)),
                      key=lambda name: (replaced_at(root, name), name), reverse=True)
    candidates = finished[max(0, keep):] + [name for name in others if is_partial(root, name)]
    now = time.time()
    removed = []
    for name in candidates:
        if now - replaced_at(root, name) >= grace:
            shutil.rmtree(generation_dir(root, name), ignore_errors=True)
            removed.append(name)
    return sorted(removed)


def open_generation(root: Path, name: str):
    """The whoosh index of a generation; `IndexMissing` if it cannot be opened."""
    path = generation_dir(root, name) / INDEX_DIR
    try:
        return whoosh_index.open_dir(str(path))
    except Exception as exc:  # noqa: BLE001 - whoosh raises many kinds for a bad index
        raise IndexMissing(f"The index at {path} cannot be opened ({type(exc).__name__}: {exc}). "
                           f"Rebuild it with: python -m index build") from exc


def check_bigrams(root: Path, name: str, ix) -> None:
    """`IndexMissing` unless every segment has its bigram postings (`index.bigrams`):
    the verbatim lookup reads nothing else."""
    folder = generation_dir(root, name) / BIGRAMS
    with ix.reader() as reader:
        missing = [segment for segment in (str(whoosh_adapter.segment_name(leaf))
                                           for leaf, _ in reader.leaf_readers())
                   if not bigrams_written(folder / segment)]
    if missing:
        raise IndexMissing(f"The index under {root} lacks the bigram postings of {len(missing)} segment(s) "
                           f"(built before they existed). Write them with: python -m index bigrams "
                           f"--index {root} (the site can keep running), or rebuild with: python -m index build")


def read_summary(root: Path, name: str) -> dict:
    try:
        return json.loads((generation_dir(root, name) / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# --- the reader's handle ------------------------------------------------------------------

def _close_all(searchers: list) -> None:
    for searcher in searchers:
        try:
            searcher.close()
        except Exception:  # noqa: BLE001 - closing is best-effort (files already gone)
            pass

class IndexHandle:
    """The live index under `root`, reopened by ``searcher()`` after every swap.

    :raise IndexMissing: when `root` holds no index, or its live generation cannot be
        opened.
    """

    def __init__(self, root: str | Path = DEFAULT_ROOT, settings=None):
        self.root = Path(root)
        # The opener's settings (`config.settings`: search's limits), carried unread.
        self.settings = settings
        self._lock = threading.Lock()
        self._index = None
        self.generation: str | None = None
        # Idle searchers on the live generation, reused across calls (see `searcher`).
        self._idle: list = []
        # Data derived from one index version (search's snapshot), by version key.
        self._derived: dict[tuple, object] = {}
        # Searches running now, by the generation each reads (see `let_go`).
        self._in_use: dict[str, int] = {}
        self._pid = os.getpid()
        weakref.finalize(self, _close_all, self._idle)
        self.refresh()
        if self._index is None:
            raise IndexMissing(f"No index under {self.root}. Build one with: "
                               f"python -m index build --index {self.root}")

    def refresh(self) -> bool:
        """Open the live generation if it changed since last time; True if it did."""
        name = current_generation(self.root)
        if name is None or name == self.generation:
            return False
        with self._lock:
            if name == self.generation:
                return False
            try:
                opened = open_generation(self.root, name)
                check_bigrams(self.root, name, opened)
            except IndexMissing:
                if self._index is None:
                    raise
                return False  # keep serving the generation we have
            # Load the index's own jieba dictionary now, not on the first query.
            for field_name in (fields.TEXT_FIELD, fields.TITLE):
                prepare = getattr(opened.schema[field_name].analyzer, "prepare", None)
                if prepare:
                    prepare()
            previous = self.generation
            self._index, self.generation = opened, name
            stale, self._idle[:] = list(self._idle), []
            done_with = previous if previous and not self._in_use.get(previous) else None
        _close_all(stale)  # searchers in use close when their block ends
        if done_with:
            bigrams.forget(generation_dir(self.root, done_with))
        return True

    @property
    def schema(self):
        return self._index.schema

    def derived(self, searcher, build):
        """What `build(searcher)` makes of the index version `searcher` reads, built once
        per version and kept by this handle (at most `KEPT_VERSIONS`, newest kept).

        A version is its segments and their document counts, so a rebuild, an ``add``
        or a deletion is a new one. What is kept must hold plain data only.
        """
        key = tuple((whoosh_adapter.segment_name(leaf), offset, leaf.doc_count_all(), leaf.doc_count())
                    for leaf, offset in searcher.reader().leaf_readers())
        with self._lock:
            found = self._derived.get(key)
        if found is not None:
            return found
        built = build(searcher)
        with self._lock:
            found = self._derived.setdefault(key, built)   # a concurrent build: keep the first
            while len(self._derived) > KEPT_VERSIONS:
                self._derived.pop(next(iter(self._derived)))
        return found

    @contextmanager
    def searcher(self):
        """A whoosh searcher on the newest generation, for the length of the block.

        Opening a searcher is most of the cost of a cheap search: whoosh re-reads the
        table of contents, unpickles the schema (with the jieba analyzer and its domain
        dictionary) and opens every segment file. So searchers are kept and reused:
        a block takes an idle searcher of the live generation (or opens one), and gives
        it back when it ends. A searcher is never shared by two blocks at once (whoosh
        reads its files with seek and read, which threads must not interleave), so a
        process holds at most as many as it runs searches at the same time; nor by two
        processes (a forked child drops the searchers it inherited: a file descriptor
        shares its offset across a fork). After a swap the idle ones are closed, and
        one still in use is closed when its block ends: the block keeps reading the
        generation it started on. The last block on a replaced generation lets go of
        its mapped bigram segments too (`let_go`).
        """
        self.refresh()
        with self._lock:
            if self._pid != os.getpid():
                # Forked (gunicorn --preload): the parent's searchers share their file
                # offsets with it and its other children; never read through them here.
                self._pid, inherited, self._idle[:] = os.getpid(), list(self._idle), []
                self._in_use.clear()   # the parent's searches run in threads not copied here
                _close_all(inherited)  # closes this process's copies only
            index, generation = self._index, self.generation
            searcher = self._idle.pop() if self._idle else None
            self._in_use[generation] = self._in_use.get(generation, 0) + 1
        release.watch(self)
        try:
            if searcher is None:
                searcher = index.searcher()
            yield searcher
        finally:
            with self._lock:
                left = self._in_use.pop(generation) - 1
                if left:
                    self._in_use[generation] = left
                keep = (searcher is not None and generation == self.generation
                        and len(self._idle) < MAX_IDLE_SEARCHERS)
                if keep:
                    self._idle.append(searcher)
                done_with = generation != self.generation and not left
            if not keep and searcher is not None:
                searcher.close()
            if done_with:
                bigrams.forget(generation_dir(self.root, generation))

    def let_go(self) -> None:
        """Once another generation is live, close what this handle holds of its own if
        no search reads it: idle searchers and mapped bigram segments. Its next search
        opens the live one (`index.release` calls this every few seconds)."""
        if current_generation(self.root) in (None, self.generation):
            return
        with self._lock:
            if self._in_use.get(self.generation):
                return
            idle, self._idle[:] = list(self._idle), []
            generation = self.generation
        _close_all(idle)
        bigrams.forget(generation_dir(self.root, generation))

    def after_fork(self) -> None:
        """In a forked child, first thing: a fresh lock (another thread of the parent may
        have held this one at the moment of the fork)."""
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the idle searchers and let go of the mapped bigram segments (they hold
        the index's files open); the next search opens what it needs again."""
        with self._lock:
            idle, self._idle[:] = list(self._idle), []
            generation = self.generation
        _close_all(idle)
        if generation:
            bigrams.forget(generation_dir(self.root, generation))

    def directory(self) -> Path:
        """The live generation's directory."""
        return generation_dir(self.root, self.generation)

    def built_at(self) -> float | None:
        """When the live generation was written (its summary's time; seconds since the epoch)."""
        folder = generation_dir(self.root, self.generation)
        for path in (folder / SUMMARY, folder):
            try:
                return path.stat().st_mtime
            except OSError:
                continue
        return None

    def summary(self) -> dict:
        """The live generation's build summary (reports, sections, agencies …)."""
        return read_summary(self.root, self.generation)

    def original_path(self, report_id: str) -> Path | None:
        """The copy of the report's original file, or None if there is none."""
        with self.searcher() as searcher:
            stored = searcher.document(**{fields.DOC_ID: report_id, fields.KIND: fields.KIND_REPORT})
            folder = generation_dir(self.root, self.generation) / ORIGINALS
        name = (stored or {}).get(fields.ORIGINAL)
        if not name or Path(name).name != name:
            return None
        path = folder / name
        return path if path.is_file() else None
