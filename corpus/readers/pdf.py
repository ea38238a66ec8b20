"""PDF: ruled tables as real grids, the rest of each page as lines, page furniture dropped.

pdfplumber finds the ruled tables of a page (its "lines" strategy: cells bounded by
drawn rules), and each table's cell rectangles tell us the spans: a rectangle
covering several grid positions is one merged cell, its origin holding the text and
the other positions marked as copies (`corpus.document.Cell.copy`), just as an HTML
rowspan/colspan expands. Text outside the tables is read as lines, interleaved with
the tables by vertical position, so the parser sees the page in reading order.

Across pages: running headers and footers (the same line at the top or bottom of
most pages, digits aside) and page numbers (``— 3 —``, ``- 3 -``, ``第 3 页``) are
dropped, and a table that ends one page and is continued at the top of the next, with
the same columns, is joined into one table (a header row the continuation repeats is
dropped, and a span cut by the page break is made whole again). Tables printed as text
(pipe rows) are lifted as the text reader lifts them (`corpus.readers.lines`).

Pictures are read by OCR (`corpus.ocr`): a page with no text but a picture (a scan)
whole, and on a typeset page each picture covering at least
`corpus.ocr.MIN_PICTURE_SHARE` of it (a table pasted in as an image); what OCR reads
takes the picture's place among the page's lines, and the page furniture rules apply
to it as to typeset text.

A PDF we cannot read is refused with the reason: no text and no pictures OCR can
read, a password, damage, or a size beyond `MAX_PAGES` / `SECONDS_SHARE` of the parse's time /
`MAX_CONTENT_BYTES_PER_PAGE` (and OCR's own limits).
"""
from __future__ import annotations

import io
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from corpus import ocr
from corpus.clean import is_footer
from corpus.document import Document, Table
from corpus.grid import from_ids
from config.settings import current
from corpus.readers.registry import register
from corpus.readers.celltext import join_lines
from corpus.readers.lines import lift_tables
from corpus.report import NotAReport

# Limits, so one hostile file cannot hang a build.
MAX_PAGES = 300               # annual reports run to 10-40 pages
# The share of a parse's time (the settings' parse_seconds) a PDF may take, checked between
# pages, so the reason is the PDF's own when it can be (a page that never ends is stopped
# by the parse's limit).
SECONDS_SHARE = 0.8
MAX_CHARS_PER_PAGE = 100_000  # a page of dense text holds ~3,000
MAX_EDGES_PER_PAGE = 4_000    # more drawn rules than this: skip table finding on that page
# A page's drawing instructions, decoded: a dense page of a report holds ~100 KB. pdfminer
# makes an object per instruction (~1 s and ~300 MB per MB), so a larger page is refused.
MAX_CONTENT_BYTES_PER_PAGE = 2 * 1024 * 1024

_BARE_NUMBER = re.compile(r"^\d{1,4}$")
_EDGE_ZONE = 0.15  # running headers/footers sit in the top/bottom 15% of a page


@dataclass
class _Grid:
    """A table being assembled: positions hold cell ids; `texts[id]` is the cell's text."""

    rows: list[list[int]]
    texts: list[str]
    xs: list[float]       # left edge of each grid column
    right: float


@dataclass
class _Item:
    top: float
    bottom: float
    line: str | None = None
    grid: _Grid | None = None
    table: Table | None = None    # a table read by OCR from a picture


@dataclass
class _Page:
    height: float
    items: list[_Item] = field(default_factory=list)
    chars: int = 0      # characters other than spaces
    unmapped: int = 0   # of which glyphs without a Unicode map, printed "(cid:123)"
    pictures: list = field(default_factory=list)   # areas to OCR: (x0, top, x1, bottom) in points


def _grid(table) -> _Grid:
    """pdfplumber's table as a grid of cell ids, spans found from the cell rectangles."""
    cells = table.cells
    xs = sorted({c[0] for c in cells})
    rows = table.rows
    tops = [row.bbox[1] for row in rows]
    texts_by_row = table.extract()
    origin: dict[tuple, int] = {}
    texts: list[str] = []
    for i, row in enumerate(rows):
        for j, bbox in enumerate(row.cells):
            if bbox is not None:
                origin[tuple(bbox)] = len(texts)
                texts.append(join_lines((texts_by_row[i][j] or "").split("\n")))
    empty = None
    grid_rows = []
    for i, row in enumerate(rows):
        ids = []
        for j, bbox in enumerate(row.cells):
            if bbox is None:
                x, y = xs[j] + 0.5, tops[i] + 0.5
                bbox = next((c for c in cells if c[0] <= x < c[2] and c[1] <= y < c[3]), None)
            if bbox is None:  # a hole in the ruling: no cell here
                if empty is None:
                    empty = len(texts)
                    texts.append("")
                ids.append(empty)
            else:
                ids.append(origin[tuple(bbox)])
        grid_rows.append(ids)
    return _Grid(rows=grid_rows, texts=texts, xs=xs, right=table.bbox[2])


def _to_table(grid: _Grid) -> Table:
    return from_ids(grid.rows, grid.texts)


def _inside(obj: dict, boxes: list[tuple]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def _read_page(page) -> _Page:
    """One page as items (lines and table grids) sorted top to bottom."""
    if len(page.chars) > MAX_CHARS_PER_PAGE:
        raise NotAReport(f"a page of the PDF holds more than {MAX_CHARS_PER_PAGE} characters.")
    page = page.dedupe_chars()
    out = _Page(height=float(page.height))
    for char in page.chars:
        if not char["text"].isspace():
            out.chars += 1
            out.unmapped += char["text"].startswith("(cid:")
    tables = []
    if len(page.edges) <= MAX_EDGES_PER_PAGE:
        tables = [t for t in page.find_tables() if len(t.rows) >= 2 or len(t.columns) >= 2]
    boxes = [t.bbox for t in tables]
    for table in tables:
        grid = _grid(table)
        if any(text for text in grid.texts):
            out.items.append(_Item(top=table.bbox[1], bottom=table.bbox[3], grid=grid))
    rest = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes)) if boxes else page
    for line in rest.extract_text_lines(return_chars=False):
        text = " ".join(line["text"].split())
        if text:
            out.items.append(_Item(top=line["top"], bottom=line["bottom"], line=text))
    out.items.sort(key=lambda item: item.top)
    out.pictures = _pictures(page, out.chars)
    return out


def _pictures(page, chars: int) -> list[tuple]:
    """The areas of the page OCR should read: the whole page when it has no text but a
    picture, else each picture covering enough of it to hold text."""
    area = float(page.width) * float(page.height)
    boxes = [(max(0.0, float(i["x0"])), max(0.0, float(i["top"])), min(float(page.width), float(i["x1"])),
              min(float(page.height), float(i["bottom"]))) for i in page.images]
    boxes = [b for b in boxes if b[2] > b[0] and b[3] > b[1]]
    if not chars:
        return [(0.0, 0.0, float(page.width), float(page.height))] if boxes else []
    return [b for b in boxes if (b[2] - b[0]) * (b[3] - b[1]) >= ocr.MIN_PICTURE_SHARE * area]


class _OcrFailed(Exception):
    """OCR itself failed (not the PDF): the error is passed on as it is."""


def _ocr_pictures(pdf, pages: list[_Page]) -> tuple[set[str], int]:
    try:
        return _read_pictures(pdf, pages)
    except NotAReport:
        raise
    except MemoryError:
        raise
    except Exception as error:
        raise _OcrFailed() from error


def _read_pictures(pdf, pages: list[_Page]) -> tuple[set[str], int]:
    """OCR every picture area of every page, its lines and tables put among the page's
    items at the picture's place. Returns the lines read and the pictures read."""
    from corpus.ocr import session   # here: corpus.ocr reads cells with corpus.readers' helpers

    wanted = [(n, box) for n, page in enumerate(pages) for box in page.pictures]

    def loader(n: int, box: tuple):
        return lambda: pdf.pages[n].crop(box).to_image(resolution=ocr.DPI).original.convert("RGB")

    read = session.current().read_pictures([loader(n, box) for n, box in wanted], ocr.DPI)
    lines: set[str] = set()
    for (n, box), items in zip(wanted, read):
        scale = 72 / ocr.DPI
        for item in items:
            top, bottom = box[1] + item.top * scale, box[1] + item.bottom * scale
            pages[n].items.append(_Item(top=top, bottom=bottom, line=item.line, table=item.table))
            if item.line:
                lines.add(item.line)
                pages[n].chars += len(item.line)
            elif item.table is not None:
                pages[n].chars += sum(len(c.text) for row in item.table.rows for c in row)
        pages[n].items.sort(key=lambda item: item.top)
    return lines, len(wanted)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _at_edge(page: _Page, k: int) -> bool:
    """Whether item k is the first or last on its page and sits in the top or bottom margin."""
    item = page.items[k]
    return k in (0, len(page.items) - 1) and (
        item.top < _EDGE_ZONE * page.height or item.bottom > (1 - _EDGE_ZONE) * page.height)


def _drop_page_furniture(pages: list[_Page]) -> None:
    """Drop page numbers, and lines repeated at the top or bottom of most pages.

    A bare number (3) is a page number only at the page's edge, equal to the page's
    index or one less (an unnumbered cover), with the same offset on at least two
    pages (or the only page): a table printed one cell per line ends pages with
    bare numbers too.
    """
    bare: dict[int, list[tuple[int, int]]] = {0: [], 1: []}  # offset -> (page, item)
    for index, page in enumerate(pages):
        for k, item in enumerate(page.items):
            if item.line is not None and _BARE_NUMBER.match(item.line) and _at_edge(page, k):
                offset = index + 1 - int(item.line)
                if offset in bare:
                    bare[offset].append((index, k))
    drop = {spot for spots in bare.values()
            if len({index for index, _ in spots}) >= min(2, len(pages)) for spot in spots}
    for index, page in enumerate(pages):
        page.items = [item for k, item in enumerate(page.items)
                      if (index, k) not in drop and not (item.line and is_footer(item.line))]
    if len(pages) < 2:
        return
    for edge in (0, -1):
        for _ in range(2):  # a header may take two lines
            candidates = []
            for page in pages:
                item = page.items[edge] if page.items else None
                zone_ok = item is not None and item.line is not None and (
                    item.top < _EDGE_ZONE * page.height if edge == 0
                    else item.bottom > (1 - _EDGE_ZONE) * page.height)
                candidates.append(_furniture_key(item.line) if zone_ok else None)
            counts = Counter(key for key in candidates if key)
            repeated = {key for key, n in counts.items() if n >= 2 and n * 2 >= len(pages)}
            if not repeated:
                break
            for page, key in zip(pages, candidates):
                if key in repeated:
                    page.items.pop(edge)


def _near(x: float, y: float) -> bool:
    return abs(x - y) <= 3


def _continues(a: _Grid, b: _Grid) -> bool:
    """Whether `b` can be the rest of `a`: same outer edges, and the column edges of one
    are among the other's (a page part whose rows all span a column lacks its edge)."""
    if not (_near(a.xs[0], b.xs[0]) and _near(a.right, b.right)):
        return False
    def within(xs, ys):
        return all(any(_near(x, y) for y in ys) for x in xs)
    return within(a.xs, b.xs) or within(b.xs, a.xs)


def _regrid(grid: _Grid, xs: list[float]) -> None:
    """Lay `grid` on finer columns `xs`: a column it lacked repeats the cell covering it."""
    source = [max(j for j, x0 in enumerate(grid.xs) if x0 <= x + 3) for x in xs]
    grid.rows = [[ids[j] for j in source] for ids in grid.rows]
    grid.xs = xs


def _join(a: _Grid, b: _Grid) -> None:
    """Append table `b` (the continuation on the next page) to table `a`."""
    xs = a.xs if len(a.xs) >= len(b.xs) else b.xs
    _regrid(a, xs)
    _regrid(b, xs)
    offset = len(a.texts)
    b_rows = [[cell_id + offset for cell_id in ids] for ids in b.rows]
    texts = a.texts + b.texts

    def row_texts(ids, table_texts):
        return [table_texts[i] for i in ids]

    # A continuation that repeats the table's header rows: drop the repeat.
    k = 0
    while k < len(b_rows) - 1 and k < len(a.rows) and row_texts(b_rows[k], texts) == row_texts(a.rows[k], texts):
        k += 1
    b_rows = b_rows[k:]
    # A span cut by the page break: the continuation's blank cell below it is the same cell.
    last = a.rows[-1]
    prev = a.rows[-2] if len(a.rows) > 1 else None
    first = b_rows[0]
    second = b_rows[1] if len(b_rows) > 1 else None
    for j, cell_id in enumerate(first):
        above = last[j]
        if texts[cell_id] or not texts[above]:
            continue
        spans_down = second is not None and second[j] == cell_id
        was_spanning = prev is not None and prev[j] == above
        if spans_down or was_spanning:
            b_rows = [[above if i == cell_id else i for i in ids] for ids in b_rows]
    a.rows.extend(b_rows)
    a.texts = texts


def _blocks(pages: list[_Page]) -> list[str | Table]:
    grids: list[_Grid | str] = []
    previous_page_ended_with_table = False
    for page in pages:
        for k, item in enumerate(page.items):
            if (item.grid is not None and k == 0 and previous_page_ended_with_table
                    and isinstance(grids[-1], _Grid) and _continues(grids[-1], item.grid)):
                _join(grids[-1], item.grid)
                continue
            grids.append(item.grid if item.grid is not None else item.table if item.table is not None
                         else item.line)
        if page.items:
            previous_page_ended_with_table = page.items[-1].grid is not None
    return [_to_table(g) if isinstance(g, _Grid) else g for g in grids]


def _refuse_unreadable(pages: list[_Page]) -> None:
    chars = sum(page.chars for page in pages)
    if not chars:
        raise NotAReport("the PDF has no text layer, and OCR found no text on its pages.")
    if sum(page.unmapped for page in pages) * 2 > chars:
        raise NotAReport("the PDF's fonts have no Unicode map, so its text cannot be read.")


def _content_bytes(page) -> int:
    """The size of the page's decoded content streams (its own, not its forms')."""
    from pdfminer.pdftypes import stream_value

    return sum(len(stream_value(stream).get_data()) for stream in page.page_obj.contents)


def read(data: bytes) -> Document:
    """Read a PDF's text and ruled tables into a `Document` in reading order."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    started = time.monotonic()
    most_seconds = SECONDS_SHARE * current().parse_seconds   # inside the parse's own limit
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as error:
        cause = error.args[0] if error.args else None
        if isinstance(cause, PDFPasswordIncorrect):
            raise NotAReport("the PDF is encrypted with a password; publish an unprotected copy.") from None
        raise NotAReport("the PDF is damaged and cannot be read.") from None
    except Exception:
        raise NotAReport("the PDF is damaged and cannot be read.") from None
    try:
        with pdf:
            try:
                page_list = pdf.pages
            except Exception:
                raise NotAReport("the PDF is damaged and cannot be read.") from None
            if len(page_list) > MAX_PAGES:
                raise NotAReport(f"the PDF has more than {MAX_PAGES} pages.")
            if not page_list:
                raise NotAReport("the PDF has no pages.")
            pages = []
            for page in page_list:
                if time.monotonic() - started > most_seconds:
                    raise NotAReport(f"the PDF took longer than {int(most_seconds)} seconds to read.")
                if _content_bytes(page) > MAX_CONTENT_BYTES_PER_PAGE:
                    raise NotAReport(f"a page of the PDF holds more than "
                                     f"{MAX_CONTENT_BYTES_PER_PAGE // (1024 * 1024)} MB of drawing instructions.")
                pages.append(_read_page(page))
                page.close()
            ocr_lines, pictures = _ocr_pictures(pdf, pages)
    except NotAReport:
        raise
    except _OcrFailed as failed:
        raise failed.__cause__
    except Exception:
        raise NotAReport("the PDF is damaged and cannot be read.") from None
    _refuse_unreadable(pages)
    _drop_page_furniture(pages)
    return Document(blocks=lift_tables(_blocks(pages)), ocr_lines=ocr_lines, ocr_pages=pictures)


def _sniff(data: bytes, suffix: str) -> bool:
    # The header may follow a little junk (the spec allows 1024 bytes of it).
    return b"%PDF-" in data[:1024]


register("pdf", _sniff, read, (".pdf",))
