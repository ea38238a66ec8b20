"""The parser's pieces, one behaviour each: numbers, grids, headings, metadata, checks."""
from __future__ import annotations

import pytest

from corpus import checks, meta, prose, sections
from corpus.clean import is_footer, squeeze
from corpus.document import Cell, Table
from corpus.grid import SpanCell, expand, split_tables
from corpus.numbers import BLANK, NOT_APPLICABLE, cell_value


@pytest.mark.parametrize("text, value", [
    ("12", 12), ("１２", 12), ("1,234", 1234), ("96171.6", 96171.6), ("0 万元", 0), ("86.4万元", 86.4),
    ("251000元", 25.1), ("增2", 2), ("减1", -1), ("-18", -18), ("", BLANK), ("\u00a0", BLANK),
    ("/", NOT_APPLICABLE), ("—", NOT_APPLICABLE), ("无", NOT_APPLICABLE), ("规章", None), ("1.", None),
])
def test_cell_values(text, value):
    assert cell_value(text) == value


def test_expand_marks_span_copies():
    table = expand([
        [SpanCell("a", rowspan=2), SpanCell("b", colspan=2)],
        [SpanCell("c"), SpanCell("d")],
    ])
    assert [[(c.text, c.copy) for c in row] for row in table.rows] == [
        [("a", False), ("b", False), ("b", True)],
        [("a", True), ("c", False), ("d", False)],
    ]
    assert table.lines() == ["a b", "c d"]


def test_expand_caps_hostile_spans():
    table = expand([[SpanCell("x", rowspan=10**9, colspan=10**9)]])
    assert len(table.rows) <= 5000 and all(len(r) <= 300 for r in table.rows)


def test_split_tables_pipe_and_tab_rows():
    blocks = split_tables([
        "一段文字", "| 规章 | 1 | 2 |", "|---|---|---|", "", "| 规范性文件 | 3 | 4 |", "之后",
        "行政许可\t5\t", "----\t---", "行政处罚\t6\t",
    ])
    assert blocks[0] == "一段文字" and blocks[2] == "之后"
    assert [[c.text for c in row] for row in blocks[1].rows] == [["规章", "1", "2"], ["规范性文件", "3", "4"]]
    assert [[c.text for c in row] for row in blocks[3].rows] == [["行政许可", "5", ""], ["行政处罚", "6", ""]]


def test_a_lone_tab_line_is_spacing_not_a_table():
    assert split_tables(["一、\t总体情况", "正文。"]) == ["一、 总体情况", "正文。"]


def test_squeeze_closes_letter_spacing_only():
    assert squeeze("海 东 市 工 业 和 信 息 化 局") == "海东市工业和信息化局"
    assert squeeze("信息内容 本年制发件数  规章 0 0 0") == "信息内容 本年制发件数 规章 0 0 0"
    assert squeeze("2023 年\u3000共 3 件") == "2023 年共 3 件"


@pytest.mark.parametrize("line, footer", [
    ("— 3 —", True), ("- 12 -", True), ("第 3 页", True), ("第3页/共10页", True),
    ("3、重复申请 0", False), ("一、总体情况", False),
])
def test_page_footers(line, footer):
    assert is_footer(line) is footer


@pytest.mark.parametrize("line, key", [
    ("一、总体情况", "overview"),
    ("## 二、主动公开政府信息情况", "proactive"),
    ("三、收到和处理政府信息公开申请情况", "requests"),
    ("四、因政府信息公开工作被申请行政复议和提起行政诉讼情况", "appeals"),
    ("四、政府信息公开行政法复议、行政诉讼情况", "appeals"),
    ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
    ("五. 存在的主要问题及下一步打算", "problems"),
    ("第六部分 其他需要报告的事项", "other"),
    ("**六 、其他需要报告的事项**", "other"),
    ("四、结转下年度继续办理", None),
    ("三、本年度办理结果", None),
    ("（三）复议、诉讼和申诉情况", None),
    ("#### (一) 主动公开情况", None),
    ("一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0", None),
    ("总体情况", None),
])
def test_headings(line, key):
    found = sections.heading(line)
    assert (found[0] if found else None) == key


def test_split_keeps_order_and_skips_table_rows_that_look_like_headings():
    lines = ["标题", "一、总体情况", "正文。", "三、收到和处理政府信息公开申请情况", "四、结转下年度继续办理 0",
             "四、政府信息公开行政复议、行政诉讼情况", "0 0", "二、主动公开政府信息情况", "五、存在的主要问题及改进情况", "无。"]
    preamble, parts = sections.split(lines)
    assert preamble == ["标题"]
    assert [(p.key, p.blocks) for p in parts] == [
        ("overview", ["正文。"]),
        ("requests", ["四、结转下年度继续办理 0"]),
        ("appeals", ["0 0", "二、主动公开政府信息情况"]),
        ("problems", ["无。"]),
    ]


def test_section_text_joins_wrapped_lines_never_across_items_or_rows():
    blocks = ["2023 年，我局紧紧围绕市委、市政府决策部署，认真贯彻", "落实《条例》。", "— 2 —",
              "（一）主动公开", "根据单位性质与职能，本单位无行政许可、行政处罚、行政强制等职权，全年公开信息",
              "17 条。", Table([[Cell("规章"), Cell("1"), Cell("2"), Cell("", copy=True)]]), "之后的文字"]
    text, tables = prose.prose_and_tables(blocks)
    assert text == (
        "2023 年，我局紧紧围绕市委、市政府决策部署，认真贯彻落实《条例》。\n"
        "（一）主动公开\n"
        "根据单位性质与职能，本单位无行政许可、行政处罚、行政强制等职权，全年公开信息17 条。\n"
        "之后的文字"
    )
    assert tables == [[["规章", "1", "2", ""]]]
    assert prose.text_of(blocks) == text and prose.tables_of(blocks) == tables


def test_a_table_flattened_into_lines_is_lifted_out_of_the_prose():
    """PDF text of table 3: header lines, label rows and value rows become one table;
    the sentence before it and the sub-heading after it stay prose."""
    blocks = ["本年度共收到申请 4 件，具体情况如下。", "申请人情况", "自然人 法人或其他组织 总计",
              "一、本年新收政府信息公开申请数量 3 1 4", "（五）不予处理", "2.重复申请 1 0 1",
              "行政许可 5 减 1 4", "政府集中采购 2 12.5 万元", "（一）下一步工作", "我局将加强业务培训，规范公开流程，提高答复质量和时效。"]
    text, tables = prose.prose_and_tables(blocks)
    assert text == ("本年度共收到申请 4 件，具体情况如下。\n（一）下一步工作\n"
                    "我局将加强业务培训，规范公开流程，提高答复质量和时效。")
    assert tables == [[
        ["申请人情况自然人", "法人或其他组织", "总计"],   # short lines are rejoined as wrapped
        ["一、本年新收政府信息公开申请数量", "3", "1", "4"], ["（五）不予处理"],
        ["2.重复申请", "1", "0", "1"], ["行政许可", "5", "减1", "4"], ["政府集中采购", "2", "12.5 万元"],
    ]]


@pytest.mark.parametrize("agency, region", [
    ("海东市工业和信息化局", "海东市"), ("灋河回族区科技和工业信息化局", "灋河回族区"),
    ("平潭综合实验区管委会", "平潭综合实验区"), ("某某市某某镇人民政府", "某某市某某镇"),
    ("东澜市市场监督管理局", "东澜市"), ("西陵市住房和城乡建设局", "西陵市"),
    ("广西壮族自治区南宁市青秀区人民政府", "广西壮族自治区南宁市青秀区"), ("国家税务总局", ""),
    ("北川市城市管理局", "北川市"), ("锡林郭勒盟正蓝旗交通运输局", "锡林郭勒盟正蓝旗"),
])
def test_region_of(agency, region):
    assert meta.region_of(agency) == region


@pytest.mark.parametrize("lines, year, agency", [
    (["某某市商务局2023年政府信息公开工作年度报告"], 2023, "某某市商务局"),
    (["# 某某市商务局", "## 某某市商务局 2023 年政府信息公开工作年度报告"], 2023, "某某市商务局"),
    (["某某县教育局政府信息公开工作2022年度报告"], 2022, "某某县教育局"),
    (["某某县教育局2021年度", "政府信息公开工作年度报告"], 2021, "某某县教育局"),
    (["关于某某区财政局2020年度政府信息公开工作年度报告"], 2020, "某某区财政局"),
    (["某 某 市 民 政 局 文 件", "", "2024 年政府信息公开工作年度报告"], 2024, ""),
])
def test_find_title(lines, year, agency):
    index, found_year, found_agency, _, _ = meta.find_title(lines)
    assert (found_year, found_agency) == (year, agency)
    if not agency:
        assert meta.agency_before(lines, index) == "某某市民政局"


@pytest.mark.parametrize("meta_lines, lines, date", [
    (["来源：某某局 时间：2024-03-08 15:34"], [], "2024-03-08"),
    (["发布日期：2024年01月22日"], [], "2024-01-22"),
    ([], ["正文。", "某某局", "2024 年 1 月 18 日"], "2024-01-18"),
    ([], ["正文。", "某某局", "二〇二四年一月十八日"], "2024-01-18"),
    ([], ["正文写于2024年1月18日。", "完"], None),
])
def test_published(meta_lines, lines, date):
    assert meta.published(meta_lines, lines, 0) == date


def test_checks_report_numbers_and_skip_incomplete_rules():
    figures = {"appeals.review.upheld": 1, "appeals.review.corrected": 2, "appeals.review.other": 0,
               "appeals.review.pending": 1, "appeals.review.total": 5,
               "appeals.suit_direct.upheld": 1}
    assert [(c.rule, c.ok, c.detail) for c in checks.run_checks(figures)] == [
        ("appeals.review", False,
         "review.total 5 ≠ review.upheld 1 + review.corrected 2 + review.other 0 + review.pending 1 = 4"),
    ]


def test_sections_numbered_in_brackets_or_not_at_all():
    lines = ["某某局2023年政府信息公开工作年度报告", "（一）总体情况", "正文。", "（二）主动公开政府信息情况", "表。",
             "收到和处理政府信息公开申请情况", "表。", "（四）政府信息公开行政复议、行政诉讼情况", "表。",
             "**（五）存在的主要问题及改进情况**", "问题。", "（六）其他需要报告的事项", "无。"]
    preamble, parts = sections.split(lines)
    assert [(p.key, p.title) for p in parts] == [
        ("overview", "（一）总体情况"), ("proactive", "（二）主动公开政府信息情况"),
        ("requests", "收到和处理政府信息公开申请情况"), ("appeals", "（四）政府信息公开行政复议、行政诉讼情况"),
        ("problems", "（五）存在的主要问题及改进情况"), ("other", "（六）其他需要报告的事项"),
    ]


def test_sub_headings_in_brackets_do_not_start_sections_when_numbered_ones_exist():
    lines = ["一、总体情况", "（一）主动公开", "正文。", "（二）依申请公开", "二、主动公开政府信息情况", "表。",
             "三、收到和处理政府信息公开申请情况", "表。"]
    _, parts = sections.split(lines)
    assert [(p.key, len(p.blocks)) for p in parts] == [("overview", 3), ("proactive", 1), ("requests", 1)]


def test_html_page_metadata_and_chrome():
    from corpus.readers import read_document

    page = """<html><head><title>某某局2023年度政府信息公开工作年度报告_门户网站</title>
    <meta name="PubDate" content="2024-01-22 09:30"><style>p{}</style></head><body>
    <div class="nav-menu">首页 | 政务公开</div>
    <table><tr><td><table><tr><td>一、总体情况</td><td>5</td></tr></table></td></tr>
    <tr><td><p>正文第一段，<span>共</span><span>1</span><span>3</span>件。</p></td></tr></table>
    <div><span>发布时间：</span><span>2024-01-23</span></div>
    <div id="footer">版权所有</div></body></html>"""
    document = read_document(page.encode("utf-8"), ".html")
    assert document.title == "某某局2023年度政府信息公开工作年度报告_门户网站"
    assert document.meta_lines[0] == "发布时间：2024-01-22 09:30"
    assert "发布时间：2024-01-23" in document.meta_lines
    lines = [b if isinstance(b, str) else b.lines() for b in document.blocks]
    assert lines == [["一、总体情况 5"], "正文第一段，共13件。", "发布时间：2024-01-23"]


def test_title_with_the_year_before_the_agency():
    from corpus.parse import parse_bytes
    from madeup import layouts

    made = layouts.made_up(11)
    text = layouts.markdown(made)
    printed = f"## {made.agency} {made.year} 年政府信息公开工作年度报告"
    assert printed in text
    text = text.replace(printed, f"## {made.year}年度{made.agency}政府信息公开工作年度报告")
    text = text.replace(f"# {made.agency}\n", "")
    report = parse_bytes(text.encode(), "x.md", ".md")
    assert (report.agency, report.year, report.region) == (made.agency, made.year, made.region)
