"""Table rows -> the schema's figure keys, whatever shape the tables arrived in.

Tables are read as a `corpus.stream.Stream` of text and value tokens. The
template's row labels are found in order in the stream's folded text, so a label
wrapped anywhere still matches; `corpus.rows` gives each found row its values by the
layout the stream proves. Headers are never used to place a value, only labels are.
Each reader returns a `TableRead`: the figures, the keys the table should have given
(for the `tables.<n>` check), the cells printed as not applicable, and whether the
table is printed at all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus import rows as layout
from corpus.blocks import Order
from corpus.clean import fold
from corpus.numbers import BLANK, NOT_APPLICABLE, OUT_OF_RANGE, UNREAD
from corpus.report import (
    APPEAL_CELLS, APPEAL_GROUPS, PROACTIVE_2019, PROACTIVE_2021, REQUEST_COLUMNS,
)
from corpus.stream import VALUE, Stream, stream

_STRAY_NUMBERS = 3   # numbers near a table that are not its cells (a note's 1, a unit's 10000)


@dataclass
class TableRead:
    """What reading one table gave."""

    figures: dict = field(default_factory=dict)
    expected: list[str] = field(default_factory=list)     # every key the printed table holds
    not_applicable: set[str] = field(default_factory=set) # cells printed "/" or "—"
    out_of_range: set[str] = field(default_factory=set)   # 10^12 or more: not recorded, unread
    printed: bool = False
    order: Order = field(default_factory=Order)   # how the text printed its blocks

    @property
    def unread(self) -> list[str]:
        return [k for k in self.expected if k not in self.figures and k not in self.not_applicable]


def _record(read: TableRead, keys: list[str], values: list) -> None:
    for key, value in zip(keys, values):
        if value == NOT_APPLICABLE:
            read.not_applicable.add(key)
        elif value == OUT_OF_RANGE:
            read.out_of_range.add(key)
        elif value == UNREAD:
            continue    # a cell whose figure could not be read: left unread, named by tables.<n>
        else:
            read.figures[key] = value


def _anchor(s: Stream, *words: str) -> int:
    """Where the table starts: the first of the header words found, in order of preference."""
    for word in words:
        position = s.text.find(word)
        if position >= 0:
            return position
    return 0


def _printed(s: Stream, found: list, anchored: bool, in_section: bool) -> bool:
    """The table is printed: its header words or three of its labels are there, or numbers
    stand in its section."""
    return anchored or len(found) >= 3 or (in_section and s.has_numbers())


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


def proactive(s: Stream, template: int, in_section: bool = True, order: Order | None = None) -> TableRead:
    """Table 2; `order` is how table 3 showed the text prints a block of values (its 规章 and
    规范性文件 rows, of one width, are read by column only where it showed so)."""
    columns = PROACTIVE_2021 if template == 2021 else PROACTIVE_2019
    labels = [(row, re.compile(_PROACTIVE_LABELS[row])) for row in columns]
    anchored = any(word in s.text for word in ("第二十条", "信息内容"))
    start = _anchor(s, "第二十条", "信息内容")
    found = layout.find_labels(s, start, labels)
    rows = layout.assign(s, found, {row: len(cols) for row, cols in columns.items()}, start, len(s.text),
                         order=Order(order.by_column) if order else None)
    # Agencies without a power leave its row out (no 规章 row): the rows printed are expected.
    printed_rows = [label.name for label in found] or list(columns)
    read = TableRead(expected=[f"proactive.{row}.{c}" for row in printed_rows for c in columns[row]],
                     printed=_printed(s, found, anchored, in_section))
    for row, cols in columns.items():
        if row in rows:
            _record(read, [f"proactive.{row}.{c}" for c in cols], rows[row])
    return read


# ---- table 3: 收到和处理政府信息公开申请情况 ------------------------------------------

_NUMBERING = r"(?:\d{1,2}[.、．]?)?"
# A label may be cut anywhere by a tall group cell's text printed into it (要求提供公开出版 /
# （五）不 物): each has a short alternative that such a cut leaves whole.
_REQUEST_LABELS = {
    "new": r"本年新收",
    "carried_over": r"上年结转",
    "granted": r"予以公开",
    "partial": r"部分公开",
    "withheld_secret": _NUMBERING + r"属于国家秘密|国家秘密",
    "withheld_law": _NUMBERING + r"其他法律行政法规禁止公开|禁止公开|其他法律行政法规",
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
    "rejected_publication": _NUMBERING + r"要求提供公开出版物|公开出版物|要求提供公开",
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


_ROW_NUMBERING = re.compile(r"^(?:[(（][一二三四五六七八九十]{1,2}[)）]|[一二三四]、|\d{1,2}[.、．])")
_SENTENCE_END = re.compile(r"[。；！？]")
_LABEL_LINE_LENGTH = 40


def prints_a_row_label(line: str) -> bool:
    """The line is a table-3 row label as printed, its own commas and all — （二）部分公开
    （区分处理的，只计这一情形，不计其他情形） — not a sentence that names a row: numbered
    like a row, short, no sentence's end, the label's words right after the number."""
    text = fold(line)
    numbering = _ROW_NUMBERING.match(text)
    if not numbering or len(text) > _LABEL_LINE_LENGTH or _SENTENCE_END.search(text):
        return False
    rest = text[numbering.end():]
    return any(re.match(pattern, rest) for pattern in _REQUEST_LABELS.values())


def has_three_other_rows(text: str) -> bool:
    """The 2021 template splits 其他处理 into 逾期不补正 / 逾期未缴纳费用 / 其他."""
    return bool(re.search(r"逾期不补正|缴纳费用|逾期未按", text))


def requests(s: Stream, in_section: bool = True) -> TableRead:
    if has_three_other_rows(s.text):
        order = ("new", "carried_over", *_WITHHELD_FIRST,
                 "other_no_correction", "other_no_fee", "other_other", "total", "carried_forward")
    else:
        order = ("new", "carried_over", *_WITHHELD_FIRST, "other_all", "total", "carried_forward")
    labels = [(row, re.compile(_REQUEST_LABELS[row])) for row in order]
    anchored = any(word in s.text for word in ("勾稽关系", "申请人情况"))
    start = _anchor(s, "勾稽关系", "申请人情况", "自然人")
    found = layout.find_labels(s, start, labels)
    # Some reports print only the 总计 column: the width that reads more rows is the table's,
    # but a table printing many more numbers than it has rows is not one column wide.
    best: dict = {}
    printed_values = sum(1 for v in s.values[s.text.count(VALUE, 0, start):] if v != BLANK)
    for columns in (REQUEST_COLUMNS, ("total",)):
        if len(columns) == 1 and printed_values > len(order) + _STRAY_NUMBERS:
            continue
        block_order = Order()
        rows = layout.assign(s, found, {row: len(columns) for row in order}, start, len(s.text),
                             agreement=lambda rows, columns=columns: _balances(rows, columns), order=block_order)
        if len(rows) > len(best.get("rows", {})):
            best = {"rows": rows, "columns": columns, "order": block_order}
    columns = best.get("columns", REQUEST_COLUMNS)
    read = TableRead(expected=[f"requests.{row}.{c}" for row in order for c in columns],
                     printed=_printed(s, found, anchored, in_section), order=best.get("order", Order()))
    for row in order:
        if row in best.get("rows", {}):
            _record(read, [f"requests.{row}.{c}" for c in columns], best["rows"][row])
    return read


def _balances(rows: dict[str, list], columns: tuple[str, ...]) -> int:
    """How many columns' 勾稽关系 hold (new + carried_over = total + carried_forward)."""
    needed = ("new", "carried_over", "total", "carried_forward")
    if not all(name in rows for name in needed):
        return 0
    new, carried_over, total, carried_forward = (rows[name] for name in needed)
    return sum(1 for c in range(len(columns)) if all(isinstance(r[c], (int, float)) for r in (new, carried_over, total, carried_forward))
               and abs(new[c] + carried_over[c] - total[c] - carried_forward[c]) < 1e-6)


# ---- table 4: 行政复议、行政诉讼 ---------------------------------------------------

def appeals(s: Stream, in_section: bool = True) -> TableRead:
    """The 15 numbers in printed order: they must come as whole runs adding up to exactly 15
    (one row of 15, three groups of 5, one a line), never cut from a longer run."""
    anchored = any(word in s.text for word in ("结果维持", "尚未审结"))
    start = _anchor(s, "结果维持", "维持", "行政复议")
    keys = [f"appeals.{g}.{c}" for g in APPEAL_GROUPS for c in APPEAL_CELLS]
    read = TableRead(expected=keys, printed=_printed(s, [], anchored, in_section))
    runs = s.runs(start, len(s.text))
    # Blank header cells make runs of blanks before the numbers: the values start at the
    # first run holding a number (in a table printed all blank, at the first run of 15).
    numbered = [i for i, run in enumerate(runs) if any(s.values[v] != BLANK for v in run)]
    if numbered:
        runs = runs[numbered[0]:]
    else:
        runs = [run for run in runs if len(run) == len(keys)][:1]
    values: list[int] = []
    for run in runs:
        values += run
        if len(values) >= len(keys):
            break
    fitted = layout.fit(s, values, len(keys), s.has_numbers() or s.grid)
    if fitted:
        _record(read, keys, fitted)
    return read


__all__ = ["stream", "proactive", "requests", "appeals", "TableRead"]
