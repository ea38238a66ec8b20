"""`python -m corpus fetch` against a made-up portal served on 127.0.0.1 (tests/portal.py):
a first run, a rerun that downloads nothing unchanged, a run after a change, and the
command's answers to bad arguments and an unreachable start URL."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.fetch.client import PRODUCT
from tests import portal

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sites():
    site, elsewhere = portal.Site().start(), portal.Site().start()
    paths = portal.furnish(site, elsewhere)
    yield site, elsewhere, paths
    site.stop()
    elsewhere.stop()


def fetch(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "corpus", "fetch", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def counts(stdout: str) -> dict[str, int]:
    """The summary's counts by their label: {"new": 11, "skipped by robots.txt": 1, …}."""
    found = {}
    for line in stdout.splitlines():
        label, _, value = line.strip().rpartition(":")
        if value.strip().isdigit() and line.startswith("  ") and not line.startswith("    "):
            found[label.strip()] = int(value)
    return found


def manifest(out: Path) -> dict[str, dict]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {entry["url"]: entry for entry in map(json.loads, lines)}


COLUMNS = ("/xxgk/ndbg/index.html", "/xxgk/nb/index.html")


def test_first_run_then_rerun_then_a_change(sites, tmp_path):
    site, elsewhere, paths = sites
    out = tmp_path / "reports"
    starts = [site.url(column) for column in COLUMNS]

    first = fetch(*starts, "--out", out, "--delay", "0")
    print(first.stdout)  # the summary, shown with pytest -s
    assert first.returncode == 0, first.stderr
    assert counts(first.stdout) == {"new": 11, "updated": 0, "unchanged": 0,
                                    "skipped by robots.txt": 1, "off-host, not fetched": 2, "failed": 1}
    assert "6 list pages read" in first.stdout
    assert f"{site.url(paths['missing'])}: the server answered HTTP 404 Not Found." in first.stdout

    entries = manifest(out)
    saved = {url: e for url, e in entries.items() if e.get("file")}
    assert {url.replace(site.root, "") for url in saved} == {
        paths[k] for k in ("html", "note", "pdf", "moved", "civil", "docx", "xls", "water", "doc",
                           "old", "script")}
    for entry in saved.values():   # each saved file is there, with its hash
        data = (out / entry["file"]).read_bytes()
        assert entry["status"] == 200 and entry["outcome"] == "new" and entry["fetched_at"]
        assert portal.hashlib.sha256(data).hexdigest() == entry["sha256"]
    html, pdf = entries[site.url(paths["html"])], entries[site.url(paths["pdf"])]
    assert html["file"] == f"127.0.0.1_{site.server.server_address[1]}{paths['html']}"
    assert html["etag"] == site.resources[paths["html"]].tag and html["kind"] == "report"
    assert pdf["last_modified"] == "Thu, 18 Jan 2024 08:00:00 GMT" and "etag" not in pdf
    assert pdf["kind"] == "attachment" and pdf["page"] == site.url(paths["note"])
    moved = entries[site.url(paths["moved"])]   # a redirect: recorded where it led, saved under that name
    assert moved["final_url"] == site.url(paths["moved_to"]) and moved["file"].endswith("t20240125_103_1.html")
    assert entries[site.url(paths["missing"])]["status"] == 404
    assert entries[site.url(paths["disallowed"])]["outcome"] == "robots"
    assert entries[paths["offhost"]]["outcome"] == "off-host"
    assert entries[site.url(paths["doc"])]["status"] == 200        # the 500 was retried
    assert [s for p, s, _ in site.log if p == paths["doc"]] == [500, 200]

    # Polite and in scope: robots.txt read once, the disallowed file never asked for, no
    # other column, nothing on another host, the project's name in every request.
    assert site.requested("/robots.txt") == ["/robots.txt"]
    assert not site.requested("/internal/") and not site.requested("/tzgg/") and not site.requested("/zcwj/")
    assert "/" not in site.requested() and not elsewhere.log
    assert all(headers["User-Agent"].startswith(PRODUCT + "/") for _, _, headers in site.log)

    site.log.clear()
    rerun = fetch(*starts, "--out", out, "--delay", "0")
    print(rerun.stdout)
    assert rerun.returncode == 0, rerun.stderr
    assert counts(rerun.stdout) == {"new": 0, "updated": 0, "unchanged": 11,
                                    "skipped by robots.txt": 1, "off-host, not fetched": 2, "failed": 1}
    # Nothing unchanged was downloaded: every file with a validator answered 304 …
    answered = {path: status for path, status, _ in site.log}
    with_validators = [p for p in (paths[k] for k in ("html", "note", "pdf", "civil", "docx", "xls",
                                                      "water", "doc", "old", "script"))]
    assert all(answered[p] == 304 for p in with_validators), answered
    # … and the one without (the redirected page) was recognised by its hash and not rewritten.
    assert answered[paths["moved_to"]] == 200
    again = manifest(out)
    assert all(again[url]["file"] == e["file"] and again[url]["sha256"] == e["sha256"]
               for url, e in saved.items())

    page = site.resources[paths["html"]]
    site.resources[paths["html"]] = portal.Resource(page.body.replace("版权所有".encode(), "版权所有（更新）".encode())
                                                    + b"<!-- corrected -->")
    third = fetch(site.url(COLUMNS[0]), "--out", out, "--delay", "0", "--quiet")
    site.resources[paths["html"]] = page
    assert counts(third.stdout)["updated"] == 1 and counts(third.stdout)["new"] == 0
    assert (out / html["file"]).read_bytes().endswith(b"<!-- corrected -->")
    assert manifest(out)[site.url(paths["html"])]["outcome"] == "updated"


def test_max_pages_stops_the_list(sites, tmp_path):
    site, _, paths = sites
    done = fetch(site.url(COLUMNS[0]), "--out", tmp_path, "--delay", "0", "--max-pages", "1")
    assert done.returncode == 0 and "1 list pages read" in done.stdout
    urls = manifest(tmp_path)
    assert site.url(paths["html"]) in urls and site.url(paths["civil"]) not in urls


@pytest.mark.parametrize("args, sentence", [
    (["ftp://example.org/", "--out", "{tmp}"], "'ftp://example.org/' is not a web address"),
    (["{start}", "--out", "{tmp}", "--delay", "-1"], "the delay must be between 0 and 3600 seconds"),
    (["{start}", "--out", "{tmp}", "--max-pages", "0"], "the page limit must be a whole number of at least 1"),
    (["{start}", "--out", "{file}"], "is a file, not a folder"),
    (["{start}"], "the following arguments are required: --out"),
], ids=["scheme", "delay", "max-pages", "out-is-a-file", "no-out"])
def test_bad_arguments_get_one_sentence_and_status_2(sites, tmp_path, args, sentence):
    site, _, _ = sites
    (tmp_path / "file.txt").write_text("x")
    values = {"tmp": tmp_path / "out", "file": tmp_path / "file.txt", "start": site.url(COLUMNS[0])}
    asked = len(site.log)
    done = fetch(*(a.format(**values) for a in args))
    assert done.returncode == 2
    assert sentence in done.stderr.splitlines()[-1] and "Traceback" not in done.stderr
    assert len(site.log) == asked      # refused before any request


def test_unreachable_start_url_is_one_sentence_and_status_1(sites, tmp_path):
    site, _, _ = sites
    closed = portal.Site()          # a port that was open, now closed: connection refused
    url = closed.url("/xxgk/ndbg/index.html")
    closed.server.server_close()
    done = fetch(url, "--out", tmp_path, "--delay", "0")
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: the start URL {url} could not be read: the server could not be reached."
    missing = fetch(site.url("/xxgk/gone/index.html"), "--out", tmp_path, "--delay", "0")
    assert missing.returncode == 1 and missing.stderr.strip().endswith("the server answered HTTP 404 Not Found.")
