"""Scanned reports read by the real OCR engine, checked against the made-up reports' truth.

Each fixture is one of `madeup.layouts`' made-up reports, typeset and scanned by
`madeup.scans` (grey, turned by a fraction of a degree, noise, JPEG, a red seal) at a
modest 150 dpi; what the parser reads is compared with the figures the report was made
from. The full set, at more resolutions, is measured by ``python -m bench.ocr``.
"""
from __future__ import annotations

import base64
import json

import pytest

from corpus.parse import parse_bytes
from index.build import build
from madeup import layouts, scans
from madeup.shapes import PARTS_2008

pytestmark = [pytest.mark.ocr, pytest.mark.slow]

DPI = 150
TABLE_CHECK = {"proactive": "tables.2", "requests": "tables.3", "appeals": "tables.4"}


def _score(report, truth: dict) -> tuple[int, list[str], list[str]]:
    exact = sum(1 for key, value in truth.items() if report.figures.get(key) == value)
    wrong = [key for key, value in truth.items() if key in report.figures and report.figures[key] != value]
    absent = [key for key in truth if key not in report.figures]
    return exact, wrong, absent


def _assert_read(report, made: layouts.MadeUp) -> None:
    assert report.ocr and report.to_json()["ocr"] is True
    assert (report.agency, report.year, report.template, report.published) == \
        (made.agency, made.year, made.template, made.published)
    assert [s.key for s in report.sections] == list(made.texts)
    exact, wrong, absent = _score(report, made.figures)
    assert wrong == []
    assert exact >= 0.99 * len(made.figures), absent
    assert set(report.figures) <= set(made.figures)
    failing = {c.rule for c in report.checks if not c.ok}
    assert {TABLE_CHECK[key.split(".")[0]] for key in absent} <= failing   # every unread figure is named
    assert failing <= {TABLE_CHECK[key.split(".")[0]] for key in absent}   # and no check fails otherwise


@pytest.fixture(scope="module")
def portrait():
    """2021 template, A4 portrait, table 3 over a page break."""
    made = layouts.made_up(10, template=2021)
    pictures = scans.scan(scans.pages(made, DPI, "portrait"), seed=0)
    return made, parse_bytes(scans.image_pdf(pictures, DPI), "scan.pdf", ".pdf")


def test_a_scanned_report_reads_its_figures_or_names_them(portrait):
    made, report = portrait
    _assert_read(report, made)


def test_a_scanned_report_keeps_its_prose(portrait):
    made, report = portrait
    assert "持续深化政务公开" in report.section("overview").text
    assert "政策解读形式较为单一" in report.section("problems").text


def test_a_scanned_landscape_table_of_the_2019_template_is_read():
    made = layouts.made_up(11, template=2019)
    pictures = scans.scan(scans.pages(made, DPI, "landscape"), seed=1)
    _assert_read(parse_bytes(scans.image_pdf(pictures, DPI), "scan.pdf", ".pdf"), made)


def test_a_typeset_pdf_with_a_table_pasted_in_as_a_picture():
    made = layouts.made_up(5, template=2021)
    report = parse_bytes(scans.typeset_pdf_with_picture(made, DPI, seed=5), "mixed.pdf", ".pdf")
    _assert_read(report, made)
    table2 = {k: v for k, v in made.figures.items() if k.startswith("proactive.")}
    assert {k: report.figures.get(k) for k in table2} == table2     # typeset, read as text


def _report_2008() -> scans.Report2008:
    return scans.Report2008("云岭县农业农村局", 2017, [(t, x.replace("2017", "2017")) for t, x in PARTS_2008],
                            "2018-03-20")


@pytest.fixture(scope="module")
def page_2008():
    made = _report_2008()
    [picture] = scans.scan(scans.pages(made, DPI), seed=2)
    return made, picture


def test_a_report_before_2019_as_a_picture_file(page_2008):
    made, picture = page_2008
    report = parse_bytes(scans.jpeg(picture), "page.jpg", ".jpg")
    assert (report.agency, report.year, report.template, report.figures) == (made.agency, 2017, 2008, {})
    assert report.ocr
    assert len(report.sections) >= 6
    assert "全年共受理政府信息公开申请12件" in "".join(s.text for s in report.sections)


def test_a_portal_page_whose_report_is_pictures(page_2008):
    made, picture = page_2008
    html = scans.portal_page(made, [picture])
    report = parse_bytes(html.encode(), "page.html", ".html")
    assert (report.agency, report.year, report.template, report.published) == (made.agency, 2017, 2008, "2018-03-20")
    assert report.ocr


def test_a_rebuild_takes_ocr_from_the_cache(tmp_path, page_2008):
    made, picture = page_2008
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "scan.png").write_bytes(_png(picture))
    (corpus / "typed.txt").write_text(layouts.pdf_text(layouts.made_up(3)), encoding="utf-8")
    first = build(corpus, tmp_path / "index", workers=1, grace=0)
    assert (first.ocr_files, first.ocr_pages, first.ocr_cached, first.reports) == (1, 1, 0, 2)
    assert first.ocr_seconds > 0
    assert "  OCR:             1 files, 1 pages" in "\n".join(first.lines())
    again = build(corpus, tmp_path / "index", workers=1, grace=0)
    assert (again.ocr_files, again.ocr_pages, again.ocr_seconds, again.ocr_cached) == (0, 0, 0.0, 1)
    saved = json.loads(next((tmp_path / "index" / "ocr-cache").glob("*.json")).read_text(encoding="utf-8"))
    assert saved["pages"] == 1
    (corpus / "scan.png").unlink()
    build(corpus, tmp_path / "index", workers=1, grace=0, prune=True)
    assert not list((tmp_path / "index" / "ocr-cache").glob("*.json"))    # a file gone, its entry too


def _png(picture) -> bytes:
    import io
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_crawler_saves_a_report_pages_pictures_inside_it(page_2008):
    from corpus.fetch import pictures

    _, picture = page_2008
    served = {"http://gov.example/p/1.jpg": scans.jpeg(picture), "http://gov.example/logo.png": b"\x89PNG tiny"}

    class Client:
        def get(self, url):
            class Answer:
                ok = url in served
                content = served.get(url, b"")
            return Answer()

    page = (b'<html><body><img src="/logo.png"><div class="article"><img src="1.jpg">'
            b'<img src="http://other.example/2.jpg"></div></body></html>')
    saved = pictures.inline(page, "http://gov.example/p/index.html", Client(),
                            on_host=lambda url: url.startswith("http://gov.example/"))
    inlined = "data:image/jpeg;base64," + base64.b64encode(served["http://gov.example/p/1.jpg"]).decode()
    assert saved.decode() == ('<html><body><img src="/logo.png"><div class="article">'
                              f'<img src="{inlined}"><img src="http://other.example/2.jpg"></div></body></html>')
