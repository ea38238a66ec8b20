"""Tables in any shape -> one stream of text and value tokens.

Tables reach us as grids (HTML, Word, Markdown pipe/tab rows) or flattened into
lines (PDF text: one cell per line, labels wrapped over several lines, vertical
one-character labels). Both become the same `Stream`: the labels' text folded (no
white space, so a label wrapped anywhere still reads whole) with one mark per value,
the values in order, and for each value the line or grid row it was printed on — the
one piece of layout that can prove which numbers form a row. A grid contributes its
blank cells as values too, which keeps columns in place (a cell holding several numbers
apart, its border lost in conversion, gives each), and says where a row label may
stand: at the start of its own row, never in a row of column headers.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from corpus.clean import fold, is_footer
from corpus.document import Table
from corpus.numbers import BLANK, UNITS, cell_value, with_unit

VALUE = "\ue000"  # stands for one value token in the folded label text


@dataclass
class Stream:
    """Folded text with one `VALUE` mark per value; the values and their lines in order."""

    text: str
    values: list
    lines: list[int]
    grid_lines: frozenset = frozenset()   # the lines that are grid rows
    char_lines: list[int] = field(default_factory=list)   # the line of each character of `text`
    # Per character of `text`: 1 where a row label may start, 0 inside a grid row's
    # column headers or cells after its numbers (empty: anywhere).
    label_zone: bytes = b""
    _positions: list[int] = field(default_factory=list, repr=False)   # each value's place in `text`
    _bare: str | None = field(default=None, repr=False)   # `text` without its value marks …
    _bare_at: list[int] = field(default_factory=list, repr=False)   # … and where each of its characters is

    @property
    def grid(self) -> bool:
        """Some values came from a grid, where a blank cell is a printed 0."""
        return bool(self.grid_lines)

    def runs(self, pos: int, end: int) -> list[list[int]]:
        """The runs of consecutive values between text positions pos and end, as value indexes."""
        runs, current = [], []
        index = self.text.count(VALUE, 0, pos)
        for ch in self.text[pos:end]:
            if ch == VALUE:
                current.append(index)
                index += 1
            elif current:
                runs.append(current)
                current = []
        if current:
            runs.append(current)
        return runs

    def _position(self, index: int) -> int:
        if not self._positions:
            self._positions.extend(i for i, ch in enumerate(self.text) if ch == VALUE)
        return self._positions[index]

    def find_label(self, pattern: re.Pattern, pos: int) -> tuple[int, int] | None:
        """(start, end) of the first match of a row label at or after `pos` that starts where
        a label may (the start of a grid row, or anywhere in text lines). Numbers printed
        inside the label's text (its values straddling a wrapped label) do not break the
        match; the label then ends where they start, so they stand after it."""
        if self._bare is None:
            self._bare_at.extend(i for i, ch in enumerate(self.text) if ch != VALUE)
            self._bare = self.text.replace(VALUE, "")
        at = bisect.bisect_left(self._bare_at, pos)
        while (match := pattern.search(self._bare, at)) is not None:
            start, end = self._bare_at[match.start()], self._bare_at[match.end() - 1] + 1
            if not self.label_zone or self.label_zone[start]:
                inside = self.text.find(VALUE, start, end)
                return start, (end if inside < 0 else inside)
            at = match.start() + 1
        return None

    def text_before_on_line(self, run: list[int]) -> bool:
        """Text is printed just before the run, on its line (a label, then its numbers)."""
        first = self._position(run[0])
        return first > 0 and self.text[first - 1] != VALUE and self.char_lines[first - 1] == self.lines[run[0]]

    def text_after_on_line(self, run: list[int]) -> bool:
        """Text is printed just after the run, on its line (numbers, then their label)."""
        last = self._position(run[-1])
        return last + 1 < len(self.text) and self.char_lines[last + 1] == self.lines[run[-1]]

    def just_before(self, run: list[int], pos: int) -> bool:
        """The run stands right before text position `pos`: what lies between is on the
        line of `pos` (a label's numbering, （一）), never on lines of its own."""
        last = self._position(run[-1])
        return all(self.char_lines[i] == self.char_lines[pos] for i in range(last + 1, pos))

    def beside_text(self, run: list[int]) -> bool:
        """The run shares a line with the text printed just before or after it."""
        return self.text_before_on_line(run) or self.text_after_on_line(run)

    def has_numbers(self) -> bool:
        return any(isinstance(v, (int, float)) for v in self.values)


_SIGN_ONLY = {"增", "减"}
_TRAILING_NUMBER = re.compile(r"^(.*[^\d第.、．\s(（])(\d+)$")
_GENERIC_HEADER = re.compile(r"^(?:数据|列|栏|项|字段)\d{1,2}$")   # OCR's column headers: 数据1 … 数据6


def _line_tokens(line: str, out: list, line_id: int) -> None:
    """Split a flattened line at white space into text and value tokens."""
    pending_sign = None
    for piece in line.split():
        value = cell_value(piece)
        if value is None:
            if piece in UNITS and out and out[-1][0] == "value":
                out[-1] = ("value", with_unit(out[-1][1], piece), out[-1][2], False)
                continue
            if piece in _SIGN_ONLY:
                pending_sign = piece
                continue
            split = _TRAILING_NUMBER.match(piece)
            if split and not split.group(1)[-1].isascii() and not _GENERIC_HEADER.match(piece):
                out.append(("text", split.group(1), line_id, True))
                out.append(("value", cell_value(split.group(2)), line_id, False))
                continue
            out.append(("text", piece, line_id, True))
            continue
        if pending_sign and isinstance(value, (int, float)):
            value = -abs(value) if pending_sign == "减" else value
            pending_sign = None
        out.append(("value", value, line_id, False))
    if pending_sign:
        out.append(("text", pending_sign, line_id, True))


def _cell_values(text: str) -> list[tuple[str, object]]:
    """A grid cell's (text, value) pairs: one, or one per number where the cell holds several
    numbers apart (| 规章 | 5 3 | 7 |: a border lost in conversion, two cells in one)."""
    pieces = text.split()
    if len(pieces) > 1:
        values = [cell_value(piece) for piece in pieces]
        if all(isinstance(value, (int, float)) for value in values):
            return list(zip(pieces, values))
    return [(text, cell_value(text))]


_LABEL_CELLS = 3   # a row label spans at most three cells: 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密


def _table_tokens(table: Table, out: list, first_line: int) -> int:
    """A grid's cells as tokens. A row label is the text at the start of its own row: text
    cells after a row's first number are not, nor are the cells of a row with no number
    and more text cells than a label spans (column headers placed between rows)."""
    for n, row in enumerate(table.rows):
        cells = [(piece, value) for text in table.own_cells(row) for piece, value in _cell_values(text)]
        numbered = any(value not in (None, BLANK) for _, value in cells)
        header = not numbered and sum(1 for text, value in cells if value is None) > _LABEL_CELLS
        seen_number = False
        for text, value in cells:
            seen_number = seen_number or value not in (None, BLANK)
            if value is None:
                out.append(("text", text, first_line + n, not (header or seen_number)))
            else:
                out.append(("value", value, first_line + n, False))
    return first_line + len(table.rows)


def stream(blocks: list) -> Stream:
    """Tokens of the given blocks as a `Stream`."""
    tokens: list = []
    line_id, grid_lines = 0, set()
    for block in blocks:
        if isinstance(block, Table):
            first = line_id
            line_id = _table_tokens(block, tokens, line_id)
            grid_lines.update(range(first, line_id))
        elif not is_footer(block):
            _line_tokens(block.replace("\f", " "), tokens, line_id)
            line_id += 1
    parts, values, lines, char_lines, zone = [], [], [], [], bytearray()
    for kind, token, line, label_may_start in tokens:
        if kind == "value":
            parts.append(VALUE)
            values.append(token)
            lines.append(line)
            char_lines.append(line)
            zone.append(0)
        else:
            text = fold(token).replace(VALUE, "")
            parts.append(text)
            char_lines.extend([line] * len(text))
            zone.extend([label_may_start] * len(text))
    return Stream("".join(parts), values, lines, frozenset(grid_lines), char_lines, bytes(zone))
