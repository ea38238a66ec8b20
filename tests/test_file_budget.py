"""Every file has a budget: parsing is linear in the file's size, one time limit and
one memory limit (corpus.limits) hold for ``corpus parse``, ``index build`` and
``index add`` alike, tables far beyond a report's shape are refused saying so, and
deep nesting is read (or refused with the true reason)."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import lxml.html
import pytest

from corpus import limits
from corpus import parse as parser
from corpus.__main__ import main as corpus_main
from corpus.parse import parse_bytes, parse_file
from corpus.report import Refusal, Report
from index import build as builder
from index import reading
from madeup import layouts

pytestmark = pytest.mark.reliability

PROSE = "本机关认真落实政府信息公开条例要求持续推进政务公开工作并取得成效\n"   # no full stop


def long_paragraph_report(megabytes: float) -> bytes:
    """A report whose overview is one unpunctuated paragraph of `megabytes` MB."""
    lines = int(megabytes * 1e6 / len(PROSE.encode()))
    return ("青柳市交通运输局2023年政府信息公开工作年度报告\n一、总体情况\n" + PROSE * lines
            + "二、主动公开政府信息情况\n主动公开。\n三、收到和处理政府信息公开申请情况\n收到申请。\n").encode()


def _cpu_seconds(work) -> tuple[float, object]:
    """(CPU seconds of this process spent on `work()`, its result): other processes on
    the machine do not add to it, as they add to the wall time."""
    started = time.process_time()
    result = work()
    return time.process_time() - started, result


def test_a_long_paragraph_parses_in_linear_time():
    # Four times the text, about four times the work (sixteen if each line rescanned
    # the paragraph: 2 MB then took 36 s).
    small, _ = _cpu_seconds(lambda: parse_bytes(long_paragraph_report(0.5), "short.txt", ".txt"))
    large, report = _cpu_seconds(lambda: parse_bytes(long_paragraph_report(2), "long.txt", ".txt"))
    assert isinstance(report, Report), report
    assert large < 8 * small, f"0.5 MB took {small:.2f} s of CPU, 2 MB {large:.2f} s"
    overview = report.sections[0].text
    assert len(overview) > 600_000 and "\n" not in overview.strip()   # still one paragraph


def _html_table(rows: int, columns: int) -> str:
    row = "<tr>" + "<td>1</td>" * columns + "</tr>"
    return "<table>" + row * rows + "</table>"


def _report_page(extra: str) -> bytes:
    return layouts.html_page(layouts.made_up(4)).replace("</body>", extra + "</body>").encode("utf-8")


@pytest.mark.parametrize("rows, columns, reason", [
    (3000, 3, "A table has more than 2000 rows"),
    (5, 150, "A table has 150 columns"),
])
def test_a_table_far_beyond_a_reports_shape_is_refused_saying_so(rows, columns, reason):
    result = parse_bytes(_report_page(_html_table(rows, columns)), "dump.html", ".html")
    assert isinstance(result, Refusal) and reason in result.error, result


def test_a_45_mb_page_of_huge_tables_is_refused_before_it_is_parsed():
    page = _report_page(_html_table(5000, 300) * 3)
    assert len(page) > 40e6
    refusing, result = _cpu_seconds(lambda: parse_bytes(page, "huge.html", ".html"))
    assert isinstance(result, Refusal) and "cells, far beyond any report's tables" in result.error, result
    # Cheaper than building the page's element tree, let alone its 4.5 million cells.
    tree, _ = _cpu_seconds(lambda: lxml.html.document_fromstring(page, parser=lxml.html.HTMLParser(huge_tree=True)))
    assert refusing < tree, f"refused in {refusing:.2f} s of CPU; the tree alone takes {tree:.2f} s"


def test_a_markdown_table_of_thousands_of_rows_is_refused():
    text = layouts.markdown(layouts.made_up(5)) + "\n" + "| 1 | 2 | 3 |\n" * 2500
    result = parse_bytes(text.encode("utf-8"), "rows.md", ".md")
    assert isinstance(result, Refusal) and "more than 2000 rows" in result.error, result


def _nested(depth: int) -> bytes:
    page = layouts.html_page(layouts.made_up(6))
    body = page[page.index("<body>") + 6:page.index("</body>")]
    return page.replace(body, "<div>" * depth + body + "</div>" * depth).encode("utf-8")


def test_a_report_nested_300_deep_is_read():
    result = parse_bytes(_nested(300), "deep.html", ".html")
    assert isinstance(result, Report), result
    assert result.agency == layouts.made_up(6).agency and len(result.sections) >= 3


def test_nesting_beyond_what_can_be_read_is_refused_with_that_reason():
    result = parse_bytes(_nested(60_000), "deeper.html", ".html")
    assert isinstance(result, Refusal)
    assert "nested more than 2048 elements deep" in result.error, result


# --- the time and memory limits, the same everywhere ----------------------------------

def hog_memory(path):
    """Stands for a reader that needs gigabytes for this file."""
    if Path(path).name == "hog.md":
        hoard = bytearray(900 * 1024 * 1024)
        return Refusal(str(path), f"held {len(hoard)}")
    return parse_file(path)


def stuck_in_c(path):
    """Stands for a reader stuck in C code, where no Python signal handler runs: a
    backtracking match of 2**30 steps (tens of seconds of CPU), then the real parse, so a
    runner that let it finish would return a report rather than a refusal."""
    if Path(path).name == "stuck.md":
        re.match(r"(a+)+$", "a" * 30 + "b")
    return parse_file(path)


@pytest.fixture()
def files(tmp_path):
    good = tmp_path / "good.md"
    good.write_text(layouts.markdown(layouts.made_up(3)), encoding="utf-8")
    for name in ("hog.md", "stuck.md"):
        (tmp_path / name).write_text(layouts.markdown(layouts.made_up(8)), encoding="utf-8")
    return tmp_path


def test_a_parse_over_the_memory_limit_is_refused_and_the_next_file_is_read(files):
    jobs = [(0, str(files / "hog.md")), (1, str(files / "good.md"))]
    results = dict(limits.parse_many(jobs, workers=1, memory_mb=300, parse=hog_memory))
    assert results[0].error == "The file needs more than 300 MB of memory to read; it was skipped."
    assert isinstance(results[1], Report)


def test_a_parse_stuck_in_c_is_stopped_at_the_time_limit(files):
    jobs = [(0, str(files / "stuck.md")), (1, str(files / "good.md"))]
    results = dict(limits.parse_many(jobs, workers=2, seconds=1.0, parse=stuck_in_c))
    assert results[0].error == "The file took longer than 1 s to read; it was skipped."
    assert isinstance(results[1], Report)


def test_corpus_parse_index_build_and_index_add_share_the_limits(files, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REPORTS_PARSE_SECONDS", "1")
    monkeypatch.setenv("REPORTS_PARSE_MEMORY_MB", "300")
    real = parser.parse_file
    monkeypatch.setattr(parser, "parse_file", lambda path: {"hog.md": hog_memory, "stuck.md": stuck_in_c}.get(
        Path(path).name, real)(path))
    monkeypatch.setattr(reading, "parse_file", parser.parse_file)
    assert corpus_main(["parse", str(files / "stuck.md"), str(files / "hog.md"), str(files / "good.md")]) == 1
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [p.get("error") for p in printed] == [
        "The file took longer than 1 s to read; it was skipped.",
        "The file needs more than 300 MB of memory to read; it was skipped.", None]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("stuck.md", "hog.md", "good.md"):
        (corpus / name).write_bytes((files / name).read_bytes())
    summary = builder.build(corpus, tmp_path / "index", workers=2)
    assert {r["source"]: r["error"][:30] for r in summary.refused} == {
        "hog.md": "The file needs more than 300 M", "stuck.md": "The file took longer than 1 s "}
    with pytest.raises(builder.BuildFailed) as failed:
        builder.add([files / "stuck.md", files / "hog.md"], tmp_path / "index")
    assert {r["source"]: r["error"][:30] for r in failed.value.summary.refused} == {
        "hog.md": "The file needs more than 300 M", "stuck.md": "The file took longer than 1 s "}
