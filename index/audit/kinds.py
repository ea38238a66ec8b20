"""The audit's six kinds of finding, their Chinese names, and how a finding is made.

A finding is a plain dict (JSON as it is): ``kind``, ``detail`` (one Chinese
sentence with the numbers behind it) and the kind's own keys — ``other`` (the other
report's id) for ``cross_year`` and ``duplicate``, ``years`` for ``missing_year``,
``figure``/``text_value``/``table_value`` for ``text_table``, ``rules`` for
``arithmetic``, ``published``/``days_late`` for ``late``.
"""
from __future__ import annotations

# In the order a report page lists them.
KINDS = ("arithmetic", "cross_year", "late", "missing_year", "duplicate", "text_table")
LABELS = {
    "arithmetic": "表内勾稽不符",
    "cross_year": "跨年结转不符",
    "late": "逾期发布",
    "missing_year": "年度缺报",
    "duplicate": "内容雷同",
    "text_table": "文表不符",
}
CLEAN_LABEL = "体检无异常"

_ORDER = {kind: i for i, kind in enumerate(KINDS)}


def finding(kind: str, detail: str, **extra) -> dict:
    """One finding: its kind, its sentence, and the kind's own keys."""
    return {"kind": kind, "detail": detail, **extra}


def ordered(findings: list[dict]) -> list[dict]:
    """Findings in `KINDS` order (stable within a kind)."""
    return sorted(findings, key=lambda item: _ORDER.get(item["kind"], len(KINDS)))


def kinds_of(findings: list[dict]) -> list[str]:
    """The distinct kinds among `findings`, in `KINDS` order."""
    present = {item["kind"] for item in findings}
    return [kind for kind in KINDS if kind in present]


def number(value) -> str:
    """A figure as the sentences print it: 12, not 12.0."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"
