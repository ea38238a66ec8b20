"""A report's tables ready to print: the template's three from its figures, any other as printed.

The report page shows tables 2, 3 and 4 with the template's rows and columns and
the extracted numbers in their cells. A cell the report does not print stays empty
(shown as "—"): we never invent a number. Everything here is plain strings, so the
template only loops: a `Table` is a title and blocks, a `Block` is one header row
(its column names) and the rows under it. Table 2 has several blocks because the
template prints its rows in groups with different columns.

A table the report prints beyond those (or one whose figures were not read) is shown
as printed: `printed_table` turns its rows of cells into rows of `PrintedCell`, a span
(the same label repeated side by side) one cell again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.report import (
    APPEAL_CELLS, APPEAL_GROUPS, PROACTIVE_2019, PROACTIVE_2021, REQUEST_COLUMNS,
    RESULT_ROWS_2019, RESULT_ROWS_2021,
)
from web import labels

ABSENT = "—"


@dataclass
class Row:
    key: str
    label: str
    cells: list[str]


@dataclass
class Block:
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


@dataclass
class Table:
    key: str               # "proactive", "requests", "appeals"
    title: str
    blocks: list[Block] = field(default_factory=list)


def number(value) -> str:
    """A figure as printed: integers without decimals, amounts with at most two."""
    if value is None:
        return ABSENT
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _proactive(figures: dict, template: int) -> Table:
    layout = PROACTIVE_2021 if template == 2021 else PROACTIVE_2019
    table = Table(key="proactive", title="二、主动公开政府信息情况")
    for row, columns in layout.items():
        heading = [labels.PROACTIVE_COLUMNS[c] for c in columns]
        if not table.blocks or table.blocks[-1].columns != heading:
            table.blocks.append(Block(columns=heading))
        table.blocks[-1].rows.append(Row(
            key=row, label=labels.PROACTIVE_ROWS[row],
            cells=[number(figures.get(f"proactive.{row}.{c}")) for c in columns]))
    return table


def _requests(figures: dict, template: int) -> Table:
    results = RESULT_ROWS_2021 if template == 2021 else RESULT_ROWS_2019
    block = Block(columns=[labels.REQUEST_COLUMNS[c] for c in REQUEST_COLUMNS])
    for row in ("new", "carried_over", *results, "total", "carried_forward"):
        block.rows.append(Row(key=row, label=labels.REQUEST_ROWS[row], cells=[
            number(figures.get(f"requests.{row}.{c}")) for c in REQUEST_COLUMNS]))
    return Table(key="requests", title="三、收到和处理政府信息公开申请情况", blocks=[block])


def _appeals(figures: dict) -> Table:
    block = Block(columns=[labels.APPEAL_CELLS[c] for c in APPEAL_CELLS])
    for group in APPEAL_GROUPS:
        block.rows.append(Row(key=group, label=labels.APPEAL_GROUPS[group], cells=[
            number(figures.get(f"appeals.{group}.{c}")) for c in APPEAL_CELLS]))
    return Table(key="appeals", title="四、政府信息公开行政复议、行政诉讼情况", blocks=[block])


@dataclass
class PrintedCell:
    text: str
    colspan: int = 1
    numeric: bool = False


_NUMBER = re.compile(r"^[-+增减]?\s*[\d.,]+%?(?:\s*万?元)?$")


def printed_table(rows: list[list[str]], mark=lambda text: text) -> list[list[PrintedCell]]:
    """A table's rows as printed, labels repeated by an expanded span merged back;
    `mark` turns each cell's text into what the page shows (escaped, terms marked)."""
    out = []
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        cells: list[PrintedCell] = []
        for position, text in enumerate(row + [""] * (width - len(row))):
            numeric = bool(_NUMBER.match(text.strip()))
            if cells and not numeric and text and text == cells[-1].text:
                cells[-1].colspan += 1
                continue
            if cells and not text and not row[position:position + 1] and not cells[-1].numeric:
                cells[-1].colspan += 1   # a short row: its last label spans the rest
                continue
            cells.append(PrintedCell(text, 1, numeric))
        out.append(cells)
    return [[PrintedCell(mark(c.text), c.colspan, c.numeric) for c in row] for row in out]


def report_tables(figures: dict, template: int) -> list[Table]:
    """Tables 2, 3 and 4 of a report; a table without a single number is left out."""
    tables = [_proactive(figures, template), _requests(figures, template), _appeals(figures)]
    return [t for t in tables if any(k.startswith(t.key + ".") for k in figures)]
