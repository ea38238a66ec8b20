"""A made-up annual report, rendered as plain text, PDF and Word for the tests.

One report (a fictional agency, 2021 template) is described once, as headings,
paragraphs and tables of spanned cells (`corpus.grid.SpanCell`, the same layout an
HTML page gives). `to_text`, `to_pdf` and `to_docx` render that one description, so
the parser can be asked whether the three containers read back the same figures,
sections and metadata. Every table cell holds a non-zero number no other cell holds,
so a value read from the wrong cell cannot pass by accident; the arithmetic of the
template (totals, 勾稽关系) holds.

`expected_blocks` gives the `Document.blocks` a PDF or Word reader should return for
it: tables expanded on a grid with span copies marked, paragraphs as lines (the PDF
prints each paragraph pre-wrapped at `PDF_LINE_CHARS` characters, as published PDFs
do, so its lines are known exactly).
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

from corpus.document import Document, Table
from corpus.grid import SpanCell, expand

S = SpanCell
PDF_LINE_CHARS = 30


@dataclass
class MadeUpReport:
    agency: str
    region: str
    year: int
    published: str  # ISO date
    blocks: list = field(default_factory=list)  # ("line", str) | ("table", list[list[SpanCell]])

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    def tables(self) -> list[list[list[SpanCell]]]:
        return [spec for kind, spec in self.blocks if kind == "table"]


# --- numbers -------------------------------------------------------------------------

APPLICANTS = 6
RESULT_ROWS = 21


def _numbers(seed: int) -> dict | None:
    """All figures of the report, or None if this seed repeats a value somewhere."""
    rng = random.Random(seed)
    pool = rng.sample(range(1, 400), RESULT_ROWS * APPLICANTS + 2 * APPLICANTS + 9 + 12 + 2)
    take = iter(pool)
    results = [[next(take) for _ in range(APPLICANTS)] for _ in range(RESULT_ROWS)]
    carried_over = [next(take) for _ in range(APPLICANTS)]
    carried_forward = [next(take) for _ in range(APPLICANTS)]
    total = [sum(row[c] for row in results) for c in range(APPLICANTS)]
    new = [total[c] + carried_forward[c] - carried_over[c] for c in range(APPLICANTS)]
    table3 = {"new": new, "carried_over": carried_over}
    for i, row in enumerate(results):
        table3[f"r{i}"] = row
    table3["total"] = total
    table3["carried_forward"] = carried_forward
    for row in table3.values():
        row.append(sum(row[:APPLICANTS]))  # the 总计 column
    proactive = [next(take) for _ in range(9)]
    appeals = []
    for _ in range(3):
        four = [next(take) for _ in range(4)]
        appeals += four + [sum(four)]
    fees = f"{next(take)}.{next(take) % 90 + 10}"
    values = [v for row in table3.values() for v in row] + proactive + appeals
    if len(set(values)) != len(values) or min(values) <= 0:
        return None
    return {"table3": table3, "proactive": proactive, "appeals": appeals, "fees": fees}


def _first_good_numbers() -> dict:
    for seed in range(10000):
        numbers = _numbers(seed)
        if numbers:
            return numbers
    raise AssertionError("no seed gives distinct numbers")


# --- the report ----------------------------------------------------------------------

RESULT_LABELS = [
    ("（一）予以公开", None),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("（三）不予公开", "1.属于国家秘密"),
    (None, "2.其他法律行政法规禁止公开"),
    (None, "3.危及“三安全一稳定”"),
    (None, "4.保护第三方合法权益"),
    (None, "5.属于三类内部事务信息"),
    (None, "6.属于四类过程性信息"),
    (None, "7.属于行政执法案卷"),
    (None, "8.属于行政查询事项"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息"),
    (None, "2.没有现成信息需要另行制作"),
    (None, "3.补正后申请内容仍不明确"),
    ("（五）不予处理", "1.信访举报投诉类申请"),
    (None, "2.重复申请"),
    (None, "3.要求提供公开出版物"),
    (None, "4.无正当理由大量反复申请"),
    (None, "5.要求行政机关确认或重新出具已获取信息"),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    (None, "3.其他"),
]
GROUP_ROWS = {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}


def _values(row: list[int]) -> list[SpanCell]:
    return [S(str(v)) for v in row]


def table2(n: dict) -> list[list[SpanCell]]:
    p = n["proactive"]
    return [
        [S("第二十条第（一）项", colspan=4)],
        [S("信息内容"), S("本年制发件数"), S("本年废止件数"), S("现行有效件数")],
        [S("规章"), *_values(p[0:3])],
        [S("行政规范性文件"), *_values(p[3:6])],
        [S("第二十条第（五）项", colspan=4)],
        [S("信息内容"), S("本年处理决定数量", colspan=3)],
        [S("行政许可"), S(str(p[6]), colspan=3)],
        [S("第二十条第（六）项", colspan=4)],
        [S("信息内容"), S("本年处理决定数量", colspan=3)],
        [S("行政处罚"), S(str(p[7]), colspan=3)],
        [S("行政强制"), S(str(p[8]), colspan=3)],
        [S("第二十条第（八）项", colspan=4)],
        [S("信息内容"), S("本年收费金额（单位：万元）", colspan=3)],
        [S("行政事业性收费"), S(n["fees"], colspan=3)],
    ]


def table3(n: dict) -> list[list[SpanCell]]:
    t = n["table3"]
    rows = [
        [S("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
         S("申请人情况", colspan=7)],
        [S("自然人", rowspan=2), S("法人或其他组织", colspan=5), S("总计", rowspan=2)],
        [S("商业企业"), S("科研机构"), S("社会公益组织"), S("法律服务机构"), S("其他")],
        [S("一、本年新收政府信息公开申请数量", colspan=3), *_values(t["new"])],
        [S("二、上年结转政府信息公开申请数量", colspan=3), *_values(t["carried_over"])],
    ]
    for i, (group, item) in enumerate(RESULT_LABELS):
        row = [S("三、本年度办理结果", rowspan=RESULT_ROWS + 1)] if i == 0 else []
        if item is None:
            row.append(S(group, colspan=2))
        else:
            if group:
                row.append(S(group, rowspan=GROUP_ROWS[group]))
            row.append(S(item))
        rows.append(row + _values(t[f"r{i}"]))
    rows.append([S("（七）总计", colspan=2), *_values(t["total"])])
    rows.append([S("四、结转下年度继续办理", colspan=3), *_values(t["carried_forward"])])
    return rows


def table4(n: dict) -> list[list[SpanCell]]:
    outcome = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [S("行政复议", colspan=5), S("行政诉讼", colspan=10)],
        [*(S(label, rowspan=2) for label in outcome), S("未经复议直接起诉", colspan=5), S("复议后起诉", colspan=5)],
        [*(S(label) for label in outcome), *(S(label) for label in outcome)],
        _values(n["appeals"]),
    ]


def made_up_report() -> MadeUpReport:
    """青禾市数据资源管理局's (fictional) 2023 report, 2021 template."""
    n = _first_good_numbers()
    agency = "青禾市数据资源管理局"
    report = MadeUpReport(agency=agency, region="青禾市", year=2023, published="2024-01-18")
    line = lambda text: report.blocks.append(("line", text))  # noqa: E731
    line(report.title)
    line("根据《中华人民共和国政府信息公开条例》规定，现公布本局2023年度政府信息公开工作年度报告。"
         "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。")
    line("一、总体情况")
    line("2023年，我局认真贯彻落实政府信息公开条例，围绕数据资源管理中心工作，"
         "持续完善公开制度，丰富公开载体，提升公开质量。")
    line("（一）主动公开")
    line("全年通过门户网站主动公开政府信息一百余条，其中政策文件及解读类信息占三成，"
         "财政预决算信息按时公开，政务新媒体同步发布。")
    line("（二）依申请公开")
    line("严格执行依申请公开办理规程，畅通受理渠道，规范答复文书，全部申请均在法定期限内答复。")
    line("（三）政府信息管理")
    line("落实信息发布审核制度，坚持先审后发，定期清理过时信息，保证信息准确规范。")
    line("（四）平台建设")
    line("优化门户网站政府信息公开专栏，完善栏目设置，提升检索便利度。")
    line("（五）监督保障")
    line("明确分管领导和责任科室，将政务公开工作纳入年度考核，开展业务培训两次。")
    line("二、主动公开政府信息情况")
    report.blocks.append(("table", table2(n)))
    line("三、收到和处理政府信息公开申请情况")
    report.blocks.append(("table", table3(n)))
    line("四、政府信息公开行政复议、行政诉讼情况")
    report.blocks.append(("table", table4(n)))
    line("五、存在的主要问题及改进情况")
    line("一是公开内容的深度还不够，政策解读形式较单一；二是依申请公开答复的说理还需加强。"
         "下一步，我局将丰富解读形式，规范答复说理，持续提升公开质量。")
    line("六、其他需要报告的事项")
    line("本年度未收取信息处理费。本局无其他需要报告的事项。")
    line(agency)
    line("2024年1月18日")
    return report


def expected_figures(report: MadeUpReport) -> dict[str, float]:
    """The figures the schema defines for the report, read off its own tables."""
    from corpus.report import APPEAL_CELLS, APPEAL_GROUPS, RESULT_ROWS_2021, REQUEST_COLUMNS

    t2, t3, t4 = report.tables()
    figures = {}
    cells2 = {row[0].text: [c.text for c in row[1:]] for row in t2 if len(row) > 1}
    for key, label in (("rules", "规章"), ("normative", "行政规范性文件")):
        for col, value in zip(("issued", "repealed", "in_force"), cells2[label]):
            figures[f"proactive.{key}.{col}"] = float(value)
    for key, label in (("licensing", "行政许可"), ("penalty", "行政处罚"), ("coercion", "行政强制")):
        figures[f"proactive.{key}.decisions"] = float(cells2[label][0])
    figures["proactive.fees.amount"] = float(cells2["行政事业性收费"][0])
    row_keys = ("new", "carried_over", *RESULT_ROWS_2021, "total", "carried_forward")
    for key, row in zip(row_keys, t3[3:]):
        for col, cell in zip(REQUEST_COLUMNS, row[-7:]):
            figures[f"requests.{key}.{col}"] = float(cell.text)
    values = [float(c.text) for c in t4[-1]]
    for i, group in enumerate(APPEAL_GROUPS):
        for j, cell in enumerate(APPEAL_CELLS):
            figures[f"appeals.{group}.{cell}"] = values[i * 5 + j]
    return figures


# --- expected reader output -------------------------------------------------------------

def wrap(text: str, width: int = PDF_LINE_CHARS) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def expected_blocks(report: MadeUpReport, wrapped: bool) -> list:
    """The blocks a PDF (wrapped=True) or Word (wrapped=False) reader should return."""
    blocks: list = []
    for kind, item in report.blocks:
        if kind == "table":
            blocks.append(expand(item))
        else:
            blocks.extend(wrap(item) if wrapped else [item])
    return blocks


# --- text ----------------------------------------------------------------------------

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


# --- PDF -----------------------------------------------------------------------------

def register_font() -> str:
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


# --- Word ----------------------------------------------------------------------------

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


def document_lines(document: Document) -> list[str]:
    """A Document's blocks as lines (tables one row a line), for readable assertion diffs."""
    out = []
    for block in document.blocks:
        if isinstance(block, Table):
            out.extend("|".join(("~" if c.copy else "") + c.text for c in row) for row in block.rows)
        else:
            out.append(block)
    return out
