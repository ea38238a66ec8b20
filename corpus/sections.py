"""Text -> the six sections: where each starts and its title as printed.

A section starts at a heading line: top-level numbering (一、 一. 第一部分, or a
Markdown heading) followed by a title whose words name one of the six sections.
Headings are taken in the template's order, which keeps table rows that look like
headings (四、结转下年度继续办理) and sub-headings ((三)复议、诉讼情况) out — unless that
order would put a table in another section's text, when the tables decide (`by_table`).
A section's prose and tables are read out of its blocks by `corpus.prose`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.clean import is_footer, readable_line, squeeze
from corpus.prose import STARTS_ITEM
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
    text = readable_line(line.strip())
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
    text = readable_line(raw)
    match = _HEADING.match(text)
    if not match:
        return None
    number, title = match["number"], match["title"]
    markdown = raw.startswith("#") or raw.startswith("**")
    if not number and (not markdown or STARTS_ITEM.match(title)):
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
    """Blocks -> (the blocks before the first section, the sections in template order).

    Headings numbered 一、 (or Markdown headings) are tried first; a report where
    they find fewer than three sections is read again with whole titles numbered
    (一), 1. or not at all. Headings are taken in the template's order, unless that
    would put a table in another section than its own: a report's own narrative part
    (三、主动公开工作情况) printed before the statutory one holding table 2, or parts in
    an order of their own. Then each table's section is the last heading of its kind
    before it, and every part goes to the section its heading names.
    """
    found = heading
    preamble, parts = _in_order(blocks, _headings(blocks, heading))
    if len(parts) < 3:
        loose = lambda line: heading(line) or loose_heading(line)  # noqa: E731
        candidates = _headings(blocks, loose)
        looser = _in_order(blocks, candidates)
        if len(looser[1]) > len(parts):
            found, (preamble, parts) = loose, looser
    if not _tables_misplaced(parts):
        return preamble, parts
    return by_table(blocks, _headings(blocks, found))


def split_2008(blocks: list) -> tuple[list, list[Part]]:
    """A report under the 2008 条例: every top-level part is a section, in any order; a
    part whose title names none of the six (收费及减免情况) goes under `other`."""
    def named(line: str):
        return heading(line) or loose_heading(line)

    def part_heading(line: str):
        text = readable_line(line.strip())
        if named(line) is None and re.match(rf"^({_NUMBER})\s*[^。；，]{{2,30}}$", text) and not is_footer(text):
            return "other", text.replace(" ", ""), ""
        return named(line)
    candidates = _headings(blocks, part_heading)
    return by_table(blocks, candidates, {pos for pos, _, _ in _headings(blocks, named)})


# A table's own words, which prose does not use: they tell which table a block belongs to.
_TABLE_WORDS = (
    ("proactive", re.compile(r"本年制发件数|本年新制作数量|现行有效件数|对外公开总数量|第二十条第")),
    ("requests", re.compile(r"申请人情况|本年度办理结果|勾稽关系|本年新收政府信息公开申请数量$")),
    ("appeals", re.compile(r"结果维持|尚未审结|未经复议直接起诉|复议后起诉")),
)


def table_key(block) -> str | None:
    """The section whose table this block is part of, if its words say so."""
    if isinstance(block, Table):
        text = "".join("".join(row) for row in block.lines())
    elif isinstance(block, str) and len(block) <= 40 and not re.search(r"[。，；]", block):
        text = block
    else:
        return None
    text = re.sub(r"\s+", "", text)
    for key, words in _TABLE_WORDS:
        if words.search(text):
            return key
    return None


def _tables_misplaced(parts: list[Part]) -> bool:
    """Whether a section holds another section's table."""
    return any(table_key(block) not in (None, part.key) for part in parts for block in part.blocks)


def _headings(blocks: list, heading) -> list[tuple[int, int, tuple]]:
    """(position, blocks it takes, (key, title, rest)) for each block that reads as a heading."""
    out = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        found = heading(block) if isinstance(block, str) else None
        width = 1
        if found is None and isinstance(block, str) and i + 1 < len(blocks) and isinstance(blocks[i + 1], str):
            # A heading wrapped over two lines by PDF extraction.
            following = blocks[i + 1].strip()
            if (re.match(rf"^\s*{_NUMBER}", block.strip()) and len(block.strip()) < _MAX_TITLE
                    and not re.search(r"\d", block) and not re.match(rf"^{_NUMBER}|^[#*]", following)):
                found = heading(block.rstrip() + blocks[i + 1].strip())
                width = 2
        if found:
            out.append((i, width, found))
        i += width if found else 1
    return out


def _in_order(blocks: list, candidates: list) -> tuple[list, list[Part]]:
    """Sections from the headings that come in the template's order; the others are text."""
    preamble: list = []
    parts: list[Part] = []
    starts = {}
    last = -1
    for position, width, (key, title, rest) in candidates:
        if SECTION_KEYS.index(key) > last:
            last = SECTION_KEYS.index(key)
            starts[position] = (width, Part(key, title, [rest] if rest else []))
    i = 0
    while i < len(blocks):
        if i in starts:
            width, part = starts[i]
            parts.append(part)
            i += width
            continue
        (parts[-1].blocks if parts else preamble).append(blocks[i])
        i += 1
    return preamble, parts


def by_table(blocks: list, candidates: list, named: set[int] | None = None) -> tuple[list, list[Part]]:
    """Sections by what they hold: each table's section starts at the last heading of its
    kind before the table; every other heading starts a part of the section it names,
    and the parts of one section are joined in reading order. A section's title is its
    first heading among those at `named` positions (headings that name it), if any."""
    first_table = {}
    for i, block in enumerate(blocks):
        key = table_key(block)
        if key and key not in first_table:
            first_table[key] = i
    chosen: dict[str, int] = {}
    for position, _, (key, _, _) in sorted(candidates, key=lambda c: (named is not None and c[0] not in named, c[0])):
        chosen.setdefault(key, position)    # a section's first heading (that names it) …
    for position, _, (key, _, _) in candidates:
        if position < first_table.get(key, -1):
            chosen[key] = position          # … or, for a table's section, the last one before its table
    for key, table_at in first_table.items():
        if key not in chosen:
            continue
        # Nothing inside a table section (between its heading and its table) starts another part.
        candidates = [c for c in candidates if not (chosen[key] < c[0] < table_at and c[2][0] != key)]
    parts: dict[str, Part] = {}
    preamble: list = []
    current: Part | None = None
    starts = {position: (width, found) for position, width, found in candidates}
    i = 0
    while i < len(blocks):
        if i in starts:
            width, (key, title, rest) = starts[i]
            part = parts.setdefault(key, Part(key, title, []))
            if chosen[key] == i:
                part.title = title
            else:
                part.blocks.append(title)   # another part of the section keeps its printed title
            if rest:
                part.blocks.append(rest)
            current = part
            i += width
            continue
        (current.blocks if current else preamble).append(blocks[i])
        i += 1
    return preamble, [parts[key] for key in SECTION_KEYS if key in parts]
