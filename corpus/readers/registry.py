"""The readers known, in sniffing order, and the choice among them.

A reader module registers itself with `register(name, sniff, read, suffixes)`:
`sniff(data, suffix)` says whether the bytes look like its container, `read(data)`
returns a `Document` or raises `NotAReport` with one clear sentence. `choose` picks by
content first and by suffix second, so a PDF named ``.txt`` is still read as PDF, and
an HTML page saved as ``.txt`` as HTML. Registration order is sniffing order
(corpus/readers/__init__.py imports the modules, specific containers before plain text).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from corpus.document import Document
from corpus.report import NotAReport


@dataclass(frozen=True)
class Reader:
    name: str
    sniff: Callable[[bytes, str], bool]
    read: Callable[[bytes], Document]
    suffixes: tuple[str, ...]


_READERS: list[Reader] = []


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
