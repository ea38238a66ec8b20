"""Reading the findings an index holds (stored with each report document)."""
from __future__ import annotations

import json

from whoosh.query import Term

from index import schema as f


def stored_findings(stored: dict) -> list[dict] | None:
    """The findings a stored report document holds (None: written before the audit existed)."""
    raw = stored.get(f.FINDINGS_JSON)
    return json.loads(raw) if raw else None


def audit_row(stored: dict) -> dict:
    """``{report_id, agency, year, findings}`` of a stored report document (what
    ``python -m index audit`` prints, one JSON line per report)."""
    return {"report_id": stored[f.REPORT_ID], "agency": stored[f.AGENCY], "year": int(stored[f.YEAR]),
            "findings": stored_findings(stored) or []}


def by_agency_and_year(rows: list[dict]) -> list[dict]:
    """`audit_row`s ordered by agency, then year."""
    return sorted(rows, key=lambda row: (row["agency"], row["year"]))


def every_report(ix) -> list[dict]:
    """`audit_row` for every report of a whoosh index, ordered by agency then year."""
    with ix.searcher() as searcher:
        rows = [audit_row(searcher.stored_fields(docnum))
                for docnum in Term(f.KIND, f.KIND_REPORT).docs(searcher)]
    return by_agency_and_year(rows)
