"""The change records inside the index, on every engine: made per agency at build time,
kept right by ``index add`` and ``index remove`` for the agency they touch, counted in
the summary — read back through the contract (its report pages and its search)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from config.settings import DEFAULTS
from index import build as builder
from index.build import build_from
from index.reading import Parsed
from search.request import SearchRequest
from search.engines import open_service
from tests.auditdata import audit_report, report_file_text
from tests.engines import ENGINES, new_alias

pytestmark = pytest.mark.slow

A, B = "甲市测试局", "乙县样例办公室"


@dataclass
class Index:
    """One engine's index under test: its build, add and remove, and its service."""

    engine: str
    root: Path
    alias: str = ""
    url: str = ""

    def build(self, *reports):
        parsed = [Parsed(path=str(self.root / "none" / r.source), source=r.source, mtime=0.0, order=i, result=r)
                  for i, r in enumerate(reports)]
        if self.engine == "whoosh":
            return build_from(parsed, self.root, workers=1, grace=0)
        from index.opensearch import build as cluster

        if not self.alias:
            self.url, self.alias = new_alias(self.root)
        return cluster.build_from(parsed, cluster.Target(self.url, self.alias), workers=1)

    def add(self, *files):
        if self.engine == "whoosh":
            return builder.add(list(files), self.root, grace=0)
        from index.opensearch import build as cluster

        return cluster.add(list(files), cluster.Target(self.url, self.alias))

    def remove(self, *report_ids):
        if self.engine == "whoosh":
            return builder.remove(list(report_ids), self.root, grace=0)
        from index.opensearch import build as cluster

        return cluster.remove(list(report_ids), cluster.Target(self.url, self.alias))

    def service(self):
        if self.engine == "whoosh":
            return open_service(replace(DEFAULTS, index_path=str(self.root)))
        return open_service(replace(DEFAULTS, engine="opensearch", opensearch_url=self.url,
                                    opensearch_index=self.alias))


@pytest.fixture(params=ENGINES)
def index(request, tmp_path):
    made = Index(request.param, tmp_path / "ix")
    yield made
    if made.alias:   # its ledger too (a replica no single node holds: the next test would wait for green)
        from index.opensearch.client import connect

        connect(made.url, timeout=30).indices.delete(index=f"{made.alias}-*", expand_wildcards="all",
                                                     allow_no_indices=True)


def records(index: Index) -> dict[str, str | None]:
    """Each report's predecessor, as the served index gives it."""
    service = index.service()
    try:
        return {listing.agency + "-" + str(year): service.report(f"{listing.agency}-{year}").changes["previous"]
                for listing in service.agencies() for year in listing.years}
    finally:
        service.close()


def sections_with_change(index: Index, change: str) -> set[tuple[str, str]]:
    service = index.service()
    try:
        hits = service.search(SearchRequest(changes=(change,), page_size=50)).hits
    finally:
        service.close()
    return {(hit.report_id, hit.section) for hit in hits}


def test_a_build_records_each_reports_predecessor_and_counts_them(index):
    summary = index.build(audit_report(A, 2021), audit_report(A, 2023), audit_report(B, 2023))
    assert records(index) == {f"{A}-2021": None, f"{A}-2023": f"{A}-2021", f"{B}-2023": None}
    assert summary.compared == 3
    # The two reports of A differ in their year only: a number in two sentences.
    assert summary.text_changes == {"identical": 0, "similar": 1, "revised": 0, "rewritten": 0}
    assert any(line.startswith("  changes:") and "基本相同 1" in line for line in summary.lines())


def test_adding_the_missing_year_and_removing_it_again_recompares_the_agency(index, tmp_path):
    index.build(audit_report(A, 2021), audit_report(A, 2023), audit_report(B, 2023))
    (tmp_path / "2022.txt").write_text(report_file_text(A, 2022, new=4), encoding="utf-8")
    summary = index.add(tmp_path / "2022.txt")
    assert records(index) == {f"{A}-2021": None, f"{A}-2022": f"{A}-2021", f"{A}-2023": f"{A}-2022",
                             f"{B}-2023": None}
    # The added report and the one it now precedes; A's first report and B's keep theirs.
    assert summary.compared == 2
    summary = index.remove(f"{A}-2022")
    # The one it preceded is compared with 2021 again.
    assert summary.compared == 1
    assert records(index) == {f"{A}-2021": None, f"{A}-2023": f"{A}-2021", f"{B}-2023": None}


def test_a_recompared_reports_sections_are_found_by_its_new_class(index, tmp_path):
    rewritten = audit_report(A, 2023, overview=["本年度我们重点围绕森林防火发布政策文件十六份",
                                                "林区群众通过乡村公告栏即可查阅采伐许可办理结果"],
                             problems=["无"], requests="本年没有收到申请。")
    index.build(audit_report(A, 2021), rewritten)
    sections = {(f"{A}-2023", key) for key in ("overview", "requests", "problems")}
    assert sections_with_change(index, "rewritten") == sections
    # Without its predecessor it has nothing to be compared with: written again without a class.
    index.remove(f"{A}-2021")
    assert sections_with_change(index, "rewritten") == set()
    (tmp_path / "2022.txt").write_text(report_file_text(A, 2022, new=4), encoding="utf-8")
    index.add(tmp_path / "2022.txt")
    assert sections_with_change(index, "rewritten") == sections
