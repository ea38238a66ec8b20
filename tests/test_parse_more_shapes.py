"""More real reports' shapes (tests/more_shapes.py): every figure read, or left unread and said
— never a wrong one."""
from __future__ import annotations

import pytest

from corpus.report import Report
from tests import layouts, more_shapes
from tests.test_parse_shapes import assert_reads, parse


def wrong(report: Report, made: layouts.MadeUp) -> dict:
    """Figures read otherwise than the made-up report printed them."""
    return {key: (value, made.figures.get(key)) for key, value in report.figures.items()
            if made.figures.get(key) != value}


def check(report: Report, rule: str):
    return next(c for c in report.checks if c.rule == rule)


# ---- a header row between rows is never a row label ----------------------------------------

@pytest.mark.parametrize("template, after_row", [
    (2021, "other_no_correction"), (2021, "other_no_fee"), (2021, "granted"), (2019, "rejected_confirm"),
])
def test_header_row_between_rows_is_not_a_row_label(template, after_row):
    made = layouts.made_up(41, template)
    text = more_shapes.requests_with_stray_header(made, after_row)
    assert more_shapes.STRAY_HEADER in text
    assert_reads(parse(text, "report.md"), made)
