"""The comparison table (figure filters, figure sorts, paging, CSV) on every engine,
against the made-up corpus: expected rows are computed from the reports themselves."""
import csv
import io

import pytest

from search.comparison import ComparisonRequest, to_csv
from search.request import BadRequest, parse_figure_filter
from search.results import Comparison, ComparisonRow
from tests.engines import ENGINES, built_service
from tests.searchdata import CORPUS, make_reports

pytestmark = pytest.mark.engine



@pytest.fixture(scope="module")
def service(search_service):
    return search_service


def rid(report):
    return f"{report.agency}-{report.year}"


def brute(filters):
    parsed = [parse_figure_filter(text) for text in filters]
    return {rid(r) for r in CORPUS if all(f.test(r.figures.get(f.key)) for f in parsed)}


def ask(**params) -> ComparisonRequest:
    return ComparisonRequest.from_params(params)


@pytest.mark.parametrize("filters", [
    [], ["requests.new.total>=1"], ["requests.new.total>=5", "appeals.review.total>0"],
    ["appeals.review.total=0"], ["appeals.review.total!=0"], ["requests.new.total<5"],
    ["requests.new.total<=5"], ["proactive.fees.amount>1"], ["proactive.fees.amount>1.5"],
    ["requests.granted.total>100"], ["appeals.suit_direct.total>0"],
])
def test_figure_filters_equal_brute_force(service, filters):
    table = service.compare(ask(fig=filters))
    assert {row.report_id for row in table.rows} == brute(filters)
    assert table.total == len(brute(filters))


def test_compare_narrowed_to_reports_with_audit_findings(service):
    table = service.compare(ask(figure="requests.new.total", audit=["arithmetic", "late"]))
    assert [(row.report_id, row.findings) for row in table.rows] == [
        ("青山市发展和改革委员会-2023", ["arithmetic"])]
    assert service.compare(ask(figure="requests.new.total", audit="late")).rows == []


def test_compare_whole_table_sorted_by_a_figure(service):
    table = service.compare(ask(figure=["requests.new.total", "appeals.review.total"], region="青山市",
                                sort="requests.new.total"))
    assert table == Comparison(
        columns=["requests.new.total", "appeals.review.total"], sort="requests.new.total", desc=True,
        total=3, page=1, page_size=100,
        rows=[
            ComparisonRow("青山市发展和改革委员会", "青山市发展和改革委员会", "青山市发展和改革委员会-2023",
                          "青山市", 2023, [20, 2], findings=["arithmetic"]),
            ComparisonRow("青山市工业和信息化局", "青山市工业和信息化局", "青山市工业和信息化局-2023",
                          "青山市", 2023, [12, 0]),
            ComparisonRow("青山市工业和信息化局", "青山市工业和信息化局", "青山市工业和信息化局-2022",
                          "青山市", 2022, [3, None]),
        ])


def test_compare_sorts_missing_figures_last_in_both_directions(service):
    for order in ("desc", "asc"):
        table = service.compare(ask(figure="appeals.review.total", sort="appeals.review.total", order=order))
        values = [row.values[0] for row in table.rows]
        present = [v for v in values if v is not None]
        assert present == sorted(present, reverse=order == "desc")
        assert values[len(present):] == [None] * (len(values) - len(present))
        assert {row.report_id for row in table.rows} == {rid(r) for r in CORPUS}


@pytest.mark.parametrize("column", ["agency", "region", "year"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_compare_sorts_by_the_fixed_columns(service, column, order):
    rows = service.compare(ask(figure="requests.new.total", sort=column, order=order)).rows
    # The oracle: by the column, ties by agency then oldest year first.
    expected = sorted(CORPUS, key=lambda r: (r.agency, r.year))
    expected = sorted(expected, key=lambda r: getattr(r, column), reverse=order == "desc")
    assert [row.report_id for row in rows] == [rid(r) for r in expected]


def test_compare_filters_year_agency_and_figures(service):
    table = service.compare(ask(figure="requests.new.total", year="2023", fig="requests.new.total>=5"))
    assert {row.report_id for row in table.rows} == {
        rid(r) for r in CORPUS if r.year == 2023 and r.figures.get("requests.new.total", -1) >= 5}
    assert [row.report_id for row in service.compare(ask(agency="绿水县住房和城乡建设局")).rows] == [
        "绿水县住房和城乡建设局-2022"]
    # The default order: by agency, oldest year first.
    rows = service.compare(ask(figure="requests.new.total")).rows
    assert [(r.agency, r.year) for r in rows] == sorted((r.agency, r.year) for r in CORPUS)


def test_compare_pages_through_the_same_order(service):
    whole = service.compare(ask(sort="year", order="desc")).rows
    pages = [service.compare(ask(sort="year", order="desc", size="4", page=str(n))) for n in (1, 2)]
    assert [p.total for p in pages] == [len(CORPUS)] * 2
    assert [row.report_id for p in pages for row in p.rows] == [row.report_id for row in whole]
    assert len(pages[0].rows) == 4 and len(pages[1].rows) == len(CORPUS) - 4


def test_compare_decimals_stay_decimals(service):
    table = service.compare(ask(figure="proactive.fees.amount", fig="proactive.fees.amount>0"))
    assert [(row.report_id, row.values) for row in table.rows] == [("青山市工业和信息化局-2023", [1.5])]


@pytest.mark.parametrize("params", [
    {"figure": "requests.bogus.total"},
    {"figure": "requests.new.total", "sort": "nope"},
    {"figure": "requests.new.total", "sort": "appeals.nothing.total"},
    {"figure": "requests.new.total", "fig": "requests.new.total >> 1"},
    {"figure": [f"requests.new.{c}" for c in ("total", "natural", "business", "research", "social",
                                                "legal", "other", "commercial", "x")]},
])
def test_comparison_request_rejects_bad_keys_sorts_and_filters(params):
    with pytest.raises(BadRequest):
        ComparisonRequest.from_params(params)


def test_a_sort_by_a_figure_not_chosen_compares_it_last():
    asked = ComparisonRequest.from_params({"figure": "requests.new.total", "sort": "appeals.review.total"})
    assert (asked.keys, asked.sort) == (("requests.new.total", "appeals.review.total"), "appeals.review.total")


def test_csv_export(service):
    table = service.compare(ask(figure=["requests.new.total", "appeals.review.total"], region="青山市",
                                sort="requests.new.total"))
    rows = list(csv.reader(io.StringIO(to_csv(table))))
    assert rows == [
        ["机关", "地区", "年度", "报告", "requests.new.total", "appeals.review.total"],
        ["青山市发展和改革委员会", "青山市", "2023", "青山市发展和改革委员会-2023", "20", "2"],
        ["青山市工业和信息化局", "青山市", "2023", "青山市工业和信息化局-2023", "12", "0"],
        ["青山市工业和信息化局", "青山市", "2022", "青山市工业和信息化局-2022", "3", ""],
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_csv_cells_never_start_a_formula(engine, tmp_path):
    texts = {("=HYPERLINK(1)局", 2023): {"overview": "公开。"}}
    service = built_service(engine, make_reports(texts), tmp_path)
    rows = list(csv.reader(io.StringIO(to_csv(service.compare(ask(figure="requests.new.total"))))))
    assert rows[1][0] == "'=HYPERLINK(1)局"
