"""From a corpus folder to parsed reports, one per agency and year.

What a build reads (`find_files`: every regular file, hidden ones and ``corpus fetch``'s
manifests skipped), where a fetched file came from (`source_urls`, from those
manifests), the parse itself (`parse_all`: on child processes, each file held to the
time and memory limits of `corpus.limits`, a refusal never stopping the rest), and
which file wins when two give the same agency and year (`choose`: the later one,
by modification time and then path order). `Parsed` carries one file's result
through `index.build` to `index.writing`: the report itself, or, when the build
spools what it parses (`index.spool`), only its `Brief` and where to read it back.
"""
from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from corpus.fetch import manifest as fetched
from corpus.limits import parse_many
from corpus.ocr import cache as ocr_cache, session
from corpus.parse import parse_file
from corpus.report import Refusal, Report
from index.ids import report_id
from index.spool import Brief, Spool


@dataclass(slots=True)
class Parsed:
    """One file's parse: where it came from, when it was modified, what it gave."""

    path: str
    source: str                    # the name shown for it: relative to the corpus folder
    mtime: float
    order: int                     # its place in path order
    result: Report | Refusal | None    # None when the report is in `spool`
    url: str | None = None         # the web address it was fetched from (DIR/manifest.jsonl)
    brief: Brief | None = None     # what the build needs of a report without reading it back
    spool: Spool | None = None     # where the report is kept (None: it is `result`)

    @property
    def refused(self) -> bool:
        return isinstance(self.result, Refusal)

    @property
    def about(self) -> Brief:
        """The report's `Brief` (made once when the report is held in memory)."""
        if self.brief is None:
            self.brief = Brief.of(self.result)
        return self.brief

    @property
    def report_id(self) -> str:
        return report_id(self.about.agency, self.about.year)

    def report(self) -> Report:
        """The parsed report: `result`, or read back from the spool (a new copy each time)."""
        return self.result if self.spool is None else self.spool.load(self.brief)


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


@dataclass
class OcrTally:
    """What OCR cost a build: the files read by OCR now, their pictures and seconds, and
    the files whose OCR came from the cache (`corpus.ocr.cache`, kept in `folder`)."""

    folder: Path
    started: float
    files: int = 0
    pages: int = 0
    seconds: float = 0.0
    cached: int = 0
    keys: set = field(default_factory=set)

    def count(self, path: str) -> None:
        key = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        self.keys.add(key)
        entry = ocr_cache.stats(self.folder, key)
        if entry is None:
            return
        if entry["written"] >= self.started:
            self.files, self.pages, self.seconds = self.files + 1, self.pages + entry["pages"], \
                self.seconds + entry["seconds"]
        else:
            self.cached += 1

    def postfix(self) -> str:
        return f"ocr {self.files} files, {self.pages} pages, {self.seconds:.0f} s; {self.cached} cached"


def parse_all(jobs: list[tuple[int, str, str]], workers: int, progress: bool,
              seconds: float | None = None, memory_mb: float | None = None,
              spool: Spool | None = None, ocr: OcrTally | None = None) -> list[Parsed]:
    """Parse every (order, path, source) job on `workers` child processes, with a progress
    bar; each file is held to the time and memory limits of `corpus.limits` (refused past
    them, the build going on; None: those limits, 0: none).

    With a `spool`, each report is written to it as it arrives and dropped: the list
    holds its `Brief`, not the report (refusals are kept as they are: one sentence).
    With `ocr`, pictures read by OCR are cached in its folder, and counted in it."""
    where = {order: (path, source) for order, path, source in jobs}
    bar = tqdm(total=len(jobs), desc="parse", unit="file", file=sys.stderr,
               disable=not progress, leave=False)
    parsed = []
    try:
        # parse_file looked up now, so a test's stand-in reaches the forked children.
        with session.caching_in(ocr.folder if ocr else None):
            for order, result in parse_many(((order, path) for order, path, _ in jobs), workers, seconds,
                                            memory_mb, parse=parse_file):
                path, source = where[order]
                if ocr is not None and getattr(result, "ocr", False):
                    ocr.count(path)
                    bar.set_postfix_str(ocr.postfix(), refresh=False)
                try:
                    mtime = os.stat(path).st_mtime
                except OSError:
                    mtime = 0.0
                result.source = source
                if spool is not None and isinstance(result, Report):
                    parsed.append(Parsed(path, source, mtime, order, None, brief=spool.put(result), spool=spool))
                else:
                    parsed.append(Parsed(path, source, mtime, order, result))
                del result     # a spooled report is not kept alive until the next file arrives
                bar.update()
    finally:
        bar.close()
    return parsed


def choose(parsed: list[Parsed]) -> tuple[dict[str, Parsed], list[dict], list[dict]]:
    """One report per id (the later file wins), the duplicates replaced, the refusals."""
    winners: dict[str, Parsed] = {}
    replaced, refused = [], []
    for item in sorted(parsed, key=lambda p: (p.mtime, p.order)):
        if item.refused:
            refused.append({"source": item.source, "error": item.result.error})
            continue
        rid = item.report_id
        if rid in winners:
            replaced.append({"report_id": rid, "replaced": winners[rid].source, "by": item.source})
        winners[rid] = item
    refused.sort(key=lambda r: r["source"])
    return winners, replaced, refused
