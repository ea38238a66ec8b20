"""The snippet of a hit inside a table: the row's labels and its numbers, not a run of cells.

A section's tables are rows of cell strings (`corpus.report.Section.tables`). Where a
query word is in a row's label, the snippet names the row by its labels and gives its
numbers beside their column labels::

    表三 · （五）不予处理 · 2.重复申请：自然人 3，总计 3

(a row of zeros: ``… · 2.重复申请：均为 0``). Where the word is in a column's label
(行政复议 heads five columns of table 4), it gives those columns' numbers::

    表四：行政复议·结果维持 1，结果纠正 0，其他结果 0，尚未审结 2，总计 3
    表四：行政复议·结果维持、结果纠正、其他结果、尚未审结、总计均为 0

Column labels come from the header rows above, where the grid lines up (HTML, Word,
PDF tables with spans expanded); for a table flattened into lines they come from the
nearest header line with as many words as the row has numbers, else, for tables 3 and
4, from the template's own columns. Everything is escaped before the marks are added.

API: `table_snippet(tables, terms, title, section) -> str` ("" when no row holds a term).
"""
from __future__ import annotations

import re

from index.folding import compact
from search.snippets import highlight

MAX_PIECES = 2        # rows (or column groups) shown per hit
MAX_CELLS = 5         # numbers shown per row when a column label matched
_NUMERIC = re.compile(r"^[-+]?[\d.,]+%?(?:\s*万?元)?$|^[增减]\s*[-+]?[\d.,]+$")
_GROUP = re.compile(r"^[（(][一二三四五六七八九十][)）]")
_ITEM = re.compile(r"^\d+\s*[.．、]")
_GROUP_AND_ITEM = re.compile(r"^(?P<group>[（(][一二三四五六七八九十][)）][^\d]*?)\s*(?P<item>\d+\s*[.．、].*)$")
_NUMERALS = "一二三四五六七"
_LONG_HEADER = 16     # a header cell longer than this is a note (（本列数据的勾稽关系…）), not a label

# The template's columns, for a flattened table whose header lines do not line up.
_REQUEST_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_APPEAL_CELLS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_APPEAL_COLUMNS = tuple(f"{group}·{cell}" for group in ("行政复议", "行政诉讼·未经复议直接起诉",
                                                          "行政诉讼·复议后起诉") for cell in _APPEAL_CELLS)
_TEMPLATE_COLUMNS = {("requests", 7): _REQUEST_COLUMNS, ("appeals", 15): _APPEAL_COLUMNS}


def _distinct(cells) -> list[str]:
    """Non-empty cells, a spanned cell (repeated side by side) once."""
    out: list[str] = []
    for cell in cells:
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return out


def _header_labels(headers: list[list[str]], width: int, numbers: list[int]) -> list[str] | None:
    """Each number's column label from header rows that line up with the row, else None."""
    aligned = [h for h in headers if len(h) == width and len(_distinct(h)) > 1]
    if not aligned:
        return None
    labels = []
    for column in numbers:
        texts = _distinct(h[column] for h in aligned if len(h[column]) <= _LONG_HEADER)
        labels.append("·".join(texts))
    return labels if any(labels) else None


def _line_labels(headers: list[list[str]], count: int, section: str) -> list[str] | None:
    """Column labels for a flattened row: the nearest header line with `count` words
    (after its row-label word), else the template's columns for tables 3 and 4."""
    for header in reversed(headers):
        words = _distinct(header)
        if len(words) == count + 1:
            words = words[1:]
        if len(words) == count and all(len(w) <= _LONG_HEADER for w in words):
            return words
    return list(_TEMPLATE_COLUMNS.get((section, count), ())) or None


def _filled(row: list[str]) -> list[str]:
    """A header row with each empty cell after a label taken as that label's span."""
    out: list[str] = []
    for cell in row:
        out.append(cell.strip() or (out[-1] if out else ""))
    return out


def _rows(table: list[list[str]], section: str):
    """(path of row labels, [(column label, number)]) for every row holding numbers.

    The column headers are the block of header rows (two or more labels each) nearest
    above the row; a header row of one label is a group (（五）不予处理) or a caption.
    """
    headers: list[list[str]] = []
    pending: list[list[str]] = []
    group = ""
    for row in table:
        numbers = [i for i, cell in enumerate(row) if _NUMERIC.match(cell.strip())]
        words = _distinct(cell.strip() for i, cell in enumerate(row) if i not in numbers)
        if not numbers:
            if len(words) >= 2:
                pending.append(_filled(row))
            elif len(words) == 1 and _GROUP.match(words[0]):
                group = words[0]
            elif len(words) == 1 and re.match(rf"^[{_NUMERALS}][、.．]", words[0]):
                group = ""
            continue
        if pending:
            headers, pending = pending, []
        path = words[-2:] if len(words) >= 2 else list(words)
        if len(path) == 2 and _GROUP.match(path[0]):
            group = path[0]
        elif len(path) == 1:
            split = _GROUP_AND_ITEM.match(path[0])
            if split:
                group, path = split["group"].strip(), [split["group"].strip(), split["item"]]
            elif _ITEM.match(path[0]) and group:
                path = [group, path[0]]
            elif _GROUP.match(path[0]):
                group = path[0]
        labels = _header_labels(headers, len(row), numbers)
        if labels is None:
            labels = _line_labels(headers, len(numbers), section)
            if (section, len(numbers)) in _TEMPLATE_COLUMNS:
                path = [p for p in path if _GROUP.match(p) or _ITEM.match(p) or len(p) <= _LONG_HEADER]
        values = [row[i].strip() for i in numbers]
        columns = list(labels) if labels and len(labels) == len(values) else [""] * len(values)
        yield path, list(zip(columns, values))


def _is_zero(value: str) -> bool:
    return re.fullmatch(r"[-+]?0+(?:\.0+)?(?:\s*万?元)?", value) is not None


def _columns_text(cells) -> str:
    """Cells of columns sharing a heading (行政复议·…): the heading once, then each column;
    all zero: 行政复议·结果维持、结果纠正、…、总计均为 0."""
    labels = [label for label, _ in cells]
    head = labels[0].rsplit("·", 1)[0] + "·" if "·" in labels[0] else ""
    if not head or not all(label.startswith(head) for label in labels):
        return _cells_text(cells)
    rest = [(label[len(head):], value) for label, value in cells]
    if all(_is_zero(value) for _, value in rest):
        return head + "、".join(label for label, _ in rest) + f"均为 {rest[0][1]}"
    return head + _cells_text(rest)


def _cells_text(cells) -> str:
    return "，".join(f"{label} {value}" if label else value for label, value in cells)


def table_snippet(tables, terms, title: str, section: str = "") -> str:
    """Escaped, marked snippet of the rows whose labels hold a term ("" when none does)."""
    needles = [compact(t) for t in terms if compact(t)]
    if not needles or not tables:
        return ""
    name = "表" + (title[0] if title[:1] in _NUMERALS else "")
    pieces: list[str] = []
    for table in tables:
        for path, cells in _rows(table, section):
            if len(pieces) >= MAX_PIECES:
                break
            label = " · ".join(path)
            if any(n in compact(label) for n in needles):
                shown = [c for c in cells if not _is_zero(c[1])]
                if not cells:
                    continue
                numbers = _cells_text(shown) if shown else f"均为 {cells[0][1]}"
                pieces.append(f"{name} · {label}：{numbers}" if label else f"{name}：{numbers}")
                continue
            hits = [c for c in cells if c[0] and any(n in compact(c[0]) for n in needles)]
            if hits:
                where = f"{name} · {label}" if label else name
                pieces.append(f"{where}：{_columns_text(hits[:MAX_CELLS])}"
                              + ("，…" if len(hits) > MAX_CELLS else ""))
    return "；".join(highlight(piece, terms) for piece in pieces)
