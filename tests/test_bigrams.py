"""index.bigrams: each segment's bigram postings beside whoosh, written after every commit.

The oracle is `BigramTokenizer`, the tokenizer whoosh's ``text_bigram`` field used
(dicts of positions, one section at a time) over each section's stored text: every
bigram's documents and positions must be the same; and the verbatim lookup must find
what brute force over the reports finds.
"""
import json
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
from index.analysis import BigramTokenizer
from index.store import IndexHandle, IndexMissing
from index.whoosh_adapter import deleted_docnums, segment_name
from search.whoosh import verbatim
from search.query import contains
from tests.indexdata import write_report
from tests.searchdata import CORPUS, build_index

PROJECT = Path(__file__).resolve().parent.parent


def _generation(root: Path) -> Path:
    return store.generation_dir(root, store.current_generation(root))


def _expected(leaf) -> dict[str, tuple[list[int], list[int]]]:
    """Each bigram's (docnums, positions) over the segment's live sections, by the tokenizer."""
    found: dict[str, tuple[list[int], list[int]]] = {}
    tokenizer = BigramTokenizer()
    for docnum in range(leaf.doc_count_all()):
        stored = leaf.stored_fields(docnum)
        if leaf.is_deleted(docnum) or stored[f.KIND] != f.KIND_SECTION:
            continue
        text = searchable_text(stored.get(f.TEXT_FIELD) or "", json.loads(stored[f.TABLES_JSON]))
        for gram, positions in tokenizer.term_positions(text).items():
            docs, where = found.setdefault(gram, ([], []))
            docs += [docnum] * len(positions)
            where += positions
    return found


def _check_against_tokenizer(generation: Path) -> int:
    """Every bigram of every segment: the postings the tokenizer gives; returns how many."""
    ix = whoosh_index.open_dir(str(generation / store.INDEX_DIR))
    checked = 0
    with ix.searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            segment = open_segment(generation / FOLDER / str(segment_name(leaf)))
            assert segment is not None
            # A folder keeps documents deleted after it was written; readers drop them.
            deleted = deleted_docnums(leaf).tolist()

            def live(values):
                return [v for v in values.tolist() if v not in deleted]

            firsts: dict[str, set[int]] = {}
            for gram, (docs, positions) in _expected(leaf).items():
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
            assert len(segment.keys) >= len(firsts) and segment.count(gram_key("\U0010fffd\U0010fffd")) == 0
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
def built(search_index):
    return search_index.root, search_index.open()


def test_each_segment_holds_the_postings_the_tokenizer_gives(built):
    root, _ = built
    generation = _generation(root)
    names = sorted(p.name for p in (generation / FOLDER).iterdir())
    assert names and all((generation / FOLDER / name / META).is_file() for name in names)
    assert _check_against_tokenizer(generation) > 300


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


def test_the_lookup_finds_what_brute_force_finds(built):
    _, handle = built
    pieces = _random_pieces(200)
    with handle.searcher() as searcher:
        found = [verbatim.verbatim_docs(searcher, piece) for piece in pieces]
    for piece, docnums in zip(pieces, found):
        expected = {f"{r.agency}-{r.year}#{s.key}" for r in CORPUS for s in r.sections
                    if contains(searchable_text(s.text, s.tables), piece)}
        assert _sections(handle, docnums) == expected, piece
    assert sum(map(bool, found)) > 150 and not found[-1]     # most pieces occur; "zz9" nowhere


def test_a_segment_without_its_postings_is_refused_with_the_command_to_run(tmp_path):
    root = tmp_path / "ix"
    build_index(root, CORPUS[:3])
    shutil.rmtree(_generation(root) / FOLDER)
    with pytest.raises(IndexMissing, match="python -m index bigrams"):
        IndexHandle(root)


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
    _check_against_tokenizer(generation)
    handle = IndexHandle(root)

    def reports_holding(text):
        with handle.searcher() as searcher:
            return sorted({searcher.stored_fields(n)[f.REPORT_ID] for n in verbatim.verbatim_docs(searcher, text)})

    assert reports_holding("942") == ["海东市测试局-2022"]      # the new version, in the new segment
    assert reports_holding("平潭综合实验区") == ["平潭综合实验区管委会-2023"]
    remove(["平潭综合实验区管委会-2023"], root)
    assert reports_holding("平潭综合实验区") == []
    assert {p.name for p in (_generation(root) / FOLDER).iterdir()} >= {str(segment_name(leaves[0]))}


def test_a_folder_in_another_format_counts_as_missing_and_is_written_again(tmp_path):
    root = tmp_path / "ix"
    build_index(root, CORPUS[:3])
    generation = _generation(root)
    (name,) = [p.name for p in (generation / FOLDER).iterdir()]
    meta = generation / FOLDER / name / META
    written = json.loads(meta.read_text(encoding="utf-8"))
    meta.write_text(json.dumps({**written, "format": written["format"] + 1}), encoding="utf-8")
    with pytest.raises(IndexMissing, match="python -m index bigrams"):
        IndexHandle(root)
    assert bigram_writer.write_missing(generation) == [name]
    assert sorted(p.name for p in (generation / FOLDER).iterdir()) == [name]
    _check_against_tokenizer(generation)
    assert IndexHandle(root).generation == generation.name


@pytest.mark.slow
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
    _check_against_tokenizer(generation)
    empty = subprocess.run([sys.executable, "-m", "index", "bigrams", "--index", str(tmp_path / "none")],
                           cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert empty.returncode == 1 and "No index" in empty.stderr
