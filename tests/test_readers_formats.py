"""One made-up report as text, PDF and Word parses to the same report.

The figures, metadata, section keys and titles and checks must be identical. Section
text is compared with its line breaks taken out: the PDF prints every paragraph
wrapped at 30 characters, sometimes inside a number (…本局202 / 3年度…), and where
the parser rejoins such a wrap is its business; the words and their order must agree.
"""
from __future__ import annotations

import re

import pytest

from corpus.parse import parse_bytes
from madeup.files import to_docx, to_pdf, to_text
from madeup.spanned import expected_figures, made_up_report

REPORT = made_up_report()
RENDERINGS = {
    "txt": lambda: (to_text(REPORT).encode("utf-8"), ".txt"),
    "pdf": lambda: (to_pdf(REPORT), ".pdf"),
    "pdf-table3-across-pages": lambda: (to_pdf(REPORT, break_table3_at=12, footer="第 {n} 页"), ".pdf"),
    "docx": lambda: (to_docx(REPORT), ".docx"),
}


def _comparable(report) -> dict:
    data = report.to_json()
    data.pop("source")
    for section in data["sections"]:
        section["text"] = section["text"].replace("\n", "")
        # A grid (PDF, Word) repeats a spanned cell in every position it covers, rows of
        # text do not, and captions sit in different rows: the section's tables must
        # print the same numbers in the same order.
        section["tables"] = [cell for table in section["tables"] for row in table
                             for i, cell in enumerate(row)
                             if re.fullmatch(r"[\d.]+", cell) and (i == 0 or row[i - 1] != cell)]
    return data


@pytest.fixture(scope="module")
def parsed():
    out = {}
    for name, render in RENDERINGS.items():
        data, suffix = render()
        out[name] = parse_bytes(data, "made-up" + suffix, suffix)
    return out


@pytest.mark.parametrize("name", list(RENDERINGS))
def test_every_format_gives_the_report_its_tables_print(parsed, name):
    report = parsed[name]
    assert report.to_json()["ok"] is True
    assert (report.agency, report.region, report.year, report.published, report.template) == (
        "青禾市数据资源管理局", "青禾市", 2023, "2024-01-18", 2021)
    assert report.figures == expected_figures(REPORT)
    assert [s.key for s in report.sections] == ["overview", "proactive", "requests", "appeals", "problems", "other"]
    assert report.checks and report.consistent


@pytest.mark.parametrize("name", ["pdf", "pdf-table3-across-pages", "docx"])
def test_pdf_and_word_parse_exactly_like_the_text(parsed, name):
    assert _comparable(parsed[name]) == _comparable(parsed["txt"])
