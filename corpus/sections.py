"""Text -> the six sections: where each starts, its title as printed, its readable text.

A section starts at a heading line: top-level numbering (一、 一. 第一部分, or a
Markdown heading) followed by a title whose words name one of the six sections.
Headings must come in the template's order, which is what keeps table rows that
look like headings (四、结转下年度继续办理) and sub-headings ((三)复议、诉讼情况) out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.clean import is_footer, squeeze
from corpus.document import Table
from corpus.report import SECTION_KEYS

# Tried in this order: an appeals title also mentions 申请, a problems title 公开.
_TITLE_WORDS = (
    ("appeals", r"复议|诉讼"),
    ("problems", r"问题|不足|改进"),
    ("other", r"其他需要报告|其他事项|其它需要报告|其他需报告|^其他|^其它"),
    ("proactive", r"主动公开"),
    ("requests", r"收到和处理|依申请|公开申请|申请情况|申请公开"),
    ("overview", r"总体情况|概述|总体概况|基本情况|工作概况|总体工作情况"),
)
_NUMBER = r"(?:第[一二三四五六七]部分|[一二三四五六七]\s*[、.．,，]|[一二三四五六七](?=\s))"
_HEADING = re.compile(rf"^(?:#+\s*)?(?:\*\*)?\s*(?P<number>{_NUMBER})?\s*(?P<title>.+?)\s*(?:\*\*)?\s*$")
_MAX_TITLE = 40


@dataclass
class Part:
    key: str
    title: str
    blocks: list = field(default_factory=list)


def _strip_markup(line: str) -> str:
    return squeeze(re.sub(r"^#+\s*|\*\*", "", line.replace("\f", " ")))


def _key_of(title: str) -> str | None:
    for key, words in _TITLE_WORDS:
        if re.search(words, title):
            return key
    return None


# Whole titles, for reports whose sections are numbered (一) or not at all.
_FULL_TITLES = (
    ("overview", r"总体情况|概述|工作概况"),
    ("proactive", r"主动公开政府信息(?:的)?情况"),
    ("requests", r"收到和处理政府信息公开申请(?:的)?情况|依申请公开政府信息(?:的)?情况"),
    ("appeals", r"(?:政府信息公开)?(?:行政法?复议|复议).{0,12}(?:行政诉讼|诉讼)(?:的)?情况"),
    ("problems", r"(?:政府信息公开工作)?存在的主要问题(?:及|和).{2,8}"),
    ("other", r"其他需要报告的事项"),
)
_LOOSE_NUMBER = re.compile(r"^(?:[（(][一二三四五六七1-7][)）]|[1-7][、.．]|[一二三四五六七][是])?\s*")


def loose_heading(line: str) -> tuple[str, str, str] | None:
    """A heading numbered (一) or 1. or not at all, whose title is a section's whole title."""
    text = _strip_markup(line.strip())
    title = _LOOSE_NUMBER.sub("", text, count=1)
    if not title or len(text) > 30:
        return None
    for key, words in _FULL_TITLES:
        if re.fullmatch(words, title):
            return key, text.replace(" ", ""), ""
    return None


def heading(line: str) -> tuple[str, str, str] | None:
    """(key, printed title, rest of the line) when the line starts a section, else None."""
    raw = line.strip()
    if not raw or is_footer(raw):
        return None
    text = _strip_markup(raw)
    match = _HEADING.match(text)
    if not match:
        return None
    number, title = match["number"], match["title"]
    markdown = raw.startswith("#") or raw.startswith("**")
    if not number and (not markdown or _STARTS_ITEM.match(title)):
        return None
    rest = ""
    if len(title) > _MAX_TITLE:
        # A heading run together with its first sentence: 一、总体情况。2023年，我局…
        cut = re.search(r"[。：:]", title)
        if not cut or cut.start() > _MAX_TITLE:
            return None
        title, rest = title[: cut.start()], title[cut.end():]
    if title.endswith(("。", "；", "，")) or re.search(r"\d\s+\d", title):
        return None
    key = _key_of(title)
    if key is None:
        return None
    printed = squeeze(f"{number or ''}{title}").replace(" ", "")
    return key, printed, rest


def split(blocks: list) -> tuple[list, list[Part]]:
    """Blocks -> (the blocks before the first section, the sections in order).

    Headings numbered 一、 (or Markdown headings) are tried first; a report where
    they find fewer than three sections is read again with whole titles numbered
    (一), 1. or not at all.
    """
    preamble, parts = _split(blocks, heading)
    if len(parts) < 3:
        loose = _split(blocks, lambda line: heading(line) or loose_heading(line))
        if len(loose[1]) > len(parts):
            return loose
    return preamble, parts


def _split(blocks: list, heading) -> tuple[list, list[Part]]:
    preamble: list = []
    parts: list[Part] = []
    last = -1
    i = 0
    while i < len(blocks):
        block = blocks[i]
        found = heading(block) if isinstance(block, str) else None
        wrapped = False
        if found is None and isinstance(block, str) and i + 1 < len(blocks) and isinstance(blocks[i + 1], str):
            # A heading wrapped over two lines by PDF extraction.
            following = blocks[i + 1].strip()
            if (re.match(rf"^\s*{_NUMBER}", block.strip()) and len(block.strip()) < _MAX_TITLE
                    and not re.search(r"\d", block) and not re.match(rf"^{_NUMBER}|^[#*]", following)):
                found = heading(block.rstrip() + blocks[i + 1].strip())
                wrapped = True
        if found and SECTION_KEYS.index(found[0]) > last:
            i += wrapped
            key, title, rest = found
            last = SECTION_KEYS.index(key)
            parts.append(Part(key, title, [rest] if rest else []))
        elif parts:
            parts[-1].blocks.append(block)
        else:
            preamble.append(block)
        i += 1
    return preamble, parts


# ---- readable text ------------------------------------------------------------

# A line ends its paragraph at a full stop, or when it ends in a table cell's value
# (规章 0 0 0, 政府集中采购 0 0 万元); prose wrapped after a digit (本局202 / 3年度) goes on.
_FULL_STOP = re.compile(r"[。！？；：:!?;…]$")
_ENDS_IN_VALUE = re.compile(r"(?:^|\s)[-增减]?[\d.,]+\s*(?:万元|元|件|项|条|%|％)?$")
_ENDS_IN_VALUES = re.compile(r"\d\s+[-增减]?[\d.,]+\s*(?:万?元)?$")


_PROSE = re.compile(r"[，。、；]")
_ROW_STOP = re.compile(r"[。，；]")


def _ends_paragraph(tail: str, prose: bool) -> bool:
    """Whether a paragraph ending in `tail` ends here; `prose`: it holds ，。、； anywhere.

    Only the paragraph's end is read (the patterns are anchored there), so a paragraph
    growing line by line costs each line once, not its whole length again.
    """
    if _FULL_STOP.search(tail):
        return True
    return bool(_ENDS_IN_VALUES.search(tail) or (_ENDS_IN_VALUE.search(tail) and not prose))
_VALUES_ONLY = re.compile(r"^[-增减]?[\d.,]+(?:\s+[-增减]?[\d.,]+)*(?:\s*万?元)?$")
_STARTS_ITEM = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．]|[一二三四五六七八九十]是)")


def _separator(left: str, right: str) -> str:
    """What rejoins a wrapped line: nothing between Chinese characters or digits; a space
    between two Latin words, and before a row's values (（二）部分公开…情形） 0 0 0)."""
    latin = left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha()
    return " " if latin or _VALUES_ONLY.match(right) else ""


_SHORT = 25  # PDF text wraps at ~30 characters; a shorter line is a label or a sub-heading


class _Paragraph:
    """A paragraph joined from wrapped lines, keeping what `text_of` asks of it (its
    start, its end, its length, whether it holds prose punctuation, its spaces) up to
    date as lines join: parsing stays linear in the text, however long a paragraph runs
    (a 2 MB file of one unpunctuated paragraph took 36 s when each line rescanned it)."""

    WINDOW = 256    # the end kept for the patterns anchored there (a cell value is short)

    def __init__(self, line: str):
        self.pieces = [line]
        self.length, self.head, self.tail = len(line), line[:64], line[-self.WINDOW:]
        self.spaces = line.count(" ")
        self.prose, self.row_stop = bool(_PROSE.search(line)), bool(_ROW_STOP.search(line))

    def join(self, line: str) -> None:
        piece = _separator(self.tail, line) + line
        self.pieces.append(piece)
        self.length += len(piece)
        if len(self.head) < 64:
            self.head = (self.head + piece)[:64]
        self.tail = (self.tail + piece)[-self.WINDOW:]
        self.spaces += piece.count(" ")
        self.prose = self.prose or bool(_PROSE.search(line))
        self.row_stop = self.row_stop or bool(_ROW_STOP.search(line))

    def is_row(self) -> bool:
        """A flattened table row: three or more cells separated by spaces, no prose stops."""
        return self.spaces >= 2 and not self.row_stop

    def text(self) -> str:
        return "".join(self.pieces)


def text_of(blocks: list) -> str:
    """A section's blocks as a reader reads them: wrapped lines joined (never across a
    heading or a table row), furniture gone, each table row one line."""
    lines: list = []
    for block in blocks:
        if isinstance(block, Table):
            lines.extend((row, True) for row in block.lines())
        elif not is_footer(block):
            line = _strip_markup(block)
            if line:
                lines.append((line, False))
    paragraphs: list[_Paragraph] = []
    joinable = False
    for i, (line, from_table) in enumerate(lines):
        if joinable and not from_table and not _STARTS_ITEM.match(line):
            paragraphs[-1].join(line)
        else:
            paragraphs.append(_Paragraph(line))
        last = paragraphs[-1]
        following = lines[i + 1][0] if i + 1 < len(lines) else ""
        # A short numbered line is a sub-heading unless what follows is short too
        # (a table label wrapped over several lines: 2.其他法律行政法 / 规禁止公开).
        sub_heading = _STARTS_ITEM.match(last.head) and last.length < _SHORT and len(following) >= _SHORT
        joinable = not (from_table or _ends_paragraph(last.tail, last.prose) or sub_heading or last.is_row())
    return "\n".join(paragraph.text() for paragraph in paragraphs)
