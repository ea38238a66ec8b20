"""index.bigrams: each segment's bigram postings beside whoosh, written after every commit.

The oracle is whoosh's own ``text_bigram`` field, indexed by the same tokenizer: every
bigram's documents and positions must be the same, and the verbatim lookup must find
the same sections through either, and what brute force over the reports finds.
"""
import random
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index

from index import bigram_writer, store
from index import schema as f
from index.bigrams import FOLDER, META, gram_key, open_segment
from index.build import add, build, remove
from index.documents import searchable_text
from index.store import IndexHandle
from index.whoosh_adapter import deleted_docnums, segment_name
from search import verbatim
from search.query import contains
from tests.indexdata import write_report
from tests.searchdata import CORPUS, build_index

PROJECT = Path(__file__).resolve().parent.parent


def _generation(root: Path) -> Path:
    return store.generation_dir(root, store.current_generation(root))


def _whoosh_postings(leaf, gram: str) -> tuple[list[int], list[int]]:
    matcher = leaf.postings(f.TEXT_BIGRAM, gram)
    docs, positions = [], []
    while matcher.is_active():
        for position in matcher.value_as("positions"):
            docs.append(matcher.id())
            positions.append(position)
        matcher.next()
    return docs, positions


def _check_against_whoosh(generation: Path) -> int:
    """Every bigram of every segment: the same postings as whoosh's field; returns how many."""
    ix = whoosh_index.open_dir(str(generation / store.INDEX_DIR))
    checked = 0
    with ix.searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            segment = open_segment(generation / FOLDER / str(segment_name(leaf)))
            assert segment is not None
            firsts: dict[str, set[int]] = {}
            # A folder keeps documents deleted after it was written; whoosh leaves them out.
            deleted = deleted_docnums(leaf).tolist()

            def live(values):
                return [v for v in values.tolist() if v not in deleted]
            for term in leaf.lexicon(f.TEXT_BIGRAM):
                gram = term.decode("utf-8")
                docs, positions = _whoosh_postings(leaf, gram)
                if not docs:
                    continue
                key = gram_key(gram)
                unique = np.asarray(sorted(set(docs)), dtype=np.int64)
                assert live(segment.postings(key)) == unique.tolist(), gram
                owners, found = segment.positions(key, unique)
                assert (owners.tolist(), found.tolist()) == (docs, positions), gram
                if not deleted:
                    assert segment.count(key) == len(docs)
                firsts.setdefault(gram[0], set()).update(docs)
                checked += 1
            for char, docs in firsts.items():
                assert live(segment.char_docs(ord(char))) == sorted(docs), char
            assert segment.postings(gram_key("\U0010fffd\U0010fffd")).tolist() == []
            assert segment.char_docs(0x10FFFD).tolist() == []
    return checked


def _random_pieces(count: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    texts = [s.text for r in CORPUS for s in r.sections if s.text]
    pieces = []
    for _ in range(count):
        text = rng.choice(texts)
        size = rng.randint(1, 8)
        start = rng.randint(0, max(0, len(text) - size))
        pieces.append(text[start:start + size])
    return pieces + ["公开公开", "信息公开", "2", "zz9"]


def _sections(handle, docnums) -> set[str]:
    with handle.searcher() as searcher:
        return {searcher.stored_fields(n)[f.DOC_ID] for n in docnums}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("bigrams")
    return root, build_index(root)


def test_each_segment_holds_the_same_postings_as_whoosh(built):
    root, _ = built
    generation = _generation(root)
    names = sorted(p.name for p in (generation / FOLDER).iterdir())
    assert names and all((generation / FOLDER / name / META).is_file() for name in names)
    assert _check_against_whoosh(generation) > 300


def test_small_batches_write_the_same_files(built, tmp_path, monkeypatch):
    """A segment is read and sorted a batch at a time (its memory bound): batches of a few
    postings, split across every bucket, give byte-identical files."""
    root, _ = built
    generation = _generation(root)
    copy = tmp_path / "copy"
    shutil.copytree(generation, copy)
    shutil.rmtree(copy / FOLDER)
    monkeypatch.setattr(bigram_writer, "BATCH", 7)
    written = bigram_writer.write_missing(copy)
    assert written
    for name in written:
        for path in (generation / FOLDER / name).iterdir():
            assert path.read_bytes() == (copy / FOLDER / name / path.name).read_bytes(), path.name


def test_the_lookup_finds_the_same_through_either_postings_and_by_brute_force(built, monkeypatch):
    _, handle = built
    pieces = _random_pieces(150)
    with handle.searcher() as searcher:
        mapped = [verbatim.verbatim_docs(searcher, piece) for piece in pieces]
    monkeypatch.setattr(verbatim, "_mapped", lambda leaf: None)
    with handle.searcher() as searcher:
        through_whoosh = [verbatim.verbatim_docs(searcher, piece) for piece in pieces]
    assert mapped == through_whoosh
    for piece, found in zip(pieces, mapped):
        expected = {f"{r.agency}-{r.year}#{s.key}" for r in CORPUS for s in r.sections
                    if contains(searchable_text(s.text, s.tables), piece)}
        assert _sections(handle, found) == expected, piece
    assert any(mapped) and not mapped[-1]


def test_add_and_remove_keep_every_segment_mapped_and_deleted_documents_out(tmp_path):
    corpus, root = tmp_path / "corpus", tmp_path / "ix"
    write_report(corpus, "a.txt", "海东市测试局", 2022, n=7)
    write_report(corpus, "b.txt", "某某县农业农村局", 2021)
    build(corpus, root, workers=1)
    # A second segment, and the replaced report deleted from the first.
    add([write_report(tmp_path / "new", "c.txt", "平潭综合实验区管委会", 2023),
         write_report(tmp_path / "new", "a2.txt", "海东市测试局", 2022, n=942)], root)
    generation = _generation(root)
    ix = whoosh_index.open_dir(str(generation / store.INDEX_DIR))
    with ix.searcher() as searcher:
        leaves = [leaf for leaf, _ in searcher.reader().leaf_readers()]
        assert len(leaves) == 2 and searcher.reader().has_deletions()
    assert {p.name for p in (generation / FOLDER).iterdir()} == {str(segment_name(leaf)) for leaf in leaves}
    _check_against_whoosh(generation)
    handle = IndexHandle(root)

    def reports_holding(text):
        with handle.searcher() as searcher:
            return sorted({searcher.stored_fields(n)[f.REPORT_ID] for n in verbatim.verbatim_docs(searcher, text)})

    assert reports_holding("942") == ["海东市测试局-2022"]      # the new version, in the new segment
    assert reports_holding("平潭综合实验区") == ["平潭综合实验区管委会-2023"]
    remove(["平潭综合实验区管委会-2023"], root)
    assert reports_holding("平潭综合实验区") == []
    assert {p.name for p in (_generation(root) / FOLDER).iterdir()} >= {str(segment_name(leaves[0]))}


def test_the_command_gives_an_older_index_its_postings(built, tmp_path):
    root, _ = built
    copy = tmp_path / "root"
    shutil.copytree(root, copy, symlinks=True)
    generation = _generation(copy)
    shutil.rmtree(generation / FOLDER)
    done = subprocess.run([sys.executable, "-m", "index", "bigrams", "--index", str(copy), "--workers", "1"],
                          cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1 segment(s) written" in done.stdout
    _check_against_whoosh(generation)
    empty = subprocess.run([sys.executable, "-m", "index", "bigrams", "--index", str(tmp_path / "none")],
                           cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert empty.returncode == 1 and "No index" in empty.stderr
