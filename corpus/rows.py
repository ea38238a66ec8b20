"""A table's row labels found in a `Stream` -> each row's values, by the layout the stream proves.

The layouts read:
- values after their label (the usual: a grid row, or a PDF row on one or more lines);
- values on the line above their label (some PDF extractors print a row's numbers first);
- labels listed together, their values in one block after them (`corpus.blocks`);
- a row's run holding the next rows' values too, their tall spanned labels printed after
  them (pdftotext), taken only when the table's arithmetic confirms it.
The layout that gives the most rows their exact width wins, the table's arithmetic
breaking ties; where neither tells two placements apart, only the rows they read alike
are read. A row never takes more or fewer
numbers than its width: surplus numbers are not cut off and missing ones are not
filled, unless the grid row or line they were printed on, or the arithmetic, shows
which belong to the row. Such a row stays unread, and the `tables.<n>` check says so.
"""
from __future__ import annotations

import re
from typing import Callable

from corpus import matching
from corpus.blocks import Label, Order, Rows, adds_up, column_lines, read_block, trim
from corpus.numbers import BLANK
from corpus.stream import Stream


_LOOK_AHEAD = 3   # later labels checked before a label's match is believed
_WEAK_MATCH = 4   # a match this short (其他, 总计) stands anywhere: it proves no label out of place


def find_labels(s: Stream, start: int, labels: list[tuple[str, re.Pattern]]) -> list[Label]:
    """Each label's first match after the previous one's, in the template's order, where a
    row label may stand (`Stream.find_label`). A label matched only beyond where one of the
    next labels already stands is out of place (a tall cell printed after the table, a
    word in a note) and counts as not found."""
    found: list[Label] = []
    pos = start
    for i, (name, pattern) in enumerate(labels):
        match = s.find_label(pattern, pos)
        if not match:
            continue
        later = [m[0] for _, p in labels[i + 1:i + 1 + _LOOK_AHEAD]
                 if (m := s.find_label(p, pos)) and m[1] - m[0] > _WEAK_MATCH]
        if later and min(later) < match[0]:
            continue
        found.append(Label(name, *match))
        pos = match[1]
    return found


def fit(s: Stream, run: list[int], width: int, blank_is_zero: bool) -> list | None:
    """The row's `width` values from a run of value indexes, or None when the run does not
    prove them: surplus blanks at either end are trimmed; surplus numbers are accepted
    only when the run's first line is a grid row, or a line of several numbers, holding
    exactly the row (a line of one number among many proves nothing), or when every
    placement of the row in the run gives the same numbers."""
    values = trim([s.values[i] for i in run], width)
    first_line = s.lines[run[0]] if run else None
    if len(values) != width and len(run) > width and (first_line in s.grid_lines or width > 1):
        on_line = trim([s.values[i] for i in run if s.lines[i] == first_line], width)
        values = on_line if len(on_line) == width else values
    if len(values) > width and len(set(values)) == 1:
        values = values[:width]   # every placement reads the same numbers (a row of zeros and a filler)
    if len(values) != width or not _printed_as_a_row(s, run, width):
        return None
    if all(v == BLANK for v in values) and not blank_is_zero:
        return None
    return [0 if v == BLANK else v for v in values]


def _printed_as_a_row(s: Stream, run: list[int], width: int) -> bool:
    """Text prints a row's numbers on one line or one a line; a row spread otherwise over
    lines (3 0 0 0 / 0 / 0 / 0) may have run into the next row's numbers, so it is taken
    only when it adds up to its 总计."""
    lines = [s.lines[i] for i in run]
    if len(run) != width or lines[0] in s.grid_lines or len(set(lines)) in (1, len(lines)) or width < 3:
        return True
    return adds_up(s, [run])


def _after(s: Stream, labels: list[Label], widths: dict[str, int], start: int, end: int,
           blocks: Rows | None = None, listed: bool = True, order: Order | None = None) -> Rows:
    """Each label's first run after it; labels printed together read as a block when
    `listed` (their rows added to `blocks` when given) and nothing before them could be
    the first one's (numbers above it, not the previous row's)."""
    rows: Rows = {}
    in_blocks: Rows = {}
    i = 0
    while i < len(labels):
        j = i   # labels printed together with nothing between them
        while j + 1 < len(labels) and not s.runs(labels[j].end, labels[j + 1].start):
            j += 1
        stop = labels[j + 1].start if j + 1 < len(labels) else end
        runs = _one_row(s, s.runs(labels[j].end, stop), {widths[labels[j].name]}) if j == i else s.runs(labels[j].end, stop)
        # Numbers on one line with the last label's text are that label's, not a block's.
        # A loose line of labels (one or more) before a table of bare numbers is a block too.
        loose = bool(runs) and s.lines[runs[0][0]] in s.grid_lines and s.char_lines[labels[j].end - 1] not in s.grid_lines
        together = (j > i or loose) and listed and not (runs and not s.grid_lines and s.beside_text(runs[0])) \
            and _nothing_above(s, labels, widths, i, start, in_blocks)
        group = read_block(s, labels[i:j + 1], runs, widths, order) if together else None
        if group is None and j > i and runs and not s.beside_text(runs[0]) \
                and _nothing_above(s, labels, widths, i, start, in_blocks):
            group = column_lines(s, labels[i:j + 1], runs[0], widths)   # proven by its lines alone
        if group:
            rows.update(group)
            in_blocks.update(group)
            if blocks is not None:
                blocks.update(group)
        elif runs:
            rows[labels[j].name] = runs[0]
        i = j + 1
    return rows


def _nothing_above(s: Stream, labels: list[Label], widths: dict[str, int], i: int, start: int,
                   read: Rows) -> bool:
    """No numbers stand before label i but those of blocks `read` already and the previous
    label's own row: a row printed on that label's line, or the only place left for that
    label's numbers."""
    taken = {v for run in read.values() for v in run}
    runs = [run for run in s.runs(labels[i - 1].end if i else start, labels[i].start)
            if not set(run) <= taken]
    if not runs:
        return True
    width = widths[labels[i - 1].name]
    if i == 0 or len(runs) > 1 or len(trim([s.values[v] for v in runs[0]], width)) != width:
        return False
    previous = labels[i - 1]
    on_its_line = s.char_lines[previous.end - 1] == s.lines[runs[0][0]]
    return on_its_line or not s.runs(labels[i - 2].end if i > 1 else start, previous.start)


def _one_row(s: Stream, runs: list[list[int]], widths: set[int]) -> list[list[int]]:
    """Runs between two labels that hold exactly one row's numbers, the first of them on
    the label's own line, are that row, split only by the rest of a wrapped label
    (（二）部分公开（区分处理的， 5 / 只计这一情形，不计其他情形） 0 0 0 0 0 5)."""
    if len(runs) > 1 and sum(len(run) for run in runs) in widths and s.beside_text(runs[0]):
        return [[i for run in runs for i in run]]
    return runs


def _rows_by_line(s: Stream, run: list[int], widths: tuple[int, int] | None) -> list[list[int]]:
    """A run between two labels printed as their two rows (`widths`), one on a line of its
    own and the other too or one value a line, is two runs: the first the upper label's
    (its values after it), the second the lower one's (its values above it)."""
    if widths is None or 1 in widths or len(run) != sum(widths):
        return [run]
    first, second = run[:widths[0]], run[widths[0]:]
    lines = [s.lines[i] for i in run]
    if lines[widths[0] - 1] == lines[widths[0]]:
        return [run]   # the two rows share a line: not printed a row (or a value) a line
    shapes = [len({s.lines[i] for i in row}) for row in (first, second)]
    # Each row on one line or one value a line; two rows of one value a line could be
    # one row's run (its label moved away) as well, so one of them is on one line.
    if any(n not in (1, len(row)) for n, row in zip(shapes, (first, second))) or 1 not in shapes:
        return [run]
    return [first, second]


def _above(s: Stream, labels: list[Label], widths: dict[str, int], start: int) -> Rows:
    rows: Rows = {}
    for i, label in enumerate(labels):
        runs = s.runs(labels[i - 1].end if i else start, label.start)
        if runs:
            rows[label.name] = runs[-1]
    return rows


def _spilled(s: Stream, labels: list[Label], widths: dict[str, int], start: int, end: int) -> Rows:
    """Values after their label, where a row's run also holds the values of the next rows
    whose labels were printed later with nothing after them (pdftotext puts a tall
    spanned label cell — （七）总计, 四、结转下年度继续办理 — after the rows beside it)."""
    rows = _after(s, labels, widths, start, end)
    for i, label in enumerate(labels):
        run = rows.get(label.name, [])
        width = widths[label.name]
        spill = len(run) // width - 1 if width else 0
        # The rows spilled into are the very next ones, each without a run of its own.
        following = labels[i + 1:i + 1 + spill]
        if spill >= 1 and len(run) == (spill + 1) * width and len(following) == spill \
                and all(later.name not in rows and widths[later.name] == width for later in following):
            for n, later in enumerate([label] + following):
                rows[later.name] = run[n * width:(n + 1) * width]
    return rows


def _straddling(s: Stream, labels: list[Label], widths: dict[str, int], segments: list[list[list[int]]]) -> set[tuple]:
    """Rows whose numbers straddle the next label's text (4.保护第三方合法权益 1 / 5.属于三类
    内部事务信息 0 0 0 0 0 1 / 0 0 0 0 0 0 0): too few numbers beside a label, and beside the
    next label's text the very number of those missing, are the first label's row when it
    adds up to its 总计; the next label's own numbers follow. `segments` (the runs between
    labels) are rewritten so; the joined rows are returned."""
    joined = set()
    for j in range(len(labels) - 1):
        mine, following = segments[j + 1], segments[j + 2]
        if len(mine) != 1 or not following:
            continue
        own, next_run = mine[0], following[0]
        if len(own) >= widths[labels[j].name] or not s.text_before_on_line(own) \
                or not s.text_before_on_line(next_run):
            continue
        head = [i for i in next_run if s.lines[i] == s.lines[next_run[0]]]
        row = own + head
        if len(row) != widths[labels[j].name] or not adds_up(s, [row]):
            continue
        segments[j + 1] = [row]
        segments[j + 2] = ([next_run[len(head):]] if len(head) < len(next_run) else []) + following[1:]
        joined.add(tuple(row))
    return joined


def _adjacent(s: Stream, labels: list[Label], widths: dict[str, int], start: int, end: int,
              fits: Callable[[str, list[int]], bool], blocks: Rows) -> Rows:
    """Rows from the runs next to their labels, where the layout allows only one reading.

    A run on one line with the text before it (the label, or the rest of a wrapped one)
    is that label's, and one on one line with the text after it is the next label's:
    such a run is a label's only candidate. Otherwise a label's candidates are the last
    run before it and the first after it, unless one of them is held by a neighbour so.
    """
    bounds = [start] + [label.end for label in labels]
    stops = [label.start for label in labels] + [end]
    segments = []
    for j, (a, b) in enumerate(zip(bounds, stops)):
        near = {widths[labels[k].name] for k in (j - 1, j) if 0 <= k < len(labels)}
        pair = (widths[labels[j - 1].name], widths[labels[j].name]) if 0 < j < len(labels) else None
        runs = [row for run in s.runs(a, b) for row in _rows_by_line(s, run, pair)]
        segments.append(_one_row(s, runs, near))
    joined = _straddling(s, labels, widths, segments)
    held = {tuple(run) for run in blocks.values()}
    candidates: list[list[tuple]] = []
    for j, label in enumerate(labels):
        if label.name in blocks:
            candidates.append([tuple(blocks[label.name])])
            continue
        before = [r for r in segments[j] if tuple(r) not in held and tuple(r) not in joined]
        after = [r for r in segments[j + 1] if tuple(r) not in held]
        own_after = [r for r in after if s.text_before_on_line(r)][:1]
        own_before = [r for r in before if s.text_after_on_line(r) and not s.text_before_on_line(r)][-1:]
        # A run above the label is its candidate only right above it: nothing between
        # them but the label's own line (a tall cell's text printed later is another row's).
        above = [r for r in before[-1:] if s.just_before(r, label.start)]
        if own_after or own_before:
            runs = own_after or own_before
        else:
            runs = [r for r in (after[:1] + above) if not s.beside_text(r)]
        candidates.append([tuple(r) for r in runs if fits(label.name, r)])
    found = matching.forced(candidates)
    return {labels[j].name: list(run) for j, run in found.items()}


def assign(s: Stream, labels: list[Label], widths: dict[str, int], start: int, end: int,
           agreement: Callable[[dict[str, list]], int] | None = None, order: Order | None = None) -> dict[str, list]:
    """Each found row's values, by the layout the stream proves.

    Every row's values right after its label (or, failing that, right before it) is the
    whole table read: the one of the two that adds up better (in text where both read
    every row and add up alike, only the rows they read alike). In a grid, a row is read
    where its label and numbers share a grid row, or a block of loose labels before a
    table of bare numbers proves it. Otherwise, in text, only
    the rows whose run every best reading agrees on are read (`corpus.matching`); the
    spilled reading, when it gives every label the numbers after it, adds to that the
    rows it reads beyond when the arithmetic confirms it.
    """
    blank_is_zero = s.has_numbers() or s.grid

    def fitted(layout: Rows) -> dict[str, list]:
        rows = {}
        for name, run in layout.items():
            values = fit(s, run, widths[name], blank_is_zero)
            if values is not None:
                rows[name] = values
        return rows

    def agree(rows: dict[str, list]) -> int:
        return agreement(rows) if agreement else 0

    # Text whose numbers share lines with labels is laid out row by row: labels printed
    # together there are rows with nothing beside them, not a list before a block.
    listed = bool(s.grid_lines) or not any(s.beside_text(run) for run in s.runs(start, end))
    blocks: Rows = {}
    runs_after = _after(s, labels, widths, start, end, blocks, listed, order)
    after = fitted(runs_after)
    if s.grid:
        # A grid proves a row where its label and numbers share a grid row, and labels
        # listed apart from a table of bare numbers where the block proves them.
        line = {label.name: s.char_lines[label.end - 1] for label in labels}
        return {name: values for name, values in after.items()
                if name in blocks or s.lines[runs_after[name][0]] == line[name]}
    above = fitted(_above(s, labels, widths, start))
    whole = [rows for rows in (after, above) if len(rows) == len(labels)]
    if len(whole) == 2 and after != above and agree(after) == agree(above):
        # Numbers both before and after every label, and the arithmetic cannot tell
        # which are whose: only the rows both readings give alike are read.
        return {name: values for name, values in after.items() if above[name] == values}
    if whole:
        return max(whole, key=agree)
    def fits(name: str, run: list[int]) -> bool:
        # Where nothing proves the layout, a table with a 总计 column takes a row spread
        # over lines (one value a line: maybe a piece of a column) only when it adds up.
        spread = len({s.lines[i] for i in run}) > 1 and s.lines[run[0]] not in s.grid_lines
        return fit(s, run, widths[name], blank_is_zero) is not None \
            and not (agreement and spread and tuple(run) not in held and not adds_up(s, [run]))

    held = {tuple(run) for run in blocks.values()}
    best = fitted(_adjacent(s, labels, widths, start, end, fits, blocks))
    if agreement:
        # Numbers after every label: the spilled reading, never one that reads a row
        # otherwise than the proven one.
        runs = _spilled(s, labels, widths, start, end)
        spilled = fitted(runs)
        if len(runs) == len(labels) and agree(spilled) > agree(best) and len(spilled) > len(best) \
                and all(spilled.get(name) == values for name, values in best.items()):
            best = spilled
    return best
