"""A build that fails for lack of disk leaves the served index untouched.

The disk fills (an injected ``OSError(ENOSPC)``) at each place a build, an ``add`` or a
``remove`` writes: whoosh's segment files, the copies of the originals, the build
summary, the marker on the generation being replaced. Each time the live generation
must stay the one served, its searches unchanged, no half-built generation left
behind, and ``python -m index`` must say so in one line (exit status 1, no traceback).
Killing a build half-way is in test_reliability_server.py (it needs a longer build).
"""
from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

from index import build as builder
from index import store
from index.__main__ import main as index_cli
from index.store import IndexHandle
from madeup import layouts

pytestmark = pytest.mark.reliability


def _full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _after(calls: int, real):
    """`real`, until `calls` calls have gone through; then the disk is full."""
    count = {"n": 0}

    def wrapped(*args, **kwargs):
        count["n"] += 1
        if count["n"] > calls:
            _full_disk()
        return real(*args, **kwargs)

    return wrapped


@pytest.fixture()
def live(tmp_path) -> tuple[Path, Path, Path]:
    """(corpus, index root, one more report file) with a live index of three reports."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in range(3):
        (corpus / f"r{seed}.md").write_text(layouts.markdown(layouts.made_up(seed)), encoding="utf-8")
    extra = tmp_path / "extra.md"
    extra.write_text(layouts.markdown(layouts.made_up(4)), encoding="utf-8")  # a fourth report
    root = tmp_path / "index"
    builder.build(corpus, root, workers=1)
    return corpus, root, extra


def _served(handle: IndexHandle) -> tuple[str, int, list[str]]:
    with handle.searcher() as searcher:
        ids = sorted(doc["doc_id"] for doc in searcher.documents(kind="report"))
        return handle.generation, searcher.doc_count(), ids


FAULTS = {
    "whoosh segment files": (FileStorage, "create_file", 2),
    "copy of an original": (shutil, "copyfile", 0),
    "build summary": (Path, "write_text", 0),
}


# whoosh's writer, cancelled after a failed write, leaves the files it had open (in the
# abandoned generation, deleted by then) for the garbage collector to close.
@pytest.mark.filterwarnings("ignore:Exception ignored in. <_io.FileIO name='.*/generations/"
                            ":pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("where", sorted(FAULTS))
@pytest.mark.parametrize("command", ["build", "add", "remove"])
def test_a_full_disk_leaves_the_served_index_untouched(live, monkeypatch, capsys, where, command):
    corpus, root, extra = live
    handle = IndexHandle(root)
    before = _served(handle)
    owner, name, calls = FAULTS[where]
    monkeypatch.setattr(owner, name, _after(calls, getattr(owner, name)))
    argv = {"build": ["build", "--corpus", str(corpus), "--workers", "1"],
            "add": ["add", str(extra)],
            "remove": ["remove", before[2][0]]}[command]
    status = index_cli([*argv, "--index", str(root), "--quiet"])
    monkeypatch.undo()
    err = capsys.readouterr().err
    if command == "remove" and where == "copy of an original":
        assert status == 0   # remove copies nothing: it succeeds
        return
    assert status == 1, err
    assert "No space left on device" in err and "The index was left as it was." in err, err
    assert "Traceback" not in err
    assert store.current_generation(root) == before[0]
    assert not handle.refresh()
    assert _served(handle) == before
    assert [p.name for p in (root / store.GENERATIONS).iterdir()] == [before[0]]
    # Once there is room again, the same command works.
    assert index_cli([*argv, "--index", str(root), "--quiet"]) == 0
    assert store.current_generation(root) != before[0]


def test_a_full_disk_after_the_swap_keeps_the_new_generation(live, monkeypatch, capsys):
    # Marking the replaced generation "retired" is the last write: the swap is done, the
    # new generation is live, and it must not be deleted as if the build had failed.
    corpus, root, extra = live
    old = store.current_generation(root)
    real = Path.write_text

    def marker_fails(self, *args, **kwargs):
        if self.name == store.RETIRED:
            _full_disk()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", marker_fails)
    status = index_cli(["add", str(extra), "--index", str(root), "--quiet"])
    monkeypatch.undo()
    new = store.current_generation(root)
    assert status == 0, capsys.readouterr().err
    assert new != old and (root / store.GENERATIONS / new / store.INDEX_DIR).is_dir()
    with IndexHandle(root).searcher() as searcher:
        assert searcher.doc_count() == (3 + 1) * 7
