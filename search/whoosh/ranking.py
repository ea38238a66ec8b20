"""BM25F scores for a known set of hits, without scoring the rest of the index.

`search.whoosh.engine` already knows which sections match (the verbatim lookup) before it
ranks them. Letting whoosh run the ``rank`` query (an OR of the query's jieba words
in ``text``, ``title`` and ``agency_text``) scores *every* document holding any of
those words — for 申请 or 公开 that is nearly the whole index — and reads each
document's field length through a column lookup per posting; its ``filter`` only
drops the results afterwards. The profile at 1,000 reports put two thirds of all
search time there.

`score_hits` computes the same BM25F sum for the hits only: it walks each word's
postings block by block (ids and term frequencies, skipping blocks that hold no
hit), takes field lengths from one byte array per field read once per index
version (`search.whoosh.catalog.Catalog.lengths`), and uses whoosh's own idf and average
field length, B = 0.75 and K1 = 1.2, so a Term part scores what whoosh gives it.
A ``Phrase`` part (the jieba words of a multi-word term, boosted) is credited, like
whoosh's phrase matcher, with the sum of its words' ``text`` scores, for hits that
hold every word of it: the hit already contains the term verbatim, so the words'
adjacency needs no positions (the jieba fields keep none: `index.analysis.CountsFormat`;
a section where jieba cut the term differently may still get the phrase bonus).
A hit whose prose holds none of the words but whose title or tables do is then scaled
by `LABELS_ONLY_FACTOR`: prose that uses the words ranks above printed labels.

A word about as common as the hits (申请 for the query 申请) is scored over all its
postings once per index version and kept as two flat arrays (docnums, scores: 12
bytes a posting) in the index version's query cache (`search.querycache`); later queries with the word only
pick out their hits (`_word_part`). A word far more common than the hits is scored
over the hits' blocks each time.

API: `score_hits(ctx, rank, hits) -> {docnum: score}` (`ctx`: a `search.whoosh.context.Context`;
hits with no rank word are absent), `rank_query(terms, analyzer)`, `rank_parts(rank)`.
"""
from __future__ import annotations

import functools
from array import array
from bisect import bisect_left
from itertools import compress

import numpy as np
from whoosh import query as wq
from whoosh.reading import TermNotFound

from index import schema as f
from index import whoosh_adapter
from index.analysis import jieba_terms
from search.query import AGENCY_BOOST, LABELS_ONLY_FACTOR, PHRASE_BOOST, TABLES_BOOST, TITLE_BOOST, rank_words

B, K1 = 0.75, 1.2
# Score (and keep) a word's every posting when it has at most this many per hit: a few
# thousand hits spread over the index touch most posting blocks anyway.
WHOLE_WORD_FACTOR = 64


def rank_query(terms, analyzer) -> wq.Query | None:
    """What orders the hits of a query with these (positive) `terms`, as whoosh queries
    (`search.query`'s recipe): each term's jieba words in the prose, title, agency name
    and tables, each field with its boost, and the words of a multi-word term as a
    phrase in the prose. None when no term has a word."""
    parts: list[wq.Query] = []
    for term in terms:
        words = rank_words(term, analyzer)
        for word in words:
            parts += [wq.Term(f.TEXT_FIELD, word), wq.Term(f.TITLE, word, boost=TITLE_BOOST),
                      wq.Term(f.AGENCY_TEXT, word, boost=AGENCY_BOOST),
                      wq.Term(f.TABLES_TEXT, word, boost=TABLES_BOOST)]
        if len(words) > 1:
            parts.append(wq.Phrase(f.TEXT_FIELD, jieba_terms(term, analyzer), boost=PHRASE_BOOST))
    return wq.Or(parts) if parts else None


def rank_parts(rank) -> tuple[list[tuple[str, str, float]], list[tuple[str, tuple[str, ...], float]]]:
    """The ``Term`` and ``Phrase`` parts of a rank query (an OR of them, or one of them)."""
    terms, phrases = [], []
    parts = rank.subqueries if isinstance(rank, wq.Or) else [rank]
    for part in parts:
        if isinstance(part, wq.Term):
            terms.append((part.fieldname, part.text, float(part.boost)))
        elif isinstance(part, wq.Phrase):
            phrases.append((part.fieldname, tuple(part.words), float(part.boost)))
    return terms, phrases


def _postings(leaf, field: str, word: str, wanted: list[int] | None = None, wanted_set: set[int] | None = None):
    """(docnum, tf) of `word` in `field`: for the leaf-local docnums in sorted `wanted`, or all."""
    try:
        matcher = leaf.postings(field, word)
    except TermNotFound:
        return
    yield from whoosh_adapter.postings(matcher, wanted, wanted_set)


def _scored(searcher, cat, field: str, word: str, leaves) -> tuple[array, array]:
    """(docnums, BM25 parts) of `word` in `field` over `leaves`: (leaf, base, wanted, wanted_set);
    a leaf with ``wanted=None`` gives every posting, scored at once with numpy (the same
    operations in the same order as one at a time, so the same floats)."""
    docs, scores = array("i"), array("d")
    idf = searcher.idf(field, word)
    slope = K1 * B / (searcher.avg_field_length(field) or 1)
    norm = K1 * (1 - B)
    raw, table = cat.lengths(searcher, field)
    raw_array, table_array = np.frombuffer(raw, dtype=np.uint8), np.asarray(table, dtype=np.float64)
    for leaf, base, wanted, wanted_set in leaves:
        if (field, word) not in leaf:
            continue
        if wanted is None:
            local, tf = whoosh_adapter.posting_arrays(leaf.postings(field, word))
            docnums = local + base
            lengths = table_array[raw_array[docnums]]
            docs.frombytes(docnums.astype(np.int32).tobytes())
            scores.frombytes((idf * (tf * (K1 + 1)) / (tf + norm + slope * lengths)).tobytes())
            continue
        for local, tf in _postings(leaf, field, word, wanted, wanted_set):
            docnum = base + local
            docs.append(docnum)
            scores.append(idf * (tf * (K1 + 1)) / (tf + norm + slope * table[raw[docnum]]))
    return docs, scores


def _word_part(searcher, cat, cache, field: str, word: str, hits, by_leaf) -> dict[int, float]:
    """{hit: BM25 part of `word` in `field`} for the hits holding the word (`by_leaf()`:
    the hits per segment, made only when needed).

    A word with at most `WHOLE_WORD_FACTOR` × as many postings as there are hits is
    scored over all its postings and remembered for the index version
    (`QueryCache.word_scores`): the next query with that word, filtered or not, only
    picks its hits out of two flat arrays. A word far more common than the hits and
    not remembered (公开 under an agency filter) is scored over the hits' blocks only.
    """
    if field not in searcher.schema or not searcher.schema[field].scorable:
        return {}
    known = cache.known_word_scores((field, word))
    if known is None and searcher.doc_frequency(field, word) <= WHOLE_WORD_FACTOR * len(hits):
        leaves = [(leaf, base, None, None) for leaf, base in searcher.reader().leaf_readers()]
        known = cache.word_scores((field, word), lambda: _scored(searcher, cat, field, word, leaves))
    if known is not None:
        docs, scores = known
        if len(docs) <= len(hits) and hits.issuperset(docs):   # unfiltered: usually every posting is a hit
            return dict(zip(docs, scores))
        return dict(compress(zip(docs, scores), map(hits.__contains__, docs)))
    return dict(zip(*_scored(searcher, cat, field, word, by_leaf())))


def _weighted_sum(parts: list[tuple[dict[int, float], float]]) -> dict[int, float]:
    """Σ boost × part per docnum, the parts added in the order given (as whoosh does).

    The first non-empty part is copied (or scaled) at C speed and the others are added
    to it one by one: for a common word that first part, ``text``, is most of the hits,
    the title and agency-name parts few."""
    filled = [(part, boost) for part, boost in parts if part]
    if not filled:
        return {}
    first, boost = filled[0]
    final = dict(first) if boost == 1.0 else dict(zip(first, map(boost.__mul__, first.values())))
    for part, boost in filled[1:]:
        for docnum, value in part.items():
            final[docnum] = final.get(docnum, 0.0) + boost * value
    return final


def _by_leaf(searcher, hits) -> list[tuple]:
    """(leaf, base, sorted leaf-local hits, the same as a set) for each segment holding hits."""
    ordered = sorted(hits)
    by_leaf = []
    for leaf, base in searcher.reader().leaf_readers():
        lo, hi = bisect_left(ordered, base), bisect_left(ordered, base + leaf.doc_count_all())
        if lo < hi:
            local = [d - base for d in ordered[lo:hi]]
            by_leaf.append((leaf, base, local, set(local)))
    return by_leaf


def score_hits(ctx, rank, hits) -> dict[int, float]:
    """BM25F score of each hit that holds a rank word (see the module docstring)."""
    searcher, cat = ctx.searcher, ctx.catalog
    terms, phrases = rank_parts(rank)
    needed = {(field, word) for field, word, _ in terms}
    needed |= {(field, word) for field, words, _ in phrases for word in words}
    hits = hits if isinstance(hits, (set, frozenset)) else set(hits)
    by_leaf = functools.cache(lambda: _by_leaf(searcher, hits))     # made once, if a word needs it
    word_scores = {(field, word): _word_part(searcher, cat, ctx.cache, field, word, hits, by_leaf) for field, word in needed}
    final = _weighted_sum([(word_scores[(field, word)], boost) for field, word, boost in terms])
    for field, words, boost in phrases:
        parts = [word_scores[(field, word)] for word in words]
        holding = set(parts[0]).intersection(*parts[1:]) if parts else set()
        for docnum in holding:
            # whoosh sums the phrase's words as listed (a repeated word counts twice)
            final[docnum] = final.get(docnum, 0.0) + boost * sum(part[docnum] for part in parts)
    _prefer_prose(final, word_scores)
    return final


def _prefer_prose(final: dict[int, float], word_scores: dict) -> None:
    """Scale down the hits whose prose holds no query word but whose title or tables do:
    the template's titles and table labels (行政复议, 收费) are printed by every report,
    so a section that only prints them says less than one whose prose uses the words."""
    prose: set[int] = set()
    labels: set[int] = set()
    for (field, _), part in word_scores.items():
        if field == f.TEXT_FIELD:
            prose.update(part)
        elif field in (f.TITLE, f.TABLES_TEXT):
            labels.update(part)
    for docnum in labels - prose:
        if docnum in final:
            final[docnum] *= LABELS_ONLY_FACTOR
