"""Hostile files: every reader gives a report or a refusal, never an exception, never a hang.

Property-based (hypothesis) over each container the parser reads: random bytes behind
each reader's magic, made-up reports truncated or with bytes overwritten, tables with
cells dropped, doubled, spanned absurdly or filled with junk, huge lines, deep HTML,
zip bombs dressed as .docx, PDFs with garbage drawing streams. Every parse is held to
a CPU budget measured in the same run (`cpu_budget`): ten times what the dearest
ordinary read costs here. CPU time, not wall time, so other work on the machine does
not count against the parser. Then the build: a corpus holding such
files next to good reports is built, the bad ones refused with a reason; a file slower
than the per-file limit is refused and the build goes on.
"""
from __future__ import annotations

import functools
import io
import os
import resource
import time
import zipfile
import zlib

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from config.settings import DEFAULTS
from corpus.parse import parse_bytes, parse_file
from corpus.readers import docx as docx_reader
from corpus.readers import legacy
from corpus.report import Refusal, Report
from index import build as builder
from index import reading
from madeup import files, layouts, spanned

pytestmark = pytest.mark.reliability

COST_FACTOR = 10      # a hostile file may cost this many ordinary reads, at most
FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".doc", "")
MAGIC = (b"", b"%PDF-1.7\n", b"PK\x03\x04", b"PK\x03\x04word/document.xml",
         b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe", b"{\\rtf1")


def cpu_seconds() -> float:
    """CPU time used so far by this process and the children it waited for (LibreOffice)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@functools.cache
def cpu_budget() -> float:
    """CPU seconds one hostile file may cost: `COST_FACTOR` times the dearest ordinary
    read, measured now: a whole report in each container, and one LibreOffice run (on a
    damaged .doc; a no-op without LibreOffice, as the fuzzed .doc files then are)."""
    damaged_doc = legacy.OLE2_MAGIC + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(3000)
    costs = []
    for suffix, data in [*renderings().items(), (".doc", damaged_doc)]:
        started = cpu_seconds()
        parse_bytes(data, "ordinary" + suffix, suffix)
        costs.append(cpu_seconds() - started)
    return COST_FACTOR * max(costs)


def parsed(data: bytes, suffix: str) -> Report | Refusal:
    """Parse, and check the contract: a Report or a one-sentence Refusal, within the budget."""
    budget = cpu_budget()
    started = cpu_seconds()
    result = parse_bytes(data, "fuzz" + suffix, suffix)
    spent = cpu_seconds() - started
    assert spent < budget, f"{len(data)} bytes as {suffix!r} took {spent:.2f} s of CPU (budget {budget:.2f} s)"
    assert isinstance(result, (Report, Refusal)), type(result)
    if isinstance(result, Refusal):
        assert result.error and result.error.endswith(".") and "\n" not in result.error, result.error
    else:
        assert result.agency and 2000 < result.year < 2100
    return result


@functools.cache
def renderings() -> dict[str, bytes]:
    """One made-up report in every container the parser reads."""
    made = layouts.made_up(3)
    full = spanned.made_up_report()
    return {
        ".txt": layouts.pdf_text(made).encode("utf-8"),
        ".md": layouts.markdown(made).encode("utf-8"),
        ".html": layouts.html_page(made).encode("utf-8"),
        ".pdf": files.to_pdf(full),
        ".docx": files.to_docx(full),
    }


def test_every_rendering_reads_as_a_report():
    # The baseline the damage below starts from: undamaged, each is a report.
    for suffix, data in renderings().items():
        assert isinstance(parsed(data, suffix), Report), suffix


@FUZZ
@given(st.sampled_from(MAGIC), st.binary(max_size=4000), st.sampled_from(SUFFIXES))
def test_random_bytes_behind_every_magic(magic, body, suffix):
    parsed(magic + body, suffix)


@FUZZ
@given(st.sampled_from(sorted(renderings())), st.floats(0.0, 1.0))
def test_truncated_reports(suffix, fraction):
    data = renderings()[suffix]
    parsed(data[: int(len(data) * fraction)], suffix)


@FUZZ
@given(st.sampled_from(sorted(renderings())), st.data())
def test_reports_with_bytes_overwritten(suffix, data):
    body = bytearray(renderings()[suffix])
    for _ in range(data.draw(st.integers(1, 40))):
        at = data.draw(st.integers(0, len(body) - 1))
        chunk = data.draw(st.binary(min_size=1, max_size=64))
        body[at:at + len(chunk)] = chunk
    parsed(bytes(body), suffix)


def _damage_row(row: str, data) -> str:
    cells = row.split("|")
    action = data.draw(st.sampled_from(["drop", "double", "junk", "huge", "negative", "split"]))
    i = data.draw(st.integers(0, len(cells) - 1))
    if action == "drop":
        del cells[i]
    elif action == "double":
        cells.insert(i, cells[i])
    elif action == "junk":
        cells[i] = data.draw(st.text(max_size=30)).replace("\n", " ")
    elif action == "huge":
        cells[i] = "9" * data.draw(st.integers(20, 5000))
    elif action == "negative":
        cells[i] = "-" + cells[i].strip() + "万"
    else:
        return "|".join(cells[:i]) + "\n" + "|".join(cells[i:])
    return "|".join(cells)


@FUZZ
@given(st.integers(0, 5), st.data())
def test_damaged_markdown_tables(seed, data):
    lines = layouts.markdown(layouts.made_up(seed)).split("\n")
    rows = [i for i, line in enumerate(lines) if line.count("|") >= 2]
    for _ in range(data.draw(st.integers(1, 12))):
        i = data.draw(st.sampled_from(rows))
        lines[i] = _damage_row(lines[i], data)
    parsed("\n".join(lines).encode("utf-8", "surrogatepass"), ".md")


@FUZZ
@given(st.integers(0, 5), st.data())
def test_damaged_html_tables(seed, data):
    page = layouts.html_page(layouts.made_up(seed))
    spans = st.sampled_from(['rowspan="99999999"', 'colspan="99999999"', 'rowspan="-3"',
                             'colspan="abc"', 'rowspan="0"', 'colspan="1e9"', ''])
    for _ in range(data.draw(st.integers(1, 10))):
        cut = data.draw(st.sampled_from(["<td", "</td>", "<tr>", "</tr>", "</table>"]))
        at = page.find(cut, data.draw(st.integers(0, len(page) - 1)))
        if at < 0:
            continue
        if cut == "<td":
            page = page[:at] + "<td " + data.draw(spans) + page[at + 3:]
        else:  # drop a closing tag or a row start: unbalanced markup
            page = page[:at] + page[at + len(cut):]
    parsed(page.encode("utf-8"), ".html")


@settings(max_examples=8, deadline=None, derandomize=True)
@given(st.sampled_from([".txt", ".md", ".html"]), st.integers(100_000, 3_000_000),
       st.sampled_from(["公", "a", "1", " ", "|", "<b>"]))
def test_huge_lines(suffix, length, unit):
    # One enormous line inside a report, and a file that is nothing but one line.
    report = renderings()[".md" if suffix != ".html" else ".html"].decode("utf-8")
    middle = len(report) // 2
    line = (unit * (length // len(unit)))
    parsed((report[:middle] + "\n" + line + "\n" + report[middle:]).encode("utf-8"), suffix)
    parsed(line.encode("utf-8"), suffix)


@settings(max_examples=10, deadline=None, derandomize=True)
@given(st.sampled_from(["div", "table", "ul", "span", "td", "b", "font"]),
       st.integers(1000, 60_000), st.booleans())
def test_deeply_nested_html(tag, depth, closed):
    inner = "<tr><td>一、总体情况</td></tr>" if tag == "table" else "一、总体情况 2023年政府信息公开工作年度报告"
    page = "<html><body>" + f"<{tag}>" * depth + inner + (f"</{tag}>" * depth if closed else "") + "</body></html>"
    parsed(page.encode("utf-8"), ".html")


def _docx_with(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    """The made-up .docx with some parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(renderings()[".docx"])) as source, \
            zipfile.ZipFile(out, "w", compression) as target:
        for item in source.infolist():
            if item.filename not in parts:
                target.writestr(item.filename, source.read(item.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def _lie_about_sizes(data: bytes, declared: int) -> bytes:
    """Patch every member's declared uncompressed size (local header and directory)."""
    body = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = body.find(signature)
        while at >= 0:
            body[at + offset:at + offset + 4] = declared.to_bytes(4, "little")
            at = body.find(signature, at + 4)
    return bytes(body)


def test_zip_bombs_dressed_as_docx():
    paragraph = b"<w:p><w:r><w:t>\xe5\x85\xac</w:t></w:r></w:p>"
    xml = renderings()[".docx"]
    with zipfile.ZipFile(io.BytesIO(xml)) as source:
        document = source.read("word/document.xml")
    head, tail = document.split(b"<w:body>", 1)
    bombs = {
        # 40 MB of paragraphs in ~100 KB: refused by the XML part limit, before parsing.
        "deep document.xml": _docx_with({"word/document.xml": head + b"<w:body>"
                                         + paragraph * (40 * 2**20 // len(paragraph)) + tail}),
        # 300 MB of zeros beside the document: refused by the unpacked-size limit.
        "zeros beside": _docx_with({"word/media/zeros.bin": bytes(300 * 2**20)}),
        # sizes declared tiny: zipfile stops at the declared size, the CRC check fails.
        "lying sizes": _lie_about_sizes(_docx_with({"word/media/zeros.bin": bytes(20 * 2**20)}), 100),
        "many parts": _docx_with({f"word/media/{n}.bin": b"" for n in range(docx_reader.MAX_MEMBERS + 1)},
                                 zipfile.ZIP_STORED),
        "a zip in a zip": _docx_with({"word/document.xml": _docx_with({"word/media/zeros.bin": bytes(2**20)})}),
    }
    reasons = {}
    for name, data in bombs.items():
        assert len(data) < 2 * 2**20 or name == "many parts", (name, len(data))
        result = parsed(data, ".docx")
        assert isinstance(result, Refusal), name
        reasons[name] = result.error
    assert reasons == {
        "deep document.xml": "The Word file has a text part larger than 16 MB; refusing it as a possible zip bomb.",
        "zeros beside": "The Word file unpacks to more than 200 MB; refusing it as a possible zip bomb.",
        "lying sizes": "The file is not a readable Word .docx document.",
        "many parts": f"The Word file holds more than {docx_reader.MAX_MEMBERS} parts; "
                      "refusing it as a possible zip bomb.",
        "a zip in a zip": "The file is not a readable Word .docx document.",
    }


def _pdf_with_page_content(content: bytes) -> bytes:
    """A one-page PDF whose drawing stream is `content`, Flate-compressed."""
    packed = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(st.binary(min_size=1, max_size=5000), st.integers(1, 200))
def test_pdf_pages_of_garbage(garbage, repeat):
    parsed(_pdf_with_page_content(garbage * repeat), ".pdf")


def test_pdf_drawing_bombs_are_refused_quickly():
    lines = b"0 0 m 1 1 l S\n" * (3 * 2**20 // 14)   # 3 MB of strokes: ~15 s and ~1 GB unchecked
    spaces = b" " * (100 * 2**20)                    # 100 MB that compress to ~100 KB
    for content in (lines, spaces):
        result = parsed(_pdf_with_page_content(content), ".pdf")
        assert result == Refusal("fuzz.pdf", "A page of the PDF holds more than 2 MB of drawing instructions.")


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTS_MAX_FILE_MB", "1")
    big = tmp_path / "big.txt"
    big.write_bytes(renderings()[".txt"] + b"\n" * (1024 * 1024))
    assert parse_file(big) == Refusal(str(big), "The file is larger than 1 MB.")
    # The default limit, on a sparse file: refused without reading 60 MB.
    monkeypatch.undo()
    sparse = tmp_path / "sparse.txt"
    with open(sparse, "wb") as handle:
        handle.truncate(DEFAULTS.max_file_bytes + 1)
    assert parse_file(sparse) == Refusal(str(sparse), "The file is larger than 50 MB.")


# --- the build: hostile files among good ones ------------------------------------------------

def _hostile_corpus(folder) -> dict[str, str]:
    """Three good reports and one of each kind of bad file; name -> expected refusal start."""
    for seed in range(3):
        (folder / f"good{seed}.md").write_text(layouts.markdown(layouts.made_up(seed)), encoding="utf-8")
    bad = {
        "bomb.docx": (_docx_with({"word/media/zeros.bin": bytes(300 * 2**20)}),
                      "The Word file unpacks to more than 200 MB"),
        "garbage.pdf": (_pdf_with_page_content(b"0 0 m 1 1 l S\n" * 200_000),
                        "A page of the PDF holds more than 2 MB"),
        "random.html": (os.urandom(5000), "The file"),
        "empty.txt": (b"", "The file is empty."),
        "huge-line.txt": (b"x" * 3_000_000, "It is not a government-information-disclosure annual report"),
    }
    for name, (data, _) in bad.items():
        (folder / name).write_bytes(data)
    return {name: reason for name, (_, reason) in bad.items()}


def test_build_refuses_hostile_files_and_indexes_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    expected = _hostile_corpus(corpus)
    summary = builder.build(corpus, tmp_path / "index", workers=2, parse_seconds=30)
    assert summary.reports == 3
    assert sorted(item["source"] for item in summary.refused) == sorted(expected)
    for item in summary.refused:
        assert item["error"].startswith(expected[item["source"]]), item


def test_a_file_over_the_time_limit_is_refused_and_the_build_goes_on(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in range(6):
        (corpus / f"r{seed}.md").write_text(layouts.markdown(layouts.made_up(seed)), encoding="utf-8")
    (corpus / "r2-slow.md").write_text(layouts.markdown(layouts.made_up(9)), encoding="utf-8")

    def slow_parse(path):
        # Stands for a file that hangs a reader for a minute, then reads as a report: the
        # pool's forked workers inherit this patch.
        if "slow" in str(path):
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                time.sleep(0.05)
        return parse_file(path)

    monkeypatch.setattr(reading, "parse_file", slow_parse)
    for workers in (2, 1):   # the pool, and the serial path (`index add` uses it)
        summary = builder.build(corpus, tmp_path / f"index{workers}", workers=workers, parse_seconds=1.0)
        assert summary.refused == [{"source": "r2-slow.md",
                                    "error": "The file took longer than 1 s to read; it was skipped."}]
        assert summary.reports == 6
