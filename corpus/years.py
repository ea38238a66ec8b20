"""What a year is, for a report and for everything that filters by one.

A report covers one calendar year. Disclosure reports exist from the 2000s (local
rules before the national 条例 of 2008), and a year four digits long ends in 2099: a
number outside `FIRST_YEAR`..`LAST_YEAR` is never a report's year — not when the
parser reads a title, a file name or a date, and not when a search or a comparison
filters by year.
"""
from __future__ import annotations

FIRST_YEAR = 2000
LAST_YEAR = 2099


def is_report_year(year: int) -> bool:
    """Whether `year` can be the year a report covers (or was published in)."""
    return FIRST_YEAR <= year <= LAST_YEAR
