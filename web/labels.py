"""Chinese names for the schema's keys, as the national template prints them.

The keys (``requests.new.total`` …) are the schema's; these are only how the site
shows them. `figure_label(key)` names any figure key; the dictionaries are the row
and column headings the report page's tables use; `check_detail(rule, detail)` puts a
check's detail (``new 0 + carried_over 0 …``) in Chinese.
"""
from __future__ import annotations

import re

from corpus.report import ALL_FIGURE_KEYS, SECTION_TITLES

SECTION_NAMES = {key: title.split("、", 1)[1] for key, title in SECTION_TITLES.items()}

# Table 2 — 主动公开政府信息情况
PROACTIVE_ROWS = {
    "rules": "规章",
    "normative": "规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}
PROACTIVE_COLUMNS = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount": "金额（万元）",
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "public_total": "对外公开总数量",
    "prev_items": "上一年项目数量",
    "change": "本年增/减",
    "items": "采购项目数量",
}

# Table 3 — 收到和处理政府信息公开申请情况
REQUEST_COLUMNS = {
    "natural": "自然人",
    "business": "商业企业",
    "research": "科研机构",
    "social": "社会公益组织",
    "legal": "法律服务机构",
    "other": "其他",
    "total": "总计",
}
REQUEST_ROWS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partial": "（二）部分公开",
    "withheld_secret": "（三）不予公开 1.属于国家秘密",
    "withheld_law": "（三）不予公开 2.其他法律行政法规禁止公开",
    "withheld_safety": "（三）不予公开 3.危及“三安全一稳定”",
    "withheld_third_party": "（三）不予公开 4.保护第三方合法权益",
    "withheld_internal": "（三）不予公开 5.属于三类内部事务信息",
    "withheld_process": "（三）不予公开 6.属于四类过程性信息",
    "withheld_enforcement": "（三）不予公开 7.属于行政执法案卷",
    "withheld_query": "（三）不予公开 8.属于行政查询事项",
    "unavailable_not_held": "（四）无法提供 1.本机关不掌握相关政府信息",
    "unavailable_create": "（四）无法提供 2.没有现成信息需要另行制作",
    "unavailable_unclear": "（四）无法提供 3.补正后申请内容仍不明确",
    "rejected_petition": "（五）不予处理 1.信访举报投诉类申请",
    "rejected_repeat": "（五）不予处理 2.重复申请",
    "rejected_publication": "（五）不予处理 3.要求提供公开出版物",
    "rejected_mass": "（五）不予处理 4.无正当理由大量反复申请",
    "rejected_confirm": "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "（六）其他处理 1.申请人无正当理由逾期不补正",
    "other_no_fee": "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用",
    "other_other": "（六）其他处理 3.其他",
    "other_all": "（六）其他处理",
    "total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}

# Table 4 — 政府信息公开行政复议、行政诉讼情况
APPEAL_GROUPS = {
    "review": "行政复议",
    "suit_direct": "行政诉讼·未经复议直接起诉",
    "suit_after_review": "行政诉讼·复议后起诉",
}
APPEAL_CELLS = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}

# Checks — the template's arithmetic rules (勾稽关系)
CHECK_RULES = {
    "balance": "新收 + 上年结转 = 总计 + 结转下年度",
    "results": "总计 = 各项处理结果之和",
    "row_total": "总计列 = 各类申请人之和",
    "appeals": "总计 = 维持 + 纠正 + 其他结果 + 尚未审结",
}
# What a total-of-parts rule adds up, for saying where a printed total contradicts its parts.
CHECK_PARTS = {
    "results": "各项处理结果",
    "row_total": "各类申请人",
    "appeals": "结果维持、结果纠正、其他结果、尚未审结",
}


# Figures summed from parts of a table (corpus.report.SUMMED_FIGURES).
SUMMED_LABELS = {"appeals.suits.total": "行政诉讼·总计（直接起诉与复议后起诉之和）"}


def figure_label(key: str) -> str:
    """A short Chinese name for a figure key; the key itself when it is unknown."""
    if key in SUMMED_LABELS:
        return SUMMED_LABELS[key]
    parts = key.split(".")
    if len(parts) != 3:
        return key
    table, row, column = parts
    if table == "proactive" and row in PROACTIVE_ROWS and column in PROACTIVE_COLUMNS:
        return f"{PROACTIVE_ROWS[row]}·{PROACTIVE_COLUMNS[column]}"
    if table == "requests" and row in REQUEST_ROWS and column in REQUEST_COLUMNS:
        if row == "total" and column == "total":
            return REQUEST_ROWS[row]           # （七）总计, not （七）总计·总计
        return f"{REQUEST_ROWS[row]}·{REQUEST_COLUMNS[column]}"
    if table == "appeals" and row in APPEAL_GROUPS and column in APPEAL_CELLS:
        return f"{APPEAL_GROUPS[row]}·{APPEAL_CELLS[column]}"
    return key


def check_label(rule: str) -> str:
    """A Chinese name for a check rule such as ``balance.total`` or ``appeals.review``."""
    kind, _, subject = rule.partition(".")
    what = CHECK_RULES.get(kind)
    if what is None:
        return rule
    # balance.<column>, results.<column>, row_total.<row>, appeals.<group>
    names = {"balance": REQUEST_COLUMNS, "results": REQUEST_COLUMNS,
             "row_total": REQUEST_ROWS, "appeals": APPEAL_GROUPS}[kind]
    return f"{names.get(subject, subject)}：{what}"


# A figure named in a check's detail: "new.total 3", "carried_over 0", "review.upheld 1".
_DETAIL_TERM = re.compile(r"\b([a-z][a-z_]*(?:\.[a-z_]+)*) (-?\d+(?:\.\d+)?)")


def _detail_key(token: str, rule: str) -> str | None:
    """The full figure key a check detail's short name stands for (None if unknown)."""
    subject = rule.partition(".")[2]
    for key in (token, f"requests.{token}", f"appeals.{token}", f"proactive.{token}",
                f"requests.{token}.{subject}", f"requests.{subject}.{token}", f"appeals.{subject}.{token}"):
        if key in ALL_FIGURE_KEYS:
            return key
    return None


def _short_label(key: str, shared_row: bool, shared_column: bool) -> str:
    """A figure's label without the part every figure of the check shares."""
    table, row, column = key.split(".")
    rows = {"requests": REQUEST_ROWS, "appeals": APPEAL_GROUPS, "proactive": PROACTIVE_ROWS}[table]
    columns = {"requests": REQUEST_COLUMNS, "appeals": APPEAL_CELLS, "proactive": PROACTIVE_COLUMNS}[table]
    if shared_row and column in columns:
        return columns[column]
    if shared_column and row in rows:
        return rows[row]
    return figure_label(key)


def check_detail(rule: str, detail: str) -> tuple[str, list[dict]]:
    """A check's detail in Chinese, and its figures for programs.

    ``new 0 + carried_over 0 = 0 = total 0 + carried_forward 0`` under ``balance.natural``
    reads ``一、本年新收政府信息公开申请数量 0 + 二、上年结转政府信息公开申请数量 0 = 0 = …``
    (the column every figure shares is named by the check's label, not repeated);
    the figures come back as ``[{"key": "requests.new.natural", "label": …, "value": 0}, …]``.
    A name that is no figure key is left as it is.
    """
    found = [(m, _detail_key(m.group(1), rule)) for m in _DETAIL_TERM.finditer(detail)]
    keys = [key for _, key in found if key]
    parts = [key.split(".") for key in keys]
    shared_row = len(keys) > 1 and len({(p[0], p[1]) for p in parts}) == 1
    shared_column = len(keys) > 1 and len({(p[0], p[2]) for p in parts}) == 1
    out, at, numbers = [], 0, []
    for match, key in found:
        if key is None:
            continue
        value = float(match.group(2))
        out += [detail[at:match.start()], _short_label(key, shared_row, shared_column), " ", match.group(2)]
        at = match.end()
        numbers.append({"key": key, "label": figure_label(key), "value": int(value) if value.is_integer() else value})
    out.append(detail[at:])
    return "".join(out), numbers


def check_json(check) -> dict:
    """A check (`corpus.report.Check` or `search.results.CheckRecord`) as the API gives it:
    its rule and label, the detail in Chinese, the figures it adds up, each by key (for
    programs), label and value, and — for a total that is not the sum of its parts — the
    total's cell and what its parts add to (else null)."""
    text, numbers = check_detail(check.rule, check.detail)
    return {"rule": check.rule, "ok": check.ok, "detail": text, "label": check_label(check.rule),
            "numbers": numbers, "cell": check.cell, "parts_sum": check.parts_sum}
