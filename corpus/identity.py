"""Who published the report and which year it covers, from the best source there is.

Most reports print both in a title line (某某局2023年政府信息公开工作年度报告), whole
or wrapped over up to three lines. Others print no title: the year and agency are
then taken, in this order, from the page's <title> or a portal's 标题/信息名称 field,
the first paragraph (现公布本机关2023年政府信息公开工作年度报告), the signature at the
end (the agency's name above the date), the file name, and last a body sentence naming
the organ the report speaks as (现将我乡… / 2016年，白沙乡未收取…). Whatever the source,
an agency is an organ's name, never a phrase cut from a sentence. A file is refused
only when none of them gives the year or the agency, and the refusal names which.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from corpus import meta
from corpus.document import Document
from corpus.report import NotAReport
from corpus.years import is_report_year

# A portal's own field naming the article: 标题：… / 信息名称：… / 文件名称：…
_NAMED_FIELD = re.compile(r"(?:标\s*题|信息名称|文件名称|公开事项名称|名\s*称)\s*[：:]\s*(?P<title>.+)$")
# The report named inside a sentence: …本机关2023年政府信息公开工作年度报告 / 某某局2023年度政府信息公开…
_IN_SENTENCE = re.compile(r"(?P<year>20\d\d)\s*年\s*度?\s*(?:的)?\s*(?:政府信息公开|政务公开|信息公开)")
_AGENCY_IN_SENTENCE = re.compile(
    r"(?:^|[，。；：、\s（(》”])(?P<agency>[^，。；：、\s（(《“”]{2,30}?)(?=(?:编制|发布|公布|现公布|制作)?(?:的)?(?:20\d\d\s*年\s*度?)?(?:的)?(?:政府信息公开|政务公开))")
_SELF = re.compile(r"^(?:本|我|该|现|根据|按照|依据|关于|对|为|是|公布|发布|编制|由)")
_FIRST_LINES = 12   # the first paragraph lies within the first lines after the headings
_LAST_LINES = 8     # the signature lies within the last lines


@dataclass
class Identity:
    """The year, the agency, and the title line when the body prints one."""

    year: int
    agency: str
    title: meta.Title | None
    title_text: str


def _agency_name(name: str) -> str:
    name = meta.clean_agency(name)
    return name if meta.looks_like_agency(name) and not _SELF.match(name) else ""


def _named_in_sentence(name: str) -> str:
    """An agency cut from a sentence: an organ's name, or a place read as place names from
    start to end (白沙乡, not the list 和省市县)."""
    name = _agency_name(name)
    return name if not meta.is_bare_place(name) or meta.region_of(name) == name else ""


def _page_titles(document: Document) -> list[str]:
    """The portal's 标题/信息名称 fields, then the page's <title> without the site's name."""
    out = []
    for line in document.meta_lines:
        match = _NAMED_FIELD.search(line)
        if match:
            out.append(match["title"].strip())
    if document.title:
        out.append(re.split(r"[_|｜]|--| - ", document.title)[0])
    return out


def _from_titles(texts: list[str]) -> tuple[int | None, str]:
    """(year, agency) of the first of `texts` that reads as a report title."""
    for text in texts:
        found = meta.find_title([text])
        if found:
            return found.year, _agency_name(found.agency) or _agency_name(meta.agency_after_year(text))
    return None, ""


def _opening(lines: list[str]) -> list[str]:
    return [line for line in lines if line.strip()][:_FIRST_LINES]


def _from_sentences(lines: list[str]) -> tuple[int | None, str]:
    """(year, agency) where the first paragraph names the report in a sentence."""
    year, agency = None, ""
    for line in _opening(lines):
        text = meta.plain(line)
        match = _IN_SENTENCE.search(text)
        if match and year is None and ("报告" in text[match.start():] or "年报" in text[match.start():]):
            year = int(match["year"])
        for found in _AGENCY_IN_SENTENCE.finditer(text):
            agency = agency or _named_in_sentence(found["agency"])
    if year is None:  # "2023年，我局…": the overview opens on the year it covers
        for line in _opening(lines):
            match = re.match(r"^\s*(?:[一1][、.．]\s*\S{2,8}\s*)?(20\d\d)\s*年\s*[，,以来度]", meta.plain(line))
            if match:
                year = int(match.group(1))
                break
    return year, agency


def _from_signature(lines: list[str]) -> tuple[int | None, str]:
    """(year, agency) from the signature: the agency's name standing alone above or beside
    the date it was signed; the year covered is the one before a date early in the year."""
    tail = [line for line in lines if line.strip()][-_LAST_LINES:]
    agency, year = "", None
    for line in reversed(tail):
        date = meta.date_line(line)
        if date and year is None and int(date[5:7]) <= 6:
            year = int(date[:4]) - 1
            continue
        name = _agency_name(line)
        if name and not agency:
            agency = name
    return year, agency


# The organ the report speaks as: 我乡, 本镇, 我局, 本委 … — and the ending its name has.
_SPEAKS_AS = re.compile(r"[我本](乡|镇|街道|局|委|办|县|区|市|旗)(?![长里])")
_NAME_ENDING = {"委": "委员会|委", "办": "办公室|办", "街道": "街道办事处|街道"}


def _from_body(lines: list[str]) -> tuple[int | None, str]:
    """(None, agency) where the report speaks as an organ (现将我乡…) and names it in a body
    sentence: ××年，白沙乡未收取任何费用 — the name most often given, a place at its start."""
    text = "\n".join(meta.plain(line) for line in lines)
    kinds = [match.group(1) for match in _SPEAKS_AS.finditer(text)]
    if not kinds:
        return None, ""
    kind = max(kinds, key=kinds.count)
    ending = _NAME_ENDING.get(kind, kind)
    names = [_named_in_sentence(match["name"]) for match in re.finditer(
        rf"(?:^|(?<=[，。；：、\s（(》”]))(?P<name>[\u4e00-\u9fff]{{2,30}}?(?:{ending}))(?![村镇])",
        text, re.M)]
    names = [name for name in names if name and meta.region_of(name)]
    return None, (max(names, key=names.count) if names else "")


def _from_file_name(source: str) -> tuple[int | None, str]:
    stem = Path(source).stem
    year, agency = _from_titles([stem])
    if year is None:
        match = re.search(r"(20\d\d)", stem)
        year = int(match.group(1)) if match and is_report_year(int(match.group(1))) else None
    return year, agency


def identify(document: Document, lines: list[str], source: str) -> Identity:
    """The report's year and agency; NotAReport naming what was found nowhere."""
    title = meta.find_title(lines)
    year = title.year if title else None
    agency = ""
    if title:
        agency = (_agency_name(title.agency) or _agency_name(meta.agency_after_year(title.text))
                  or meta.agency_before(lines, title.index))
    fallbacks = (
        lambda: _from_titles(_page_titles(document)),
        lambda: _from_sentences(lines),
        lambda: _from_signature(lines),
        lambda: _from_file_name(source),
        lambda: _from_body(lines),
    )
    for fallback in fallbacks:
        if year is not None and agency:
            break
        found_year, found_agency = fallback()
        year = year if year is not None else found_year
        agency = agency or found_agency
    missing = [what for what, value in (("the year it covers", year), ("the publishing agency", agency))
               if not value]
    if missing:
        raise NotAReport(f"{' and '.join(missing)} could not be found in its title, page title, "
                         "first paragraph, signature, file name or a sentence naming the agency.")
    if meta.region_of(agency) == agency:
        agency = meta.government_of(agency, "\n".join(lines))
    return Identity(year, agency, title, title.text if title else (document.title or ""))
