"""A report's figures laid out as the template's three tables, ready to print.

The report page shows tables 2, 3 and 4 with the template's rows and columns and
the extracted numbers in their cells. A cell the report does not print stays empty
(shown as "—"): we never invent a number. Everything here is plain strings, so the
template only loops: a `Table` is a title and blocks, a `Block` is one header row
(its column names) and the rows under it. Table 2 has several blocks because the
template prints its rows in groups with different columns.
"""
from __future__ import annotations

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


def report_tables(figures: dict, template: int) -> list[Table]:
    """Tables 2, 3 and 4 of a report; a table without a single number is left out."""
    tables = [_proactive(figures, template), _requests(figures, template), _appeals(figures)]
    return [t for t in tables if any(k.startswith(t.key + ".") for k in figures)]
