"""The changes across agencies on every engine (service.changes): for a figure and two
years, the largest rises and falls, the filters and their counts — expected answers
worked out here from the made-up table below, never by the code under test."""
from __future__ import annotations

from dataclasses import replace

import pytest

from config.settings import DEFAULTS
from corpus.checks import run_checks
from corpus.report import SECTION_TITLES, Report, Section
from search.changes import ChangesRequest
from search.request import BadRequest
from tests.engines import ENGINES, built_service

pytestmark = pytest.mark.engine


# agency: (region, its kind as a reader names it, {year: requests.new.total or None})
TABLE = {
    "青岚市人民政府": ("青岚市", "government", {2021: 5, 2022: 10, 2023: 30}),
    "青岚市人民政府办公室": ("青岚市", "office", {2022: 40, 2023: 20}),
    "青岚市教育局": ("青岚市", "department", {2022: 0, 2023: 15}),
    "青岚市发展和改革委员会": ("青岚市", "commission", {2022: 100, 2023: 150}),
    "青岚市松风区财政局": ("青岚市松风区", "department", {2022: 8, 2023: 8}),
    "青岚市松风区竹溪镇人民政府": ("青岚市松风区竹溪镇", "township", {2022: 5, 2023: 1}),
    "青岚市松风区东门街道办事处": ("青岚市松风区东门街道", "subdistrict", {2023: 3}),
    "白鹭县水利局": ("白鹭县", "department", {2022: 9}),
    "白鹭县卫生健康委员会": ("白鹭县", "commission", {2022: 20, 2023: 21}),
    "白鹭县统计局": ("白鹭县", "department", {2022: None, 2023: 7}),
}
# Suits brought directly and after a review (appeals.suits.total is their sum).
SUITS = {("青岚市人民政府", 2022): (1, 0), ("青岚市人民政府", 2023): (2, 1),
         ("青岚市教育局", 2022): (0, 0), ("青岚市教育局", 2023): (0, 3)}
FAILING = {("白鹭县卫生健康委员会", 2023)}      # its table does not add up: an arithmetic finding


def made_up(agency: str, year: int) -> Report:
    region, _, values = TABLE[agency]
    new = values[year]
    figures = {}
    if new is not None:
        granted = new + 1 if (agency, year) in FAILING else new
        figures = {"requests.new.total": float(new), "requests.carried_over.total": 0.0,
                   "requests.total.total": float(granted), "requests.carried_forward.total": 0.0}
    direct, after = SUITS.get((agency, year), (None, None))
    if direct is not None:
        figures.update({"appeals.suit_direct.total": float(direct), "appeals.suit_after_review.total": float(after)})
    return Report(source=f"{agency}-{year}.txt", agency=agency, region=region, year=year,
                  published=f"{year + 1}-01-10", template=2021,
                  sections=[Section("overview", SECTION_TITLES["overview"], f"{agency}的年度报告。")],
                  figures=figures, checks=run_checks(figures))


REPORTS = [made_up(agency, year) for agency, (_, _, values) in TABLE.items() for year in values]


@pytest.fixture(scope="module", params=ENGINES)
def service(request, tmp_path_factory):
    return built_service(request.param, REPORTS, tmp_path_factory.mktemp("index"))


def value(agency, year, figure):
    if figure == "appeals.suits.total":
        parts = SUITS.get((agency, year))
        return None if parts is None else sum(parts)
    return TABLE[agency][2].get(year)


def brute(figure="requests.new.total", earlier=2022, later=2023, keep=lambda agency: True):
    """(agency, before, after, change, percent) of every agency with the figure in both years."""
    rows = []
    for agency in TABLE:
        before, after = value(agency, earlier, figure), value(agency, later, figure)
        if before is not None and after is not None and keep(agency):
            rows.append((agency, before, after, after - before,
                         None if before == 0 else round((after - before) / abs(before) * 100, 1)))
    return rows


def shown(rows):
    return [(r.agency, r.earlier, r.later, r.change, r.percent) for r in rows]


def ask(**params) -> ChangesRequest:
    return ChangesRequest.from_params(params)


def test_by_default_the_latest_two_years_of_new_requests_by_the_size_of_the_change(service):
    listing = service.changes(ask())
    rows = brute()
    assert (listing.figure, listing.earlier_year, listing.later_year, listing.measure) == (
        "requests.new.total", 2022, 2023, "absolute")
    assert shown(listing.rises) == sorted([r for r in rows if r[3] > 0], key=lambda r: -r[3])
    assert shown(listing.falls) == sorted([r for r in rows if r[3] < 0], key=lambda r: r[3])
    assert [r[0] for r in shown(listing.rises)] == [
        "青岚市发展和改革委员会", "青岚市人民政府", "青岚市教育局", "白鹭县卫生健康委员会"]
    assert (listing.compared, listing.rose, listing.fell, listing.same) == (7, 4, 2, 1)
    # 水利局 reported 2022 only; the 街道 reported 2023 only, 统计局 printed no figure in 2022.
    assert (listing.only_earlier, listing.only_later) == (1, 2)
    assert [r.change for r in listing.rows] == sorted((r[3] for r in rows), reverse=True)
    assert listing.years == [2023, 2022, 2021]
    assert {r.agency: (r.earlier_id, r.later_id) for r in listing.rises}["青岚市教育局"] == (
        "青岚市教育局-2022", "青岚市教育局-2023")


def test_relative_changes_put_a_rise_from_nothing_last(service):
    listing = service.changes(ask(measure="relative"))
    rises = [r for r in brute() if r[3] > 0]
    with_percent = sorted([r for r in rises if r[4] is not None], key=lambda r: -r[4])
    assert shown(listing.rises) == with_percent + [r for r in rises if r[4] is None]
    assert shown(listing.falls) == sorted([r for r in brute() if r[3] < 0], key=lambda r: r[4])


def test_the_kind_of_each_agency_is_read_off_its_name(service):
    listing = service.changes(ask())
    assert {r.agency: r.kind for r in listing.rows} == {
        agency: kind for agency, (_, kind, _) in TABLE.items() if agency in {r[0] for r in brute()}}


def kinds_of(agencies):
    counts = {}
    for agency in agencies:
        kind = TABLE[agency][1]
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def regions_of(agencies):
    counts = {}
    for agency in agencies:
        counts[TABLE[agency][0]] = counts.get(TABLE[agency][0], 0) + 1
    return counts


def test_a_region_takes_in_the_regions_within_it_and_the_facets_count_multi_select(service):
    listing = service.changes(ask(region="青岚市松风区", kind=["department", "township"]))
    inside = lambda agency: TABLE[agency][0].startswith("青岚市松风区")     # noqa: E731
    chosen = lambda agency: TABLE[agency][1] in ("department", "township")  # noqa: E731
    expected = brute(keep=lambda a: inside(a) and chosen(a))
    assert sorted(shown(listing.rows)) == sorted(expected)
    compared = [r[0] for r in brute()]
    # Each facet counts what passes every filter but its own.
    assert listing.facets["region"] == regions_of([a for a in compared if chosen(a)])
    assert listing.facets["kind"] == kinds_of([a for a in compared if inside(a)])
    # Only the 街道 (2023 only) lies within and is of neither kind: nothing in one year only.
    assert (listing.only_earlier, listing.only_later) == (0, 0)


def test_audit_findings_of_either_report_select_an_agency(service):
    listing = service.changes(ask(audit="arithmetic"))
    assert shown(listing.rows) == brute(keep=lambda agency: agency == "白鹭县卫生健康委员会")
    assert listing.rows[0].findings == ["arithmetic"]
    assert service.changes(ask(audit="late")).rows == []
    assert service.changes(ask()).facets["audit"] == {"arithmetic": 1}


def test_a_summed_figure_needs_every_part(service):
    listing = service.changes(ask(figure="appeals.suits.total"))
    assert shown(listing.rows) == sorted(brute("appeals.suits.total"), key=lambda r: -r[3])
    assert shown(listing.rows) == [("青岚市教育局", 0, 3, 3, None), ("青岚市人民政府", 1, 3, 2, 200.0)]


def test_any_two_years(service):
    listing = service.changes(ask(**{"from": "2021", "to": "2023"}))
    assert shown(listing.rows) == brute(earlier=2021, later=2023) == [("青岚市人民政府", 5, 30, 25, 500.0)]
    # Only the later year asked: the one before it that the index holds.
    assert service.changes(ask(to="2022")).earlier_year == 2021
    # The two in either order; the same year twice: the one before it.
    backwards = service.changes(ask(**{"from": "2023", "to": "2021"}))
    assert (backwards.earlier_year, backwards.later_year, shown(backwards.rows)) == (2021, 2023, shown(listing.rows))
    same = service.changes(ask(**{"from": "2023", "to": "2023"}))
    assert (same.earlier_year, same.later_year) == (2022, 2023)


@pytest.mark.parametrize("params", [
    {"figure": "requests.nope"}, {"from": "2023", "to": "2023", "measure": "most"},
    {"kind": "ministry"}, {"measure": "most"}, {"audit": "typo"}, {"size": "many"}, {"to": "20x3"},
])
def test_a_bad_parameter_is_refused_with_a_sentence(params):
    with pytest.raises(BadRequest) as raised:
        ChangesRequest.from_params(params)
    assert raised.value.message


def test_the_size_of_each_list_and_its_cap(service):
    assert [len(service.changes(ask(size=size)).rises) for size in ("1", "3")] == [1, 3]
    settings = replace(DEFAULTS, change_rows=2, max_change_rows=3)
    assert ChangesRequest.from_params({}, settings).size == 2
    assert ChangesRequest.from_params({"size": "50"}, settings).size == 3
