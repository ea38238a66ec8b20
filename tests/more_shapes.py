"""More shapes real reports come in, after `tests.shapes`: each function prints a
`layouts.MadeUp` report (or one of its tables) the way one more extractor or converter
damaged it. The wording is ours; the shapes and numbers are what the parser must get
through — or, where the text cannot say which number is whose, leave unread.
"""
from __future__ import annotations

from tests.layouts import COLUMN_HEADERS, MadeUp, request_rows
from tests.shapes import _with_section

RULE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


# ---- converted Markdown: a header row that belongs to another block -------------------------

STRAY_HEADER = "| 类别 | 新收 | 上年结转 | 予以公开 | 部分公开 | 不予公开 | 结转下年度继续办理 | 总计 |"


def requests_with_stray_header(r: MadeUp, after_row: str) -> str:
    """Markdown table 3 as one pipe table, with a header row of column names that belong to
    another block (their words those of row labels) placed after the row `after_row`."""
    width = len(r.columns())
    lines = [f"| {RULE} | " + " | ".join(COLUMN_HEADERS[-width:]) + " |", "|" + "---|" * (width + 1)]
    for row, group, label, values in request_rows(r):
        lines.append(f"| {label} | " + " | ".join(values) + " |")
        if row == after_row:
            lines.append(STRAY_HEADER)
    return _with_section(r, "requests", lines, markdown=True)
