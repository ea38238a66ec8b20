"""Which links a crawl follows (corpus.fetch.links) and where it saves files (corpus.fetch.files)."""
from __future__ import annotations

import pytest

from corpus.fetch.files import local_name
from corpus.fetch.links import Column, Link, is_attachment, links, names_report, script_pages

PAGE = "http://gov.example/xxgk/ndbg/index.html"


def test_links_are_absolute_once_each_with_their_title():
    html = """<html><head><base href="/xxgk/ndbg/"></head><body>
      <a href="202401/t1.html" title="青柳县审计局2023年政府信息公开工作年度报告">青柳县审计局2023年政府信息公开…</a>
      <a href="202401/t1.html#top">again</a>
      <a href="javascript:void(0)">打印</a> <a href="mailto:x@gov.example">信箱</a> <a href="#">顶部</a>
      <a href="ftp://gov.example/a.pdf">ftp</a>
      <a href="../../zwgk/">政务公开</a>
    </body></html>""".encode()
    assert links(html, PAGE) == [
        Link("http://gov.example/xxgk/ndbg/202401/t1.html", "青柳县审计局2023年政府信息公开工作年度报告"),
        Link("http://gov.example/zwgk/", "政务公开"),
    ]


def test_a_gbk_page_is_read_in_its_declared_charset():
    html = ('<html><head><meta charset="gbk"></head><body>'
            '<a href="t2.html">青柳县2022年政府信息公开工作年度报告</a></body></html>').encode("gbk")
    assert links(html, PAGE) == [Link("http://gov.example/xxgk/ndbg/t2.html", "青柳县2022年政府信息公开工作年度报告")]


@pytest.mark.parametrize("text, is_report", [
    ("青柳县审计局2023年政府信息公开工作年度报告", True),
    ("青柳县审计局2023年政府信息公开工作年度报...", True),           # cut short by the list
    ("2022年度青柳县政务公开工作年度报告", True),
    ("青柳县2021年信息公开年报", True),
    ("政府信息公开年报", False),                                   # the column's own name
    ("关于报送2023年政府信息公开工作年度报告的通知", False),
    ("图解：青柳县2023年政府信息公开工作年度报告", False),
    ("青柳县2023年政府工作报告", False),
])
def test_which_titles_name_a_report(text, is_report):
    assert names_report(Link("http://gov.example/a.html", text)) is is_report


@pytest.mark.parametrize("url, text, is_page", [
    ("http://gov.example/xxgk/ndbg/index_1.html", "下一页", True),
    ("http://gov.example/xxgk/ndbg/index_7.html", "", True),
    ("http://gov.example/xxgk/ndbg/list?page=3", "更多", True),
    ("http://gov.example/xxgk/ndbg/index.html", "3", True),
    ("http://gov.example/tzgg/index_1.html", "下一页", False),      # another column
    ("http://other.example/xxgk/ndbg/index_1.html", "下一页", False),
    ("http://gov.example/xxgk/ndbg/202401/t20240120_5.html", "青柳县2023年政府信息公开工作年度报告", False),
    ("http://gov.example/xxgk/ndbg/a_1.pdf", "附件", False),
    ("http://gov.example/", "首页", False),
])
def test_which_links_are_the_columns_list_pages(url, text, is_page):
    assert Column(PAGE).is_list_page(Link(url, text)) is is_page


def test_a_trs_pager_script_gives_its_pages():
    html = b'<script language="JavaScript">createPageHTML(4, 0, "index", "shtml");</script>'
    assert script_pages(html, PAGE, limit=100) == [
        f"http://gov.example/xxgk/ndbg/index_{n}.shtml" for n in (1, 2, 3)]
    assert len(script_pages(html, PAGE, limit=2)) == 2
    assert script_pages(b"<p>no pager</p>", PAGE, limit=100) == []


@pytest.mark.parametrize("url, text, attached", [
    ("http://gov.example/P0201.pdf", "", True),
    ("http://gov.example/P0201.DOC", "", True),
    ("http://gov.example/download.jsp?id=7", "2023年年报.wps", True),
    ("http://gov.example/t1.html", "2023年年报", False),
])
def test_attachments_by_address_or_text(url, text, attached):
    assert is_attachment(Link(url, text)) is attached


@pytest.mark.parametrize("url, headers, text, name", [
    ("http://gov.example/xxgk/ndbg/202401/t1.html", {}, "", "gov.example/xxgk/ndbg/202401/t1.html"),
    ("http://gov.example:8080/xxgk/", {"content-type": "text/html"}, "", "gov.example_8080/xxgk/index.html"),
    ("http://gov.example/download.jsp?id=7", {"content-type": "application/pdf"}, "",
     "gov.example/download.jsp_" + __import__("hashlib").sha1(b"id=7").hexdigest()[:10] + ".pdf"),
    ("http://gov.example/get?f=1", {"content-disposition": "attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.DOCX"},
     "", "gov.example/get_" + __import__("hashlib").sha1(b"f=1").hexdigest()[:10] + ".docx"),
    ("http://gov.example/file/9", {}, "年报.wps", "gov.example/file/9.wps"),
    ("http://gov.example/a/../../etc/x%3A%2A.pdf", {}, "", "gov.example/a/etc/x__.pdf"),  # never above DIR
    ("http://gov.example/%E5%B9%B4%E6%8A%A5/2023.PDF", {}, "", "gov.example/年报/2023.pdf"),
])
def test_saved_names_keep_the_portals_layout_safely(url, headers, text, name):
    assert local_name(url, headers, text) == name
