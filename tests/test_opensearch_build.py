"""``python -m index build|add|remove|audit --engine opensearch`` on real files, against the
run's OpenSearch node: the same summary, refusals and audit as the whoosh build; a new
index per build behind the alias, flipped atomically, the old one deleted; a build that
fails leaves the alias as it was and deletes what it wrote; adds survive a rebuild and
removals stay removed; an add and a remove started during a build wait for it (the
alias's write lock) and are kept; a build killed or stopped while its documents are
made on worker processes leaves none of them running."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace

import pytest

from index.__main__ import main as index_main
from index import plan
from index.opensearch import build as cluster_build
from index.opensearch import generations, ledger, making
from index.opensearch.client import connect
from search.opensearch.service import OpenSearchService
from search.request import SearchRequest
from config.settings import DEFAULTS
from tests.engines import alias_for
from reliability.server import PROJECT_ROOT
from tests.test_build_races import lock_is_free
from tests.test_killed_builds import children_of, session_processes, wait_for
from tests.indexdata import write_report

pytestmark = pytest.mark.opensearch

A, B, C = "青苔市档案局", "白露县水务局", "霜降区统计局"


@pytest.fixture
def alias(opensearch_url, tmp_path, monkeypatch):
    # This machine's side of a build (the alias's write lock, the OCR cache) in the test's folder.
    monkeypatch.setenv("REPORTS_INDEX_PATH", str(tmp_path / "instance-index"))
    name = alias_for(tmp_path)
    yield name
    connect(opensearch_url, timeout=30).indices.delete(index=f"{name}-*", expand_wildcards="all",
                                                        allow_no_indices=True)


def run(url: str, alias: str, *argv: str) -> int:
    return index_main([*argv, "--engine", "opensearch", "--opensearch-url", url, "--opensearch-index", alias,
                       "--quiet"])


def service(url: str, alias: str) -> OpenSearchService:
    # Looks at the served generation on every call: an add is seen at once.
    return OpenSearchService(replace(DEFAULTS, engine="opensearch", opensearch_url=url, opensearch_index=alias),
                             recheck_seconds=0)


def served(url: str, alias: str) -> list[str]:
    return sorted(listing.latest_report for listing in service(url, alias).agencies())


def indices(url: str, alias: str) -> list[str]:
    return sorted(connect(url).indices.get(index=f"{alias}-*", expand_wildcards="all", allow_no_indices=True))


def generation_indices(url: str, alias: str) -> list[str]:
    return [name for name in indices(url, alias) if generations.is_generation(name, alias)]


def test_the_sample_corpus_builds_with_the_whoosh_builds_summary_and_audit(opensearch_url, alias, tmp_path,
                                                                          capsys):
    assert index_main(["build", "--index", str(tmp_path / "whoosh"), "--workers", "1", "--quiet"]) == 0
    whoosh_lines = capsys.readouterr().out.splitlines()
    assert run(opensearch_url, alias, "build", "--workers", "1") == 0
    lines = capsys.readouterr().out.splitlines()
    live = generations.live(connect(opensearch_url), alias)
    assert lines[0].startswith(f"build: generation {live} in ") and generations.is_generation(live, alias)
    # Files, reports, sections, agencies, years, the audit's and the comparison's counts:
    # what whoosh says (the seconds they took aside).
    def counted(found):
        return [re.sub(r" in \d+\.\d s", "", line) for line in found[1:] if not line.startswith("  audit:")]

    assert counted(lines) == counted(whoosh_lines)
    assert any(line.startswith("  changes:         5 reports") for line in lines)
    assert "  reports:         5" in lines
    assert index_main(["audit", "--all", "--index", str(tmp_path / "whoosh")]) == 0
    whoosh_audit = capsys.readouterr().out
    assert run(opensearch_url, alias, "audit", "--all") == 0
    assert capsys.readouterr().out == whoosh_audit and len(whoosh_audit.splitlines()) == 5
    health = service(opensearch_url, alias).health()
    assert (health.engine, health.generation, health.reports) == ("opensearch", live, 5)


def test_refused_files_are_listed_and_the_readable_ones_built(opensearch_url, alias, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    write_report(corpus, "a.txt", A, 2022)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (corpus / "empty.txt").write_bytes(b"")
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    out = capsys.readouterr().out
    assert "  refused files (2):" in out and "    broken.pdf: " in out and "    empty.txt: " in out
    assert served(opensearch_url, alias) == [f"{A}-2022"]


def test_a_corpus_of_unreadable_files_leaves_the_alias_as_it_was(opensearch_url, alias, tmp_path, capsys):
    good, bad = tmp_path / "good", tmp_path / "bad"
    write_report(good, "a.txt", A, 2022)
    (bad / "sub").mkdir(parents=True)
    (bad / "sub" / "empty.txt").write_bytes(b"")
    assert run(opensearch_url, alias, "build", "--corpus", str(good)) == 0
    before = generations.live(connect(opensearch_url), alias)
    capsys.readouterr()
    assert run(opensearch_url, alias, "build", "--corpus", str(bad)) == 1
    captured = capsys.readouterr()
    assert "No readable report" in captured.err and "left as it was" in captured.err
    assert "refused files (1)" in captured.out
    assert generations.live(connect(opensearch_url), alias) == before
    assert generation_indices(opensearch_url, alias) == [before]


def test_a_document_the_mapping_refuses_fails_the_build_and_its_index_is_deleted(opensearch_url, alias,
                                                                                tmp_path, capsys, monkeypatch):
    corpus = tmp_path / "corpus"
    write_report(corpus, "a.txt", A, 2022)
    write_report(corpus, "b.txt", B, 2022)
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    before = generations.live(connect(opensearch_url), alias)
    real = making.report_sources

    def one_refused(report, *args, **kwargs):
        sources = real(report, *args, **kwargs)
        if report.agency == B:
            sources[-1]["no_such_field"] = "the strict mapping refuses this"
        return sources

    monkeypatch.setattr(making, "report_sources", one_refused)     # how the build makes documents
    capsys.readouterr()
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 1
    err = capsys.readouterr().err
    assert "strict_dynamic_mapping_exception" in err and f"{B}-2022" in err, err
    assert f"The alias {alias} was left as it was." in err and "Traceback" not in err
    assert generations.live(connect(opensearch_url), alias) == before
    assert generation_indices(opensearch_url, alias) == [before]
    assert served(opensearch_url, alias) == sorted([f"{A}-2022", f"{B}-2022"])


def test_a_rebuild_flips_the_alias_and_deletes_the_old_generation(opensearch_url, alias, tmp_path):
    corpus = tmp_path / "corpus"
    write_report(corpus, "a.txt", A, 2022)
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    first = generations.live(connect(opensearch_url), alias)
    site = service(opensearch_url, alias)
    assert site.search(SearchRequest(query=A)).total > 0
    write_report(corpus, "b.txt", B, 2022)
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    second = generations.live(connect(opensearch_url), alias)
    assert second != first and generation_indices(opensearch_url, alias) == [second]
    # The service that served the first generation serves the second, without a restart.
    assert site.health().generation == second and site.search(SearchRequest(query=B)).total > 0


def test_an_unserved_generation_whose_writer_went_silent_is_deleted_by_the_next_build(opensearch_url, alias,
                                                                                     tmp_path):
    client = connect(opensearch_url)
    dead, busy = generations.new_name(alias), generations.new_name(alias)
    generations.create(client, dead, 1)
    client.indices.put_mapping(index=dead, body={"_meta": {"build": {"alive": time.time() - 3600}}})
    generations.create(client, busy, 1)      # another build, writing now
    corpus = tmp_path / "corpus"
    write_report(corpus, "a.txt", A, 2022)
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    live = generations.live(client, alias)
    assert generation_indices(opensearch_url, alias) == sorted([live, busy])


def test_adds_survive_a_rebuild_and_removals_stay_removed(opensearch_url, alias, tmp_path, capsys):
    corpus, inbox = tmp_path / "corpus", tmp_path / "inbox"
    write_report(corpus, "a.txt", A, 2022)
    write_report(corpus, "b.txt", B, 2022)
    added = write_report(inbox, "c.txt", C, 2023)
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    capsys.readouterr()
    assert run(opensearch_url, alias, "add", str(added)) == 0
    out = capsys.readouterr().out
    assert f"  added (1): {C}-2023" in out and "  reports:         3" in out
    # The ledger has no replica a lone node cannot place: it stays green.
    health = connect(opensearch_url).cluster.health(index=ledger.ledger_name(alias))
    assert (health["status"], health["number_of_nodes"]) == ("green", 1)
    site = service(opensearch_url, alias)
    assert site.report(f"{C}-2023").source == "c.txt"
    assert site.original(f"{C}-2023").content == added.read_bytes()
    assert run(opensearch_url, alias, "remove", f"{B}-2022", "nobody-2020") == 0
    out = capsys.readouterr().out
    assert f"  removed (1): {B}-2022" in out and "  not in the index (1): nobody-2020" in out
    assert served(opensearch_url, alias) == sorted([f"{A}-2022", f"{C}-2023"])
    content = added.read_bytes()
    shutil.rmtree(inbox)                               # the operator's inbox is emptied
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    out = capsys.readouterr().out
    assert f"  removed (1): {B}-2022" in out and "dropped with --prune" not in out
    assert served(opensearch_url, alias) == sorted([f"{A}-2022", f"{C}-2023"])
    rebuilt = service(opensearch_url, alias)
    assert rebuilt.report(f"{C}-2023").source == f"added/{C}-2023.txt"
    assert rebuilt.original(f"{C}-2023").content == content
    # Adding the removed report again brings it back, for good.
    write_report(corpus.parent / "again", "b.txt", B, 2022)
    assert run(opensearch_url, alias, "add", str(corpus.parent / "again" / "b.txt")) == 0
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    assert served(opensearch_url, alias) == sorted([f"{A}-2022", f"{B}-2022", f"{C}-2023"])


def test_a_build_that_would_drop_served_reports_needs_prune(opensearch_url, alias, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    write_report(corpus, "a.txt", A, 2022)
    write_report(corpus, "b.txt", B, 2022)
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    (corpus / "b.txt").unlink()
    capsys.readouterr()
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 1
    assert f"would drop 1 report(s) the served index has: {B}-2022" in capsys.readouterr().err
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus), "--prune") == 0
    assert f"dropped with --prune (1): {B}-2022" in capsys.readouterr().out
    assert served(opensearch_url, alias) == [f"{A}-2022"]


def test_add_remove_and_audit_without_an_index_say_how_to_build_one(opensearch_url, alias, tmp_path, capsys):
    added = write_report(tmp_path, "c.txt", C, 2023)
    for argv in (["add", str(added)], ["remove", f"{C}-2023"], ["audit"]):
        assert run(opensearch_url, alias, *argv) == 1
        err = capsys.readouterr().err
        assert f"No index behind the alias {alias}" in err and "python -m index build --engine opensearch" in err


def test_removing_an_unknown_id_says_plainly_that_nothing_was_removed(opensearch_url, alias, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    write_report(corpus, "a.txt", A, 2022)
    write_report(corpus, "b.txt", B, 2022)
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    capsys.readouterr()
    assert run(opensearch_url, alias, "remove", f"{A}-2023") == 1
    out, err = capsys.readouterr()
    assert out == ""                                  # no summary of zeros, as whoosh's
    assert err == (f"error: Nothing was removed: the index has no report with the id {A}-2023 (it serves 2 "
                   "reports, each under the id <agency>-<year>, as in /reports/<id>; the nearest: "
                   f"{A}-2022). The index was left as it was.\n")
    assert served(opensearch_url, alias) == sorted([f"{A}-2022", f"{B}-2022"])


def test_add_and_remove_reaudit_as_the_whoosh_ones_do(opensearch_url, alias, tmp_path, capsys):
    """Adding a year after a gap gives the agency's reports findings (missing_year), and
    removing it takes them away again: the same findings, line for line, as whoosh's."""
    corpus, inbox, root = tmp_path / "corpus", tmp_path / "inbox", str(tmp_path / "whoosh")
    write_report(corpus, "a.txt", A, 2020)
    write_report(corpus, "b.txt", A, 2021)
    later = write_report(inbox, "a2023.txt", A, 2023)

    def audits() -> tuple[list[dict], list[dict]]:
        capsys.readouterr()
        assert index_main(["audit", "--all", "--index", root]) == 0
        whoosh_rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert run(opensearch_url, alias, "audit", "--all") == 0
        return whoosh_rows, [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    assert index_main(["build", "--corpus", str(corpus), "--index", root, "--workers", "1", "--quiet"]) == 0
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    assert index_main(["add", str(later), "--index", root, "--quiet"]) == 0
    assert run(opensearch_url, alias, "add", str(later)) == 0
    whoosh_rows, rows = audits()
    assert rows == whoosh_rows
    assert any(finding["kind"] == "missing_year" for row in rows for finding in row["findings"])
    assert index_main(["remove", f"{A}-2023", "--index", root]) == 0
    assert run(opensearch_url, alias, "remove", f"{A}-2023") == 0
    whoosh_rows, rows = audits()
    assert rows == whoosh_rows and len(rows) == 2
    assert not any(finding["kind"] == "missing_year" for row in rows for finding in row["findings"])


def test_an_added_report_whose_original_was_not_kept_survives_a_rebuild_as_parsed(opensearch_url, alias, tmp_path,
                                                                                  monkeypatch):
    corpus, inbox = tmp_path / "corpus", tmp_path / "inbox"
    write_report(corpus, "a.txt", A, 2022)
    added = write_report(inbox, "c.txt", C, 2023)
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    with monkeypatch.context() as patched:          # as if the file had gone before the ledger kept it
        patched.setattr(ledger, "readable_original", lambda path: None)
        assert run(opensearch_url, alias, "add", str(added)) == 0
    before = service(opensearch_url, alias).report(f"{C}-2023")
    shutil.rmtree(inbox)
    assert run(opensearch_url, alias, "build", "--corpus", str(corpus)) == 0
    after = service(opensearch_url, alias).report(f"{C}-2023")
    assert after.report.sections == before.report.sections and after.report.figures == before.report.figures
    assert after.source == f"added/{C}-2023.txt" and after.has_original is False


# Where a phase of an OpenSearch build is hooked: (module, function, "before" or "after").
PHASES = {
    "parsing done": (cluster_build, "read_corpus", "after"),
    "audit": (plan, "audit", "before"),
    "the flip": (generations, "flip", "before"),
}


@pytest.mark.parametrize("phase", sorted(PHASES))
def test_an_add_and_a_remove_during_a_build_wait_for_it_and_are_kept(opensearch_url, alias, tmp_path,
                                                                     monkeypatch, phase):
    """As whoosh's (tests/test_build_races.py): without the lock, one landing after the
    build read the ledger was undone by its flip (the add lost, the removed report back)."""
    corpus, inbox = tmp_path / "corpus", tmp_path / "inbox"
    write_report(corpus, "a.txt", A, 2022)
    write_report(corpus, "b.txt", B, 2022)
    added = write_report(inbox, "c.txt", C, 2023)
    target = cluster_build.Target(opensearch_url, alias)
    cluster_build.build(corpus, target, workers=1)
    cluster_build.lock_root(target).mkdir(parents=True, exist_ok=True)
    module, name, when = PHASES[phase]
    real = getattr(module, name)
    landed: list[bool] = []          # whether the lock was held when they landed
    errors: list[BaseException] = []

    def both() -> None:
        try:
            cluster_build.add([added], target)
            cluster_build.remove([f"{B}-2022"], target)
        except BaseException as error:  # noqa: BLE001 - asserted below
            errors.append(error)

    thread = threading.Thread(target=both)

    def hooked(*args, **kwargs):
        if when == "before" and not landed:
            landed.append(not lock_is_free(cluster_build.lock_root(target)))
            thread.start()
        result = real(*args, **kwargs)
        if when == "after" and not landed:
            landed.append(not lock_is_free(cluster_build.lock_root(target)))
            thread.start()
        return result

    with monkeypatch.context() as patched:
        patched.setattr(module, name, hooked)
        try:
            cluster_build.build(corpus, target, workers=1)
        finally:
            if landed:
                thread.join(timeout=300)
    assert not thread.is_alive() and errors == []
    expected = sorted([f"{A}-2022", f"{C}-2023"])
    assert served(opensearch_url, alias) == expected
    assert landed == [True]          # the build held the lock: they waited for it
    cluster_build.build(corpus, target, workers=1)      # and the next build keeps them
    assert served(opensearch_url, alias) == expected


@pytest.fixture(scope="module")
def bench_corpus(tmp_path_factory):
    """Past `making.PARALLEL_MIN_REPORTS`: the build makes its documents on worker processes."""
    folder = tmp_path_factory.mktemp("stopped") / "corpus"
    subprocess.run([sys.executable, "-m", "bench.generate", "--reports", str(making.PARALLEL_MIN_REPORTS + 20),
                    "--out", str(folder), "--seed", "3"], cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL,
                   timeout=300)
    return folder


@pytest.mark.parametrize("stop", ["SIGKILL", "SIGTERM"])
def test_a_build_stopped_while_its_documents_are_made_leaves_no_process(opensearch_url, alias, bench_corpus, stop):
    """The document makers die with the build even under SIGKILL (index.children); SIGTERM
    stops it with status 143, its new index deleted (index.sigterm)."""
    build = subprocess.Popen([sys.executable, "-m", "index", "build", "--engine", "opensearch", "--opensearch-url",
                              opensearch_url, "--opensearch-index", alias, "--corpus", str(bench_corpus),
                              "--workers", "2", "--quiet"], cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        # Making documents: the new index exists and the makers run (the parse pool is gone by then).
        wait_for(lambda: len(children_of(build.pid)) >= 2 and bool(generation_indices(opensearch_url, alias)),
                 build, "the documents made")
        children = children_of(build.pid)
        build.send_signal(getattr(signal, stop))     # the parent only
        status = build.wait(timeout=300)
        stderr = build.stderr.read()
        stopped = time.monotonic()
        while session_processes(build.pid) and time.monotonic() - stopped < 10:
            time.sleep(0.05)
        left = session_processes(build.pid)
    finally:
        for pid in session_processes(build.pid):
            os.kill(pid, signal.SIGKILL)
        build.stderr.close()
    assert children and left == [], f"{len(left)} of the build's {len(children)} children outlived it"
    assert generations.live(connect(opensearch_url), alias) is None
    if stop == "SIGTERM":
        assert status == 143, stderr
        assert "stopped by SIGTERM; the index the build had begun to write was deleted" in stderr, stderr
        assert "Traceback" not in stderr and generation_indices(opensearch_url, alias) == []
