"""The audit inside the index: findings stored at build time, kept right by ``index add``
and ``index remove``, listed by ``python -m index audit``."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Term

from index import build as builder
from index import schema as f
from index import store
from index.__main__ import main
from index.audit.stored import every_report
from index.build import build_from
from index.reading import Parsed
from tests.auditdata import LONG_PROSE, audit_report, report_file_text

A, B = "甲市测试局", "乙县样例办公室"


def build(root: Path, *reports) -> None:
    parsed = [Parsed(path=str(root / "none" / r.source), source=r.source, mtime=0.0, order=i, result=r)
              for i, r in enumerate(reports)]
    build_from(parsed, root, workers=1, grace=0)


def findings(root: Path) -> dict[str, list[dict]]:
    ix = whoosh_index.open_dir(str(root / store.CURRENT / store.INDEX_DIR))
    return {row["report_id"]: row["findings"] for row in every_report(ix)}


def kinds(root: Path) -> dict[str, list[str]]:
    return {rid: [x["kind"] for x in found] for rid, found in findings(root).items()}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_adding_last_years_report_creates_then_removing_it_clears_cross_year(tmp_path):
    root = tmp_path / "ix"
    build(root, audit_report(A, 2023, figures={"requests.carried_over.total": 2.0}))
    assert kinds(root) == {f"{A}-2023": []}
    last_year = write(tmp_path, "last.txt", report_file_text(A, 2022, new=6, carried_forward=3))
    summary = builder.add([last_year], root, grace=0)
    found = findings(root)
    assert [x["kind"] for x in found[f"{A}-2023"]] == ["cross_year"]
    assert found[f"{A}-2023"][0]["other"] == f"{A}-2022"
    assert found[f"{A}-2022"] == []
    assert summary.findings["cross_year"] == 1
    # The section documents of the 2023 report were written again: a search filter sees them.
    ix = whoosh_index.open_dir(str(root / store.CURRENT / store.INDEX_DIR))
    with ix.searcher() as searcher:
        docs = {searcher.stored_fields(d)[f.DOC_ID] for d in
                searcher.search(Term(f.FINDING, "cross_year"), limit=None).docs()}
    assert docs == {f"{A}-2023", f"{A}-2023#overview", f"{A}-2023#requests", f"{A}-2023#problems"}
    builder.remove([f"{A}-2022"], root, grace=0)
    assert kinds(root) == {f"{A}-2023": []}


def test_replacing_last_years_report_with_matching_numbers_clears_cross_year(tmp_path):
    root = tmp_path / "ix"
    build(root, audit_report(A, 2022, figures={"requests.carried_forward.total": 5.0}),
          audit_report(A, 2023, figures={"requests.carried_over.total": 3.0}))
    assert kinds(root)[f"{A}-2023"] == ["cross_year"]
    fixed = write(tmp_path, "fixed.txt", report_file_text(A, 2022, new=6, carried_forward=3))
    builder.add([fixed], root, grace=0)
    assert kinds(root) == {f"{A}-2022": [], f"{A}-2023": []}


def test_adding_a_gap_filler_clears_missing_year_and_removing_it_brings_it_back(tmp_path):
    root = tmp_path / "ix"
    build(root, audit_report(A, 2021), audit_report(A, 2023))
    assert findings(root)[f"{A}-2023"][0]["years"] == [2022]
    filler = write(tmp_path, "2022.txt", report_file_text(A, 2022, new=4))
    builder.add([filler], root, grace=0)
    assert kinds(root) == {f"{A}-2021": [], f"{A}-2022": [], f"{A}-2023": []}
    builder.remove([f"{A}-2022"], root, grace=0)
    assert kinds(root)[f"{A}-2023"] == ["missing_year"]


def test_removing_a_twin_clears_the_same_year_duplicate_on_the_other_agency(tmp_path):
    root = tmp_path / "ix"
    build(root, audit_report(A, 2023, overview=LONG_PROSE), audit_report(B, 2023, overview=LONG_PROSE),
          audit_report(B, 2022))
    assert kinds(root) == {f"{A}-2023": ["duplicate"], f"{B}-2022": [], f"{B}-2023": ["duplicate"]}
    builder.remove([f"{B}-2023"], root, grace=0)
    assert kinds(root) == {f"{A}-2023": [], f"{B}-2022": []}


def test_cli_prints_reports_with_findings_by_agency_then_year(tmp_path, capsys):
    root = tmp_path / "ix"
    build(root, audit_report(B, 2023, published="2024-02-01"), audit_report(A, 2023),
          audit_report(A, 2020), audit_report(A, 2024, published="2025-03-03"))
    assert main(["audit", "--index", str(root)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # Agencies in code-point order of their names: 乙 (U+4E59) before 甲 (U+7532).
    assert [(r["report_id"], [x["kind"] for x in r["findings"]]) for r in rows] == [
        (f"{B}-2023", ["late"]), (f"{A}-2023", ["missing_year"]), (f"{A}-2024", ["late"])]
    assert set(rows[1]) == {"report_id", "agency", "year", "findings"}
    assert rows[1]["findings"][0]["years"] == [2021, 2022] and rows[1]["findings"][0]["detail"]
    assert main(["audit", "--index", str(root), "--all"]) == 0
    everything = [json.loads(line)["report_id"] for line in capsys.readouterr().out.splitlines()]
    assert everything == [f"{B}-2023", f"{A}-2020", f"{A}-2023", f"{A}-2024"]


def test_cli_without_an_index_exits_1_with_a_sentence(tmp_path, capsys):
    assert main(["audit", "--index", str(tmp_path / "nothing")]) == 1
    assert "No index under" in capsys.readouterr().err


def test_build_summary_counts_findings_and_times_the_audit(tmp_path):
    root = tmp_path / "ix"
    build(root, audit_report(A, 2023, published="2024-02-02"), audit_report(B, 2023))
    summary = json.loads((root / store.CURRENT / store.SUMMARY).read_text(encoding="utf-8"))
    assert summary["audited"] == 2 and summary["findings"]["late"] == 1
    # Timed (a real audit takes some time) and a share of the whole build's time.
    assert 0 < summary["audit_seconds"] <= summary["seconds"], summary


def test_add_to_an_index_built_before_the_audit_asks_for_a_rebuild(tmp_path):
    from index import documents
    from index.schema import make_schema

    root = tmp_path / "ix"
    report = audit_report(A, 2023)
    schema = make_schema({A})
    schema.remove(f.FINDING)
    schema.remove(f.FINDINGS_JSON)
    generation = store.new_generation(root)
    (generation / store.INDEX_DIR).mkdir()
    writer = whoosh_index.create_in(str(generation / store.INDEX_DIR), schema).writer()
    for document in documents.documents(report):
        writer.add_document(**{k: v for k, v in document.items() if k != f.FINDINGS_JSON})
    writer.commit()
    store.swap_in(root, generation)
    before = store.current_generation(root)
    new = write(tmp_path, "new.txt", report_file_text(A, 2022, new=3))
    with pytest.raises(builder.BuildFailed, match="rebuild it first with: python -m index build"):
        builder.add([new], root, grace=0)
    assert store.current_generation(root) == before
