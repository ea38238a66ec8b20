"""Reading the findings an index holds (stored with each report document)."""
from __future__ import annotations

import json

from whoosh.query import Term

from index import schema as f


def stored_findings(stored: dict) -> list[dict] | None:
    """The findings a stored report document holds (None: written before the audit existed)."""
    raw = stored.get(f.FINDINGS_JSON)
    return json.loads(raw) if raw else None


def every_report(ix) -> list[dict]:
    """``{report_id, agency, year, findings}`` for every report, ordered by agency then year."""
    with ix.searcher() as searcher:
        rows = [{"report_id": stored[f.REPORT_ID], "agency": stored[f.AGENCY], "year": int(stored[f.YEAR]),
                 "findings": stored_findings(stored) or []}
                for stored in (searcher.stored_fields(docnum)
                               for docnum in Term(f.KIND, f.KIND_REPORT).docs(searcher))]
    rows.sort(key=lambda row: (row["agency"], row["year"]))
    return rows
