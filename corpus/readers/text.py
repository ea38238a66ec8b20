"""Plain text and Markdown: detect the encoding, split lines, lift out tables.

Encodings are detected, never assumed: a BOM decides first (UTF-8, UTF-16), then
strict UTF-8, then GB18030 (a superset of GBK, common in older .txt files), then
charset-normalizer's guess. Bytes that decode to nothing readable are refused.
"""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from corpus.document import Document
from corpus.grid import split_tables
from corpus.readers.registry import register
from corpus.report import NotAReport

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII-range text is NUL."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """The text of `data`, whatever its encoding, or NotAReport if it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8000]:
        raise NotAReport("the file is binary, not text.")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data[:200000]).best()
    if best is None or best.encoding is None:
        raise NotAReport("the file's text encoding could not be recognised.")
    return data.decode(best.encoding, errors="replace")


def _printable_share(text: str) -> float:
    sample = text[:5000]
    if not sample:
        return 0.0
    good = sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t\f")
    return good / len(sample)


def read(data: bytes) -> Document:
    text = decode(data)
    if _printable_share(text) < 0.9:
        raise NotAReport("the file is binary or its encoding is unreadable.")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Document(blocks=split_tables(lines))


def _sniff(data: bytes, suffix: str) -> bool:
    return False  # plain text is the fallback: chosen by suffix only


register("text", _sniff, read, (".txt", ".md", ".markdown", ".text", ""))
