"""Parsed reports kept on disk during a build, so the build's memory does not grow with the corpus.

A full build reads every file before it writes anything: it must choose one report
per agency and year, and audit each report against its agency's other years and its
year's other agencies. Held as `corpus.report.Report` objects until the writers
finish, 100k reports took ~10 GB in the build's parent process (and whoosh's
sub-writers are forked from it). Instead each parsed report goes to a `Spool` as it
arrives from the parse children — an unnamed temporary file, gone when the build
ends or crashes — and the parent keeps only its `Brief`: what choosing, the schema
and the summary need, and where in the spool the report is. The audit and the
writers then read the reports back a few at a time (`Spool.load`).

Reports are pickled, not written as JSON: the round trip gives back exactly the
object the parser made (tuples stay tuples, floats stay floats), so the index is the
same as when the reports stayed in memory.
"""
from __future__ import annotations

import pickle
import tempfile
from dataclasses import dataclass

from corpus.report import Report
from index.documents import text_bytes


@dataclass(frozen=True, slots=True)
class Brief:
    """What a build needs of one report without reading it back: its identity, its size,
    and where it is in the spool."""

    agency: str
    region: str
    year: int
    sections: int          # how many sections (the report writes one document each, plus one)
    text_bytes: int        # its searchable text's UTF-8 size (the summary's MB and MB/s)
    offset: int = -1       # where it starts in the spool (-1: not spooled)

    @classmethod
    def of(cls, report: Report, offset: int = -1) -> "Brief":
        return cls(report.agency, report.region, int(report.year), len(report.sections),
                   text_bytes(report), offset)


class Spool:
    """An append-only temporary file of pickled reports; `put` one, `load` it back by offset.

    Use it as a context manager (the file is closed, and so deleted, at the end)."""

    def __init__(self, folder: str | None = None):
        self.folder = folder or tempfile.gettempdir()
        self._file = tempfile.TemporaryFile(prefix="spool-", suffix=".pickle", dir=self.folder)
        self._end = 0
        self._flushed = True

    def put(self, report: Report) -> Brief:
        """Append `report`; its `Brief`, which says where it is."""
        offset = self._end
        self._file.seek(offset)
        try:
            pickle.dump(report, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as error:   # a full disk: say which folder filled up ($TMPDIR, not the index)
            raise OSError(error.errno, error.strerror,
                          f"{self.folder}, where the build keeps parsed reports until written") from None
        self._end = self._file.tell()
        self._flushed = False
        return Brief.of(report, offset)

    def load(self, brief: Brief) -> Report:
        """The report `brief` describes, read back from the file."""
        if not self._flushed:
            self._file.flush()
            self._flushed = True
        self._file.seek(brief.offset)
        return pickle.load(self._file)

    @property
    def size(self) -> int:
        """Bytes written so far."""
        return self._end

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
