"""The change records inside the index: made per agency at build time, kept right by
``index add`` and ``index remove`` for the agency they touch, counted in the summary."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from config.settings import DEFAULTS
from index import build as builder
from index.build import build_from
from index.reading import Parsed
from search.request import SearchRequest
from search.engines import open_service
from tests.auditdata import audit_report, report_file_text

pytestmark = pytest.mark.slow

A, B = "甲市测试局", "乙县样例办公室"


def build(root: Path, *reports):
    parsed = [Parsed(path=str(root / "none" / r.source), source=r.source, mtime=0.0, order=i, result=r)
              for i, r in enumerate(reports)]
    return build_from(parsed, root, workers=1, grace=0)


def records(root: Path) -> dict[str, str | None]:
    """Each report's predecessor, as the served index gives it."""
    service = open_service(replace(DEFAULTS, index_path=str(root)))
    try:
        return {listing.agency + "-" + str(year): service.report(f"{listing.agency}-{year}").changes["previous"]
                for listing in service.agencies() for year in listing.years}
    finally:
        service.close()


def sections_with_change(root: Path, change: str) -> set[tuple[str, str]]:
    service = open_service(replace(DEFAULTS, index_path=str(root)))
    try:
        hits = service.search(SearchRequest(changes=(change,), page_size=50)).hits
    finally:
        service.close()
    return {(hit.report_id, hit.section) for hit in hits}


def test_a_build_records_each_reports_predecessor_and_counts_them(tmp_path):
    root = tmp_path / "ix"
    summary = build(root, audit_report(A, 2021), audit_report(A, 2023), audit_report(B, 2023))
    assert records(root) == {f"{A}-2021": None, f"{A}-2023": f"{A}-2021", f"{B}-2023": None}
    assert summary.compared == 3
    # The two reports of A differ in their year only: a number in two sentences.
    assert summary.text_changes == {"identical": 0, "similar": 1, "revised": 0, "rewritten": 0}
    assert any(line.startswith("  changes:") and "基本相同 1" in line for line in summary.lines())


def test_adding_the_missing_year_and_removing_it_again_recompares_the_agency(tmp_path):
    root = tmp_path / "ix"
    build(root, audit_report(A, 2021), audit_report(A, 2023), audit_report(B, 2023))
    (tmp_path / "2022.txt").write_text(report_file_text(A, 2022, new=4), encoding="utf-8")
    summary = builder.add([tmp_path / "2022.txt"], root, grace=0)
    assert records(root) == {f"{A}-2021": None, f"{A}-2022": f"{A}-2021", f"{A}-2023": f"{A}-2022",
                             f"{B}-2023": None}
    # The added report and the one it now precedes; A's first report and B's keep theirs.
    assert summary.compared == 2
    builder.remove([f"{A}-2022"], root, grace=0)
    assert records(root) == {f"{A}-2021": None, f"{A}-2023": f"{A}-2021", f"{B}-2023": None}


def test_a_recompared_reports_sections_are_found_by_its_new_class(tmp_path):
    root = tmp_path / "ix"
    rewritten = audit_report(A, 2023, overview=["本年度我们重点围绕森林防火发布政策文件十六份",
                                                "林区群众通过乡村公告栏即可查阅采伐许可办理结果"],
                             problems=["无"], requests="本年没有收到申请。")
    build(root, audit_report(A, 2021), rewritten)
    sections = {(f"{A}-2023", key) for key in ("overview", "requests", "problems")}
    assert sections_with_change(root, "rewritten") == sections
    # Without its predecessor it has nothing to be compared with: written again without a class.
    builder.remove([f"{A}-2021"], root, grace=0)
    assert sections_with_change(root, "rewritten") == set()
    (tmp_path / "2022.txt").write_text(report_file_text(A, 2022, new=4), encoding="utf-8")
    builder.add([tmp_path / "2022.txt"], root, grace=0)
    assert sections_with_change(root, "rewritten") == sections
