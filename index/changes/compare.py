"""A report's prose against an earlier report of its agency: section by section, and as a whole.

Sections are matched by key (`corpus.report.SECTION_KEYS`): a key in both reports is
compared (`index.changes.text.compare_texts`), a key in this year's only is ``new``,
in last year's only ``gone``. The report's similarity is the sections' together —
every sentence of either report weighed by its length, so a section new or gone
counts as wholly changed — and its class follows the same rule as a section's
(`index.changes.classes`).

`record(previous, report)` is what the index keeps of it on the report's documents
(`index.documents`): the predecessor's id and year, the similarity, the class and each
section's state — enough for the search facet and the page's summary; the sentences
themselves are aligned again when a page asks (`search.diff`).

API: `compare_reports(previous, report) -> ReportChange`, `SectionChange`,
`record(previous, report) -> dict`, `NO_PREVIOUS`.
"""
from __future__ import annotations

from dataclasses import dataclass

from corpus.report import SECTION_KEYS, Report
from index.changes.classes import text_class
from index.changes.text import TextChange, compare_texts
from index.ids import report_id

# The record of a report no earlier report of its agency precedes.
NO_PREVIOUS = {"previous": None}


@dataclass(frozen=True)
class SectionChange:
    """One section key of either report: its titles as printed and how it changed."""

    key: str
    title: str                 # this year's title, or last year's for a section gone
    status: str                # identical | similar | revised | rewritten | new | gone
    text: TextChange | None    # the sentences compared (also for new and gone: all added/removed)


@dataclass(frozen=True)
class ReportChange:
    """The prose of `report` against `previous`."""

    sections: list[SectionChange]
    similarity: float
    status: str                # identical | similar | revised | rewritten


def _order(keys) -> list[str]:
    rank = {key: n for n, key in enumerate(SECTION_KEYS)}
    return sorted(keys, key=lambda key: (rank.get(key, len(rank)), key))


def compare_reports(previous: Report, report: Report) -> ReportChange:
    """Every section key of either report, in template order, and the whole (module doc)."""
    before = {section.key: section for section in previous.sections}
    after = {section.key: section for section in report.sections}
    sections = []
    kept = total = 0.0
    for key in _order(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        text = compare_texts(old.text if old else "", new.text if new else "")
        if old is None or new is None:
            status = "new" if old is None else "gone"
        else:
            status = text.status
        sections.append(SectionChange(key, (new or old).title, status, text))
        kept, total = kept + text.kept, total + text.weight
    share = kept / total if total else 1.0
    identical = set(before) == set(after) and all(item.status == "identical" for item in sections)
    return ReportChange(sections, round(share, 4), text_class(share, identical))


def record(previous: Report | None, report: Report) -> dict:
    """What the index keeps of `report` against its predecessor (`NO_PREVIOUS` without one)."""
    if previous is None:
        return dict(NO_PREVIOUS)
    change = compare_reports(previous, report)
    return {"previous": report_id(previous.agency, previous.year), "previous_year": int(previous.year),
            "similarity": round(change.similarity, 3), "text": change.status,
            "sections": {section.key: section.status for section in change.sections}}
