"""The diff of two reports on every engine (search.diff over the contract's ReportViews):
my own pairs (tests/changesdata.py) — unchanged, one number changed, a sentence added,
a section rewritten, years missing — with the expected figures and sentences written
out by hand from the reports."""
from __future__ import annotations

import dataclasses
import json

import pytest

from search.diff import FigureChange, Piece, check_pair, predecessor, report_diff
from search.request import BadRequest
from tests.changesdata import (
    ADDED, EXTRA, FIRST, GAP, NEW_OVERVIEW, ONE_NUMBER, REQUESTS_NEW, REQUESTS_OLD, REWRITTEN, SENTENCES,
    UNCHANGED, change_reports,
)
from tests.engines import ENGINES, built_service

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module", params=ENGINES)
def service(request, tmp_path_factory):
    return built_service(request.param, change_reports(), tmp_path_factory.mktemp("index"))


def against_predecessor(service, report_id):
    later = service.report(report_id)
    return report_diff(service.report(predecessor(later)), later)


def sentences(section):
    return [(s.kind, s.old, s.new) for s in section.sentences]


def test_an_unchanged_report_is_identical_throughout(service):
    diff = against_predecessor(service, f"{UNCHANGED}-2023")
    assert (diff.earlier_id, diff.earlier_year, diff.later_year, diff.gap) == (f"{UNCHANGED}-2022", 2022, 2023, 1)
    assert (diff.status, diff.similarity) == ("identical", 1.0)
    assert [(s.key, s.status, s.added, s.removed, s.edited) for s in diff.sections] == [
        ("overview", "identical", 0, 0, 0), ("requests", "identical", 0, 0, 0), ("problems", "identical", 0, 0, 0)]
    assert (diff.changed, diff.large, diff.new_figures, diff.gone_figures) == (0, 0, [], [])
    assert {item.key: (item.before, item.after, item.change) for item in diff.figures} == {
        "requests.new.total": (12, 12, 0), "requests.granted.total": (10, 10, 0), "appeals.review.total": (0, 0, 0),
        "proactive.licensing.decisions": (100, 100, 0), "proactive.penalty.decisions": (100, 100, 0),
        "proactive.rules.in_force": (7, 7, 0)}


def test_one_changed_number_is_struck_out_and_the_new_one_marked(service):
    diff = against_predecessor(service, f"{ONE_NUMBER}-2023")
    requests = next(s for s in diff.sections if s.key == "requests")
    assert (requests.status, requests.edited) == ("similar", 1)
    assert sentences(requests) == [("same", SENTENCES[2], SENTENCES[2]), ("numbers", REQUESTS_OLD, REQUESTS_NEW)]
    assert requests.sentences[1].pieces == [
        Piece("本年新收政府信息公开申请", "same"), Piece("12", "removed", True), Piece("15", "added", True),
        Piece("件，予以公开10件。", "same")]
    # Large (|change| ≥ 10 and ≥ 50 % of last year's) first, by size; then the other
    # changes by size; then the unchanged ones in table order. 0 → 12 has no percentage.
    assert diff.figures == [
        FigureChange("proactive.licensing.decisions", 100, 160, 60, 60.0, True),
        FigureChange("appeals.review.total", 0, 12, 12, None, True),
        FigureChange("proactive.penalty.decisions", 100, 140, 40, 40.0, False),
        FigureChange("requests.new.total", 12, 15, 3, 25.0, False),
        FigureChange("proactive.rules.in_force", 7, 7, 0, 0.0, False),
        FigureChange("requests.granted.total", 10, 10, 0, 0.0, False)]
    assert (diff.changed, diff.large) == (4, 2)


def test_an_added_sentence_and_figures_new_and_gone(service):
    diff = against_predecessor(service, f"{ADDED}-2023")
    problems = next(s for s in diff.sections if s.key == "problems")
    assert sentences(problems) == [("same", SENTENCES[3], SENTENCES[3]), ("same", SENTENCES[4], SENTENCES[4]),
                                   ("added", None, EXTRA)]
    assert (problems.status, problems.added, problems.removed) == ("revised", 1, 0)
    assert diff.new_figures == [FigureChange("requests.other_other.total", None, 1)]
    assert diff.gone_figures == [FigureChange("requests.other_all.total", 1, None)]
    assert diff.figures == [FigureChange("requests.new.total", 5, 5, 0, 0.0, False)]


def test_a_rewritten_section_removes_every_old_sentence_and_adds_the_new(service):
    diff = against_predecessor(service, f"{REWRITTEN}-2023")
    overview = diff.sections[0]
    first, second = NEW_OVERVIEW.split("。")[:2]
    assert (overview.key, overview.status, overview.similarity) == ("overview", "rewritten", 0.0)
    assert sentences(overview) == [("removed", SENTENCES[0], None), ("removed", SENTENCES[1], None),
                                   ("added", None, first + "。"), ("added", None, second + "。")]
    assert [s.status for s in diff.sections[1:]] == ["identical", "identical"]


def test_a_report_after_missing_years_is_compared_with_the_latest_earlier_one(service):
    later = service.report(f"{GAP}-2023")
    assert predecessor(later) == f"{GAP}-2020"
    diff = report_diff(service.report(f"{GAP}-2020"), later)
    assert (diff.earlier_year, diff.gap) == (2020, 3)
    assert predecessor(service.report(f"{FIRST}-2023")) is None
    assert predecessor(service.report(f"{GAP}-2020")) is None


def test_any_two_reports_of_one_agency_in_either_order(service):
    a, b = service.report(f"{GAP}-2023"), service.report(f"{GAP}-2020")
    earlier, later = check_pair(a, b)
    assert (earlier.report_id, later.report_id) == (f"{GAP}-2020", f"{GAP}-2023")
    with pytest.raises(BadRequest):
        check_pair(a, service.report(f"{FIRST}-2023"))        # another agency
    with pytest.raises(BadRequest):
        check_pair(a, a)                                      # the same report


def test_a_diff_is_plain_data(service):
    diff = against_predecessor(service, f"{ONE_NUMBER}-2023")
    json.dumps(dataclasses.asdict(diff), ensure_ascii=False, allow_nan=False)
