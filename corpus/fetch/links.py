"""Which links of a portal page the crawl follows: the column's pages, reports, attachments.

A government portal's column (栏目) such as 政府信息公开年报 is a list page with
pagination, linking to article pages; an article sits inside the portal's chrome
(navigation to other columns, 通知公告, links to other sites) and may link its
report as attachments. The rules, deliberately narrow so the crawl stays in the column:

* a **list page** of the column: on the start URL's host, under its folder, and
  named like pagination — link text 下一页/上一页/尾页/a page number, or an address
  like ``index_2.html`` or ``?page=3``; also the pages a TRS-style
  ``createPageHTML(count, current, "index", "html")`` script writes as links;
* a **report**: a link on a list page whose text (or title attribute) names a
  year's 政府信息公开(工作)年度报告 / 年报 (a link to the column itself names no
  year) and is not a notice or explainer about one (关于…的通知, 图解); on the
  same host, wherever its path;
* an **attachment**: a link on a report page whose address (or text) ends in one of
  `ATTACHMENT_SUFFIXES`.

Everything else (other columns, site navigation, other hosts) is ignored. Links are
extracted by BeautifulSoup with lxml, which also honours the page's declared charset.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from posixpath import splitext
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

from corpus.fetch.client import host_of
from corpus.fetch.manifest import web_address

ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx")
# 政府信息公开工作年度报告, 政府信息公开年度报告, 政务公开工作年度报告, 信息公开年报; a list
# cuts long titles short ("…政府信息公开工作年度报…"), so the end is not required.
REPORT_TITLE = re.compile(r"(?:信息|政务)公开(?:工作)?年(?:度|报)")
# A report's title names its year; a link to the column itself (政府信息公开年报) does not.
TITLE_YEAR = re.compile(r"(?:19|20)\d\d\s*年")
# …and not a notice about reports (关于报送…年度报告的通知) or an explainer (图解, 解读).
NOT_A_REPORT = re.compile(r"^关于|通知|公告|通告|图解|解读|答记者问")
PAGER_TEXT = re.compile(r"^(?:下一?页|上一?页|首页|尾页|末页|\d{1,4}|[<>«»‹›]{1,2}|next|prev(?:ious)?)$",
                        re.IGNORECASE)
PAGER_URL = re.compile(r"_\d+\.s?html?$|[?&](?:page|pageno|pageindex|pagenum|curpage|p)=\d+",
                       re.IGNORECASE)
# TRS WCM, common on government portals, writes its pager with a script:
# createPageHTML(pages, current, "index", "html") -> index.html, index_1.html, …
TRS_PAGER = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?\d+['\"]?\s*,"
                       r"\s*['\"](\w+)['\"]\s*,\s*['\"](\w+)['\"]")
_SKIPPED_SCHEMES = ("#", "javascript:", "mailto:", "tel:", "data:")


@dataclass(frozen=True)
class Link:
    url: str       # absolute, without its #fragment
    text: str      # the title attribute if any, else the link's text


def links(content: bytes, page_url: str) -> list[Link]:
    """Every http(s) link of an HTML page, absolute, in page order, each URL once."""
    soup = BeautifulSoup(content, "lxml")
    base = soup.find("base", href=True)
    base_url = urljoin(page_url, base["href"]) if base else page_url
    found: dict[str, Link] = {}
    for anchor in soup.find_all("a", href=True):
        href = anchor["href"].strip()
        if not href or href.lower().startswith(_SKIPPED_SCHEMES):
            continue
        url = web_address(urldefrag(urljoin(base_url, href)).url)
        if url is None:
            continue
        text = " ".join((anchor.get("title") or "").split()) or anchor.get_text(" ", strip=True)
        if url not in found or (text and not found[url].text):
            found[url] = Link(url, text)
    return list(found.values())


def script_pages(content: bytes, page_url: str, limit: int) -> list[str]:
    """The list pages a TRS ``createPageHTML`` pager script would link (at most `limit`)."""
    match = TRS_PAGER.search(content.decode("utf-8", "replace"))
    if not match:
        return []
    count, stem, suffix = int(match.group(1)), match.group(2), match.group(3)
    return [urljoin(page_url, f"{stem}_{n}.{suffix}") for n in range(1, min(count, limit + 1))]


def names_report(link: Link) -> bool:
    text = link.text
    return bool(REPORT_TITLE.search(text) and TITLE_YEAR.search(text)) and not NOT_A_REPORT.search(text)


def suffix_of(url: str) -> str:
    """The lower-cased suffix of a URL's last path segment ('' when none)."""
    return splitext(unquote(urlsplit(url).path))[1].lower()


def is_attachment(link: Link) -> bool:
    return (suffix_of(link.url) in ATTACHMENT_SUFFIXES
            or splitext(link.text.strip().lower())[1] in ATTACHMENT_SUFFIXES)


class Column:
    """The scope of one start URL: its host, and the folder its list pages live in."""

    def __init__(self, start_url: str):
        self.start_url = start_url
        self.host = host_of(start_url)
        path = urlsplit(start_url).path or "/"
        self.folder = path[:path.rfind("/") + 1]

    def on_host(self, url: str) -> bool:
        return host_of(url) == self.host

    def in_folder(self, url: str) -> bool:
        return self.on_host(url) and (urlsplit(url).path or "/").startswith(self.folder)

    def is_list_page(self, link: Link) -> bool:
        """A pagination link of this column (never a report, never an attachment)."""
        if not self.in_folder(link.url) or names_report(link) or is_attachment(link):
            return False
        return bool(PAGER_TEXT.match(link.text.strip()) or PAGER_URL.search(link.url))
