"""Readers: one module per container, each turning raw bytes into a `Document`.

Each reader module registers itself (`corpus.readers.registry`); `read_document`
refuses empty and oversized files, lets the registry choose the reader by content
first and by suffix second, and reads look-alike radicals as ordinary characters.
"""
from __future__ import annotations

from corpus.clean import ordinary_han
from config.settings import current
from corpus.document import Document, Table
from corpus.readers.registry import choose
from corpus.report import NotAReport

# Files larger than the settings' ``max_file_mb`` are refused before any reader looks at them.
TOO_LARGE = "The file is larger than {mb} MB."


def read_document(data: bytes, suffix: str) -> Document:
    """Read raw bytes into a `Document`, refusing empty, oversized or unknown files."""
    if not data.strip():
        raise NotAReport("the file is empty.")
    limit = current()
    if len(data) > limit.max_file_bytes:
        raise NotAReport(TOO_LARGE.format(mb=limit.max_file_mb))
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
