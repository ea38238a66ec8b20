"""Agency, region, year and published date, from the title, letterhead and dates.

The year is the one the report covers, printed in its title (2023年政府信息公开工作
年度报告, …工作2022年度报告); the agency is the name before it, or the letterhead
line above the title (spaced out, with a 文件 suffix, in PDF text). The published
date is the page's own 发布时间 line, else a date standing alone at the report's end
(the signature) or just below the title.
"""
from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from corpus.clean import squeeze, strip_markdown
from corpus.years import is_report_year

_REPORT = r"(?:政府信息公开|政务公开|信息公开)"
_TITLE = re.compile(
    rf"(?P<year>20\d\d)\s*年\s*度?\s*(?:的)?\s*{_REPORT}?.{{0,40}}?(?:年度)?(?:报告|年报)"
    rf"|{_REPORT}工作\s*(?P<year2>20\d\d)\s*年\s*度?\s*报告"
)
_EXPLAINER = re.compile(r"图解|解读|一图读懂|图说|图文")
_AGENCY_END = re.compile(
    r"(局|委员会|委|办公室|办|厅|政府|管委会|管理委员会|会|院|中心|所|处|部|站|队|馆|署|社|司|行|室|"
    r"街道办事处|办事处|街道|镇|乡|区|县|市|旗|盟|州|省|集团|公司|大学|学校|医院|法院|检察院)$"
)


# A year in Chinese numerals before 年: 二〇二三年度, 二零二三年, 二O二三年.
_CHINESE_YEAR = re.compile(r"二[〇零○OoＯ0][一二][〇零○OoＯ0一二三四五六七八九](?=年)")
_YEAR_DIGITS = str.maketrans("〇零○OoＯ一二三四五六七八九", "000000123456789")


def plain(line: str) -> str:
    """A line as one run of characters: no Markdown, no spaces, ASCII digits (二〇二三年 → 2023年)."""
    line = strip_markdown(line)
    line = re.sub(r"[０-９]", lambda m: unicodedata.normalize("NFKC", m.group()), squeeze(line).replace(" ", ""))
    return _CHINESE_YEAR.sub(lambda m: m.group().translate(_YEAR_DIGITS), line)


def clean_agency(text: str) -> str:
    text = plain(text)
    text = re.sub(r"^关于|[《》“”\"'【】\[\]]", "", text)
    text = re.sub(r"(?:文件|\d{4}年度?|度)$", "", text)
    return text.strip("_—-:：，,、 ")


class Title(NamedTuple):
    """A report title found in the text: where it starts and ends (line indexes), the
    year it names, the agency part before the year, and the title as one line."""

    index: int
    year: int
    agency: str
    end: int
    text: str


_TITLE_LINES = 3      # a title wraps over at most three lines
_TITLE_LENGTH = 80    # longer text is a sentence, not a title
_HEADING_START = re.compile(r"^(?:第[一二三四五六七]部分|[一二三四五六七][、.．])")


def _titleish(text: str) -> bool:
    return len(text) <= _TITLE_LENGTH and not re.search(r"[。，；]", text)


def find_title(lines: list[str], limit: int = 60) -> Title | None:
    """The report's title among the first `limit` lines, whole or wrapped over up to three
    lines (…政府信息公开工作 / 年度报告; 2023 / 年度报告; letter-spaced)."""
    texts = [plain(line) for line in lines[: limit + _TITLE_LINES]]
    for i in range(min(limit, len(texts))):
        if not texts[i] or not _titleish(texts[i]) or _HEADING_START.match(texts[i]):
            continue  # a sentence that mentions the report, or a section heading
        candidate = ""
        for j in range(i, min(i + _TITLE_LINES, len(texts))):
            if j > i and (not texts[j] or _HEADING_START.match(texts[j]) or _TITLE.search(texts[j])):
                break  # a blank line or a heading ends a title; a whole title on the next line is its own
            candidate += texts[j]
            if not _titleish(candidate):
                break
            match = _TITLE.search(candidate)
            if match and (match["year"] or match["year2"]):
                year = int(match["year"] or match["year2"])
                return Title(i, year, clean_agency(candidate[: match.start()]), j, candidate)
    return None


def agency_after_year(title: str) -> str:
    """The agency of a title that names the year first: 2023年度某某局政府信息公开工作年度报告."""
    match = re.search(rf"20\d\d\s*年度?(?!{_REPORT})(?P<agency>.{{2,40}}?){_REPORT}", plain(title))
    return clean_agency(match["agency"]) if match else ""


def is_explainer(title: str) -> bool:
    return bool(_EXPLAINER.search(title))


def agency_before(lines: list[str], title_index: int) -> str:
    """The letterhead above the title line: the nearest non-empty line that names an agency."""
    for line in reversed(lines[max(0, title_index - 6):title_index]):
        name = clean_agency(line)
        if name and looks_like_agency(name):
            return name
    return ""


# Words of a sentence, never of an organ's name: 根据…要求，现将我乡…报告公开如下.
_SENTENCE_WORDS = re.compile(
    r"根据|按照|依据|遵照|现将|现就|如下|要求|报告|年报|公开如下|做好|开展|落实|贯彻|进一步|全年|本年|年度"
    r"|[我本该][乡镇局委办县区市厅旗]|我们|本机关|未收取|收取|费用"
)


def looks_like_agency(name: str) -> bool:
    """An organ's name: ends like one (…人民政府, …局, …委员会, …乡), no punctuation, no digit,
    no word of a sentence."""
    return (2 <= len(name) <= 40 and bool(_AGENCY_END.search(name)) and not _SENTENCE_WORDS.search(name)
            and not re.search(r"[。，；：、,;:!?！？“”《》…\d\s]", name))


def is_bare_place(name: str) -> bool:
    """The name ends like a place (某某乡, standing for its government), not like an organ."""
    return bool(re.search(rf"(?:{_PLACE_END})$", name))


# ---- region ---------------------------------------------------------------------

_PLACE_END = "省|自治区|市|州|盟|县|区|旗|镇|乡|街道"
_PLACE = re.compile(rf"[^省市州盟县区旗镇乡]{{1,9}}?(?:{_PLACE_END})")
# Words ending like a place that are part of an agency's function, not a place.
_NOT_PLACE = re.compile(r"城市|市场|城乡|社区|园区|小区|景区|库区|校区|街区|矿区|辖区|片区|牧区|山区|灾区|城区|乡村|乡镇|市政|区域|县域|和|与|及|局|委|厅|办|府|会|管理|服务|中心")


def region_of(agency: str) -> str:
    """The place names the agency's name starts with, down to the lowest level."""
    region, pos = "", 0
    while True:
        match = _PLACE.match(agency, pos)
        if not match or _NOT_PLACE.search(match.group()):
            break
        region += match.group()
        pos = match.end()
        if pos >= len(agency):
            break
    return region


def government_of(region: str, text: str) -> str:
    """The agency behind a report titled by a place alone (平潭综合实验区2023年…报告):
    the place's 人民政府 or 管委会, whichever the report names more often."""
    candidates = [region + "人民政府", region + "管委会", region + "管理委员会", region + "办事处"]
    counts = {name: text.count(name) for name in candidates}
    best = max(candidates, key=lambda name: counts[name])
    if counts[best]:
        return best
    if re.search(r"(实验区|开发区|高新区|示范区|园区|合作区)$", region):
        return region + "管委会"
    if region.endswith("街道"):
        return region + "办事处"
    return region + "人民政府"


# ---- dates ---------------------------------------------------------------------

_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_DATE = re.compile(r"(20\d\d|二[〇零]\S{2})\s*[年\-/.]\s*(\S{1,3}?)\s*[月\-/.]\s*(\S{1,3}?)\s*日?")
_META_DATE = re.compile(r"(?:发布时间|发布日期|成文日期|时间|日期)\s*[：:]\s*(20\d\d)\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")


def _chinese_number(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    if re.fullmatch(r"[〇零一二三四五六七八九十]+", text):
        if "十" in text:
            tens, _, ones = text.partition("十")
            return (int(tens.translate(_DIGITS)) if tens else 1) * 10 + (int(ones.translate(_DIGITS)) if ones else 0)
        return int(text.translate(_DIGITS))
    return None


def _iso(year: str, month: str, day: str) -> str | None:
    y = _chinese_number(year)
    m, d = _chinese_number(month), _chinese_number(day)
    if y and m and d and is_report_year(y) and 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def date_line(line: str) -> str | None:
    """The ISO date when the line is nothing but a date (a signature or dateline)."""
    text = plain(line)
    match = _DATE.fullmatch(text)
    return _iso(*match.groups()) if match and len(text) <= 16 else None


def meta_date(lines: list[str]) -> str | None:
    """A 发布时间/时间/日期 label's date in the page's metadata lines."""
    for line in lines:
        match = _META_DATE.search(unicodedata.normalize("NFKC", line))
        if match:
            return _iso(*match.groups())
    return None


def published(meta_lines: list[str], lines: list[str], title_index: int) -> str | None:
    found = meta_date(meta_lines)
    if found:
        return found
    tail = [line for line in lines if line.strip()][-8:]
    for line in reversed(tail):
        found = date_line(line)
        if found:
            return found
    for line in lines[max(0, title_index - 3): title_index + 6]:
        found = date_line(line) or meta_date([line])
        if found:
            return found
    return None
