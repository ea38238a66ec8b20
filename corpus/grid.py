"""Any table the readers meet -> rows of cells (`corpus.document.Table`).

Two sources: spanned cells (HTML ``rowspan``/``colspan``, merged Word cells), which
`expand` lays out on a grid, marking the positions a span fills as copies; and
Markdown conversions, whose pipe rows (``| a | b |``) and tab-separated rows
`split_tables` lifts out of plain lines. PDF text with one cell per line is not a
grid at all: `corpus.figures` reads it as a stream.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.document import Cell, Table
from corpus.report import NotAReport

# Caps so a hostile table cannot blow up memory: spans and grid size are bounded.
MAX_SPAN = 200
MAX_COLUMNS = 300
MAX_ROWS = 5000
# A report's largest table (table 3) has about 30 rows and 10 columns. A table far
# beyond that is a data dump or a hostile file, not a report: the file is refused,
# saying so, rather than read for minutes and gigabytes.
REFUSE_ROWS = 2000
REFUSE_COLUMNS = 100
# A whole file's table rows and cells, counted in the raw markup before parsing.
REFUSE_FILE_ROWS = 10 * REFUSE_ROWS
REFUSE_FILE_CELLS = 200_000


def check_shape(rows: int, columns: int) -> None:
    """Refuse a table of more than `REFUSE_ROWS` rows or `REFUSE_COLUMNS` columns.

    :raise NotAReport: saying which bound the table passes.
    """
    if rows > REFUSE_ROWS:
        raise NotAReport(f"a table has more than {REFUSE_ROWS} rows, far beyond any report's tables.")
    if columns > REFUSE_COLUMNS:
        raise NotAReport(f"a table has {columns} columns, far beyond any report's tables "
                         f"(at most {REFUSE_COLUMNS} are read).")


@dataclass
class SpanCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


def from_ids(rows: list[list[int | None]], texts: list[str], pad: bool = False) -> Table:
    """A grid of cell ids -> a `Table`: the first position of an id holds the cell's text,
    every later position of it (the span's reach) is a copy; None (no cell printed there)
    is a blank copy. `pad` fills short rows out to the widest with such blanks. Every
    reader's merged cells — HTML spans, Word's gridSpan/vMerge, PDF rectangles — end here."""
    width = max((len(ids) for ids in rows), default=0) if pad else 0
    seen: set[int] = set()
    out = []
    for ids in rows:
        cells = []
        for cell_id in list(ids) + [None] * (width - len(ids)):
            if cell_id is None:
                cells.append(Cell("", copy=True))
                continue
            cells.append(Cell(texts[cell_id], copy=cell_id in seen))
            seen.add(cell_id)
        out.append(cells)
    return Table(rows=out)


def expand(rows: list[list[SpanCell]]) -> Table:
    """Lay spanned cells on a grid; every position a span covers beyond its origin is a copy."""
    # Cells as written (a damaged colspan is capped below, not counted as columns).
    check_shape(len(rows), max(map(len, rows), default=0))
    grid: list[list[int | None]] = []
    texts: list[str] = []
    for r, row in enumerate(rows[:MAX_ROWS]):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for span in row:
            line = grid[r]
            while c < len(line) and line[c] is not None:
                c += 1
            rowspan = max(1, min(span.rowspan, MAX_SPAN, MAX_ROWS - r))
            colspan = max(1, min(span.colspan, MAX_SPAN, MAX_COLUMNS - c))
            if colspan <= 0 or c >= MAX_COLUMNS:
                break
            cell_id = len(texts)
            texts.append(span.text)
            for dr in range(rowspan):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                while len(target) < c + colspan:
                    target.append(None)
                for dc in range(colspan):
                    if target[c + dc] is None:
                        target[c + dc] = cell_id
            c += colspan
    return from_ids([ids for ids in grid if ids], texts)


_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_RULE_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")


def _pipe_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip()[1:-1].split("|")]


def _tab_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("\t")]


def _is_rule(cells: list[str]) -> bool:
    """A Markdown separator row: every non-empty cell is a run of dashes."""
    filled = [c for c in cells if c]
    return bool(filled) and all(_RULE_CELL.match(c) for c in filled)


def _kind(line: str) -> str | None:
    if _PIPE_ROW.match(line) and line.count("|") >= 2:   # | 141 | is a one-column table's row
        return "pipe"
    if "\t" in line.strip("\n") and line.strip():
        return "tab"
    return None


def split_tables(lines: list[str]) -> list[str | Table]:
    """Plain lines -> the same lines, with runs of pipe or tab rows turned into Tables.

    A blank line or a separator row inside a run does not end the table: Markdown
    conversions put both in the middle of table 3. A lone tab line is not a table.
    """
    blocks: list[str | Table] = []
    i = 0
    while i < len(lines):
        kind = _kind(lines[i])
        if kind is None:
            blocks.append(lines[i])
            i += 1
            continue
        cells_of = _pipe_cells if kind == "pipe" else _tab_cells
        rows: list[list[Cell]] = []
        while i < len(lines):
            line = lines[i]
            if _kind(line) == kind:
                cells = cells_of(line)
                check_shape(len(rows) + 1, len(cells))
                if not _is_rule(cells):
                    rows.append([Cell(text) for text in cells])
                i += 1
                continue
            # Look past blank lines and dash rules for more rows of the same table.
            j = i
            while j < len(lines) and (not lines[j].strip() or re.fullmatch(r"[\s\-:|]+", lines[j])):
                j += 1
            if j > i and j < len(lines) and _kind(lines[j]) == kind:
                i = j
                continue
            break
        if kind == "tab" and len(rows) == 1:
            # One line with a tab in it is spacing (一、\t总体情况), not a table.
            blocks.append(" ".join(cell.text for cell in rows[0] if cell.text))
        else:
            blocks.append(Table(rows=rows))
    return blocks
