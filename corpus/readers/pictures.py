"""Pictures inside a web page's article: report pages published as images, read in order.

Some portals publish a report as a row of page images in the article body. ``python -m
corpus fetch`` saves such pictures inside the page itself, as ``data:`` addresses of
its ``<img>`` tags (`corpus.fetch.pictures`), so the saved page is the whole report.
The HTML reader leaves a `Picture` where each stood; `read_in_place` reads them all by
OCR (`corpus.ocr`) and puts each one's lines and tables in its place. Pictures smaller
than `MIN_SIDE` pixels either way are icons and are left out.
"""
from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass, replace

from corpus.document import Document
from corpus.readers.image import MAX_PIXELS, resolution
from corpus.report import NotAReport

MIN_SIDE = 300


@dataclass
class Picture:
    """An ``<img>`` whose source is a ``data:image/…;base64,…`` address."""

    source: str

    def image(self):
        """The decoded picture, or None when it is damaged, too large or an icon."""
        from PIL import Image

        try:
            data = base64.b64decode(self.source.split(",", 1)[1], validate=False)
            picture = Image.open(io.BytesIO(data))
            width, height = picture.size
        except (IndexError, ValueError, binascii.Error, OSError):
            return None
        if width * height > MAX_PIXELS or min(width, height) < MIN_SIDE:
            return None
        return picture


def read_in_place(document: Document) -> Document:
    """The document with each `Picture` replaced by what OCR reads in it."""
    found = [(i, block.image()) for i, block in enumerate(document.blocks) if isinstance(block, Picture)]
    found = [(i, picture) for i, picture in found if picture is not None]
    if not found:
        return replace(document, blocks=[b for b in document.blocks if not isinstance(b, Picture)])
    from corpus.ocr import session

    def loader(picture):
        def load():
            try:
                return picture.convert("RGB")
            except OSError:
                raise NotAReport("a picture in the page is damaged and cannot be read.") from None
        return load

    dpi = min(resolution(picture) for _, picture in found)
    read = session.current().read_pictures([loader(picture) for _, picture in found], dpi)
    by_position = dict(zip((i for i, _ in found), read))
    blocks, lines = [], set()
    for i, block in enumerate(document.blocks):
        if not isinstance(block, Picture):
            blocks.append(block)
            continue
        for item in by_position.get(i, []):
            blocks.append(item.table if item.table is not None else item.line)
            if item.line:
                lines.add(item.line)
    return replace(document, blocks=blocks, ocr_lines=lines, ocr_pages=len(found))
