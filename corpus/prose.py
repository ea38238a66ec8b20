"""A section's blocks -> its prose and its tables, as a reader reads them.

Wrapped lines are joined into paragraphs (never across a heading, an item or a table
row), page furniture is dropped, and tables stay apart from the prose: a `Table`
block keeps its grid, and lines that are a table flattened by PDF extraction (a label
and its values) are lifted out into a table of their own.
"""
from __future__ import annotations

import re

from corpus.clean import is_footer, readable_line
from corpus.document import Table



# A line ends its paragraph at a full stop, or when it ends in a table cell's value
# (规章 0 0 0, 政府集中采购 0 0 万元); prose wrapped after a digit (本局202 / 3年度) goes on.
_FULL_STOP = re.compile(r"[。！？；：:!?;…]$")
_ENDS_IN_VALUE = re.compile(r"(?:^|\s)[-增减]?[\d.,]+\s*(?:万元|元|件|项|条|%|％)?$")
_ENDS_IN_VALUES = re.compile(r"\d\s+[-增减]?[\d.,]+\s*(?:万?元)?$")


_PROSE = re.compile(r"[，。、；]")
_ROW_STOP = re.compile(r"[。，；]")


def _ends_paragraph(tail: str, prose: bool) -> bool:
    """Whether a paragraph ending in `tail` ends here; `prose`: it holds ，。、； anywhere.

    Only the paragraph's end is read (the patterns are anchored there), so a paragraph
    growing line by line costs each line once, not its whole length again.
    """
    if _FULL_STOP.search(tail):
        return True
    return bool(_ENDS_IN_VALUES.search(tail) or (_ENDS_IN_VALUE.search(tail) and not prose))
_VALUES_ONLY = re.compile(r"^[-增减]?[\d.,]+(?:\s+[-增减]?[\d.,]+)*(?:\s*万?元)?$")
STARTS_ITEM = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．]|[一二三四五六七八九十]是)")


def _separator(left: str, right: str) -> str:
    """What rejoins a wrapped line: nothing between Chinese characters or digits; a space
    between two Latin words, and before a row's values (（二）部分公开…情形） 0 0 0)."""
    latin = left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha()
    return " " if latin or _VALUES_ONLY.match(right) else ""


_SHORT = 25  # PDF text wraps at ~30 characters; a shorter line is a label or a sub-heading


class _Paragraph:
    """A paragraph joined from wrapped lines, keeping what `_paragraphs` asks of it (its
    start, its end, its length, whether it holds prose punctuation, its spaces) up to
    date as lines join: parsing stays linear in the text, however long a paragraph runs
    (a 2 MB file of one unpunctuated paragraph took 36 s when each line rescanned it)."""

    WINDOW = 256    # the end kept for the patterns anchored there (a cell value is short)

    def __init__(self, line: str):
        self.pieces = [line]
        self.length, self.head, self.tail = len(line), line[:64], line[-self.WINDOW:]
        self.spaces = line.count(" ")
        self.prose, self.row_stop = bool(_PROSE.search(line)), bool(_ROW_STOP.search(line))

    def join(self, line: str) -> None:
        piece = _separator(self.tail, line) + line
        self.pieces.append(piece)
        self.length += len(piece)
        if len(self.head) < 64:
            self.head = (self.head + piece)[:64]
        self.tail = (self.tail + piece)[-self.WINDOW:]
        self.spaces += piece.count(" ")
        self.prose = self.prose or bool(_PROSE.search(line))
        self.row_stop = self.row_stop or bool(_ROW_STOP.search(line))

    def is_row(self) -> bool:
        """A flattened table row: three or more cells separated by spaces, no prose stops."""
        return self.spaces >= 2 and not self.row_stop

    def text(self) -> str:
        return "".join(self.pieces)


def text_of(blocks: list) -> str:
    """A section's prose as a reader reads it: wrapped lines joined (never across a
    heading or a table), furniture gone; its tables are left to `tables_of`."""
    return prose_and_tables(blocks)[0]


def tables_of(blocks: list) -> list[list[list[str]]]:
    """A section's tables as plain rows of cell strings (see `prose_and_tables`)."""
    return prose_and_tables(blocks)[1]


def prose_and_tables(blocks: list) -> tuple[str, list[list[list[str]]]]:
    """(prose, tables) of a section, each table a list of rows of cell strings.

    A `Table` block keeps its grid, spans expanded (a spanned cell's text repeats in
    every position it covers, as printed). Lines of text that are a table flattened by
    PDF extraction (a label and its values: 2.重复申请 0 0 0 0 0 0 0, with the header
    lines above and between them) become a table too: the label one cell, each value
    one cell, a header line's words one cell each.
    """
    prose: list[str] = []
    tables: list[list[list[str]]] = []
    pending: list[str] = []       # consecutive sentence-free paragraphs: maybe a table
    for paragraph in _paragraphs(blocks):
        if isinstance(paragraph, Table):
            # A caption line right above a table (第二十条第（一）项) is its first row.
            captions = []
            while pending and len(captions) < _HEADER_MAX and _caption_like(pending[-1]) \
                    and not any(row_cells(p) for p in pending):
                captions.insert(0, [pending.pop()])
            _flush(pending, prose, tables)
            rows = captions + [[cell.text.strip() for cell in row] for row in paragraph.rows]
            rows = [row for row in rows if any(row)]
            if rows:
                tables.append(rows)
        elif "。" in paragraph:
            _flush(pending, prose, tables)
            prose.append(paragraph)
        else:
            pending.append(paragraph)
    _flush(pending, prose, tables)
    return "\n".join(prose), tables


def _paragraphs(blocks: list) -> list:
    """Lines joined into paragraphs; a `Table` stays a block of its own."""
    lines: list = []
    for block in blocks:
        if isinstance(block, Table):
            lines.append(block)
        elif not is_footer(block):
            line = readable_line(block)
            if line:
                lines.append(line)
    paragraphs: list = []       # _Paragraph while joining, Table as it is
    joinable = False
    for i, line in enumerate(lines):
        if isinstance(line, Table):
            paragraphs.append(line)
            joinable = False
            continue
        if joinable and not STARTS_ITEM.match(line):
            paragraphs[-1].join(line)
        else:
            paragraphs.append(_Paragraph(line))
        last = paragraphs[-1]
        following = lines[i + 1] if i + 1 < len(lines) and isinstance(lines[i + 1], str) else ""
        # A short numbered line is a sub-heading unless what follows is short too
        # (a table label wrapped over several lines: 2.其他法律行政法 / 规禁止公开).
        sub_heading = STARTS_ITEM.match(last.head) and last.length < _SHORT and len(following) >= _SHORT
        joinable = not (_ends_paragraph(last.tail, last.prose) or sub_heading or last.is_row())
    return [p.text() if isinstance(p, _Paragraph) else p for p in paragraphs]


# A value of a flattened row: 0, 12.5, -3, 增 2, 减1, 100%, 0 万元.
_VALUE = re.compile(r"^[-+]?[\d.,]+%?$|^[增减][-+]?[\d.,]*$|^万?元$")
_HEADER_MAX = 4   # header lines taken from above a flattened table's first row


def row_cells(paragraph: str) -> tuple[str, list[str]] | None:
    """(label, values) of a flattened table row, or None when the line ends in no value."""
    tokens = paragraph.split()
    at = len(tokens)
    while at > 0 and _VALUE.match(tokens[at - 1]):
        at -= 1
    values = tokens[at:]
    if not any(re.search(r"\d", v) for v in values):
        return None
    cells: list[str] = []
    for token in values:       # 增/减 and 万元 belong to the number beside them
        if cells and (cells[-1] in ("增", "减") or re.fullmatch(r"万?元", token)):
            cells[-1] = f"{cells[-1]} {token}" if token[:1] in "万元" else cells[-1] + token
        else:
            cells.append(token)
    return " ".join(tokens[:at]), cells


def _flush(pending: list[str], prose: list[str], tables: list) -> None:
    """Sentence-free paragraphs: the stretch from a table's header to its last row
    becomes a table, the rest (sub-headings, list items) stays prose."""
    rows = [i for i, p in enumerate(pending) if row_cells(p)]
    if not rows:
        prose.extend(pending)
    else:
        first, last = rows[0], rows[-1]
        while first > 0 and rows[0] - first < _HEADER_MAX and _header_like(pending[first - 1]):
            first -= 1
        prose.extend(pending[:first])
        table = []
        for paragraph in pending[first:last + 1]:
            found = row_cells(paragraph)
            if found is None:
                table.append(paragraph.split())
            else:
                label, values = found
                table.append(([label] if label else []) + values)
        tables.append(table)
        prose.extend(pending[last + 1:])
    pending.clear()


def _caption_like(paragraph: str) -> bool:
    """A short label line without punctuation: a table's caption, not a sub-heading."""
    return len(paragraph) <= 30 and _header_like(paragraph) and not re.search(r"[，。；：:,;]", paragraph)


def _header_like(paragraph: str) -> bool:
    """A line above a flattened table that belongs to it: not a sub-heading, no lead-in."""
    return not STARTS_ITEM.match(paragraph) and not paragraph.endswith(("：", ":"))
