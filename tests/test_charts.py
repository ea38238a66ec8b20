"""The agency chart's layout: whole-number axes, bars for one year, coinciding series named."""
from __future__ import annotations

import pytest

from web.charts import line_chart


@pytest.mark.parametrize("highest, ticks", [
    (1, ["0", "1"]), (3, ["0", "1", "2", "3"]), (7, ["0", "2", "4", "6", "8"]),
    (12, ["0", "5", "10", "15"]), (99, ["0", "25", "50", "75", "100"]),
])
def test_counts_get_whole_number_ticks(highest, ticks):
    chart = line_chart([2021, 2022], {"新收": [0, highest]})
    assert [t.label for t in chart.y_ticks] == ticks


def test_amounts_keep_decimal_ticks():
    chart = line_chart([2021, 2022], {"收费金额": [0.5, 1.25]})
    assert [t.label for t in chart.y_ticks] == ["0", "0.5", "1", "1.5", "2"]


def test_one_year_is_drawn_as_bars_with_their_values():
    chart = line_chart([2023], {"新收": [6], "纠正": [0], "缺": [None]})
    assert chart.series == [] and chart.y_ticks == []
    assert [(b.label, b.value) for b in chart.bars] == [("新收（2023）", "6"), ("纠正（2023）", "0")]
    assert chart.bars[0].width > 300 and chart.bars[1].width == 0


def test_coinciding_series_are_named_and_shaped_apart():
    chart = line_chart([2021, 2022, 2023], {"复议": [1, 0, 2], "诉讼": [1, 0, 2], "新收": [5, 6, 7]})
    assert [s.same_as for s in chart.series] == ["", "复议", ""]
    first, second = (s.points[0].marker for s in chart.series[:2])
    assert first != second and first.startswith("M") and second.startswith("M")
