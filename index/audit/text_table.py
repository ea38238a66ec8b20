"""`text_table`: a count the prose states that the report's own table contradicts.

Read over every section's prose (table rows dropped, `index.audit.prose`), sentence
by sentence. The counts compared:

* 收到 / 受理 / 新收 … 政府信息公开申请 N 件 → ``requests.new.total``; when the
  sentence says 含上年结转, N is compared with new plus carried over;
* 行政复议 N 件/起 → ``appeals.review.total``;
* 行政诉讼 N 件/起 → ``appeals.suit_direct.total + appeals.suit_after_review.total``.

Only the first number right after the phrase counts, and only when the table prints
every figure the comparison needs. One finding per figure (its first contradiction).
"""
from __future__ import annotations

import re

from corpus.report import SUMMED_FIGURES, Report
from index.audit.kinds import finding, number
from index.audit.prose import prose_lines

_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_NUMBER = r"(\d[\d,，]*)\s*"
# Words between the phrase and its number that make the number something else
# (a result of the appeals, a part of the requests).
_NOT_THE_TOTAL = "维持纠正纠错撤销确认尚未审结其他其中予以部分答复办结"
_BETWEEN = rf"[^\d。；;，,、{_NOT_THE_TOTAL}]"

RULES = (
    # (figure, label, pattern, figure keys summed)
    ("requests.new.total", "本年新收政府信息公开申请",
     re.compile(rf"(?:收到|受理|新收)[^\d。；;]{{0,12}}?信息公开申请{_BETWEEN}{{0,8}}?{_NUMBER}件"),
     ("requests.new.total",)),
    ("appeals.review.total", "政府信息公开行政复议",
     re.compile(rf"行政复议(?:案件)?{_BETWEEN}{{0,6}}?{_NUMBER}[件起]"),
     ("appeals.review.total",)),
    ("appeals.suits.total", "政府信息公开行政诉讼（直接起诉与复议后起诉之和）",
     re.compile(rf"行政诉讼(?:案件)?{_BETWEEN}{{0,6}}?{_NUMBER}[件起]"),
     SUMMED_FIGURES["appeals.suits.total"]),
)
_WITH_CARRIED_OVER = re.compile(r"[含包括]+上年结转")


def sentences(report: Report) -> list[str]:
    """The prose of every section, cut into sentences."""
    out = []
    for section in report.sections:
        for line in prose_lines(section.text):
            out += [part.strip() for part in _SENTENCE_END.split(line) if part.strip()]
    return out


def _table_value(report: Report, keys: tuple[str, ...]) -> float | None:
    values = [report.figures.get(key) for key in keys]
    if any(value is None for value in values):
        return None
    return float(sum(values))


def text_table(report: Report) -> list[dict]:
    """Each figure whose count in the prose differs from the table (first sentence found)."""
    found: dict[str, dict] = {}
    for sentence in sentences(report):
        for figure, label, pattern, keys in RULES:
            if figure in found:
                continue
            match = pattern.search(sentence)
            if not match:
                continue
            stated = float(match.group(1).replace(",", "").replace("，", ""))
            if figure == "requests.new.total" and _WITH_CARRIED_OVER.search(sentence):
                keys, label = keys + ("requests.carried_over.total",), label + "（含上年结转）"
            table = _table_value(report, keys)
            if table is None or abs(table - stated) < 1e-6:
                continue
            quoted = sentence if len(sentence) <= 80 else sentence[:79] + "…"
            found[figure] = finding(
                "text_table", f"正文称“{quoted}”（{number(stated)} 件），"
                              f"表格中{label}为 {number(table)} 件。",
                figure=figure, text_value=stated, table_value=table, sentence=quoted)
    return [found[figure] for figure, *_ in RULES if figure in found]
