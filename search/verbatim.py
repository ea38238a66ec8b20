"""Which sections contain a string verbatim: a positional join over bigram postings.

At position i of a section's whitespace-free, folded text stands the bigram (i, i+1),
the last character paired with an end mark (`index.analysis.BigramTokenizer`). A
single character is found as the first character of bigrams. A string s of length
L ≥ 2 occurs at position p exactly when each of its bigrams s[k:k+2] sits at p + k.
Checking every bigram is redundant: bigrams at offsets 0, 2, 4, … and the last one
already cover every character, so only those are read. Candidates are the documents
holding all of them (rarest first), then the positions decide — for all candidates at
once, as numpy intersections of (document, start) keys.

The postings are read from each segment's memory-mapped arrays (`index.bigrams`,
written by every build, add and remove): slicing them decodes nothing. A segment
without them (an index built before they existed, until ``python -m index bigrams``
gives it them) is read from whoosh's ``text_bigram`` field, which holds the same
postings: a block at a time with their pickled positions (≈ 1 µs a posting). There,
common long terms that are one jieba word of the ``text`` field (政府信息公开申请 is in
the domain dictionary) need no positions: a section holding that word holds the string.

API: `verbatim_docs(searcher, term, analyzer=None, budget=None) -> set[int]` (global
document numbers; deleted documents never appear; `analyzer` is the index's jieba
analyzer, enabling the shortcut on whoosh's postings; a `search.budget.Budget` is
checked per segment, per bigram and slice, and while whoosh's posting blocks are read,
raising `BudgetSpent`), `covering_offsets(n)`. Candidates are checked a slice of
`SLICE` documents at a time, which bounds a lookup's transient memory whatever the
corpus.
"""
from __future__ import annotations

import numpy as np

from pathlib import Path

from index import schema as f
from index.analysis import bigram_terms, fold, jieba_terms
from index.bigrams import FOLDER as BIGRAMS, gram_key, open_segment
from index.whoosh_adapter import (block_ids, deleted_docnums, index_folder, positions_flat,
                                  segment_name, values)

FIELD = f.TEXT_BIGRAM
CHECK_EVERY = 256      # prefix bigrams between two looks at the budget
SLICE = 8192           # docnums whose posting values one lookup holds at once (bounds its memory)


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
        mapped = _mapped(leaf)
        if mapped is None:
            found |= {base + docnum for docnum in _leaf_docs(leaf, grams, word, budget)}
            continue
        docs = _mapped_docs(mapped, grams, budget)
        deleted = deleted_docnums(leaf)
        if len(deleted) and len(docs):
            docs = docs[~np.isin(docs, deleted)]
        found.update((docs + base).tolist())
    return found


def _mapped(leaf):
    """The segment's bigram postings beside whoosh (`index.bigrams`), if written."""
    folder = index_folder(leaf)
    if folder is None:
        return None
    return open_segment(Path(folder).parent / BIGRAMS / str(segment_name(leaf)))


def _mapped_docs(segment, grams: list[str], budget=None) -> np.ndarray:
    """`_leaf_docs` on the segment's memory-mapped postings: leaf-local docnums (int64)."""
    if len(grams) == 1:
        gram = grams[0]
        found = segment.postings(gram_key(gram)) if len(gram) > 1 else segment.char_docs(ord(gram))
        return np.asarray(found, dtype=np.int64)
    offsets_of: dict[int, list[int]] = {}
    for offset in covering_offsets(len(grams)):
        offsets_of.setdefault(gram_key(grams[offset]), []).append(offset)
    keys = sorted(offsets_of, key=segment.count)     # rarest first
    candidates = segment.postings(keys[0])
    for key in keys[1:]:
        _check(budget)
        if not len(candidates):
            break
        candidates = segment.holding(key, candidates)
    result = []
    for start in range(0, len(candidates), SLICE):
        result.append(_mapped_adjacent(segment, candidates[start:start + SLICE], keys, offsets_of, budget))
    return np.concatenate(result) if result else np.zeros(0, dtype=np.int64)


def _mapped_adjacent(segment, docs: np.ndarray, keys: list[int], offsets_of: dict[int, list[int]],
                     budget=None) -> np.ndarray:
    """The `docs` where every bigram stands at its offset from one common start: the
    (docnum << 32 | start) keys the rarest bigram allows, kept while each other bigram
    at each offset allows them too (binary search in its sorted keys)."""
    starts = None
    for key in keys:
        _check(budget)
        owners, positions = segment.positions(key, docs)
        for offset in offsets_of[key]:
            keep = positions >= offset
            allowed = owners[keep] << 32 | (positions[keep] - offset)
            if starts is None:
                starts = allowed
            else:
                at = np.minimum(np.searchsorted(allowed, starts), max(len(allowed) - 1, 0))
                starts = starts[allowed[at] == starts] if len(allowed) else allowed
            if not len(starts):
                return starts
    return np.unique(starts >> 32)


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
    offsets_of: dict[str, list[int]] = {}
    for offset in offsets:
        offsets_of.setdefault(grams[offset], []).append(offset)
    if any((FIELD, gram) not in leaf for gram in offsets_of):
        return []
    # Rarest bigram first: its documents bound the candidates. Each bigram's posting
    # values (positions) are read once, a block at a time, for the candidates left —
    # a slice of `SLICE` docnums at a time: a lookup holds ≈ 9 MB of them at most
    # (before slicing, ≈ 30 MB per lookup at 10k reports and ten times that at 100k).
    rarest, *others = sorted(offsets_of, key=lambda gram: leaf.doc_frequency(FIELD, gram))
    known = set()
    if word is not None and (f.TEXT_FIELD, word) in leaf:
        known = set(block_ids(leaf.postings(f.TEXT_FIELD, word)))
    result: list[int] = []
    count = leaf.doc_count_all()
    # A rarest bigram with at most a slice's postings bounds the candidates already.
    starts = [None] if leaf.doc_frequency(FIELD, rarest) <= SLICE else range(0, count, SLICE)
    for start in starts:
        within = None if start is None else list(range(start, min(start + SLICE, count)))
        result += _slice_docs(leaf, within, [rarest, *others], offsets_of, known, budget)
    return result


def _slice_docs(leaf, within: list[int] | None, grams: list[str], offsets_of: dict[str, list[int]],
                known: set[int], budget=None) -> list[int]:
    """`_leaf_docs` over the leaf-local docnums `within` (sorted; None: all); `grams`
    rarest first; `known`: documents holding the term as one jieba word (no positions needed)."""
    check = budget.check if budget is not None else None
    candidates = None if within is None else set(within)
    found = {}
    for gram in grams:
        _check(budget)
        if candidates is not None and not candidates:
            return []
        wanted = None if candidates is None else sorted(candidates)
        found[gram] = values(leaf.postings(FIELD, gram), wanted, candidates, check)
        if candidates is None:
            candidates = set(found[gram])
        else:
            candidates.intersection_update(found[gram])
    result = list(candidates & known)
    candidates -= known
    if candidates:
        _check(budget)
        result.extend(_adjacent(sorted(candidates), [(found[gram], offsets_of[gram]) for gram in grams], budget))
    return result


def _adjacent(docs: list[int], grams: list[tuple[dict, list[int]]], budget=None) -> list[int]:
    """The `docs` where every bigram stands at its offset from one common start.

    `grams`: per distinct bigram, its posting value (positions) per docnum and the
    offsets it stands at in the term (公开公开… repeats two bigrams at many offsets).
    Every (docnum, start) a bigram allows is one int64 key, ``docnum << 32 | start``;
    the term occurs in a document exactly when a key is allowed by every bigram at
    every offset: sorted-array intersections, at numpy speed, over all documents at once.
    """
    starts = None
    order = np.asarray(docs, dtype=np.int64)
    for found, offsets in grams:
        lengths, flat = positions_flat([found[docnum] for docnum in docs])
        owners = np.repeat(order << 32, lengths)
        for offset in offsets:
            keys = owners[flat >= offset] | (flat[flat >= offset] - offset)
            starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
            if not len(starts):
                return []
        _check(budget)
    return np.unique(starts >> 32).tolist()
