"""A full build keeps its parsed reports on disk (index.spool), not all in memory at once,
and builds exactly the index it built when it held them all."""
import errno
import gc
import json
import pickle

import pytest
from whoosh import index as whoosh_index

from corpus.report import Report
from index import audit, documents, store
from index.audit import run as audit_run
from index.__main__ import main
from index.build import build, build_from
from index.reading import find_files, parse_all
from index.spool import Brief, Spool
from tests.indexdata import make_report, write_report

pytestmark = pytest.mark.slow

AGENCIES = [f"某某县{name}" for name in ("农业农村局", "教育局", "卫生健康委员会", "财政局", "民政局",
                                      "交通运输局", "司法局", "审计局")]


def _corpus(folder, count=24):
    """`count` report files over 8 agencies and several years, with one agency and year
    given twice (the later file wins) and one year skipped (a missing_year finding)."""
    for i in range(count):
        agency, year = AGENCIES[i % 8], 2018 + i // 8 * 2
        write_report(folder / f"{i // 8}", f"{i:03}.txt", agency, year, n=i)
    write_report(folder / "z", "again.txt", AGENCIES[0], 2018, n=99, mtime=4e9)


def _live_reports() -> int:
    return sum(1 for thing in gc.get_objects() if type(thing) is Report)


def _stored(root):
    ix = whoosh_index.open_dir(str(root / "current" / store.INDEX_DIR))
    with ix.searcher() as searcher:
        return sorted(json.dumps(fields, sort_keys=True, ensure_ascii=False)
                      for fields in searcher.all_stored_fields())


def test_spool_gives_back_the_report_it_was_given(tmp_path):
    report = make_report("某某县农业农村局", "某某县", 2022, n=7)
    with Spool(str(tmp_path)) as spool:
        first = spool.put(report)
        second = spool.put(make_report("某某县教育局", "某某县", 2021))
        assert spool.load(second).agency == "某某县教育局"
        assert spool.load(first) == report and spool.load(first) is not report
        assert first == Brief("某某县农业农村局", "某某县", 2022, 6, documents.text_bytes(report), 0)
    assert not list(tmp_path.iterdir())    # the file is gone with the spool


def test_build_never_holds_every_parsed_report(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    _corpus(corpus, count=24)
    alive = {"audit": 0, "write": 0}
    real_findings, real_documents = audit_run.agency_findings, documents.documents

    def audited(reports, parts):
        alive["audit"] = max(alive["audit"], _live_reports())
        return real_findings(reports, parts)

    def written(report, **keys):
        alive["write"] = max(alive["write"], _live_reports())
        return real_documents(report, **keys)

    monkeypatch.setattr(audit_run, "agency_findings", audited)
    monkeypatch.setattr(documents, "documents", written)
    gc.collect()
    before = _live_reports()
    summary = build(corpus, tmp_path / "ix", workers=1, grace=0)
    assert summary.reports == 24 and len(summary.replaced) == 1
    # One agency's reports (here 3 or 4) while it is audited, one report while it is written.
    assert alive["audit"] - before <= 4
    assert alive["write"] - before <= 2


def test_spooled_build_writes_the_same_index_and_summary_as_one_held_in_memory(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus, count=24)
    spooled = build(corpus, tmp_path / "spooled", workers=2, grace=0)
    jobs = [(order, str(path), path.relative_to(corpus).as_posix())
            for order, path in enumerate(find_files(corpus))]
    held = parse_all(jobs, 2, False)
    assert all(isinstance(item.result, Report) for item in held)
    in_memory = build_from(held, tmp_path / "held", files=len(jobs), workers=2, grace=0)
    assert _stored(tmp_path / "spooled") == _stored(tmp_path / "held")
    assert any("missing_year" in doc for doc in _stored(tmp_path / "spooled"))
    for name in ("files", "reports", "sections", "agencies", "years", "refused", "replaced",
                 "text_bytes", "audited", "findings"):
        assert getattr(spooled, name) == getattr(in_memory, name), name


def test_audit_by_groups_finds_what_the_audit_of_the_whole_list_finds():
    reports = [make_report(agency, "某某县", year, n=n) for n, (agency, year) in enumerate(
        [(AGENCIES[0], 2019), (AGENCIES[0], 2022), (AGENCIES[1], 2022), (AGENCIES[1], 2023)])]
    by_agency = [[r for r in reports if r.agency == a] for a in AGENCIES[:2]]
    by_year = [(r for r in reports if r.year == y) for y in (2019, 2022, 2023)]
    assert audit_run.audit_groups(by_agency, by_year) == audit.audit_reports(reports)
    assert audit.audit_reports(reports)[f"{AGENCIES[0]}-2022"][0]["kind"] == "missing_year"


def test_a_full_temporary_folder_fails_the_build_clearly(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    _corpus(corpus, count=2)

    def full(*args, **keys):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pickle, "dump", full)
    assert main(["build", "--corpus", str(corpus), "--index", str(tmp_path / "ix"), "--quiet"]) == 1
    said = capsys.readouterr().err
    assert "No space left on device" in said and "where the build keeps parsed reports" in said
    assert store.current_generation(tmp_path / "ix") is None
