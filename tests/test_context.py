"""A search's context: the snapshot the index handle keeps per index version, and a
query cache that stays within its memory budget."""
from array import array

import pytest

from index.build import add
from index.store import IndexHandle
from search.whoosh.context import open_context, snapshot
from search.whoosh.engine import search
from search.whoosh.querycache import BYTES_PER_DOCNUM, QueryCache
from search.request import SearchRequest
from config.settings import DEFAULTS, MB, Settings
from search.whoosh.context import settings_of
from tests.indexdata import write_report
from tests.searchdata import build_index

pytestmark = pytest.mark.engine


def test_the_query_cache_stays_within_its_memory_budget():
    cache = QueryCache(budget_bytes=BYTES_PER_DOCNUM * 250)
    for n in range(10):
        cache.term_docs(f"词{n}", lambda n=n: range(n * 100, n * 100 + 100))   # 100 docnums each
        assert cache.size <= cache.budget_bytes
    # The two most recent fit; the oldest were dropped and are computed again.
    calls = []
    assert cache.term_docs("词9", lambda: calls.append(9) or ()) == frozenset(range(900, 1000))
    assert cache.term_docs("词0", lambda: calls.append(0) or range(3)) == frozenset(range(3))
    assert calls == [0]
    scores = (array("i", [1, 2]), array("d", [0.5, 0.25]))
    assert cache.known_word_scores(("text", "公开")) is None
    assert cache.word_scores(("text", "公开"), lambda: scores) is scores
    assert cache.known_word_scores(("text", "公开")) is scores


def test_the_snapshot_belongs_to_the_handle_and_its_index_version(tmp_path):
    handle = build_index(tmp_path / "ix")
    with open_context(handle) as ctx:
        first = snapshot(handle, ctx.searcher)
        assert (ctx.catalog, ctx.cache) == (first.catalog, first.cache)
        search(handle, SearchRequest(query="公开"))
        assert first.cache.size > 0                      # the search kept its match set
    other = IndexHandle(handle.root)                     # another handle: its own snapshot
    with other.searcher() as searcher:
        assert snapshot(other, searcher).catalog is not first.catalog
    before = len(first.catalog.reports)
    add([write_report(tmp_path / "new", "n.txt", "平潭综合实验区管委会", 2023)], handle.root)
    with open_context(handle) as ctx:                    # a new generation: a new snapshot
        assert ctx.catalog is not first.catalog and len(ctx.catalog.reports) == before + 1
        assert ctx.cache.size == 0


def test_the_handle_carries_the_settings_search_reads(search_index):
    handle = search_index.open()
    assert settings_of(handle) is DEFAULTS
    small = IndexHandle(handle.root, settings=Settings(query_cache_mb=3))
    with open_context(small) as ctx:
        assert ctx.cache.budget_bytes == 3 * MB
