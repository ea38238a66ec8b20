"""Which sections contain a string verbatim: a positional join over bigram postings.

At position i of a section's whitespace-free, folded text stands the bigram (i, i+1),
the last character paired with an end mark (`index.folding.bigram_keys`). A single
character is found as the first character of bigrams. A string s of length L ≥ 2
occurs at position p exactly when each of its bigrams s[k:k+2] sits at p + k.
Checking every bigram is redundant: bigrams at offsets 0, 2, 4, … and the last one
already cover every character, so only those are read. Candidates are the documents
holding all of them (rarest first, by binary search), then the positions decide — for
all candidates at once, as numpy intersections of (document, start) keys.

The postings are each segment's memory-mapped arrays (`index.bigrams`, written by
every build, add and remove): slicing them decodes nothing. (Until 7f128b0 they were
a whoosh field whose pickled positions cost ≈ 1 µs a posting to decode: bench/RESULTS.md.)

API: `verbatim_docs(searcher, term, budget=None) -> set[int]` (global document
numbers; deleted documents never appear; a `search.budget.Budget` is checked per
segment, per bigram and per slice, raising `BudgetSpent`; a segment without its
postings raises `index.store.IndexMissing`), `covering_offsets(n)`. Candidates are
checked a slice of `SLICE` documents at a time, which bounds a lookup's transient
memory whatever the corpus.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from index.folding import query_bigrams
from index.bigrams import FOLDER as BIGRAMS, gram_key, open_segment
from index.store import IndexMissing
from index.whoosh_adapter import deleted_docnums, index_folder, segment_name

SLICE = 8192           # candidate documents whose positions one step holds at once (bounds memory)


def _check(budget) -> None:
    if budget is not None:
        budget.check()


def covering_offsets(count: int) -> list[int]:
    """Offsets of the bigrams to check among `count` overlapping ones: 0, 2, 4 … and the last."""
    return sorted(set(range(0, count, 2)) | {count - 1}) if count else []


def verbatim_docs(searcher, term: str, budget=None) -> set[int]:
    """Global docnums of the sections whose searchable text contains `term` verbatim."""
    grams = query_bigrams(term)
    if not grams:
        return set()
    found: set[int] = set()
    for leaf, base in searcher.reader().leaf_readers():
        _check(budget)
        docs = _segment_docs(_mapped(leaf), grams, budget)
        deleted = deleted_docnums(leaf)
        if len(deleted) and len(docs):
            docs = docs[~np.isin(docs, deleted)]
        found.update((docs + base).tolist())
    return found


def _mapped(leaf):
    """The segment's bigram postings (`index.bigrams`)."""
    folder, name = index_folder(leaf), str(segment_name(leaf))
    segment = None if folder is None else open_segment(Path(folder).parent / BIGRAMS / name)
    if segment is None:
        raise IndexMissing(f"Segment {name} has no bigram postings: "
                           "write them with: python -m index bigrams")
    return segment


def _segment_docs(segment, grams: list[str], budget=None) -> np.ndarray:
    """The segment's docnums (int64, ascending) whose text holds the string of `grams`."""
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
        result.append(_adjacent(segment, candidates[start:start + SLICE], keys, offsets_of, budget))
    return np.concatenate(result) if result else np.zeros(0, dtype=np.int64)


def _adjacent(segment, docs: np.ndarray, keys: list[int], offsets_of: dict[int, list[int]],
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
