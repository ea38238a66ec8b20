"""A made-up report laid out as lines and tables of spanned cells, and what each reader
should make of it.

`made_up_report()` describes one report (a fictional agency, 2021 template) as a
`layouts.MadeUp`, like every made-up report, with numbers of its own: every table
cell holds a non-zero number no other cell holds, so a value read from the wrong cell
cannot pass by accident; the arithmetic of the template (totals, 勾稽关系) holds. It
comes laid out (`lay_out`) as a `MadeUpReport`: headings, paragraphs and tables of
spanned cells (`corpus.grid.SpanCell`, the same layout an HTML page gives), which
madeup/files.py prints as plain text, PDF and Word, so the parser can be asked
whether the three containers read back the same figures, sections and metadata.

`expected_figures` gives the figures of the description; `expected_blocks` gives
the `Document.blocks` a PDF or Word reader should return for the layout: tables
expanded on a grid with span copies marked, paragraphs as lines (the PDF prints each
paragraph pre-wrapped at `PDF_LINE_CHARS` characters, as published PDFs do, so its
lines are known exactly).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from corpus.document import Document, Table
from corpus.grid import SpanCell, expand
from corpus.report import APPEAL_CELLS, APPEAL_GROUPS, RESULT_ROWS_2021, REQUEST_COLUMNS
from madeup.layouts import SECTION_TITLES, MadeUp

S = SpanCell
PDF_LINE_CHARS = 30


@dataclass
class MadeUpReport:
    """A report laid out: its lines and spanned tables in order (and the description)."""

    agency: str
    region: str
    year: int
    published: str  # ISO date
    blocks: list = field(default_factory=list)  # ("line", str) | ("table", list[list[SpanCell]])
    made: MadeUp | None = None

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    def tables(self) -> list[list[list[SpanCell]]]:
        return [spec for kind, spec in self.blocks if kind == "table"]


# --- numbers -------------------------------------------------------------------------

APPLICANTS = 6
RESULT_ROWS = 21


def _numbers(seed: int) -> dict | None:
    """All figures of the report, or None if this seed repeats a value somewhere."""
    rng = random.Random(seed)
    pool = rng.sample(range(1, 400), RESULT_ROWS * APPLICANTS + 2 * APPLICANTS + 9 + 12 + 2)
    take = iter(pool)
    results = [[next(take) for _ in range(APPLICANTS)] for _ in range(RESULT_ROWS)]
    carried_over = [next(take) for _ in range(APPLICANTS)]
    carried_forward = [next(take) for _ in range(APPLICANTS)]
    total = [sum(row[c] for row in results) for c in range(APPLICANTS)]
    new = [total[c] + carried_forward[c] - carried_over[c] for c in range(APPLICANTS)]
    table3 = {"new": new, "carried_over": carried_over}
    for i, row in enumerate(results):
        table3[f"r{i}"] = row
    table3["total"] = total
    table3["carried_forward"] = carried_forward
    for row in table3.values():
        row.append(sum(row[:APPLICANTS]))  # the 总计 column
    proactive = [next(take) for _ in range(9)]
    appeals = []
    for _ in range(3):
        four = [next(take) for _ in range(4)]
        appeals += four + [sum(four)]
    fees = f"{next(take)}.{next(take) % 90 + 10}"
    values = [v for row in table3.values() for v in row] + proactive + appeals
    if len(set(values)) != len(values) or min(values) <= 0:
        return None
    return {"table3": table3, "proactive": proactive, "appeals": appeals, "fees": fees}


def _first_good_numbers() -> dict:
    for seed in range(10000):
        numbers = _numbers(seed)
        if numbers:
            return numbers
    raise AssertionError("no seed gives distinct numbers")


def _figures(n: dict) -> dict:
    """The numbers as the schema's figure keys."""
    figures: dict = {}
    p = n["proactive"]
    for key, values in (("rules", p[0:3]), ("normative", p[3:6])):
        for column, value in zip(("issued", "repealed", "in_force"), values):
            figures[f"proactive.{key}.{column}"] = value
    for key, value in (("licensing", p[6]), ("penalty", p[7]), ("coercion", p[8])):
        figures[f"proactive.{key}.decisions"] = value
    figures["proactive.fees.amount"] = float(n["fees"])
    t = n["table3"]
    rows = [t["new"], t["carried_over"], *(t[f"r{i}"] for i in range(RESULT_ROWS)), t["total"], t["carried_forward"]]
    for key, row in zip(("new", "carried_over", *RESULT_ROWS_2021, "total", "carried_forward"), rows):
        for column, value in zip(REQUEST_COLUMNS, row):
            figures[f"requests.{key}.{column}"] = value
    cells = iter(n["appeals"])
    for group in APPEAL_GROUPS:
        for cell in APPEAL_CELLS:
            figures[f"appeals.{group}.{cell}"] = next(cells)
    return figures


# --- the tables, from the figures ----------------------------------------------------------

RESULT_LABELS = [
    ("（一）予以公开", None),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("（三）不予公开", "1.属于国家秘密"),
    (None, "2.其他法律行政法规禁止公开"),
    (None, "3.危及“三安全一稳定”"),
    (None, "4.保护第三方合法权益"),
    (None, "5.属于三类内部事务信息"),
    (None, "6.属于四类过程性信息"),
    (None, "7.属于行政执法案卷"),
    (None, "8.属于行政查询事项"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息"),
    (None, "2.没有现成信息需要另行制作"),
    (None, "3.补正后申请内容仍不明确"),
    ("（五）不予处理", "1.信访举报投诉类申请"),
    (None, "2.重复申请"),
    (None, "3.要求提供公开出版物"),
    (None, "4.无正当理由大量反复申请"),
    (None, "5.要求行政机关确认或重新出具已获取信息"),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    (None, "3.其他"),
]
GROUP_ROWS = {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}


def _show(value) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _values(figures: dict, keys) -> list[SpanCell]:
    return [S(_show(figures[key])) for key in keys]


def table2(figures: dict) -> list[list[SpanCell]]:
    def one(key):
        return S(_show(figures[key]), colspan=3)

    return [
        [S("第二十条第（一）项", colspan=4)],
        [S("信息内容"), S("本年制发件数"), S("本年废止件数"), S("现行有效件数")],
        [S("规章"), *_values(figures, (f"proactive.rules.{c}" for c in ("issued", "repealed", "in_force")))],
        [S("行政规范性文件"),
         *_values(figures, (f"proactive.normative.{c}" for c in ("issued", "repealed", "in_force")))],
        [S("第二十条第（五）项", colspan=4)],
        [S("信息内容"), S("本年处理决定数量", colspan=3)],
        [S("行政许可"), one("proactive.licensing.decisions")],
        [S("第二十条第（六）项", colspan=4)],
        [S("信息内容"), S("本年处理决定数量", colspan=3)],
        [S("行政处罚"), one("proactive.penalty.decisions")],
        [S("行政强制"), one("proactive.coercion.decisions")],
        [S("第二十条第（八）项", colspan=4)],
        [S("信息内容"), S("本年收费金额（单位：万元）", colspan=3)],
        [S("行政事业性收费"), one("proactive.fees.amount")],
    ]


def table3(figures: dict) -> list[list[SpanCell]]:
    def row_values(key):
        return _values(figures, (f"requests.{key}.{c}" for c in REQUEST_COLUMNS))

    rows = [
        [S("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
         S("申请人情况", colspan=7)],
        [S("自然人", rowspan=2), S("法人或其他组织", colspan=5), S("总计", rowspan=2)],
        [S("商业企业"), S("科研机构"), S("社会公益组织"), S("法律服务机构"), S("其他")],
        [S("一、本年新收政府信息公开申请数量", colspan=3), *row_values("new")],
        [S("二、上年结转政府信息公开申请数量", colspan=3), *row_values("carried_over")],
    ]
    for i, ((group, item), key) in enumerate(zip(RESULT_LABELS, RESULT_ROWS_2021)):
        row = [S("三、本年度办理结果", rowspan=RESULT_ROWS + 1)] if i == 0 else []
        if item is None:
            row.append(S(group, colspan=2))
        else:
            if group:
                row.append(S(group, rowspan=GROUP_ROWS[group]))
            row.append(S(item))
        rows.append(row + row_values(key))
    rows.append([S("（七）总计", colspan=2), *row_values("total")])
    rows.append([S("四、结转下年度继续办理", colspan=3), *row_values("carried_forward")])
    return rows


def table4(figures: dict) -> list[list[SpanCell]]:
    outcome = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [S("行政复议", colspan=5), S("行政诉讼", colspan=10)],
        [*(S(label, rowspan=2) for label in outcome), S("未经复议直接起诉", colspan=5), S("复议后起诉", colspan=5)],
        [*(S(label) for label in outcome), *(S(label) for label in outcome)],
        _values(figures, (f"appeals.{g}.{c}" for g in APPEAL_GROUPS for c in APPEAL_CELLS)),
    ]


# --- the report ----------------------------------------------------------------------

TABLES = {"proactive": table2, "requests": table3, "appeals": table4}


def lay_out(made: MadeUp) -> MadeUpReport:
    """The report as lines and spanned tables: its title and preamble, each section's
    heading, paragraphs and table (2021 template), the agency's signature and date."""
    if made.template != 2021:
        raise ValueError("only the 2021 template's tables are laid out as spanned cells")
    report = MadeUpReport(agency=made.agency, region=made.region, year=made.year,
                          published=made.published, made=made)
    lines = [report.title, *made.preamble]
    for key, paragraphs in made.texts.items():
        lines += [SECTION_TITLES[key], *paragraphs]
        if key in TABLES:
            report.blocks += [("line", line) for line in lines]
            report.blocks.append(("table", TABLES[key](made.figures)))
            lines = []
    year, month, day = (int(part) for part in made.published.split("-"))
    lines += [made.agency, f"{year}年{month}月{day}日"]
    report.blocks += [("line", line) for line in lines]
    return report


def made_up_report() -> MadeUpReport:
    """青禾市数据资源管理局's (fictional) 2023 report, 2021 template, laid out."""
    agency = "青禾市数据资源管理局"
    texts = {
        "overview": [
            "2023年，我局认真贯彻落实政府信息公开条例，围绕数据资源管理中心工作，"
            "持续完善公开制度，丰富公开载体，提升公开质量。",
            "（一）主动公开",
            "全年通过门户网站主动公开政府信息一百余条，其中政策文件及解读类信息占三成，"
            "财政预决算信息按时公开，政务新媒体同步发布。",
            "（二）依申请公开",
            "严格执行依申请公开办理规程，畅通受理渠道，规范答复文书，全部申请均在法定期限内答复。",
            "（三）政府信息管理",
            "落实信息发布审核制度，坚持先审后发，定期清理过时信息，保证信息准确规范。",
            "（四）平台建设",
            "优化门户网站政府信息公开专栏，完善栏目设置，提升检索便利度。",
            "（五）监督保障",
            "明确分管领导和责任科室，将政务公开工作纳入年度考核，开展业务培训两次。",
        ],
        "proactive": [], "requests": [], "appeals": [],
        "problems": ["一是公开内容的深度还不够，政策解读形式较单一；二是依申请公开答复的说理还需加强。"
                     "下一步，我局将丰富解读形式，规范答复说理，持续提升公开质量。"],
        "other": ["本年度未收取信息处理费。本局无其他需要报告的事项。"],
    }
    preamble = ["根据《中华人民共和国政府信息公开条例》规定，现公布本局2023年度政府信息公开工作年度报告。"
                "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。"]
    made = MadeUp(agency=agency, region="青禾市", year=2023, published="2024-01-18", template=2021,
                  figures=_figures(_first_good_numbers()), texts=texts, preamble=preamble)
    return lay_out(made)


def expected_figures(report: MadeUpReport) -> dict[str, float]:
    """The figures the schema defines for the report: those of its description."""
    return {key: float(value) for key, value in report.made.figures.items()}


# --- expected reader output -------------------------------------------------------------

def wrap(text: str, width: int = PDF_LINE_CHARS) -> list[str]:
    """`text` cut into lines of `width` characters, as the PDF prints a paragraph."""
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def expected_blocks(report: MadeUpReport, wrapped: bool) -> list:
    """The blocks a PDF (wrapped=True) or Word (wrapped=False) reader should return."""
    blocks: list = []
    for kind, item in report.blocks:
        if kind == "table":
            blocks.append(expand(item))
        else:
            blocks.extend(wrap(item) if wrapped else [item])
    return blocks


def document_lines(document: Document) -> list[str]:
    """A Document's blocks as lines (tables one row a line), for readable assertion diffs."""
    out = []
    for block in document.blocks:
        if isinstance(block, Table):
            out.extend("|".join(("~" if c.copy else "") + c.text for c in row) for row in block.rows)
        else:
            out.append(block)
    return out
