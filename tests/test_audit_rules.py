"""The audit's rules, one kind at a time, on made-up reports: planted, clean and near misses."""
from __future__ import annotations

from index.audit import audit_reports
from index.audit.prose import is_table_row
from tests.auditdata import (
    LONG_PROSE, NEAR_MISS, PROBLEMS, appeals_table, audit_report, requests_table,
)

A, B, C = "甲市测试局", "乙县样例办公室", "丙区虚构委员会"


def kinds(findings: dict, rid: str) -> list[str]:
    return [item["kind"] for item in findings[rid]]


def only(findings: dict, rid: str, kind: str) -> dict:
    found = [item for item in findings[rid] if item["kind"] == kind]
    assert len(found) == 1, findings[rid]
    return found[0]


def test_clean_reports_have_no_findings():
    found = audit_reports([audit_report(A, 2022), audit_report(A, 2023), audit_report(B, 2023)])
    assert found == {f"{A}-2022": [], f"{A}-2023": [], f"{B}-2023": []}


def test_arithmetic_lists_the_failing_rules():
    figures = {**requests_table(5), **appeals_table(0)}
    figures["requests.total.total"] = 7.0          # 5 new + 0 carried over ≠ 7 + 0 forward
    found = audit_reports([audit_report(A, 2023, figures=figures)])
    item = only(found, f"{A}-2023", "arithmetic")
    assert item["rules"] == ["balance.total", "row_total.total"]
    assert item["detail"].startswith("表格中有 2 项勾稽关系不成立：总计：新收＋上年结转＝总计＋结转下年度"
                                     "（新收 5 + 上年结转 0 = 5 ≠ 总计 7 + 结转下年度 0 = 7）；")


def test_cross_year_compares_carried_over_with_last_years_carried_forward():
    before = audit_report(A, 2022, figures=requests_table(6, carried_forward=3))
    wrong = audit_report(A, 2023, figures=requests_table(4, carried_over=2))
    item = only(audit_reports([before, wrong]), f"{A}-2023", "cross_year")
    assert item["other"] == f"{A}-2022"
    assert (item["column"], item["carried_over"], item["carried_forward"]) == ("total", 2.0, 3.0)
    assert "上年结转申请数与 2022 年度报告" in item["detail"] and "2 件" in item["detail"] and "3 件" in item["detail"]
    # Both columns that differ are listed: 总计 and 自然人.
    assert [m["column"] for m in item["mismatches"]] == ["total", "natural"]


def test_cross_year_is_silent_when_the_numbers_match_or_the_year_before_is_missing():
    before = audit_report(A, 2022, figures=requests_table(6, carried_forward=3))
    right = audit_report(A, 2023, figures=requests_table(4, carried_over=3))
    assert audit_reports([before, right])[f"{A}-2023"] == []
    two_years_on = audit_report(A, 2024, figures=requests_table(4, carried_over=9))
    assert "cross_year" not in kinds(audit_reports([before, two_years_on]), f"{A}-2024")


def test_cross_year_skips_a_column_a_report_does_not_print():
    before = audit_report(A, 2022, figures={"requests.carried_forward.total": 3.0})
    after = audit_report(A, 2023, figures={"requests.carried_over.natural": 1.0})
    assert audit_reports([before, after])[f"{A}-2023"] == []


def test_late_from_the_first_of_february():
    on_time = audit_report(A, 2023, published="2024-01-31")
    late = audit_report(B, 2023, published="2024-02-01")
    very_late = audit_report(C, 2023, published="2024-05-10")
    undated = audit_report(A, 2022, published=None)
    found = audit_reports([on_time, late, very_late, undated])
    assert found[f"{A}-2023"] == [] and found[f"{A}-2022"] == []
    item = only(found, f"{B}-2023", "late")
    assert (item["published"], item["days_late"]) == ("2024-02-01", 1)
    assert "晚于 2024-01-31 的法定期限 1 天" in item["detail"]
    assert only(found, f"{C}-2023", "late")["days_late"] == 100


def test_missing_year_sits_on_the_first_report_after_the_gap():
    found = audit_reports([audit_report(A, y) for y in (2019, 2020, 2023, 2024)])
    item = only(found, f"{A}-2023", "missing_year")
    assert item["years"] == [2021, 2022]
    assert "缺少 2021、2022 年度（共 2 年）" in item["detail"]
    assert all(found[f"{A}-{y}"] == [] for y in (2019, 2020, 2024))


def test_missing_year_needs_a_report_before_the_gap():
    found = audit_reports([audit_report(A, 2021), audit_report(A, 2022), audit_report(B, 2023)])
    assert all(not items for items in found.values())


def test_text_table_quotes_the_sentence_and_gives_both_numbers():
    report = audit_report(A, 2023, requests="2023年全年共收到政府信息公开申请 7 件，均按期答复。",
                          figures={**requests_table(4), **appeals_table(0)})
    item = only(audit_reports([report]), f"{A}-2023", "text_table")
    assert (item["figure"], item["text_value"], item["table_value"]) == ("requests.new.total", 7.0, 4.0)
    assert "2023年全年共收到政府信息公开申请 7 件" in item["detail"] and "为 4 件" in item["detail"]


def test_text_table_reviews_and_suits():
    report = audit_report(A, 2023, requests="本年度发生政府信息公开行政复议 2 件，行政诉讼 1 起。",
                          figures={**requests_table(4), **appeals_table(0, direct=0, after_review=1)})
    items = [x for x in audit_reports([report])[f"{A}-2023"] if x["kind"] == "text_table"]
    # 2 reviews against 0 in the table; the one suit is the one after review: no finding.
    assert [(x["figure"], x["text_value"], x["table_value"]) for x in items] == [
        ("appeals.review.total", 2.0, 0.0)]


def test_text_table_agreeing_prose_and_carried_over_totals_are_clean():
    agreeing = audit_report(A, 2023, requests="本年新收政府信息公开申请4件，行政复议0件。")
    with_carried = audit_report(B, 2023, requests="共受理政府信息公开申请 6 件（含上年结转 2 件）。",
                                figures={**requests_table(4, carried_over=2), **appeals_table(0)})
    found = audit_reports([agreeing, with_carried])
    assert found[f"{A}-2023"] == [] and found[f"{B}-2023"] == []


def test_text_table_ignores_table_rows_and_results():
    table_row = "一、本年新收政府信息公开申请数量 7 0 0 0 0 0 7"
    assert is_table_row(table_row) and not is_table_row("自 2023 年 1 月 1 日至 2023 年 12 月 31 日止，共收到")
    results = "行政复议结果维持 3 件。"      # a result of the reviews, not their number
    report = audit_report(A, 2023, requests=table_row + "\n" + results)
    assert audit_reports([report])[f"{A}-2023"] == []


def test_duplicate_same_year_other_agency_after_names_and_numbers_are_removed():
    mine = audit_report(A, 2023, overview=LONG_PROSE)
    # The same wording under another agency's name, its own region and other numbers.
    theirs = audit_report(B, 2023, region="乙县", overview=LONG_PROSE)
    theirs.sections[0].text = theirs.sections[0].text.replace("2023年", "2023 年共 12 项")
    found = audit_reports([mine, theirs])
    item = only(found, f"{A}-2023", "duplicate")
    assert (item["section"], item["other"], item["scope"]) == ("overview", f"{B}-2023", "same_year")
    assert 0.99 <= item["similarity"] < 1        # only 年共项 differ
    assert "与乙县样例办公室同年度报告的同一章节有 99% 相同" in item["detail"]
    assert only(found, f"{B}-2023", "duplicate")["other"] == f"{A}-2023"


def test_duplicate_names_the_closest_twin_and_counts_the_others():
    base = audit_report(A, 2023, overview=LONG_PROSE)
    near = audit_report(B, 2023, overview=LONG_PROSE[:-1] + [LONG_PROSE[-1] + "并及时公开"])
    same = audit_report(C, 2023, overview=LONG_PROSE)
    item = only(audit_reports([base, near, same]), f"{A}-2023", "duplicate")
    assert item["other"] == f"{C}-2023" and item["similarity"] == 1.0
    assert [t["other"] for t in item["twins"]] == [f"{C}-2023", f"{B}-2023"]
    assert 0.9 <= item["twins"][1]["similarity"] < 1
    assert item["detail"].endswith("同年另有 1 份其他机关的报告与它雷同。")


def test_duplicate_near_miss_at_85_percent_is_not_a_copy():
    mine = audit_report(A, 2023, overview=LONG_PROSE)
    close = audit_report(B, 2023, overview=LONG_PROSE[:-1] + [NEAR_MISS])
    found = audit_reports([mine, close])
    assert found[f"{A}-2023"] == [] and found[f"{B}-2023"] == []


def test_duplicate_needs_150_characters():
    short = LONG_PROSE[:4]                       # about 130 characters once reduced
    found = audit_reports([audit_report(A, 2023, overview=short), audit_report(B, 2023, overview=short)])
    assert found[f"{A}-2023"] == [] and found[f"{B}-2023"] == []


def test_duplicate_against_the_agencys_previous_year_only_marks_the_later_report():
    last = audit_report(A, 2022, problems=PROBLEMS * 2)
    this = audit_report(A, 2023, problems=PROBLEMS * 2)
    other_year_other_agency = audit_report(B, 2022, problems=PROBLEMS[::-1])
    found = audit_reports([last, this, other_year_other_agency])
    item = only(found, f"{A}-2023", "duplicate")
    assert (item["section"], item["other"], item["scope"]) == ("problems", f"{A}-2022", "previous_year")
    assert "本机关 2022 年度报告" in item["detail"]
    assert found[f"{A}-2022"] == []


def test_findings_come_in_kind_order():
    before = audit_report(A, 2021, figures=requests_table(6, carried_forward=3))
    report = audit_report(A, 2023, published="2024-03-01", requests="收到政府信息公开申请 9 件。",
                          figures=requests_table(4, carried_over=1))
    assert kinds(audit_reports([before, report]), f"{A}-2023") == ["late", "missing_year", "text_table"]
