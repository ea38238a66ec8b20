"""Small text clean-ups every stage of reading shares."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")

# What no text holds and XML 1.0 cannot: the C0 controls but tab, line feed and
# carriage return; DEL and the C1 controls; surrogates; the noncharacters (U+FDD0–U+FDEF,
# U+FFFE and U+FFFF of every plane). PDF text brings them (\x01, \x1b, U+FFFE).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                          + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))
                          + "]")
_PAGE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})      # vertical tab, form feed


def printable(text: str) -> str:
    """`text` without control characters and noncharacters (`_UNPRINTABLE`); a form feed
    or vertical tab becomes a line break. Every text a report holds goes through it once
    (corpus/parse.py), so XML (the Atom feed) and JSON can carry it as it is."""
    return _UNPRINTABLE.sub("", text.translate(_PAGE_BREAKS))


def is_printable(text: str) -> bool:
    """Whether `printable` would leave `text` as it is."""
    return _UNPRINTABLE.search(text) is None


# Kangxi radicals, CJK radical supplements and compatibility ideographs: PDF fonts map
# glyphs to them (⼀、总体情况, ⾏政复议), and they must read as the ordinary characters.
_LOOKALIKES = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff]")


# Radical supplements Unicode gives no decomposition, as PDF fonts use them.
_SUPPLEMENT = str.maketrans("⺠⻓⻔⻘⻢⻅⻋⻬⻆⻉⻚⻛⻜⻝⻥⻦⻨⻩⻮⻰⻳⺟⻄⻊",
                            "民长门青马见车齐角贝页风飞食鱼鸟麦黄齿龙龟母西足")


def ordinary_han(text: str) -> str:
    """Radical and compatibility look-alikes replaced by the ideographs they stand for."""
    return _LOOKALIKES.sub(lambda m: unicodedata.normalize("NFKC", m.group().translate(_SUPPLEMENT)), text)


def squeeze(text: str) -> str:
    """Collapse runs of white space; close the gaps of letter-spaced Chinese (海 东 市).

    A space between two Chinese characters goes when a word on either side of it is
    one character long, or both are short (letter spacing: 三安 全, 结果 维持);
    between longer words it separates table cells (信息内容 本年制发件数) and stays.
    """
    words = _SPACES.sub(" ", text).strip().split(" ")
    out = words[:1]
    for word in words[1:]:
        left = out[-1]
        if left and word and not left[-1].isascii() and not word[0].isascii() and (len(left) == 1 or len(word) == 1 or len(left) + len(word) <= 4):
            out[-1] = left + word
        else:
            out.append(word)
    return " ".join(out)



_MARKDOWN = re.compile(r"^#+\s*|\*\*|^[-=]{3,}$")


def strip_markdown(line: str) -> str:
    """A line without the Markdown a conversion adds: # headings, **bold**, --- rules."""
    return _MARKDOWN.sub("", line)


def readable_line(line: str) -> str:
    """A line as a reader sees it: no Markdown, no form feed, white space squeezed."""
    return squeeze(strip_markdown(line.replace("\f", " ")))


def fold(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII) and no white space at all: for matching labels."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


# Page numbers as printed in Chinese documents: — 3 —, - 3 -, 第 3 页, 第3页/共10页,
# 共 9 页 第 6 页, 3/10, Page 3 of 12. A dash on both sides: a lone -18 is a figure
# (本年增/减), not a page number.
_FOOTER = re.compile(
    r"^\s*(?:[—–\-－―─一_~·]+\s*\d{1,4}\s*[—–\-－―─一_~·]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，/／]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$",
    re.IGNORECASE,
)


def is_footer(line: str) -> bool:
    return bool(_FOOTER.match(line))


_HEADER_REST = re.compile(r"^(?:20\d\d\s*年\s*度?)?\s*(?:政府信息公开|政务公开|信息公开)?\s*(?:工作)?\s*(?:年度报告|年报)?$")


def is_running_header(line: str, agency: str, title: str) -> bool:
    """A page's running header: the report's title, or the agency's name alone or followed
    by the year and the report's name (某某局 2023年度政府信息公开), printed atop each page."""
    text = fold(line)
    if not text or len(text) > 60:
        return False
    if text == fold(title):
        return True
    return bool(agency) and text.startswith(agency) and bool(_HEADER_REST.match(text[len(agency):]))
