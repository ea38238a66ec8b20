"""The search of the engine contract on every engine: hits, multi-select facet counts,
order, pages, escaping — expected answers from an independent oracle (tests/oracle.py)
over the made-up reports, never from the code under test."""
import dataclasses
import itertools
import json
import random

import pytest

from corpus.report import SECTION_KEYS
from index.audit import audit_reports
from index.changes.run import change_records
from search.request import DEFAULT_PAGE_SIZE, SearchRequest, parse_figure_filter
from search.results import AgencySummary, FacetValue, Hit, SearchResults
from tests import oracle
from tests.engines import ENGINES, built_service
from tests.searchdata import CORPUS, FAILING, XSS, make_reports

pytestmark = pytest.mark.engine

SECTIONS = [(r, s) for r in CORPUS for s in r.sections]



@pytest.fixture(scope="module")
def service(search_service):
    return search_service


def search(service, request):
    return service.search(request)


def rid(report):
    return f"{report.agency}-{report.year}"


def matches(query, report, section):
    return oracle.matches(query, report, section)


def passes(report, section, filters, skip=None):
    return oracle.passes(report, section, filters, AUDITED, skip, CHANGED)


def brute_facets(query, filters):
    return oracle.facet_counts(query, filters, SECTIONS, AUDITED, CHANGED)


def as_counts(results: SearchResults) -> dict:
    return {name: {v.value: v.count for v in values} for name, values in results.facets.items()}


QUERIES = ["公开", "申请", "行政复议 OR 诉讼", "公开 -申请", "信息 2023", "件", "工信局", "青山市 申请",
           "绿水县 OR 白云区 -公开", "", "公开 -工信局", "-发改委", '申请 -"行政 复议"', '"工信局" OR 申请',
           '公开 -"工信局"']
AGENCIES = sorted({r.agency for r in CORPUS})
# Each report's audit finding kinds, as the build computes them (what the index stores:
# input to the search, not under test here).
AUDITED = {report: {item["kind"] for item in found} for report, found in audit_reports(CORPUS).items()}
# Each report's change class against its predecessor, likewise given (classified in
# tests/test_changes_text.py); a report without a predecessor has none.
CHANGED = {report: record["text"] for report, record in change_records(CORPUS).items() if record.get("text")}
REGIONS = sorted({r.region for r in CORPUS})


def test_facet_counts_equal_brute_force_over_random_filter_combinations(service):
    rng = random.Random(7)
    for _ in range(60):
        query = rng.choice(QUERIES)
        filters = {
            "agency": rng.sample(AGENCIES, rng.choice([0, 0, 1, 2])),
            "region": rng.sample(REGIONS, rng.choice([0, 1, 2])),
            "year": rng.sample([2022, 2023], rng.choice([0, 1])),
            "section": rng.sample(list(SECTION_KEYS), rng.choice([0, 1, 3])),
            "audit": rng.sample(["arithmetic", "late", "text_table"], rng.choice([0, 0, 1, 2])),
            "change": rng.sample(["rewritten", "similar", "identical"], rng.choice([0, 0, 1, 2])),
        }
        request = SearchRequest(query=query, agencies=tuple(filters["agency"]),
                                regions=tuple(filters["region"]), years=tuple(filters["year"]),
                                sections=tuple(filters["section"]), audits=tuple(filters["audit"]),
                                changes=tuple(filters["change"]), page_size=100)
        results = search(service, request)
        assert as_counts(results) == brute_facets(query, filters), (query, filters)
        expected = {(rid(r), s.key) for r, s in SECTIONS
                    if matches(query, r, s) and passes(r, s, filters)}
        assert {(h.report_id, h.section) for h in results.hits} == expected
        assert results.total == len(expected)
        for facet in results.facets.values():
            assert all(v.selected == (v.value in map(str, filters[name]))
                       for name, values in results.facets.items() for v in values)


def test_every_query_matches_brute_force_unfiltered(service):
    """Each query of the list, negated abbreviations and phrases included, finds exactly
    the sections its plain meaning gives — the match and the page's check agree."""
    for query in QUERIES:
        results = search(service, SearchRequest(query=query, page_size=100))
        expected = {(rid(r), s.key) for r, s in SECTIONS if matches(query, r, s)}
        assert {(h.report_id, h.section) for h in results.hits} == expected, query
        assert results.total == len(expected), query
    # The negated abbreviation removes sections its verbatim text alone would keep; quoted,
    # it removes only sections whose text holds it.
    named = [(r, s) for r, s in SECTIONS if "工业和信息化局" in r.agency
             and "公开" in s.text and "工信局" not in s.text]
    assert named and not any(matches("公开 -工信局", r, s) for r, s in named)
    assert all(matches('公开 -"工信局"', r, s) for r, s in named)


def brute_total(query, **filters):
    filters = {name: filters.get(name, ()) for name in ("agency", "region", "year", "section")}
    return sum(1 for r, s in SECTIONS if matches(query, r, s) and passes(r, s, filters))


def test_multi_select_a_facet_does_not_narrow_its_own_counts(service):
    plain = search(service, SearchRequest(query="公开"))
    picked = search(service, SearchRequest(query="公开", regions=("青山市",)))
    both = search(service, SearchRequest(query="公开", regions=("青山市", "绿水县")))
    per_region = {region: brute_total("公开", region=(region,)) for region in REGIONS}
    assert picked.facets["region"] == sorted(
        (FacetValue(region, count, region == "青山市") for region, count in per_region.items()),
        key=lambda v: (-v.count, v.value))
    assert [(v.value, v.count) for v in plain.facets["region"]] == [
        (v.value, v.count) for v in picked.facets["region"]]
    # ...while the other facets count only the selected region's sections.
    assert picked.facets["agency"] == sorted(
        (FacetValue(a, brute_total("公开", agency=(a,), region=("青山市",)), False)
         for a in AGENCIES if a.startswith("青山市")), key=lambda v: (-v.count, v.value))
    assert (plain.total, picked.total, both.total) == (
        brute_total("公开"), per_region["青山市"], per_region["青山市"] + per_region["绿水县"])
    assert picked.total < plain.total
    assert sorted(v.value for v in both.facets["region"] if v.selected) == ["绿水县", "青山市"]


def test_selected_value_without_matches_is_still_listed(service):
    results = search(service, SearchRequest(query="政策解读", agencies=("白云区卫生健康委员会",)))
    assert results.total == 0 and results.hits == []
    assert FacetValue("白云区卫生健康委员会", 0, True) in results.facets["agency"]
    assert FacetValue("青山市工业和信息化局", 2, False) in results.facets["agency"]


def test_whole_result_structure(service):
    results = search(service, SearchRequest(query="国家秘密"))
    assert results == SearchResults(
        query="国家秘密", terms=["国家秘密"], total=1, page=1, page_size=DEFAULT_PAGE_SIZE,
        hits=[Hit(report_id="青山市发展和改革委员会-2023", agency="青山市发展和改革委员会",
                  agency_id="青山市发展和改革委员会", region="青山市", year=2023,
                  published="2024-01-15", section="requests", title="三、收到和处理政府信息公开申请情况",
                  snippet="本年新收申请20件，予以公开15件，不予公开3件，其中涉及<mark>国家秘密</mark>1件。",
                  score=results.hits[0].score, findings=["arithmetic"])],
        facets={"agency": [FacetValue("青山市发展和改革委员会", 1, False)],
                "region": [FacetValue("青山市", 1, False)],
                "year": [FacetValue("2023", 1, False)],
                "section": [FacetValue("requests", 1, False)],
                "audit": [FacetValue("arithmetic", 1, False)],      # its table fails a check
                "change": []},      # its agency has no earlier report to compare it with
        agencies=[AgencySummary("青山市发展和改革委员会", "青山市发展和改革委员会", "青山市", 1, 1)],
        agencies_total=1, expansions={}, without_filter={}, unfiltered=1)
    assert results.hits[0].score > 0
    json.dumps(dataclasses.asdict(results), ensure_ascii=False)  # plain data, all the way down


def test_agencies_summary_counts_reports_and_sections(service):
    results = search(service, SearchRequest(query="公开"))
    expected = []
    for agency in AGENCIES:
        hits = [(r, s) for r, s in SECTIONS if r.agency == agency and matches("公开", r, s)]
        expected.append(AgencySummary(agency, agency, hits[0][0].region,
                                      len({r.year for r, _ in hits}), len(hits)))
    expected.sort(key=lambda a: (-a.sections, -a.reports, a.agency))
    assert results.agencies == expected
    assert results.agencies_total == len(AGENCIES)
    assert expected[0] == AgencySummary("青山市工业和信息化局", "青山市工业和信息化局", "青山市", 2, 5)


def test_script_in_a_report_and_in_a_query_is_escaped(service):
    for query in ("处理费", "<script>", XSS, '"x")</script>'):
        results = search(service, SearchRequest(query=query))
        assert results.total == 1, query
        snippet = results.hits[0].snippet
        assert "<script" not in snippet and "&lt;script&gt;" in snippet or "&lt;/script&gt;" in snippet
        assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_numbers_are_found_and_marked_whole(service):
    results = search(service, SearchRequest(query="12"))
    assert {(h.report_id, h.section) for h in results.hits} == {
        ("青山市工业和信息化局-2023", "overview"), ("青山市工业和信息化局-2023", "requests"),
        ("绿水县住房和城乡建设局-2022", "overview")}
    for hit in results.hits:
        assert "<mark>12</mark>" in hit.snippet and "<mark>12</mark>0" not in hit.snippet


def test_a_distinctive_phrase_ranks_its_section_first(service):
    results = search(service, SearchRequest(query="棚户区改造"))
    assert [(h.report_id, h.section) for h in results.hits] == [("绿水县住房和城乡建设局-2022", "overview")]
    results = search(service, SearchRequest(query="政策解读 形式"))
    assert results.hits[0].section == "problems"


@pytest.mark.parametrize("engine", ENGINES)
def test_jieba_words_rank_above_bigram_only_matches(engine, tmp_path):
    texts = {
        ("甲市审计局", 2023): {"overview": "本局推进政务公开标准化建设。", "other": "公开政务信息。"},
        ("乙市审计局", 2023): {"overview": "开政务的人很多，政务公开不是这里的词。"},
    }
    service = built_service(engine, make_reports(texts), tmp_path)
    results = search(service, SearchRequest(query="政务公开"))
    assert [h.report_id for h in results.hits][:1] == ["甲市审计局-2023"]
    assert {(h.report_id, h.section) for h in results.hits} == {
        ("甲市审计局-2023", "overview"), ("乙市审计局-2023", "overview")}


def test_alias_finds_the_agency_and_marks_its_name(service):
    results = search(service, SearchRequest(query="工信局", page_size=50))
    assert {h.report_id for h in results.hits} == {"青山市工业和信息化局-2023", "青山市工业和信息化局-2022"}
    assert results.total == sum(len(r.sections) for r in CORPUS if r.agency == "青山市工业和信息化局")
    overview = next(h for h in results.hits if h.section == "overview" and h.year == 2023)
    assert "<mark>青山市工业和信息化局</mark>" in overview.snippet
    assert search(service, SearchRequest(query="发改委 国家秘密")).total == 1
    assert search(service, SearchRequest(query="卫健委")).total == 3
    assert results.expansions == {"工信局": ["青山市工业和信息化局"]}


def test_a_quoted_abbreviation_is_searched_as_text_only(service):
    """"工信局" in quotes is the literal search the results page offers: no agency expansion."""
    assert search(service, SearchRequest(query='"工信局"')).total == 0
    assert search(service, SearchRequest(query='"工信局"')).expansions == {}
    # The unquoted search, made after, is not served from the quoted one's cache.
    assert search(service, SearchRequest(query="工信局")).total > 0
    assert search(service, SearchRequest(query='"青山市工业和信息化局"')).total > 0   # a full name still matches


def test_newest_oldest_and_figure_sorts(service):
    newest = search(service, SearchRequest(query="申请", sort="newest", page_size=50))
    assert [h.year for h in newest.hits] == sorted((h.year for h in newest.hits), reverse=True)
    oldest = search(service, SearchRequest(query="申请", sort="oldest", page_size=50))
    assert [h.year for h in oldest.hits] == sorted(h.year for h in oldest.hits)
    by_figure = search(service, SearchRequest(query="申请", sort="requests.new.total", page_size=50))
    assert [h.report_id for h in by_figure.hits] == [
        "青山市发展和改革委员会-2023", "青山市工业和信息化局-2023", "绿水县住房和城乡建设局-2022",
        "绿水县人力资源和社会保障局-2023", "青山市工业和信息化局-2022", "白云区卫生健康委员会-2023"]
    ascending = search(service, SearchRequest(query="申请", sort="appeals.review.total",
                                             ascending=True, page_size=50))
    # Reports without the figure come last whatever the direction, newest first.
    order = list(dict.fromkeys(h.report_id for h in ascending.hits))
    # Equal values: newest first, then by agency name.
    assert order == ["绿水县人力资源和社会保障局-2023", "青山市工业和信息化局-2023",
                     "绿水县住房和城乡建设局-2022", "青山市发展和改革委员会-2023",
                     "白云区卫生健康委员会-2023", "青山市工业和信息化局-2022"]
    # Within a report, sections keep the template's order.
    keys = list(SECTION_KEYS)
    for report_id in order:
        sections = [h.section for h in ascending.hits if h.report_id == report_id]
        assert sections == sorted(sections, key=keys.index)


def test_pages_slice_the_same_order(service):
    everything = search(service, SearchRequest(query="公开", page_size=100))
    pages = [search(service, SearchRequest(query="公开", page=p, page_size=4)) for p in (1, 2, 3, 4)]
    total = brute_total("公开")
    assert total == 13
    assert [len(p.hits) for p in pages] == [4, 4, 4, 1]
    assert [h for p in pages for h in p.hits] == everything.hits
    assert all(p.total == total for p in pages)
    for results in (everything, *pages):
        assert [h.score for h in results.hits] == sorted((h.score for h in results.hits), reverse=True)


def test_report_level_filters(service):
    def ids(**kwargs):
        return {h.report_id for h in search(service, SearchRequest(page_size=100, **kwargs)).hits}

    assert ids(template=2019) == {"青山市工业和信息化局-2022", "绿水县住房和城乡建设局-2022"}
    assert ids(failing=True) == {f"{a}-{y}" for a, y in FAILING}
    assert ids(failing=False) == {rid(r) for r in CORPUS} - {f"{a}-{y}" for a, y in FAILING}
    assert ids(figure_filters=(parse_figure_filter("requests.new.total>=7"),)) == {
        "青山市发展和改革委员会-2023", "青山市工业和信息化局-2023", "绿水县住房和城乡建设局-2022"}
    assert ids(query="公开", figure_filters=(parse_figure_filter("appeals.review.total>0"),)) == {
        "青山市发展和改革委员会-2023"}
    results = search(service, SearchRequest(template=2021, years=(2023,)))
    assert results.facets["year"] == [FacetValue("2023", 13, True)]


def test_empty_query_browses_every_section_newest_first(service):
    results = search(service, SearchRequest(page_size=100))
    assert results.total == len(SECTIONS) and results.terms == []
    assert [h.year for h in results.hits] == sorted((h.year for h in results.hits), reverse=True)
    assert all(h.snippet for h in results.hits)


def test_exclusion_only(service):
    results = search(service, SearchRequest(query="-公开 -申请", page_size=100))
    assert {(h.report_id, h.section) for h in results.hits} == {
        (rid(r), s.key) for r, s in SECTIONS if "公开" not in s.text and "申请" not in s.text}


@pytest.mark.parametrize("combo", list(itertools.product(["公开", "申请"], [None, "青山市"])))
def test_every_hit_contains_the_query(service, combo):
    query, region = combo
    results = search(service, SearchRequest(query=query, regions=(region,) if region else (),
                                           page_size=100))
    texts = {(rid(r), s.key): s.text for r, s in SECTIONS}
    assert results.hits and all(query in texts[(h.report_id, h.section)] for h in results.hits)


def test_command_line_prints_the_same_plain_data(service, capsys):
    from search.__main__ import main

    where = ["--engine", service.engine, "--index", service.settings.index_path,
             "--opensearch-url", service.settings.opensearch_url,
             "--opensearch-index", service.settings.opensearch_index]
    assert main([*where, "--region", "青山市", "--json", "公开", "申请"]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = search(service, SearchRequest(query="公开 申请", regions=("青山市",)))
    assert printed == json.loads(json.dumps(dataclasses.asdict(expected), ensure_ascii=False))
    assert main([*where, "--year", "20x3", "公开"]) == 2
    assert "年度“20x3”不是有效的年份。" in capsys.readouterr().err
    assert main([*where, "<script>"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 个章节") and "[<script>]" in out


@pytest.mark.parametrize("engine", ENGINES)
def test_pages_partition_hits_with_tied_scores(engine, tmp_path):
    # Forty reports with the same text: every score ties, pages must still not overlap.
    texts = {(f"第{i}号测试局", 2023): {"overview": "本局依法公开政府信息。", "other": "无。"}
             for i in range(40)}
    service = built_service(engine, make_reports(texts), tmp_path)
    seen = []
    for page in range(1, 8):
        results = search(service, SearchRequest(query="公开 信息", page=page, page_size=7))
        seen += [(h.report_id, h.section) for h in results.hits]
    assert len(seen) == len(set(seen)) == results.total == 40


