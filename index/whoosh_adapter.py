"""Every use of whoosh's private internals, in one place: the fast paths.

whoosh's public API reads one value per Python call: a column value per document, a
posting id per generator step, a posting per ``pickle.load``. At tens of thousands of
documents that dominates search and build time, so a few hot loops read whoosh 3's
storage directly — a column's bytes in one block, a posting block's ids and weights
as tuples, a writer's spill runs in chunks. This module is the only file that may
name a private whoosh attribute (``leaf._perdoc``, a matcher's ``_ids``…); everything
else calls the functions here.

No silent fallback: `check_classes()` runs at import and raises `FastPathUnavailable`
naming what is missing if an upgraded whoosh renamed an internal; a matcher, column
or codec of a kind this module does not know raises it too, instead of quietly
stepping through the slow public API. The one public-API path kept on purpose is a
segment with deletions: whoosh wraps its postings in a ``FilterMatcher`` that drops
the deleted documents, and that wrapper is stepped through.

Contract (tests/test_whoosh_adapter.py and the oracle tests): `length_bytes` equals
``doc_field_length``, `column_values` equals iterating the column, `block_ids`,
`postings` and `posting_arrays` equal stepping the matcher, `SpillPool` writes the index unchanged.

API: `check_classes()`, `length_bytes(leaf, field)`, `column_values(reader, count)`,
`block_ids(matcher)`, `postings(matcher, wanted=None, wanted_set=None)`,
`posting_arrays(matcher)`,
`segment_name(leaf)`, `index_folder(leaf)`, `deleted_docnums(leaf)`, `SpillPool`, `use_spill_pool(writer)`, `MpWriter`.
"""
from __future__ import annotations

import pickle
import sys
from array import array
from bisect import bisect_right
from itertools import accumulate, chain, compress, islice

import numpy as np

from whoosh import columns, multiproc, writing
from whoosh.codec import whoosh3
from whoosh.matching.wrappers import FilterMatcher

CHUNK = 1024     # postings pickled per call in a spill run


class FastPathUnavailable(RuntimeError):
    """The installed whoosh lacks an internal a fast path reads: pin the tested version."""


# (class, attribute names) whose presence the fast paths rely on.
_CLASS_NEEDS = (
    (whoosh3.W3LeafMatcher, ("_read_data", "_read_ids", "_read_weights", "_next_block",
                             "block_max_id")),
    (whoosh3.W3PerDocReader, ("_cached_reader",)),
    (writing.PostingPool, ("_write_run", "_read_run", "_open_run", "_remove_run")),
    (multiproc.MpWriter, ("_new_task",)),
    (columns.VarBytesColumn, ("Reader",)),
    (columns.NumericColumn, ("Reader",)),
)
_MODULE_NEEDS = ((whoosh3, ("_lenfield", "LENGTHS_COLUMN")),)
# Attributes set on instances: checked on the first instance a fast path meets.
_MATCHER_STATE = ("_ids", "_weights", "_i", "_data", "_byteids")
_VARBYTES_STATE = ("_lengths", "_dbfile", "_basepos")
_NUMERIC_STATE = ("_count", "_typecode", "_dbfile", "_basepos", "_fixedlen", "_unpack", "_defaultbytes")


def check_classes() -> None:
    """Raise `FastPathUnavailable` if a class or module lacks an internal used here."""
    missing = [f"{owner.__name__}.{name}"
               for owner, names in (*_CLASS_NEEDS, *_MODULE_NEEDS)
               for name in names if not hasattr(owner, name)]
    if missing:
        raise FastPathUnavailable("whoosh internals missing: " + ", ".join(missing))


def _check_state(obj, names: tuple[str, ...]) -> None:
    missing = [name for name in names if not hasattr(obj, name)]
    if missing:
        raise FastPathUnavailable(f"{type(obj).__name__} lacks {', '.join(missing)}")


check_classes()


def segment_name(leaf):
    """A stable name for a leaf reader's segment (its id), or the reader's identity."""
    segment = leaf.segment() if hasattr(leaf, "segment") else None   # public method, not on every reader
    return segment.segment_id() if segment is not None else id(leaf)


def index_folder(leaf) -> str | None:
    """The folder of a leaf reader's index files (None: not a file-backed segment)."""
    storage = leaf.storage() if hasattr(leaf, "storage") else None
    # A compound segment reads through an overlay: its own file over the index's folder.
    storage = getattr(storage, "b", storage)
    return getattr(storage, "folder", None)


def deleted_docnums(leaf) -> np.ndarray:
    """The leaf-local docnums a segment has deleted, ascending (int64)."""
    if not leaf.has_deletions():
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.fromiter(leaf.segment().deleted_docs(), dtype=np.int64))


def length_bytes(leaf, field: str) -> bytes:
    """One segment's stored length bytes for `field`, one per document (0: no length).

    whoosh 3 keeps them in a one-byte-per-document column, read here at once;
    ``whoosh.util.numeric.byte_to_length`` decodes a byte.
    """
    count = leaf.doc_count_all()
    perdoc = getattr(leaf, "_perdoc", None)
    if not isinstance(perdoc, whoosh3.W3PerDocReader):
        raise FastPathUnavailable(f"field lengths of a {type(perdoc).__name__} per-document reader")
    reader = perdoc._cached_reader(whoosh3._lenfield(field), whoosh3.LENGTHS_COLUMN)
    if reader is None:
        return bytes(count)
    _check_state(reader, _NUMERIC_STATE)
    raw = bytes(reader._dbfile.get(reader._basepos, min(reader._count, count)))
    return raw + bytes(count - len(raw))


def column_values(column_reader, count: int) -> list:
    """One segment's raw column values (``translate=False``), read as one block.

    whoosh reads a column value per document (a file read and an unpack each): about
    a second per 70,000 documents. Variable-length bytes (ID fields) are sliced and
    fixed-size numbers (NUMERIC) unpacked at C speed.
    """
    kind = type(column_reader)
    if kind is columns.VarBytesColumn.Reader:
        _check_state(column_reader, _VARBYTES_STATE)
        lengths = column_reader._lengths
        data = bytes(column_reader._dbfile.get(column_reader._basepos, sum(lengths)))
        ends = list(accumulate(lengths))
        values = list(map(data.__getitem__, map(slice, [0, *ends[:-1]], ends)))
        return values + [b""] * (count - len(values))
    if kind is columns.NumericColumn.Reader:
        _check_state(column_reader, _NUMERIC_STATE)
        written = min(column_reader._count, count)
        numbers = array(column_reader._typecode,
                        column_reader._dbfile.get(column_reader._basepos, written * column_reader._fixedlen))
        if sys.byteorder == "little" and numbers.itemsize > 1:
            numbers.byteswap()       # whoosh packs big-endian ("!")
        default = column_reader._unpack(column_reader._defaultbytes)[0]
        return numbers.tolist() + [default] * (count - written)
    raise FastPathUnavailable(f"no block read for a {kind.__qualname__} column")


def _raw(matcher) -> bool:
    """True for a whoosh 3 posting matcher (block reads), False for a deletions filter."""
    if type(matcher) is whoosh3.W3LeafMatcher:
        _check_state(matcher, _MATCHER_STATE)
        return True
    if type(matcher) is FilterMatcher:
        return False
    raise FastPathUnavailable(f"no block read for a {type(matcher).__name__} matcher")


def _read_ids(matcher) -> tuple:
    """The ids of the matcher's current block, decoded once.

    whoosh stores them as deltas and sums them in a Python generator (a third of a
    verbatim lookup's time); `accumulate` sums them at C speed, to the same tuple."""
    if matcher._ids is None:
        if matcher._data is None:
            matcher._read_data()
        ids = matcher._data[0]
        matcher._ids = ids if matcher._byteids else tuple(accumulate(ids))
    return matcher._ids


def _block(matcher):
    """(id, weight) pairs of the matcher's current posting block, decoded once."""
    _read_ids(matcher)
    if matcher._weights is None:
        matcher._read_weights()
    return zip(matcher._ids, matcher._weights)


def block_ids(matcher) -> list[int]:
    """Every document id of a posting list, a block's ids taken whole (whoosh's
    ``all_ids()`` yields one per generator step)."""
    if not _raw(matcher):
        return list(matcher.all_ids())
    ids: list[int] = []
    while matcher.is_active():
        ids.extend(_read_ids(matcher)[matcher._i:])
        matcher._next_block()
    return ids


def postings(matcher, wanted: list[int] | None = None, wanted_set: set[int] | None = None):
    """(docnum, weight) of a posting list: for the leaf-local docnums in sorted `wanted`
    (and the same as `wanted_set`), or all; blocks holding no wanted id are skipped
    from their header, without decoding."""
    if not _raw(matcher):
        yield from _stepped(matcher, wanted)
        return
    if wanted is None:
        while matcher.is_active():
            yield from _block(matcher)
            matcher._next_block()
        return
    at = 0
    while matcher.is_active() and at < len(wanted):
        top = matcher.block_max_id()     # from the block's header: nothing decoded yet
        if top < wanted[at]:
            matcher._next_block()
            continue
        block = _block(matcher)
        yield from compress(block, map(wanted_set.__contains__, matcher._ids))
        at = bisect_right(wanted, top, at)
        matcher._next_block()


def posting_arrays(matcher) -> tuple[np.ndarray, np.ndarray]:
    """Every (docnum, weight) of a posting list as two arrays (int64, float64): the
    blocks' ids and weights gathered whole, for arithmetic over all of them at once."""
    if not _raw(matcher):
        pairs = list(_stepped(matcher, None))
        return (np.fromiter((d for d, _ in pairs), np.int64, len(pairs)),
                np.fromiter((w for _, w in pairs), np.float64, len(pairs)))
    ids, weights = [], []
    while matcher.is_active():
        ids.append(_read_ids(matcher))
        if matcher._weights is None:
            matcher._read_weights()
        weights.append(matcher._weights)
        matcher._next_block()
    count = sum(map(len, ids))
    return (np.fromiter(chain.from_iterable(ids), np.int64, count),
            np.fromiter(chain.from_iterable(weights), np.float64, count))


def _stepped(matcher, wanted):
    """`postings` through the public matcher API (a segment with deletions)."""
    value = matcher.weight
    if wanted is None:
        while matcher.is_active():
            yield matcher.id(), value()
            matcher.next()
        return
    for docnum in wanted:
        if not matcher.is_active():
            return
        matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            yield docnum, value()


class SpillPool(writing.PostingPool):
    """whoosh's posting pool with spill runs written and read in chunks.

    A writer's pool spills sorted postings to a run file past ``limitmb`` and merges
    the runs at commit; whoosh writes and reads a run a posting at a time (a pickle
    call each, ≈20 % of a sub-writer's CPU at 3,000 reports). Here a call pickles
    `CHUNK` postings; what reaches the segment is unchanged.
    """

    def write_run(self, f, items):
        """Write one sorted run to the open file `f` (and close it)."""
        items = iter(items)
        try:
            while chunk := list(islice(items, CHUNK)):
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        finally:
            f.close()

    def _write_run(self, f, items):
        self.write_run(f, items)

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


def use_spill_pool(writer: writing.SegmentWriter) -> writing.SegmentWriter:
    """Give a fresh (still empty) writer a `SpillPool` with the same limit."""
    old = writer.pool
    writer.pool = SpillPool(old.tempstore, old.segment, limitmb=old.limit // (1024 * 1024))
    return writer


class _SubWriterTask(multiproc.SubWriterTask):
    def run(self):
        # In the sub-writer's own process: its SegmentWriter is built inside run().
        writing.PostingPool = SpillPool
        super().run()


class MpWriter(multiproc.MpWriter):
    """whoosh's multi-process writer whose sub-writers spill through `SpillPool`."""

    def _new_task(self):
        task = _SubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                              self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self):
        """Kill the sub-writers, then cancel as whoosh does.

        whoosh's own cancel only flags its copies of the sub-writers in this process;
        the sub-writers themselves would wait for their next job forever, and this
        process with them when it exits (multiprocessing joins its children at exit).
        SIGKILL, not SIGTERM: a sub-writer forked a moment ago may still run its
        parent's SIGTERM handler (`index.sigterm`), and what it wrote is abandoned anyway.
        The jobs no sub-writer will read are dropped, or this process would wait at
        exit to flush them into the queue's full pipe.
        """
        try:
            for task in self.tasks:
                if task.pid is not None:
                    task.kill()
            for task in self.tasks:
                if task.pid is not None:
                    task.join()
            for queue in (self.jobqueue, self.resultqueue):
                queue.cancel_join_thread()
                queue.close()
        finally:
            super().cancel()
