"""What a build, add or remove did, and what the live index then holds.

`Summary` is the record the CLI prints (`Summary.lines`) and each generation keeps as
``summary.json`` (`Summary.to_json`, `store.SUMMARY`). Its counts of reports, sections,
agencies and years are read back from the written index itself (`index_counts`), not
from what the build meant to write, so the summary says what is actually served;
`count_findings` adds the audit's share (`index.audit`), `count_changes` the change
records' (`index.changes`).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from whoosh.query import Term

from index import schema as fields
from index.audit import KINDS, LABELS
from index.changes.classes import CLASSES, LABELS as CHANGE_LABELS
from index.ids import report_id


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
    changes_seconds: float = 0.0   # comparing reports with their predecessors (index.changes)
    compared: int = 0              # reports whose change record was (re)computed
    text_changes: dict[str, int] = field(default_factory=dict)  # class -> those reports in it
    ocr_files: int = 0             # files read by OCR in this build (corpus.ocr)
    ocr_pages: int = 0             # their pictures
    ocr_seconds: float = 0.0       # the OCR's wall time, summed over files
    ocr_cached: int = 0            # files whose OCR came from the index's cache

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
        if self.ocr_files or self.ocr_cached:
            out.append(f"  OCR:             {self.ocr_files} files, {self.ocr_pages} pages in "
                       f"{self.ocr_seconds:.1f} s; {self.ocr_cached} files from the cache")
        if self.audited:
            counts = ", ".join(f"{LABELS[kind]} {self.findings[kind]}" for kind in KINDS
                               if self.findings.get(kind))
            out.append(f"  audit:           {self.audited} reports in {self.audit_seconds:.1f} s"
                       + (f"; with findings: {counts}" if counts else "; no findings"))
        elif self.action == "remove" and self.removed:
            out.append(f"  audit:           no other report's findings changed ({self.audit_seconds:.1f} s)")
        if self.compared:
            counts = ", ".join(f"{CHANGE_LABELS[c]} {self.text_changes[c]}" for c in CLASSES
                               if self.text_changes.get(c))
            out.append(f"  changes:         {self.compared} reports in {self.changes_seconds:.1f} s"
                       + (f"; against an earlier report: {counts}" if counts else "; none has an earlier report"))
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


def indexed_report_ids(ix) -> set[str]:
    """The ids of the reports in the index, read from its columns (no stored document)."""
    with ix.searcher() as searcher:
        agencies = searcher.reader().column_reader(fields.AGENCY)
        years = searcher.reader().column_reader(fields.YEAR)
        return {report_id(agencies[docnum], int(years[docnum]))
                for docnum in Term(fields.KIND, fields.KIND_REPORT).docs(searcher)}


def count_findings(summary: Summary, findings: dict[str, list], seconds: float) -> None:
    """Record in the summary how many reports were audited, how long it took, and how
    many of them have each kind of finding."""
    summary.audited = len(findings)
    summary.audit_seconds += seconds
    summary.findings = {kind: sum(1 for found in findings.values() if any(f["kind"] == kind for f in found))
                        for kind in KINDS}


def count_changes(summary: Summary, changes: dict[str, dict], seconds: float = 0.0) -> None:
    """Record in the summary how many change records were (re)computed, how long it took,
    and how many of those reports are in each class (`index.changes.classes`)."""
    summary.compared = len(changes)
    summary.changes_seconds += seconds
    summary.text_changes = {c: sum(1 for record in changes.values() if record.get("text") == c)
                            for c in CLASSES}
