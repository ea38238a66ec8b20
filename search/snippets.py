"""Escaped, marked text: the snippet under each hit and the highlighted report page.

Escape first, then highlight: the text between and inside the marks is HTML-escaped
(``<script>`` in a report or in a query stays text), and only our own ``<mark>`` tags
are added, so the result is safe to insert into a page as it is.

A term is marked where it occurs verbatim, the way search matched it: case- and
width-blind (ＰＤＦ matches pdf) and whitespace-blind (a term broken by a line break is
one mark). Marks are whole terms — numbers too — never a piece of one: where two
terms overlap (复议 inside 行政复议) the marks merge into one. A term that starts or
ends with a Latin letter or digit is marked only where it is not glued to more
letters or digits (12 is not marked inside 2012), unless that is the only place it occurs.

`snippet(text, terms)` picks up to two fragments of about `FRAGMENT_CHARS`
characters around the matches — the sentences holding the most distinct terms, cut
at sentence ends (。！？；, line ends) where the sentence allows — and joins them with
…; without matches it is the text's opening. `highlight(text, terms)` marks a whole
text, line breaks kept.

API: `snippet(text, terms, size=FRAGMENT_CHARS, fragments=2, folded=None) -> str`,
`highlight(text, terms) -> str`, `mark_spans(text, terms) -> list[(start, end)]`.
"""
from __future__ import annotations

import html
import re

from index.folding import compact, compact_offsets, fold

FRAGMENT_CHARS = 120
ELLIPSIS = "…"
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
_SPACES = re.compile(r"\s+")


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def mark_spans(text: str, terms, folded: str | None = None) -> list[tuple[int, int]]:
    """Where to put marks in `text`: sorted, non-overlapping (start, end) offsets.

    `folded` is ``fold(text)`` when the caller already has it (same length as `text`).
    """
    folded = fold(text) if folded is None else folded
    squeezed, where = compact_offsets(folded)
    spans: list[tuple[int, int]] = []
    for term in terms:
        needle = compact(term)
        if not needle:
            continue
        found, glued = [], []
        at = squeezed.find(needle)
        while at >= 0:
            start, end = where[at], where[at + len(needle) - 1] + 1
            stuck = (_is_word_char(needle[0]) and start > 0 and _is_word_char(folded[start - 1])) or \
                    (_is_word_char(needle[-1]) and end < len(folded) and _is_word_char(folded[end]))
            (glued if stuck else found).append((start, end))
            at = squeezed.find(needle, at + 1)
        spans += found or glued
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans, start: int, end: int, collapse: bool) -> str:
    """text[start:end] escaped, the spans inside it marked; whitespace runs collapsed."""
    def piece(s: str) -> str:
        return html.escape(_SPACES.sub(" ", s) if collapse else s, quote=True)

    out, at = [], start
    for mark_start, mark_end in spans:
        if mark_end <= start or mark_start >= end:
            continue
        mark_start, mark_end = max(mark_start, start), min(mark_end, end)
        out.append(piece(text[at:mark_start]))
        out.append("<mark>" + piece(text[mark_start:mark_end]) + "</mark>")
        at = mark_end
    out.append(piece(text[at:end]))
    return "".join(out)


def highlight(text: str, terms) -> str:
    """The whole `text` escaped, every occurrence of each term marked, line breaks kept."""
    return _render(text, mark_spans(text, terms), 0, len(text), collapse=False)


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, its closing punctuation included."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        sentences.append((start, match.end()))
        start = match.end()
    if start < len(text):
        sentences.append((start, len(text)))
    return [(s, e) for s, e in sentences if text[s:e].strip()]


def _window(text, sentences, index, anchor, size) -> tuple[int, int, bool, bool]:
    """A fragment around sentence `index`: whole sentences when they fit, else a cut.

    Returns (start, end, cut_before, cut_after).
    """
    start, end = sentences[index]
    if end - start > size:
        # One long sentence: `size` characters around the anchor mark, never cutting it.
        mark_start, mark_end = anchor
        begin = max(start, min(mark_start - size // 4, end - size))
        finish = max(min(end, begin + size), mark_end)
        return begin, finish, begin > start, finish < end
    before, after = index - 1, index + 1
    while True:
        grown = False
        if after < len(sentences) and sentences[after][1] - start <= size:
            end, after, grown = sentences[after][1], after + 1, True
        if before >= 0 and end - sentences[before][0] <= size:
            start, before, grown = sentences[before][0], before - 1, True
        if not grown:
            return start, end, False, False


def snippet(text: str, terms, size: int = FRAGMENT_CHARS, fragments: int = 2,
            folded: str | None = None) -> str:
    """Up to `fragments` escaped, marked fragments of `text` around the terms, joined by ….

    `folded` is ``fold(text)`` when the caller has it already.
    """
    folded = fold(text) if folded is None else folded  # same length: offsets carry over
    spans = mark_spans(text, terms, folded)
    sentences = _sentences(text)
    if not sentences:
        return ""
    if not spans:
        start, end, _, cut = _window(text, sentences, 0, (sentences[0][0], sentences[0][0]), size)
        return _fragment(text, [], start, end, False, cut or end < len(text.rstrip()))
    folded_terms = [compact(t) for t in terms]

    def found_in(start, end) -> set[str]:
        piece = "".join(folded[start:end].split())
        return {t for t in folded_terms if t and t in piece}

    # Each sentence's marks and distinct terms, worked out once (spans are sorted).
    candidates = []
    at = 0
    for index, (s_start, s_end) in enumerate(sentences):
        while at < len(spans) and spans[at][1] <= s_start:
            at += 1
        inside = []
        for span in spans[at:]:
            if span[0] >= s_end:
                break
            inside.append(span)
        if inside:
            candidates.append((index, s_start, s_end, inside, found_in(s_start, s_end)))

    chosen: list[tuple[int, int, bool, bool]] = []
    covered: set[str] = set()
    for _ in range(fragments):
        best, best_key = None, None
        for index, s_start, s_end, inside, terms_here in candidates:
            if any(c_start < s_end and s_start < c_end for c_start, c_end, *_ in chosen):
                continue
            key = (len(terms_here - covered), len(terms_here), len(inside))
            if best_key is None or key > best_key:
                best, best_key = (index, inside[0]), key
        if best is None:
            break
        window = _window(text, sentences, best[0], best[1], size)
        if chosen and any(window[0] < c[1] and c[0] < window[1] for c in chosen):
            # Grown into an earlier fragment: keep only the sentence itself.
            s_start, s_end = sentences[best[0]]
            window = _window(text, [(s_start, s_end)], 0, best[1], size)
        chosen.append(window)
        covered |= found_in(window[0], window[1])
    chosen.sort()
    # One … between fragments, however they were cut; a cut at either end shows too.
    pieces = []
    for index, (start, end, cut_before, cut_after) in enumerate(chosen):
        first, last = index == 0, index == len(chosen) - 1
        pieces.append(_fragment(text, spans, start, end, cut_before and first, cut_after and last))
    return ELLIPSIS.join(pieces)


def _fragment(text, spans, start, end, cut_before, cut_after) -> str:
    # Trim surrounding whitespace without losing the offsets the spans refer to.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    body = _render(text, spans, start, end, collapse=True)
    return (ELLIPSIS if cut_before else "") + body + (ELLIPSIS if cut_after else "")
