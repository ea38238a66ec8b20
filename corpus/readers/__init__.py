"""Readers: one module per container, each turning raw bytes into a `Document`.

A reader module registers itself with `register(name, sniff, read, suffixes)`:
`sniff(data, suffix)` says whether the bytes look like its container, `read(data)`
returns a `Document` or raises `NotAReport` with one clear sentence. The registry
chooses by content first and by suffix second, so a PDF named ``.txt`` is still read
as PDF, and an HTML page saved as ``.txt`` as HTML.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from corpus.clean import ordinary_han
from corpus.document import Document, Table
from corpus.report import NotAReport


@dataclass(frozen=True)
class Reader:
    name: str
    sniff: Callable[[bytes, str], bool]
    read: Callable[[bytes], Document]
    suffixes: tuple[str, ...]


_READERS: list[Reader] = []

# Files larger than this are refused before any reader looks at them.
MAX_BYTES = 50 * 1024 * 1024


def register(name, sniff, read, suffixes) -> None:
    _READERS.append(Reader(name, sniff, read, tuple(suffixes)))


def choose(data: bytes, suffix: str) -> Reader:
    """The reader for these bytes: the first whose sniff accepts them, else by suffix."""
    suffix = suffix.lower()
    for reader in _READERS:
        if reader.sniff(data, suffix):
            return reader
    for reader in _READERS:
        if suffix in reader.suffixes:
            return reader
    raise NotAReport(f"no reader for files of type '{suffix or '(none)'}'.")


def read_document(data: bytes, suffix: str) -> Document:
    """Read raw bytes into a `Document`, refusing empty, oversized or unknown files."""
    if not data.strip():
        raise NotAReport("the file is empty.")
    if len(data) > MAX_BYTES:
        raise NotAReport(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    return _ordinary(choose(data, suffix).read(data))


def _ordinary(document: Document) -> Document:
    """The document with look-alike radicals read as ordinary characters, wherever they are."""
    for block in document.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    cell.text = ordinary_han(cell.text)
                    cell.second = ordinary_han(cell.second) if cell.second is not None else None
    document.blocks = [ordinary_han(b) if isinstance(b, str) else b for b in document.blocks]
    document.title = ordinary_han(document.title) if document.title else document.title
    document.meta_lines = [ordinary_han(line) for line in document.meta_lines]
    document.ocr_lines = {ordinary_han(line) for line in document.ocr_lines}
    return document


# Registration order is sniffing order: specific containers before plain text.
from corpus.readers import pdf, image, legacy, docx, html, text  # noqa: E402,F401  (modules register themselves)
