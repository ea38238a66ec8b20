"""Table rows -> the schema's figure keys, whatever shape the tables arrived in.

Tables reach us as grids (HTML, Word, Markdown pipe/tab rows) or flattened into
lines (PDF text: one cell per line, labels wrapped over several lines, vertical
one-character labels). Both are read the same way: as a stream of text and value
tokens. The template's row labels are found in order in the stream's text with all
white space removed, so a label wrapped anywhere still matches; the values of a row
are the first run of value tokens after its label. A grid contributes its blank
cells as tokens too, which keeps columns in place; surplus blanks at either end of a
run (filler cells, an empty label column) are trimmed by the row's known width.
Headers are never used to place a value, only labels are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.clean import fold, is_footer
from corpus.document import Table
from corpus.numbers import BLANK, NOT_APPLICABLE, UNITS, cell_value, with_unit
from corpus.report import (
    APPEAL_CELLS, APPEAL_GROUPS, APPLICANT_COLUMNS, PROACTIVE_2019, PROACTIVE_2021,
    REQUEST_COLUMNS,
)

_VALUE = "\ue000"  # stands for one value token in the folded label text


@dataclass
class Stream:
    """Folded text with one `_VALUE` mark per value, and the values in order."""

    text: str
    values: list

    def runs_after(self, pos: int, end: int) -> list[list]:
        """The runs of consecutive values between pos and end, in order."""
        runs, current = [], []
        index = self.text.count(_VALUE, 0, pos)
        for ch in self.text[pos:end]:
            if ch == _VALUE:
                current.append(self.values[index])
                index += 1
            elif current:
                runs.append(current)
                current = []
        if current:
            runs.append(current)
        return runs


_SIGN_ONLY = {"增", "减"}
_TRAILING_NUMBER = re.compile(r"^(.*[^\d第.、．\s(（])(\d+)$")


def _line_tokens(line: str, out: list) -> None:
    """Split a flattened line at white space into text and value tokens."""
    pending_sign = None
    for piece in line.split():
        value = cell_value(piece)
        if value is None:
            if piece in UNITS and out and isinstance(out[-1], tuple):
                out[-1] = ("value", with_unit(out[-1][1], piece))
                continue
            if piece in _SIGN_ONLY:
                pending_sign = piece
                continue
            split = _TRAILING_NUMBER.match(piece)
            if split and not split.group(1)[-1].isascii():
                out.append(split.group(1))
                out.append(("value", cell_value(split.group(2))))
                continue
            out.append(piece)
            continue
        if pending_sign and isinstance(value, (int, float)):
            value = -abs(value) if pending_sign == "减" else value
            pending_sign = None
        out.append(("value", value))
    if pending_sign:
        out.append(pending_sign)


def _table_tokens(table: Table, out: list) -> None:
    for row in table.rows:
        for text in table.own_cells(row):
            value = cell_value(text)
            out.append(text if value is None else ("value", value))


def stream(blocks: list) -> Stream:
    """Tokens of the given blocks as a `Stream`."""
    tokens: list = []
    for block in blocks:
        if isinstance(block, Table):
            _table_tokens(block, tokens)
        elif not is_footer(block):
            _line_tokens(block.replace("\f", " "), tokens)
    parts, values = [], []
    for token in tokens:
        if isinstance(token, tuple):
            parts.append(_VALUE)
            values.append(token[1])
        else:
            parts.append(fold(token).replace(_VALUE, ""))
    return Stream("".join(parts), values)


def _fit(run: list, width: int, has_numbers: bool) -> list | None:
    """Trim surplus blanks at the ends of a run to the row's width; None if it cannot fit."""
    run = list(run)
    while len(run) > width and run[-1] == BLANK:
        run.pop()
    while len(run) > width and run[0] == BLANK:
        run.pop(0)
    if len(run) < width:
        return None
    run = run[:width]
    if all(v == BLANK for v in run) and not has_numbers:
        return None
    return [0 if v == BLANK else v for v in run]


def _record(figures: dict, keys: list[str], values: list) -> None:
    for key, value in zip(keys, values):
        if value != NOT_APPLICABLE:
            figures[key] = value


def _rows(s: Stream, start: int, labels: list[tuple[str, re.Pattern]]) -> dict[str, list]:
    """Find each label in order after start; a row's values are the first run after its label."""
    found: list[tuple[str, int, int]] = []
    pos = start
    for name, pattern in labels:
        match = pattern.search(s.text, pos)
        if match:
            found.append((name, match.start(), match.end()))
            pos = match.end()
    rows = {}
    for i, (name, _, end) in enumerate(found):
        stop = found[i + 1][1] if i + 1 < len(found) else len(s.text)
        runs = s.runs_after(end, stop)
        if runs:
            rows[name] = runs[0]
    return rows


def _anchor(s: Stream, *words: str) -> int:
    """Where the table starts: the first of the header words found, in order of preference."""
    for word in words:
        position = s.text.find(word)
        if position >= 0:
            return position
    return 0


def _numbers_in(s: Stream) -> bool:
    return any(isinstance(v, (int, float)) for v in s.values)


# ---- table 2: 主动公开政府信息情况 -------------------------------------------------

_PROACTIVE_LABELS = {
    "rules": r"规章",
    "normative": r"规范性文件",
    "licensing": r"行政许可",
    "other_services": r"其他对外管理服务事项|对外管理服务",
    "penalty": r"行政处罚",
    "coercion": r"行政强制",
    "fees": r"行政事业性收费|事业性收费",
    "procurement": r"政府集中采购|集中采购",
}


def proactive(s: Stream, template: int) -> dict:
    columns = PROACTIVE_2021 if template == 2021 else PROACTIVE_2019
    labels = [(row, re.compile(_PROACTIVE_LABELS[row])) for row in columns]
    rows = _rows(s, _anchor(s, "第二十条", "信息内容"), labels)
    figures: dict = {}
    has_numbers = _numbers_in(s)
    for row, cols in columns.items():
        fitted = _fit(rows.get(row, []), len(cols), has_numbers)
        if fitted:
            _record(figures, [f"proactive.{row}.{c}" for c in cols], fitted)
    return figures


# ---- table 3: 收到和处理政府信息公开申请情况 ------------------------------------------

_NUMBERING = r"(?:\d{1,2}[.、．]?)?"
_REQUEST_LABELS = {
    "new": r"本年新收",
    "carried_over": r"上年结转",
    "granted": r"予以公开",
    "partial": r"部分公开",
    "withheld_secret": _NUMBERING + r"属于国家秘密|国家秘密",
    "withheld_law": _NUMBERING + r"其他法律行政法规禁止公开|禁止公开",
    "withheld_safety": _NUMBERING + r"危及|三安全一稳定",
    "withheld_third_party": _NUMBERING + r"保护第三方|第三方合法权益",
    "withheld_internal": _NUMBERING + r"属于三类内部|内部事务",
    "withheld_process": _NUMBERING + r"属于四类过程|过程性信息",
    "withheld_enforcement": _NUMBERING + r"属于行政执法|执法案卷",
    "withheld_query": _NUMBERING + r"属于行政查询|查询事项",
    "unavailable_not_held": _NUMBERING + r"本机关不掌握|不掌握",
    "unavailable_create": _NUMBERING + r"没有现成信息|另行制作",
    "unavailable_unclear": _NUMBERING + r"补正后申请|仍不明确",
    "rejected_petition": _NUMBERING + r"信访举报|举报投诉",
    "rejected_repeat": _NUMBERING + r"重复申请",
    "rejected_publication": _NUMBERING + r"要求提供公开出版物|公开出版物",
    "rejected_mass": _NUMBERING + r"无正当理由大量|大量反复",
    "rejected_confirm": _NUMBERING + r"要求行政机关确认|重新出具",
    "other_no_correction": _NUMBERING + r"申请人无正当理由逾期|逾期不补正",
    "other_no_fee": _NUMBERING + r"申请人逾期未按|缴纳费用",
    "other_other": _NUMBERING + r"其他",
    "other_all": r"(?:\([六6]\))?其他处理",
    "total": r"(?:\([七7]\))?总计",
    "carried_forward": r"(?:四[、.]?)?结转下年度|继续办理",
}
_WITHHELD_FIRST = (
    "granted", "partial", "withheld_secret", "withheld_law", "withheld_safety",
    "withheld_third_party", "withheld_internal", "withheld_process", "withheld_enforcement",
    "withheld_query", "unavailable_not_held", "unavailable_create", "unavailable_unclear",
    "rejected_petition", "rejected_repeat", "rejected_publication", "rejected_mass",
    "rejected_confirm",
)


def has_three_other_rows(text: str) -> bool:
    """The 2021 template splits 其他处理 into 逾期不补正 / 逾期未缴纳费用 / 其他."""
    return bool(re.search(r"逾期不补正|缴纳费用|逾期未按", text))


def requests(s: Stream) -> dict:
    if has_three_other_rows(s.text):
        order = ("new", "carried_over", *_WITHHELD_FIRST,
                 "other_no_correction", "other_no_fee", "other_other", "total", "carried_forward")
    else:
        order = ("new", "carried_over", *_WITHHELD_FIRST, "other_all", "total", "carried_forward")
    labels = [(row, re.compile(_REQUEST_LABELS[row])) for row in order]
    rows = _rows(s, _anchor(s, "勾稽关系", "申请人情况", "自然人"), labels)
    has_numbers = _numbers_in(s)
    # Some reports print only the 总计 column: decide the table's width by its rows.
    wide = sum(1 for run in rows.values() if len(run) >= len(REQUEST_COLUMNS))
    columns = REQUEST_COLUMNS if wide * 2 >= len(rows) else ("total",)
    figures: dict = {}
    for row in order:
        fitted = _fit(rows.get(row, []), len(columns), has_numbers)
        if fitted:
            _record(figures, [f"requests.{row}.{c}" for c in columns], fitted)
    return figures


# ---- table 4: 行政复议、行政诉讼 ---------------------------------------------------

def appeals(s: Stream) -> dict:
    start = _anchor(s, "结果维持", "维持", "行政复议")
    values: list = []
    for run in s.runs_after(start, len(s.text)):
        values += run
        if len(values) >= 15:
            break
    fitted = _fit(values, 15, _numbers_in(s))
    figures: dict = {}
    if fitted:
        keys = [f"appeals.{g}.{c}" for g in APPEAL_GROUPS for c in APPEAL_CELLS]
        _record(figures, keys, fitted)
    return figures


__all__ = ["stream", "proactive", "requests", "appeals", "APPLICANT_COLUMNS"]
