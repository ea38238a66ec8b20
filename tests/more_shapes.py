"""More shapes real reports come in, after `madeup.shapes`: each function prints a
`layouts.MadeUp` report (or one of its tables) the way one more extractor or converter
damaged it. The wording is ours; the shapes and numbers are what the parser must get
through — or, where the text cannot say which number is whose, leave unread.
"""
from __future__ import annotations

import random

from madeup import layouts, shapes
from madeup.layouts import COLUMN_HEADERS, MadeUp, request_rows
from madeup.shapes import _with_section

RULE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# How PDF text may print one row of table 3 (a label and its seven numbers).
ROW_LAYOUTS = ("beside", "above", "below", "straddle", "one_a_line")


def _row_lines(label: str, values: list[str], layout: str) -> list[str]:
    numbers = " ".join(values)
    if layout == "above":          # the numbers on the line above their label
        return [numbers, label]
    if layout == "below":          # the label, then its numbers on the next line
        return [label, numbers]
    if layout == "straddle" and len(label) > 6:   # the numbers between a wrapped label's halves
        cut = len(label) // 2
        return [label[:cut], numbers, label[cut:]]
    if layout == "one_a_line":     # the label, then one number a line
        return [label, *values]
    return [f"{label} {numbers}"]  # the label and its numbers on one line


def requests_rows_laid_out(r: MadeUp, layout_of) -> str:
    """PDF text of the report whose table-3 rows are each printed as `layout_of(row)` says
    (one of `ROW_LAYOUTS`): the way a page whose cells are aligned unevenly comes out."""
    lines = [RULE, "申请人情况", " ".join(COLUMN_HEADERS)]
    for row, group, label, values in request_rows(r):
        if row == "granted":
            lines.append("三、本年度办理结果")
        if group and label.startswith("1."):
            lines.append(group)
        lines += _row_lines(label, values, layout_of(row))
    return _with_section(r, "requests", lines)


def requests_some_numbers_above(r: MadeUp, above: tuple[str, ...]) -> str:
    """Table 3 with whole rows on a line, except the rows `above`, whose numbers are
    printed on the line above their label."""
    return requests_rows_laid_out(r, lambda row: "above" if row in above else "beside")


def requests_mixed_layouts(r: MadeUp, seed: int, layouts: tuple[str, ...] = ROW_LAYOUTS) -> str:
    """Table 3 whose every row is printed in one of `layouts`, drawn with `seed`."""
    rng = random.Random(seed)
    chosen = {row: rng.choice(layouts) for row in r.request_rows()}
    return requests_rows_laid_out(r, chosen.__getitem__)


# ---- converted Markdown: a header row that belongs to another block -------------------------

STRAY_HEADER = "| 类别 | 新收 | 上年结转 | 予以公开 | 部分公开 | 不予公开 | 结转下年度继续办理 | 总计 |"


def requests_with_stray_header(r: MadeUp, after_row: str) -> str:
    """Markdown table 3 as one pipe table, with a header row of column names that belong to
    another block (their words those of row labels) placed after the row `after_row`."""
    width = len(r.columns())
    lines = [f"| {RULE} | " + " | ".join(COLUMN_HEADERS[-width:]) + " |", "|" + "---|" * (width + 1)]
    for row, group, label, values in request_rows(r):
        lines.append(f"| {label} | " + " | ".join(values) + " |")
        if row == after_row:
            lines.append(STRAY_HEADER)
    return _with_section(r, "requests", lines, markdown=True)


def proactive_numbers_above(r: MadeUp, closing: list[str]) -> str:
    """Table 2 (2021 template) of an agency with no 规章 or 规范性文件 row: every number on
    the line above its label, then the `closing` lines (a note that ends on a number)."""
    lines = []
    for header, (rows, columns) in r.headers().items():
        if "rules" in rows:
            continue
        lines += [header, "信息内容 " + " ".join(columns)]
        for row in rows:
            lines += [layouts._show(r.figures[f"proactive.{row}.{r.proactive()[row][0]}"]), layouts.PROACTIVE_LABELS[row]]
    return _with_section(r, "proactive", lines + closing)


def requests_tall_labels_after_rows(r: MadeUp) -> str:
    """Table 3 as pdftotext prints it with whole rows on a line: the tall spanned label cells
    (the groups, （七）总计, 四、结转下年度继续办理) after every row, so the 总计 and 结转
    rows are bare lines of numbers right after the last result row's."""
    lines, late = ["申请人情况", " ".join(COLUMN_HEADERS)], []
    for row, group, label, values in request_rows(r):
        if group and label.startswith("1."):
            late.append(group)
        if row in ("total", "carried_forward"):
            late.append(label)
            lines.append(" ".join(values))
        else:
            lines.append(f"{label} {' '.join(values)}")
    return _with_section(r, "requests", lines + ["三、本年度办理结果", *late])


# ---- converted Markdown: table 3 shredded, its labels loose lines ---------------------------

def requests_shredded(r: MadeUp, sizes: tuple[int, ...], labels_first: bool = False,
                      unlabelled: str | None = None) -> str:
    """Markdown table 3 cut into small pipe tables of bare numbers (`sizes` rows each, under
    generic 数据1… headers), each after its row labels as loose lines — or with every label
    dumped first (`labels_first`). The row `unlabelled` has its numbers but no label line."""
    rows = request_rows(r)
    width = len(r.columns())
    header = ["| " + " | ".join(f"数据{i + 1}" for i in range(width)) + " |", "|" + "---|" * width]
    labels = [[label for row, _, label, _ in rows[i:i + n] if row != unlabelled]
              for i, n in ((sum(sizes[:k]), n) for k, n in enumerate(sizes))]
    tables = [header + ["| " + " | ".join(values) + " |" for *_, values in rows[i:i + n]] + [""]
              for i, n in ((sum(sizes[:k]), n) for k, n in enumerate(sizes))]
    assert sum(sizes) == len(rows)
    lines = [RULE, ""]
    if labels_first:
        lines += [label for group in labels for label in group] + [""]
        lines += [line for table in tables for line in table]
    else:
        for group, table in zip(labels, tables):
            lines += group + [""] + table
    return _with_section(r, "requests", lines, markdown=True)


# ---- a township's report before 2019, with no title line ------------------------------------

def township_2008(year: int, opening: str, fees: str) -> str:
    """A township's report on a year before 2019 that prints no title: it opens on a sentence
    saying it speaks as 我乡 (`opening`), and names the township once, in its part on fees
    (`fees`); no signature."""
    parts = (
        ("一、概述", f"{year}年，我乡深入贯彻《条例》，健全信息发布审核机制，稳步推进政务公开。"),
        ("二、主动公开政府信息情况", "全年在政府网站和乡务公开栏公开各类信息一百余条。"),
        ("三、依申请公开政府信息情况", "全年未收到公民、法人或其他组织的政府信息公开申请。"),
        ("四、政府信息公开的收费及减免情况", fees),
        ("五、因政府信息公开申请提起行政复议、行政诉讼的情况", "全年未发生此类行政复议和行政诉讼。"),
        ("六、存在的主要问题及改进措施", "公开内容还不够丰富，下一步将加强业务培训。"),
    )
    return "\n".join([opening] + [line for part in parts for line in part]) + "\n"


# ---- converted Markdown: two cells of a row in one ---------------------------------------------

def markdown_cells_merged(r: MadeUp, row: str, first: int) -> str:
    """Markdown of the report whose table-2 row `row` prints one cell fewer than its table has
    columns: the border between its values `first` and `first + 1` lost, the two numbers in
    one cell (| 规章 | 5 3 | 7 |)."""
    label = layouts.PROACTIVE_LABELS[row]
    values = next(values for labels, values in layouts.proactive_rows(r) if labels == [label])
    cells = [label, *values]
    merged = cells[:first + 1] + [f"{values[first]} {values[first + 1]}"] + cells[first + 3:]
    text = layouts.markdown(r)
    whole = "| " + " | ".join(cells) + " |"
    assert whole in text
    return text.replace(whole, "| " + " | ".join(merged) + " |")


# ---- PDF text: a group of rows printed one column a line -------------------------------------

def requests_group_by_column_lines(r: MadeUp, prefix: str = "withheld_") -> str:
    """Table 3 with whole rows on a line (pdfplumber), except the group of rows whose names
    start with `prefix` (the eight 不予公开 rows): their labels listed, then one line per
    column holding that column's number of each row in turn."""
    lines = [RULE, "申请人情况", " ".join(COLUMN_HEADERS)]
    rows = request_rows(r)
    group = [row for row in rows if row[0].startswith(prefix)]
    for row, group_label, label, values in rows:
        if row == "granted":
            lines.append("三、本年度办理结果")
        if group_label and label.startswith("1."):
            lines.append(group_label)
        if row.startswith(prefix):
            lines.append(label)
            if row == group[-1][0]:
                lines += [" ".join(values[c] for *_, values in group) for c in range(len(r.columns()))]
        else:
            lines.append(f"{label} {' '.join(values)}")
    return _with_section(r, "requests", lines)


# ---- PDF text as pdfminer orders it: blocks of values column by column ----------------------

def proactive_pdfminer_lines(r: MadeUp) -> list[str]:
    """Table 2 (2021 template) as pdfminer orders its text boxes: every row label, then the
    column headers, then the values one a line — 规章 and 行政规范性文件 column by column."""
    lines = []
    for header, (rows, _) in r.headers().items():
        lines += [header, "信息内容", *(layouts.PROACTIVE_LABELS[row] for row in rows)]
    for header, (rows, columns) in r.headers().items():
        lines += list(columns)
        lines += [layouts._show(r.figures[f"proactive.{row}.{column}"])
                  for column in r.proactive()[rows[0]] for row in rows]
    return lines


def pdfminer_report(r: MadeUp, requests_by_column: int | None) -> str:
    """The report as pdfminer prints it: table 2 as `proactive_pdfminer_lines`; table 3 with
    its first row whole, then the other labels, then the values of the next
    `requests_by_column` rows column by column and the rest row by row (None: table 3 one
    value a line after each label, in row order)."""
    text = layouts.pdf_text(r) if requests_by_column is None else shapes.requests_columns_then_rows(r, requests_by_column)
    lines = text.splitlines()
    start = lines.index(layouts.SECTION_TITLES["proactive"]) + 1
    end = lines.index(layouts.SECTION_TITLES["requests"])
    return "\n".join(lines[:start] + proactive_pdfminer_lines(r) + lines[end:]) + "\n"


# ---- PDF text: a row's numbers straddling the next label's text -------------------------------

def requests_row_straddling(r: MadeUp, row: str, on_own_line: int = 1) -> str:
    """Table 3 with whole rows on a line, except `row`: its first `on_own_line` numbers stand
    on its label's line, the rest after the next label's text on that label's line; the next
    row's own numbers follow on a line of their own."""
    rows = request_rows(r)
    at = [name for name, *_ in rows].index(row)
    lines = [RULE, "申请人情况", " ".join(COLUMN_HEADERS)]
    for n, (name, group, label, values) in enumerate(rows):
        if name == "granted":
            lines.append("三、本年度办理结果")
        if group and label.startswith("1."):
            lines.append(group)
        if n == at:
            lines.append(f"{label} {' '.join(values[:on_own_line])}")
        elif n == at + 1:
            lines += [f"{label} {' '.join(rows[at][3][on_own_line:])}", " ".join(values)]
        else:
            lines.append(f"{label} {' '.join(values)}")
    return _with_section(r, "requests", lines)


# ---- table 4 printed wrong by the agency ------------------------------------------------------

def appeals_total_misprinted(r: MadeUp) -> MadeUp:
    """The report whose 行政复议 row prints 总计 0 while its four parts (5, 3, 2, 1) add to 11."""
    figures = dict(r.figures)
    figures.update({"appeals.review.upheld": 5, "appeals.review.corrected": 3, "appeals.review.other": 2,
                    "appeals.review.pending": 1, "appeals.review.total": 0})
    return MadeUp(**{**vars(r), "figures": figures, "slip": ["appeals.review"]})


def requests_column_dump_split(r: MadeUp, split_at: str) -> str:
    """Table 3 as pdfminer dumps a table whose boxes it could not order: the labels up to
    `split_at` listed, then the first seven numbers of the 自然人 column, then the tall
    group cells' text, then the other labels, then the rest of the numbers column by
    column. Seven numbers follow the label `split_at` — one row's worth, but not its row."""
    rows = request_rows(r)
    at = [name for name, *_ in rows].index(split_at) + 1
    column_major = [values[c] for c in range(len(r.columns())) for *_, values in rows]
    groups = [cut for group in dict.fromkeys(group for _, group, _, _ in rows if group) for cut in (group[:4], group[4:])]
    lines = [RULE, "申请人情况", *COLUMN_HEADERS]
    lines += [label for _, _, label, _ in rows[:at]] + column_major[:7] + groups
    lines += [label for _, _, label, _ in rows[at:]] + column_major[7:]
    return _with_section(r, "requests", lines)


# ---- PDF text: a tall group cell's text printed into a wrapped label ---------------------------

def requests_labels_cut_by_group_text(r: MadeUp, cuts: dict[str, int]) -> str:
    """Table 3 with whole rows on a line (pdfplumber), except the rows in `cuts`: each label
    wrapped after that many characters, its numbers on a line between the two halves, and a
    piece of its group's tall cell (（五）不) printed before the second half."""
    lines = [RULE, "申请人情况", " ".join(COLUMN_HEADERS)]
    for row, group, label, values in request_rows(r):
        if row == "granted":
            lines.append("三、本年度办理结果")
        if row in cuts:
            lines += [label[:cuts[row]], " ".join(values), f"{(group or '')[:4]} {label[cuts[row]:]}"]
        else:
            lines.append(f"{label} {' '.join(values)}")
    return _with_section(r, "requests", lines)
