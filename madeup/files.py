"""The made-up report of madeup/spanned.py as the files sites publish: text, PDF, Word.

`to_text` writes a .txt as a site might publish it; `to_pdf` a PDF drawn with
reportlab (ruled tables with spans, a running header and page-number footer, table 3
split across pages in the ways real PDFs split it, optionally encrypted);
`image_only_pdf` a 'scanned' PDF with no text at all; `to_docx` a Word file with
merged cells and a page header and footer outside the body. Each renders the same
`spanned.MadeUpReport`, so what a reader gets back can be compared with
`spanned.expected_blocks` and `spanned.expected_figures`.
"""
from __future__ import annotations

import io

from corpus.grid import SpanCell, expand
from madeup.spanned import MadeUpReport, wrap


def to_text(report: MadeUpReport) -> str:
    """As a .txt a site might publish: one paragraph a line, tables as tab-separated rows
    of each row's own cells (what copying the web page's table gives)."""
    lines = []
    for kind, item in report.blocks:
        if kind == "table":
            lines.extend("\t".join(cell.text for cell in row) for row in item)
        else:
            lines.append(item)
        lines.append("")
    return "\n".join(lines)


def register_font() -> str:
    """The name of reportlab's built-in Chinese font (STSong-Light), registered once."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    try:
        pdfmetrics.getFont("STSong-Light")
    except KeyError:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _placements(spec: list[list[SpanCell]]) -> list[tuple[int, int, SpanCell]]:
    """Each spanned cell with the grid row and column of its top-left corner."""
    out = []
    placed: set[tuple[int, int]] = set()
    for r, row in enumerate(spec):
        c = 0
        for span in row:
            while (r, c) in placed:
                c += 1
            for dr in range(span.rowspan):
                for dc in range(span.colspan):
                    placed.add((r + dr, c + dc))
            out.append((r, c, span))
            c += span.colspan
    return out


def _pdf_rows(spec: list[list[SpanCell]], start: int = 0, stop: int | None = None):
    """Rows start..stop of a spanned table as reportlab wants them: a full grid of texts
    plus SPAN commands. A span cut at `start` continues blank, as Word prints it."""
    grid = expand(spec)
    stop = len(grid.rows) if stop is None else stop
    data = [["" for _ in grid.rows[0]] for _ in range(stop - start)]
    spans = []
    for r, c, span in _placements(spec):
        top, bottom = max(r, start), min(r + span.rowspan, stop)
        if top >= bottom:
            continue
        if r >= start:
            data[top - start][c] = span.text
        if bottom - top > 1 or span.colspan > 1:
            spans.append(("SPAN", (c, top - start), (c + span.colspan - 1, bottom - 1 - start)))
    return data, spans


COLUMN_WIDTHS = {4: [150, 100, 100, 100], 10: [40, 62, 130] + [31] * 7, 15: [30] * 15}


def to_pdf(report: MadeUpReport, *, footer: str = "— {n} —", header: bool = True,
           fill_before_table3: int = 0, repeat_header_rows: bool = False,
           break_table3_at: int | None = None, password: str | None = None) -> bytes:
    """The report as a PDF: ruled tables (GRID) with spans, paragraphs pre-wrapped,
    a running header and a page-number footer (`footer`, {n} the page) on every page.

    Table 3 across two pages, two ways: `fill_before_table3` points of space before
    section 三 let reportlab split the table where it fits (it splits only between
    spans; `repeat_header_rows` repeats the three header rows on the next page);
    `break_table3_at` cuts it before that grid row, through the span of
    三、本年度办理结果, as Word does."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable
    from reportlab.platypus import TableStyle

    font = register_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=18)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    story = []
    for kind, item in report.blocks:
        if kind == "line":
            if item.startswith("三、") and fill_before_table3:
                story.append(Spacer(1, fill_before_table3))
            story.append(Paragraph("<br/>".join(wrap(item)), body))
            continue
        width = len(expand(item).rows[0])
        parts = [(0, None)]
        if width == 10 and break_table3_at:
            parts = [(0, break_table3_at), (break_table3_at, None)]
        for k, (start, stop) in enumerate(parts):
            data, spans = _pdf_rows(item, start, stop)
            data = [[Paragraph(text, cell) if text else "" for text in row] for row in data]
            style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *spans])
            story.append(PdfTable(data, colWidths=COLUMN_WIDTHS.get(width, [451 / width] * width), style=style,
                                  repeatRows=3 if repeat_header_rows and width == 10 else 0))
            story.append(PageBreak() if k < len(parts) - 1 else Spacer(1, 6))

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 9)
        if header:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 40, report.title)
        if footer:
            canvas.drawCentredString(A4[0] / 2, 36, footer.format(n=doc.page))
        canvas.restoreState()

    out = io.BytesIO()
    encrypt = None
    if password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption
        encrypt = StandardEncryption(password, ownerPassword="owner", canPrint=1)
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=72, rightMargin=72, topMargin=72,
                            bottomMargin=72, encrypt=encrypt, title=report.title)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()


def image_only_pdf() -> bytes:
    """A 'scanned' report: one page holding nothing but a picture of text."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    picture = Image.new("RGB", (400, 300), "white")
    draw = ImageDraw.Draw(picture)
    for y in range(20, 280, 20):
        draw.line((20, y, 380, y), fill="black", width=3)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.drawImage(ImageReader(picture), 72, 400, width=400, height=300)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def to_docx(report: MadeUpReport, *, page_footer: bool = True) -> bytes:
    """The report as .docx: paragraphs and tables with merged cells (gridSpan, vMerge),
    a page header and footer that are not part of the body."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    if page_footer:
        section.header.paragraphs[0].text = report.title
        section.footer.paragraphs[0].text = "— 1 —"
    for kind, item in report.blocks:
        if kind == "line":
            document.add_paragraph(item)
            continue
        grid = expand(item)
        table = document.add_table(rows=len(grid.rows), cols=len(grid.rows[0]))
        table.style = "Table Grid"
        for r, c, span in _placements(item):
            origin = table.cell(r, c)
            if span.rowspan > 1 or span.colspan > 1:
                origin = origin.merge(table.cell(r + span.rowspan - 1, c + span.colspan - 1))
            origin.text = span.text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
