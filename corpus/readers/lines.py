"""Lines a PDF or Word file prints as text, lifted into tables the way plain text is.

Some agencies (and converters) print a table as text: Markdown pipe rows (``| 规章 | 0 |``)
or tab-separated rows typed in Word. The text reader lifts those into `Table`s with
`corpus.grid.split_tables`; doing the same to the text lines of a PDF or a .docx keeps
the three containers of one report reading alike.
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
        out.extend(split_tables(run))
        run = []
        if isinstance(block, Table):
            out.append(block)
    return out

