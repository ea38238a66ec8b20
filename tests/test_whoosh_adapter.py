"""The whoosh adapter's fast paths read what whoosh's public API gives, or fail loudly."""
import pytest
from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.matching import ListMatcher
from whoosh.util.numeric import length_to_byte

from index import schema as f
from index import whoosh_adapter as adapter
from index.build import add, build
from index.store import IndexHandle
from tests.indexdata import write_report


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    """Two segments, the first with a deleted document (a replaced report)."""
    tmp = tmp_path_factory.mktemp("adapter")
    write_report(tmp / "corpus", "a.txt", "海东市测试局", 2022)
    write_report(tmp / "corpus", "b.txt", "某某县农业农村局", 2021)
    build(tmp / "corpus", tmp / "ix", workers=1)
    add([write_report(tmp / "new", "c.txt", "平潭综合实验区管委会", 2023),
         write_report(tmp / "new", "a2.txt", "海东市测试局", 2022, n=42)], tmp / "ix")
    return tmp / "ix"


def _stepped(matcher):
    out = []
    while matcher.is_active():
        out.append((matcher.id(), matcher.weight()))
        matcher.next()
    return out


def test_block_reads_equal_stepping_through_each_posting_list(index_dir):
    with IndexHandle(index_dir).searcher() as searcher:
        leaves = list(searcher.reader().leaf_readers())
        assert len(leaves) == 2 and any(leaf.has_deletions() for leaf, _ in leaves)
        checked = 0
        for leaf, _ in leaves:
            for field in (f.TEXT_FIELD, f.KIND):
                for term in list(leaf.lexicon(field))[:60]:
                    expected = _stepped(leaf.postings(field, term))
                    assert adapter.block_ids(leaf.postings(field, term)) == [d for d, _ in expected]
                    assert list(adapter.postings(leaf.postings(field, term))) == expected
                    ids, weights = adapter.posting_arrays(leaf.postings(field, term))
                    assert list(zip(ids.tolist(), weights.tolist())) == expected
                    wanted = [d for d, _ in expected][::3]
                    picked = list(adapter.postings(leaf.postings(field, term), wanted, set(wanted)))
                    assert picked == [pair for pair in expected if pair[0] in set(wanted)]
                    checked += 1
        assert checked > 100


def test_length_bytes_equal_whooshs_per_document_lengths(index_dir):
    with IndexHandle(index_dir).searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            for field in (f.TEXT_FIELD, f.TITLE):
                raw = adapter.length_bytes(leaf, field)
                assert len(raw) == leaf.doc_count_all()
                assert list(raw) == [length_to_byte(leaf.doc_field_length(d, field, 0))
                                     for d in range(leaf.doc_count_all())]
                assert any(raw), field


def test_the_index_is_served_by_the_fast_paths_only(index_dir):
    """Every matcher, column and length reader of a real index is one the adapter reads
    in blocks (or a deletions filter): nothing falls through to an unknown kind."""
    with IndexHandle(index_dir).searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            for field in f.FACET_FIELDS:
                values = adapter.column_values(leaf.column_reader(field, translate=False), leaf.doc_count_all())
                assert len(values) == leaf.doc_count_all()
            kinds = {type(leaf.postings(f.KIND, term)) for term in leaf.lexicon(f.KIND)}
            assert whoosh3.W3LeafMatcher in kinds or leaf.has_deletions()


def test_a_missing_internal_fails_loudly_instead_of_falling_back(index_dir, monkeypatch):
    adapter.check_classes()
    monkeypatch.delattr(whoosh3.W3LeafMatcher, "_next_block")
    with pytest.raises(adapter.FastPathUnavailable, match="W3LeafMatcher._next_block"):
        adapter.check_classes()


def test_an_unknown_matcher_or_column_kind_is_refused_not_stepped_through(index_dir):
    with pytest.raises(adapter.FastPathUnavailable, match="ListMatcher"):
        adapter.block_ids(ListMatcher([1, 2, 3]))
    with pytest.raises(adapter.FastPathUnavailable, match="ListMatcher"):
        list(adapter.postings(ListMatcher([1, 2, 3])))
    with IndexHandle(index_dir).searcher() as searcher:
        leaf, _ = next(iter(searcher.reader().leaf_readers()))
        wrapped = leaf.column_reader(f.AGENCY, translate=True)   # a translating wrapper
        assert not isinstance(wrapped, columns.VarBytesColumn.Reader)
        with pytest.raises(adapter.FastPathUnavailable, match="column"):
            adapter.column_values(wrapped, leaf.doc_count_all())
