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

Speed: parsing runs on a process pool, writing on whoosh's multi-process writer (one
segment per core, no final merge). The cost is whoosh's, per posting (≈10 µs each in
pure Python, ≈500k postings per MB of report text, 70 % of them the bigram field),
more than jieba's; `analysis.PositionsFormat` removes the per-token overhead. Past
`WRITER_LIMIT_MB` a sub-writer spills sorted postings to disk and merges them at
commit; `whoosh_adapter.SpillPool` makes that cheap enough that a smaller pool costs no time.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm
from whoosh import index as whoosh_index
from whoosh.query import Term

from corpus.fetch import manifest as fetched
from corpus.limits import parse_many
from corpus.parse import parse_file
from corpus.report import Refusal, Report
from index import documents, manifest, store, whoosh_adapter
from index.audit import KINDS, LABELS, audit_reports
from index.audit.update import Audited, after_change
from index import schema as fields
from index.ids import report_id as make_report_id
from index.schema import make_schema

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


class BuildFailed(Exception):
    """Nothing was changed; the message says why. `summary` has what was read."""

    def __init__(self, message: str, summary: "Summary | None" = None):
        super().__init__(message)
        self.summary = summary


@dataclass
class Parsed:
    """One file's parse: where it came from, when it was modified, what it gave."""

    path: str
    source: str                    # the name shown for it: relative to the corpus folder
    mtime: float
    order: int                     # its place in path order
    result: Report | Refusal
    url: str | None = None         # the web address it was fetched from (DIR/manifest.jsonl)


@dataclass
class Summary:
    """What a build, add or remove did, and what the live index now holds."""

    action: str
    generation: str = ""
    files: int = 0
    reports: int = 0
    sections: int = 0
    agencies: int = 0
    years: dict[int, int] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)     # served before, dropped by build --prune
    refused: list[dict] = field(default_factory=list)   # {source, error}
    replaced: list[dict] = field(default_factory=list)  # {report_id, replaced, by}
    text_bytes: int = 0
    seconds: float = 0.0
    audit_seconds: float = 0.0     # the audit's share of `seconds` (index.audit)
    audited: int = 0               # reports whose findings were (re)computed
    findings: dict[str, int] = field(default_factory=dict)  # kind -> those reports having it

    def to_json(self) -> dict:
        data = asdict(self)
        data["years"] = {str(year): count for year, count in self.years.items()}
        return data

    def lines(self) -> list[str]:
        """The summary as the CLI prints it."""
        rate = self.text_bytes / 1e6 / self.seconds if self.seconds else 0.0
        out = [f"{self.action}: generation {self.generation or '(none)'} in {self.seconds:.1f} s"
               + (f" ({self.text_bytes / 1e6:.2f} MB of report text, {rate:.2f} MB/s)"
                  if self.text_bytes else "")]
        if self.files:
            out.append(f"  files read:      {self.files}")
        out += [f"  reports:         {self.reports}",
                f"  sections:        {self.sections}",
                f"  agencies:        {self.agencies}",
                "  years:           " + (", ".join(f"{year} ({count})" for year, count
                                                   in sorted(self.years.items())) or "-")]
        if self.audited:
            counts = ", ".join(f"{LABELS[kind]} {self.findings[kind]}" for kind in KINDS
                               if self.findings.get(kind))
            out.append(f"  audit:           {self.audited} reports in {self.audit_seconds:.1f} s"
                       + (f"; with findings: {counts}" if counts else "; no findings"))
        elif self.action == "remove" and self.removed:
            out.append(f"  audit:           no other report's findings changed ({self.audit_seconds:.1f} s)")
        if self.added:
            out.append(f"  added ({len(self.added)}): " + ", ".join(self.added))
        if self.removed:
            out.append(f"  removed ({len(self.removed)}): " + ", ".join(self.removed))
        if self.not_found:
            out.append(f"  not in the index ({len(self.not_found)}): " + ", ".join(self.not_found))
        if self.pruned:
            out.append(f"  dropped with --prune ({len(self.pruned)}): " + ", ".join(self.pruned))
        if self.refused:
            out.append(f"  refused files ({len(self.refused)}):")
            out += [f"    {item['source']}: {item['error']}" for item in self.refused]
        if self.replaced:
            out.append(f"  replaced duplicates ({len(self.replaced)}), same agency and year: "
                       + ("the added file replaces the indexed one:" if self.action == "add" else
                          "the later file wins (newer modification time, then later path order):"))
            out += [f"    {item['report_id']}: {item['replaced']} replaced by {item['by']}"
                    for item in self.replaced]
        return out


# --- reading files ---------------------------------------------------------------------

def find_files(corpus: Path) -> list[Path]:
    """Every regular file under `corpus`, in path order; hidden files and folders, and
    the manifests `corpus fetch` writes, skipped."""
    found = []
    for folder, subfolders, names in os.walk(corpus):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if not name.startswith(".") and name != fetched.MANIFEST and path.is_file():
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(corpus).parts)


def source_urls(corpus: Path) -> dict[str, str]:
    """File (relative to `corpus`, with /) -> the web address `corpus fetch` saved it from,
    from every manifest.jsonl under `corpus` (each lists files relative to its folder)."""
    found = {}
    for path in sorted(corpus.rglob(fetched.MANIFEST)):
        folder = path.parent.relative_to(corpus)
        if not any(part.startswith(".") for part in folder.parts):
            for name, url in fetched.source_urls(path.parent).items():
                found[(folder / name).as_posix()] = url
    return found


def parse_all(jobs: list[tuple[int, str, str]], workers: int, progress: bool,
              seconds: float | None = None, memory_mb: float | None = None) -> list[Parsed]:
    """Parse every (order, path, source) job on `workers` child processes, with a progress
    bar; each file is held to the time and memory limits of `corpus.limits` (refused past
    them, the build going on; None: those limits, 0: none)."""
    where = {order: (path, source) for order, path, source in jobs}
    bar = tqdm(total=len(jobs), desc="parse", unit="file", file=sys.stderr,
               disable=not progress, leave=False)
    parsed = []
    try:
        # parse_file looked up now, so a test's stand-in reaches the forked children.
        for order, result in parse_many(((order, path) for order, path, _ in jobs), workers, seconds,
                                        memory_mb, parse=parse_file):
            path, source = where[order]
            try:
                mtime = os.stat(path).st_mtime
            except OSError:
                mtime = 0.0
            result.source = source
            parsed.append(Parsed(path, source, mtime, order, result))
            bar.update()
    finally:
        bar.close()
    return parsed


def choose(parsed: list[Parsed]) -> tuple[dict[str, Parsed], list[dict], list[dict]]:
    """One report per id (the later file wins), the duplicates replaced, the refusals."""
    winners: dict[str, Parsed] = {}
    replaced, refused = [], []
    for item in sorted(parsed, key=lambda p: (p.mtime, p.order)):
        if isinstance(item.result, Refusal):
            refused.append({"source": item.source, "error": item.result.error})
            continue
        rid = documents.report_id(item.result)
        if rid in winners:
            replaced.append({"report_id": rid, "replaced": winners[rid].source, "by": item.source})
        winners[rid] = item
    refused.sort(key=lambda r: r["source"])
    return winners, replaced, refused


# --- writing ---------------------------------------------------------------------------

_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")


def _original_name(rid: str, path: str) -> str:
    suffix = Path(path).suffix.lower()
    return rid + (suffix if _SUFFIX.fullmatch(suffix) else "")


def _copy_original(generation: Path, rid: str, item: Parsed) -> str | None:
    """Copy the original file into the generation (for "download original"); its name."""
    if not os.path.isfile(item.path):
        return None  # a report made in code (tests) has no file
    name = _original_name(rid, item.path)
    shutil.copyfile(item.path, generation / store.ORIGINALS / name)
    return name


def _text_bytes(report: Report) -> int:
    return sum(len(documents.searchable_text(section.text, section.tables).encode("utf-8"))
               for section in report.sections)


def _write(ix, winners: dict[str, Parsed], generation: Path, workers: int, progress: bool,
           delete_first: bool = False, findings: dict[str, list] | None = None) -> int:
    """Add every winner's documents with one commit; return how many documents were added.

    `findings` are the audit's findings by report id (`index.audit`)."""
    findings = findings or {}
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
            for document in documents.documents(item.result, original=original, source=item.source,
                                                url=item.url, findings=findings.get(rid)):
                if fields.SOURCE_URL not in ix.schema:   # an index built before the field existed
                    document.pop(fields.SOURCE_URL, None)
                writer.add_document(**document)
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


def index_counts(ix) -> dict:
    """Reports, sections, agencies and years in the index, read from the index itself."""
    with ix.searcher() as searcher:
        report_docs = list(Term(fields.KIND, fields.KIND_REPORT).docs(searcher))
        section_docs = list(Term(fields.KIND, fields.KIND_SECTION).docs(searcher))
        agencies = searcher.reader().column_reader(fields.AGENCY)
        years_column = searcher.reader().column_reader(fields.YEAR)
        years: dict[int, int] = {}
        for docnum in report_docs:
            year = int(years_column[docnum])
            years[year] = years.get(year, 0) + 1
        return {"reports": len(report_docs), "sections": len(section_docs),
                "agencies": len({agencies[docnum] for docnum in report_docs}),
                "years": dict(sorted(years.items()))}


def _finish(root: Path, generation: Path, summary: Summary, started: float, grace: float) -> Summary:
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


def _workers(workers: int | None) -> int:
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
    corpus, root, workers = Path(corpus), Path(root), _workers(workers)
    if not corpus.is_dir():
        raise BuildFailed(f"The corpus folder {corpus} does not exist.")
    paths = find_files(corpus)
    jobs = [(order, str(path), path.relative_to(corpus).as_posix()) for order, path in enumerate(paths)]
    kept = manifest.added_files(root)
    jobs += [(len(jobs) + n, str(path), f"{manifest.ADDED}/{path.name}") for n, path in enumerate(kept)]
    parsed = parse_all(jobs, workers, progress, parse_seconds)
    urls = source_urls(corpus)
    for item in parsed:
        item.url = urls.get(item.source)
    return build_from(parsed, root, files=len(jobs), workers=workers, progress=progress,
                      grace=grace, started=started, where=str(corpus),
                      removed=manifest.removed_ids(root), prune=prune)


def build_from(parsed: list[Parsed], root: str | Path = store.DEFAULT_ROOT, files: int | None = None,
               workers: int | None = None, progress: bool = False,
               grace: float = store.GRACE_SECONDS, started: float | None = None,
               where: str = "the corpus", removed: set[str] = frozenset(), prune: bool = False) -> Summary:
    """Write already-parsed files into a new generation of `root` and swap it in.

    Reports in `removed` are left out (listed as removed). Reports the served index
    has and this build would not are listed, and need `prune` to be dropped.

    :raise BuildFailed: when no parsed file is a report, or reports would be dropped
        without `prune`; the live index is left as it was.
    """
    started = time.monotonic() if started is None else started
    root, workers = Path(root), _workers(workers)
    files = len(parsed) if files is None else files
    winners, replaced, refused = choose(parsed)
    summary = Summary("build", files=files, refused=refused, replaced=replaced)
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
    summary.text_bytes = sum(_text_bytes(item.result) for item in winners.values())
    names = {name for item in winners.values() for name in (item.result.agency, item.result.region)}
    schema = make_schema(names)
    schema[fields.TEXT_FIELD].analyzer.prepare()  # once, before sub-writers fork
    expected = sum(len(item.result.sections) + 1 for item in winners.values())
    audited = time.monotonic()
    findings = audit_reports([item.result for item in winners.values()])
    _count_findings(summary, findings, time.monotonic() - audited)
    with store.write_lock(root):
        generation = store.new_generation(root)
        try:
            ix = _create_index(generation, schema)
            added = _write(ix, winners, generation, workers, progress, findings=findings)
            held = ix.refresh().doc_count()
            if held != expected or added != expected:
                raise BuildFailed(f"The index holds {held} documents instead of {expected}; "
                                  "the build was abandoned and the index left as it was.", summary)
            return _finish(root, generation, summary, started, grace)
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
    with ix.searcher() as searcher:
        agencies = searcher.reader().column_reader(fields.AGENCY)
        years = searcher.reader().column_reader(fields.YEAR)
        return {make_report_id(agencies[docnum], int(years[docnum]))
                for docnum in Term(fields.KIND, fields.KIND_REPORT).docs(searcher)}
def _count_findings(summary: Summary, findings: dict[str, list], seconds: float) -> None:
    """Record in the summary how many reports were audited, how long it took, and how
    many of them have each kind of finding."""
    summary.audited = len(findings)
    summary.audit_seconds += seconds
    summary.findings = {kind: sum(1 for found in findings.values() if any(f["kind"] == kind for f in found))
                        for kind in KINDS}


def _create_index(generation: Path, schema):
    folder = generation / store.INDEX_DIR
    folder.mkdir(exist_ok=True)
    return whoosh_index.create_in(str(folder), schema)


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
    parsed = parse_all(jobs, 1, progress)
    for item in parsed:
        item.url = fetched.source_url_of(item.path)
    winners, replaced, refused = choose(parsed)
    summary = Summary("add", files=len(paths), refused=refused, replaced=replaced)
    if not winners:
        raise BuildFailed("None of the files is a readable report; the index was left as it was.",
                          summary)
    summary.text_bytes = sum(_text_bytes(item.result) for item in winners.values())
    with _copy_of_live(root) as (generation, ix):
        for rid, old in _stored_reports(ix, sorted(winners)).items():
            if old:
                summary.replaced.append({"report_id": rid, "replaced": old.get(fields.SOURCE, rid),
                                         "by": winners[rid].source})
                _remove_original(generation, old)
        audited = time.monotonic()
        changed = after_change(ix, {rid: item.result for rid, item in winners.items()}, ())
        _count_findings(summary, changed.findings, time.monotonic() - audited)
        _write(ix, winners, generation, 1, progress, delete_first=True, findings=changed.findings)
        _rewrite(ix, changed)
        summary.added = sorted(winners)
        # Kept where the next full build reads them (before the swap: a copy that fails
        # abandons the add, so nothing is served that a rebuild would lose).
        for rid, item in winners.items():
            manifest.keep_added(root, rid, item.path)
        return _finish(root, generation, summary, started, grace)


@contextmanager
def _copy_of_live(root: Path):
    """Under the write lock: a hard-linked copy of the live generation and its index, to
    change and swap in; abandoned (the live index untouched) if anything raises."""
    with store.write_lock(root):
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


def _remove_original(generation: Path, stored: dict) -> None:
    name = stored.get(fields.ORIGINAL)
    if name and Path(name).name == name:
        (generation / store.ORIGINALS / name).unlink(missing_ok=True)


def remove(report_ids: list[str], root: str | Path = store.DEFAULT_ROOT,
           grace: float = store.GRACE_SECONDS) -> Summary:
    """Remove reports by id without a rebuild.

    :raise BuildFailed: when there is no index yet or none of the ids is in it.
    """
    started = time.monotonic()
    root = Path(root)
    summary = Summary("remove")
    with _copy_of_live(root) as (generation, ix):
        stored = _stored_reports(ix, report_ids)
        summary.removed = [rid for rid, doc in stored.items() if doc]
        summary.not_found = [rid for rid, doc in stored.items() if not doc]
        if not summary.removed:
            raise BuildFailed("None of these report ids is in the index: "
                              + ", ".join(summary.not_found) + ". Nothing was changed.", summary)
        audited = time.monotonic()
        changed = after_change(ix, {}, summary.removed)
        _count_findings(summary, changed.findings, time.monotonic() - audited)
        with ix.writer(**WRITER_OPTIONS) as writer:
            for rid in summary.removed:
                writer.delete_by_term(fields.REPORT_ID, rid)
                _remove_original(generation, stored[rid])
        manifest.remember_removed(root, summary.removed)   # the next build leaves them out too
        _rewrite(ix, changed)
        return _finish(root, generation, summary, started, grace)


def _rewrite(ix, changed: Audited) -> None:
    """Write again, with their new findings, the indexed reports whose findings changed."""
    if not changed.rewrite:
        return
    with ix.writer(**WRITER_OPTIONS) as writer:
        for rid, (report, stored) in sorted(changed.rewrite.items()):
            writer.delete_by_term(fields.REPORT_ID, rid)
            for document in documents.documents(report, original=stored.get(fields.ORIGINAL),
                                                source=stored.get(fields.SOURCE),
                                                url=stored.get(fields.SOURCE_URL),
                                                findings=changed.findings[rid]):
                writer.add_document(**document)
