"""Word (.docx): paragraphs and tables in body order, merged cells expanded.

A .docx is a zip of XML parts; python-docx reads it. We walk the body ourselves so
paragraphs and tables keep their order, and lay each table on its grid: a cell
merged across columns (``w:gridSpan``) or down rows (``w:vMerge``) holds its text
at its top-left position, and the positions it also covers are marked as copies
(`corpus.document.Cell.copy`), exactly as an HTML rowspan/colspan expands. Page
headers and footers live in other parts of the zip and are never read.

Refused with the reason: a legacy binary Word file (.doc, an OLE2 container), a
password-protected .docx (also OLE2), RTF, a damaged zip, a zip that is not a Word
document, and a zip that would unpack beyond `MAX_UNPACKED_BYTES`, or whose XML parts
exceed `MAX_XML_PART_BYTES` (a zip bomb).
"""
from __future__ import annotations

import io
import zipfile

from corpus.document import Document, Table
from corpus.grid import MAX_COLUMNS, MAX_ROWS, check_shape, from_ids
from corpus.readers.registry import register
from corpus.readers.celltext import join_lines
from corpus.readers.lines import lift_tables
from corpus.report import NotAReport

# Limits, so one hostile file cannot exhaust memory: a report's .docx unpacks to a few MB.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5_000
# An XML part is parsed into a tree (~20x its size in memory, ~1 s per MB): a real
# report's document.xml is a few MB; images and fonts may be larger, but are never parsed.
MAX_XML_PART_BYTES = 16 * 1024 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _refuse_ole2(data: bytes) -> None:
    """An OLE2 container: say which kind, since none of them can be read."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise NotAReport("the Word file is protected with a password; save an unprotected copy.")
    if "WordDocument".encode("utf-16-le") in data:
        raise NotAReport("legacy Word .doc is not supported; save it as .docx or PDF.")
    if "Workbook".encode("utf-16-le") in data:
        raise NotAReport("the file is an Excel spreadsheet (.xls), not a report document.")
    raise NotAReport("the file is a legacy Office document, not Word .docx; save it as .docx or PDF.")


def _open_zip(data: bytes) -> None:
    """Check the zip before python-docx unpacks it: readable, and not a zip bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise NotAReport("the Word file is damaged (its zip container cannot be read).") from None
    if len(members) > MAX_MEMBERS:
        raise NotAReport(f"the Word file holds more than {MAX_MEMBERS} parts; refusing it as a possible zip bomb.")
    # zipfile stops a member at its declared size, so the declared sizes bound what unpacks.
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise NotAReport(f"the Word file unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB; "
                         "refusing it as a possible zip bomb.")
    if any(member.file_size > MAX_XML_PART_BYTES for member in members
           if member.filename.lower().endswith((".xml", ".rels"))):
        raise NotAReport(f"the Word file has a text part larger than {MAX_XML_PART_BYTES // (1024 * 1024)} MB; "
                         "refusing it as a possible zip bomb.")
    if not any(member.filename.startswith("word/") for member in members):
        raise NotAReport("the file is a zip archive, not a Word .docx document.")


def _squeeze(text: str) -> str:
    """Runs of white space as one space, but tabs kept (they may separate table cells)."""
    return "\t".join(" ".join(part.split()) for part in text.strip().split("\t"))


def _lines(paragraph) -> list[str]:
    """A paragraph's text as lines (a manual line break starts a new one)."""
    return [_squeeze(line) for line in paragraph.text.split("\n")]


def _text_boxes(p) -> list:
    """Paragraphs inside text boxes anchored in paragraph `p` (letterheads often sit in one).
    Word stores each box twice (DrawingML and a VML fallback): read the first only."""
    out = []
    for box in p.iter(f"{_W}txbxContent"):
        if any(ancestor.tag == _MC_FALLBACK for ancestor in box.iterancestors()):
            continue
        out.extend(box.iter(f"{_W}p"))
    return out


def _cell_text(tc, paragraph_type) -> str:
    lines = []
    for p in tc.iter(f"{_W}p"):
        lines.extend(_lines(paragraph_type(p, None)))
    return join_lines(lines)


def _table(tbl, paragraph_type) -> Table:
    """A w:tbl on its grid: ids per position, merged positions sharing their origin's id."""
    texts: list[str] = []
    grid: list[list[int]] = []
    empty = None

    def filler() -> int:
        nonlocal empty
        if empty is None:
            empty = len(texts)
            texts.append("")
        return empty

    for tr in tbl.iterchildren(f"{_W}tr"):
        if len(grid) >= MAX_ROWS:
            break
        row: list[int] = [filler()] * min(tr.grid_before, MAX_COLUMNS)
        for tc in tr.iterchildren(f"{_W}tc"):
            span = max(1, min(tc.grid_span, MAX_COLUMNS - len(row)))
            if span <= 0 or len(row) >= MAX_COLUMNS:
                break
            above = grid[-1] if grid else []
            if tc.vMerge == "continue" and len(above) >= len(row) + span:
                row.extend(above[len(row):len(row) + span])
                continue
            cell_id = len(texts)
            texts.append(_cell_text(tc, paragraph_type))
            row.extend([cell_id] * span)
        grid.append(row)
        check_shape(len(grid), len(row))
    return from_ids([[None if cell_id == empty else cell_id for cell_id in ids] for ids in grid], texts, pad=True)


def _body_blocks(body, paragraph_type) -> list[str | Table]:
    blocks: list[str | Table] = []
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            for p in [*_text_boxes(child), child]:
                blocks.extend(line for line in _lines(paragraph_type(p, None)) if line)
        elif child.tag == f"{_W}tbl":
            table = _table(child, paragraph_type)
            if table.rows:
                blocks.append(table)
        elif child.tag == f"{_W}sdt":  # a content control (e.g. a table of contents)
            for content in child.iterchildren(f"{_W}sdtContent"):
                blocks.extend(_body_blocks(content, paragraph_type))
    return blocks


def read(data: bytes) -> Document:
    """Read a .docx into a `Document`: body paragraphs and tables in order."""
    import docx
    from docx.text.paragraph import Paragraph

    if data.startswith(OLE2_MAGIC):
        _refuse_ole2(data)
    if data.lstrip().startswith(b"{\\rtf"):
        raise NotAReport("the file is RTF, not Word .docx; save it as .docx or PDF.")
    _open_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise NotAReport("the file is not a readable Word .docx document.") from None
    return Document(blocks=lift_tables(_body_blocks(document.element.body, Paragraph)))


def _sniff(data: bytes, suffix: str) -> bool:
    if data.startswith(OLE2_MAGIC):
        return True  # refused in `read`, with the reason
    return data.startswith(ZIP_MAGIC) and b"word/document" in data


register("docx", _sniff, read, (".docx", ".docm", ".dotx", ".doc", ".wps"))
