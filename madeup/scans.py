"""Scanned reports made here: a made-up report typeset on pages, printed, and scanned.

`pages(report, dpi, layout)` typesets one `madeup.layouts.MadeUp` report (either
template) or a report under the 2008 条例 (`Report2008`) as page pictures: a title,
paragraphs wrapped at the page's width, ruled tables with spanned cells (the same
spans a Word table has), a running header and a page-number footer. The layouts:

- ``portrait``: everything flows on A4 pages; table 3 runs over a page break, cut
  between two rows inside the span of 三、本年度办理结果, as Word cuts it.
- ``landscape``: as portrait, but table 3 stands alone on a landscape page.
- ``wide``: larger type, narrower margins: every table row wraps differently.

`scan(images, seed)` then does what a scanner does to paper: a grey page, turned by a
fraction of a degree, noise, a little blur, a red seal over the signature, JPEG
compression; `image_pdf` puts the pictures in a PDF with no text layer at all, and
`typeset_pdf_with_picture` makes a typeset PDF whose one page is such a picture.

The report's figures are known before it is drawn (`report.figures`), so a test
compares what OCR read with the truth, not with another reading.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

from corpus.grid import SpanCell, expand
from madeup.layouts import (
    APPEAL_HEADERS, COLUMN_HEADERS, REQUEST_LABELS, SECTION_TITLES, MadeUp, appeal_values,
    proactive_rows, request_rows,
)

S = SpanCell
FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
A4 = (8.27, 11.69)   # inches
LAYOUTS = ("portrait", "landscape", "wide")


# ---- the tables, as spanned cells ---------------------------------------------------

def table2(r: MadeUp) -> list[list[SpanCell]]:
    rows = []
    for labels, values in proactive_rows(r):
        if not values and len(labels) == 1:
            rows.append([S(labels[0], colspan=4)])
        elif not values:
            heads = labels[1:]
            rows.append([S(labels[0])] + [S(h, colspan=4 - len(heads) if k == len(heads) - 1 else 1)
                                          for k, h in enumerate(heads)])
        else:
            rows.append([S(labels[0])] + [S(v, colspan=4 - len(values) if k == len(values) - 1 else 1)
                                          for k, v in enumerate(values)])
    return rows


def table3(r: MadeUp) -> list[list[SpanCell]]:
    rows = [[S("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
             S("申请人情况", colspan=7)],
            [S("自然人", rowspan=2), S("法人或其他组织", colspan=5), S("总计", rowspan=2)],
            [S(h) for h in COLUMN_HEADERS[1:6]]]
    results = r.results()
    seen: set[str] = set()
    for name, group, label, values in request_rows(r):
        row = []
        if name == results[0]:
            row.append(S("三、本年度办理结果", rowspan=len(results) + 1))   # down to （七）总计
        if group is None:
            row.append(S(label, colspan=3 if name in ("new", "carried_over", "carried_forward") else 2))
        else:
            if group not in seen:
                seen.add(group)
                row.append(S(group, rowspan=sum(1 for n in results if REQUEST_LABELS[n][0] == group)))
            row.append(S(label))
        rows.append(row + [S(v) for v in values])
    return rows


def table4(r: MadeUp) -> list[list[SpanCell]]:
    return [[S("行政复议", colspan=5), S("行政诉讼", colspan=10)],
            [*(S(h, rowspan=2) for h in APPEAL_HEADERS), S("未经复议直接起诉", colspan=5), S("复议后起诉", colspan=5)],
            [S(h) for h in APPEAL_HEADERS * 2],
            [S(v) for v in appeal_values(r)]]


# Column widths in points, as a Word table on an A4 page gives them (451 pt of text width).
WIDTHS = {4: [130, 107, 107, 107], 10: [38, 62, 127] + [32] * 7, 15: [30] * 15}


@dataclass
class Report2008:
    """A report under the 2008 条例: parts of prose, no national tables."""

    agency: str
    year: int
    parts: list[tuple[str, str]]
    published: str
    texts: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"


def blocks(r) -> list[tuple[str, object]]:
    """The report as ("title"|"heading"|"line", text) and ("table", spec) blocks in order."""
    out: list[tuple[str, object]] = [("title", r.title)]
    if isinstance(r, Report2008):
        out.append(("line", f"本报告根据《中华人民共和国政府信息公开条例》要求，由{r.agency}编制。"))
        for title, text in r.parts:
            out += [("heading", title), ("line", text)]
    else:
        out.append(("line", f"根据《中华人民共和国政府信息公开条例》规定，现公布{r.agency}{r.year}年度政府信息公开工作年度报告。"))
        for key, paragraphs in r.texts.items():
            out.append(("heading", SECTION_TITLES[key]))
            out += [("line", p) for p in paragraphs]
            tables = {"proactive": table2, "requests": table3, "appeals": table4}
            if key in tables:
                out.append(("table", tables[key](r)))
    y, m, d = r.published.split("-")
    out += [("sign", r.agency), ("sign", f"{y}年{int(m)}月{int(d)}日")]
    return out


# ---- typesetting ---------------------------------------------------------------------

class _Pages:
    """Pictures of pages being filled top to bottom."""

    def __init__(self, dpi: int, title: str, size_pt: float, margin_in: float):
        from PIL import ImageFont
        self.dpi, self.title, self.margin = dpi, title, int(margin_in * dpi)
        self.font = ImageFont.truetype(FONT, self.px(size_pt), index=2)
        self.small = ImageFont.truetype(FONT, self.px(size_pt * 0.8), index=2)
        self.big = ImageFont.truetype(FONT, self.px(size_pt * 1.6), index=2)
        self.images: list = []
        self.y = 0

    def px(self, points: float) -> int:
        return int(round(points * self.dpi / 72))

    def new_page(self, landscape: bool = False) -> None:
        from PIL import Image, ImageDraw
        w, h = (A4[1], A4[0]) if landscape else A4
        image = Image.new("RGB", (int(w * self.dpi), int(h * self.dpi)), "white")
        self.images.append(image)
        self.draw = ImageDraw.Draw(image)
        self.y = self.margin
        self.draw.text((image.width / 2, self.margin * 0.55), self.title, font=self.small, fill="black", anchor="mm")
        self.draw.text((image.width / 2, image.height - self.margin * 0.5), f"— {len(self.images)} —",
                       font=self.small, fill="black", anchor="mm")

    @property
    def width(self) -> int:
        return self.images[-1].width - 2 * self.margin

    @property
    def bottom(self) -> int:
        return self.images[-1].height - self.margin

    def wrap(self, text: str, font, width: float) -> list[str]:
        lines, line = [], ""
        for ch in text:
            if line and font.getlength(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        return lines + [line] if line else lines or [""]

    def paragraph(self, text: str, kind: str) -> None:
        font = self.big if kind == "title" else self.font
        leading = int(font.size * 1.7)
        indent = 2 * font.size if kind == "line" else 0
        for k, line in enumerate(self.wrap(text, font, self.width - (indent if kind == "line" else 0))):
            if self.y + leading > self.bottom:
                self.new_page()
            x = self.margin + (indent if kind == "line" and k == 0 else 0)
            if kind == "title":
                self.draw.text((self.margin + self.width / 2, self.y), line, font=font, fill="black", anchor="ma")
            elif kind == "sign":
                self.draw.text((self.margin + self.width, self.y), line, font=font, fill="black", anchor="ra")
                # Where the seal goes: over the signature (the picture's own notes).
                self.images[-1].info["signature"] = (self.margin + self.width - 4 * font.size, self.y)
            else:
                self.draw.text((x, self.y), line, font=font, fill="black")
            self.y += leading
        self.y += int(font.size * 0.4)

    def table(self, spec: list[list[SpanCell]], break_before: int | None = None) -> None:
        """Draw a ruled table, cut to the next page where a row does not fit (or before
        row `break_before`); a span cut by the page break goes on blank, as Word prints it."""
        grid = expand(spec)
        ncols = len(grid.rows[0])
        widths = WIDTHS.get(ncols, [451 / ncols] * ncols)
        scale = self.width / sum(widths)
        xs = [self.margin]
        for w in widths:
            xs.append(xs[-1] + w * scale)
        placed = _placements(spec)
        pad = self.font.size * 0.3
        line_h = int(self.small.size * 1.35)
        heights = [self.small.size * 1.35 + 2 * pad] * len(grid.rows)
        for r, c, span in placed:
            if span.rowspan == 1:
                lines = self.wrap(span.text, self.small, xs[c + span.colspan] - xs[c] - 2 * pad)
                heights[r] = max(heights[r], len(lines) * line_h + 2 * pad)
        tops, y, page_rows = [], self.y, []
        for r, h in enumerate(heights):
            if (y + h > self.bottom or r == break_before) and r > 0 and page_rows:
                self._draw_rows(placed, page_rows, tops, heights, xs, pad, line_h)
                self.new_page(landscape=self.images[-1].width > self.images[-1].height)
                y, tops, page_rows = self.y, [], []
            tops.append(y)
            page_rows.append(r)
            y += h
        self._draw_rows(placed, page_rows, tops, heights, xs, pad, line_h)
        self.y = y + self.font.size

    def _draw_rows(self, placed, rows, tops, heights, xs, pad, line_h) -> None:
        first, last = rows[0], rows[-1]
        width = max(1, self.dpi // 100)
        for r, c, span in placed:
            top, bottom = max(r, first), min(r + span.rowspan - 1, last)
            if top > bottom:
                continue
            y0 = tops[top - first]
            y1 = tops[bottom - first] + heights[bottom]
            x0, x1 = xs[c], xs[c + span.colspan]
            self.draw.rectangle((x0, y0, x1, y1), outline="black", width=width)
            if r >= first and span.text:
                lines = self.wrap(span.text, self.small, x1 - x0 - 2 * pad)
                ty = (y0 + y1) / 2 - len(lines) * line_h / 2
                for line in lines:
                    self.draw.text(((x0 + x1) / 2, ty), line, font=self.small, fill="black", anchor="ma")
                    ty += line_h


def _placements(spec: list[list[SpanCell]]) -> list[tuple[int, int, SpanCell]]:
    out, placed = [], set()
    for r, row in enumerate(spec):
        c = 0
        for span in row:
            while (r, c) in placed:
                c += 1
            placed.update((r + dr, c + dc) for dr in range(span.rowspan) for dc in range(span.colspan))
            out.append((r, c, span))
            c += span.colspan
    return out


def pages(r, dpi: int = 150, layout: str = "portrait") -> list:
    """The report typeset on page pictures (PIL images), in one of `LAYOUTS`."""
    size, margin = (12, 0.8) if layout == "wide" else (10.5, 1.0)
    out = _Pages(dpi, r.title, size, margin)
    out.new_page()
    for kind, item in blocks(r):
        if kind != "table":
            out.paragraph(item, kind)
            continue
        is_table3 = len(expand(item).rows[0]) == 10
        if is_table3 and layout == "landscape":
            out.new_page(landscape=True)
            out.table(item)
            out.new_page()
        elif is_table3:
            if out.bottom - out.y < out.px(300):   # room for the head and some rows: cut it, as Word does
                out.new_page()
            out.table(item, break_before=12)
        else:
            out.table(item)
    return out.images


# ---- the scanner ------------------------------------------------------------------------

def scan(images: list, seed: int = 0, angle: float | None = None, quality: int = 60, seal: bool = True) -> list:
    """Each page as a scanner gives it: grey, turned by a fraction of a degree, noisy,
    a little blurred, a red seal on the last page (`seal`), JPEG-compressed."""
    import numpy as np
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    rng = random.Random(seed)
    out = []
    for n, image in enumerate(images):
        image = image.copy()
        if seal and n == len(images) - 1:   # the seal, stamped in red ink over the signature
            w, h = image.size
            cx, cy = images[n].info.get("signature", (int(w * 0.72), int(h * 0.5)))
            radius = int(w * 0.09)
            stamp = Image.new("RGB", image.size, "white")
            draw = ImageDraw.Draw(stamp)
            draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=(210, 40, 40), width=6)
            draw.regular_polygon((cx, cy, radius // 3), 5, fill=(210, 40, 40))
            image = ImageChops.multiply(image, stamp)
        turn = angle if angle is not None else rng.choice((-1, 1)) * rng.uniform(0.2, 0.8)
        image = image.rotate(turn, resample=Image.BICUBIC, expand=False, fillcolor="white")
        image = image.filter(ImageFilter.GaussianBlur(0.6))
        pixels = np.asarray(image).astype(np.float32)
        pixels = pixels * 0.86 + 20     # grey paper, ink not quite black
        noise = np.random.default_rng(seed * 1000 + n).normal(0, 9, pixels.shape[:2])[..., None]
        pixels = np.clip(pixels + noise, 0, 255).astype(np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality)
        out.append(Image.open(io.BytesIO(buffer.getvalue())))
    return out


def image_pdf(images: list, dpi: int = 150) -> bytes:
    """The pictures as the pages of a PDF with no text layer (each page one JPEG)."""
    buffer = io.BytesIO()
    first, *rest = [image.convert("RGB") for image in images]
    first.save(buffer, format="PDF", save_all=True, append_images=rest, resolution=dpi)
    return buffer.getvalue()


def jpeg(image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def table_picture(spec: list[list[SpanCell]], dpi: int = 150):
    """One table drawn alone (as a spreadsheet exports it), cut to its rules."""
    import numpy as np
    from PIL import Image

    drawn = _Pages(dpi, "", 10.5, 1.0)
    drawn.new_page()
    drawn.draw.rectangle((0, 0, drawn.images[-1].width, drawn.margin), fill="white")   # no running header
    drawn.draw.rectangle((0, drawn.bottom, drawn.images[-1].width, drawn.images[-1].height), fill="white")
    drawn.table(spec)
    ink = np.flatnonzero((np.asarray(drawn.images[-1].convert("L")) < 128).any(axis=1))
    return drawn.images[-1].crop((0, max(0, ink[0] - 10), drawn.images[-1].width, ink[-1] + 10)).convert("RGB")


def typeset_pdf_with_picture(r: MadeUp, dpi: int = 150, seed: int = 0) -> bytes:
    """The report as a typeset PDF (text you can select), except table 3: a scanned
    picture of it pasted in where it stands."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4 as A4_POINTS
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Image as PdfImage
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable
    from reportlab.platypus import TableStyle

    from madeup.files import _pdf_rows, register_font

    font = register_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=18)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    story = []
    for kind, item in blocks(r):
        if kind != "table":
            story.append(Paragraph(item, body))
            continue
        width = len(expand(item).rows[0])
        if width == 10:
            picture = scan([table_picture(item, dpi)], seed=seed, seal=False)[0]
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=70)
            buffer.seek(0)
            shown = 451
            story.append(PdfImage(buffer, width=shown, height=shown * picture.height / picture.width))
        else:
            data, spans = _pdf_rows(item)
            data = [[Paragraph(text, cell) if text else "" for text in row] for row in data]
            story.append(PdfTable(data, colWidths=WIDTHS.get(width), style=TableStyle(
                [("GRID", (0, 0), (-1, -1), 0.5, colors.black), *spans])))
        story.append(Spacer(1, 6))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4_POINTS, leftMargin=72, rightMargin=72, topMargin=72,
                      bottomMargin=72, title=r.title).build(story)
    return out.getvalue()


def portal_page(r, pictures: list) -> str:
    """A portal's article whose report is a row of page images (saved inside the page)."""
    import base64

    images = "".join(f'<p><img src="data:image/jpeg;base64,{base64.b64encode(jpeg(p)).decode()}"></p>'
                     for p in pictures)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{r.title}</title></head><body>'
            f'<div class="nav"><a href="/">首页</a></div><div class="article_title">{r.title}</div>'
            f'<div class="info">发布时间：{r.published}</div><div class="TRS_Editor">{images}</div></body></html>')
