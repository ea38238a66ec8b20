"""More real reports' shapes (tests/more_shapes.py): every figure read, or left unread and said
— never a wrong one."""
from __future__ import annotations

import pytest

from corpus.parse import parse_bytes
from corpus.report import Refusal, Report
from madeup import layouts, shapes
from tests import more_shapes
from tests.test_parse_shapes import assert_reads, parse


def wrong(report: Report, made: layouts.MadeUp) -> dict:
    """Figures read otherwise than the made-up report printed them."""
    return {key: (value, made.figures.get(key)) for key, value in report.figures.items()
            if made.figures.get(key) != value}


def check(report: Report, rule: str):
    return next(c for c in report.checks if c.rule == rule)


# ---- numbers printed on the line above their label, beside rows on one line ----------------

@pytest.mark.parametrize("template", [2021, 2019])
@pytest.mark.parametrize("above", [
    ("granted", "partial", "withheld_secret", "unavailable_create", "total", "carried_forward"),
    ("withheld_safety", "withheld_third_party", "rejected_repeat"),
])
def test_some_rows_print_their_numbers_above_their_label(template, above):
    made = layouts.made_up(40, template)
    assert_reads(parse(more_shapes.requests_some_numbers_above(made, above)), made)


@pytest.mark.parametrize("layouts_used", [
    ("beside", "above"), ("above", "below"), ("one_a_line", "above"),
    ("beside", "above", "straddle", "one_a_line"), more_shapes.ROW_LAYOUTS,
])
def test_rows_each_printed_their_own_way_never_give_a_wrong_figure(layouts_used):
    for seed in range(12):
        made = layouts.made_up(seed, 2021 if seed % 2 else 2019)
        report = parse(more_shapes.requests_mixed_layouts(made, seed, layouts_used))
        assert wrong(report, made) == {}, seed
        assert report.figures == made.figures, seed


# ---- a header row between rows is never a row label ----------------------------------------

@pytest.mark.parametrize("template, after_row", [
    (2021, "other_no_correction"), (2021, "other_no_fee"), (2021, "granted"), (2019, "rejected_confirm"),
])
def test_header_row_between_rows_is_not_a_row_label(template, after_row):
    made = layouts.made_up(41, template)
    text = more_shapes.requests_with_stray_header(made, after_row)
    assert more_shapes.STRAY_HEADER in text
    assert_reads(parse(text, "report.md"), made)


def test_numbers_before_and_after_every_label_that_the_sums_cannot_tell_apart_stay_unread():
    made = layouts.made_up(42)
    one_wide = {k: v for k, v in made.figures.items() if k.startswith("proactive.") and ".rules." not in k
                and ".normative." not in k}
    # Numbers above their labels, nothing after the last one: read.
    report = parse(more_shapes.proactive_numbers_above(made, []))
    assert {k: v for k, v in report.figures.items() if k.startswith("proactive.")} == one_wide
    # A note ending on a number after the last label: every label now has a number after
    # it too, and table 2 has no sums to tell the two readings apart.
    report = parse(more_shapes.proactive_numbers_above(made, ["备注 2"]))
    assert not any(k.startswith("proactive.") for k in report.figures)
    assert not check(report, "tables.2").ok
    assert {k: v for k, v in report.figures.items() if not k.startswith("proactive.")} == {
        k: v for k, v in made.figures.items() if not k.startswith("proactive.")}


@pytest.mark.parametrize("template", [2021, 2019])
def test_tall_label_cells_after_rows_printed_on_lines(template):
    made = layouts.made_up(43, template)
    assert_reads(parse(more_shapes.requests_tall_labels_after_rows(made)), made)


# ---- table 3 shredded into small tables, its labels loose lines ----------------------------

SHREDS = {2021: [(2, 2, 8, 3, 5, 3, 2), (1, 3, 2, 4, 1, 4, 2, 1, 3, 2, 2), (25,)],
          2019: [(2, 2, 8, 3, 5, 1, 2), (3, 1, 4, 2, 4, 3, 2, 1, 3), (23,)]}


@pytest.mark.parametrize("labels_first", [False, True])
@pytest.mark.parametrize("template", [2021, 2019])
def test_table_shredded_into_small_tables_with_loose_labels(template, labels_first):
    made = layouts.made_up(44, template)
    for sizes in SHREDS[template]:
        text = more_shapes.requests_shredded(made, sizes, labels_first)
        assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n" in text
        assert_reads(parse(text, "report.md"), made)


def test_shredded_table_with_a_label_missing_reads_no_number_into_another_row():
    made = layouts.made_up(45)
    text = more_shapes.requests_shredded(made, (2, 2, 8, 3, 5, 3, 2), unlabelled="partial")
    report = parse(text, "report.md")
    assert wrong(report, made) == {}
    # The table after 予以公开 holds two rows for one label: neither is read, nor is any
    # block after it that those numbers could belong to; the rows before it are.
    assert not any(key.startswith(("requests.granted.", "requests.partial.")) for key in report.figures)
    assert all(f"requests.{row}.{c}" in report.figures for row in ("new", "carried_over") for c in made.columns())
    assert not check(report, "tables.3").ok and "granted.natural" in check(report, "tables.3").detail


# ---- the agency of a report with no title line is an organ's name ---------------------------

OPENINGS = (
    "根据《中华人民共和国政府信息公开条例》和省市县政府信息公开工作相关要求，现将我乡{year}年政府信息公开工作报告公开如下。",
    "根据《条例》和省、市、县有关工作要求，现将我乡{year}年度政府信息公开工作情况报告如下。",
)


@pytest.mark.parametrize("opening", OPENINGS, ids=["listed", "listed-with-commas"])
@pytest.mark.parametrize("name", ["report.txt", "{year}年政府信息公开工作报告.txt", "现将我乡{year}年政府信息公开工作报告公开如下.txt"],
                         ids=["plain-name", "year-in-name", "sentence-as-name"])
def test_township_report_without_title_takes_its_agency_from_the_sentence_naming_it(opening, name):
    year = 2016
    text = more_shapes.township_2008(year, opening.format(year=year), f"{year}年，青石乡未收取任何政府信息公开相关费用。")
    report = parse(text, name.format(year=year))
    assert (report.agency, report.region, report.year, report.template) == ("青石乡人民政府", "青石乡", year, 2008)


@pytest.mark.parametrize("name", ["report.txt", "现将我乡2016年政府信息公开工作报告公开如下.txt"],
                         ids=["plain-name", "sentence-as-name"])
def test_township_report_naming_no_organ_is_refused_saying_so(name):
    text = more_shapes.township_2008(2016, OPENINGS[0].format(year=2016), "本年度未收取任何政府信息公开相关费用。")
    result = parse_bytes(text.encode("utf-8"), name, ".txt")
    assert isinstance(result, Refusal)
    assert result.error == ("The publishing agency could not be found in its title, page title, first paragraph, "
                            "signature, file name or a sentence naming the agency.")


# ---- a year in Chinese numerals in the title -------------------------------------------------

CHINESE_YEARS = {2019: "二〇一九", 2020: "二零二零", 2021: "二〇二一", 2022: "二O二二", 2023: "二〇二三", 2024: "二〇二四"}


@pytest.mark.parametrize("lines", [
    ["{agency}{cn}年度政府信息公开工作年度报告"],
    ["{cn}年{agency}政府信息公开工作", "年度报告"],
    ["{agency}政府信息公开工作{cn}年度报告"],
], ids=["year-first", "wrapped", "year-last"])
def test_title_with_the_year_in_chinese_numerals(lines):
    made = layouts.made_up(46)
    title = [line.format(agency=made.agency, cn=CHINESE_YEARS[made.year]) for line in lines]
    assert str(made.year) not in "".join(title)
    report = parse(shapes.wrapped_title(made, title))
    assert_reads(report, made)
    assert title[0] not in report.section("overview").text   # read as the title, not as prose


# ---- table 2 in Markdown with a row of fewer cells than columns ------------------------------

@pytest.mark.parametrize("template, row, first", [
    (2021, "rules", 0), (2021, "normative", 1), (2019, "rules", 1), (2019, "licensing", 0), (2019, "procurement", 0),
])
def test_markdown_row_with_two_numbers_in_one_cell(template, row, first):
    made = layouts.made_up(47, template)
    text = more_shapes.markdown_cells_merged(made, row, first)
    assert_reads(parse(text, "report.md"), made)


# ---- PDF text: the 不予公开 rows printed one column a line -------------------------------------

@pytest.mark.parametrize("template", [2021, 2019])
@pytest.mark.parametrize("prefix", ["withheld_", "unavailable_", "rejected_"])
def test_group_of_rows_printed_one_column_a_line(template, prefix):
    made = layouts.made_up(48, template)
    text = more_shapes.requests_group_by_column_lines(made, prefix)
    assert_reads(parse(text), made)


# ---- pdfminer: 规章 and 规范性文件 column by column, as table 3 shows the text prints blocks ----

def test_same_width_rows_read_by_column_where_table_3_shows_the_text_prints_blocks_so():
    made = layouts.made_up(49)
    assert_reads(parse(more_shapes.pdfminer_report(made, requests_by_column=19)), made)


def test_same_width_rows_stay_unread_where_nothing_shows_how_the_text_prints_blocks():
    made = layouts.made_up(49)
    report = parse(more_shapes.pdfminer_report(made, requests_by_column=None))
    assert wrong(report, made) == {}
    unread = {k for k in made.figures if k not in report.figures}
    assert unread == {f"proactive.{row}.{c}" for row in ("rules", "normative") for c in ("issued", "repealed", "in_force")}
    assert "未能读出 6 个" in check(report, "tables.2").detail


# ---- PDF text: a row's numbers straddling the next label's text --------------------------------

@pytest.mark.parametrize("template", [2021, 2019])
@pytest.mark.parametrize("row, on_own_line", [("withheld_third_party", 1), ("granted", 3), ("rejected_repeat", 6)])
def test_row_whose_numbers_straddle_the_next_label(template, row, on_own_line):
    made = layouts.made_up(50, template)
    assert_reads(parse(more_shapes.requests_row_straddling(made, row, on_own_line)), made)


def test_straddling_row_that_does_not_add_up_stays_unread():
    made = layouts.made_up(50)
    made.figures["requests.withheld_third_party.total"] += 1     # the agency's slip: 总计 one too many
    report = parse(more_shapes.requests_row_straddling(made, "withheld_third_party", 1))
    assert wrong(report, made) == {}
    assert not any(key.startswith("requests.withheld_third_party.") for key in report.figures)


# ---- a total printed wrong by the agency: read as printed, the check names the cell -----------

def test_total_printed_wrong_is_read_as_printed_and_its_check_names_the_cell():
    made = more_shapes.appeals_total_misprinted(layouts.made_up(51))
    report = parse(layouts.pdf_text(made))
    assert report.figures == made.figures
    failed = [c for c in report.checks if not c.ok]
    assert [(c.rule, c.cell, c.parts_sum) for c in failed] == [("appeals.review", "appeals.review.total", 11)]
    line = report.to_json()["checks"]
    assert {"rule": "appeals.review", "ok": False, "detail": failed[0].detail,
            "cell": "appeals.review.total", "parts_sum": 11} in line
    assert all("cell" not in c for c in line if c["rule"].startswith(("balance.", "tables.")))


# ---- pdfminer: a piece of a column after a label is not that label's row ----------------------

@pytest.mark.parametrize("template", [2021, 2019])
@pytest.mark.parametrize("split_at", ["granted", "withheld_query", "rejected_confirm"])
def test_seven_numbers_of_a_column_after_a_label_are_not_taken_for_its_row(template, split_at):
    made = layouts.made_up(52, template)
    report = parse(more_shapes.requests_column_dump_split(made, split_at))
    assert wrong(report, made) == {}
    assert not check(report, "tables.3").ok


# ---- pdfplumber: a label cut by its group cell's text ------------------------------------------

@pytest.mark.parametrize("template", [2021, 2019])
def test_labels_cut_by_a_group_cells_text(template):
    made = layouts.made_up(53, template)
    text = more_shapes.requests_labels_cut_by_group_text(made, {"withheld_law": 10, "rejected_publication": 10})
    assert "3.要求提供公开出版\n" in text and "（五）不 物" in text
    assert_reads(parse(text), made)
