"""Where a fetched URL is saved under DIR, and saving it safely.

A file keeps the portal's layout: ``DIR/<host>/<path>``, so an operator can tell
where each came from and two columns of one portal never collide. A query string
becomes a short hash in the name (``download.jsp?id=7`` -> ``download.jsp_1a2b3c4d5e.pdf``),
and a name without a suffix the readers know gets one from the server's
Content-Disposition or Content-Type, so the parser reads it with the right reader.
Names are made safe for any file system: no ``..``, no control characters, no
segment longer than `MAX_SEGMENT` bytes.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from email.message import Message
from pathlib import Path
from posixpath import splitext
from urllib.parse import unquote, urlsplit

from corpus.fetch.links import ATTACHMENT_SUFFIXES

PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".txt")
KNOWN_SUFFIXES = ATTACHMENT_SUFFIXES + PAGE_SUFFIXES
CONTENT_TYPES = {
    "text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt",
    "application/pdf": ".pdf", "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-works": ".wps", "application/kswps": ".wps", "application/wps-office.wps": ".wps",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
MAX_SEGMENT = 120
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"\\|?*]')


def _digest(text: str, length: int = 10) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def _safe(segment: str) -> str:
    segment = _UNSAFE.sub("_", segment).strip(" .") or "_"
    if len(segment.encode("utf-8")) > MAX_SEGMENT:
        stem, suffix = splitext(segment)
        segment = stem.encode("utf-8")[:MAX_SEGMENT - 20].decode("utf-8", "ignore") + "_" + _digest(segment) + suffix[:10]
    return segment


def _declared_suffix(headers: dict) -> str:
    """The suffix the server's Content-Disposition file name or Content-Type gives."""
    disposition = headers.get("content-disposition", "")
    if disposition:
        message = Message()
        message["content-disposition"] = disposition
        suffix = splitext(message.get_filename() or "")[1].lower()
        if suffix in KNOWN_SUFFIXES:
            return suffix
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return CONTENT_TYPES.get(content_type, "")


def local_name(url: str, headers: dict, link_text: str = "") -> str:
    """The path (relative to DIR, with /) to save `url` under, given its answer's headers."""
    parts = urlsplit(url)
    folders = [_safe(parts.netloc.lower().replace(":", "_"))]
    segments = unquote(parts.path).split("/")
    folders += [_safe(s) for s in segments[:-1] if s not in ("", ".", "..")]
    name = segments[-1] if segments[-1] not in ("", ".", "..") else "index"
    stem, suffix = splitext(name)
    if suffix.lower() not in KNOWN_SUFFIXES:
        stem, suffix = name, ""
    if parts.query:
        stem += "_" + _digest(parts.query)
    if not suffix:
        text_suffix = splitext(link_text.strip().lower())[1]
        suffix = _declared_suffix(headers) or (text_suffix if text_suffix in KNOWN_SUFFIXES else "")
    return "/".join(folders + [_safe(stem + suffix.lower())])


def save(folder: Path, name: str, content: bytes) -> None:
    """Write `content` to ``folder/name`` atomically (a rerun killed midway leaves the old copy)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".part-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
