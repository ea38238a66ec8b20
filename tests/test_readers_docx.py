"""The Word reader on .docx files generated here (python-docx) from made-up reports."""
from __future__ import annotations

import io
import zipfile

import docx as python_docx
import pytest

from corpus.document import Cell, Document, Table
from corpus.readers import choose, docx, read_document
from corpus.report import NotAReport
from madeup.files import to_docx
from madeup.spanned import expected_blocks, made_up_report


@pytest.fixture(scope="module")
def report():
    return made_up_report()


@pytest.fixture(scope="module")
def report_docx(report):
    return to_docx(report)


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_reads_paragraphs_and_merged_tables_in_body_order(report, report_docx):
    # to_docx also writes a page header and footer: they are not body text.
    assert read_document(report_docx, ".docx") == Document(blocks=expected_blocks(report, wrapped=False))


def test_merged_cells_are_expanded_with_their_copies_marked():
    document = python_docx.Document()
    document.add_paragraph("表一")
    table = document.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(0, 3)).text = "申请人情况"          # gridSpan across the row
    table.cell(1, 1).merge(table.cell(3, 1)).text = "（三）不予公开"       # vMerge down a middle column
    table.cell(1, 2).merge(table.cell(2, 3)).text = "两行两列"            # both at once
    table.cell(1, 0).text, table.cell(2, 0).text, table.cell(3, 0).text = "甲", "乙", "丙"
    table.cell(3, 2).text, table.cell(3, 3).text = "31", "32"
    cell = table.cell(3, 0)
    cell.paragraphs[0].text = "商业"
    cell.add_paragraph("企业")                                           # a label stacked in two paragraphs
    document.add_paragraph("完")
    c, o = (lambda t: Cell(t, copy=True)), Cell
    assert read_document(_save(document), ".docx") == Document(blocks=[
        "表一",
        Table(rows=[
            [o("申请人情况"), c("申请人情况"), c("申请人情况"), c("申请人情况")],
            [o("甲"), o("（三）不予公开"), o("两行两列"), c("两行两列")],
            [o("乙"), c("（三）不予公开"), c("两行两列"), c("两行两列")],
            [o("商业企业"), c("（三）不予公开"), o("31"), o("32")],
        ]),
        "完",
    ])


def test_line_breaks_split_lines_and_empty_paragraphs_are_skipped():
    document = python_docx.Document()
    run = document.add_paragraph().add_run("青禾市民政局")
    run.add_break()
    run.add_text("2022年政府信息公开工作年度报告")
    document.add_paragraph("")
    document.add_paragraph("一、 总体情况\u3000")
    assert read_document(_save(document), ".docx") == Document(
        blocks=["青禾市民政局", "2022年政府信息公开工作年度报告", "一、 总体情况"])


def test_a_docx_is_chosen_by_its_content_whatever_its_name(report_docx):
    assert choose(report_docx, "").name == "docx"
    assert choose(report_docx, ".txt").name == "docx"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize("data, suffix, reason", [
    (OLE2 + "EncryptedPackage".encode("utf-16-le") + bytes(1000), ".docx",
     "The Word file is protected with a password; save an unprotected copy."),
    (OLE2 + "Workbook".encode("utf-16-le") + bytes(1000), ".xls",
     "The file is an Excel spreadsheet (.xls), not a report document."),
    (OLE2 + "PowerPoint Document".encode("utf-16-le") + bytes(1000), ".ppt",
     "The file is a legacy Office document, not Word .docx; save it as .docx or PDF."),
    (b"{\\rtf1\\ansi 2023\\par}", ".docx", "The file is RTF, not Word .docx; save it as .docx or PDF."),
    (None, ".docx", "The Word file is damaged (its zip container cannot be read)."),
    (_zip({"readme.txt": b"hello"}), ".docx", "The file is a zip archive, not a Word .docx document."),
    (_zip({"word/document.xml": b"<not-xml"}), ".docx", "The file is not a readable Word .docx document."),
], ids=["encrypted", "xls", "ppt", "rtf", "truncated", "other-zip", "broken-xml"])
def test_unreadable_word_files_are_refused_with_their_reason(report_docx, data, suffix, reason):
    from corpus.parse import parse_bytes

    if data is None:
        data = report_docx[:3000]
    refusal = parse_bytes(data, "bad" + suffix, suffix)
    assert refusal.to_json() == {"source": "bad" + suffix, "ok": False, "error": reason}


def test_zip_bomb_is_refused_before_unpacking(report_docx, monkeypatch):
    monkeypatch.setattr(docx, "MAX_UNPACKED_BYTES", 1024 * 1024)
    members = {}
    with zipfile.ZipFile(io.BytesIO(report_docx)) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    assert sum(len(data) for data in members.values()) < 1024 * 1024  # the report alone is fine
    members["word/media/padding.bin"] = bytes(2 * 1024 * 1024)  # 2 MB of zeros: ~2 KB zipped
    bomb = _zip(members)
    assert len(bomb) < 100_000
    with pytest.raises(NotAReport, match="unpacks to more than 1 MB; refusing it as a possible zip bomb"):
        read_document(bomb, ".docx")
    assert read_document(report_docx, ".docx").blocks  # under the limit it reads


def test_tab_separated_rows_typed_in_word_become_a_table_like_in_text():
    document = python_docx.Document()
    document.add_paragraph("一、\t总体情况")  # a lone tab is spacing
    document.add_paragraph("本局主动公开信息如下。")
    document.add_paragraph("信息内容\t本年制发件数\t本年废止件数")
    document.add_paragraph("规章\t5\t6")
    document.add_paragraph("二、主动公开政府信息情况")
    assert read_document(_save(document), ".docx") == Document(blocks=[
        "一、 总体情况",
        "本局主动公开信息如下。",
        Table(rows=[[Cell("信息内容"), Cell("本年制发件数"), Cell("本年废止件数")],
                    [Cell("规章"), Cell("5"), Cell("6")]]),
        "二、主动公开政府信息情况",
    ])
