"""The documents of many reports, made on several processes while the cluster indexes.

Making a report's documents is the OpenSearch build's own CPU work: jieba cuts its
prose, titles, tables and agency name, and its text becomes bigrams
(`index.opensearch.documents.report_sources`). One process does it for a few reports
(and for ``add``); a build with `PARALLEL_MIN_REPORTS` or more hands batches of
`BATCH` reports to `workers` child processes, each with the build's jieba dictionary,
and yields their documents in report-id order as they come back. At most two
batches per child are out at once, so the build holds a bounded number of reports in
memory whatever the corpus (the rest wait in the spool: `index.spool`).

API: `made(winners, words, findings, workers, changes=None) -> Iterator[(report_id,
parsed, original name or None, documents)]`, `terms_cutter(words)`.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from typing import Iterator

from index.analysis import jieba_analyzer
from index.documents import original_name
from index.opensearch.documents import report_sources
from index.opensearch.ledger import keeps_original
from index.reading import Parsed

PARALLEL_MIN_REPORTS = 40
BATCH = 16
_terms = None      # a child's cutter (`_start`)


def terms_cutter(words: tuple[str, ...]):
    """The jieba terms of a text, cut with the dictionary `words` (prepared now)."""
    analyzer = jieba_analyzer(words)
    analyzer.prepare()
    return analyzer.terms_of


def _start(words: tuple[str, ...]) -> None:
    global _terms
    _terms = terms_cutter(words)


def _make(jobs: list[tuple]) -> list[list[dict]]:
    return [report_sources(report, _terms, original=name, source=source, url=url, findings=findings,
                           changes=changes)
            for report, name, source, url, findings, changes in jobs]


def _job(rid: str, item: Parsed, findings: dict, changes: dict) -> tuple:
    name = original_name(rid, item.path) if keeps_original(item.path) else None
    return item.report(), name, item.source, item.url, findings.get(rid), changes.get(rid)


def made(winners: dict[str, Parsed], words: tuple[str, ...], findings: dict[str, list],
         workers: int, changes: dict[str, dict] | None = None) -> Iterator[tuple[str, Parsed, str | None, list[dict]]]:
    """Each winner's (id, parsed file, original's name, documents), in id order; the
    documents carry its audit `findings` and its change record (`changes`:
    `index.changes`) by report id."""
    ordered = sorted(winners.items())
    changes = changes or {}
    if workers < 2 or len(ordered) < PARALLEL_MIN_REPORTS:
        terms = terms_cutter(words)
        for rid, item in ordered:
            report, name, source, url, found, change = _job(rid, item, findings, changes)
            yield rid, item, name, report_sources(report, terms, original=name, source=source, url=url,
                                                  findings=found, changes=change)
        return
    batches = iter([ordered[start:start + BATCH] for start in range(0, len(ordered), BATCH)])
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start, initargs=(words,)) as pool:
        pending: deque = deque()

        def send() -> None:
            batch = next(batches, None)
            if batch is not None:
                jobs = [_job(rid, item, findings, changes) for rid, item in batch]
                pending.append((batch, [job[1] for job in jobs], pool.apply_async(_make, (jobs,))))

        for _ in range(2 * workers):
            send()
        while pending:
            batch, names, result = pending.popleft()
            documents = result.get()
            send()
            for (rid, item), name, sources in zip(batch, names, documents):
                yield rid, item, name, sources
