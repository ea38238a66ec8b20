"""Writing reports into a generation's whoosh index, and their original files beside it.

`write_reports` adds every chosen report's documents (`index.documents`) with one
commit, copying each original file into the generation for "download original";
`rewrite` writes again the reports whose audit findings changed after an add or a
remove; `remove_original` deletes a replaced or removed report's copy. The writer's
settings live here because they decide the build's speed and memory:

Parsing runs on a process pool (`index.reading`), writing on whoosh's multi-process
writer (one segment per core, no final merge). The cost is whoosh's, per posting
(≈10 µs each in pure Python), and jieba's; the bigram postings (70 % of them when
they were a whoosh field) are written beside whoosh after the commit
(`index.bigram_writer`), and `analysis.CountsFormat` gives each word's count without a
token per occurrence and without positions. Past `WRITER_LIMIT_MB` a sub-writer spills sorted postings to disk and merges
them at commit; `whoosh_adapter.SpillPool` makes that cheap enough that a smaller pool
costs no time.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from tqdm import tqdm
from whoosh import index as whoosh_index

from index import documents, store, whoosh_adapter
from index import schema as fields
from index.audit.update import Audited
from index.reading import Parsed

# Below this many reports one writer is quicker than starting sub-writers.
PARALLEL_WRITE_MIN_REPORTS = 40
# Each sub-writer's posting pool, in MB by whoosh's own size estimate. With
# `whoosh_adapter.SpillPool` a 3,000-report build took the same time at 128 as at 384 (45-46 s)
# and its largest process peaked at 463 MB instead of 790 MB; 64 saved only 80 MB more
# and cost 2-3 % more CPU.
WRITER_LIMIT_MB = 128
# Segments as separate files, not one compound file: whoosh copies a compound file's
# part into memory every time a searcher opens it (tens of ms per search on a few
# thousand reports); separate files are read in place.
WRITER_OPTIONS = {"compound": False}


def _codec():
    """whoosh's codec without per-block length statistics.

    With them, writing a segment looks up the document's field length for every
    posting (and, for a field without lengths, asks the file system whether the length
    file exists, once per posting): ≈10 % of the build's CPU. They only tighten the
    score bound whoosh uses to skip blocks in a top-N search; without them the bound
    takes the shortest possible length, so it stays an upper bound and no hit is lost
    (search/ scores every hit anyway, ``optimize=False``).
    """
    from whoosh.codec.whoosh3 import W3Codec

    codec = W3Codec()
    codec.length_stats = False
    return codec


def _copy_original(generation: Path, rid: str, item: Parsed) -> str | None:
    """Copy the original file into the generation (for "download original"); its name."""
    if not os.path.isfile(item.path):
        return None  # a report made in code (tests) has no file
    name = documents.original_name(rid, item.path)
    shutil.copyfile(item.path, generation / store.ORIGINALS / name)
    return name


# Fields an index built before they existed lacks; ``add`` and ``remove`` write it without them.
LATER_FIELDS = (fields.SOURCE_URL, fields.CHANGE, fields.CHANGES_JSON)


def _known(ix, document: dict) -> dict:
    """`document` without the `LATER_FIELDS` the index's schema lacks."""
    for name in LATER_FIELDS:
        if name not in ix.schema:
            document.pop(name, None)
    return document


def write_reports(ix, winners: dict[str, Parsed], generation: Path, workers: int, progress: bool,
                  delete_first: bool = False, findings: dict[str, list] | None = None,
                  changes: dict[str, dict] | None = None) -> int:
    """Add every winner's documents with one commit; return how many documents were added.

    `findings` are the audit's findings by report id (`index.audit`), `changes` the
    change records (`index.changes`)."""
    findings, changes = findings or {}, changes or {}
    parallel = workers > 1 and len(winners) >= PARALLEL_WRITE_MIN_REPORTS and not delete_first
    if parallel:
        writer = whoosh_adapter.MpWriter(ix, procs=workers, limitmb=WRITER_LIMIT_MB, multisegment=True,
                                batchsize=64, codec=_codec(), **WRITER_OPTIONS)
    else:
        writer = whoosh_adapter.use_spill_pool(ix.writer(limitmb=WRITER_LIMIT_MB, codec=_codec(),
                                                **WRITER_OPTIONS))
    added = 0
    bar = tqdm(total=len(winners), desc="index", unit="report", file=sys.stderr,
               disable=not progress, leave=False)
    try:
        for rid, item in sorted(winners.items()):
            if delete_first:
                writer.delete_by_term(fields.REPORT_ID, rid)
            original = _copy_original(generation, rid, item)
            for document in documents.documents(item.report(), original=original, source=item.source,
                                                url=item.url, findings=findings.get(rid),
                                                changes=changes.get(rid)):
                writer.add_document(**_known(ix, document))
                added += 1
            bar.update()
        bar.set_description("index (writing segments)")
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        bar.close()
    return added


def rewrite(ix, changed: Audited) -> None:
    """Write again, with their new findings and change records, the indexed reports whose
    findings or record changed."""
    if not changed.rewrite:
        return
    with ix.writer(**WRITER_OPTIONS) as writer:
        for rid, (report, stored) in sorted(changed.rewrite.items()):
            writer.delete_by_term(fields.REPORT_ID, rid)
            for document in documents.documents(report, original=stored.get(fields.ORIGINAL),
                                                source=stored.get(fields.SOURCE),
                                                url=stored.get(fields.SOURCE_URL),
                                                findings=changed.findings_of(rid, stored),
                                                changes=changed.changes_of(rid, stored)):
                writer.add_document(**_known(ix, document))


def create_index(generation: Path, schema):
    """An empty whoosh index with `schema` in a new generation's index folder."""
    folder = generation / store.INDEX_DIR
    folder.mkdir(exist_ok=True)
    return whoosh_index.create_in(str(folder), schema)


def remove_original(generation: Path, stored: dict) -> None:
    """Delete the copy of the original file of a report (its `stored` report document)."""
    name = stored.get(fields.ORIGINAL)
    if name and Path(name).name == name:
        (generation / store.ORIGINALS / name).unlink(missing_ok=True)
