"""How text is folded for matching, and cut into character bigrams: defined here once.

A query term matches a section's text *verbatim*, ignoring width, case and whitespace:
ＰＤＦ finds pdf, and a phrase broken by a line break in the report still matches. Every
part that compares text — the index's tokenizers and bigram arrays, the query parser,
the snippets' marks, the table snippets, the agency abbreviations, the OpenSearch
documents — folds it with these functions:

- `fold(text)`: NFKC and lower case, character by character, kept only where one
  character stays one, so the result has the same length as the text and offsets into
  it point into the original (for marking). ２０２３ → 2023, Ｐ → p; … stays … .
- `nfkc_chars(text)`: the same without lower case (how a query is normalised before
  it is parsed: ``OR`` must stay upper case to be the operator).
- `compact(text)`: folded, with every whitespace character removed — the string a
  verbatim match compares; `fold_spaced(text)`: folded, whitespace runs made one space. `compact_offsets(text)` also gives, for each kept
  character, its index in `text`.
- `bigrams(text)`: the compact text as overlapping pairs of characters, the last
  character paired with `END` (a space, which compact text never holds), so every
  character starts exactly one bigram of its position: what is indexed.
  `query_bigrams(text)`: a query's own bigrams (no `END`); a one-character query is
  that character alone (found as the first character of bigrams).
- `bigram_keys(text)`: `bigrams` as integers ``ord(first) << 21 | ord(second)``, the
  form the whoosh engine's bigram arrays keep (`index.bigrams`); `bigram_text(text)`:
  `bigrams` as one space-separated string, the form the OpenSearch documents carry.

A string s of length ≥ 2 occurs at position p of a compact text exactly when each of
its bigrams s[k:k+2] stands at p + k: a phrase over bigrams is a verbatim match.
"""
from __future__ import annotations

import re
import unicodedata

import numpy as np

END = " "   # pairs with the last character: whitespace never occurs in compact text
_NON_SPACE = re.compile(r"\S+")


def _table(lower: bool) -> dict[int, str]:
    """Per-character NFKC (and lower case), kept only where one character stays one."""
    table = {}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        folded = folded.lower() if lower else folded
        if len(folded) == 1 and folded != char:
            table[code] = folded
    return table


_FOLD = _table(lower=True)
_NFKC = _table(lower=False)


def fold(text: str) -> str:
    """`text` NFKC-normalised and lower-cased character by character (same length)."""
    return text.translate(_FOLD)


def nfkc_chars(text: str) -> str:
    """`text` NFKC-normalised character by character where a character stays one."""
    return text.translate(_NFKC)


def fold_spaced(text: str) -> str:
    """`text` folded, each run of whitespace one space, none at the ends (a query term as
    it is shown and marked; an abbreviation's words)."""
    return " ".join(fold(text).split())


def compact(text: str) -> str:
    """`text` folded, every whitespace character removed: what a verbatim match compares."""
    return "".join(fold(text).split())


def compact_offsets(text: str) -> tuple[str, list[int]]:
    """`compact(text)`, and each kept character's index in `text`."""
    folded = fold(text)
    kept, where = [], []
    for match in _NON_SPACE.finditer(folded):
        kept.append(match.group())
        where.extend(range(match.start(), match.end()))
    return "".join(kept), where


def bigrams(text: str) -> list[str]:
    """Every position's bigram of the compact text, the last character paired with `END`."""
    squeezed = compact(text)
    return [first + second for first, second in zip(squeezed, squeezed[1:] + END)] if squeezed else []


def query_bigrams(text: str) -> list[str]:
    """A query's bigrams: one per position of two characters; one character: itself."""
    squeezed = compact(text)
    if len(squeezed) == 1:
        return [squeezed]
    return [squeezed[i:i + 2] for i in range(len(squeezed) - 1)]


def bigram_text(text: str) -> str:
    """`bigrams(text)` as one string of space-separated tokens: an engine that cuts text
    at whitespace (OpenSearch's ``whitespace`` analyzer) gets them back position by
    position, the last one — paired with `END`, a space — as its character alone.
    Whitespace is what `str.split` removes, a superset of what Java's tokenizer splits
    on, so no token holds a separator."""
    return " ".join(bigrams(text))


def bigram_keys(text: str) -> np.ndarray:
    """`bigrams(text)` as integers ``ord(first) << 21 | ord(second)`` (uint64)."""
    squeezed = compact(text)
    if not squeezed:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(squeezed.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    following = np.append(codes[1:], np.uint64(ord(END)))
    return codes << np.uint64(21) | following
