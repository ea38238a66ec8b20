"""A `Report` as the plain field dicts whoosh indexes: one per section, one for the report.

The build, ``add`` and the tests all go through `documents`, so the two kinds of
document (see `index.schema`) are made in exactly one place.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from corpus.numbers import is_figure
from corpus.report import Report
from index import schema as f
from index.audit.kinds import kinds_of
from index.ids import report_id as make_report_id


_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}")


def original_name(rid: str, path: str) -> str:
    """The name a report's original file is kept (and offered for download) under:
    ``<report id><suffix>``, the suffix of the file it was read from, lower case."""
    suffix = Path(path).suffix.lower()
    return rid + (suffix if _SUFFIX.fullmatch(suffix) else "")


def report_id(report: Report) -> str:
    return make_report_id(report.agency, report.year)


def failing(report: Report) -> bool:
    """True when the report fails any arithmetic check of the template."""
    return not all(check.ok for check in report.checks)


def _facets(report: Report, rid: str, findings: list[dict] | None = None,
            changes: dict | None = None) -> dict:
    facets = {
        f.REPORT_ID: rid,
        f.AGENCY: report.agency,
        f.REGION: report.region,
        f.YEAR: int(report.year),
        f.TEMPLATE: int(report.template),
        f.FAILING: failing(report),
        f.AGENCY_TEXT: report.agency,
    }
    if report.published:
        facets[f.PUBLISHED] = report.published
    if findings:
        facets[f.FINDING] = " ".join(kinds_of(findings))
    if changes and changes.get("text"):
        facets[f.CHANGE] = changes["text"]
    return facets


def table_text(tables) -> str:
    """A section's tables as text: a row per line, its cells apart, a spanned cell once."""
    lines = []
    for table in tables:
        for row in table:
            cells = [cell for i, cell in enumerate(row) if cell and (i == 0 or cell != row[i - 1])]
            if cells:
                lines.append(" ".join(cells))
    return "\n".join(lines)


def searchable_text(text: str, tables) -> str:
    """Prose and tables as one text: what a verbatim match is looked for in."""
    printed = table_text(tables)
    return f"{text}\n{printed}" if text and printed else text or printed


def text_bytes(report: Report) -> int:
    """The UTF-8 size of the report's searchable text (the summary's MB and MB/s)."""
    return sum(len(searchable_text(section.text, section.tables).encode("utf-8"))
               for section in report.sections)


def section_documents(report: Report, rid: str | None = None,
                      findings: list[dict] | None = None, changes: dict | None = None) -> list[dict]:
    """One document per section: facets, key, title, the prose and the tables apart (ranked
    apart: see `index.schema`); `index.bigrams` indexes both together (`searchable_text`)
    from what is stored here."""
    rid = rid or report_id(report)
    facets = _facets(report, rid, findings, changes)
    documents = []
    for section in report.sections:
        printed = table_text(section.tables)
        documents.append({
            **facets, f.KIND: f.KIND_SECTION, f.DOC_ID: f"{rid}#{section.key}",
            f.SECTION: section.key, f.TITLE: section.title,
            f.TEXT_FIELD: section.text, f.TABLES_TEXT: printed,
            f.TABLES_JSON: json.dumps(section.tables, ensure_ascii=False)})
    return documents


def report_document(report: Report, rid: str | None = None, original: str | None = None,
                    source: str | None = None, url: str | None = None,
                    findings: list[dict] | None = None, changes: dict | None = None) -> dict:
    """The report's own document: facets, every figure, the whole report as JSON.

    `original` is the file name of the copied original inside the generation; `source`
    the name to show for it (the path it was read from, relative to the corpus); `url`
    the web address the file was fetched from (`corpus.fetch.manifest`), if known;
    `findings` the report's audit findings (`index.audit`; None: not audited);
    `changes` its record against its predecessor (`index.changes`; None: not compared).
    """
    rid = rid or report_id(report)
    # Only finite figures below 10^12 are kept: the stored JSON stays strict JSON.
    figures = {key: value for key, value in report.figures.items() if is_figure(value)}
    document = {**_facets(report, rid, findings, changes), f.KIND: f.KIND_REPORT, f.DOC_ID: rid,
                f.SOURCE: source or report.source,
                f.REPORT_JSON: json.dumps({**report.to_json(), "figures": figures}, ensure_ascii=False,
                                          allow_nan=False),
                f.FINDINGS_JSON: json.dumps(findings or [], ensure_ascii=False)}
    if changes is not None:
        document[f.CHANGES_JSON] = json.dumps(changes, ensure_ascii=False, allow_nan=False)
    if original:
        document[f.ORIGINAL] = original
    if url:
        document[f.SOURCE_URL] = url
    for key, value in figures.items():
        document[f.figure_field(key)] = float(value)
    return document


def documents(report: Report, original: str | None = None, source: str | None = None,
              url: str | None = None, findings: list[dict] | None = None,
              changes: dict | None = None) -> list[dict]:
    """Every document of one report: its sections, then the report itself."""
    rid = report_id(report)
    return (section_documents(report, rid, findings, changes)
            + [report_document(report, rid, original, source, url, findings, changes)])
