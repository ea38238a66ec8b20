"""A page picture's ruled tables: where their rules run, and the cells they enclose.

Report tables are printed with rules (Word's 表格 grid). On a straightened page
picture (`corpus.ocr.straighten`), a horizontal rule is a long run of dark pixels
along one pixel row, a vertical one along a column: an opening with a long thin
kernel keeps those and drops the characters. Rules that touch form one table; its
distinct rule positions cut it into a grid of positions, and a rule missing between
two neighbouring positions (a merged cell, 三、本年度办理结果 down twenty rows) makes them
one cell, as pdfplumber finds spans from a PDF's cell rectangles.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_MIN_RULE_INCHES = 0.35     # shorter dark runs are strokes of characters, not rules
_MERGE_PIXELS = 4           # rule pixels this close belong to one rule
_DRAWN = 0.6                # a boundary is drawn when this share of it is rule


@dataclass
class Grid:
    """One ruled table: rule positions, and for each grid position the id of its cell."""

    ys: list[int]           # horizontal rules, top to bottom
    xs: list[int]           # vertical rules, left to right
    ids: list[list[int]]    # rows x columns of cell ids (merged positions share an id)

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def cell_box(self, cell_id: int) -> tuple[int, int, int, int]:
        """The rectangle of the cell (between its outer rules)."""
        rows = [r for r, row in enumerate(self.ids) if cell_id in row]
        cols = [c for row in self.ids for c, i in enumerate(row) if i == cell_id]
        return self.xs[min(cols)], self.ys[min(rows)], self.xs[max(cols) + 1], self.ys[max(rows) + 1]

    def position(self, x: float, y: float) -> tuple[int, int] | None:
        """The (row, column) of the grid position holding the point, or None outside."""
        if not (self.xs[0] <= x < self.xs[-1] and self.ys[0] <= y < self.ys[-1]):
            return None
        column = max(c for c, x0 in enumerate(self.xs[:-1]) if x0 <= x)
        row = max(r for r, y0 in enumerate(self.ys[:-1]) if y0 <= y)
        return row, column


def dark(gray: np.ndarray) -> np.ndarray:
    """Ink: pixels darker than halfway between the page's paper and its darkest ink."""
    paper = float(np.percentile(gray, 90))
    ink = float(np.percentile(gray, 0.5))
    return gray < (paper + ink) / 2


def _positions(profile: np.ndarray) -> list[tuple[int, int]]:
    """Runs of consecutive indexes where `profile` is set, as (first, last), gaps of a
    few pixels bridged."""
    runs: list[tuple[int, int]] = []
    for i in np.flatnonzero(profile):
        if runs and i - runs[-1][1] <= _MERGE_PIXELS:
            runs[-1] = (runs[-1][0], int(i))
        else:
            runs.append((int(i), int(i)))
    return runs


def find(ink: np.ndarray, dpi: float) -> list[Grid]:
    """Every ruled table on the page (at least two rules each way), top to bottom."""
    import cv2

    length = max(8, int(_MIN_RULE_INCHES * dpi))
    mask = ink.astype(np.uint8)
    horizontal = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    vertical = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    rules = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    grids = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if w < 2 * length or h < length:
            continue
        region = labels[y:y + h, x:x + w] == label
        grid = _grid(horizontal[y:y + h, x:x + w] & region, vertical[y:y + h, x:x + w] & region, length)
        if grid is not None:
            grid.xs = [v + x for v in grid.xs]
            grid.ys = [v + y for v in grid.ys]
            grids.append(grid)
    return sorted(grids, key=lambda g: g.ys[0])


def _grid(horizontal: np.ndarray, vertical: np.ndarray, length: int) -> Grid | None:
    rows = [(a + b) // 2 for a, b in _positions(horizontal.sum(axis=1) >= length)]
    cols = [(a + b) // 2 for a, b in _positions(vertical.sum(axis=0) >= length)]
    if len(rows) < 2 or len(cols) < 2:
        return None
    # Rules a few pixels thick: look for them in a band around each position.
    band = _MERGE_PIXELS

    def drawn_vertical(x: int, y0: int, y1: int) -> bool:
        strip = vertical[y0 + band:max(y0 + band + 1, y1 - band), max(0, x - band):x + band + 1]
        return strip.size > 0 and strip.any(axis=1).mean() >= _DRAWN

    def drawn_horizontal(y: int, x0: int, x1: int) -> bool:
        strip = horizontal[max(0, y - band):y + band + 1, x0 + band:max(x0 + band + 1, x1 - band)]
        return strip.size > 0 and strip.any(axis=0).mean() >= _DRAWN

    n_rows, n_cols = len(rows) - 1, len(cols) - 1
    parent = list(range(n_rows * n_cols))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            here = r * n_cols + c
            if c + 1 < n_cols and not drawn_vertical(cols[c + 1], rows[r], rows[r + 1]):
                parent[root(here + 1)] = root(here)
            if r + 1 < n_rows and not drawn_horizontal(rows[r + 1], cols[c], cols[c + 1]):
                parent[root(here + n_cols)] = root(here)
    numbering: dict[int, int] = {}
    ids = [[numbering.setdefault(root(r * n_cols + c), len(numbering)) for c in range(n_cols)]
           for r in range(n_rows)]
    return Grid(ys=rows, xs=cols, ids=ids)
