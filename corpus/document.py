"""What a reader hands the parser: a file's content as lines and tables.

Every container (text, HTML, PDF, Word) is read into a `Document`: its blocks in
reading order, each either a line of text (``str``) or a `Table`, plus whatever the
container itself says about the report (the page title, a 发布时间 line beside it).
The parser never sees the container again, so a new reader only has to produce this.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    """One grid position. `copy` marks a position filled by a row/col span of another cell.

    A cell read by OCR from a picture may carry a `second` reading of its figure (the
    cell's crop read alone, `corpus.ocr.cells`); figures are then kept only where the
    two readings agree or the table's arithmetic confirms one (`corpus.ocr.confirm`).
    None: the cell was read once (typeset text, or a label)."""

    text: str
    copy: bool = False
    second: str | None = None


@dataclass
class Table:
    """A table as a grid of rows; spans are expanded, their copies marked."""

    rows: list[list[Cell]]

    def own_cells(self, row: list[Cell]) -> list[str]:
        """The row's cells as printed, in order: span copies left out."""
        return [cell.text for cell in row if not cell.copy]

    def lines(self) -> list[str]:
        """Each row as one readable line (what section text and search see)."""
        out = []
        for row in self.rows:
            texts = [t for t in self.own_cells(row) if t.strip()]
            if texts:
                out.append(" ".join(texts))
        return out


@dataclass
class Document:
    """A file's content in reading order, and the container's own metadata."""

    blocks: list[str | Table] = field(default_factory=list)
    title: str | None = None        # e.g. an HTML <title> or a PDF's title
    meta_lines: list[str] = field(default_factory=list)  # e.g. 发布时间：2024-01-22 near the title
    ocr_lines: set[str] = field(default_factory=set)     # the lines read by OCR from pictures
    ocr_pages: int = 0                                   # the pictures OCR read (pages, images)

    @property
    def ocr(self) -> bool:
        """Some of the text was read by OCR from pictures."""
        return self.ocr_pages > 0
