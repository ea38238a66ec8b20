"""One table cell's text -> its number, as the schema records it.

Full-width digits, thousands separators, decimals, units (元 is converted to 万元),
signed changes (增2 -> 2, 减1 -> -1). A blank cell is `BLANK` (0 when its table has
numbers); `/`, `—`, `-`, `无` mean "not applicable" and are `NOT_APPLICABLE`.

A figure is a finite number below `MAX_FIGURE` in size: no report counts 10^12 of
anything, and a longer digit run (a damaged cell, a hostile file printing 400 digits)
would become ``inf`` and then invalid JSON. Such a cell keeps its place in its row
but reads as `OUT_OF_RANGE`: the figure is absent rather than absurd, and the table's
``tables.<n>`` check says so.

A cell whose figure could not be read (OCR saw ink but no number in it) holds
`UNREAD_MARK`, the replacement character: it reads as `UNREAD`, keeps its place in its
row, and is recorded as nothing, so ``tables.<n>`` names it.
"""
from __future__ import annotations

import math
import re
import unicodedata

BLANK = "blank"
NOT_APPLICABLE = "n/a"
OUT_OF_RANGE = "out of range"
UNREAD = "unread"
UNREAD_MARK = "\ufffd"

_NUMBER = re.compile(
    r"^(?P<sign>[增减+\-−]?)\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?"
    r"\s*(?P<unit>万元|元|件|项|个|条|次|人次)?$"
)
_NOT_APPLICABLE = {"/", "／", "—", "——", "-", "--", "－", "无", "–", "\\", "×"}
UNITS = ("万元", "元")
MAX_FIGURE = 10 ** 12


def cell_value(text: str):
    """A number, BLANK, NOT_APPLICABLE, OUT_OF_RANGE, UNREAD, or None when the text is not a value at all."""
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ").strip()
    if not text:
        return BLANK
    if text == UNREAD_MARK:
        return UNREAD
    if text in _NOT_APPLICABLE:
        return NOT_APPLICABLE
    match = _NUMBER.match(text)
    if not match:
        return None
    digits = match["digits"].replace(",", "")
    if len(digits.lstrip("0")) > 12:
        return OUT_OF_RANGE   # 10^12 or more: no report's figure (and inf as a float)
    value = float(digits + (match["fraction"] or ""))
    if match["sign"] in ("减", "-", "−"):
        value = -value
    if match["unit"] == "元":
        value = round(value / 10000, 6)
    return plain(value)


def with_unit(value, unit: str):
    """Apply a unit printed apart from its number (``0 万元``, ``251000 元``)."""
    if isinstance(value, (int, float)) and unit == "元":
        return plain(round(value / 10000, 6))
    return value


def plain(value: float):
    """An integral float as int, so 12.0 prints as 12."""
    return int(value) if float(value).is_integer() else value


def is_figure(value) -> bool:
    """Whether `value` may be recorded as a figure: a finite number below `MAX_FIGURE`."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
        and abs(value) < MAX_FIGURE
