"""A section's prose without its tables, as the audit reads it.

The parser flattens a table into lines of cells, e.g. ``规章 0 0 0`` or
``一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3``. Such a line is not prose: a
line counts as a table row when it holds three or more numbers standing alone
between spaces and they are at least as many as its other words.
"""
from __future__ import annotations

import re

_LONE_NUMBER = re.compile(r"(?<!\S)[-+]?\d[\d,.]*%?(?!\S)")


def is_table_row(line: str) -> bool:
    """True for a flattened table row (mostly lone numbers), False for prose."""
    numbers = len(_LONE_NUMBER.findall(line))
    return numbers >= 3 and 2 * numbers >= len(line.split())


def prose_lines(text: str) -> list[str]:
    """The section's lines that are prose (table rows dropped), stripped, none empty."""
    return [line.strip() for line in text.splitlines() if line.strip() and not is_table_row(line)]
