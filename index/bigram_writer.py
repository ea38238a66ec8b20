"""Writing each whoosh segment's bigram postings (`index.bigrams`) after a commit.

`write_missing(generation, workers)` gives every segment of the generation's index
that has no bigram folder yet its folder, and deletes the folders of segments whoosh
merged away. It reads the sections' stored text back from the committed segment, so
the folder holds exactly the segment's docnums, whatever wrote the segment (a build's
sub-writers, an `add`, a merge) — and an index built before these folders existed
gains them the same way (``python -m index bigrams``).

Memory stays bounded whatever the segment's size: sections are read a batch of
`BATCH` postings at a time, each batch's postings sorted by bucket and appended to
three spill files; then each bucket's postings, gathered from every batch, are sorted
by bigram (stable: docnums and positions keep their order) and appended to the
output. A bucket holds ≈ 1/`BUCKETS` of the segment. A folder is written under a
temporary name and renamed when complete: a reader never sees half of one.
"""
from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from whoosh.filedb.filestore import FileStorage

from index import schema as f
from index.folding import bigram_keys
from index.bigrams import ARRAYS, BUCKETS, FOLDER, FORMAT, META, bucket_of, is_written, run_starts
from index.documents import searchable_text
from index.whoosh_adapter import segment_name

BATCH = 1 << 20          # postings per batch (≈ 60 MB of arrays while it is sorted)
_SPILLED = (("key", np.uint64), ("doc", np.uint32), ("pos", np.uint32))


def _section_keys(leaf):
    """(docnum, bigram keys) of every live section of the segment, in docnum order."""
    for docnum in range(leaf.doc_count_all()):
        if leaf.is_deleted(docnum):
            continue
        stored = leaf.stored_fields(docnum)
        if stored.get(f.KIND) != f.KIND_SECTION:
            continue
        tables = json.loads(stored.get(f.TABLES_JSON) or "[]")
        yield docnum, bigram_keys(searchable_text(stored.get(f.TEXT_FIELD) or "", tables))


class _Spill:
    """The batches of one segment, each sorted by bucket, in three files."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files = {name: open(folder / f"spill.{name}", "wb") for name, _ in _SPILLED}
        self.counts: list[np.ndarray] = []      # per batch: postings per bucket

    def add(self, keys: list, docs: list) -> None:
        if not keys:
            return
        lengths = np.array([len(k) for k in keys], dtype=np.int64)
        key = np.concatenate(keys)
        doc = np.repeat(np.asarray(docs, dtype=np.uint32), lengths)
        pos = (np.arange(len(key), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths))
        bucket = bucket_of(key >> np.uint64(21)).astype(np.int64)
        order = np.argsort(bucket, kind="stable")
        for (name, dtype), values in zip(_SPILLED, (key, doc, pos)):
            self.files[name].write(values[order].astype(dtype).tobytes())
        self.counts.append(np.bincount(bucket, minlength=BUCKETS))

    def buckets(self):
        """Each bucket's (keys, docs, positions), gathered from every batch (all `BUCKETS`
        of them, empty ones too)."""
        for handle in self.files.values():
            handle.close()
        counts = np.array(self.counts, dtype=np.int64).reshape(-1, BUCKETS)
        batch_starts = np.cumsum(counts.sum(axis=1)) - counts.sum(axis=1)
        within = np.cumsum(counts, axis=1) - counts
        # Read with plain reads, not a memory map: mapped pages would count in the
        # process's resident memory until the whole spill had been touched.
        handles = [open(self.folder / f"spill.{name}", "rb") for name, _ in _SPILLED]
        try:
            for bucket in range(BUCKETS):
                spans = [(int(batch_starts[i] + within[i, bucket]), int(counts[i, bucket]))
                         for i in range(len(counts)) if counts[i, bucket]]
                yield tuple(_read_spans(handle, dtype, spans)
                            for handle, (_, dtype) in zip(handles, _SPILLED))
        finally:
            for handle in handles:
                handle.close()


def _read_spans(handle, dtype, spans: list[tuple[int, int]]) -> np.ndarray:
    """The values at (start, count) spans of a spill file, one after the other."""
    size = np.dtype(dtype).itemsize
    parts = []
    for start, count in spans:
        handle.seek(start * size)
        parts.append(np.frombuffer(handle.read(count * size), dtype=dtype))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


class _Output:
    """The folder's arrays, appended bucket by bucket."""

    def __init__(self, folder: Path):
        self.files = {name: open(folder / name, "wb") for name in ARRAYS}
        self.sizes = {"keys": 0, "postings": 0, "chars": 0, "char_docs": 0}
        self.key_buckets, self.char_buckets = [0], [0]

    def _write(self, name: str, values) -> None:
        self.files[name].write(np.asarray(values, dtype=ARRAYS[name]).tobytes())

    def bucket(self, key, doc, pos) -> None:
        if len(key):
            order = np.argsort(key, kind="stable")
            key, doc, pos = key[order], doc[order], pos[order]
            key_at = run_starts(key)
            self._write("keys", key[key_at])
            self._write("key_postings", key_at + self.sizes["postings"])
            self._write("docs", doc)
            self._write("positions", pos)
            # Each (first character, document) once: the one-character lookup's lists.
            char_doc = np.unique((key >> np.uint64(21)) << np.uint64(32) | doc.astype(np.uint64))
            char = char_doc >> np.uint64(32)
            char_at = run_starts(char)
            self._write("chars", char[char_at])
            self._write("char_docs_at", char_at + self.sizes["char_docs"])
            self._write("char_docs", char_doc & np.uint64(0xFFFFFFFF))
            for name, size in (("keys", len(key_at)), ("postings", len(key)),
                               ("chars", len(char_at)), ("char_docs", len(char_doc))):
                self.sizes[name] += size
        self.key_buckets.append(self.sizes["keys"])
        self.char_buckets.append(self.sizes["chars"])

    def close(self, folder: Path) -> None:
        self._write("key_postings", [self.sizes["postings"]])
        self._write("char_docs_at", [self.sizes["char_docs"]])
        self._write("key_buckets", self.key_buckets)
        self._write("char_buckets", self.char_buckets)
        for handle in self.files.values():
            handle.close()
        (folder / META).write_text(json.dumps({"format": FORMAT, "buckets": BUCKETS, **self.sizes}),
                                   encoding="utf-8")


def write_segment(leaf, target: Path) -> None:
    """Write the folder of one segment (`leaf`, a whoosh segment reader) at `target`."""
    work = target.with_name(target.name + ".part")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    spill, output = _Spill(work), _Output(work)
    keys, docs, size = [], [], 0
    for docnum, section in _section_keys(leaf):
        keys.append(section)
        docs.append(docnum)
        size += len(section)
        if size >= BATCH:
            spill.add(keys, docs)
            keys, docs, size = [], [], 0
    spill.add(keys, docs)
    for key, doc, pos in spill.buckets():
        output.bucket(key, doc, pos)
    output.close(work)
    for name, _ in _SPILLED:
        (work / f"spill.{name}").unlink()
    old = target.with_name(target.name + ".old")      # a folder in another format: replaced
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(work, target)
    shutil.rmtree(old, ignore_errors=True)


def _leaves(ix):
    reader = ix.reader()
    return reader, [leaf for leaf, _ in reader.leaf_readers()]


def _open(index_dir: str):
    """The index, its files read with plain reads: whoosh maps them into memory
    otherwise, and reading every stored section would make them all resident."""
    return FileStorage(index_dir, supports_mmap=False).open_index()


def _write_named(index_dir: str, name: str, target: str) -> None:
    ix = _open(index_dir)
    reader, leaves = _leaves(ix)
    try:
        for leaf in leaves:
            if segment_name(leaf) == name:
                write_segment(leaf, Path(target))
    finally:
        reader.close()


def write_missing(generation: Path, index_dir: str = "index", workers: int = 1) -> list[str]:
    """Write the folders the generation's segments lack, delete those of segments gone;
    return the names of the segments written."""
    generation = Path(generation)
    folder = generation / FOLDER
    folder.mkdir(exist_ok=True)
    reader, leaves = _leaves(_open(str(generation / index_dir)))
    try:
        names = [str(segment_name(leaf)) for leaf in leaves]
    finally:
        reader.close()
    missing = [name for name in names if not is_written(folder / name)]
    jobs = [(str(generation / index_dir), name, str(folder / name)) for name in missing]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(min(workers, len(jobs))) as pool:
            list(pool.map(_write_named, *zip(*jobs)))
    else:
        for job in jobs:
            _write_named(*job)
    for stale in folder.iterdir():
        if stale.name not in names:
            shutil.rmtree(stale, ignore_errors=True)
    return missing
