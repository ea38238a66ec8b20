"""Web pages (.html/.htm/.shtml): the report's text and tables, without the page around it.

The page is parsed with lxml and walked without recursion (deeply nested markup
cannot overflow the stack). Navigation, scripts and footers are dropped; block
elements become line breaks; a table with no table inside it becomes a `Table`
(spans expanded by `corpus.grid.expand`), a table wrapping other tables is layout
and is walked like a div. The page's <title> and its 发布时间/时间 lines are kept as
the container's metadata.
"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from corpus.clean import squeeze
from corpus.document import Document, Table
from corpus.grid import REFUSE_FILE_CELLS, REFUSE_FILE_ROWS, SpanCell, check_shape, expand
from corpus.readers.registry import register
from corpus.readers import pictures
from corpus.readers.celltext import join_lines
from corpus.readers.text import decode
from corpus.report import NotAReport

_BLOCK = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "section",
    "article", "header", "footer", "blockquote", "pre", "dd", "dt", "dl", "center", "hr", "form",
    "main", "aside", "figure", "figcaption", "caption", "address",
}
_DROP = {"script", "style", "noscript", "nav", "iframe", "select", "button", "head", "svg", "template",
         "footer", "aside"}
_CHROME = re.compile(r"(^|[\s_-])(nav|menu|breadcrumb|crumb|footer|foot|share|sidebar|topbar|toolbar|copyright)", re.I)
_META = re.compile(r"(发布时间|发布日期|成文日期|时间|日期|来源|标题|信息名称|文件名称)\s*[：:]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def _decode(data: bytes) -> str:
    match = _CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _is_chrome(el) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _DROP or (tag in ("ul", "ol") and _links_only(el)):
        return True
    names = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(names.strip()) and bool(_CHROME.search(names)) and tag not in ("table", "td", "tr")


def _links_only(el) -> bool:
    """A list whose every item is a link: related articles, not the report's own list."""
    items = [li for li in el if isinstance(li.tag, str) and li.tag == "li"]
    return bool(items) and all(li.find(".//a") is not None and
                               len(li.text_content().strip()) <= len("".join(a.text_content() for a in li.iter("a"))) + 12
                               for li in items)


def _cell_text(td) -> str:
    # Header cells break lines with <br>, Word spreads a number over <span>s and a label
    # one character per <p>: inside a cell, every piece of text runs together.
    return join_lines("".join(td.itertext()).split())


def _table(el) -> Table:
    rows = []
    for tr in el.iter("tr"):
        check_shape(len(rows) + 1, 0)
        cells = [
            SpanCell(_cell_text(td), _span(td.get("rowspan")), _span(td.get("colspan")))
            for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")
        ]
        rows.append(cells)
    return expand(rows)


def _span(value) -> int:
    try:
        return max(1, int(str(value).strip() or 1))
    except ValueError:
        return 1


class _Walker:
    """Collect lines and tables from an element tree in reading order."""

    def __init__(self) -> None:
        self.blocks: list[str | Table] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        text = squeeze("".join(self.buffer))
        if text:
            self.blocks.append(text)
        self.buffer = []

    def walk(self, root) -> None:
        skip_until = None
        for event, el in etree.iterwalk(root, events=("start", "end")):
            tag = el.tag if isinstance(el.tag, str) else ""
            if skip_until is not None:
                if event == "end" and el is skip_until:
                    skip_until = None
                    self._tail(el)
                continue
            if event == "start":
                if _is_chrome(el) or not tag:
                    skip_until = el
                    continue
                if tag == "img" and (el.get("src") or "").startswith("data:image/"):
                    self.flush()
                    self.blocks.append(pictures.Picture(el.get("src")))
                    continue
                if tag == "table" and el.find(".//table") is None:
                    self.flush()
                    self.blocks.append(_table(el))
                    skip_until = el
                    continue
                if tag in _BLOCK:
                    self.flush()
                if el.text:
                    self.buffer.append(el.text)
            else:
                if tag in _BLOCK:
                    self.flush()
                self._tail(el)
        self.flush()

    def _tail(self, el) -> None:
        if el.tail:
            self.buffer.append(el.tail)


# libxml2 reads at most this many nested elements with XML_PARSE_HUGE (256 without).
MAX_DEPTH = 2048


def _check_table_markup(data: bytes) -> None:
    """Refuse a page whose markup holds far more table rows or cells than any report,
    counted in the raw bytes (C speed) before a tree of millions of elements is built."""
    lower = data.lower()
    rows = lower.count(b"<tr")
    if rows > REFUSE_FILE_ROWS:
        raise NotAReport(f"the page's tables have {rows} rows, far beyond any report's tables "
                         f"(at most {REFUSE_FILE_ROWS} are read).")
    cells = lower.count(b"<td") + lower.count(b"<th")
    if cells > REFUSE_FILE_CELLS:
        raise NotAReport(f"the page's tables have {cells} cells, far beyond any report's tables "
                         f"(at most {REFUSE_FILE_CELLS} are read).")


def read(data: bytes) -> Document:
    _check_table_markup(data)
    text = _decode(data)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    # huge_tree: nesting up to MAX_DEPTH is read (libxml2 stops at 256 otherwise and
    # silently drops the rest); deeper, the page is refused saying so.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise NotAReport(f"the web page could not be parsed ({exc}).") from None
    if any("Excessive depth" in error.message for error in parser.error_log):
        raise NotAReport(f"the web page's markup is nested more than {MAX_DEPTH} elements deep, "
                         "beyond what can be read.")
    title_el = root.find(".//title")
    title = squeeze(title_el.text_content()) if title_el is not None else None
    document = Document(blocks=_body_blocks(root), title=title or None, meta_lines=_meta_lines(root)[:20])
    return pictures.read_in_place(document)


_META_TAGS = {"pubdate", "publishdate", "firstpublishedtime", "publishtime", "article:published_time"}


def _meta_lines(root) -> list[str]:
    """The page's own date lines: <meta name="PubDate">, and 发布时间：… beside the title
    (its value sometimes in the next <span>, so the parent's text is read too)."""
    lines = []
    for node in root.iter("meta"):
        name = (node.get("name") or node.get("property") or "").lower()
        if name in _META_TAGS and node.get("content"):
            lines.append(f"发布时间：{node.get('content')}")
    for node in root.iter("span", "div", "p", "td", "li", "em", "i", "font"):
        if node.text and _META.search(node.text):
            for element in (node, node.getparent()):
                if element is None:
                    continue
                line = squeeze(element.text_content())
                if len(line) < 120:
                    lines.append(line)
    return lines


def _body_blocks(root) -> list:
    body = root.find(".//body")
    walker = _Walker()
    walker.walk(body if body is not None else root)
    return walker.blocks


_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|div|p|table)\b", re.I | re.S)


def _sniff(data: bytes, suffix: str) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head)) or (suffix in (".html", ".htm", ".shtml", ".xhtml") and b"<" in head)


register("html", _sniff, read, (".html", ".htm", ".shtml", ".xhtml"))
