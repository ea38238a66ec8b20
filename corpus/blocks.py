"""Labels listed together, their values in one block after them -> each row's values.

Extractors and converters print a table's labels apart from its numbers: a table of bare
numbers beside loose labels, every 自然人 value then every 商业企业 value … (pdfminer),
the first rows by column and the rest by row, one line per column (pdfplumber). The
block is read only where it proves which number is whose: a row a line, header words or
lines between the columns, or the table's arithmetic (each row adding up to its 总计)
agreeing on one reading. How a text was shown to print its blocks is kept in an `Order`,
so a table without arithmetic (table 2) can be read the way table 3 proved.
"""
from __future__ import annotations

from dataclasses import dataclass

from corpus.numbers import BLANK
from corpus.stream import Stream


@dataclass
class Label:
    """A row label found in the text: its template name and where it stands."""

    name: str
    start: int
    end: int


@dataclass
class Order:
    """How the text prints a block of listed rows' values, as far as a table has proven it:
    `by_column` once a block of rows of one width was read column by column, one value a
    line (every 自然人 value, then every 商业企业 value …, as pdfminer prints them)."""

    by_column: bool = False


Rows = dict[str, list[int]]   # row name -> value indexes


def trim(values: list, width: int) -> list:
    """The values without surplus blanks at either end (filler cells beside a row)."""
    values = list(values)
    while len(values) > width and values[-1] == BLANK:
        values.pop()
    while len(values) > width and values[0] == BLANK:
        values.pop(0)
    return values


def read_block(s: Stream, group: list[Label], runs: list[list[int]], widths: dict[str, int],
               order: Order | None = None) -> Rows | None:
    """Values for labels listed together, from the block of values after the last of them;
    None when the block does not prove which value belongs to which row. A reading by
    column is noted in `order`; rows of one width in one run are read by column only when
    `order` says the text prints blocks so."""
    order = order if order is not None else Order()
    sizes = [widths[label.name] for label in group]
    need = sum(sizes)
    flat: list[int] = []
    used: list[list[int]] = []
    for run in runs:
        if len(flat) >= need:
            break
        flat += run
        used.append(run)
    lines = split_lines(s, flat)
    if len(lines) == len(group) and all(len(trim([s.values[i] for i in line], size)) == size
                                        for line, size in zip(lines, sizes)):
        return named(group, lines)                      # a row a line (or a grid row)
    if len(flat) != need:
        return None
    rows = sequence(flat, sizes)
    n, width = len(group), sizes[0]
    if set(sizes) == {1}:
        return named(group, rows)                       # only one reading is possible
    if len(set(sizes)) > 1:
        return _by_runs(s, group, used, sizes, order.by_column)
    by_column = sequence([flat[c * n + r] for r in range(n) for c in range(width)], sizes)
    if n != width and len(used) == width and all(len(run) == n for run in used):
        order.by_column = order.by_column or one_a_line(s, flat)
        return named(group, by_column)                  # header words between the columns
    if column_lines(s, group, flat, widths):
        return named(group, by_column)                  # a column a line
    # Otherwise the arithmetic must tell. Extractors also print the first k rows column by
    # column and the rest row by row: of every such reading (k = 0 … n), those whose every
    # row adds up to its 总计 must all give the same numbers, or nothing is read.
    readings = {}
    for k in range(n + 1):
        head = [flat[c * k + r] for r in range(k) for c in range(width)]
        reading = sequence(head + flat[k * width:], sizes)
        if adds_up(s, reading):
            readings[k] = reading
    if readings and len({tuple(s.values[i] for r in reading for i in r) for reading in readings.values()}) == 1:
        # Two rows or more read by column, whatever the reading: the text prints blocks so.
        order.by_column = order.by_column or (min(readings) >= 2 and one_a_line(s, flat))
        return named(group, next(iter(readings.values())))
    return None


def one_a_line(s: Stream, run: list[int]) -> bool:
    return len({s.lines[i] for i in run}) == len(run)


def column_lines(s: Stream, group: list[Label], run: list[int], widths: dict[str, int]) -> Rows | None:
    """Rows of one width listed together, their values in a run of one line per column, each
    line holding every row's value of that column (pdfplumber prints some blocks so): the
    lines prove the reading when there are not as many rows as columns."""
    sizes = {widths[label.name] for label in group}
    n, width = len(group), max(sizes)
    lines = split_lines(s, run)
    if len(sizes) != 1 or n == width or n < 2 or len(run) != n * width or len(lines) != width \
            or any(len(line) != n for line in lines):
        return None
    return named(group, [[line[r] for line in lines] for r in range(n)])


def _by_runs(s: Stream, group: list[Label], runs: list[list[int]], sizes: list[int],
             by_column: bool) -> Rows | None:
    """Rows of different widths from runs that each cover whole consecutive rows; a run
    covering two or more rows of the same width (规章 and 规范性文件, three columns each)
    could be read by row or by column: it is read by column, one value a line, where the
    text has shown it prints blocks so (`by_column`), else those rows stay unread."""
    out: Rows = {}
    row = 0
    for run in runs:
        covered, total = row, 0
        while covered < len(sizes) and total < len(run):
            total += sizes[covered]
            covered += 1
        if total != len(run):
            return None
        widths = sizes[row:covered]
        n = covered - row
        if not (n > 1 and len(set(widths)) == 1 and widths[0] > 1):
            out.update(named(group[row:covered], sequence(run, widths)))
        elif by_column and one_a_line(s, run):
            out.update(named(group[row:covered], [run[r::n] for r in range(n)]))
        row = covered
    return out


def named(group: list[Label], rows: list[list[int]]) -> Rows:
    return {label.name: row for label, row in zip(group, rows)}


def sequence(indexes: list[int], sizes: list[int]) -> list[list[int]]:
    out, pos = [], 0
    for size in sizes:
        out.append(indexes[pos:pos + size])
        pos += size
    return out


def split_lines(s: Stream, indexes: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for i in indexes:
        if out and s.lines[out[-1][-1]] == s.lines[i]:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def adds_up(s: Stream, rows: list[list[int]]) -> bool:
    """Every row's last value is the sum of the others (the 总计 column)."""
    for row in rows:
        values = [s.values[i] for i in row]
        numbers = [0 if v == BLANK else v for v in values]
        if not all(isinstance(v, (int, float)) for v in numbers) or abs(sum(numbers[:-1]) - numbers[-1]) > 1e-6:
            return False
    return True
