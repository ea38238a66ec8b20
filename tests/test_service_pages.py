"""The pages of the engine contract on every engine: a report, an agency, all agencies,
the corpus's counts, health — expected answers computed from the made-up reports."""
import dataclasses
import json

import pytest

from search.pages import KEY_FIGURES
from search.results import AgencyListing, CheckRecord, CorpusStats, ReportSummary
from tests.engines import ENGINES, built_service
from tests.searchdata import CORPUS, FAILING


pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def service(search_service):
    return search_service


def test_get_report_returns_the_whole_report(service):
    for report in CORPUS:
        view = service.report(f"{report.agency}-{report.year}")
        assert view.report == report
        assert view.agency_id == report.agency
        assert view.failing == ((report.agency, report.year) in FAILING)
        assert view.source == report.source and view.has_original is False
        json.dumps(dataclasses.asdict(view), ensure_ascii=False)


@pytest.mark.parametrize("report_id", ["", "nobody-2023", "青山市工业和信息化局-2021", "../../etc",
                                       None, "青山市工业和信息化局-2023#overview"])
def test_unknown_report_is_none(service, report_id):
    assert service.report(report_id) is None


def test_list_agencies(service):
    expected = []
    for agency in sorted({r.agency for r in CORPUS}):
        reports = [r for r in CORPUS if r.agency == agency]
        expected.append(AgencyListing(
            agency=agency, agency_id=agency, region=reports[0].region,
            years=sorted(r.year for r in reports), reports=len(reports),
            failing=sum((r.agency, r.year) in FAILING for r in reports),
            latest_report=f"{agency}-{max(r.year for r in reports)}"))
    expected.sort(key=lambda a: (a.region, a.agency))
    assert service.agencies() == expected


def test_get_agency_reports_figures_and_checks_by_year(service):
    view = service.agency("青山市工业和信息化局")
    reports = sorted((r for r in CORPUS if r.agency == "青山市工业和信息化局"), key=lambda r: r.year)
    assert (view.agency, view.region, view.years) == ("青山市工业和信息化局", "青山市", [2022, 2023])
    assert view.reports == [
        ReportSummary(f"{r.agency}-{r.year}", r.year, r.published, r.template, False, r.source)
        for r in reports]
    assert view.figures == {
        key: [None if r.figures.get(key) is None else int(r.figures[key]) for r in reports]
        for key in KEY_FIGURES if any(key in r.figures for r in reports)}
    assert view.figures["requests.new.total"] == [3, 12]
    assert view.checks == [CheckRecord(r.year, f"{r.agency}-{r.year}", c.rule, c.ok, c.detail)
                           for r in reports for c in r.checks]
    assert service.agency("青山市发展和改革委员会").checks[0].ok is False


@pytest.mark.parametrize("agency_id", ["", "无此机关", None, "青山市"])
def test_unknown_agency_is_none(service, agency_id):
    assert service.agency(agency_id) is None


def test_corpus_stats(service):
    assert service.stats() == CorpusStats(
        reports=len(CORPUS), sections=sum(len(r.sections) for r in CORPUS),
        agencies=len({r.agency for r in CORPUS}), regions=len({r.region for r in CORPUS}),
        years=len({r.year for r in CORPUS}), failing=len(FAILING),
        region_list=sorted({r.region for r in CORPUS}), agency_list=sorted({r.agency for r in CORPUS}),
        year_list=sorted({r.year for r in CORPUS}, reverse=True))


def test_health_names_the_engine_and_counts_the_reports(service):
    health = service.health()
    assert (health.engine, health.reports) == (service.engine, len(CORPUS))
    assert health.generation and health.built_at > 0


def test_original_of_an_unknown_or_uncopied_report_is_none(service):
    assert service.original("nobody-2023") is None
    assert service.original(f"{CORPUS[0].agency}-{CORPUS[0].year}") is None   # built from objects: no file
