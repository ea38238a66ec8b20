"""Cheaper disk runs for whoosh's posting pool, and writers that use them.

A whoosh writer collects every posting of its segment in a `PostingPool`; past
``limitmb`` (by its own estimate, ≈180 bytes a posting) it sorts what it holds and
spills it to a run file on disk, and at commit it merges the runs. whoosh writes and
reads a run one posting at a time (a ``pickle.dump``/``pickle.load`` call each), which
at 3,000 reports made those two calls ≈20 % of a sub-writer's CPU — the part of the
build that grows faster than the corpus, since small builds never spill.

`SpillPool` writes the same sorted postings in pickled chunks of `CHUNK` (one call per
chunk; the repeated field name is pickled once per chunk) and reads them back a chunk
at a time, so memory stays bounded by the chunk, not the run. What reaches the
segment is unchanged: the same postings in the same order.
"""
from __future__ import annotations

import pickle
from itertools import islice

from whoosh import multiproc, writing

CHUNK = 1024


class SpillPool(writing.PostingPool):
    """whoosh's `PostingPool`, with runs written and read in chunks."""

    def _write_run(self, f, items):
        items = iter(items)
        try:
            while chunk := list(islice(items, CHUNK)):
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        finally:
            f.close()

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
