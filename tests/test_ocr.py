"""corpus.ocr's pieces without the engine: rules and cells, confirmation, cache, limits."""
from __future__ import annotations

import time

import numpy as np
import pytest
from PIL import Image, ImageDraw

from corpus import limits
from corpus.document import Cell, Table
from corpus.ocr import cache, confirm, rulings
from corpus.ocr.page import Item
from corpus.parse import parse_bytes
from madeup import layouts, scans

pytestmark = pytest.mark.ocr


def _ruled(spans: list[tuple[int, int, int, int]], size=(800, 400)) -> np.ndarray:
    """A picture of rectangles (x0, y0, x1, y1) drawn with 2-pixel rules, as ink."""
    picture = Image.new("L", size, 235)
    draw = ImageDraw.Draw(picture)
    for box in spans:
        draw.rectangle(box, outline=20, width=2)
    return rulings.dark(np.asarray(picture))


def test_rules_give_the_grid_and_its_merged_cells():
    # A header cell over two columns, and a label cell down two rows.
    ink = _ruled([(100, 100, 300, 160), (300, 100, 500, 130), (300, 130, 400, 160), (400, 130, 500, 160),
                  (100, 160, 300, 220), (300, 160, 400, 190), (400, 160, 500, 190),
                  (300, 190, 400, 220), (400, 190, 500, 220)])
    [grid] = rulings.find(ink, dpi=150)
    assert [round(x / 10) for x in grid.xs] == [10, 30, 40, 50]
    assert [round(y / 10) for y in grid.ys] == [10, 13, 16, 19, 22]
    ids = grid.ids
    assert ids[0][0] == ids[1][0] != ids[2][0] == ids[3][0]        # labels two rows tall
    assert ids[0][1] == ids[0][2] and ids[1][1] != ids[1][2]       # the header over two columns
    assert len({i for row in ids for i in row}) == 2 + 1 + 2 + 4


def test_characters_and_short_strokes_are_no_rules():
    picture = Image.new("L", (600, 300), 235)
    draw = ImageDraw.Draw(picture)
    for x in range(50, 550, 30):
        draw.line((x, 100, x + 20, 100), fill=20, width=2)      # dashes
        draw.line((x, 150, x, 170), fill=20, width=2)           # strokes of characters
    assert rulings.find(rulings.dark(np.asarray(picture)), dpi=150) == []


# ---- confirmation -------------------------------------------------------------------

def _appeals(values: list[int]) -> dict:
    cells = ("upheld", "corrected", "other", "pending", "total")
    return {f"appeals.review.{c}": v for c, v in zip(cells, values)}


def test_figures_both_readings_agree_on_are_kept():
    first = _appeals([1, 2, 3, 4, 10])
    assert confirm.confirmed(first, dict(first)) == first


def test_a_disagreement_is_settled_only_by_the_arithmetic():
    truth = _appeals([1, 2, 3, 4, 10])
    first = {**truth, "appeals.review.upheld": 7}         # 1 read as 7
    assert confirm.confirmed(first, truth) == truth       # 10 = 1 + 2 + 3 + 4 picks the 1
    both_wrong = {**truth, "appeals.review.upheld": 8}
    assert confirm.confirmed(first, both_wrong) == {k: v for k, v in truth.items() if k != "appeals.review.upheld"}


def test_a_rule_settles_several_figures_only_when_one_choice_fits():
    truth = _appeals([1, 2, 3, 4, 10])
    first = {**truth, "appeals.review.upheld": 7, "appeals.review.corrected": 2}
    second = {**truth, "appeals.review.upheld": 1, "appeals.review.corrected": 8}
    assert confirm.confirmed(first, second) == truth      # 7+2, 7+8, 1+8 do not add up; 1+2 does
    ambiguous = {**truth, "appeals.review.upheld": 2, "appeals.review.corrected": 1}
    kept = confirm.confirmed(ambiguous, truth)             # 1+2 and 2+1 both fit: neither is kept
    assert "appeals.review.upheld" not in kept and "appeals.review.corrected" not in kept


def test_a_figure_read_only_once_is_not_kept_without_arithmetic():
    assert confirm.confirmed({"proactive.rules.issued": 5}, {}) == {}


def test_second_reading_replaces_cells_and_lone_numbers_on_ocr_lines():
    table = Table([[Cell("规章"), Cell("17", second="11"), Cell("3")]])
    blocks = confirm.second_reading([table, "规章 5 3", "全年公开 5 条", "typeset 5 3"], {"规章 5 3", "全年公开 5 条"})
    assert [c.text for c in blocks[0].rows[0]] == ["规章", "11", "3"]
    assert blocks[1:] == ["规章 \ufffd \ufffd", "全年公开 \ufffd 条", "typeset 5 3"]


# ---- cache and limits ---------------------------------------------------------------

def test_the_cache_gives_back_what_was_stored(tmp_path):
    items = [[Item(1.0, 2.0, line="一、总体情况"),
              Item(3.0, 9.0, table=Table([[Cell("规章"), Cell("5", second="5"), Cell("", copy=True)]]))]]
    cache.put(tmp_path, "abc", items, 1.5)
    assert cache.get(tmp_path, "abc") == items
    assert cache.stats(tmp_path, "abc")["pages"] == 1
    cache.prune(tmp_path, keep=set())
    assert cache.get(tmp_path, "abc") is None and not list(tmp_path.iterdir())


def test_a_cache_entry_of_another_layout_is_not_used(tmp_path, monkeypatch):
    cache.put(tmp_path, "abc", [[Item(1.0, 2.0, line="x")]], 1.0)
    monkeypatch.setattr(cache, "LAYOUT", cache.LAYOUT + 1)
    assert cache.get(tmp_path, "abc") is None


def test_a_scan_of_more_pages_than_the_cap_is_refused_before_any_ocr(monkeypatch):
    monkeypatch.setenv("REPORTS_OCR_MAX_PAGES", "2")
    blank = [Image.new("RGB", (200, 280), "white")] * 3
    refusal = parse_bytes(scans.image_pdf(blank, 30), "long.pdf", ".pdf")
    assert refusal.error == "The file has 3 pages of pictures; OCR reads at most 2."


def _asks_for_time(path: str):
    limits.extend(5, 100)
    time.sleep(1.5)
    return parse_bytes(b"x", path)


def test_ocr_asks_the_parse_limit_for_more_time_once():
    [(_, result)] = list(limits.parse_many([(0, "a")], seconds=1, parse=_asks_for_time))
    # Read to the end (not stopped at the 1 s limit): refused for what it is.
    assert result.error.startswith("It is not a government-information-disclosure annual report")


def test_a_made_up_report_prints_each_figure_in_one_cell():
    # The fixtures' own check: the spans typeset give every figure its own cell.
    report = layouts.made_up(10, template=2019)
    grid = Table([[Cell(s.text) for s in row] for row in scans.table3(report)])
    printed = [c.text for row in grid.rows for c in row if c.text.isdigit()]
    assert len(printed) == sum(1 for k in report.figures if k.startswith("requests."))


@pytest.mark.parametrize("text, value", [("\ufffd", "unread"), ("", "blank"), ("7", 7)])
def test_an_unread_mark_is_a_value_that_is_never_a_figure(text, value):
    from corpus.numbers import cell_value
    assert cell_value(text) == value


def test_an_agreed_figure_a_rule_contradicts_and_none_confirms_is_dropped():
    truth = _appeals([1, 2, 3, 4, 10])
    misread = {**truth, "appeals.review.upheld": 2}        # both readings: 11 -> 2 alike
    assert confirm.confirmed(misread, dict(misread)) == {}  # 10 ≠ 2 + 2 + 3 + 4: nothing in it stands


def test_a_scan_past_the_time_limit_is_refused_without_waiting_for_it(monkeypatch):
    monkeypatch.setenv("REPORTS_OCR_SECONDS", "0")
    page = [Image.new("RGB", (300, 420), "white")]
    refusal = parse_bytes(scans.image_pdf(page, 36), "slow.pdf", ".pdf")
    assert refusal.error == "OCR of the file's pictures took longer than 0 seconds."
