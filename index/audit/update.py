"""Keeping the findings right when ``index add`` or ``index remove`` changes the corpus.

Adding or removing agency A's report on year Y can change the findings of A's other
reports (cross_year, missing_year, previous-year duplicate) and of year Y's reports
(same-year duplicate), and nothing else (`index.audit.run`). `after_change` reads
exactly those reports from the index being changed, re-audits them with the
change applied, and says which stored reports must be written again. It reads an
index through `StoredReports` (whoosh: `WhooshReports`; OpenSearch has its own), so
every engine's ``add`` and ``remove`` re-audit the same way.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Protocol

from corpus.report import Report
from index import schema as f
from index.audit.run import reaudit
from index.audit.stored import stored_findings


@dataclass
class Audited:
    """The outcome: new findings by report id (every added report, and every indexed
    report whose findings changed), and the indexed reports to write again."""

    findings: dict[str, list[dict]] = field(default_factory=dict)
    rewrite: dict[str, tuple[Report, dict]] = field(default_factory=dict)  # rid -> (report, stored)


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
    return Audited(findings=changed,
                   rewrite={rid: (reports[rid], stored[rid]) for rid in changed if rid not in added})
