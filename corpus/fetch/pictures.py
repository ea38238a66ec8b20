"""A report page's pictures saved inside it, so the saved page is the whole report.

Some portals publish a report as a row of page images in the article. Before such a
page is saved, each ``<img>`` on the page's own host is fetched (politely, through
the crawl's `Client`) and its ``src`` replaced by a ``data:`` address holding the
picture; the HTML reader then reads them by OCR in order (`corpus.readers.pictures`).
Pictures smaller than `MIN_BYTES` (icons, logos) and anything that is not a JPEG or
PNG stay as they were; at most the settings' ``ocr_max_pages`` are taken from one page.
"""
from __future__ import annotations

import base64
import re
from urllib.parse import urljoin

from config.settings import current

MIN_BYTES = 10_000
_IMG_SRC = re.compile(rb"""(<img\b[^>]*?\bsrc\s*=\s*)(["'])([^"'<>]+)\2""", re.I)
_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png"}


def inline(page: bytes, page_url: str, client, on_host) -> bytes:
    """The page with its pictures (on the host `on_host` accepts) as ``data:`` addresses."""
    taken, most = 0, current().ocr_max_pages

    def replace(match: re.Match) -> bytes:
        nonlocal taken
        src = match.group(3).decode("ascii", "ignore").strip()
        if taken >= most or not src or src.startswith("data:"):
            return match.group(0)
        url = urljoin(page_url, src)
        if not on_host(url):
            return match.group(0)
        answer = client.get(url)
        content = answer.content if answer.ok else b""
        kind = next((name for magic, name in _TYPES.items() if content.startswith(magic)), None)
        if kind is None or len(content) < MIN_BYTES:
            return match.group(0)
        taken += 1
        data = f"data:{kind};base64,".encode() + base64.b64encode(content)
        return match.group(1) + match.group(2) + data + match.group(2)

    return _IMG_SRC.sub(replace, page)
