"""One page picture -> its lines and tables, top to bottom, as a reader hands them on.

The steps: colour is dropped (a red seal over the text fades), the picture is straightened (a scan is turned by a fraction of a degree:
the angle whose rows of ink are sharpest, `skew`), its ruled tables are found
(`corpus.ocr.rulings`), OCR reads every line of text (`corpus.ocr.engine`), the boxes
inside a table fill its cells (`corpus.ocr.cells`), and the others are grouped into
printed lines, left to right (a wide gap between two boxes reads as a space). Each
`Item` keeps its vertical place, so a reader can put a picture's text where the
picture stood and drop running headers and page numbers as it does for typeset pages.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corpus.document import Table
from corpus.ocr import cells, engine, rulings

_SKEW_WIDTH = 600          # the skew is measured on the page shrunk to this width
_MAX_SKEW = 2.0            # degrees either way


@dataclass
class Item:
    """A line or a table of a page picture, with its top and bottom in pixels."""

    top: float
    bottom: float
    line: str | None = None
    table: Table | None = None


def skew(gray: np.ndarray) -> float:
    """The turn in degrees (counter-clockwise) that straightens the page's lines."""
    from PIL import Image

    small = Image.fromarray(rulings.dark(gray).astype(np.uint8) * 255)
    small = small.resize((_SKEW_WIDTH, max(1, gray.shape[0] * _SKEW_WIDTH // gray.shape[1])))

    def sharpness(angle: float) -> float:
        rows = np.asarray(small.rotate(angle, resample=Image.BILINEAR), dtype=np.float64).sum(axis=1)
        return float((np.diff(rows) ** 2).sum())

    best = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, 0.2), key=sharpness)
    return float(max(np.arange(best - 0.2, best + 0.2 + 1e-9, 0.04), key=sharpness))


def _without_colour(image) -> np.ndarray:
    """The picture in grey with coloured marks gone: each pixel its brightest channel, so a
    red seal stamped over the signature or a table turns pale and black ink stays black."""
    return np.asarray(image.convert("RGB")).max(axis=2)


def read(image, dpi: float) -> list[Item]:
    """The page picture's lines and tables in reading order."""
    from PIL import Image

    gray = _without_colour(image)
    angle = skew(gray)
    if abs(angle) >= 0.04:
        gray = np.asarray(Image.fromarray(gray).rotate(angle, resample=Image.BICUBIC, fillcolor=255))
    rgb = np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))
    ink = rulings.dark(gray)
    grids = rulings.find(ink, dpi)
    boxes = [box for box in engine.read_page(rgb) if box.text.strip()]
    items: list[Item] = []
    inside: set[int] = set()
    for grid in grids:
        x0, y0, x1, y1 = grid.box
        mine = [box for box in boxes if x0 <= box.cx < x1 and y0 <= box.cy < y1]
        inside.update(id(box) for box in mine)
        items.append(Item(top=float(y0), bottom=float(y1), table=cells.table(grid, mine, rgb, ink)))
    for line in cells.lines_of([box for box in boxes if id(box) not in inside]):
        items.append(Item(top=float(min(b.y0 for b in line)), bottom=float(max(b.y1 for b in line)),
                          line=_joined(line)))
    return sorted(items, key=lambda item: item.top)


def _joined(line: list[engine.Box]) -> str:
    """A printed line's boxes as one string: a gap wider than a character is a space."""
    out = line[0].text
    for before, box in zip(line, line[1:]):
        out += (" " if box.x0 - before.x1 > box.height else "") + box.text
    return " ".join(out.split())
