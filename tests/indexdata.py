"""Made-up reports for the index tests: as `Report` objects, and as text files to parse.

Every agency here is fictional; the text is written for these tests (no copy of a
real report). `report_text` prints it in the plain-text layout (`madeup.layouts.plain_text`):
a title line, the six numbered headings, paragraphs (a paragraph may be wrapped over
lines, as extracted PDFs are), and the agency's signature with a date.
"""
from __future__ import annotations

import os
from pathlib import Path

from corpus.report import Check, Report, Section, SECTION_TITLES
from madeup.layouts import MadeUp, plain_text

PARAGRAPHS = {
    "overview": "{year}年，{agency}坚持以公开为常态，不断完善政府信息公开工作机制，"
                "全年通过门户网站主动公开各类信息{n}条，及时回应群众关切。",
    "proactive": "本年制发规范性文件{n}件，现行有效件数{m}件，行政许可处理决定{k}件。",
    "requests": "本年新收政府信息公开申请{n}件，上年结转{m}件，予以公开{k}件，依申请公开工作依法有序。",
    "appeals": "本年度因政府信息公开引起行政复议{m}件、行政诉讼{k}件，结果均予维持。",
    "problems": "存在的问题是信息发布的及时性有待提高。下一步将加强业务培训，提升公开质量。",
    "other": "本机关未收取信息处理费。",
}


def make_report(agency: str, region: str, year: int, n: int = 5, *, failing: bool = False,
                figures: dict | None = None, source: str = "") -> Report:
    """A made-up report built in code, its text varied by `n`."""
    sections = [
        Section(key, title, PARAGRAPHS[key].format(year=year, agency=agency, n=n, m=n + 1, k=n + 2))
        for key, title in SECTION_TITLES.items()
    ]
    checks = [Check("balance.total", not failing, "new + carried_over vs total + carried_forward")]
    return Report(source=source or f"{agency}-{year}.txt", agency=agency, region=region, year=year,
                  published=f"{year + 1}-01-20", template=2021, sections=sections,
                  figures=dict(figures or {"requests.new.total": float(n)}), checks=checks)


def report_text(agency: str, year: int, n: int = 5, wrap: int = 0) -> str:
    """A made-up report as the parser reads it; `wrap` > 0 breaks paragraphs into lines."""
    texts = {key: [PARAGRAPHS[key].format(year=year, agency=agency, n=n, m=n + 1, k=n + 2)]
             for key in SECTION_TITLES}
    made = MadeUp(agency=agency, region="", year=year, published=f"{year + 1}-01-20", template=2021,
                  figures={}, texts=texts)
    return plain_text(made, wrap)


def write_report(folder: Path, name: str, agency: str, year: int, n: int = 5, wrap: int = 0,
                 mtime: float | None = None) -> Path:
    """Write a made-up report file; `mtime` sets its modification time."""
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_text(agency, year, n, wrap), encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path
