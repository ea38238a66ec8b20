"""The index on disk: atomic swaps readers survive, add/remove, originals, clean-up."""
import os
import threading
import time

import pytest
from whoosh.query import Term

from index import schema as f
from index import store
from index.build import BuildFailed, add, build, remove
from index.store import IndexHandle, IndexMissing
from tests.indexdata import write_report

A, B, C = "海东市测试局", "某某县农业农村局", "平潭综合实验区管委会"


def report_ids(handle):
    with handle.searcher() as searcher:
        return sorted(hit[f.REPORT_ID] for hit in searcher.search(Term(f.KIND, f.KIND_REPORT), limit=None))


@pytest.fixture
def built(tmp_path):
    """An index of two made-up reports, and the corpus folder it was built from."""
    corpus = tmp_path / "corpus"
    write_report(corpus, "a.txt", A, 2022)
    write_report(corpus, "b.txt", B, 2022)
    build(corpus, tmp_path / "ix", workers=1)
    return tmp_path / "ix", corpus


def test_missing_or_damaged_index_raises_index_missing(tmp_path):
    with pytest.raises(IndexMissing, match="python -m index build"):
        IndexHandle(tmp_path / "nothing")
    (tmp_path / "bad" / "generations" / "g1" / "index").mkdir(parents=True)
    os.symlink("generations/g1", tmp_path / "bad" / "current")
    with pytest.raises(IndexMissing, match="cannot be opened"):
        IndexHandle(tmp_path / "bad")


def test_reader_keeps_its_generation_during_a_rebuild_and_then_moves_on(built, tmp_path):
    root, corpus = built
    handle = IndexHandle(root)
    first = handle.generation
    with handle.searcher() as old:
        assert sorted(h[f.REPORT_ID] for h in old.search(Term(f.KIND, f.KIND_REPORT))) == [
            f"{B}-2022", f"{A}-2022"]
        write_report(corpus, "c.txt", C, 2023)
        (corpus / "a.txt").unlink()
        build(corpus, root, workers=1, prune=True)   # a.txt is gone on purpose
        # The searcher opened before the swap still reads the old generation, fully.
        assert sorted(h[f.REPORT_ID] for h in old.search(Term(f.KIND, f.KIND_REPORT))) == [
            f"{B}-2022", f"{A}-2022"]
        assert old.document(doc_id=f"{A}-2022#overview")[f.TEXT_FIELD].startswith("2022年")
    # The next searcher picks up the new generation without a restart.
    assert report_ids(handle) == sorted([f"{B}-2022", f"{C}-2023"])
    assert handle.generation == store.current_generation(root) != first
    assert (root / "generations" / first / store.RETIRED).exists()


def test_queries_keep_answering_while_a_build_runs(built):
    root, corpus = built
    handle = IndexHandle(root)
    for i, name in enumerate(["文化", "教育", "财政", "民政", "水利", "林业"]):
        write_report(corpus, f"more/{i}.txt", f"测试市{name}局", 2023)
    seen, errors = set(), []
    done = threading.Event()

    def rebuild():
        try:
            build(corpus, root, workers=1)
        finally:
            done.set()

    worker = threading.Thread(target=rebuild)
    worker.start()
    try:
        while not done.is_set():
            seen.add(len(report_ids(handle)))
            time.sleep(0.01)
    except Exception as exc:  # noqa: BLE001 - recorded, asserted below
        errors.append(exc)
    worker.join()
    seen.add(len(report_ids(handle)))
    assert errors == []
    assert seen == {2, 8}


def test_original_file_is_kept_for_download(built):
    root, corpus = built
    handle = IndexHandle(root)
    path = handle.original_path(f"{A}-2022")
    assert path.name == f"{A}-2022.txt"
    assert path.read_bytes() == (corpus / "a.txt").read_bytes()
    assert handle.original_path("不存在-2022") is None


def test_add_a_new_report_and_replace_an_existing_one(built, tmp_path):
    root, _ = built
    handle = IndexHandle(root)
    before = handle.generation
    new = write_report(tmp_path / "new", "c.txt", C, 2023)
    again = write_report(tmp_path / "new", "a-fixed.txt", A, 2022, n=42)
    summary = add([new, again], root)
    assert summary.added == sorted([f"{A}-2022", f"{C}-2023"])
    assert summary.replaced == [{"report_id": f"{A}-2022", "replaced": "a.txt", "by": "a-fixed.txt"}]
    assert (summary.reports, summary.sections, summary.agencies, summary.years) == (
        3, 18, 3, {2022: 2, 2023: 1})
    assert report_ids(handle) == sorted([f"{A}-2022", f"{B}-2022", f"{C}-2023"])
    assert handle.generation != before
    with handle.searcher() as searcher:
        text = searcher.document(doc_id=f"{A}-2022#overview")[f.TEXT_FIELD]
        assert "各类信息42条" in text
        assert len(list(searcher.documents(report_id=f"{A}-2022"))) == 7
    assert handle.original_path(f"{A}-2022").read_bytes() == again.read_bytes()


def test_add_with_nothing_readable_changes_nothing(built, tmp_path):
    root, _ = built
    live = store.current_generation(root)
    junk = tmp_path / "junk.txt"
    junk.write_text("随便写的几句话。", encoding="utf-8")
    with pytest.raises(BuildFailed, match="None of the files") as failed:
        add([junk], root)
    assert [r["source"] for r in failed.value.summary.refused] == ["junk.txt"]
    assert store.current_generation(root) == live


def test_remove_reports_by_id(built):
    root, _ = built
    handle = IndexHandle(root)
    summary = remove([f"{A}-2022", "不存在-2022"], root)
    assert (summary.removed, summary.not_found) == ([f"{A}-2022"], ["不存在-2022"])
    assert (summary.reports, summary.sections, summary.agencies) == (1, 6, 1)
    assert report_ids(handle) == [f"{B}-2022"]
    with handle.searcher() as searcher:
        assert list(searcher.documents(report_id=f"{A}-2022")) == []
    assert handle.original_path(f"{A}-2022") is None
    live = store.current_generation(root)
    with pytest.raises(BuildFailed, match="Nothing was removed: the index has no report with the id 不存在-2022"):
        remove(["不存在-2022"], root)
    assert store.current_generation(root) == live


def test_old_generations_are_removed_after_the_grace_period(built):
    root, corpus = built
    first = store.current_generation(root)
    build(corpus, root, workers=1)
    second = store.current_generation(root)
    generations = root / "generations"
    assert sorted(p.name for p in generations.iterdir()) == sorted([first, second])
    assert store.clean_up(root, grace=3600, keep=0) == []
    assert store.clean_up(root, grace=0, keep=1) == []
    assert store.clean_up(root, grace=0, keep=0) == [first]
    assert [p.name for p in generations.iterdir()] == [second]
    IndexHandle(root)  # the live one is untouched


def test_searchers_are_reused_within_a_generation_and_never_shared_at_once(built, tmp_path):
    root, corpus = built
    handle = IndexHandle(root)
    with handle.searcher() as first:
        with handle.searcher() as second:   # a concurrent block gets its own searcher
            assert second is not first
    with handle.searcher() as again:        # an idle one is reused, not reopened
        assert again in (first, second)
    write_report(corpus, "c.txt", C, 2023)
    build(corpus, root, workers=1)
    with handle.searcher() as fresh:        # after a swap: a searcher on the new generation
        assert fresh is not first and fresh is not second
        assert sorted(h[f.REPORT_ID] for h in fresh.search(Term(f.KIND, f.KIND_REPORT))) == sorted(
            [f"{A}-2022", f"{B}-2022", f"{C}-2023"])
    assert first.is_closed and second.is_closed
    handle.close()
    assert fresh.is_closed


def test_a_forked_process_never_reads_through_its_parents_searchers(built):
    root, _ = built
    handle = IndexHandle(root)
    with handle.searcher() as parents:
        pass
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a searcher of its own, and the parent's left alone
        try:
            with handle.searcher() as own:
                ok = own is not parents and len(report_ids(handle)) == 2
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    answer = os.read(read, 1)
    os.close(read)
    os.close(write)
    assert answer == b"1"
    assert not parents.is_closed
    with handle.searcher() as again:
        assert again is parents


def _held_of_replaced(root) -> int:
    """Files of replaced generations under `root` this process holds open or mapped."""
    from reliability.releases import held

    return held(os.getpid(), root, store.current_generation(root))["old"]


def _verbatim(handle, searcher):
    from search.whoosh.verbatim import verbatim_docs

    return verbatim_docs(searcher, "政府信息")     # maps the segments' bigram postings


def test_a_replaced_generation_is_let_go_when_its_last_search_ends(built):
    root, corpus = built
    handle = IndexHandle(root)
    with handle.searcher() as old:
        assert _verbatim(handle, old)
        write_report(corpus, "c.txt", C, 2023)
        build(corpus, root, workers=1)
        with handle.searcher() as new:              # a search on the new generation …
            assert _verbatim(handle, new)
        handle.let_go()                             # … and the release thread: not yet,
        assert _held_of_replaced(root) > 0          # a search still reads the old one
        assert _verbatim(handle, old)
    assert _held_of_replaced(root) == 0             # the last one ended: let go


def test_an_idle_handle_lets_go_of_a_replaced_generation(built):
    root, corpus = built
    handle = IndexHandle(root)
    with handle.searcher() as searcher:
        assert _verbatim(handle, searcher)
    from reliability.releases import held

    assert held(os.getpid(), root, "none")["old"] > 0   # an idle searcher and mapped segments
    write_report(corpus, "c.txt", C, 2023)
    build(corpus, root, workers=1)
    handle.let_go()                                     # what the release thread does
    assert _held_of_replaced(root) == 0
    assert report_ids(handle) == sorted([f"{A}-2022", f"{B}-2022", f"{C}-2023"])


def test_the_release_thread_lets_go_without_any_search(built, monkeypatch):
    from index import release

    root, corpus = built
    monkeypatch.setattr(release, "RELEASE_SECONDS", 0.05)
    handle = IndexHandle(root)
    with handle.searcher() as searcher:
        assert _verbatim(handle, searcher)
    write_report(corpus, "c.txt", C, 2023)
    build(corpus, root, workers=1)
    deadline = time.monotonic() + 60    # the thread may still sleep its first 5 s
    while _held_of_replaced(root) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _held_of_replaced(root) == 0


def test_close_lets_go_of_every_file(built):
    root, _ = built
    handle = IndexHandle(root)
    with handle.searcher() as searcher:
        assert _verbatim(handle, searcher)
    from reliability.releases import held

    assert held(os.getpid(), root, "none")["old"] > 0       # every generation counted
    handle.close()
    assert held(os.getpid(), root, "none")["old"] == 0
    assert report_ids(handle) == sorted([f"{A}-2022", f"{B}-2022"])   # and it opens again
