"""Every layout of the same made-up report parses to that report (madeup/layouts.py)."""
from __future__ import annotations

import pytest

from corpus.parse import parse_bytes
from corpus.report import Report
from madeup import layouts

RENDERERS = {
    "pdf_cells": lambda r: layouts.pdf_text(r).encode("utf-8"),
    "pdf_rows": lambda r: layouts.pdf_text(r, rows_on_one_line=True).encode("utf-8"),
    "pipe": lambda r: layouts.markdown(r, "|").encode("utf-8"),
    "tab": lambda r: layouts.markdown(r, "\t").encode("utf-8"),
    "html": lambda r: layouts.html_page(r).encode("utf-8"),
}
SUFFIX = {"pdf_cells": ".txt", "pdf_rows": ".txt", "pipe": ".md", "tab": ".md", "html": ".html"}


def parsed(made: layouts.MadeUp, layout: str, data: bytes | None = None) -> Report:
    report = parse_bytes(data or RENDERERS[layout](made), f"made-up{SUFFIX[layout]}", SUFFIX[layout])
    assert isinstance(report, Report), report
    return report


def summary(report: Report) -> dict:
    return {
        "agency": report.agency, "region": report.region, "year": report.year,
        "published": report.published, "template": report.template,
        "sections": [s.key for s in report.sections],
        "failing": sorted(c.rule for c in report.checks if not c.ok),
    }


def expected(made: layouts.MadeUp) -> dict:
    return {
        "agency": made.agency, "region": made.region, "year": made.year,
        "published": made.published, "template": made.template,
        "sections": list(made.texts),
        "failing": sorted(made.slip),
    }


@pytest.mark.parametrize("layout", RENDERERS)
@pytest.mark.parametrize("template", [2021, 2019])
@pytest.mark.parametrize("seed", [1, 2])
def test_every_layout_reads_every_figure(layout, template, seed):
    made = layouts.made_up(seed, template)
    report = parsed(made, layout)
    assert summary(report) == expected(made)
    assert report.figures == made.figures


@pytest.mark.parametrize("layout", RENDERERS)
def test_slip_is_read_and_reported(layout):
    made = layouts.made_up(3, 2021, slip=True)
    report = parsed(made, layout)
    assert report.figures == made.figures
    failing = [c for c in report.checks if not c.ok]
    assert [c.rule for c in failing] == ["results.natural", "row_total.granted"]
    granted = made.figures["requests.granted.natural"]
    assert f"granted.natural {granted}" in failing[0].detail
    assert f"natural {granted}" in failing[1].detail
    assert sum(c.ok for c in report.checks) == len(report.checks) - 2


def test_slip_in_total_only_table():
    made = layouts.made_up(3, 2019, slip=True, total_only=True)
    report = parsed(made, "pdf_cells")
    assert report.figures == made.figures
    assert summary(report)["failing"] == ["balance.total", "results.total"]


@pytest.mark.parametrize("layout", RENDERERS)
def test_total_column_only(layout):
    made = layouts.made_up(4, 2019, total_only=True)
    report = parsed(made, layout)
    assert report.figures == made.figures
    assert not any(k.endswith(".natural") for k in report.figures)
    assert summary(report) == expected(made)


@pytest.mark.parametrize("layout", RENDERERS)
def test_missing_sections_are_absent(layout):
    made = layouts.made_up(5, 2021, sections=("overview", "proactive", "requests", "appeals", "problems"))
    report = parsed(made, layout)
    assert [s.key for s in report.sections] == ["overview", "proactive", "requests", "appeals", "problems"]
    assert report.figures == made.figures


def test_blank_cells_count_as_zero():
    made = layouts.made_up(6, 2021)
    blanks = ("requests.partial.natural", "requests.withheld_law.total", "appeals.review.upheld")
    report = parsed(made, "html", layouts.html_page(made, blanks=blanks).encode("utf-8"))
    want = dict(made.figures, **{key: 0 for key in blanks})
    assert report.figures == want


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig", "utf-16-le"])
def test_encodings_are_detected(encoding):
    made = layouts.made_up(7, 2021)
    text = layouts.pdf_text(made)
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = text.encode("utf-16-le")   # no BOM at all
    report = parsed(made, "pdf_cells", data)
    assert summary(report) == expected(made)
    assert report.figures == made.figures


def test_full_width_digits():
    made = layouts.made_up(8, 2019)
    text = layouts.pdf_text(made, rows_on_one_line=True)
    wide = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    report = parsed(made, "pdf_rows", wide.encode("utf-8"))
    assert report.figures == made.figures
    assert report.year == made.year


def test_signed_changes_in_2019_table():
    made = layouts.made_up(9, 2019)
    report = parsed(made, "pdf_rows")
    assert report.figures["proactive.licensing.change"] < 0
    assert report.figures["proactive.licensing.change"] == made.figures["proactive.licensing.change"]
    assert report.figures["proactive.penalty.change"] == made.figures["proactive.penalty.change"] > 0


def test_not_applicable_cells_are_not_recorded_and_their_checks_not_reported():
    made = layouts.made_up(10, 2021)
    page = layouts.html_page(made)
    # The natural-person column of 予以公开 printed as "/": that cell is absent, not 0.
    granted = layouts._show(made.figures["requests.granted.natural"])
    row_start = page.index("（一）予以公开")
    cell = page.index("<td><p>", row_start)
    end = page.index("</td>", cell)
    assert granted == "".join(ch for ch in page[cell:end] if ch.isdigit())
    page = page[:cell] + "<td><p>/</p>" + page[end:]
    report = parsed(made, "html", page.encode("utf-8"))
    want = {k: v for k, v in made.figures.items() if k != "requests.granted.natural"}
    assert report.figures == want
    rules = {c.rule for c in report.checks}
    assert "results.natural" not in rules and "row_total.granted" not in rules
    assert {"results.business", "row_total.partial"} <= rules
    assert all(c.ok for c in report.checks)
