"""Prose and tables apart in search: table hits show labels and numbers, prose ranks first.

Two made-up reports: 南岭县司法局 says in prose that it had 行政复议 cases; 北坡镇人民政府
only prints tables 3 and 4 (as a grid with spans expanded, and as lines flattened
from a PDF), whose labels hold 行政复议 and 重复申请.
"""
from __future__ import annotations

import pytest

from corpus.report import Check, Report, Section, SECTION_TITLES
from search.whoosh import engine
from search.request import SearchRequest
from search.tablesnippet import table_snippet
from tests.searchdata import build_index

pytestmark = pytest.mark.engine

APPEALS_GRID = [
    ["行政复议", "行政复议", "行政复议", "行政复议", "行政复议", "行政诉讼", "行政诉讼"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
    ["1", "0", "0", "2", "3", "0", "0"],
]
REQUESTS_LINES = [
    ["申请人情况"],
    ["自然人", "法人或其他组织", "总计"],
    ["一、本年新收政府信息公开申请数量", "3", "0", "0", "0", "0", "0", "3"],
    ["（五）不予处理"],
    ["1.信访举报投诉类申请", "0", "0", "0", "0", "0", "0", "0"],
    ["2.重复申请", "3", "0", "0", "0", "0", "0", "3"],
]


def _report(agency, region, sections) -> Report:
    return Report(source=f"{agency}.txt", agency=agency, region=region, year=2023,
                  published="2024-01-20", template=2021,
                  sections=[Section(key, SECTION_TITLES[key], text, tables) for key, (text, tables) in sections.items()],
                  figures={}, checks=[Check("balance.total", True, "")])


REPORTS = [
    _report("南岭县司法局", "南岭县", {
        "overview": ("本局全年办理行政复议案件两件，均在法定期限内作出决定。我局进一步规范答复流程。", []),
    }),
    _report("北坡镇人民政府", "北坡镇", {
        "overview": ("本镇全年主动公开信息四十条。", []),
        "requests": ("", [REQUESTS_LINES]),
        "appeals": ("", [APPEALS_GRID]),
    }),
]


@pytest.fixture(scope="module")
def handle(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("tables"), REPORTS)


def test_a_flattened_row_is_named_by_its_labels_with_its_numbers():
    assert table_snippet([REQUESTS_LINES], ["重复申请"], SECTION_TITLES["requests"], "requests") == (
        "表三 · （五）不予处理 · 2.<mark>重复申请</mark>：自然人 3，总计 3")


def test_a_row_of_zeros_says_so():
    assert table_snippet([REQUESTS_LINES], ["信访"], SECTION_TITLES["requests"], "requests") == (
        "表三 · （五）不予处理 · 1.<mark>信访</mark>举报投诉类申请：均为 0")


def test_a_column_label_gives_that_columns_numbers_from_the_grid():
    assert table_snippet([APPEALS_GRID], ["行政复议"], SECTION_TITLES["appeals"], "appeals") == (
        "表四：<mark>行政复议</mark>·结果维持 1，结果纠正 0，其他结果 0，尚未审结 2，总计 3")
    zeros = APPEALS_GRID[:2] + [["0"] * 7]
    assert table_snippet([zeros], ["行政复议"], SECTION_TITLES["appeals"], "appeals") == (
        "表四：<mark>行政复议</mark>·结果维持、结果纠正、其他结果、尚未审结、总计均为 0")


def test_markup_in_a_cell_is_escaped():
    table = [["<b>重复申请</b>", "2"]]
    assert table_snippet([table], ["重复申请"], "三、x", "requests") == (
        "表三 · &lt;b&gt;<mark>重复申请</mark>&lt;/b&gt;：2")


def test_prose_that_uses_the_words_ranks_above_table_labels(handle):
    results = engine.search(handle, SearchRequest(query="行政复议"))
    assert [(h.agency, h.section) for h in results.hits] == [
        ("南岭县司法局", "overview"), ("北坡镇人民政府", "appeals")]
    prose, table = results.hits
    assert prose.snippet == "本局全年办理<mark>行政复议</mark>案件两件，均在法定期限内作出决定。我局进一步规范答复流程。"
    assert table.snippet.startswith("表四：<mark>行政复议</mark>·结果维持 1，结果纠正 0")


def test_text_printed_only_in_a_table_is_still_found(handle):
    for words in ("重复申请", "未经复议直接起诉", "结果纠正"):
        results = engine.search(handle, SearchRequest(query=words))
        assert [h.agency for h in results.hits] == ["北坡镇人民政府"], words
    hit = engine.search(handle, SearchRequest(query="重复申请")).hits[0]
    assert hit.snippet == "表三 · （五）不予处理 · 2.<mark>重复申请</mark>：自然人 3，总计 3"
