"""Keeping the findings and change records right when ``index add`` or ``index remove``
changes the corpus.

Adding or removing agency A's report on year Y can change the findings of A's other
reports (cross_year, missing_year, previous-year duplicate) and of year Y's reports
(same-year duplicate), and nothing else (`index.audit.run`); and the change records
(`index.changes`) of A's reports alone: which report precedes which is a matter of
A's years. `after_change` reads exactly those reports from the index being changed,
re-audits and re-compares them with the change applied, and says which stored
reports must be written again. It reads an index through `StoredReports` (whoosh:
`WhooshReports`; OpenSearch has its own), so every engine's ``add`` and ``remove``
re-audit and re-compare the same way.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Protocol

from corpus.report import Report
from index import schema as f
from index.audit.run import reaudit
from index.audit.stored import stored_findings
from index.changes.run import agency_records
from index.changes.stored import stored_changes


@dataclass
class Audited:
    """The outcome: new findings by report id (every added report, and every indexed
    report whose findings changed), new change records likewise, and the indexed
    reports to write again (their findings or their record changed)."""

    findings: dict[str, list[dict]] = field(default_factory=dict)
    rewrite: dict[str, tuple[Report, dict]] = field(default_factory=dict)  # rid -> (report, stored)
    changes: dict[str, dict] = field(default_factory=dict)

    def findings_of(self, rid: str, stored: dict) -> list[dict] | None:
        """The findings to write for a report: the new ones, else those `stored` holds."""
        return self.findings[rid] if rid in self.findings else stored_findings(stored)

    def changes_of(self, rid: str, stored: dict) -> dict | None:
        """The change record to write for a report: the new one, else the one `stored` holds."""
        return self.changes[rid] if rid in self.changes else stored_changes(stored)


class StoredReports(Protocol):
    """What `audit_change` reads of an index: stored report documents (the fields of
    `index.documents.report_document`) by id, and those of some agencies and years."""

    def report(self, report_id: str) -> dict | None:
        """The stored report document with this id, or None."""

    def neighbours(self, agencies: set[str], years: set[int]) -> dict[str, dict]:
        """Stored report documents of `agencies` (any year) and of `years` (any agency), by id."""


class WhooshReports:
    """`StoredReports` of a whoosh searcher."""

    def __init__(self, searcher):
        self.searcher = searcher

    def report(self, report_id: str) -> dict | None:
        return self.searcher.document(**{f.DOC_ID: report_id, f.KIND: f.KIND_REPORT})

    def neighbours(self, agencies: set[str], years: set[int]) -> dict[str, dict]:
        found = {}
        for agency in sorted(agencies):
            for stored in self.searcher.documents(**{f.KIND: f.KIND_REPORT, f.AGENCY: agency}):
                found[stored[f.REPORT_ID]] = stored
        for year in sorted(years):
            for stored in self.searcher.documents(**{f.KIND: f.KIND_REPORT, f.YEAR: year}):
                found[stored[f.REPORT_ID]] = stored
        return found


def after_change(ix, added: dict[str, Report], removed) -> Audited:
    """`audit_change` over a whoosh index `ix` as it is now."""
    with ix.searcher() as searcher:
        return audit_change(WhooshReports(searcher), added, removed)


def audit_change(index: StoredReports, added: dict[str, Report], removed) -> Audited:
    """Re-audit what adding `added` (report id -> report, replacing any indexed one) and
    removing the ids `removed` changes, reading the rest from `index` as it is now."""
    removed = set(removed)
    gone = {rid: index.report(rid) for rid in removed}
    agencies = {r.agency for r in added.values()} | {s[f.AGENCY] for s in gone.values() if s}
    years = {int(r.year) for r in added.values()} | {int(s[f.YEAR]) for s in gone.values() if s}
    stored = index.neighbours(agencies, years)
    reports: dict[str, Report] = {}
    previous: dict[str, list[dict]] = {}
    for rid, fields in stored.items():
        if rid in removed or rid in added:
            continue
        reports[rid] = Report.from_json(json.loads(fields[f.REPORT_JSON]))
        before = stored_findings(fields)
        if before is not None:
            previous[rid] = before
    reports.update(added)
    changed = reaudit(list(reports.values()), previous, agencies, years)
    records: dict[str, dict] = {}
    for agency in agencies:
        records.update(agency_records(r for r in reports.values() if r.agency == agency))
    compared = {rid: found for rid, found in records.items()
                if rid in added or stored_changes(stored[rid]) != found}
    again = (set(changed) | set(compared)) - set(added)
    return Audited(findings=changed, changes=compared,
                   rewrite={rid: (reports[rid], stored[rid]) for rid in sorted(again)})
