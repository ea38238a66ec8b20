"""search.ranking scores only the hits; whoosh scores the whole index: the same BM25F."""
import random

import pytest
from whoosh import query as wq

from search.query import parse
from tests.searchdata import build_index, make_reports

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def handle(search_index):
    return search_index.open()


def _without_positions(rank):
    """The rank query as whoosh can run it over fields without positions: a phrase part
    as the AND of its words, scored — like whoosh scores a phrase — as the sum of its
    words' scores, on the sections holding every word (search.ranking's definition)."""
    parts = rank.subqueries if isinstance(rank, wq.Or) else [rank]
    return wq.Or([wq.And([wq.Term(p.fieldname, w) for w in p.words], boost=p.boost)
                  if isinstance(p, wq.Phrase) else p for p in parts])


@pytest.mark.parametrize("whole_word_factor", [0, 10 ** 9])   # hits' blocks only; every posting, cached
@pytest.mark.parametrize("query", ["公开", "政策解读 形式", "棚户区改造", "申请 OR 国家秘密", "公开 申请"])
def test_hit_scores_equal_whoosh_bm25f_over_the_rank_query(handle, query, whole_word_factor, monkeypatch):
    # search.ranking scores only the hits; whoosh scores the whole index: same numbers.
    from search.whoosh import ranking
    from search.whoosh.context import open_context
    from search.whoosh.engine import _matched
    from search.query import resolve
    from search.whoosh.ranking import rank_query, score_hits

    monkeypatch.setattr(ranking, "WHOLE_WORD_FACTOR", whole_word_factor)

    with open_context(handle) as ctx:
        searcher = ctx.searcher
        parsed = parse(query)
        rank = rank_query(parsed.terms, ctx.analyzer())
        hits = sorted(_matched(ctx, resolve(parsed, ctx.catalog.agencies())))
        ours = score_hits(ctx, rank, hits)
        assert score_hits(ctx, rank, hits) == ours   # again (from the cache)
        half = hits[::2]   # a filter keeps some hits: the same scores for those
        assert score_hits(ctx, rank, half) == {d: ours[d] for d in half if d in ours}
        results = searcher.search(_without_positions(rank), filter=set(hits), limit=None,
                                  optimize=False)
        theirs = {docnum: score for score, docnum in results.top_n}
    assert hits and theirs
    assert ours.keys() == theirs.keys()
    assert all(ours[d] == pytest.approx(theirs[d], rel=1e-9) for d in theirs)


def test_scores_of_a_few_hits_among_many_posting_blocks_equal_whooshs(tmp_path, monkeypatch):
    # 400 sections hold 公开 (whoosh blocks hold 128 postings): the hits-only path skips
    # blocks by their headers and must still find every hit's posting.
    from search.whoosh import ranking
    from search.whoosh.context import open_context
    from search.whoosh.ranking import score_hits

    rng = random.Random(5)
    texts = {(f"第{i}号测试局", 2023): {"overview": "本局依法公开政府信息。" * rng.randint(1, 4), "other": "无。"}
             for i in range(200)}
    texts.update({(f"第{i}号测试局", 2022): {"overview": "公开" + "信息" * rng.randint(1, 9), "other": "无。"}
                  for i in range(200)})
    handle = build_index(tmp_path, make_reports(texts))
    monkeypatch.setattr(ranking, "WHOLE_WORD_FACTOR", 0)
    with open_context(handle) as ctx:
        searcher = ctx.searcher
        rank = wq.Term("text", "公开")
        everything = sorted(searcher.docs_for_query(rank))
        assert len(everything) == 400
        for size in (1, 3, 17, 150):
            hits = sorted(rng.sample(everything, size))
            theirs = {d: s for s, d in searcher.search(rank, filter=set(hits), limit=None, optimize=False).top_n}
            ours = score_hits(ctx, rank, hits)
            assert ours.keys() == theirs.keys() == set(hits)
            assert all(ours[d] == pytest.approx(theirs[d], rel=1e-9) for d in hits)
