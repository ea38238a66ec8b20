"""Build, add to and remove from the index, each into a new generation swapped in atomically.

`build` reads a corpus folder recursively, parses every file on all cores, each in a
child process held to the time and memory limits of `corpus.limits`, keeps one report per agency and year (the later file
wins: newer modification time, then later path order — the summary lists every
replaced file), writes a fresh generation and swaps it in (`index.store`). A file that
``python -m corpus fetch`` saved keeps the web address it came from (its folder's
``manifest.jsonl``; `source_urls`), shown on the report's page as 原文链接. A refused
file never stops a build; a build with nothing readable fails with `BuildFailed` and
leaves the live index untouched.

`add` and `remove` change one or a few reports without a rebuild: they hard-link the
live generation into a new one, update it with a whoosh writer and swap it in. They
keep the live generation's jieba dictionary (so queries keep cutting text exactly
as it was indexed); an agency first seen through `add` joins the dictionary at the
next full build (its text is still found word by word and through the bigrams).

The pieces: `index.reading` (files to parsed reports, one per agency and year),
`index.bigram_writer` (each segment's bigram postings beside whoosh, read by the
verbatim lookup), `index.spool` (where a full build keeps them on disk until written, so its memory
does not grow with the corpus),
`index.writing` (the whoosh writer, original files, and why its settings are what they
are), `index.summary` (what the CLI prints and each generation keeps), `index.store`
(generations and the atomic swap), `index.manifest` (what add and remove leave for the
next build), `index.lock` (one writer at a time: a build holds it from before it reads
that ledger until its swap, so an add or remove finishing meanwhile is never undone).
"""
from __future__ import annotations

import difflib
import json
import os
import shutil
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index

from corpus.fetch import manifest as fetched
from index import manifest, store
from index.audit.run import audit_groups
from index.audit.update import after_change
from index.bigram_writer import write_missing
from index import schema as fields
from index.documents import text_bytes
from corpus.ocr import cache as ocr_cache
from index.reading import OcrTally, Parsed, choose, find_files, parse_all, source_urls
from index.schema import make_schema
from index.spool import Spool
from index.summary import Summary, count_findings, index_counts, indexed_report_ids
from index.writing import WRITER_OPTIONS, create_index, remove_original, rewrite, write_reports


class BuildFailed(Exception):
    """Nothing was changed; the message says why. `summary` has what was read."""

    def __init__(self, message: str, summary: "Summary | None" = None):
        super().__init__(message)
        self.summary = summary


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


def worker_count(workers: int | None) -> int:
    """The processes to use: `workers`, or every core."""
    return max(1, workers or os.cpu_count() or 1)


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
    # Held from before the build reads what `add` and `remove` left until its swap, so
    # one that finishes meanwhile is never undone: it waits, and applies on top.
    with store.write_lock(root, "build"):
        # The Path objects are not kept: ~600 bytes a file for the whole build (60 MB at 100k).
        jobs = [(order, str(path), path.relative_to(corpus).as_posix())
                for order, path in enumerate(find_files(corpus))]
        kept = manifest.added_files(root)
        jobs += [(len(jobs) + n, str(path), f"{manifest.ADDED}/{path.name}") for n, path in enumerate(kept)]
        # Each parsed report waits on disk, not in memory, until the writers take it (index.spool).
        with Spool() as spool:
            ocr = OcrTally(store.ocr_cache_dir(root), time.time())
            parsed = parse_all(jobs, workers, progress, parse_seconds, spool=spool, ocr=ocr)
            urls = source_urls(corpus)
            for item in parsed:
                item.url = urls.get(item.source)
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
    has and this build would not are listed, and need `prune` to be dropped.

    :raise BuildFailed: when no parsed file is a report, or reports would be dropped
        without `prune`; the live index is left as it was.
    """
    started = time.monotonic() if started is None else started
    root, workers = Path(root), worker_count(workers)
    files = len(parsed) if files is None else files
    winners, replaced, refused = choose(parsed)
    summary = Summary("build", files=files, refused=refused, replaced=replaced)
    if ocr is not None:
        summary.ocr_files, summary.ocr_pages = ocr.files, ocr.pages
        summary.ocr_seconds, summary.ocr_cached = ocr.seconds, ocr.cached
    summary.removed = sorted(rid for rid in winners if rid in removed)
    winners = {rid: item for rid, item in winners.items() if rid not in removed}
    if not winners:
        why = "it holds no files" if not files else f"all {files} files were refused"
        raise BuildFailed(f"No readable report in {where}: {why}. The index was left as it was.",
                          summary)
    dropped = sorted(_served_report_ids(root) - set(winners) - set(removed))
    if dropped and not prune:
        shown = ", ".join(dropped[:20]) + (f" and {len(dropped) - 20} more" if len(dropped) > 20 else "")
        raise BuildFailed(f"This build would drop {len(dropped)} report(s) the served index has: {shown}. "
                          "Put their files back in the corpus (or add them with `python -m index add`), "
                          "or build again with --prune to drop them. The index was left as it was.", summary)
    summary.pruned = dropped
    summary.text_bytes = sum(item.about.text_bytes for item in winners.values())
    names = {name for item in winners.values() for name in (item.about.agency, item.about.region)}
    schema = make_schema(names)
    schema[fields.TEXT_FIELD].analyzer.prepare()  # once, before sub-writers fork
    expected = sum(item.about.sections + 1 for item in winners.values())
    audited = time.monotonic()
    findings = _audit(winners)
    count_findings(summary, findings, time.monotonic() - audited)
    with store.write_lock(root, "build"):
        generation = store.new_generation(root)
        try:
            ix = create_index(generation, schema)
            added = write_reports(ix, winners, generation, workers, progress, findings=findings)
            held = ix.refresh().doc_count()
            if held != expected or added != expected:
                raise BuildFailed(f"The index holds {held} documents instead of {expected}; "
                                  "the build was abandoned and the index left as it was.", summary)
            return _finish(root, generation, summary, started, grace, workers)
        except BaseException:
            _abandon(generation)
            raise


def _audit(winners: dict[str, Parsed]) -> dict[str, list[dict]]:
    """The audit's findings for the chosen reports, read one agency at a time and then one
    year at a time (`index.audit.run.audit_groups`): never all of them at once."""
    by_agency: dict[str, list[Parsed]] = defaultdict(list)
    by_year: dict[int, list[Parsed]] = defaultdict(list)
    for item in winners.values():
        by_agency[item.about.agency].append(item)
        by_year[item.about.year].append(item)
    return audit_groups(([item.report() for item in group] for group in by_agency.values()),
                        ((item.report() for item in group) for group in by_year.values()))


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
    paths = [Path(f) for f in files]
    jobs = [(order, str(path), path.name) for order, path in enumerate(paths)]
    parsed = parse_all(jobs, 1, progress, ocr=OcrTally(store.ocr_cache_dir(root), time.time()))
    for item in parsed:
        item.url = fetched.source_url_of(item.path)
    winners, replaced, refused = choose(parsed)
    summary = Summary("add", files=len(paths), refused=refused, replaced=replaced)
    if not winners:
        raise BuildFailed("None of the files is a readable report; the index was left as it was.",
                          summary)
    summary.text_bytes = sum(text_bytes(item.result) for item in winners.values())
    with _copy_of_live(root, "add") as (generation, ix):
        for rid, old in _stored_reports(ix, sorted(winners)).items():
            if old:
                summary.replaced.append({"report_id": rid, "replaced": old.get(fields.SOURCE, rid),
                                         "by": winners[rid].source})
                remove_original(generation, old)
        audited = time.monotonic()
        changed = after_change(ix, {rid: item.result for rid, item in winners.items()}, ())
        count_findings(summary, changed.findings, time.monotonic() - audited)
        write_reports(ix, winners, generation, 1, progress, delete_first=True, findings=changed.findings)
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


def _nothing_removed(unknown: list[str], served: set[str]) -> str:
    """Why a remove changed nothing: the ids it was given, the nearest served ones."""
    near = sorted({match for rid in unknown for match in difflib.get_close_matches(rid, served, n=3, cutoff=0.6)})
    return (f"Nothing was removed: the index has no report with the id {', '.join(unknown)} (it serves "
            f"{len(served)} report{'' if len(served) == 1 else 's'}, each under the id <agency>-<year>, "
            "as in /reports/<id>"
            + (f"; the nearest: {', '.join(near)}" if near else "") + "). The index was left as it was.")


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
            raise BuildFailed(_nothing_removed(summary.not_found, indexed_report_ids(ix)))
        audited = time.monotonic()
        changed = after_change(ix, {}, summary.removed)
        count_findings(summary, changed.findings, time.monotonic() - audited)
        with ix.writer(**WRITER_OPTIONS) as writer:
            for rid in summary.removed:
                writer.delete_by_term(fields.REPORT_ID, rid)
                remove_original(generation, stored[rid])
        manifest.remember_removed(root, summary.removed)   # the next build leaves them out too
        rewrite(ix, changed)
        return _finish(root, generation, summary, started, grace)
