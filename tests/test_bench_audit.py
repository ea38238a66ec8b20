"""The bench generator's planted audit cases are found, and its other reports stay clean."""
from collections import defaultdict

import pytest

from madeup import scale
from corpus.parse import parse_bytes
from index.audit import audit_reports
from index.ids import report_id

pytestmark = pytest.mark.slow

N, SEED = 200, 11


@pytest.fixture(scope="module")
def generated():
    corpus = list(scale.generate(N, SEED))
    reports = [parse_bytes(g.data, g.name, "." + g.name.rsplit(".", 1)[1]) for g in corpus]
    return corpus, audit_reports(reports)


def test_every_kind_is_planted_somewhere(generated):
    corpus, _ = generated
    planted = {kind for g in corpus for kind in g.planted}
    assert planted == {"cross_year", "late", "duplicate", "text_table"}
    years = defaultdict(set)
    for g in corpus:
        years[g.agency].add(g.year)
    assert any(max(ys) - min(ys) + 1 > len(ys) for ys in years.values())    # a missing year


def test_planted_cases_are_found(generated):
    corpus, found = generated
    years = defaultdict(set)
    copies = defaultdict(set)
    for g in corpus:
        years[g.agency].add(g.year)
        if "duplicate" in g.planted:
            copies[g.year].add(report_id(g.agency, g.year))
    for g in corpus:
        rid = report_id(g.agency, g.year)
        kinds = {item["kind"]: item for item in found[rid]}
        if "late" in g.planted:
            assert kinds["late"]["days_late"] > 0
        if "text_table" in g.planted:
            item = kinds["text_table"]
            assert item["text_value"] == item["table_value"] + 7
        if "cross_year" in g.planted and g.year - 1 in years[g.agency]:
            assert kinds["cross_year"]["mismatches"][0]["carried_over"] == \
                kinds["cross_year"]["mismatches"][0]["carried_forward"] + 1
        if "duplicate" in g.planted and len(copies[g.year]) > 1:
            assert kinds["duplicate"]["other"] in copies[g.year] - {rid}
        earlier = [y for y in years[g.agency] if y < g.year]
        if earlier and max(earlier) < g.year - 1:
            assert kinds["missing_year"]["years"] == list(range(max(earlier) + 1, g.year))


def test_unplanted_reports_have_no_cross_year_late_duplicate_or_text_table(generated):
    corpus, found = generated
    for g in corpus:
        kinds = {item["kind"] for item in found[report_id(g.agency, g.year)]}
        unplanted = kinds - set(g.planted) - {"arithmetic", "missing_year"}
        assert not unplanted, (g.name, g.planted, found[report_id(g.agency, g.year)])
