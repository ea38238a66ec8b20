"""Figures read by OCR are kept only where a second reading or the arithmetic confirms them.

OCR misreads digits (1 and 7, 0 and 8) and drops a lone ``1`` in a cell; a wrong figure
is worse than an absent one. So a report's tables are read twice: once from each
cell's first reading (the page's OCR), once from its second (the cell's crop read
alone, `corpus.ocr.cells`), by the same row matcher as every other reader. Then:

1. a figure both readings give alike is kept;
2. any other figure is kept only when a rule of the template's arithmetic (a row's
   总计, a column's results, the 勾稽关系, an appeals group; `corpus.checks.equations`)
   holds with one of its two readings, every other figure of the rule being kept —
   or, for up to `_MAX_OPEN` such figures in one rule, when exactly one choice of
   their readings makes it hold — repeated until nothing more is confirmed;
3. a figure kept so far that a complete rule contradicts and none confirms is dropped
   (two readings can agree on the same misreading; and in a picture a printed slip
   cannot be told from a misread digit);
4. the rest are absent, and the table's ``tables.<n>`` check names them.

Prose lines read by OCR have no second reading: a number standing alone on such a line
(a table printed without rules, read as text) counts as unconfirmed in the second
reading, so it too is kept only where the arithmetic confirms it.
"""
from __future__ import annotations

import dataclasses
import itertools

from corpus.checks import equations
from corpus.document import Cell, Table
from corpus.numbers import UNREAD_MARK, cell_value, is_figure

_TOLERANCE = 1e-6
_MAX_OPEN = 3        # a rule confirms at most this many figures at once, and only by one way of reading them


def second_reading(blocks: list, ocr_lines: set[str]) -> list:
    """The blocks as their second reading gives them: each cell's `second` text where it
    has one, and every lone number on a line read by OCR unread (`UNREAD_MARK`)."""
    return [_second_block(block, ocr_lines) for block in blocks]


def _second_block(block, ocr_lines: set[str]):
    if isinstance(block, Table):
        return Table([[Cell(cell.text if cell.second is None else cell.second, cell.copy) for cell in row]
                      for row in block.rows])
    if isinstance(block, str) and block in ocr_lines:
        return " ".join(UNREAD_MARK if cell_value(piece) is not None else piece for piece in block.split())
    return block


def second_parts(parts: list, ocr_lines: set[str]) -> list:
    """Sections (`corpus.sections.Part`) with their blocks in the second reading."""
    return [dataclasses.replace(part, blocks=second_reading(part.blocks, ocr_lines)) for part in parts]


def confirmed(first: dict, second: dict) -> dict:
    """The figures that are kept, from the two readings' figures (key -> value)."""
    kept = {key: value for key, value in first.items() if key in second and second[key] == value}
    readings = {key: [v for v in (first.get(key), second.get(key)) if is_figure(v)]
                for key in set(first) | set(second)}
    rules = equations({**first, **second})
    changed = True
    while changed:
        changed = False
        for _rule, left, right in rules:
            open_keys = [key for key in left + right if key not in kept]
            if not open_keys or len(open_keys) > _MAX_OPEN or not all(readings.get(k) for k in open_keys):
                continue
            fits = {combination for combination in itertools.product(*(readings[k] for k in open_keys))
                    if _holds(left, right, {**kept, **dict(zip(open_keys, combination))})}
            if len(fits) == 1:
                kept.update(zip(open_keys, fits.pop()))
                changed = True
    return _without_contradicted(kept, rules)


def _without_contradicted(kept: dict, rules: list) -> dict:
    """Without the figures that a rule contradicts and no rule confirms: both readings
    may agree on a wrong figure (11 read as 2 twice), and a printed slip cannot be told
    from a misreading in a picture, so such a figure is left unread."""
    complete = [(left, right) for _rule, left, right in rules if all(k in kept for k in left + right)]
    holds = {k for left, right in complete if _holds(left, right, kept) for k in left + right}
    fails = {k for left, right in complete if not _holds(left, right, kept) for k in left + right}
    return {k: v for k, v in kept.items() if k not in fails or k in holds}


def _holds(left: list[str], right: list[str], values: dict) -> bool:
    return abs(sum(values[k] for k in left) - sum(values[k] for k in right)) < _TOLERANCE
