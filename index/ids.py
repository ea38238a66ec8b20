"""Stable, readable report ids: the agency's name and the year, safe in a URL path.

"海东市商务局" and 2023 give "海东市商务局-2023". Characters that would break a path
segment or a URL (``/ \\ ? # % & …``, whitespace, control characters) are removed,
so the id can be used as-is in ``/report/<id>`` and as a file name.
"""
from __future__ import annotations

import re
import unicodedata

# Anything but letters, digits, marks and a few harmless signs is dropped. CJK
# punctuation used inside official names (（）·) is kept: it is safe in a path segment.
_UNSAFE = re.compile(r"[\s/\\?#%&+<>\"'`|^{}\[\]:;=@$,!*~\x00-\x1f\x7f]")


def agency_id(agency: str) -> str:
    """The agency's name cleaned for a URL path segment (the agency page's id)."""
    cleaned = _UNSAFE.sub("", unicodedata.normalize("NFC", agency))
    cleaned = "".join(ch for ch in cleaned if unicodedata.category(ch)[0] != "C")
    cleaned = cleaned.strip(".-")
    return cleaned or "unknown"


def report_id(agency: str, year: int) -> str:
    """The report's id: "<agency_id>-<year>"."""
    return f"{agency_id(agency)}-{int(year)}"
