"""Build, add to and remove from an OpenSearch index: the whoosh build's steps, another writer.

`build` reads the corpus and chooses, refuses, audits and compares each report with
its agency's previous one exactly as the whoosh build does (`index.plan`), takes in what ``add`` and ``remove`` left in the cluster's ledger
(`index.opensearch.ledger`), then writes a new generation and flips the alias to it
(`index.opensearch.generations`): its documents made on every core
(`index.opensearch.making`), bulk-written with refresh off and no replicas, merged,
counted, flipped in one ``_aliases`` call, the old index deleted. If
anything fails the alias is left as it was and the new index deleted. The jieba
dictionary is made from the corpus's agency and region names, as whoosh's is, and
kept in the generation document, so the site cuts queries with the very dictionary
the build used.

`add` and `remove` change the live generation in place (there is no copy to swap in:
a cluster's index is shared by every reader) — documents written, replaced or
deleted by id, the audit re-run and the touched agency's reports compared again with
their predecessors (`index.audit.update.audit_change`), the generation document's ``changed_at`` moved
so the site drops what it derived from the old state, and a refresh. They keep the
live dictionary, as whoosh's do. Each writes the ledger first, so a rebuild keeps
the change even if the in-place update fails half-way (run it again).

Writers of one alias take turns, as whoosh's do, under the same write lock
(`index.lock`): not on a whoosh index root (an alias has none) but on a folder of its
own beside this machine's, ``<REPORTS_INDEX_PATH>/opensearch/<alias>/.lock``
(`lock_root`; the OCR cache a build shares with whoosh's is there too). A build holds
it from before it reads the ledger and the served ids until its alias is flipped, an
``add`` or ``remove`` while it writes the ledger and the live generation, so an add or
remove started during a build waits for it (saying so, at most
``REPORTS_LOCK_WAIT_SECONDS``) and then applies on top instead of being undone by the
flip. The lock is a file: it serialises the writers started on this machine. The
ledger and the alias are the cluster's, so run an alias's writers from one machine;
should two machines' builds flip at once, the second `index.opensearch.generations.flip`
fails as a whole, but an add on one machine during a build on another would be lost.

The command line runs these as it runs whoosh's (index/__main__.py): the processes a
build forks (the parse pool, `index.opensearch.making`'s document makers) die with it
even under SIGKILL (`index.children`), and SIGTERM raises `index.sigterm.Terminated`,
on which a build deletes the index it was writing; it is checked once more just before
the flip (`index.opensearch.generations.flip`), so a SIGTERM that landed in a fork
still stops the build before its generation goes live.

Any failure is a `index.plan.BuildFailed` whose message ends with what was left as it
was; the CLI prints it.

API: `Target(url, alias)`, `build(corpus, target, …)`, `build_from(parsed, target, …)`,
`add(files, target)`, `remove(report_ids, target)`, `audit_rows(target)`, `lock_root(target)`.
"""
from __future__ import annotations

import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from opensearchpy.exceptions import OpenSearchException
from tqdm import tqdm

from config.settings import DEFAULTS, current
from index.analysis import domain_words
from index.audit.update import audit_change
from index.documents import original_name
from index.lock import write_lock
from index.opensearch import generations, reading
from index.opensearch import mapping as m
from index.opensearch.bulk import BulkFailed, delete_action, index_action, write
from index.opensearch.client import connect
from index.opensearch.documents import generation_source, original_source, report_sources
from index.opensearch.generations import GRACE_SECONDS, GenerationFailed
from index.opensearch.ledger import Ledger, keeps_original, readable_original
from index.opensearch.making import made, terms_cutter
from index.plan import BuildFailed, corpus_jobs, nothing_removed, plan_add, plan_build, read_corpus, worker_count
from index.reading import OcrTally, Parsed
from index.spool import Spool
from index.store import DEFAULT_CORPUS, ocr_cache_dir
from index.summary import Summary, count_changes, count_findings


@dataclass(frozen=True)
class Target:
    """Where a build writes: the cluster (one URL, or several comma-separated) and the
    alias the site reads."""

    url: str = DEFAULTS.opensearch_url
    alias: str = DEFAULTS.opensearch_index

    def client(self):
        return connect(self.url)


FAILURES = (OpenSearchException, BulkFailed, GenerationFailed)
LOCKS = "opensearch"     # under REPORTS_INDEX_PATH: a folder per alias, holding its write lock


def lock_root(target: Target) -> Path:
    """The folder whose write lock (`index.lock`) the writers of ``target.alias`` on this
    machine take turns under: ``<REPORTS_INDEX_PATH>/opensearch/<alias>``."""
    return Path(current().index_path) / LOCKS / target.alias


@contextmanager
def _writing(target: Target, what: str):
    """Hold the alias's write lock for the block, as the `what` (build, add, remove).
    :raise index.lock.IndexLocked: when it cannot be had within ``lock_wait_seconds``."""
    with write_lock(lock_root(target), what):
        yield


def _failed(error: Exception, target: Target, summary: Summary | None, left: str) -> BuildFailed:
    return BuildFailed(f"OpenSearch at {target.url}: {error}. {left}", summary)


def _actions(index: str, winners: dict[str, Parsed], words: tuple[str, ...], findings: dict[str, list],
             changes: dict[str, dict], workers: int, bar) -> Iterator[dict]:
    """Every document of every winner (`index.opensearch.making`), and its original file
    if it has one."""
    for rid, item, name, sources in made(winners, words, findings, workers, changes):
        for source in sources:
            yield index_action(index, source)
        content = readable_original(item.path) if name else None
        if content is not None:
            yield index_action(index, original_source(rid, sources[-1][m.AGENCY], name, content))
        del content
        bar.update()


def _write_winners(client, index: str, winners: dict[str, Parsed], words: tuple[str, ...], findings,
                   changes, progress: bool, workers: int = 1, after_each=None) -> None:
    bar = tqdm(total=len(winners), desc="index", unit="report", file=sys.stderr,
               disable=not progress, leave=False)
    try:
        write(client, _actions(index, winners, words, findings, changes, workers, bar), progress=after_each)
    finally:
        bar.close()


def _finish_summary(client, index: str, summary: Summary, started: float) -> Summary:
    found = reading.counts(client, index)
    summary.reports, summary.sections = found["reports"], found["sections"]
    summary.agencies, summary.years = found["agencies"], found["years"]
    summary.generation = index
    summary.seconds = time.monotonic() - started
    return summary


def ocr_tally() -> OcrTally:
    """What OCR costs this build, its results cached where this machine's whoosh builds
    keep theirs (beside ``REPORTS_INDEX_PATH``'s generations: a scanned file is read once
    for both engines)."""
    return OcrTally(ocr_cache_dir(Path(current().index_path)), time.time())


def default_replicas(client) -> int:
    """One replica when the cluster has a second data node to hold it, else none."""
    return 1 if client.cluster.health()["number_of_data_nodes"] > 1 else 0


# --- build ----------------------------------------------------------------------------

def build(corpus: str | Path = DEFAULT_CORPUS, target: Target = Target(),
          workers: int | None = None, progress: bool = False, parse_seconds: float | None = None,
          prune: bool = False, shards: int = 1, replicas: int | None = None,
          grace: float = GRACE_SECONDS) -> Summary:
    """Index every report under `corpus`, and those the ledger kept, into a new generation
    behind ``target.alias``; reports ``index remove`` took out stay out (see the module
    docstring; the arguments are the whoosh build's, plus the new index's primary
    `shards` and `replicas` — default one when the cluster has two data nodes).

    :raise BuildFailed: when the corpus is missing or holds no readable report, when the
        build would drop served reports without `prune`, or when the cluster fails;
        the alias is then left as it was.
    """
    started = time.monotonic()
    corpus, workers = Path(corpus), worker_count(workers)
    if not corpus.is_dir():
        raise BuildFailed(f"The corpus folder {corpus} does not exist.")
    client = target.client()
    # Held from before the ledger is read until the flip (here and in `build_from`), so
    # an add or remove finishing meanwhile is never undone: it waits, and applies on top.
    with _writing(target, "build"), Spool() as spool, tempfile.TemporaryDirectory(prefix="ledger-") as folder:
        try:
            ledger = Ledger(client, target.alias)
            removed, added = ledger.removed_ids(), ledger.added_reports(Path(folder))
        except OpenSearchException as error:
            raise _failed(error, target, None, "Nothing was changed.") from None
        jobs = corpus_jobs(corpus, added.files)
        ocr = ocr_tally()
        parsed = read_corpus(corpus, jobs, workers, progress, parse_seconds, spool, ocr)
        for item in parsed:
            item.url = added.urls.get(item.source, item.url)
        for n, item in enumerate(added.parsed):
            item.order, item.url = len(jobs) + n, added.urls.get(item.source)
        return build_from(parsed + added.parsed, target, files=len(jobs) + len(added.parsed), workers=workers,
                          progress=progress, started=started, where=str(corpus), removed=removed, prune=prune,
                          shards=shards, replicas=replicas, grace=grace, ocr=ocr)


def build_from(parsed: list[Parsed], target: Target, files: int | None = None, workers: int | None = None,
               progress: bool = False, started: float | None = None, where: str = "the corpus",
               removed: set[str] = frozenset(), prune: bool = False, shards: int = 1,
               replicas: int | None = None, grace: float = GRACE_SECONDS, ocr: OcrTally | None = None) -> Summary:
    """Write already-parsed files into a new generation and flip the alias to it
    (`build` without the reading), under the alias's write lock (`lock_root`): the
    served ids are read under it, and it is held until the flip.
    :raise BuildFailed: :raise index.lock.IndexLocked:"""
    with _writing(target, "build"):
        return _build_from(parsed, target, files=files, workers=workers, progress=progress, started=started,
                           where=where, removed=removed, prune=prune, shards=shards, replicas=replicas,
                           grace=grace, ocr=ocr)


def _build_from(parsed: list[Parsed], target: Target, *, files: int | None, workers: int | None, progress: bool,
                started: float | None, where: str, removed: set[str], prune: bool, shards: int,
                replicas: int | None, grace: float, ocr: OcrTally | None) -> Summary:
    started = time.monotonic() if started is None else started
    workers = worker_count(workers)
    client = target.client()
    alias = target.alias
    files = len(parsed) if files is None else files
    left = f"The alias {alias} was left as it was."
    try:
        plan = plan_build(parsed, files, where, set(removed),
                          lambda: reading.served_report_ids(client, generations.live(client, alias)), prune, ocr)
        replicas = default_replicas(client) if replicas is None else replicas
        generations.delete_stale(client, alias, grace)
        name = generations.new_name(alias)
        generations.create(client, name, shards)
    except FAILURES as error:
        raise _failed(error, target, None, left) from None
    summary = plan.summary
    words = domain_words(plan.names)
    try:
        beat = generations.heartbeat(client, name)
        _write_winners(client, name, plan.winners, words, plan.findings, plan.changes, progress, workers, beat)
        now = time.time()
        write(client, [index_action(name, generation_source(words, now, now))])
        generations.finish(client, name, replicas, {
            m.KIND_REPORT: len(plan.winners), m.KIND_SECTION: plan.expected - len(plan.winners),
            m.KIND_GENERATION: 1})
        old = generations.flip(client, alias, name)
    except FAILURES as error:
        generations.abandon(client, alias, name)
        raise _failed(error, target, summary, f"The build was abandoned. {left}") from None
    except BaseException:
        generations.abandon(client, alias, name)
        raise
    for index in old:
        if generations.is_generation(index, alias):
            client.indices.delete(index=index, ignore_unavailable=True)
    return _finish_summary(client, name, summary, started)


# --- add and remove -------------------------------------------------------------------

def _live(client, target: Target) -> str:
    name = generations.live(client, target.alias)
    if name is None:
        raise BuildFailed(f"No index behind the alias {target.alias} at {target.url} yet: build one first "
                          f"with: python -m index build --engine opensearch --opensearch-url {target.url}")
    return name


def _dictionary(client, index: str) -> dict:
    found = reading.generation(client, index)
    if found is None:
        raise GenerationFailed(f"the index {index} has no generation document (not written by this build)")
    return found


def _rewrite(client, index: str, changed, words: tuple[str, ...]) -> None:
    """Write again, with their new findings and change records, the reports whose
    findings or record changed."""
    terms = terms_cutter(words)
    actions = []
    for rid, (report, stored) in sorted(changed.rewrite.items()):
        actions += [index_action(index, source) for source in
                    report_sources(report, terms, original=stored.get(m.ORIGINAL), source=stored.get(m.SOURCE),
                                   url=stored.get(m.SOURCE_URL), findings=changed.findings_of(rid, stored),
                                   changes=changed.changes_of(rid, stored))]
    write(client, actions)


def _changed(client, index: str, found: dict) -> None:
    """Move the generation's ``changed_at`` (the site's cue to derive its data again) and refresh."""
    words = tuple(found["words"])
    write(client, [index_action(index, generation_source(words, found["built_at"], time.time()))])
    client.indices.refresh(index=index)


def add(files: list[str | Path], target: Target, progress: bool = False) -> Summary:
    """Add (or replace) the reports in `files` in the live generation, without a rebuild.

    :raise BuildFailed: when there is no index yet, none of the files is readable, or the
        cluster fails.
    """
    started = time.monotonic()
    winners, summary = plan_add(files, progress, ocr_tally())
    client = target.client()
    with _writing(target, "add"):
        return _add(client, target, winners, summary, progress, started)


def _add(client, target: Target, winners: dict[str, Parsed], summary: Summary, progress: bool,
         started: float) -> Summary:
    try:
        index = _live(client, target)
        found = _dictionary(client, index)
        words = tuple(found["words"])
        stored = reading.StoredReports(client, index)
        old = stored.reports(sorted(winners))
        for rid, document in old.items():
            if document:
                summary.replaced.append({"report_id": rid, "replaced": document.get(m.SOURCE, rid),
                                         "by": winners[rid].source})
        audited = time.monotonic()
        changed = audit_change(stored, {rid: item.result for rid, item in winners.items()}, ())
        count_findings(summary, changed.findings, time.monotonic() - audited)
        count_changes(summary, changed.changes)
        ledger = Ledger(client, target.alias)
        for rid, item in sorted(winners.items()):
            ledger.keep_added(rid, item.result, original_name(rid, item.path) if keeps_original(item.path) else None,
                              item.url, item.path)
        stale = [pair for rid, document in old.items() if document
                 for pair in reading.report_documents(client, index, rid)]
        written = set()
        _write_winners(client, index, winners, words, changed.findings, changed.changes, progress,
                       after_each=lambda item: written.add(next(iter(item.values()))["_id"]))
        write(client, [delete_action(index, doc, route) for doc, route in stale if doc not in written])
        _rewrite(client, index, changed, words)
        _changed(client, index, found)
        summary.added = sorted(winners)
        return _finish_summary(client, index, summary, started)
    except FAILURES as error:
        raise _failed(error, target, summary, "Run the same add again: it replaces what it wrote.") from None


def remove(report_ids: list[str], target: Target) -> Summary:
    """Remove reports by id from the live generation, without a rebuild.

    :raise BuildFailed: when there is no index yet, none of the ids is in it, or the
        cluster fails.
    """
    started = time.monotonic()
    summary = Summary("remove")
    client = target.client()
    with _writing(target, "remove"):
        return _remove(client, target, report_ids, summary, started)


def _remove(client, target: Target, report_ids: list[str], summary: Summary, started: float) -> Summary:
    try:
        index = _live(client, target)
        found = _dictionary(client, index)
        words = tuple(found["words"])
        stored = reading.StoredReports(client, index)
        documents = stored.reports(report_ids)
        summary.removed = [rid for rid, doc in documents.items() if doc]
        summary.not_found = [rid for rid, doc in documents.items() if not doc]
        if not summary.removed:
            raise BuildFailed(nothing_removed(summary.not_found, reading.served_report_ids(client, index)))
        audited = time.monotonic()
        changed = audit_change(stored, {}, summary.removed)
        count_findings(summary, changed.findings, time.monotonic() - audited)
        count_changes(summary, changed.changes)
        Ledger(client, target.alias).remember_removed(summary.removed)   # the next build leaves them out too
        write(client, [delete_action(index, doc, route) for rid in summary.removed
                       for doc, route in reading.report_documents(client, index, rid)])
        _rewrite(client, index, changed, words)
        _changed(client, index, found)
        return _finish_summary(client, index, summary, started)
    except FAILURES as error:
        raise _failed(error, target, summary, "Run the same remove again: it deletes what is left.") from None


def audit_rows(target: Target) -> list[dict]:
    """`index.audit.stored.audit_row` of every report the alias serves (agency, then year).
    :raise BuildFailed: when there is no index or the cluster fails."""
    client = target.client()
    try:
        return reading.every_report(client, _live(client, target))
    except FAILURES as error:
        raise _failed(error, target, None, "") from None
