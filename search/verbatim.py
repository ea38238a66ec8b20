"""Which sections contain a string verbatim: a positional join over the bigram postings.

The ``text_bigram`` field puts, at position i of the whitespace-free text, the
bigram (i, i+1), the last character paired with an end mark
(`index.analysis.BigramTokenizer`). A single character is found as the prefix of
bigrams: the documents of every bigram starting with it. A string
s of length L ≥ 2 occurs at position p exactly when each of its bigrams s[k:k+2]
sits at p + k. Checking every bigram is redundant: bigrams at offsets 0, 2, 4, …
and the last one already cover every character, so only those are read — about half
the postings a whoosh ``Phrase`` over all bigrams would read, and without its span
machinery. Candidates are the documents holding all of them (rarest first), then the
positions decide.

Common long terms are often one jieba word of the ``text`` field (政府信息公开申请 is
in the domain dictionary): a section holding that word holds the string, so those
candidates need no positions at all — only the others (where jieba cut the string
differently) are checked.

API: `verbatim_docs(searcher, term, analyzer=None, budget=None) -> set[int]` (global
document numbers; deleted documents never appear; `analyzer` is the index's jieba
analyzer, enabling the shortcut; a `search.budget.Budget` is checked per segment and
every `CHECK_EVERY` candidates, raising `BudgetSpent`), `covering_offsets(n)`; posting
blocks are read by `index.whoosh_adapter.block_ids`.
"""
from __future__ import annotations

from index import schema as f
from index.analysis import bigram_terms, fold, jieba_terms
from index.whoosh_adapter import block_ids

FIELD = f.TEXT_BIGRAM
CHECK_EVERY = 256      # candidates (or prefix bigrams) between two looks at the budget


def _check(budget) -> None:
    if budget is not None:
        budget.check()


def covering_offsets(count: int) -> list[int]:
    """Offsets of the bigrams to check among `count` overlapping ones: 0, 2, 4 … and the last."""
    return sorted(set(range(0, count, 2)) | {count - 1}) if count else []


def verbatim_docs(searcher, term: str, analyzer=None, budget=None) -> set[int]:
    """Global docnums of the documents whose bigram field contains `term` verbatim."""
    grams = bigram_terms(term)
    if not grams:
        return set()
    word = None
    if analyzer is not None and len(grams) > 1:
        words = jieba_terms(term, analyzer)
        if len(words) == 1 and words[0] == "".join(fold(term).split()):
            word = words[0]
    found: set[int] = set()
    for leaf, base in searcher.reader().leaf_readers():
        _check(budget)
        found |= {base + docnum for docnum in _leaf_docs(leaf, grams, word, budget)}
    return found


def _leaf_docs(leaf, grams: list[str], word: str | None = None, budget=None) -> list[int]:
    if len(grams) == 1:
        if len(grams[0]) > 1:
            exact = (FIELD, grams[0]) in leaf
            return block_ids(leaf.postings(FIELD, grams[0])) if exact else []
        # One character: every bigram starting with it (an index built before bigrams
        # replaced single characters also has the character itself: found the same way).
        docs: set[int] = set()
        for n, gram in enumerate(leaf.expand_prefix(FIELD, grams[0])):
            if n % CHECK_EVERY == 0:
                _check(budget)
            docs.update(block_ids(leaf.postings(FIELD, gram)))
        return list(docs)
    offsets = covering_offsets(len(grams))
    wanted = [(offset, grams[offset]) for offset in offsets]
    if any((FIELD, gram) not in leaf for _, gram in wanted):
        return []
    # Rarest bigram first: its documents bound the candidates.
    wanted.sort(key=lambda pair: leaf.doc_frequency(FIELD, pair[1]))
    candidates = set(block_ids(leaf.postings(FIELD, wanted[0][1])))
    for _, gram in wanted[1:]:
        if not candidates:
            return []
        candidates.intersection_update(block_ids(leaf.postings(FIELD, gram)))
    if not candidates:
        return []
    result = []
    if word is not None and (f.TEXT_FIELD, word) in leaf:
        known = candidates.intersection(block_ids(leaf.postings(f.TEXT_FIELD, word)))
        result.extend(known)
        candidates -= known
    # One matcher per distinct bigram, its positions read once per document and shifted
    # by each offset it stands at (公开公开公开… repeats two bigrams at eight offsets).
    offsets_of: dict[str, list[int]] = {}
    for offset, gram in wanted:
        offsets_of.setdefault(gram, []).append(offset)
    matchers = [(offsets, leaf.postings(FIELD, gram)) for gram, offsets in offsets_of.items()]
    for n, docnum in enumerate(sorted(candidates)):
        if n % CHECK_EVERY == 0:
            _check(budget)
        starts = None
        for offsets, matcher in matchers:
            if matcher.id() != docnum:
                matcher.skip_to(docnum)
            positions = matcher.value_as("positions")
            for offset in offsets:
                shifted = {pos - offset for pos in positions}
                starts = shifted if starts is None else starts & shifted
                if not starts:
                    break
            if not starts:
                break
        if starts:
            result.append(docnum)
    return result
