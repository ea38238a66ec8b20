"""A ruled table on a page picture -> a `Table` of cells, each figure read twice.

The page's OCR boxes (`corpus.ocr.engine.read_page`) are laid into the table's grid
(`corpus.ocr.rulings.Grid`) by where their centres fall: a cell's text is its boxes,
line by line, left to right. The grid comes from the rules, so an empty cell stays
empty and a number stays in the cell it was printed in; a box that reaches over a
rule into the next cell (two numbers read as one) gives its cell no first reading.

Every cell whose first reading is a figure, a blank or a not-applicable mark gets a
second one: its ink (inside its rules), cropped on paper, read alone; where the two
differ, a third reading, of that crop enlarged, stands in for it when it agrees with
the page's. A
blank cell with ink in it is read too, so a lone ``1`` the page reading dropped is not
taken for an empty cell; a cell without ink is blank in both readings.
"""
from __future__ import annotations

import numpy as np

from corpus.document import Table
from corpus.grid import from_ids
from corpus.numbers import UNREAD_MARK, cell_value
from corpus.ocr import engine
from corpus.ocr.engine import Box
from corpus.ocr.rulings import Grid
from corpus.readers.celltext import join_lines

UNREADABLE = UNREAD_MARK   # no reading to be had (a box over a rule, ink that reads as no number)
_THIRD_SCALE = 2.0         # where the two readings differ, a third: the crop enlarged
_VALUE_LINE = 0.5          # a row or column whose one-column cells are figures this often holds figures
_INSET = 5              # pixels inside the rules: the rule's own ink is not the cell's
_MIN_INK = 8            # dark pixels that make a mark in a cell (a "1" at 150 dpi has ~25)


def lines_of(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into printed lines (by their vertical centres), each left to right."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        line = lines[-1] if lines else None
        if line and abs(box.cy - sum(b.cy for b in line) / len(line)) < 0.5 * max(box.height, line[0].height):
            line.append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _is_figure_text(text: str) -> bool:
    """A figure, a blank, a not-applicable mark, or no reading: not a label."""
    return text == UNREADABLE or cell_value(text) is not None


def table(grid: Grid, boxes: list[Box], rgb: np.ndarray, ink: np.ndarray) -> Table:
    """The grid's cells filled from the boxes inside it, figures read a second time."""
    in_cell: dict[int, list[Box]] = {}
    unreadable: set[int] = set()
    for box in boxes:
        where = grid.position(box.cx, box.cy)
        if where is None:
            continue
        cell_id = grid.ids[where[0]][where[1]]
        x0, _, x1, _ = grid.cell_box(cell_id)
        over_a_rule = box.x0 < x0 - _INSET or box.x1 > x1 + _INSET
        if over_a_rule and any(ch.isdigit() for ch in box.text) and not _has_words(box.text):
            unreadable.update(grid.ids[where[0]][c] for c in range(len(grid.xs) - 1)
                              if grid.xs[c] < box.x1 and grid.xs[c + 1] > box.x0)
        in_cell.setdefault(cell_id, []).append(box)
    count = 1 + max(max(row) for row in grid.ids)
    texts = [join_lines(" ".join(b.text for b in line) for line in lines_of(in_cell.get(i, [])))
             for i in range(count)]
    for cell_id in unreadable:
        texts[cell_id] = UNREADABLE
    _mark_unreadable(grid, texts)
    figures = [i for i in range(count) if _is_figure_text(texts[i])]
    seconds = _second_readings(grid, figures, rgb, ink)
    split = [i for i in figures if seconds.get(i, texts[i]) != texts[i]]
    for cell_id, third in _second_readings(grid, split, rgb, ink, enlarge=_THIRD_SCALE).items():
        # The enlarged crop is too like the crop to outvote the page's reading, so it
        # only ever sides with the page's.
        if third != UNREADABLE and third == texts[cell_id]:
            seconds[cell_id] = third
    out = from_ids(grid.ids, texts)
    seen: set[int] = set()
    for ids, row in zip(grid.ids, out.rows):
        for cell_id, cell in zip(ids, row):
            if cell_id not in seen:
                seen.add(cell_id)
                cell.second = seconds.get(cell_id)
    return out


def _mark_unreadable(grid: Grid, texts: list[str]) -> None:
    """A cell read as neither figure nor words (II, s, #: a misread number) in a row or a
    column of figures is a figure that could not be read, not a label; so is a lone
    character (一) among a row's figures."""
    columns = [[row[c] for row in grid.ids] for c in range(len(grid.xs) - 1)]
    for ids, is_row in [(ids, False) for ids in columns] + [(ids, True) for ids in grid.ids]:
        own = [i for i in dict.fromkeys(ids) if texts[i].strip() and len(_columns_of(grid, i)) == 1]
        figures = [i for i in own if _is_figure_text(texts[i])]
        if len(figures) >= 2 and len(figures) >= _VALUE_LINE * len(own):
            for i in own:
                # In a row of figures a lone character (一 for 1) is a misread figure too;
                # a column of figures has its header words above, so there only non-words are.
                text = texts[i].strip()
                if not _is_figure_text(text) and (not _has_words(text) or (is_row and len(text) == 1)):
                    texts[i] = UNREADABLE


def _columns_of(grid: Grid, cell_id: int) -> set[int]:
    return {c for row in grid.ids for c, i in enumerate(row) if i == cell_id}


def _has_words(text: str) -> bool:
    """Chinese characters in it: a label or a header, not a misread figure."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _second_readings(grid: Grid, cell_ids: list[int], rgb: np.ndarray, ink: np.ndarray,
                     enlarge: float = 1.0) -> dict[int, str]:
    """Each cell's ink, cropped on its own (`enlarge`d) and read alone; "" for a cell with no ink."""
    out: dict[int, str] = {}
    crops, waiting = [], []
    for cell_id in cell_ids:
        found = _ink_box(ink, grid.cell_box(cell_id))
        if found is None:
            out[cell_id] = ""
            continue
        x0, y0, x1, y1 = found
        margin = max(4, (y1 - y0) // 2)
        crop = _padded(rgb[y0:y1, x0:x1], margin)
        if enlarge != 1.0:
            import cv2
            crop = cv2.resize(crop, None, fx=enlarge, fy=enlarge, interpolation=cv2.INTER_CUBIC)
        crops.append(crop)
        waiting.append(cell_id)
    for cell_id, text in zip(waiting, engine.read_lines(crops)):
        text = " ".join(text.split())
        # A figure's cell: ink that reads as nothing, or as no figure, is a figure unread.
        out[cell_id] = text if text and _is_figure_text(text) else UNREADABLE
    return out


def _ink_box(ink: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """The rectangle around the ink inside a cell (rule remnants at its edges left out),
    or None when the cell holds less than a mark's worth."""
    x0, y0, x1, y1 = box[0] + _INSET, box[1] + _INSET, box[2] - _INSET, box[3] - _INSET
    if x1 <= x0 or y1 <= y0:
        return None
    inside = ink[y0:y1, x0:x1].copy()
    inside[inside.mean(axis=1) > 0.6, :] = False    # a rule running along the cell
    inside[:, inside.mean(axis=0) > 0.6] = False
    if int(inside.sum()) < _MIN_INK:
        return None
    rows = np.flatnonzero(inside.any(axis=1))
    cols = np.flatnonzero(inside.any(axis=0))
    return x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1


def _padded(crop: np.ndarray, margin: int) -> np.ndarray:
    """The crop on paper: `margin` pixels of the page's paper colour around it."""
    paper = np.percentile(crop.reshape(-1, crop.shape[-1]), 90, axis=0).astype(crop.dtype)
    out = np.empty((crop.shape[0] + 2 * margin, crop.shape[1] + 2 * margin, crop.shape[2]), crop.dtype)
    out[:] = paper
    out[margin:margin + crop.shape[0], margin:margin + crop.shape[1]] = crop
    return out
