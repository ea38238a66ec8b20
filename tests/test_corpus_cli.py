"""`python -m corpus parse FILE…`: one JSON object per line, in order; exit 1 if any refused."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from madeup import layouts

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "data" / "samples_expected.json"


def run(*files) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "corpus", "parse", *map(str, files)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_good_and_bad_files_in_order(tmp_path):
    good = tmp_path / "good.md"
    good.write_text(layouts.markdown(layouts.made_up(1)), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    page = tmp_path / "page.html"
    page.write_text(layouts.html_page(layouts.made_up(2, 2019)), encoding="utf-8")
    missing = tmp_path / "missing.txt"
    done = run(good, empty, missing, page)
    assert done.returncode == 1, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(Path(r["source"]).name, r["ok"]) for r in rows] == [
        ("good.md", True), ("empty.txt", False), ("missing.txt", False), ("page.html", True)]
    assert list(rows[0]) == ["source", "ok", "agency", "region", "year", "published", "template",
                             "sections", "figures", "checks"]
    assert list(rows[0]["sections"][0]) == ["key", "title", "text", "tables"]
    requests = next(s for s in rows[0]["sections"] if s["key"] == "requests")
    assert requests["tables"] and all(isinstance(cell, str) for row in requests["tables"][0] for cell in row)
    assert "本年新收" not in requests["text"]   # the table is not repeated in the prose
    assert list(rows[0]["checks"][0]) == ["rule", "ok", "detail"]
    assert rows[1] == {"source": str(empty), "ok": False, "error": "The file is empty."}
    assert rows[2]["error"].startswith("The file could not be read")
    assert rows[3]["template"] == 2019 and rows[3]["published"] == layouts.made_up(2, 2019).published


def test_exit_zero_when_all_parse(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(layouts.pdf_text(layouts.made_up(3)), encoding="gbk")
    done = run(good)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 1


def test_sample_corpus_matches_the_expected_parse():
    """The five bundled samples parse to exactly what tests/data/samples_expected.json records:
    agency, region, year, published date, template, section keys in order, every figure, and
    whether all checks pass."""
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    samples = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
    assert [p.name for p in samples] == sorted(e["file"] for e in expected)
    done = run(*samples)
    assert done.returncode == 0, done.stdout
    parsed = {Path(r["source"]).name: r for r in map(json.loads, done.stdout.splitlines())}
    for want in expected:
        got = parsed[want["file"]]
        assert {k: got[k] for k in ("agency", "region", "year", "published", "template")} == {
            k: want[k] for k in ("agency", "region", "year", "published", "template")}, want["file"]
        assert [s["key"] for s in got["sections"]] == want["sections"], want["file"]
        assert got["figures"] == want["figures"], want["file"]
        all_ok = bool(got["checks"]) and all(c["ok"] for c in got["checks"])
        assert all_ok == want["consistent"], want["file"]
