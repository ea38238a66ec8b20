"""Building the index: what goes in, what the summary says, what a search finds."""
import json
import math
import random
import shutil

import pytest
from whoosh import index as whoosh_index
from whoosh.query import And, NumericRange, Term

from corpus.report import Refusal
from index import schema as f
from index import store, whoosh_adapter, writing
from index.analysis import jieba_terms
from index.folding import fold
from index.build import BuildFailed, build, build_from
from index.__main__ import main
from index.reading import Parsed
from search.whoosh.verbatim import verbatim_docs
from tests.indexdata import make_report, write_report

pytestmark = pytest.mark.slow

A, B, C, D = "海东市测试局", "某某县农业农村局", "平潭综合实验区管委会", "某某市某某镇人民政府"


def parsed(*reports):
    return [Parsed(r.source, r.source, 1000.0 + i, i, r) for i, r in enumerate(reports)]


def open_live(root):
    return whoosh_index.open_dir(str(root / "current" / store.INDEX_DIR))


def sections_of(searcher, **terms):
    query = And([Term(f.KIND, f.KIND_SECTION)] + [Term(k, v) for k, v in terms.items()])
    return sorted(hit[f.DOC_ID] for hit in searcher.search(query, limit=None))


def find_verbatim(searcher, piece):
    return {searcher.stored_fields(docnum)[f.DOC_ID] for docnum in verbatim_docs(searcher, piece)}


def test_section_documents_store_facets_title_and_text(tmp_path):
    report = make_report(A, "海东市", 2022, failing=True)
    build_from(parsed(report), tmp_path / "ix", workers=1)
    with open_live(tmp_path / "ix").searcher() as searcher:
        stored = searcher.document(doc_id=f"{A}-2022#requests")
    assert stored == {
        "kind": "section", "doc_id": f"{A}-2022#requests", "report_id": f"{A}-2022",
        "agency": A, "region": "海东市", "year": 2022, "published": "2023-01-20",
        "template": 2021, "section": "requests", "title": "三、收到和处理政府信息公开申请情况",
        "text": report.section("requests").text, "failing": True,
        "tables_json": json.dumps(report.section("requests").tables, ensure_ascii=False),
    }


def test_report_document_keeps_the_whole_report_and_every_figure(tmp_path):
    figures = {"requests.new.total": 12.0, "appeals.review.total": 3.0, "proactive.fees.amount": 1.25}
    reports = [make_report(A, "海东市", 2022, figures=figures),
               make_report(B, "某某县", 2022, figures={"requests.new.total": 0.0,
                                                      "appeals.review.total": 7.0}),
               make_report(C, "平潭综合实验区", 2023, figures={"appeals.review.total": 1.0}),
               make_report(D, "某某镇", 2023, figures={"requests.new.total": 2.0})]
    build_from(parsed(*reports), tmp_path / "ix", workers=1)
    ix = open_live(tmp_path / "ix")
    with ix.searcher() as searcher:
        stored = searcher.document(doc_id=f"{A}-2022", kind="report")
        assert json.loads(stored.pop(f.REPORT_JSON)) == reports[0].to_json()
        # The made-up prose says 5 new requests and 6 reviews; the table says 12 and 3.
        findings = json.loads(stored.pop(f.FINDINGS_JSON))
        assert [(x["kind"], x["figure"], x["text_value"]) for x in findings] == [
            ("text_table", "requests.new.total", 5.0), ("text_table", "appeals.review.total", 6.0)]
        # Its agency has no earlier report (index.changes).
        assert json.loads(stored.pop(f.CHANGES_JSON)) == {"previous": None}
        assert stored == {
            "kind": "report", "doc_id": f"{A}-2022", "report_id": f"{A}-2022", "agency": A,
            "region": "海东市", "year": 2022, "published": "2023-01-20", "template": 2021,
            "failing": False, "source": f"{A}-2022.txt",
            "fig_requests__new__total": 12.0, "fig_appeals__review__total": 3.0,
            "fig_proactive__fees__amount": 1.25,
        }
        # Filter by a figure (requests.new.total > 0) and sort by another.
        positive = searcher.search(NumericRange(f.figure_field("requests.new.total"), 0, None,
                                                startexcl=True), limit=None)
        assert sorted(hit[f.REPORT_ID] for hit in positive) == sorted([f"{A}-2022", f"{D}-2023"])
        # Sort by a figure over its column; a report without it reads NaN (missing).
        column = searcher.reader().column_reader(f.figure_field("appeals.review.total"))
        values = {searcher.stored_fields(n)[f.REPORT_ID]: column[n]
                  for n in Term(f.KIND, f.KIND_REPORT).docs(searcher)}
        assert math.isnan(values.pop(f"{D}-2023"))
        assert sorted(values, key=values.get, reverse=True) == [f"{B}-2022", f"{A}-2022", f"{C}-2023"]
        assert "fig_appeals__review__total" not in searcher.document(doc_id=f"{D}-2023")


def test_every_verbatim_substring_finds_its_section_even_across_line_breaks(tmp_path):
    rng = random.Random(3)
    reports = [make_report(A, "海东市", 2022, n=3), make_report(B, "某某县", 2021, n=8)]
    # Text as damaged extraction leaves it: broken lines, stray spaces.
    reports[0].sections[0].text = "本机关认真落实《条例》要求，\n政府信息公开\n工作 稳步推进。\n全年办理申请２件。"
    reports[1].sections[4].text = "存在问题：公开\n内容不够全面；下一步\n将加强培训。"
    build_from(parsed(*reports), tmp_path / "ix", workers=1)
    with open_live(tmp_path / "ix").searcher() as searcher:
        assert find_verbatim(searcher, "政府信息公开工作稳步") == {f"{A}-2022#overview"}
        assert find_verbatim(searcher, "公开内容") == {f"{B}-2021#problems"}
        for _ in range(150):
            report = rng.choice(reports)
            section = rng.choice(report.sections)
            start = rng.randrange(len(section.text))
            piece = section.text[start:start + rng.randint(1, 15)]
            if not piece.strip():
                continue
            found = find_verbatim(searcher, piece)
            assert f"{report.agency}-{report.year}#{section.key}" in found, repr(piece)
            compact = "".join(fold(piece).split())
            expected = {f"{r.agency}-{r.year}#{s.key}" for r in reports for s in r.sections
                        if compact in "".join(fold(s.text).split())}
            assert found == expected, repr(piece)


def test_jieba_fields_rank_words_and_keep_agency_names_whole(tmp_path):
    build_from(parsed(make_report(A, "海东市", 2022), make_report(B, "某某县", 2022)),
               tmp_path / "ix", workers=1)
    ix = open_live(tmp_path / "ix")
    analyzer = f.jieba_of(ix.schema)
    assert jieba_terms(B, analyzer) == [B]
    with ix.searcher() as searcher:
        hits = searcher.search(And([Term(f.AGENCY_TEXT, B), Term(f.KIND, f.KIND_SECTION)]), limit=None)
        assert {hit[f.REPORT_ID] for hit in hits} == {f"{B}-2022"}
        terms = jieba_terms("依申请公开工作依法有序", analyzer)
        hits = searcher.search(And([Term(f.TEXT_FIELD, term) for term in terms]), limit=None)
        assert {hit[f.DOC_ID] for hit in hits} == {f"{A}-2022#requests", f"{B}-2022#requests"}
        # A posting holds how often the word occurs (its weight, for BM25), not where.
        text = searcher.document(doc_id=f"{A}-2022#requests")[f.TEXT_FIELD]
        counts = {}
        for word in jieba_terms(text, analyzer, mode="index"):
            counts[word] = counts.get(word, 0) + 1
        docnum = searcher.document_number(doc_id=f"{A}-2022#requests")
        for word, count in counts.items():
            matcher = searcher.postings(f.TEXT_FIELD, word)
            matcher.skip_to(docnum)
            assert (matcher.id(), matcher.weight()) == (docnum, count), word
        assert not ix.schema[f.TEXT_FIELD].format.supports("positions")


def test_build_from_files_summarises_reports_refusals_and_duplicates(tmp_path):
    corpus = tmp_path / "corpus"
    write_report(corpus, "2022/a.txt", A, 2022, mtime=1_000_000)
    write_report(corpus, "2022/b.txt", B, 2022, wrap=13, mtime=1_000_000)
    write_report(corpus, "2023/a-old.txt", A, 2023, n=1, mtime=1_000_500)
    write_report(corpus, "2023/a-new.txt", A, 2023, n=9, mtime=1_000_900)   # newer: wins
    write_report(corpus, "2023/b1.txt", B, 2023, n=1, mtime=1_000_000)
    write_report(corpus, "2023/b2.txt", B, 2023, n=2, mtime=1_000_000)      # same time, later path: wins
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "notes.txt").write_text("会议纪要：今天讨论了午餐安排。\n", encoding="utf-8")
    (corpus / ".hidden.txt").write_text("ignored", encoding="utf-8")

    summary = build(corpus, tmp_path / "ix", workers=2)

    assert (summary.files, summary.reports, summary.sections, summary.agencies, summary.years) == (
        8, 4, 24, 2, {2022: 2, 2023: 2})
    assert [r["source"] for r in summary.refused] == ["empty.txt", "notes.txt"]
    assert all(r["error"].endswith(".") for r in summary.refused)
    assert summary.replaced == [
        {"report_id": f"{B}-2023", "replaced": "2023/b1.txt", "by": "2023/b2.txt"},
        {"report_id": f"{A}-2023", "replaced": "2023/a-old.txt", "by": "2023/a-new.txt"},
    ]
    ix = open_live(tmp_path / "ix")
    with ix.searcher() as searcher:
        assert searcher.document(doc_id=f"{A}-2023")[f.SOURCE] == "2023/a-new.txt"
        assert "主动公开各类信息9条" in searcher.document(doc_id=f"{A}-2023#overview")[f.TEXT_FIELD]
        assert searcher.document(doc_id=f"{B}-2023")[f.SOURCE] == "2023/b2.txt"
        # Counts per agency, year and section match the corpus.
        assert len(sections_of(searcher, agency=A)) == 12
        assert len(sections_of(searcher, year=2022)) == 12
        assert len(sections_of(searcher, section="appeals")) == 4
        assert sections_of(searcher, agency=B, year=2022, section="other") == [f"{B}-2022#other"]
    written = json.loads((tmp_path / "ix" / "current" / store.SUMMARY).read_text(encoding="utf-8"))
    assert written["reports"] == 4 and written["replaced"] == summary.replaced


def test_parallel_writer_indexes_every_document(tmp_path, monkeypatch):
    monkeypatch.setattr(writing, "PARALLEL_WRITE_MIN_REPORTS", 2)
    reports = [make_report(f"测试市第{i}局", "测试市", 2020 + i % 3, n=i) for i in range(12)]
    summary = build_from(parsed(*reports), tmp_path / "ix", workers=2)
    assert (summary.reports, summary.sections, summary.agencies) == (12, 72, 12)
    with open_live(tmp_path / "ix").searcher() as searcher:
        assert find_verbatim(searcher, "主动公开各类信息11条") == {"测试市第11局-2022#overview"}


def test_nothing_readable_fails_and_keeps_the_old_index(tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    write_report(good, "a.txt", A, 2022)
    (bad / "sub").mkdir(parents=True)
    (bad / "sub" / "x.txt").write_bytes(b"\x00\x01\x02binary")
    build(good, tmp_path / "ix", workers=1)
    live = store.current_generation(tmp_path / "ix")
    with pytest.raises(BuildFailed, match="No readable report") as failed:
        build(bad, tmp_path / "ix", workers=1)
    assert [r["source"] for r in failed.value.summary.refused] == ["sub/x.txt"]
    assert store.current_generation(tmp_path / "ix") == live
    assert [p.name for p in (tmp_path / "ix" / "generations").iterdir()] == [live]
    with pytest.raises(BuildFailed, match="does not exist"):
        build(tmp_path / "missing", tmp_path / "ix")


def test_cli_build_prints_the_summary_and_fails_clearly(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    write_report(corpus, "a.txt", A, 2022)
    write_report(corpus, "b.txt", C, 2023)
    (corpus / "c.txt").write_bytes(b"")
    assert main(["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "  reports:         2\n" in out and "  years:           2022 (1), 2023 (1)\n" in out
    assert "refused files (1):\n    c.txt: " in out
    shutil.rmtree(corpus)
    corpus.mkdir()
    assert main(["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--quiet"]) == 1
    assert "No readable report" in capsys.readouterr().err


def test_refusal_from_the_parser_is_listed_with_its_reason(tmp_path):
    items = parsed(make_report(A, "海东市", 2022)) + [
        Parsed("x.pdf", "x.pdf", 1.0, 9, Refusal("x.pdf", "The file is empty."))]
    summary = build_from(items, tmp_path / "ix", workers=1)
    assert summary.refused == [{"source": "x.pdf", "error": "The file is empty."}]
    assert summary.reports == 1


def test_report_ids_are_readable_and_safe_in_a_url_path():
    from index.ids import agency_id, report_id

    assert report_id("海东市商务局", 2023) == "海东市商务局-2023"
    assert report_id("某某市 /教育局?#%", "2021") == "某某市教育局-2021"
    assert agency_id("平潭综合实验区（管委会）\n") == "平潭综合实验区（管委会）"
    assert agency_id("../") == "unknown"


def test_cli_add_and_remove(tmp_path, capsys):
    corpus, root = tmp_path / "corpus", str(tmp_path / "ix")
    write_report(corpus, "a.txt", A, 2022)
    assert main(["build", "--corpus", str(corpus), "--index", root, "--quiet"]) == 0
    extra = write_report(tmp_path, "extra.txt", B, 2023)
    capsys.readouterr()
    assert main(["add", str(extra), "--index", root, "--quiet"]) == 0
    assert f"  added (1): {B}-2023\n" in capsys.readouterr().out
    assert main(["remove", f"{A}-2022", "--index", root]) == 0
    out = capsys.readouterr().out
    assert f"  removed (1): {A}-2022\n" in out and "  reports:         1\n" in out
    assert main(["remove", f"{A}-2022", "--index", root]) == 1
    assert f"Nothing was removed: the index has no report with the id {A}-2022" in capsys.readouterr().err


def _postings(root):
    """Every (field, term, doc id, positions/value) of the live index, by stored doc id."""
    ix = open_live(root)
    out = set()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids = {n: stored[f.DOC_ID] for n, stored in reader.iter_docs()}
        for field, term in reader.all_terms():
            postings = reader.postings(field, term)
            while postings.is_active():
                out.add((field, term, ids[postings.id()], postings.value()))
                postings.next()
        stored = sorted(json.dumps(doc, sort_keys=True, default=str) for _, doc in reader.iter_docs())
    return out, stored


@pytest.mark.parametrize("workers", [1, 2])
def test_spilling_posting_runs_to_disk_changes_nothing_in_the_index(tmp_path, monkeypatch, workers):
    reports = parsed(*(make_report(f"某某市第{i}测试局", "某某市", 2019 + i % 6, n=i) for i in range(60)))
    build_from(reports, tmp_path / "roomy", workers=workers, grace=0)
    monkeypatch.setattr(writing, "WRITER_LIMIT_MB", 1)   # a pool this small spills many runs
    spilled = []
    real = whoosh_adapter.SpillPool.write_run
    monkeypatch.setattr(whoosh_adapter.SpillPool, "write_run",
                        lambda self, f, items: (spilled.append(1), real(self, f, items))[1])
    build_from(reports, tmp_path / "tight", workers=workers, grace=0)
    if workers == 1:
        assert spilled, "the tight build should have spilled runs to disk"
    roomy, tight = _postings(tmp_path / "roomy"), _postings(tmp_path / "tight")
    assert len(roomy[0]) > 10000
    assert roomy == tight
