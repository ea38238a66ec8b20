"""Figure filters, figure sorts and the comparison table, against the made-up corpus."""
import csv
import io

import pytest

from search.figures import compare, reports_passing, to_csv
from search.catalog import Catalog
from search.request import BadRequest, parse_figure_filter
from search.results import Comparison, ComparisonRow
from tests.searchdata import CORPUS, build_index, make_reports

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def handle(search_index):
    return search_index.open()


def rid(report):
    return f"{report.agency}-{report.year}"


def brute(filters):
    parsed = [parse_figure_filter(text) for text in filters]
    return {rid(r) for r in CORPUS if all(f.test(r.figures.get(f.key)) for f in parsed)}


@pytest.mark.parametrize("filters", [
    [], ["requests.new.total>=1"], ["requests.new.total>=5", "appeals.review.total>0"],
    ["appeals.review.total=0"], ["appeals.review.total!=0"], ["requests.new.total<5"],
    ["requests.new.total<=5"], ["proactive.fees.amount>1"], ["proactive.fees.amount>1.5"],
    ["requests.granted.total>100"], ["appeals.suit_direct.total>0"],
])
def test_reports_passing_equals_brute_force(handle, filters):
    with handle.searcher() as searcher:
        assert reports_passing(searcher, Catalog(searcher), filters) == brute(filters)


def test_compare_narrowed_to_reports_with_audit_findings(handle):
    table = compare(handle, ["requests.new.total"], audits=["arithmetic", "late"])
    assert [(row.report_id, row.findings) for row in table.rows] == [
        ("青山市发展和改革委员会-2023", ["arithmetic"])]
    assert compare(handle, ["requests.new.total"], audits=["late"]).rows == []


def test_compare_whole_table_sorted_by_a_figure(handle):
    table = compare(handle, ["requests.new.total", "appeals.review.total"], region="青山市",
                    sort="requests.new.total")
    assert table == Comparison(
        columns=["requests.new.total", "appeals.review.total"], sort="requests.new.total", desc=True,
        rows=[
            ComparisonRow("青山市发展和改革委员会", "青山市发展和改革委员会", "青山市发展和改革委员会-2023",
                          "青山市", 2023, [20, 2], findings=["arithmetic"]),
            ComparisonRow("青山市工业和信息化局", "青山市工业和信息化局", "青山市工业和信息化局-2023",
                          "青山市", 2023, [12, 0]),
            ComparisonRow("青山市工业和信息化局", "青山市工业和信息化局", "青山市工业和信息化局-2022",
                          "青山市", 2022, [3, None]),
        ])


def test_compare_sorts_missing_figures_last_in_both_directions(handle):
    for desc in (True, False):
        table = compare(handle, ["appeals.review.total"], sort="appeals.review.total", desc=desc)
        values = [row.values[0] for row in table.rows]
        present = [v for v in values if v is not None]
        assert present == sorted(present, reverse=desc)
        assert values[len(present):] == [None] * (len(values) - len(present))
        assert {row.report_id for row in table.rows} == {rid(r) for r in CORPUS}


def test_compare_filters_year_agency_and_figures(handle):
    table = compare(handle, ["requests.new.total"], year=2023, filters=["requests.new.total>=5"])
    assert {row.report_id for row in table.rows} == {
        rid(r) for r in CORPUS if r.year == 2023 and r.figures.get("requests.new.total", -1) >= 5}
    assert [row.report_id for row in compare(handle, [], agency="绿水县住房和城乡建设局").rows] == [
        "绿水县住房和城乡建设局-2022"]
    # Without a sort: by agency, newest year first.
    rows = compare(handle, ["requests.new.total"]).rows
    assert [(r.agency, -r.year) for r in rows] == sorted((r.agency, -r.year) for r in rows)


def test_compare_decimals_stay_decimals(handle):
    table = compare(handle, ["proactive.fees.amount"], filters=["proactive.fees.amount>0"])
    assert [(row.report_id, row.values) for row in table.rows] == [("青山市工业和信息化局-2023", [1.5])]


@pytest.mark.parametrize("call", [
    lambda h: compare(h, ["requests.bogus.total"]),
    lambda h: compare(h, ["requests.new.total"], sort="nope"),
    lambda h: compare(h, ["requests.new.total"], filters=["requests.new.total >> 1"]),
    lambda h: compare(h, ["requests.new.total"] * 2 + [f"requests.new.{c}" for c in
                      ("natural", "business")] + ["x"]),
])
def test_compare_rejects_bad_keys_and_filters(handle, call):
    with pytest.raises(BadRequest):
        call(handle)


def test_csv_export(handle):
    table = compare(handle, ["requests.new.total", "appeals.review.total"], region="青山市",
                    sort="requests.new.total")
    rows = list(csv.reader(io.StringIO(to_csv(table))))
    assert rows == [
        ["机关", "地区", "年度", "报告", "requests.new.total", "appeals.review.total"],
        ["青山市发展和改革委员会", "青山市", "2023", "青山市发展和改革委员会-2023", "20", "2"],
        ["青山市工业和信息化局", "青山市", "2023", "青山市工业和信息化局-2023", "12", "0"],
        ["青山市工业和信息化局", "青山市", "2022", "青山市工业和信息化局-2022", "3", ""],
    ]


def test_csv_cells_never_start_a_formula(tmp_path):
    texts = {("=HYPERLINK(1)局", 2023): {"overview": "公开。"}}
    handle = build_index(tmp_path, make_reports(texts))
    rows = list(csv.reader(io.StringIO(to_csv(compare(handle, ["requests.new.total"])))))
    assert rows[1][0] == "'=HYPERLINK(1)局"
