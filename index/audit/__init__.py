"""The audit (年报体检): what the whole corpus says about each report.

The parser's checks look inside one report; the audit looks across reports — an
agency's year against its previous year, against the 31 January deadline, against
other agencies' reports, and a report's words against its own tables. Six kinds of
finding (`kinds.KINDS`), each a plain dict with a Chinese sentence; the rules are
pure functions over `corpus.report.Report` records:

* `agency_rules` — arithmetic, cross_year, late, missing_year;
* `text_table` — counts in the prose against the tables;
* `duplicate` — copied overview/problems sections (MinHash LSH, verified exactly);
* `run` — the audit of a corpus (`audit_reports`) and after a change (`reaudit`).

Findings belong to the index build (a new previous-year report can create a
``cross_year`` finding), not to parsing one file: ``index.build`` runs them and
stores them with each report (see docs/audit.md).
"""
from index.audit.kinds import CLEAN_LABEL, KINDS, LABELS

__all__ = ["CLEAN_LABEL", "KINDS", "LABELS", "audit_reports", "reaudit"]


def __getattr__(name: str):
    """`audit_reports` and `reaudit`, imported on first use: the site needs only the
    kinds and labels, and the copy check's datasketch (with scipy) would add ≈ 50 MB to
    every gunicorn worker."""
    if name in ("audit_reports", "reaudit"):
        from index.audit import run
        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
