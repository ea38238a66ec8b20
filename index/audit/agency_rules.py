"""The rules that look at one agency's reports: arithmetic, cross_year, late, missing_year.

Each takes a report (and, where the rule needs them, the agency's reports by year)
and returns its findings as plain dicts (`index.audit.kinds.finding`). Pure
functions over `corpus.report.Report` records: no index, no I/O.
"""
from __future__ import annotations

import re
from datetime import date

from corpus.report import REQUEST_COLUMNS, Report
from index.audit.kinds import finding, number
from index.ids import report_id

COLUMN_NAMES = {"natural": "自然人", "business": "商业企业", "research": "科研机构",
                "social": "社会公益组织", "legal": "法律服务机构", "other": "其他", "total": "总计"}
RULE_NAMES = {"balance": "新收＋上年结转＝总计＋结转下年度", "results": "总计＝各项处理结果之和",
              "row_total": "总计列＝各类申请人之和", "appeals": "复议诉讼总计＝各项结果之和"}
# 《条例》第五十条: the report on a year is published by 31 January of the next year.
DEADLINE_MONTH, DEADLINE_DAY = 1, 31


# The names a check's detail uses (corpus.checks: "new 5 + carried_over 1 = 6 ≠ …"), in Chinese.
NAMES = {
    **COLUMN_NAMES, "new": "新收", "carried_over": "上年结转", "granted": "予以公开", "partial": "部分公开",
    "withheld_secret": "国家秘密", "withheld_law": "法律法规禁止", "withheld_safety": "危及三安全一稳定",
    "withheld_third_party": "第三方权益", "withheld_internal": "内部事务", "withheld_process": "过程性信息",
    "withheld_enforcement": "行政执法案卷", "withheld_query": "行政查询事项",
    "unavailable_not_held": "本机关不掌握", "unavailable_create": "需另行制作", "unavailable_unclear": "补正后仍不明确",
    "rejected_petition": "信访举报投诉", "rejected_repeat": "重复申请", "rejected_publication": "公开出版物",
    "rejected_mass": "大量反复申请", "rejected_confirm": "要求确认或重新出具",
    "other_no_correction": "逾期不补正", "other_no_fee": "逾期未缴费", "other_other": "其他处理·其他",
    "other_all": "其他处理", "carried_forward": "结转下年度",
    "review": "行政复议", "suit_direct": "直接起诉", "suit_after_review": "复议后起诉",
    "upheld": "维持", "corrected": "纠正", "pending": "尚未审结",
}
_NAME = re.compile(r"[a-z_]+(?:\.[a-z_]+)?")


def _in_chinese(detail: str) -> str:
    """A check's detail with its row and column names in Chinese ("total.natural" → 总计·自然人)."""
    return _NAME.sub(lambda m: "·".join(NAMES.get(part, part) for part in m.group(0).split(".")), detail)


def arithmetic(report: Report) -> list[dict]:
    """The report's failed template checks, as one finding listing the rules."""
    failed = [check for check in report.checks if not check.ok]
    if not failed:
        return []
    parts = [f"{_in_chinese(c.rule.partition('.')[2])}：{RULE_NAMES.get(c.rule.partition('.')[0], c.rule)}"
             f"（{_in_chinese(c.detail)}）" for c in failed]
    return [finding("arithmetic", f"表格中有 {len(failed)} 项勾稽关系不成立：" + "；".join(parts) + "。",
                    rules=[c.rule for c in failed])]


def cross_year(report: Report, previous: Report | None) -> list[dict]:
    """上年结转 of this report against 结转下年度 of the agency's report on the year before.

    Compared column by column where both reports print the number; one finding
    listing every column that differs (the 总计 column first).
    """
    if previous is None or previous.year != report.year - 1:
        return []
    columns = ["total"] + [c for c in REQUEST_COLUMNS if c != "total"]
    mismatches = []
    for column in columns:
        now = report.figures.get(f"requests.carried_over.{column}")
        before = previous.figures.get(f"requests.carried_forward.{column}")
        if now is not None and before is not None and abs(float(now) - float(before)) > 1e-6:
            mismatches.append({"column": column, "carried_over": now, "carried_forward": before})
    if not mismatches:
        return []
    other = report_id(previous.agency, previous.year)
    said = "；".join(f"{COLUMN_NAMES[m['column']]}列：本年报告上年结转 {number(m['carried_over'])} 件，"
                    f"{previous.year} 年度报告结转下年度 {number(m['carried_forward'])} 件"
                    for m in mismatches)
    first = mismatches[0]
    return [finding("cross_year", f"上年结转申请数与 {previous.year} 年度报告的结转下年度继续办理数不一致（{said}）。",
                    other=other, column=first["column"], carried_over=first["carried_over"],
                    carried_forward=first["carried_forward"], mismatches=mismatches)]


def deadline(year: int) -> date:
    """The last day a report on `year` may be published."""
    return date(int(year) + 1, DEADLINE_MONTH, DEADLINE_DAY)


def late(report: Report) -> list[dict]:
    """Published after 31 January of the next year: the date and the days late.

    A report without a readable date gets no finding (it cannot be judged).
    """
    try:
        published = date.fromisoformat(str(report.published))
    except ValueError:
        return []
    days = (published - deadline(report.year)).days
    if days <= 0:
        return []
    return [finding("late", f"报告于 {published.isoformat()} 发布，晚于 {deadline(report.year).isoformat()} "
                            f"的法定期限 {days} 天。",
                    published=published.isoformat(), deadline=deadline(report.year).isoformat(),
                    days_late=days)]


def missing_year(report: Report, years: list[int]) -> list[dict]:
    """The years missing just before this report, when the agency has reports before them.

    `years` are all the agency's report years; the finding sits on the first report
    after a gap.
    """
    earlier = [year for year in years if year < report.year]
    if not earlier or max(earlier) == report.year - 1:
        return []
    gap = list(range(max(earlier) + 1, report.year))
    shown = "、".join(str(year) for year in gap)
    return [finding("missing_year", f"本机关有 {max(earlier)} 年度和 {report.year} 年度的报告，"
                                    f"缺少 {shown} 年度（共 {len(gap)} 年）的报告。",
                    years=gap, after=max(earlier))]
