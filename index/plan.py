"""What a build, an ``add`` and a ``remove`` decide before any engine writes a byte.

Every engine's build (`index.build` for whoosh, `index.opensearch.build` for
OpenSearch) goes through the same steps, and only the writing differs:

1. read the files (`read_corpus`: every file under the corpus folder, parsed on all
   cores with `index.reading`, each fetched file with the web address it came from);
2. choose one report per agency and year, list the refusals and the replaced
   duplicates, leave out the reports ``index remove`` took out, refuse to drop served
   reports unless asked to prune, audit what is left and compare each report with its
   agency's previous one (`index.changes`, as each agency's reports pass to the
   audit) (`plan_build` → `Plan`);
3. write them (the engine's business) and report what the index then holds
   (`index.summary.Summary`).

``add`` parses a few files on one process and chooses among them the same way
(`plan_add`). A plan that finds nothing to write raises `BuildFailed`, and the
engine has then changed nothing; a ``remove`` of ids the index does not serve says so
(`nothing_removed`).

What ``add`` and ``remove`` left for the next build — the kept added files
(`corpus_jobs`'s `kept`), the removed ids and the ids the live index serves
(`plan_build`'s `removed` and `served`) — is the engine's to read and hand in, and it
must read them under its write lock (`index.lock`), held from before the first of
them until its new generation is live: an ``add`` or ``remove`` started meanwhile then
waits for the build and applies on top, instead of finishing in between and being
undone by the build's swap. `index.build` holds the whoosh index root's lock;
`index.opensearch.build` the lock of its alias (`index.opensearch.build.lock_root`).
"""
from __future__ import annotations

import difflib
import os
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from corpus.fetch import manifest as fetched
from index.audit.run import audit_groups
from index.changes.run import alongside
from index.documents import text_bytes
from index.manifest import ADDED
from index.reading import OcrTally, Parsed, choose, find_files, parse_all, source_urls
from index.spool import Spool
from index.summary import Summary, count_changes, count_findings


class BuildFailed(Exception):
    """Nothing was changed; the message says why. `summary` has what was read."""

    def __init__(self, message: str, summary: "Summary | None" = None):
        super().__init__(message)
        self.summary = summary


def worker_count(workers: int | None) -> int:
    """The processes to use: `workers`, or every core."""
    return max(1, workers or os.cpu_count() or 1)


@dataclass
class Plan:
    """What a full build writes: one report per id, the summary so far, the audit's
    findings and the change records (`index.changes`) by report id, the names the
    jieba dictionary takes in, and how many documents (a report's sections and itself)
    the written index must hold."""

    winners: dict[str, Parsed]
    summary: Summary
    findings: dict[str, list[dict]]
    changes: dict[str, dict]
    names: set[str]
    expected: int


def corpus_jobs(corpus: Path, kept: list[Path] = ()) -> list[tuple[int, str, str]]:
    """The (order, path, source) of every file under `corpus`, then of the `kept` copies
    of added files (named ``added/<file>``: they come later, so they win a tie).

    :raise BuildFailed: when the corpus folder does not exist.
    """
    if not corpus.is_dir():
        raise BuildFailed(f"The corpus folder {corpus} does not exist.")
    # The Path objects are not kept: ~600 bytes a file for the whole build (60 MB at 100k).
    jobs = [(order, str(path), path.relative_to(corpus).as_posix())
            for order, path in enumerate(find_files(corpus))]
    jobs += [(len(jobs) + n, str(path), f"{ADDED}/{path.name}") for n, path in enumerate(kept)]
    return jobs


def read_corpus(corpus: Path, jobs: list[tuple[int, str, str]], workers: int, progress: bool,
                parse_seconds: float | None, spool: Spool, ocr: OcrTally | None = None) -> list[Parsed]:
    """Parse every job on `workers` processes into `spool`, each with the web address
    ``corpus fetch`` saved it from (if it did); `ocr` tallies what OCR cost."""
    parsed = parse_all(jobs, workers, progress, parse_seconds, spool=spool, ocr=ocr)
    urls = source_urls(corpus)
    for item in parsed:
        item.url = urls.get(item.source)
    return parsed


def plan_build(parsed: list[Parsed], files: int, where: str, removed: set[str],
               served: Callable[[], set[str]], prune: bool, ocr: OcrTally | None = None) -> Plan:
    """Choose, check, audit and compare what a full build writes (see the module docstring).

    `removed` are the ids ``index remove`` took out (left out, listed as removed);
    `served()` gives the ids the live index serves, so that a build that would drop
    some of them fails unless `prune`; `ocr` is what OCR cost the parse (summarized).

    :raise BuildFailed: when no parsed file is a report, or reports would be dropped
        without `prune`.
    """
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
    dropped = sorted(served() - set(winners) - set(removed))
    if dropped and not prune:
        shown = ", ".join(dropped[:20]) + (f" and {len(dropped) - 20} more" if len(dropped) > 20 else "")
        raise BuildFailed(f"This build would drop {len(dropped)} report(s) the served index has: {shown}. "
                          "Put their files back in the corpus (or add them with `python -m index add`), "
                          "or build again with --prune to drop them. The index was left as it was.", summary)
    summary.pruned = dropped
    summary.text_bytes = sum(item.about.text_bytes for item in winners.values())
    names = {name for item in winners.values() for name in (item.about.agency, item.about.region)}
    expected = sum(item.about.sections + 1 for item in winners.values())
    audited = time.monotonic()
    findings, changes, compared_seconds = audit(winners)
    count_findings(summary, findings, time.monotonic() - audited - compared_seconds)
    count_changes(summary, changes, compared_seconds)
    return Plan(winners, summary, findings, changes, names, expected)


def audit(winners: dict[str, Parsed]) -> tuple[dict[str, list[dict]], dict[str, dict], float]:
    """The audit's findings and the change records (`index.changes`) of the chosen reports,
    and the seconds the records took; read one agency at a time and then one year at a
    time (`index.audit.run.audit_groups`): never all of them at once, each agency's once
    for both."""
    by_agency: dict[str, list[Parsed]] = defaultdict(list)
    by_year: dict[int, list[Parsed]] = defaultdict(list)
    for item in winners.values():
        by_agency[item.about.agency].append(item)
        by_year[item.about.year].append(item)
    changes: dict[str, dict] = {}
    timer = [0.0]
    agencies = alongside(([item.report() for item in group] for group in by_agency.values()), changes, timer)
    findings = audit_groups(agencies, ((item.report() for item in group) for group in by_year.values()))
    return findings, changes, timer[0]


def plan_add(files: list[str | Path], progress: bool,
             ocr: OcrTally | None = None) -> tuple[dict[str, Parsed], Summary]:
    """Parse the files ``index add`` was given (one process) and choose one report per id.

    :raise BuildFailed: when none of them is a readable report.
    """
    paths = [Path(f) for f in files]
    jobs = [(order, str(path), path.name) for order, path in enumerate(paths)]
    parsed = parse_all(jobs, 1, progress, ocr=ocr)
    for item in parsed:
        item.url = fetched.source_url_of(item.path)
    winners, replaced, refused = choose(parsed)
    summary = Summary("add", files=len(paths), refused=refused, replaced=replaced)
    if not winners:
        raise BuildFailed("None of the files is a readable report; the index was left as it was.",
                          summary)
    summary.text_bytes = sum(text_bytes(item.result) for item in winners.values())
    return winners, summary


def nothing_removed(unknown: list[str], served: set[str]) -> str:
    """Why a ``remove`` changed nothing: the ids it was given, and the nearest ids served."""
    near = sorted({match for rid in unknown for match in difflib.get_close_matches(rid, served, n=3, cutoff=0.6)})
    return (f"Nothing was removed: the index has no report with the id {', '.join(unknown)} (it serves "
            f"{len(served)} report{'' if len(served) == 1 else 's'}, each under the id <agency>-<year>, "
            "as in /reports/<id>"
            + (f"; the nearest: {', '.join(near)}" if near else "") + "). The index was left as it was.")
