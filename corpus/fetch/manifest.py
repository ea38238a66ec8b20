"""``DIR/manifest.jsonl``: what a fetch did with each URL, and the memory of a rerun.

One JSON object per line, one line per URL dealt with (a rerun rewrites the line of
a URL it deals with again, and keeps the others):

=================  ============================================================
``url``            the URL as linked from the portal
``kind``           ``list`` (a column's list page), ``report`` (an article whose
                   title names an annual report), ``attachment`` (a file linked
                   from a report page)
``status``         the HTTP status of the last answer (200, 304, 404 …) or an
                   error word: ``robots``, ``off-host``, ``timeout``,
                   ``connection-error``, ``too-large``, ``redirect-loop``, ``error``
``outcome``        what the last run did: ``new``, ``updated``, ``unchanged``,
                   ``robots``, ``off-host``, ``failed`` (``listed`` for list pages)
``title``          the link's text (or title attribute)
``page``           for an attachment, the report page that links it
``final_url``      where redirects led, when they did
``file``           the saved copy, relative to DIR (kept when a later fetch fails)
``sha256``         of the saved copy
``etag``, ``last_modified``   the validators the server gave, for a conditional GET
``content_type``   as the server gave it
``fetched_at``     when the saved copy was last fetched or confirmed (UTC, ISO 8601)
``error``          one sentence, when the last attempt failed
=================  ============================================================

`source_urls` and `source_url_of` give the index the URL a saved file came from
(the report's 原文链接): its ``final_url``, else its ``url``.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

MANIFEST = "manifest.jsonl"
# `index add FILE` looks for a manifest this many folders above the file.
SEARCH_LEVELS = 6


def read(folder: str | Path) -> dict[str, dict]:
    """Every entry of `folder`'s manifest by URL; {} when there is none. A damaged line
    (a run killed mid-write of an older version) is skipped, not fatal."""
    path = Path(folder) / MANIFEST
    entries: dict[str, dict] = {}
    try:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict) and isinstance(entry.get("url"), str):
                    entries[entry["url"]] = entry
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return entries


def write(folder: str | Path, entries: dict[str, dict]) -> None:
    """Replace `folder`'s manifest with `entries` atomically (a crash leaves the old one)."""
    folder = Path(folder)
    handle, temporary = tempfile.mkstemp(prefix=".manifest-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for entry in entries.values():
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        os.replace(temporary, folder / MANIFEST)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def web_address(value) -> str | None:
    """`value` when it is an http(s) URL with a host, else None (never a javascript: link)."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value)
    return value if parts.scheme in ("http", "https") and parts.netloc else None


def source_urls(folder: str | Path) -> dict[str, str]:
    """Saved file (relative to `folder`, with /) -> the URL it was fetched from."""
    found = {}
    for entry in read(folder).values():
        url = web_address(entry.get("final_url")) or web_address(entry.get("url"))
        if isinstance(entry.get("file"), str) and url:
            found[entry["file"]] = url
    return found


def source_url_of(path: str | Path) -> str | None:
    """The URL a file was fetched from, by the nearest manifest in its folder or above."""
    path = Path(path).resolve()
    for folder in list(path.parents)[:SEARCH_LEVELS]:
        if (folder / MANIFEST).is_file():
            url = source_urls(folder).get(path.relative_to(folder).as_posix())
            if url:
                return url
    return None
