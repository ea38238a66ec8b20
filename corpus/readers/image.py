"""A report page as a picture file (.jpg, .png): read by OCR (`corpus.ocr`).

The picture's resolution is what it says of itself, or, when it says nothing, what
an A4 page as wide as the picture would have. A picture of more than `MAX_PIXELS`
is refused before it is decoded (a decompression bomb is a few KB of file).
"""
from __future__ import annotations

import io

from corpus.document import Document
from corpus.readers.registry import register
from corpus.report import NotAReport

MAX_PIXELS = 60_000_000      # an A4 page at 600 dpi has 35 million
_A4_INCHES = (8.27, 11.69)


def _open(data: bytes):
    from PIL import Image

    try:
        picture = Image.open(io.BytesIO(data))
        width, height = picture.size
    except Exception:
        raise NotAReport("the picture is damaged and cannot be read.") from None
    if width * height > MAX_PIXELS:
        raise NotAReport(f"the picture has more than {MAX_PIXELS // 1_000_000} million pixels.")
    return picture


def resolution(picture) -> float:
    """Dots per inch: the picture's own, else that of an A4 page as wide (portrait or landscape)."""
    stated = picture.info.get("dpi")
    if stated and float(stated[0]) >= 50:
        return float(stated[0])
    width, height = picture.size
    return width / (_A4_INCHES[0] if height >= width else _A4_INCHES[1])


def to_document(pictures_items: list, pictures: int) -> Document:
    """The items OCR read from pictures, in order, as a `Document`."""
    blocks, lines = [], set()
    for items in pictures_items:
        for item in items:
            blocks.append(item.table if item.table is not None else item.line)
            if item.line:
                lines.add(item.line)
    if not lines and not any(block for block in blocks if not isinstance(block, str)):
        raise NotAReport("OCR found no text in the picture.")
    return Document(blocks=blocks, ocr_lines=lines, ocr_pages=pictures)


def read(data: bytes) -> Document:
    """OCR the picture into lines and tables."""
    from corpus.ocr import session

    picture = _open(data)

    def load():
        try:
            return picture.convert("RGB")
        except Exception:
            raise NotAReport("the picture is damaged and cannot be read.") from None

    return to_document(session.current().read_pictures([load], resolution(picture)), 1)


def _sniff(data: bytes, suffix: str) -> bool:
    return data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n"


register("image", _sniff, read, (".jpg", ".jpeg", ".png"))
