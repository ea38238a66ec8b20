"""The PDF reader on PDFs generated here from a made-up report (madeup/spanned.py, madeup/files.py)."""
from __future__ import annotations

import io

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from corpus.document import Document
from corpus.readers import choose, pdf, read_document
from corpus.report import NotAReport
from madeup.files import image_only_pdf, register_font, to_pdf
from madeup.spanned import expected_blocks, made_up_report


@pytest.fixture(scope="module")
def report():
    return made_up_report()


@pytest.fixture(scope="module")
def expected(report):
    return Document(blocks=expected_blocks(report, wrapped=True))


def _pages_of(data: bytes, *texts: str) -> list[int]:
    """The page each text is printed on (to prove table 3 really falls across two)."""
    with pdfplumber.open(io.BytesIO(data)) as document:
        pages = [(page.page_number, page.extract_text()) for page in document.pages]
    return [next(n for n, page_text in pages if text in page_text) for text in texts]


def test_reads_tables_as_grids_and_text_as_lines_in_reading_order(report, expected):
    assert read_document(to_pdf(report), ".pdf") == expected


@pytest.mark.parametrize("options", [
    # reportlab splits between spans, after 二、上年结转…, and repeats the header rows
    {"fill_before_table3": 300, "repeat_header_rows": True},
    # cut through the spans of 三、本年度办理结果 and （三）不予公开, as Word prints them
    {"break_table3_at": 12, "footer": "第 {n} 页"},
    {"break_table3_at": 14, "footer": "- {n} -", "header": False},
], ids=["split-between-spans", "cut-through-span", "cut-through-two-spans"])
def test_table_continued_on_next_page_is_joined_and_furniture_dropped(report, expected, options):
    data = to_pdf(report, **options)
    first, last = _pages_of(data, "一、本年新收政府信息公开申请数量", "（七）总计")
    assert last == first + 1
    assert read_document(data, ".pdf") == expected


def _lines_pdf(pages: list[list[tuple[float, str]]], font: str = "", encrypt=None) -> bytes:
    """A PDF of plain drawn lines (no ruled tables): each page a list of (y from top, text)."""
    font = font or register_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, encrypt=encrypt)
    for page in pages:
        canvas.setFont(font, 11)
        for y, text in page:
            canvas.drawString(72, A4[1] - y, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_text_only_pages_keep_lines_and_lose_headers_footers_and_page_numbers():
    header = (40, "青禾市民政局文件")
    data = _lines_pdf([
        [header, (90, "青禾市民政局2022年政府信息公开工作年度报告"), (120, "一、总体情况"),
         (150, "规章 5 6 7"), (180, "17"), (800, "— 1 —")],
        [header, (90, "二、主动公开政府信息情况"), (120, "行政许可 23"), (806, "2")],
        # no header here; a table printed one cell per line puts figures at the page's edges
        [(80, "0"), (120, "本年增/减"), (150, "-18"), (806, "3")],
        [header, (90, "三、收到和处理政府信息公开申请情况"), (806, "4")],
    ])
    assert read_document(data, ".pdf") == Document(blocks=[
        "青禾市民政局2022年政府信息公开工作年度报告", "一、总体情况", "规章 5 6 7", "17",
        "二、主动公开政府信息情况", "行政许可 23",
        "0", "本年增/减", "-18",
        "三、收到和处理政府信息公开申请情况",
    ])


def test_permissions_only_encryption_is_read():
    # Many agencies forbid copying with an owner password; the text is still readable.
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = _lines_pdf([[(90, "Annual report 2023"), (120, "Total 128")]], font="Helvetica",
                      encrypt=StandardEncryption("", ownerPassword="owner", canCopy=0))
    assert b"/Encrypt" in data
    assert read_document(data, ".pdf") == Document(blocks=["Annual report 2023", "Total 128"])


def test_a_pdf_is_chosen_by_its_content_whatever_its_name(report):
    assert choose(to_pdf(report), ".txt").name == "pdf"


@pytest.mark.parametrize("make, reason", [
    pytest.param(lambda report: image_only_pdf(), "It is not a government-information-disclosure annual report "
                 "(fewer than two of its six sections were found).", marks=pytest.mark.ocr),   # read by OCR
    (lambda report: to_pdf(report, password="secret"),
     "The PDF is encrypted with a password; publish an unprotected copy."),
    (lambda report: to_pdf(report)[:4000], "The PDF is damaged and cannot be read."),
    (lambda report: b"%PDF-1.4\n" + bytes(range(256)) * 40, "The PDF is damaged and cannot be read."),
], ids=["picture_of_no_report", "password", "truncated", "garbage"])
def test_unreadable_pdfs_are_refused_with_their_reason(report, make, reason):
    from corpus.parse import parse_bytes

    refusal = parse_bytes(make(report), "bad.pdf", ".pdf")
    assert refusal.to_json() == {"source": "bad.pdf", "ok": False, "error": reason}


def test_page_limit_refuses_a_long_pdf(report, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    with pytest.raises(NotAReport, match="more than 2 pages"):
        read_document(to_pdf(report), ".pdf")


def test_time_limit_refuses_a_slow_pdf(report, monkeypatch):
    monkeypatch.setenv("REPORTS_PARSE_SECONDS", "0")      # the PDF's share of it: 0 s
    with pytest.raises(NotAReport, match="took longer than 0 seconds"):
        read_document(to_pdf(report), ".pdf")
