"""``python -m bench.changes``: the build's and a page's share of comparing reports, measured
over a small index of my own pairs (tests/changesdata.py)."""
from __future__ import annotations

import json

import pytest

from bench import changes
from tests.changesdata import FIRST, GAP, change_reports
from tests.web_support import site_index

pytestmark = pytest.mark.slow


def test_it_compares_every_report_and_diffs_only_those_with_a_predecessor(tmp_path, capsys):
    reports = change_reports()
    root = site_index(tmp_path / "ix", reports)
    assert changes.main(["--index", str(root), "--pages", "50", "--listings", "2"]) == 0
    result = json.loads(capsys.readouterr().out)
    agencies = {r.agency for r in reports}
    firsts = {f"{agency}-{min(r.year for r in reports if r.agency == agency)}" for agency in agencies}
    assert f"{FIRST}-2023" in firsts and f"{GAP}-2020" in firsts
    assert result["build"]["reports"] == len(reports)
    assert result["build"]["with_predecessor"] == len(reports) - len(firsts)
    assert sum(result["build"]["classes"].values()) == len(reports) - len(firsts)
    # Fewer reports than asked have a predecessor: every one of them is diffed, once.
    assert result["page"]["pages"] == len(reports) - len(firsts)
    assert 0 <= result["page"]["median_ms"] <= result["page"]["p95_ms"] <= result["page"]["max_ms"]
    # Of new requests 2022 → 2023: the agencies with both years' reports printing it.
    both = {r.agency for r in reports if r.year == 2022 and "requests.new.total" in r.figures} & \
        {r.agency for r in reports if r.year == 2023 and "requests.new.total" in r.figures}
    assert result["listing"]["compared"] == len(both)
