"""Adds and removes landing at many moments of a full build, as separate processes
(reliability/writes.py): none is undone, none is refused without a word.

A 60-report bench corpus (bench.generate, seed 2) is built once; then `MOMENTS` builds
of it run over copies of that index, each with an ``index add`` of a new report and an
``index remove`` of a served one started at a fraction 0 … 1.1 of a build's duration.
RELIABILITY.md has the figures of longer runs, before and after.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from reliability import writes
from reliability.server import PROJECT_ROOT

pytestmark = pytest.mark.reliability

REPORTS = 60
MOMENTS = 6


def test_adds_and_removes_landing_during_a_build_are_never_undone(tmp_path):
    corpus, base = tmp_path / "corpus", tmp_path / "index"
    subprocess.run([sys.executable, "-m", "bench.generate", "--reports", str(REPORTS), "--out", str(corpus),
                    "--seed", "2"], cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL, timeout=300)
    subprocess.run([sys.executable, "-m", "index", "build", "--corpus", str(corpus), "--index", str(base),
                    "--quiet"], cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL, timeout=600)
    figures = writes.writes_during_build(base, corpus, tmp_path / "runs", moments=MOMENTS)
    print({key: value for key, value in figures.items() if key != "builds"})
    for row in figures["builds"]:
        print(row)
    assert figures["landed"] == MOMENTS
    assert all(row["statuses"] == {"build": 0, "add": 0, "remove": 0} for row in figures["builds"]), figures
    assert (figures["adds_lost"], figures["removes_undone"], figures["other_differences"]) == (0, 0, 0), figures
