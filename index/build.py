"""Build, add to and remove from the index, each into a new generation swapped in atomically.

`build` reads a corpus folder recursively, parses every file on all cores, each in a
child process held to the time and memory limits of `corpus.limits`, keeps one report per agency and year (the later file
wins: newer modification time, then later path order — the summary lists every
replaced file), audits them (`index.audit`) and compares each with its agency's
previous one (`index.changes`, as each agency's reports pass to the audit), writes a
fresh generation and swaps it in (`index.store`). A file that
``python -m corpus fetch`` saved keeps the web address it came from (its folder's
``manifest.jsonl``; `source_urls`), shown on the report's page as 原文链接. A refused
file never stops a build; a build with nothing readable fails with `BuildFailed` and
leaves the live index untouched.

`add` and `remove` change one or a few reports without a rebuild: they hard-link the
live generation into a new one, update it with a whoosh writer (re-auditing and
re-comparing the reports the change touches: `index.audit.update`) and swap it in. They
keep the live generation's jieba dictionary (so queries keep cutting text exactly
as it was indexed); an agency first seen through `add` joins the dictionary at the
next full build (its text is still found word by word and through the bigrams).

The pieces: `index.plan` (what every engine's build decides before writing: parsing,
choosing, refusals, the audit, the change records), `index.reading` (files to parsed reports, one per agency and year),
`index.bigram_writer` (each segment's bigram postings beside whoosh, read by the
verbatim lookup), `index.spool` (where a full build keeps them on disk until written, so its memory
does not grow with the corpus),
`index.writing` (the whoosh writer, original files, and why its settings are what they
are), `index.summary` (what the CLI prints and each generation keeps), `index.store`
(generations and the atomic swap), `index.manifest` (what add and remove leave for the
next build), `index.lock` (one writer at a time: a build holds it from before it reads
that ledger — ``added/``, ``removed.json`` and the ids the live generation serves, which
`index.plan` takes as arguments — until its swap, so an add or remove finishing
meanwhile is never undone).
"""
from __future__ import annotations

import json
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index

from index import manifest, store
from index.audit.update import after_change
from index.bigram_writer import write_missing
from index import schema as fields
from corpus.ocr import cache as ocr_cache
from index.plan import (BuildFailed, corpus_jobs, nothing_removed, plan_add, plan_build, read_corpus,
                        worker_count)
from index.reading import OcrTally, Parsed
from index.schema import make_schema
from index.spool import Spool
from index.summary import Summary, count_changes, count_findings, index_counts, indexed_report_ids
from index.writing import WRITER_OPTIONS, create_index, remove_original, rewrite, write_reports

__all__ = ["BuildFailed", "build", "build_from", "add", "remove", "worker_count"]


def _finish(root: Path, generation: Path, summary: Summary, started: float, grace: float,
            workers: int = 1) -> Summary:
    # Every segment's bigram postings beside whoosh (index.bigrams), before it is served.
    write_missing(generation, store.INDEX_DIR, workers)
    ix = whoosh_index.open_dir(str(generation / store.INDEX_DIR))
    counts = index_counts(ix)
    summary.reports, summary.sections = counts["reports"], counts["sections"]
    summary.agencies, summary.years = counts["agencies"], counts["years"]
    summary.generation = generation.name
    summary.seconds = time.monotonic() - started
    (generation / store.SUMMARY).write_text(
        json.dumps(summary.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    store.swap_in(root, generation)
    store.clean_up(root, grace)
    return summary


def _abandon(generation: Path) -> None:
    """Delete a generation that failed, unless it was already swapped in (then it is live)."""
    if store.current_generation(generation.parent.parent) == generation.name:
        return
    shutil.rmtree(generation, ignore_errors=True)


# --- the three operations --------------------------------------------------------------

def build(corpus: str | Path = store.DEFAULT_CORPUS, root: str | Path = store.DEFAULT_ROOT,
          workers: int | None = None, progress: bool = False,
          grace: float = store.GRACE_SECONDS, parse_seconds: float | None = None,
          prune: bool = False) -> Summary:
    """Index every report under `corpus`, and those `index add` kept, into a new
    generation of `root` and swap it in; reports `index remove` took out stay out.

    A file that takes longer than `parse_seconds` (default: `corpus.limits.PARSE_SECONDS`)
    or more memory than `corpus.limits.PARSE_MEMORY_MB` to parse is refused, like an
    unreadable one.

    :raise BuildFailed: when the corpus is missing or holds no readable report, or when
        the build would drop reports the served index has and `prune` is false; the
        live index is then left as it was.
    """
    started = time.monotonic()
    corpus, root, workers = Path(corpus), Path(root), worker_count(workers)
    if not corpus.is_dir():
        raise BuildFailed(f"The corpus folder {corpus} does not exist.")
    # Held from before the build reads what `add` and `remove` left (added/ here,
    # removed.json and the served ids in `build_from`) until its swap, so one that
    # finishes meanwhile is never undone: it waits, and applies on top.
    with store.write_lock(root, "build"):
        jobs = corpus_jobs(corpus, manifest.added_files(root))
        # Each parsed report waits on disk, not in memory, until the writers take it (index.spool).
        with Spool() as spool:
            ocr = OcrTally(store.ocr_cache_dir(root), time.time())
            parsed = read_corpus(corpus, jobs, workers, progress, parse_seconds, spool, ocr)
            summary = build_from(parsed, root, files=len(jobs), workers=workers, progress=progress,
                                 grace=grace, started=started, where=str(corpus),
                                 removed=manifest.removed_ids(root), prune=prune, ocr=ocr)
            ocr_cache.prune(ocr.folder, ocr.keys)   # entries of files no longer in the corpus
            return summary


def build_from(parsed: list[Parsed], root: str | Path = store.DEFAULT_ROOT, files: int | None = None,
               workers: int | None = None, progress: bool = False,
               grace: float = store.GRACE_SECONDS, started: float | None = None,
               where: str = "the corpus", removed: set[str] = frozenset(), prune: bool = False,
               ocr: OcrTally | None = None) -> Summary:
    """Write already-parsed files into a new generation of `root` and swap it in.

    Reports in `removed` are left out (listed as removed). Reports the served index
    has and this build would not are listed, and need `prune` to be dropped
    (`index.plan.plan_build`). The served ids are read under the write lock, held until
    the swap (`build` holds it already, from before it read `removed`).

    :raise BuildFailed: when no parsed file is a report, or reports would be dropped
        without `prune`; the live index is left as it was.
    """
    started = time.monotonic() if started is None else started
    root, workers = Path(root), worker_count(workers)
    files = len(parsed) if files is None else files
    with store.write_lock(root, "build"):
        plan = plan_build(parsed, files, where, set(removed), lambda: _served_report_ids(root), prune, ocr)
        summary = plan.summary
        schema = make_schema(plan.names)
        schema[fields.TEXT_FIELD].analyzer.prepare()  # once, before sub-writers fork
        generation = store.new_generation(root)
        try:
            ix = create_index(generation, schema)
            added = write_reports(ix, plan.winners, generation, workers, progress, findings=plan.findings,
                                  changes=plan.changes)
            held = ix.refresh().doc_count()
            if held != plan.expected or added != plan.expected:
                raise BuildFailed(f"The index holds {held} documents instead of {plan.expected}; "
                                  "the build was abandoned and the index left as it was.", summary)
            return _finish(root, generation, summary, started, grace, workers)
        except BaseException:
            _abandon(generation)
            raise


def _served_report_ids(root: Path) -> set[str]:
    """The ids of the reports the live generation serves (none when there is none)."""
    name = store.current_generation(root)
    if name is None:
        return set()
    try:
        ix = whoosh_index.open_dir(str(store.generation_dir(root, name) / store.INDEX_DIR))
    except Exception:  # noqa: BLE001 - a damaged index protects nothing; the build replaces it
        return set()
    return indexed_report_ids(ix)


def _live(root: Path) -> str:
    name = store.current_generation(root)
    if name is None:
        raise BuildFailed(f"No index under {root} yet: build one first with: python -m index build")
    return name


def add(files: list[str | Path], root: str | Path = store.DEFAULT_ROOT, progress: bool = False,
        grace: float = store.GRACE_SECONDS) -> Summary:
    """Add (or replace) the reports in `files` without a rebuild.

    :raise BuildFailed: when there is no index yet or none of the files is readable.
    """
    started = time.monotonic()
    root = Path(root)
    winners, summary = plan_add(files, progress, OcrTally(store.ocr_cache_dir(root), time.time()))
    with _copy_of_live(root, "add") as (generation, ix):
        for rid, old in _stored_reports(ix, sorted(winners)).items():
            if old:
                summary.replaced.append({"report_id": rid, "replaced": old.get(fields.SOURCE, rid),
                                         "by": winners[rid].source})
                remove_original(generation, old)
        audited = time.monotonic()
        changed = after_change(ix, {rid: item.result for rid, item in winners.items()}, ())
        count_findings(summary, changed.findings, time.monotonic() - audited)
        count_changes(summary, changed.changes)
        write_reports(ix, winners, generation, 1, progress, delete_first=True, findings=changed.findings,
                      changes=changed.changes)
        rewrite(ix, changed)
        summary.added = sorted(winners)
        # Kept where the next full build reads them (before the swap: a copy that fails
        # abandons the add, so nothing is served that a rebuild would lose).
        for rid, item in winners.items():
            manifest.keep_added(root, rid, item.path)
        return _finish(root, generation, summary, started, grace)


@contextmanager
def _copy_of_live(root: Path, what: str):
    """Under the write lock (held as the `what`): a hard-linked copy of the live generation
    and its index, to change and swap in; abandoned (the live index untouched) if anything
    raises."""
    with store.write_lock(root, what):
        generation = store.copy_generation(root, _live(root))
        try:
            ix = whoosh_index.open_dir(str(generation / store.INDEX_DIR))
            if fields.FINDINGS_JSON not in ix.schema:
                raise BuildFailed(f"The index under {root} was built before the audit (年报体检) existed "
                                  "and cannot keep its findings right; rebuild it first with: "
                                  "python -m index build. Nothing was changed.")
            yield generation, ix
        except BaseException:
            _abandon(generation)
            raise


def _stored_reports(ix, report_ids) -> dict:
    """Each id's stored report document (empty when the index has no such report)."""
    with ix.searcher() as searcher:
        return {rid: searcher.document(**{fields.DOC_ID: rid, fields.KIND: fields.KIND_REPORT})
                for rid in dict.fromkeys(report_ids)}


def remove(report_ids: list[str], root: str | Path = store.DEFAULT_ROOT,
           grace: float = store.GRACE_SECONDS) -> Summary:
    """Remove reports by id without a rebuild.

    :raise BuildFailed: when there is no index yet or none of the ids is in it.
    """
    started = time.monotonic()
    root = Path(root)
    summary = Summary("remove")
    with _copy_of_live(root, "remove") as (generation, ix):
        stored = _stored_reports(ix, report_ids)
        summary.removed = [rid for rid, doc in stored.items() if doc]
        summary.not_found = [rid for rid, doc in stored.items() if not doc]
        if not summary.removed:
            raise BuildFailed(nothing_removed(summary.not_found, indexed_report_ids(ix)))
        audited = time.monotonic()
        changed = after_change(ix, {}, summary.removed)
        count_findings(summary, changed.findings, time.monotonic() - audited)
        count_changes(summary, changed.changes)
        with ix.writer(**WRITER_OPTIONS) as writer:
            for rid in summary.removed:
                writer.delete_by_term(fields.REPORT_ID, rid)
                remove_original(generation, stored[rid])
        manifest.remember_removed(root, summary.removed)   # the next build leaves them out too
        rewrite(ix, changed)
        return _finish(root, generation, summary, started, grace)
