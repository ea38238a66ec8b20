"""Lines a PDF or Word file prints as text, lifted into tables the way plain text is.

Some agencies (and converters) print a table as text: Markdown pipe rows (``| 规章 | 0 |``)
or tab-separated rows typed in Word. The text reader lifts those into `Table`s with
`corpus.grid.split_tables`; doing the same to the text lines of a PDF or a .docx keeps
the three containers of one report reading alike. A single line with a tab in it is
spacing (一、\\t总体情况), not a table: only runs of two or more tab rows are lifted.
"""
from __future__ import annotations

from corpus.document import Table
from corpus.grid import split_tables


def lift_tables(blocks: list) -> list:
    out: list = []
    run: list[str] = []
    for block in [*blocks, None]:
        if isinstance(block, str):
            run.append(block)
            continue
        out.extend(split_tables(_lone_tabs_to_spaces(run)))
        run = []
        if isinstance(block, Table):
            out.append(block)
    return out


def _lone_tabs_to_spaces(lines: list[str]) -> list[str]:
    tabbed = ["\t" in line for line in lines]
    out = []
    for i, line in enumerate(lines):
        neighbour = (i > 0 and tabbed[i - 1]) or (i + 1 < len(lines) and tabbed[i + 1])
        out.append(line if not tabbed[i] or neighbour else " ".join(line.split()))
    return out
