"""Positional bigram postings kept beside whoosh, one folder per segment, read with numpy.

Why: whoosh stores each posting's positions as a pickled list inside pickled, zlib'd
blocks; decoding them in Python costs ≈ 1 µs a posting, and the verbatim lookup of a
common string reads hundreds of thousands of them (bench/RESULTS.md). Here
the same postings are flat integer arrays in files that numpy maps into memory: a
lookup slices them without decoding anything.

What is indexed is exactly what `index.analysis.BigramTokenizer` indexes: at
position i of a section's whitespace-free, folded searchable text, the bigram
(i, i+1), the last character paired with `END` (`index.folding.bigram_keys`). A bigram is
one integer, ``ord(first) << 21 | ord(second)``.

Layout of ``<generation>/bigrams/<segment id>/`` (all little-endian, raw; `meta.json`
holds the counts and the format version). Keys are grouped in `BUCKETS` buckets by
their first character (so a character's bigrams share a bucket), sorted within one:

=====================  ======  ==========================================================
``keys``               u64 K   the distinct bigrams, bucket by bucket, ascending within one
``key_buckets``        i64     B+1 starts of each bucket in ``keys``
``key_postings``       i64     K+1 start of each bigram's postings
``docs``               u32 N   each posting's docnum (ascending within one bigram)
``positions``          u32 N   each posting's position (ascending within one document)
``chars``              u32 C   the distinct first characters, bucket by bucket
``char_buckets``       i64     B+1 starts of each bucket in ``chars``
``char_docs_at``       i64     C+1 start of each character's documents in ``char_docs``
``char_docs``          u32 Q   the docnums holding a bigram starting with the character
=====================  ======  ==========================================================

Eight bytes a posting: most bigrams occur once or twice in a section, so a docnum
per posting is smaller than a (document, count) list would be, and the documents of
a bigram are found by binary search in its slice of ``docs``.

Deleted documents are left out when a folder is written; a document whoosh deletes
later is still listed, so readers drop deleted docnums (`search.verbatim`). The writer
is `index.bigram_writer`.

API: `SegmentBigrams(folder)` (``count(key)``, ``postings(key)``, ``holding(key, docs)``,
``positions(key, docs)``, ``char_docs(code)``), `open_segment(folder)` (kept open),
`forget(generation_folder)`, `is_written(folder)`, `bucket_of`, `gram_key`, `run_starts`,
`FOLDER`, `BUCKETS`, `FORMAT`.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

FOLDER = "bigrams"     # inside a generation, beside whoosh's `index` folder
FORMAT = 2
BUCKETS = 256
META = "meta.json"
ARRAYS = {"keys": np.uint64, "key_buckets": np.int64, "key_postings": np.int64,
          "docs": np.uint32, "positions": np.uint32,
          "chars": np.uint32, "char_buckets": np.int64, "char_docs_at": np.int64,
          "char_docs": np.uint32}
_EMPTY = np.zeros(0, dtype=np.uint32)


def gram_key(gram: str) -> int:
    """A two-character bigram (or a character and `END`) as one integer."""
    return ord(gram[0]) << 21 | ord(gram[1])


def bucket_of(first):
    """The bucket of a first character's code (an int or a numpy array of them)."""
    return ((np.asarray(first, dtype=np.uint64) * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)) \
        * np.uint64(BUCKETS) >> np.uint64(32)


def run_starts(values: np.ndarray) -> np.ndarray:
    """The indices where a run of equal neighbours begins in `values` (sorted, or grouped)."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))


def _array(folder: Path, name: str) -> np.ndarray:
    path = folder / name
    dtype = ARRAYS[name]
    if path.stat().st_size == 0:
        return np.zeros(0, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r")


class SegmentBigrams:
    """One segment's bigram postings, memory-mapped (read-only)."""

    def __init__(self, folder: str | Path):
        folder = Path(folder)
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{folder}: bigram format {meta.get('format')!r}, expected {FORMAT}")
        a = {name: _array(folder, name) for name in ARRAYS}
        self.keys, self.key_postings = a["keys"], a["key_postings"]
        self.all_docs, self.all_positions = a["docs"], a["positions"]
        self.chars, self.char_docs_at, self.all_char_docs = a["chars"], a["char_docs_at"], a["char_docs"]
        self.key_buckets, self.char_buckets = np.asarray(a["key_buckets"]), np.asarray(a["char_buckets"])

    @staticmethod
    def _find(values, buckets, value: int, first: int) -> int | None:
        bucket = int(bucket_of(first))
        lo, hi = int(buckets[bucket]), int(buckets[bucket + 1])
        at = lo + int(np.searchsorted(values[lo:hi], value))
        return at if at < hi and int(values[at]) == value else None

    def _span(self, key: int) -> tuple[int, int]:
        at = self._find(self.keys, self.key_buckets, key, key >> 21)
        if at is None:
            return 0, 0
        return int(self.key_postings[at]), int(self.key_postings[at + 1])

    def count(self, key: int) -> int:
        """How many times the bigram occurs in the segment."""
        lo, hi = self._span(key)
        return hi - lo

    def postings(self, key: int) -> np.ndarray:
        """The docnums holding the bigram, ascending, each once (int64)."""
        lo, hi = self._span(key)
        docs = np.asarray(self.all_docs[lo:hi], dtype=np.int64)
        return docs[run_starts(docs)]

    def holding(self, key: int, docs: np.ndarray) -> np.ndarray:
        """Those of `docs` (ascending) that hold the bigram."""
        lo, hi = self._span(key)
        span = self.all_docs[lo:hi]
        return docs[np.searchsorted(span, docs, "right") > np.searchsorted(span, docs, "left")]

    def positions(self, key: int, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(docnum, position) of every occurrence of the bigram in `docs` (ascending):
        two int64 arrays, ordered by docnum then position."""
        lo, hi = self._span(key)
        span = self.all_docs[lo:hi]
        starts = np.searchsorted(span, docs, "left")
        lengths = np.searchsorted(span, docs, "right") - starts
        total = int(lengths.sum())
        if not total:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        # Every range [start, start + length) at once: a running index minus each
        # range's offset in the output, plus its start.
        offsets = np.cumsum(lengths) - lengths
        index = lo + np.arange(total, dtype=np.int64) + np.repeat(starts - offsets, lengths)
        return (np.repeat(np.asarray(docs, dtype=np.int64), lengths),
                self.all_positions[index].astype(np.int64))

    def char_docs(self, code: int) -> np.ndarray:
        """The docnums holding a bigram that starts with the character `code`."""
        at = self._find(self.chars, self.char_buckets, code, code)
        if at is None:
            return _EMPTY
        return self.all_char_docs[int(self.char_docs_at[at]):int(self.char_docs_at[at + 1])]


def is_written(folder: str | Path) -> bool:
    """True if the folder holds a segment's postings in this code's `FORMAT`."""
    try:
        meta = json.loads((Path(folder) / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return meta.get("format") == FORMAT


# The segments opened, by folder: an entry keeps its files mapped. A generation's
# entries are dropped (`forget`) once no search reads it any more (`index.store.IndexHandle`),
# so a replaced generation's disk space is freed when it is deleted; the bound is a
# safety net (a generation has a segment per build process and one per add or remove).
MAX_SEGMENTS = 256
_segments: OrderedDict[tuple[str, float], SegmentBigrams] = OrderedDict()
_segments_lock = threading.Lock()


def open_segment(folder: str | Path) -> SegmentBigrams | None:
    """The segment's postings if its folder was written in this `FORMAT` (None
    otherwise); kept open until `forget` (or the bound) drops them."""
    meta = Path(folder) / META
    try:
        stamp = meta.stat().st_mtime
    except OSError:
        return None
    key = (str(folder), stamp)
    with _segments_lock:
        found = _segments.get(key)
        if found is not None:
            _segments.move_to_end(key)
            return found
    try:
        opened = SegmentBigrams(folder)
    except ValueError:      # another format: `python -m index bigrams` writes it again
        return None
    with _segments_lock:
        found = _segments.setdefault(key, opened)
        while len(_segments) > MAX_SEGMENTS:
            _segments.popitem(last=False)
    return found


def forget(under: str | Path) -> int:
    """Drop the segments opened under folder `under` (a generation); how many. Their
    files stay mapped only while a caller still holds them."""
    prefix = str(under).rstrip("/") + "/"
    with _segments_lock:
        dropped = [key for key in _segments if key[0].startswith(prefix)]
        for key in dropped:
            del _segments[key]
    return len(dropped)
