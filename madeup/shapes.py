"""Made-up reports in the shapes real agencies publish them, beyond `madeup.layouts`.

Each function takes a `layouts.MadeUp` report and prints it in one shape seen in
real reports from other provinces: a title wrapped over lines or missing, the
report's own headings before the statutory ones, page furniture inside tables, PDF
text in column order, OCR'd Markdown, a single 其他处理 row, blank tables, portal
chrome, a pre-2019 report. The wording is ours; the shapes and numbers are what the
parser must get through. A test parses the output and compares it with the report.
"""
from __future__ import annotations

import html
import re

from madeup import layouts
from madeup.layouts import (
    APPEAL_HEADERS, COLUMN_HEADERS, SECTION_TITLES, MadeUp, appeal_values, proactive_rows,
    request_rows,
)


def _body(r: MadeUp) -> list[str]:
    """PDF-text lines of the report from its first section on (no letterhead, no title)."""
    lines = layouts.pdf_text(r).splitlines()
    return lines[lines.index(SECTION_TITLES[next(iter(r.texts))]):]


# ---- 1. titles that are not one line ------------------------------------------------

def wrapped_title(r: MadeUp, title_lines: list[str]) -> str:
    """The report with its title printed over the given lines and no letterhead."""
    return "\n".join(title_lines + [""] + _body(r)) + "\n"


def untitled(r: MadeUp, opening: str, signature: bool = True) -> str:
    """No title line at all: the text opens on the first section, whose first paragraph
    is `opening`; the agency signs at the end unless `signature` is False."""
    body = _body(r)
    body.insert(1, opening)
    if not signature:
        body = [line for line in body if line != r.agency]
    return "\n".join(body) + "\n"


def html_titled_by(r: MadeUp, page_title: str, field: str | None = None) -> str:
    """An HTML page whose body prints no title: only <title> (and a portal's field) names it."""
    page = layouts.html_page(r)
    page = re.sub(r'<div class="article_title">.*?</div>', "", page)
    page = re.sub(r"<title>.*?</title>", f"<title>{html.escape(page_title)}</title>", page)
    if field:
        page = page.replace('<div class="info">', '<table class="xxgk"><tr><td>索引号：</td><td>QH-2024-00031</td>'
                            f'</tr><tr><td>{field}：</td><td>{html.escape(r.title)}</td></tr></table>'
                            '<div class="info">')
    return page


# ---- 2. the report's own headings before the statutory ones ---------------------------

NARRATIVE = {
    "requests": ("依申请公开工作情况", "全年依法受理并答复政府信息公开申请，答复规范及时，未发生超期答复。"),
    "proactive": ("主动公开工作情况", "围绕中心工作主动公开政策文件，及时更新政府信息公开指南和目录。"),
}
NUMBERS = "一二三四五六七八九"


def own_headings_first(r: MadeUp, statutory_order: tuple[str, ...], narrative: tuple[str, ...]) -> str:
    """PDF text whose narrative parts (`narrative`, numbered after 一、总体情况) come first, then
    the statutory parts in `statutory_order`, numbered anew from 一、."""
    body = _body(r)
    starts = {key: body.index(title) for key, title in SECTION_TITLES.items() if title in body}
    ends = sorted(starts.values()) + [len(body) - 2]   # the signature closes the last part
    chunk = {key: body[start + 1: ends[ends.index(start) + 1]] for key, start in starts.items()}
    out = [r.title, "", "一、总体情况", *chunk["overview"]]
    for n, key in enumerate(narrative, start=2):
        title, text = NARRATIVE[key]
        out += [f"{NUMBERS[n - 1]}、{title}", text]
    for n, key in enumerate(statutory_order, start=1):
        out += [NUMBERS[n - 1] + SECTION_TITLES[key][1:], *chunk[key]]
    return "\n".join(out + body[-2:]) + "\n"


# ---- 3. page furniture inside tables --------------------------------------------------

def furniture_in_tables(r: MadeUp) -> str:
    """PDF text (one cell per line) with page breaks inside every table: page numbers in
    several styles, the running header (agency and title), form feeds — one of them in the
    middle of the 自/然/人 header printed one character per line."""
    lines = layouts.pdf_text(r).splitlines()
    page = iter(range(2, 20))

    def page_break(style: int) -> list[str]:
        n = next(page)
        footer = (f"- {n} -", f"— {n} —", f"第 {n} 页", f"共 9 页 第 {n} 页", f"第{n}页/共9页")[style % 5]
        header = (r.agency, r.title, f"{r.agency}  {r.year}年度政府信息公开")[style % 3]
        return [footer, "\f" + header]

    out, style, since_break = [], 0, 0
    for n, line in enumerate(lines):
        out.append(line)
        since_break += 1
        in_tables = n > lines.index(SECTION_TITLES["proactive"]) and n < lines.index(SECTION_TITLES["problems"])
        if line == "然" or (in_tables and since_break >= 23 and line.strip().isdigit()):
            out += page_break(style)
            style += 1
            since_break = 0
    return "\n".join(out) + "\n"


# ---- 4. PDF text in column order, numbers above their labels ---------------------------

def _with_section(r: MadeUp, key: str, lines: list[str], markdown: bool = False) -> str:
    """The report as PDF text (or Markdown) with section `key`'s table printed as `lines`."""
    text = layouts.markdown(r) if markdown else layouts.pdf_text(r)
    out = text.splitlines()
    heading = (f"### {SECTION_TITLES[key]}" if markdown else SECTION_TITLES[key])
    start = out.index(heading) + 1
    following = [i for i, line in enumerate(out) if i > start and line.lstrip("# ").strip() in SECTION_TITLES.values()]
    end = following[0] if following else len(out) - 2
    keep = [line for line in out[start:end] if not _is_table_line(line)] if markdown else []
    return "\n".join(out[:start] + keep + lines + out[end:]) + "\n"


def _is_table_line(line: str) -> bool:
    return line.startswith("|") or "\t" in line


def _labels(r: MadeUp) -> list[str]:
    """Table 3's row labels as printed, the group labels (（三）不予公开 …) before their first row."""
    out = []
    for row, group, label, _ in request_rows(r):
        if row == "granted":
            out.append("三、本年度办理结果")
        if group and label.startswith("1."):
            out.append(group)
        out.append(label)
    return out


def requests_by_column(r: MadeUp, headers_between: bool = True) -> str:
    """Table 3 extracted column by column: the labels first, then every value of 自然人,
    then of 商业企业 …, one value a line; column headers between the columns or not at all."""
    lines = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", *_labels(r)]
    values = [v for _, _, _, v in request_rows(r)]
    for c, header in enumerate(COLUMN_HEADERS[-len(r.columns()):]):
        if headers_between:
            lines += list(header) if len(header) <= 3 else [header]
        lines += [row[c] for row in values]
    return _with_section(r, "requests", lines)


def requests_numbers_above(r: MadeUp) -> str:
    """Table 3 with each row's numbers on the line above its label, the label wrapped."""
    lines = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况",
             "自然人", "法人或其他组织", "总计", "商业企业 科研机构 社会公益组织 法律服务机构 其他"]
    for row, group, label, values in request_rows(r):
        if row == "granted":
            lines += list("三、本年度办理结果")
        if group and label.startswith("1."):
            lines.append(group)
        lines.append(" ".join(values))
        lines += [label[i:i + 12] for i in range(0, len(label), 12)]
    return _with_section(r, "requests", lines)


def requests_labels_in_two_cells(r: MadeUp) -> str:
    """Markdown table 3 whose long labels are split over two cells mid-word."""
    rows = ["| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | | | " + " | ".join(COLUMN_HEADERS) + " |"]
    for _, _, label, values in request_rows(r):
        cut = max(1, len(label) // 2)
        rows.append(f"| {label[:cut]} | {label[cut:]} | | " + " | ".join(values) + " |")
    return _with_section(r, "requests", rows, markdown=True)


# ---- 5. OCR'd or converted Markdown ----------------------------------------------------

_OCR_GROUPS = (("new", "carried_over"), ("granted", "partial"), ("withheld_",), ("unavailable_",),
               ("rejected_",), ("other_",), ("total", "carried_forward"))


def requests_ocr(r: MadeUp) -> str:
    """Markdown table 3 cut into one pipe table per row group: generic headers (数据1 …),
    one block under table 4's headers, an empty stub table, and one group whose labels are
    loose lines beside a table of bare numbers."""
    rows = request_rows(r)
    width = len(r.columns())
    lines = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", ""]
    for n, prefixes in enumerate(_OCR_GROUPS):
        group = [row for row in rows if row[0].startswith(prefixes)]
        if n == 2:      # loose labels, then bare numbers
            lines += ["（三）不予公开", *[label for _, _, label, _ in group], ""]
            lines += ["| " + " | ".join(f"数据{i + 1}" for i in range(width)) + " |",
                      "|" + "---|" * width]
            lines += ["| " + " | ".join(values) + " |" for *_, values in group]
            lines += ["", "| | |", "|---|---|", ""]   # an empty stub table
            continue
        headers = APPEAL_HEADERS + ("", "") if n == 4 else tuple(f"数据{i + 1}" for i in range(width))
        lines += ["| 项目 | " + " | ".join(headers[:width]) + " |", "|" + "---|" * (width + 1)]
        lines += [f"| {label} | " + " | ".join(values) + " |" for _, _, label, values in group]
        lines.append("")
    return _with_section(r, "requests", lines, markdown=True)


# ---- 6. the 2021 template with one （六）其他处理 row ------------------------------------

class OneOtherRow(MadeUp):
    """A 2021-template report printing （六）其他处理 as one row, without its three sub-rows."""

    def results(self):
        return super().results()[:-3] + ("other_all",)


def one_other_row(r: MadeUp) -> OneOtherRow:
    figures = dict(r.figures)
    for column in r.columns():
        parts = [figures.pop(f"requests.{row}.{column}") for row in ("other_no_correction", "other_no_fee", "other_other")]
        figures[f"requests.other_all.{column}"] = sum(parts)
    return OneOtherRow(**{**vars(r), "figures": figures})


# ---- 7. tables whose zeros are all printed blank ---------------------------------------

def all_blank(r: MadeUp, prefixes: tuple[str, ...] = ("",)) -> MadeUp:
    """The same report with the figures of the blank tables (keys starting with `prefixes`) 0."""
    return MadeUp(**{**vars(r), "figures": {k: 0 if k.startswith(prefixes) else v for k, v in r.figures.items()}})


def docx_report(r: MadeUp, blank: bool = False) -> bytes:
    """A Word file: title, sections, and the three tables as Word tables (zeros blank if asked)."""
    import io

    import docx

    def show(value: str) -> str:
        return "" if blank else value

    document = docx.Document()
    document.add_paragraph(r.title)
    for key, paragraphs in r.texts.items():
        document.add_paragraph(SECTION_TITLES[key])
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        rows = []
        if key == "proactive":
            rows = [labels + [show(v) for v in values] for labels, values in proactive_rows(r)]
        if key == "requests":
            rows = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", *COLUMN_HEADERS]]
            rows += [[label, *[show(v) for v in values]] for _, _, label, values in request_rows(r)]
        if key == "appeals":
            rows = [list(APPEAL_HEADERS * 3), [show(v) for v in appeal_values(r)]]
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
            for cells, row in zip(table.rows, rows):
                for cell, text in zip(cells.cells, row):
                    cell.text = text
    document.add_paragraph(r.agency)
    document.add_paragraph(layouts._chinese_date(r.published))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---- 8. portal chrome around an HTML report ------------------------------------------

CHROME = ("当前位置：首页 > 政务公开 > 政府信息公开年报", "字体：【大 中 小】", "分享到：微信 微博 QQ空间",
          "【打印本页】 【关闭窗口】", "相关链接", "主办单位：青禾市人民政府办公室 承办单位：青禾市大数据中心",
          "网站标识码：1234000056 蜀ICP备12345678号", "联系我们 | 网站地图 | 隐私声明")


def html_in_chrome(r: MadeUp) -> str:
    """The report's HTML page with the portal's furniture inside and around the content
    element, in unnamed <div>s and <footer>, where class names do not give it away."""
    page = layouts.html_page(r)
    before = f'<div>{CHROME[0]}</div><div><span>{CHROME[1]}</span></div>'
    related = ("<div><p>相关链接</p><ul>"
               + "".join(f"<li><a href='/{y}'>{r.agency}{y}年政府信息公开工作年度报告</a></li>" for y in (r.year - 1, r.year - 2))
               + "</ul></div>")
    after = (f'<div><p>{CHROME[2]}</p><p>{CHROME[3]}</p></div>' + related
             + f"<footer><p>{CHROME[7]}</p><p>{CHROME[5]}</p><p>{CHROME[6]}</p></footer>")
    page = page.replace('<div class="TRS_Editor">', before + '<div class="TRS_Editor">', 1)
    return page.replace('<div class="footer">版权所有 主办单位</div>', after)


# ---- 9. rows with more or fewer numbers than their table's width -------------------------

def pdf_rows_miscounted(r: MadeUp, extra: str, short: str) -> str:
    """PDF text with whole rows on a line, where row `extra` prints one number too many and
    row `short` one too few."""
    lines = layouts.pdf_text(r, rows_on_one_line=True).splitlines()
    labels = {row: label for row, _, label, _ in request_rows(r)}
    for i, line in enumerate(lines):
        for row, change in ((extra, lambda line: line + " 9"), (short, lambda line: line.rsplit(" ", 1)[0])):
            values = " ".join(v for _, _, label, v in request_rows(r) if label == labels[row] for v in v)
            if line.endswith(values) and labels[row][-4:] in line:
                lines[i] = change(line)
    return "\n".join(lines) + "\n"


# ---- 10. reports before 2019 ---------------------------------------------------------

PARTS_2008 = (
    ("一、概述", "2017年，本局按照《中华人民共和国政府信息公开条例》要求，认真做好政府信息公开工作。"),
    ("二、主动公开政府信息情况", "全年主动公开政府信息356条，其中通过门户网站公开298条。"),
    ("三、依申请公开政府信息情况", "全年共受理政府信息公开申请12件，均已按时答复。"),
    ("四、政府信息公开的收费及减免情况", "本年度未收取任何费用。"),
    ("五、因政府信息公开申请提起行政复议、行政诉讼的情况", "本年度未发生因政府信息公开申请提起的行政复议和行政诉讼。"),
    ("六、政府信息公开工作存在的主要问题及改进措施", "公开的及时性有待加强。下一步将完善制度。"),
    ("七、其他需要报告的事项", "无。"),
)


def report_2008(agency: str, year: int, titled: bool = True) -> str:
    """A report under the 2008 条例: seven parts, no national tables."""
    lines = [f"{agency}{year}年政府信息公开工作年度报告", ""] if titled else []
    lines.append(f"本报告根据《中华人民共和国政府信息公开条例》要求，由{agency}编制。")
    for title, text in PARTS_2008:
        lines += [title, text.replace("2017", str(year))]
    lines += ["", agency, f"{year + 1}年3月20日"]
    return "\n".join(lines) + "\n"


# ---- PDF text as other extractors order it ---------------------------------------------

def requests_tall_labels_last(r: MadeUp) -> str:
    """Table 3 one cell a line, with the tall spanned label cells — the group labels,
    （七）总计 and 四、结转下年度继续办理 — printed after every value (as pdftotext does):
    the last result row's values run straight on into those of the rows it spans past."""
    lines = ["申请人情况", *COLUMN_HEADERS]
    late = []
    for row, group, label, values in request_rows(r):
        if group and label.startswith("1."):
            late.append(group)
        if row in ("total", "carried_forward"):
            late.append(label)
        else:
            lines.append(label)
        lines += values
    return _with_section(r, "requests", lines + ["三、本年度办理结果", *late])


def requests_columns_then_rows(r: MadeUp, by_column: int) -> str:
    """Table 3 as pdfminer may order it: the first row whole, then the other labels, then
    the values of the next `by_column` rows column by column, and the rest row by row."""
    rows = request_rows(r)
    first, rest = rows[0], rows[1:]
    lines = ["申请人情况", *COLUMN_HEADERS, first[2], *first[3]]
    lines += [label for _, _, label, _ in rest]
    head, tail = rest[:by_column], rest[by_column:]
    lines += [values[c] for c in range(len(r.columns())) for *_, values in head]
    lines += [value for *_, values in tail for value in values]
    return _with_section(r, "requests", lines)
