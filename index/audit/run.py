"""The audit over a set of reports: at build time over the whole corpus, on ``add`` and
``remove`` over the reports a change can affect.

A report's findings come from two neighbourhoods:

* its agency's reports (every rule but one: arithmetic, cross_year, late,
  missing_year, text_table, and ``duplicate`` against the agency's previous year);
* its year's reports (``duplicate`` against another agency on the same year).

So adding or removing agency A's report on year Y can change only the findings of
A's reports and of year Y's reports: `reaudit` recomputes the first part for A's
reports and the second for year Y's, and keeps the rest as stored.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from corpus.report import Report
from index.audit import agency_rules, duplicate, text_table
from index.audit.kinds import ordered
from index.ids import report_id


def _rid(report: Report) -> str:
    return report_id(report.agency, report.year)


def _is_same_year(item: dict) -> bool:
    return item["kind"] == "duplicate" and item.get("scope") == "same_year"


def agency_findings(reports: list[Report], parts: dict[str, list]) -> dict[str, list[dict]]:
    """Findings from one agency's own reports (all but same-year duplicates), per report id.

    `parts` holds each report's comparable sections (`duplicate.parts`) by report id.
    """
    by_year = {int(report.year): report for report in reports}
    years = sorted(by_year)
    out = {}
    for year in years:
        report, previous = by_year[year], by_year.get(year - 1)
        rid = _rid(report)
        out[rid] = (agency_rules.arithmetic(report)
                    + agency_rules.cross_year(report, previous)
                    + agency_rules.late(report)
                    + agency_rules.missing_year(report, years)
                    + duplicate.previous_year(parts[rid], parts[_rid(previous)] if previous else [])
                    + text_table.text_table(report))
    return out


def audit_reports(reports: list[Report]) -> dict[str, list[dict]]:
    """Every report's findings (an empty list when clean), by report id, each in kind order."""
    reports = list({_rid(report): report for report in reports}.values())   # one per id: the last
    by_agency: dict[str, list[Report]] = defaultdict(list)
    by_year: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        by_agency[report.agency].append(report)
        by_year[int(report.year)].append(report)
    return audit_groups(by_agency.values(), by_year.values())


def audit_groups(by_agency: Iterable[Iterable[Report]],
                 by_year: Iterable[Iterable[Report]]) -> dict[str, list[dict]]:
    """`audit_reports` over a corpus met group by group: every agency's reports together
    (`by_agency`), then every year's (`by_year`), each report once in each (one per id).

    Only one agency's reports are needed at a time, and of a year's reports only their
    shingled sections (`duplicate.parts`, made as each report arrives): a build reads
    the groups back from its spool (`index.spool`) and never holds the whole corpus.
    """
    findings: dict[str, list[dict]] = {}
    for agency_reports in by_agency:
        agency_reports = list(agency_reports)
        parts = {_rid(report): duplicate.parts(report) for report in agency_reports}
        findings.update(agency_findings(agency_reports, parts))
    copied: dict[str, list[dict]] = {}
    for year_reports in by_year:
        copied.update(duplicate.same_year([part for report in year_reports
                                           for part in duplicate.parts(report)]))
    return {rid: ordered(found + copied.get(rid, [])) for rid, found in findings.items()}


def reaudit(reports: list[Report], stored: dict[str, list[dict]], agencies: set[str],
            years: set[int]) -> dict[str, list[dict]]:
    """New findings of the reports whose findings changed after a change to `agencies`' reports
    on `years`.

    `reports` must hold every report of those agencies and every report of those years
    (after the change); `stored` the findings the index holds now (a report missing
    from it is new). Returns only the reports whose findings differ from `stored`.
    """
    parts = {_rid(report): duplicate.parts(report) for report in reports}
    by_agency: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        if report.agency in agencies:
            by_agency[report.agency].append(report)
    own: dict[str, list[dict]] = {}
    for agency_reports in by_agency.values():
        own.update(agency_findings(agency_reports, parts))
    copied = duplicate.same_year([part for report in reports if int(report.year) in years
                                  for part in parts[_rid(report)]])
    changed = {}
    for report in reports:
        rid = _rid(report)
        before = stored.get(rid)
        kept = before or []
        mine = own[rid] if rid in own else [item for item in kept if not _is_same_year(item)]
        theirs = copied.get(rid, []) if int(report.year) in years else \
            [item for item in kept if _is_same_year(item)]
        now = ordered(mine + theirs)
        if before is None or now != before:
            changed[rid] = now
    return changed
