"""Made-up reports in every layout the parser meets, from one description each.

`made_up(seed, template)` invents a report: a fictional agency, its sections and
every figure of its three tables (non-zero numbers, arithmetic that holds unless a
slip is asked for; table 3's cells are small and many repeat, so for a reading that
must not pass with a value from the wrong cell use `madeup.spanned`, whose cells are
all distinct). The renderers below print that one report the ways agencies publish
them: PDF-extracted text (one cell per line, wrapped and vertical labels, page
footers, form feeds, a spaced-out letterhead), PDF text with whole rows on a line,
plain text without tables, Markdown with pipe tables or tab tables, and an HTML page
with spans. A test parses the rendering and compares with the description it came
from.
"""
from __future__ import annotations

import html
import random
from dataclasses import dataclass, field

from corpus.report import (
    APPEAL_CELLS, APPEAL_GROUPS, APPLICANT_COLUMNS, PROACTIVE_2019, PROACTIVE_2021,
    REQUEST_COLUMNS, RESULT_ROWS_2019, RESULT_ROWS_2021,
)

REQUEST_LABELS = {
    "new": (None, "一、本年新收政府信息公开申请数量"),
    "carried_over": (None, "二、上年结转政府信息公开申请数量"),
    "granted": (None, "（一）予以公开"),
    "partial": (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    "withheld_secret": ("（三）不予公开", "1.属于国家秘密"),
    "withheld_law": ("（三）不予公开", "2.其他法律行政法规禁止公开"),
    "withheld_safety": ("（三）不予公开", "3.危及“三安全一稳定”"),
    "withheld_third_party": ("（三）不予公开", "4.保护第三方合法权益"),
    "withheld_internal": ("（三）不予公开", "5.属于三类内部事务信息"),
    "withheld_process": ("（三）不予公开", "6.属于四类过程性信息"),
    "withheld_enforcement": ("（三）不予公开", "7.属于行政执法案卷"),
    "withheld_query": ("（三）不予公开", "8.属于行政查询事项"),
    "unavailable_not_held": ("（四）无法提供", "1.本机关不掌握相关政府信息"),
    "unavailable_create": ("（四）无法提供", "2.没有现成信息需要另行制作"),
    "unavailable_unclear": ("（四）无法提供", "3.补正后申请内容仍不明确"),
    "rejected_petition": ("（五）不予处理", "1.信访举报投诉类申请"),
    "rejected_repeat": ("（五）不予处理", "2.重复申请"),
    "rejected_publication": ("（五）不予处理", "3.要求提供公开出版物"),
    "rejected_mass": ("（五）不予处理", "4.无正当理由大量反复申请"),
    "rejected_confirm": ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    "other_no_correction": ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    "other_no_fee": ("（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    "other_other": ("（六）其他处理", "3.其他"),
    "other_all": (None, "（六）其他处理"),
    "total": (None, "（七）总计"),
    "carried_forward": (None, "四、结转下年度继续办理"),
}
PROACTIVE_LABELS = {
    "rules": "规章", "normative": "行政规范性文件", "licensing": "行政许可", "other_services": "其他对外管理服务事项",
    "penalty": "行政处罚", "coercion": "行政强制", "fees": "行政事业性收费", "procurement": "政府集中采购",
}
PROACTIVE_HEADERS_2021 = {
    "第二十条第（一）项": (("rules", "normative"), ("本年制发件数", "本年废止件数", "现行有效件数")),
    "第二十条第（五）项": (("licensing",), ("本年处理决定数量",)),
    "第二十条第（六）项": (("penalty", "coercion"), ("本年处理决定数量",)),
    "第二十条第（八）项": (("fees",), ("本年收费金额（单位：万元）",)),
}
PROACTIVE_HEADERS_2019 = {
    "第二十条第（一）项": (("rules", "normative"), ("本年新制作数量", "本年新公开数量", "对外公开总数量")),
    "第二十条第（五）项": (("licensing", "other_services"), ("上一年项目数量", "本年增/减", "处理决定数量")),
    "第二十条第（六）项": (("penalty", "coercion"), ("上一年项目数量", "本年增/减", "处理决定数量")),
    "第二十条第（八）项": (("fees",), ("上一年项目数量", "本年增/减")),
    "第二十条第（九）项": (("procurement",), ("采购项目数量", "采购总金额（万元）")),
}
COLUMN_HEADERS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
APPEAL_HEADERS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

AGENCIES = [
    ("青禾市", "青禾市数据资源管理局"), ("云岭县", "云岭县农业农村局"),
    ("北川市南湖区", "北川市南湖区卫生健康委员会"), ("东澜市", "东澜市市场监督管理局"),
    ("西陵市", "西陵市住房和城乡建设局"), ("临江市石桥镇", "临江市石桥镇人民政府"),
]
SECTION_TITLES = {
    "overview": "一、总体情况", "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况", "appeals": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项",
}


@dataclass
class MadeUp:
    agency: str
    region: str
    year: int
    published: str
    template: int
    figures: dict
    texts: dict = field(default_factory=dict)   # section key -> paragraphs
    slip: list = field(default_factory=list)     # the checks that must fail
    total_only: bool = False
    preamble: list = field(default_factory=list)   # paragraphs between the title and the first heading

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    def results(self):
        return RESULT_ROWS_2021 if self.template == 2021 else RESULT_ROWS_2019

    def request_rows(self):
        return ("new", "carried_over", *self.results(), "total", "carried_forward")

    def columns(self):
        return ("total",) if self.total_only else REQUEST_COLUMNS

    def proactive(self):
        return PROACTIVE_2021 if self.template == 2021 else PROACTIVE_2019

    def headers(self):
        return PROACTIVE_HEADERS_2021 if self.template == 2021 else PROACTIVE_HEADERS_2019


def made_up(seed: int, template: int = 2021, slip: bool = False, total_only: bool = False,
            sections=("overview", "proactive", "requests", "appeals", "problems", "other")) -> MadeUp:
    """A made-up report whose every figure is a non-zero number (table 3's repeat)."""
    rng = random.Random(seed)
    region, agency = AGENCIES[seed % len(AGENCIES)]
    year = 2019 + seed % 6
    numbers = iter(rng.sample(range(1, 900), 400))
    figures: dict = {}
    rows = RESULT_ROWS_2021 if template == 2021 else RESULT_ROWS_2019
    for column in APPLICANT_COLUMNS:
        for row in rows:
            figures[f"requests.{row}.{column}"] = next(numbers) % 40 + 1
        total = sum(figures[f"requests.{row}.{column}"] for row in rows)
        figures[f"requests.total.{column}"] = total
        carried_over = next(numbers) % 9 + 1
        carried_forward = next(numbers) % 9 + 1
        figures[f"requests.carried_over.{column}"] = carried_over
        figures[f"requests.carried_forward.{column}"] = carried_forward
        figures[f"requests.new.{column}"] = total + carried_forward - carried_over
    for row in ("new", "carried_over", *rows, "total", "carried_forward"):
        figures[f"requests.{row}.total"] = sum(figures[f"requests.{row}.{c}"] for c in APPLICANT_COLUMNS)
    if total_only:
        figures = {k: v for k, v in figures.items() if k.endswith(".total")}
    proactive = PROACTIVE_2021 if template == 2021 else PROACTIVE_2019
    for row, cols in proactive.items():
        for col in cols:
            figures[f"proactive.{row}.{col}"] = next(numbers)
    if template == 2019:
        figures["proactive.licensing.change"] = -(next(numbers) % 9 + 1)   # printed 减N
        figures["proactive.penalty.change"] = next(numbers) % 9 + 1         # printed 增N
    fee_key = "proactive.fees.amount" if template == 2021 else "proactive.procurement.amount"
    figures[fee_key] = next(numbers) + 0.5
    for group in APPEAL_GROUPS:
        four = [next(numbers) % 30 + 1 for _ in range(4)]
        for cell, value in zip(APPEAL_CELLS, four + [sum(four)]):
            figures[f"appeals.{group}.{cell}"] = value
    failing = []
    if slip:  # one cell off by one: its column's results and its row's total no longer add up
        key = "requests.total.total" if total_only else "requests.granted.natural"
        figures[key] += 1
        failing = ["balance.total", "results.total"] if total_only else ["results.natural", "row_total.granted"]
    texts = {
        "overview": [f"{year}年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，持续深化政务公开，"
                     f"全年主动公开政府信息{rng.randint(100, 999)}条，编号{seed}的专项公开工作按期完成，"
                     "围绕重点领域加大公开力度，积极回应社会关切，取得了较好成效。",
                     "（一）主动公开", "通过门户网站、政务新媒体等渠道及时公开政策文件和工作动态。"],
        "proactive": [], "requests": [], "appeals": [],
        "problems": ["一是公开内容的深度还需拓展；二是政策解读形式较为单一。下一步，我局将加强培训，提升公开质量。"],
        "other": ["本年度未收取信息处理费。"],
    }
    texts = {k: v for k, v in texts.items() if k in sections}
    return MadeUp(agency, region, year, f"{year + 1}-01-{10 + seed % 18:02d}", template, figures,
                  texts, failing, total_only)


# ---- rows of cells, shared by every layout --------------------------------------

def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def proactive_rows(r: MadeUp):
    """[(label cells, value cells)] of table 2, headers included as label-only rows."""
    out = []
    for header, (rows, columns) in r.headers().items():
        out.append(([header], []))
        out.append((["信息内容", *columns], []))
        for row in rows:
            values = []
            for col in r.proactive()[row]:
                value = r.figures[f"proactive.{row}.{col}"]
                if col == "change":
                    value = ("减" if value < 0 else "增") + str(abs(value))
                values.append(_show(value))
            out.append(([PROACTIVE_LABELS[row]], values))
    return out


def request_rows(r: MadeUp):
    out = []
    for row in r.request_rows():
        group, label = REQUEST_LABELS[row]
        values = [_show(r.figures[f"requests.{row}.{c}"]) for c in r.columns()]
        out.append((row, group, label, values))
    return out


def appeal_values(r: MadeUp) -> list[str]:
    return [_show(r.figures[f"appeals.{g}.{c}"]) for g in APPEAL_GROUPS for c in APPEAL_CELLS]


# ---- PDF-extracted text -----------------------------------------------------------

def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def pdf_text(r: MadeUp, rows_on_one_line: bool = False) -> str:
    """As text extracted from a PDF: wrapped at 30 characters, cells one per line (or
    whole rows on a line), labels wrapped, vertical labels, footers mid-table."""
    lines = [" ".join(r.agency) + " 文件", "", r.agency, f"{r.year} 年政府信息公开工作年度报告", ""]
    for paragraph in r.preamble:
        lines += _wrap(paragraph, 30)
    for key, paragraphs in r.texts.items():
        lines.append(SECTION_TITLES[key])
        for paragraph in paragraphs:
            lines += _wrap(paragraph, 30)
        if key == "proactive":
            for labels, values in proactive_rows(r):
                if values:
                    lines.append(" ".join(labels + values) if rows_on_one_line else labels[0])
                    if not rows_on_one_line:
                        lines += values
                else:
                    lines.append(" ".join(labels))
        if key == "requests":
            lines += ["（本列数据的勾稽关系为：第一项加", "第二项之和，等于第三项加第四项之", "和）",
                      "申请人情况", "自", "然", "人", "法人或其他组织", "总计商业", "企业", "科研", "机构",
                      "社会", "公益", "组织", "法律", "服务", "机构", "其", "他"]
            for n, (row, group, label, values) in enumerate(request_rows(r)):
                if row == "granted":
                    lines += ["三", "、", "本", "年", "度", "办", "理", "结", "果"]
                if group and label.startswith("1."):
                    lines += _wrap(group, 5)
                if n == 12:
                    lines += ["— 3 —", "第 3 页", "\f"]
                wrapped = _wrap(label, 9)
                if rows_on_one_line:
                    lines += wrapped[:-1] + [wrapped[-1] + " " + " ".join(values)]
                else:
                    lines += wrapped + values
        if key == "appeals":
            lines += ["行政复议 行政诉讼"]
            vertical = [ch for header in APPEAL_HEADERS for ch in header]
            lines += vertical + ["未经复议直接起诉 复议后起诉"] + vertical + vertical
            lines.append(" ".join(appeal_values(r)))
    lines += ["", r.agency, _chinese_date(r.published)]
    return "\n".join(lines) + "\n"


def _chinese_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{y} 年 {int(m)} 月 {int(d)} 日"


# ---- plain text: headings and paragraphs only -----------------------------------

def plain_text(r: MadeUp, wrap: int = 0) -> str:
    """As a plain .txt: the title, each section's heading and paragraphs (cut into lines
    of `wrap` characters when `wrap` > 0), the agency's signature and date; no tables."""
    lines = [r.title, ""]
    for paragraph in r.preamble:
        lines += _wrap(paragraph, wrap) if wrap else [paragraph]
    for key, paragraphs in r.texts.items():
        lines.append(SECTION_TITLES[key])
        for paragraph in paragraphs:
            lines += _wrap(paragraph, wrap) if wrap else [paragraph]
    lines += [r.agency, _chinese_date(r.published).replace(" ", ""), ""]
    return "\n".join(lines)


# ---- Markdown: pipe and tab tables ------------------------------------------------

def markdown(r: MadeUp, sep: str = "|") -> str:
    """As a Markdown conversion: # headings, ** sub-headings, pipe or tab tables with filler cells."""
    def row(cells):
        if sep == "|":
            return "| " + " | ".join(cells) + " |"
        return "\t".join(cells)

    out = [f"# {r.agency}", "", f"## {r.agency} {r.year} 年政府信息公开工作年度报告", ""]
    for paragraph in r.preamble:
        out += [paragraph, ""]
    for key, paragraphs in r.texts.items():
        out += [f"### {SECTION_TITLES[key]}", ""]
        for paragraph in paragraphs:
            out += [f"**{paragraph}**" if paragraph.startswith("（") else paragraph, ""]
        if key == "proactive":
            for labels, values in proactive_rows(r):
                cells = labels + values
                out.append(row(cells + [""] * (4 - len(cells))))
                if sep == "|" and labels[0].startswith("第二十条第（一）"):
                    out.append(row(["---"] * 4))
            out.append("")
        if key == "requests":
            out.append(row(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "申请人情况"]))
            out.append(row(["", "", *COLUMN_HEADERS[-len(r.columns()):]]))
            for name, group, label, values in request_rows(r):
                lead = ["三、本年度办理结果"] if name == "granted" else [""]
                if group is None:
                    cells = [label, ""] if name in ("new", "carried_over", "carried_forward", "total") else lead + [label]
                else:
                    cells = lead + [group if label.startswith("1.") else "", label]
                out.append(row(cells + values + [""]))
            out.append("")
        if key == "appeals":
            out.append(row(["行政复议", "", "", "", "", "行政诉讼"]))
            out.append(row([*APPEAL_HEADERS, "未经复议直接起诉", "", "", "", "", "复议后起诉"]))
            out.append(row(["", "", "", "", "", *APPEAL_HEADERS, *APPEAL_HEADERS]))
            out.append(row(appeal_values(r)))
            out.append("")
    out += [r.agency, _chinese_date(r.published).replace(" ", "")]
    return "\n".join(out) + "\n"


# ---- HTML page ------------------------------------------------------------------

def _td(text: str, rowspan: int = 1, colspan: int = 1, split_digits: bool = True) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    if not text:
        inner = "&nbsp;"
    elif split_digits and text.isdigit() and len(text) > 1:
        inner = "".join(f"<span>{d}</span>" for d in text)     # Word splits numbers over spans
    else:
        inner = "<br>".join(html.escape(part) for part in text.split("\n"))
    return f"<td{attrs}><p>{inner}</p></td>"


def html_page(r: MadeUp, blanks: tuple[str, ...] = ()) -> str:
    """As a government web page: navigation, a 发布时间 line, tables with row/col spans.
    Figures named in `blanks` are printed as empty cells (they must read as 0)."""
    def value(key):
        return "" if key in blanks else _show(r.figures[key])

    body = [f'<div class="article_title">{r.title}</div>',
            f'<div class="info"><span>来源：{r.agency}</span> <span>发布时间：{r.published}</span></div>',
            '<div class="TRS_Editor">']
    body += [f"<p>{html.escape(p)}</p>" for p in r.preamble]
    for key, paragraphs in r.texts.items():
        body.append(f"<p><strong>{SECTION_TITLES[key]}</strong></p>")
        body += [f"<p>{html.escape(p)}</p>" for p in paragraphs]
        if key == "proactive":
            body.append("<table>")
            for labels, values in proactive_rows(r):
                cells = [_td(labels[0], colspan=1 if values or len(labels) > 1 else 4)] + [_td(t) for t in labels[1:]]
                cells += [_td(v, colspan=3 if len(values) == 1 else 1) for v in values]
                body.append("<tr>" + "".join(cells) + "</tr>")
            body.append("</table>")
        if key == "requests":
            body.append("<table>")
            body.append("<tr>" + _td("（本列数据的勾稽关系为：第一项加第二项之和，\n等于第三项加第四项之和）", 3, 3)
                        + _td("申请人情况", colspan=len(r.columns())) + "</tr>")
            if r.total_only:
                body.append("<tr>" + _td("总计", rowspan=2) + "</tr><tr></tr>")
            else:
                body.append("<tr>" + _td("自然人", 2) + _td("法人或其他组织", colspan=5) + _td("总计", 2) + "</tr>")
                body.append("<tr>" + "".join(_td(h) for h in COLUMN_HEADERS[1:6]) + "</tr>")
            seen_groups = set()
            results = r.results()
            for name, group, label, _ in request_rows(r):
                cells = []
                if name == "granted":
                    cells.append(_td("三、本年度\n办理结果", rowspan=len(results)))
                if group is None:
                    span = 3 if name in ("new", "carried_over", "carried_forward") else 2
                    cells.append(_td(label, colspan=span))
                else:
                    if group not in seen_groups:
                        seen_groups.add(group)
                        size = sum(1 for n in results if REQUEST_LABELS[n][0] == group)
                        cells.append(_td(group, rowspan=size))
                    cells.append(_td(label))
                cells += [_td(value(f"requests.{name}.{c}")) for c in r.columns()]
                body.append("<tr>" + "".join(cells) + "</tr>")
            body.append("</table>")
        if key == "appeals":
            body.append("<table><tr>" + _td("行政复议", colspan=5) + _td("行政诉讼", colspan=10) + "</tr>")
            body.append("<tr>" + "".join(_td(h.replace("结果", "结果\n"), rowspan=2) for h in APPEAL_HEADERS)
                        + _td("未经复议直接起诉", colspan=5) + _td("复议后起诉", colspan=5) + "</tr>")
            body.append("<tr>" + "".join(_td(h) for h in APPEAL_HEADERS * 2) + "</tr>")
            keys = [f"appeals.{g}.{c}" for g in APPEAL_GROUPS for c in APPEAL_CELLS]
            body.append("<tr>" + "".join(_td(value(k)) for k in keys) + "</tr></table>")
    body.append("</div>")
    nav = '<div class="nav"><a href="/">首页</a> <a href="/x">2022年政府信息公开工作年度报告</a></div>'
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{r.title}_某某网站</title>"
            f"<script>var x = '<p>一、总体情况</p>';</script></head><body>{nav}"
            + "\n".join(body) + '<div class="footer">版权所有 主办单位</div></body></html>')
