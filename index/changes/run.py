"""Each report against its predecessor, over an agency's reports at a time.

A report's *predecessor* is the same agency's report on the year before, or, when the
agency has none for that year, its latest earlier one (the page then says which year
it is compared with). Agencies are told apart by name, as report ids are
(`index.ids`). So a report's record depends on its agency's reports alone: a build
computes it agency by agency after parsing, and ``index add`` / ``index remove``
recompute the agencies they touch (`index.audit.update`).

API: `predecessors(years) -> {year: previous year or None}`,
`agency_records(reports) -> {report id: record}`, `change_records(reports)` (any set
of reports), `alongside(groups, records, timer)` (records made as a build's agency
groups pass by on their way to the audit), `stored_changes(stored)`.
"""
from __future__ import annotations

import time
from collections import defaultdict
from typing import Iterable, Iterator

from corpus.report import Report
from index.changes.compare import record
from index.ids import report_id


def predecessors(years: Iterable[int]) -> dict[int, int | None]:
    """Each year's predecessor among `years`: the latest earlier one (None for the first)."""
    ordered = sorted(set(years))
    return {year: (ordered[n - 1] if n else None) for n, year in enumerate(ordered)}


def agency_records(reports: Iterable[Report]) -> dict[str, dict]:
    """The record (`index.changes.compare.record`) of each of one agency's reports, by id."""
    by_year = {int(report.year): report for report in reports}
    return {report_id(report.agency, year): record(by_year[previous] if previous else None, report)
            for year, previous in predecessors(by_year).items()
            for report in (by_year[year],)}


def change_records(reports: Iterable[Report]) -> dict[str, dict]:
    """`agency_records` of every agency among `reports` (one report per id: the last)."""
    by_agency: dict[str, dict[int, Report]] = defaultdict(dict)
    for report in reports:
        by_agency[report.agency][int(report.year)] = report
    found: dict[str, dict] = {}
    for agency_reports in by_agency.values():
        found.update(agency_records(agency_reports.values()))
    return found


def alongside(groups: Iterable[Iterable[Report]], records: dict[str, dict],
              timer: list[float]) -> Iterator[list[Report]]:
    """Each agency's reports of `groups`, passed on as a list, its records added to
    `records` on the way (and the seconds it took to `timer[0]`): a build reads each
    report back once for the audit and the comparison together."""
    for group in groups:
        reports = list(group)
        started = time.monotonic()
        records.update(agency_records(reports))
        timer[0] += time.monotonic() - started
        yield reports
