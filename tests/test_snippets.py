"""Snippets and highlights: escaped first, whole terms marked, fragments at sentence ends."""
import html
import re

from hypothesis import given
from hypothesis import strategies as st

from search.snippets import ELLIPSIS, FRAGMENT_CHARS, highlight, mark_spans, snippet

XSS = '<script>alert("x")</script>'


def test_script_in_the_report_is_escaped():
    text = f"本机关未收取信息处理费。{XSS}其他事项。"
    assert snippet(text, ["信息处理费"]) == (
        "本机关未收取<mark>信息处理费</mark>。&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;其他事项。")


def test_script_in_the_query_is_escaped_inside_the_mark():
    text = f"有人提交了{XSS}作为申请内容。"
    assert snippet(text, [XSS]) == (
        "有人提交了<mark>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</mark>作为申请内容。")
    assert highlight("a<b", ["<"]) == "a<mark>&lt;</mark>b"


def test_whole_terms_marked_overlaps_merged():
    text = "本年度发生行政复议2件，复议结果维持。"
    assert highlight(text, ["复议", "行政复议"]) == (
        "本年度发生<mark>行政复议</mark>2件，<mark>复议</mark>结果维持。")


def test_numbers_marked_whole_not_inside_longer_numbers():
    text = "2012年收到申请12件，120条信息，12.5万元。"
    assert highlight(text, ["12"]) == (
        "2012年收到申请<mark>12</mark>件，120条信息，<mark>12</mark>.5万元。")
    # When the number only occurs inside a longer one, it is marked there rather than nowhere.
    assert highlight("2012年", ["12"]) == "20<mark>12</mark>年"
    assert highlight("共 3 件", ["3"]) == "共 <mark>3</mark> 件"


def test_marks_are_width_case_and_whitespace_blind():
    text = "上传ＰＤＦ文件，行政\n诉讼1件"
    assert highlight(text, ["pdf", "行政诉讼"]) == "上传<mark>ＰＤＦ</mark>文件，<mark>行政\n诉讼</mark>1件"
    assert snippet(text, ["行政诉讼"]) == "上传ＰＤＦ文件，<mark>行政 诉讼</mark>1件"


def test_highlight_keeps_line_breaks_and_marks_every_occurrence():
    text = "公开\n依申请公开\n不予公开"
    assert highlight(text, ["公开"]) == "<mark>公开</mark>\n依申请<mark>公开</mark>\n不予<mark>公开</mark>"
    assert highlight(text, []) == html.escape(text)


def test_mark_spans():
    assert mark_spans("甲乙丙 乙丙丁", ["乙丙", "丙丁", "", "  "]) == [(1, 3), (4, 7)]
    assert mark_spans("aaaa", ["aa"]) == [(0, 4)]


LONG = ("一、总体情况。" + "甲" * 200 + "。"
        "本年度新收政府信息公开申请12件。" + "乙" * 200 + "。"
        "发生行政复议1件。" + "丙" * 50 + "。")


def test_two_fragments_at_sentence_boundaries_joined_with_ellipsis():
    result = snippet(LONG, ["申请", "行政复议"])
    assert result == f"本年度新收政府信息公开<mark>申请</mark>12件。{ELLIPSIS}发生<mark>行政复议</mark>1件。" + "丙" * 50 + "。"


def test_fragment_cut_inside_a_long_sentence():
    text = "序。" + "甲" * 300 + "政务公开" + "乙" * 300 + "。"
    result = snippet(text, ["政务公开"])
    plain = re.sub(r"</?mark>", "", result)
    assert plain.startswith(ELLIPSIS) and plain.endswith(ELLIPSIS)
    assert "<mark>政务公开</mark>" in result
    assert len(plain) <= FRAGMENT_CHARS + 2


def test_snippet_without_matches_is_the_opening():
    text = "第一句。第二句。" + "长" * 300
    assert snippet(text, []) == f"第一句。第二句。{ELLIPSIS}"
    assert snippet("短文本。", ["不存在"]) == "短文本。"
    assert snippet("", ["x"]) == ""
    assert snippet("   \n ", ["x"]) == ""


def test_at_most_two_fragments():
    text = "。".join(f"第{i}句有申请" + "字" * 130 for i in range(6))
    assert snippet(text, ["申请"]).count(ELLIPSIS) <= 3
    assert len(re.findall("<mark>", snippet(text, ["申请"]))) == 2


@given(st.text(alphabet='<>&"\'ab公开。\n ', max_size=80),
       st.lists(st.text(alphabet='<>&"ab公开', min_size=1, max_size=4), max_size=3))
def test_output_is_always_escaped(text, terms):
    for out in (snippet(text, terms), highlight(text, terms)):
        without_marks = out.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in without_marks and ">" not in without_marks and '"' not in without_marks
        assert html.unescape(without_marks).replace(" ", "").replace("\n", "").replace(ELLIPSIS, "") \
            in text.replace(" ", "").replace("\n", "")


def test_one_ellipsis_between_cut_fragments():
    text = "甲" * 200 + "申请" + "乙" * 200 + "。" + "丙" * 200 + "复议" + "丁" * 200 + "。"
    result = snippet(text, ["申请", "复议"])
    assert ELLIPSIS * 2 not in result
    assert result.startswith(ELLIPSIS) and result.endswith(ELLIPSIS)
    assert result.count(ELLIPSIS) == 3
