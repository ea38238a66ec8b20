"""The benchmark's corpus generator and its SQLite FTS5 baseline, on 20 reports.

The benchmark itself never runs here (it takes minutes); this checks that its inputs
are what it claims: a deterministic corpus that parses back to what was generated,
and a baseline whose answers match a brute-force scan of the same sections.
"""
import html
import re
from collections import Counter

import pytest

from bench import baseline, queries
from madeup import agencies, scale
from corpus.parse import parse_bytes
from corpus.report import SECTION_KEYS
from index.documents import searchable_text
from index.ids import report_id

N, SEED = 20, 11


@pytest.fixture(scope="module")
def corpus():
    return list(scale.generate(N, SEED))


@pytest.fixture(scope="module")
def reports(corpus):
    return [parse_bytes(g.data, g.name, "." + g.name.rsplit(".", 1)[1]) for g in corpus]


@pytest.fixture(scope="module")
def database(reports, tmp_path_factory):
    path = tmp_path_factory.mktemp("baseline") / "baseline.sqlite"
    stats = baseline.build(reports, path)
    assert stats.sections == 6 * N
    assert stats.text_bytes == sum(len(_text(s).encode()) for r in reports for s in r.sections)
    db = baseline.Baseline(path)
    yield db
    db.close()


def test_generator_is_deterministic_and_seeded(corpus):
    again = list(scale.generate(N, SEED))
    assert [(g.name, g.data) for g in again] == [(g.name, g.data) for g in corpus]
    other = list(scale.generate(N, SEED + 1))
    assert [g.data for g in other] != [g.data for g in corpus]


def test_generated_reports_are_realistic(corpus):
    assert all(scale.MIN_BYTES <= len(g.data) <= scale.MAX_BYTES for g in corpus)
    pairs = [(g.agency, g.year) for g in corpus]
    assert len(set(pairs)) == N                           # one report per agency and year
    assert len({g.agency for g in corpus}) >= N // agencies.REPORTS_PER_AGENCY
    assert {g.year for g in corpus} <= set(agencies.YEARS)
    assert {g.template for g in corpus} == {2019, 2021}
    assert all(value != 0 for g in corpus for value in g.figures.values())


def test_generated_reports_parse_back_to_what_was_generated(corpus, reports):
    for generated, report in zip(corpus, reports):
        assert (report.agency, report.region, report.year, report.template, report.figures) == (
            generated.agency, generated.region, generated.year, generated.template, generated.figures)
        assert [s.key for s in report.sections] == list(SECTION_KEYS)


def _text(section) -> str:
    """A section's prose and tables, the text both engines search."""
    return searchable_text(section.text, section.tables)


def _brute_force(reports, query):
    """Every matching section as (report id, agency, region, year, section, text), by a scan."""
    words = baseline.terms(query.q)
    rows = []
    for r in reports:
        for s in r.sections:
            if all(any(w in field for field in (r.agency, s.title, _text(s))) for w in words):
                rows.append((report_id(r.agency, r.year), r.agency, r.region, r.year, s.key, _text(s)))
    return rows


def _passes(row, filters, skip=None):
    values = {"agency": row[1], "region": row[2], "year": row[3], "section": row[4]}
    return all(not wanted or values[name] in wanted for name, wanted in filters.items() if name != skip)


def test_baseline_answers_match_a_brute_force_scan(reports, database):
    checked_hits = 0
    for query in queries.mix(reports):
        filters = {"agency": query.agencies, "region": query.regions, "year": query.years,
                   "section": query.sections}
        rows = _brute_force(reports, query)
        kept = [row for row in rows if _passes(row, filters)]
        result = database.search(query.q, **query.baseline_args())
        assert result.total == len(kept), query.label
        for name in baseline.FACETS:
            index = {"agency": 1, "year": 3, "section": 4}[name]
            counts = Counter(row[index] for row in rows if _passes(row, filters, skip=name))
            expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            if name == "agency":
                expected = expected[:baseline.AGENCY_FACET_SIZE]
            assert result.facets[name] == expected, (query.label, name)
        assert len(result.hits) == min(baseline.TOP, len(kept)), query.label
        matching = {(row[0], row[4]) for row in kept}
        for hit in result.hits:
            assert (hit.report_id, hit.section) in matching
            marked = re.findall(r"<mark>(.*?)</mark>", hit.snippet)
            words = baseline.terms(query.q)
            in_text = [w for w in words if any(w in s.text for r in reports for s in r.sections
                                               if report_id(r.agency, r.year) == hit.report_id
                                               and s.key == hit.section)]
            if in_text:
                assert marked and all(html.unescape(m) in words for m in marked), (query.label, hit.snippet)
            checked_hits += 1
    assert checked_hits > 50


def test_short_words_rank_by_occurrences(reports, database):
    result = database.search("公")
    counts = {(report_id(r.agency, r.year), s.key): s.text.count("公") for r in reports for s in r.sections}
    top = [counts[(h.report_id, h.section)] for h in result.hits]
    assert top == sorted(counts.values(), reverse=True)[:baseline.TOP]


def test_latency_percentiles_are_nearest_rank():
    from bench.measure import Latency
    latency = Latency([ms / 1000 for ms in range(100, 0, -1)])
    assert [latency.pct(p) for p in (50, 95, 99, 100)] == [50.0, 95.0, 99.0, 100.0]
    assert Latency([0.007]).pct(99) == 7.0
