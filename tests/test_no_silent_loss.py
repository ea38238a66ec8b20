"""No silent loss: what `index add` indexed and `index remove` took out is remembered by
the next `index build`, and a build that would drop served reports says which and
needs --prune."""
from __future__ import annotations

import pytest

from index import manifest
from index.__main__ import main as index_main
from index.build import BuildFailed, add, build, remove
from index.store import IndexHandle
from tests.indexdata import write_report
from tests.test_store import report_ids

pytestmark = pytest.mark.slow

A, B, C = "青苔市档案局", "白露县水务局", "霜降区统计局"


def served(root) -> list[str]:
    return report_ids(IndexHandle(root))


@pytest.fixture
def site(tmp_path):
    """An index built from a corpus of two reports, and a third report outside the corpus."""
    corpus = tmp_path / "corpus"
    write_report(corpus, "a.txt", A, 2022)
    write_report(corpus, "b.txt", B, 2022)
    root = tmp_path / "ix"
    build(corpus, root, workers=1)
    outside = tmp_path / "inbox"
    write_report(outside, "c.txt", C, 2023)
    return root, corpus, outside / "c.txt"


def test_an_added_report_survives_the_next_build_of_the_corpus(site):
    root, corpus, added = site
    add([added], root)
    added.unlink()                                   # the operator's inbox is emptied
    summary = build(corpus, root, workers=1)
    assert served(root) == sorted([f"{A}-2022", f"{B}-2022", f"{C}-2023"])
    assert summary.pruned == [] and summary.refused == []
    assert [p.name for p in manifest.added_files(root)] == [f"{C}-2023.txt"]


def test_a_removed_report_stays_out_of_the_next_build(site):
    root, corpus, _ = site
    remove([f"{B}-2022"], root)
    summary = build(corpus, root, workers=1)
    assert served(root) == [f"{A}-2022"]
    assert summary.removed == [f"{B}-2022"]
    assert "removed (1)" in "\n".join(summary.lines())


def test_adding_a_removed_report_again_brings_it_back_for_good(site):
    root, corpus, added = site
    add([added], root)
    remove([f"{C}-2023"], root)
    assert manifest.added_files(root) == [] and manifest.removed_ids(root) == {f"{C}-2023"}
    build(corpus, root, workers=1)
    assert f"{C}-2023" not in served(root)
    add([added], root)
    assert manifest.removed_ids(root) == set()
    build(corpus, root, workers=1)
    assert f"{C}-2023" in served(root)


def test_a_build_that_would_drop_served_reports_names_them_and_needs_prune(site, capsys):
    root, corpus, _ = site
    (corpus / "b.txt").unlink()
    before = served(root)
    with pytest.raises(BuildFailed, match=f"would drop 1 report.*{B}-2022.*--prune"):
        build(corpus, root, workers=1)
    assert served(root) == before
    assert index_main(["build", "--corpus", str(corpus), "--index", str(root), "--quiet"]) == 1
    assert f"{B}-2022" in capsys.readouterr().err
    assert index_main(["build", "--corpus", str(corpus), "--index", str(root), "--quiet", "--prune"]) == 0
    assert f"dropped with --prune (1): {B}-2022" in capsys.readouterr().out
    assert served(root) == [f"{A}-2022"]


def test_a_replaced_added_file_keeps_only_the_newest_copy(site, tmp_path):
    root, corpus, added = site
    add([added], root)
    newer = tmp_path / "c-revised.md"
    newer.write_text(added.read_text(encoding="utf-8").replace("2023年", "2023年（修订）", 1), encoding="utf-8")
    add([newer], root)
    assert [p.name for p in manifest.added_files(root)] == [f"{C}-2023.md"]
    build(corpus, root, workers=1)
    assert served(root).count(f"{C}-2023") == 1


def test_removing_an_unknown_id_says_plainly_that_nothing_was_removed(site, capsys):
    root, _, _ = site
    live = served(root)
    assert index_main(["remove", f"{A}-2023", "--index", str(root)]) == 1
    out, err = capsys.readouterr()
    assert out == ""                                  # no summary of zeros
    assert err == (f"error: Nothing was removed: the index has no report with the id {A}-2023 (it serves 2 "
                   "reports, each under the id <agency>-<year>, as in /reports/<id>; the nearest: "
                   f"{A}-2022). The index was left as it was.\n")
    assert served(root) == live
