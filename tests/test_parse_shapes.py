"""Real reports' shapes (madeup/shapes.py) parse to their agency, year, sections and every figure."""
from __future__ import annotations

import pytest

from corpus.parse import parse_bytes
from corpus.report import SECTION_KEYS, Refusal, Report
from madeup import files, layouts, shapes, spanned


def parse(text: str, name: str = "report.txt") -> Report:
    suffix = "." + name.rsplit(".", 1)[-1]
    result = parse_bytes(text.encode("utf-8"), name, suffix)
    assert isinstance(result, Report), result
    return result


def printed(section) -> str:
    """A section's prose and every cell of its tables."""
    return section.text + "".join(cell for table in section.tables for row in table for cell in row)


def assert_reads(report: Report, made: layouts.MadeUp, agency: str | None = None) -> None:
    """The whole report came through: who, when, which sections, every figure, all checks pass."""
    assert (report.agency, report.year) == (agency or made.agency, made.year)
    assert [s.key for s in report.sections] == list(SECTION_KEYS)
    assert report.figures == made.figures
    assert report.checks and all(check.ok for check in report.checks), [c for c in report.checks if not c.ok]


# ---- 1. titles that are not one line ------------------------------------------------

@pytest.mark.parametrize("lines", [
    ["{year}年{agency}政府信息公开工作", "年度报告"],
    ["{agency}{year}年政府信息公开", "工作年度报告"],
    ["{spaced}", "政 府 信 息 公 开 工 作", "{year}", "年 度 报 告"],
    ["{agency}", "{year}年度", "政府信息公开工作年度报告"],
])
def test_title_wrapped_over_lines(lines):
    made = layouts.made_up(7)
    made.agency, made.region = "青禾市科委", "青禾市"
    title = [line.format(year=made.year, agency=made.agency, spaced=" ".join(made.agency)) for line in lines]
    report = parse(shapes.wrapped_title(made, title))
    assert_reads(report, made)
    assert report.region == "青禾市"
    assert report.sections[0].text.startswith(made.texts["overview"][0][:20])


def test_no_title_agency_in_first_paragraph():
    made = layouts.made_up(8)
    opening = f"根据《条例》规定，{made.agency}编制{made.year}年度政府信息公开工作年度报告。"
    assert_reads(parse(shapes.untitled(made, opening, signature=False)), made)


def test_no_title_agency_from_signature():
    made = layouts.made_up(9)
    opening = f"现公布本机关{made.year}年政府信息公开工作年度报告。本报告中所列数据的统计期限自1月1日起至12月31日止。"
    report = parse(shapes.untitled(made, opening))
    assert_reads(report, made)
    assert report.published == made.published


def test_no_title_agency_and_year_from_file_name():
    made = layouts.made_up(10)
    text = shapes.untitled(made, "本机关按照要求编制本报告。", signature=False)
    text = "\n".join(line for line in text.splitlines() if str(made.year) not in line or "，" in line)
    assert_reads(parse(text, f"{made.agency}{made.year}年政府信息公开工作年度报告.txt"), made)


def test_no_title_and_nothing_naming_the_agency_is_refused_saying_so():
    made = layouts.made_up(11)
    text = shapes.untitled(made, f"现公布本机关{made.year}年政府信息公开工作年度报告。", signature=False)
    result = parse_bytes(text.encode(), "x.txt", ".txt")
    assert isinstance(result, Refusal)
    assert result.error.startswith("The publishing agency could not be found")
    assert "year" not in result.error


@pytest.mark.parametrize("page_title, field", [
    ("{title}_政府信息公开年报_青禾市人民政府", None),
    ("青禾市人民政府门户网站", "信息名称"),
    ("青禾市人民政府门户网站", "标题"),
])
def test_title_only_in_page_title_or_portal_field(page_title, field):
    made = layouts.made_up(12)
    page = shapes.html_titled_by(made, page_title.format(title=made.title), field)
    report = parse(page, "page.html")
    assert_reads(report, made)
    assert report.published == made.published


# ---- 2. the report's own headings before the statutory ones ---------------------------

def test_narrative_parts_before_the_statutory_table_sections():
    made = layouts.made_up(13)
    order = ("proactive", "requests", "appeals", "problems", "other")
    report = parse(shapes.own_headings_first(made, order, ("requests", "proactive")))
    assert_reads(report, made)
    titles = {s.key: s.title for s in report.sections}
    assert titles["proactive"] == "一、主动公开政府信息情况"
    assert titles["requests"] == "二、收到和处理政府信息公开申请情况"
    # The narrative parts' text stays with the section they speak of, their headings kept.
    for key, (title, text) in shapes.NARRATIVE.items():
        assert title in report.section(key).text and text in report.section(key).text
        assert text not in report.section("overview").text


def test_parts_numbered_in_an_order_of_their_own():
    made = layouts.made_up(14, template=2019)
    order = ("problems", "other", "appeals", "proactive", "requests")
    report = parse(shapes.own_headings_first(made, order, ()))
    assert_reads(report, made)
    assert report.section("problems").title == "一、存在的主要问题及改进情况"
    assert made.texts["problems"][0][:20] in report.section("problems").text
    assert "结果维持" in printed(report.section("appeals")) and "结果维持" not in printed(report.section("other"))


# ---- 3. page furniture inside tables --------------------------------------------------

@pytest.mark.parametrize("seed, template", [(15, 2021), (16, 2019)])
def test_page_furniture_inside_tables_is_never_a_figure(seed, template):
    made = layouts.made_up(seed, template)
    text = shapes.furniture_in_tables(made)
    assert text.count("\f") >= 8 and "共 9 页 第" in text
    report = parse(text)
    assert_reads(report, made)
    for section in report.sections:
        assert "共 9 页" not in section.text and "\f" not in section.text


# ---- 4. PDF text in column order, numbers above their labels ---------------------------

@pytest.mark.parametrize("headers_between", [True, False])
@pytest.mark.parametrize("seed, template", [(17, 2021), (18, 2019)])
def test_table_extracted_column_by_column(seed, template, headers_between):
    made = layouts.made_up(seed, template)
    assert_reads(parse(shapes.requests_by_column(made, headers_between)), made)


def test_column_by_column_without_headers_whose_sums_prove_nothing_stays_unread():
    made = layouts.made_up(19)
    # Every number the same: rows and columns read alike, so any reading is right …
    made.figures.update({k: 6 if not k.endswith(".total") else 36 for k in made.figures if k.startswith("requests.")})
    text = shapes.requests_by_column(made, headers_between=False)
    assert parse(text).figures == made.figures
    # … but with the 总计 column broken in both readings, the table is not guessed at.
    made.figures["requests.new.total"] = 35
    made.figures["requests.new.natural"] = 7
    report = parse(shapes.requests_by_column(made, headers_between=False))
    assert not any(key.startswith("requests.") for key in report.figures)
    check = next(c for c in report.checks if c.rule == "tables.3")
    assert not check.ok and "读出 0 个" in check.detail


@pytest.mark.parametrize("template", [2021, 2019])
def test_numbers_printed_above_their_labels(template):
    made = layouts.made_up(20, template)
    assert_reads(parse(shapes.requests_numbers_above(made)), made)


def test_labels_split_across_two_cells():
    made = layouts.made_up(21)
    assert_reads(parse(shapes.requests_labels_in_two_cells(made), "report.md"), made)


# ---- 5. OCR'd or converted Markdown ----------------------------------------------------

@pytest.mark.parametrize("seed, template, total_only", [(22, 2021, False), (23, 2019, False), (24, 2021, True)])
def test_ocr_markdown_table_cut_into_blocks(seed, template, total_only):
    made = layouts.made_up(seed, template, total_only=total_only)
    text = shapes.requests_ocr(made)
    assert "数据1" in text and "结果维持" in text.split("四、政府信息公开")[0]
    report = parse(text, "report.md")
    assert_reads(report, made)
    assert report.section("appeals").title == "四、政府信息公开行政复议、行政诉讼情况"


# ---- 6. the 2021 template with one （六）其他处理 row ------------------------------------

@pytest.mark.parametrize("render", [layouts.pdf_text, layouts.html_page])
def test_2021_template_with_a_single_other_row(render):
    made = shapes.one_other_row(layouts.made_up(25))
    report = parse(render(made), "report.html" if render is layouts.html_page else "report.txt")
    assert report.template == 2021
    assert_reads(report, made)
    assert "requests.other_all.total" in report.figures
    assert not any(key.startswith("requests.other_other") for key in report.figures)
    assert {c.rule for c in report.checks} >= {"results.total", "results.natural", "row_total.other_all", "tables.3"}


# ---- 7. tables whose zeros are all printed blank ---------------------------------------

@pytest.mark.parametrize("template", [2021, 2019])
def test_html_tables_printed_all_blank_are_zeros(template):
    made = layouts.made_up(26, template)
    page = layouts.html_page(made, blanks=tuple(made.figures))
    assert_reads(parse(page, "page.html"), shapes.all_blank(made, ("requests.", "appeals.")))


def test_word_tables_printed_all_blank_are_zeros():
    made = layouts.made_up(27)
    result = parse_bytes(shapes.docx_report(made, blank=True), "report.docx", ".docx")
    assert isinstance(result, Report), result
    assert_reads(result, shapes.all_blank(made))
    filled = parse_bytes(shapes.docx_report(made), "report.docx", ".docx")
    assert_reads(filled, made)


# ---- 8. portal chrome around an HTML report ------------------------------------------

def test_portal_chrome_is_in_no_section():
    made = layouts.made_up(28)
    report = parse(shapes.html_in_chrome(made), "page.html")
    assert_reads(report, made)
    text = "\n".join(s.title + printed(s) for s in report.sections)
    for furniture in ("当前位置", "字体", "分享到", "打印", "关闭", "相关链接", "主办单位", "ICP备", "网站标识码",
                      "网站地图", f"{made.year - 1}年政府信息公开工作年度报告"):
        assert furniture not in text, furniture
    assert report.section("other").text.endswith(made.texts["other"][-1])


# ---- 9. never invent or drop a number silently -----------------------------------------

def test_rows_with_more_or_fewer_numbers_are_left_unread_and_said():
    made = layouts.made_up(29)
    report = parse(shapes.pdf_rows_miscounted(made, extra="granted", short="rejected_repeat"))
    for row in ("granted", "rejected_repeat"):
        assert not any(key.startswith(f"requests.{row}.") for key in report.figures), row
    others = {k: v for k, v in made.figures.items() if not k.startswith(("requests.granted.", "requests.rejected_repeat."))}
    assert report.figures == others
    check = next(c for c in report.checks if c.rule == "tables.3")
    assert not check.ok and "未能读出 14 个" in check.detail and "granted.natural" in check.detail


def test_an_unread_table_never_looks_empty():
    made = layouts.made_up(30)
    text = layouts.pdf_text(made)
    appeals = text.index("行政复议 行政诉讼")
    damaged = text[:appeals] + text[appeals:].replace(" ".join(layouts.appeal_values(made)), "（表格为图片，无法提取）")
    report = parse(damaged)
    assert not any(key.startswith("appeals.") for key in report.figures)
    check = next(c for c in report.checks if c.rule == "tables.4")
    assert not check.ok and "读出 0 个" in check.detail
    assert not report.consistent


def test_tables_checks_pass_when_every_figure_is_read():
    made = layouts.made_up(31, 2019)
    report = parse(layouts.pdf_text(made))
    assert [(c.rule, c.ok) for c in report.checks if c.rule.startswith("tables.")] == [
        ("tables.2", True), ("tables.3", True), ("tables.4", True)]


# ---- 10. reports before 2019 ---------------------------------------------------------

@pytest.mark.parametrize("titled", [True, False])
def test_report_before_2019_is_accepted_with_sections_and_no_figures(titled):
    report = parse(shapes.report_2008("青禾市审计局", 2017, titled), "青禾市审计局2017年政府信息公开工作年度报告.txt")
    assert (report.agency, report.year, report.template, report.published) == ("青禾市审计局", 2017, 2008, "2018-03-20")
    assert report.figures == {} and report.checks == []
    assert [(s.key, s.title) for s in report.sections] == [
        ("overview", "一、概述"), ("proactive", "二、主动公开政府信息情况"), ("requests", "三、依申请公开政府信息情况"),
        ("appeals", "五、因政府信息公开申请提起行政复议、行政诉讼的情况"),
        ("problems", "六、政府信息公开工作存在的主要问题及改进措施"), ("other", "七、其他需要报告的事项"),
    ]
    other = report.section("other").text
    assert "四、政府信息公开的收费及减免情况" in other and "本年度未收取任何费用。" in other


# ---- typeset PDF and Word files whose title wraps -----------------------------------------

def _wrapped_title_report():
    report = spanned.made_up_report()
    assert report.blocks[0] == ("line", report.title)
    report.blocks[0:1] = [("line", f"{report.agency}{report.year}年政府信息公开工作"), ("line", "年度报告")]
    return report


@pytest.mark.parametrize("container", ["pdf", "docx"])
def test_typeset_report_whose_title_wraps(container):
    report = _wrapped_title_report()
    data = (files.to_pdf(report, header=False) if container == "pdf"
            else files.to_docx(report, page_footer=False))
    result = parse_bytes(data, f"report.{container}", f".{container}")
    assert isinstance(result, Report), result
    assert (result.agency, result.year, result.published) == (report.agency, report.year, report.published)
    assert [s.key for s in result.sections] == list(SECTION_KEYS)
    assert result.figures == spanned.expected_figures(report)
    assert all(check.ok for check in result.checks)


# ---- PDF text as other extractors order it ---------------------------------------------

@pytest.mark.parametrize("template", [2021, 2019])
def test_tall_label_cells_printed_after_the_values(template):
    made = layouts.made_up(32, template)
    assert_reads(parse(shapes.requests_tall_labels_last(made)), made)


@pytest.mark.parametrize("by_column", [0, 5, 19, 24])
def test_rows_column_by_column_then_row_by_row(by_column):
    made = layouts.made_up(33)
    assert_reads(parse(shapes.requests_columns_then_rows(made, by_column)), made)


def test_same_width_rows_that_could_be_read_either_way_stay_unread():
    made = layouts.made_up(34)
    lines = ["第二十条第（一）项", "信息内容", "规章", "行政规范性文件", "本年制发件数", "本年废止件数", "现行有效件数"]
    lines += [str(made.figures[f"proactive.{row}.{col}"]) for col in ("issued", "repealed", "in_force")
              for row in ("rules", "normative")]
    for row, key in (("行政许可", "licensing"), ("行政处罚", "penalty"), ("行政强制", "coercion")):
        lines += [row, "本年处理决定数量", str(made.figures[f"proactive.{key}.decisions"])]
    lines += ["行政事业性收费", "本年收费金额（单位：万元）", f"{made.figures['proactive.fees.amount']:g}"]
    report = parse(shapes._with_section(made, "proactive", lines))
    assert not any(key.startswith(("proactive.rules.", "proactive.normative.")) for key in report.figures)
    assert report.figures["proactive.fees.amount"] == made.figures["proactive.fees.amount"]
    check = next(c for c in report.checks if c.rule == "tables.2")
    assert not check.ok and "未能读出 6 个" in check.detail


def test_radical_look_alikes_from_pdf_fonts_read_as_ordinary_characters():
    made = layouts.made_up(35)
    made.agency = "东澜市行政审批局"
    looks = str.maketrans({"一": "\u2f00", "行": "\u2f8f", "人": "\u2f08", "民": "\u2ea0", "工": "\u2f2f"})
    text = layouts.pdf_text(made).translate(looks)
    assert "\u2f00、总体情况" in text
    report = parse(text)
    assert_reads(report, made)
    assert report.sections[0].title == "一、总体情况"


def test_a_row_label_printed_after_the_table_leaves_that_row_unread_and_the_rest_read():
    made = layouts.made_up(36)
    text = layouts.pdf_text(made)
    moved = text.replace("\n2.重复申请\n", "\n", 1).replace("\n四、政府信息公开行政复议", "\n2.重复申请\n四、政府信息公开行政复议", 1)
    assert moved != text
    report = parse(moved)
    wrong = {k: v for k, v in report.figures.items() if made.figures.get(k) != v}
    assert wrong == {}
    assert not any(k.startswith("requests.rejected_repeat.") for k in report.figures)
    assert len(report.figures) >= len(made.figures) - 7 * 2
