"""Two years of one section's prose, sentence by sentence: what was kept, edited, added, removed.

The prose is cut into sentences (`sentences`: after 。！？； and at line ends; flattened
table rows dropped, `index.audit.prose`), and each sentence is compared by its
*shape* — folded (`index.folding.compact`: width, case and whitespace ignored) with
every number made ``#``. So "本年新收申请12件。" and "本年新收申请20件。" are the same
sentence with a number changed, which is how agencies update last year's report.

`align(old, new)` lines the two lists up (`difflib.SequenceMatcher` over the shapes, in
order) and gives one `Aligned` per sentence:

- ``same``: the sentence is in both years as it is;
- ``numbers``: the same shape, some number changed;
- ``edited``: in a stretch where the shapes differ, a new sentence paired with an old
  one it resembles — the Dice coefficient of their shapes' character bigrams
  (`likeness`) at least `EDITED_AT` — each new sentence with the most alike old one
  still free and after the last one paired (so the order is kept);
- ``added`` / ``removed``: in one year only.

`similarity` weighs every sentence by its length in both years: same and numbers
count fully, edited by their likeness, added and removed not at all —
Σ likeness × (|old| + |new|) / (all old characters + all new characters), lengths
in folded characters. Two empty texts are identical (1.0).

API: `sentences(text)`, `align(old_text, new_text) -> list[Aligned]`,
`similarity(aligned)`, `compare_texts(old_text, new_text) -> TextChange`, `Aligned`,
`TextChange`, `EDITED_AT`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from index.audit.prose import prose_lines
from index.changes.classes import text_class
from index.folding import compact

EDITED_AT = 0.5          # least likeness for a new sentence to count as an old one edited
PAIRING_WINDOW = 25      # old sentences either side of a new one's place that it is compared with

# A sentence ends with its punctuation and any closing quotes or brackets after it.
_SENTENCE = re.compile(r"[^。！？；!?;]*[。！？；!?;]+[”’」』）)\]]*|[^。！？；!?;]+")
_NUMBER = re.compile(r"\d+(?:[.,，]\d+)*")


@dataclass(frozen=True, slots=True)
class Aligned:
    """One sentence of either year: its kind (see the module docstring), last year's
    and this year's wording (None where it has none), and how alike they are."""

    kind: str            # same | numbers | edited | added | removed
    old: str | None
    new: str | None
    likeness: float      # 1 for same and numbers, the Dice coefficient for edited, 0 otherwise


@dataclass(frozen=True)
class TextChange:
    """A section's prose compared with last year's: the aligned sentences, the
    similarity and its class (`index.changes.classes`)."""

    sentences: list[Aligned]
    similarity: float
    status: str          # identical | similar | revised | rewritten
    kept: float          # characters kept, weighted (the similarity's numerator)
    weight: int          # folded characters in both years (its denominator)


def sentences(text: str) -> list[str]:
    """The prose's sentences in order, each with its whitespace runs made one space."""
    found = []
    for line in prose_lines(text or ""):
        for piece in _SENTENCE.findall(line):
            piece = " ".join(piece.split())
            if compact(piece):
                found.append(piece)
    return found


class _Sentence:
    """A sentence with what comparing it needs, computed once."""

    __slots__ = ("text", "key", "shape", "size", "_bigrams")

    def __init__(self, text: str):
        self.text = text
        self.key = compact(text)
        self.shape = _NUMBER.sub("#", self.key)
        self.size = len(self.key)
        self._bigrams = None

    @property
    def bigrams(self) -> frozenset[str]:
        if self._bigrams is None:
            shape = self.shape
            self._bigrams = frozenset(shape[i:i + 2] for i in range(len(shape) - 1)) or frozenset((shape,))
        return self._bigrams


def likeness(old: _Sentence, new: _Sentence) -> float:
    """The Dice coefficient of the two shapes' character bigrams (1: the same shape)."""
    a, b = old.bigrams, new.bigrams
    return 2 * len(a & b) / (len(a) + len(b))


def _pair(old: list[_Sentence], new: list[_Sentence]) -> list[Aligned]:
    """A stretch of differing sentences: each new one paired with the most alike old one
    free after the last pairing (at least `EDITED_AT`), the rest removed or added — the
    old ones before the new ones that replace them, as a diff reads."""
    out: list[Aligned] = []
    waiting: list[Aligned] = []    # new sentences not paired, shown after the old ones they replace
    next_old = 0
    for j, sentence in enumerate(new):
        centre = j * len(old) // max(1, len(new))
        low, high = max(next_old, centre - PAIRING_WINDOW), min(len(old), centre + PAIRING_WINDOW + 1)
        best, best_at = EDITED_AT, None
        for i in range(low, high):
            score = likeness(old[i], sentence)
            if score >= best and (best_at is None or score > best):
                best, best_at = score, i
        if best_at is None:
            waiting.append(Aligned("added", None, sentence.text, 0.0))
            continue
        out += [Aligned("removed", item.text, None, 0.0) for item in old[next_old:best_at]] + waiting
        out.append(Aligned("edited", old[best_at].text, sentence.text, round(best, 4)))
        waiting, next_old = [], best_at + 1
    return out + [Aligned("removed", item.text, None, 0.0) for item in old[next_old:]] + waiting


def align(old_text: str, new_text: str) -> list[Aligned]:
    """Last year's and this year's prose lined up sentence by sentence (module docstring)."""
    old = [_Sentence(text) for text in sentences(old_text)]
    new = [_Sentence(text) for text in sentences(new_text)]
    matcher = SequenceMatcher(None, [s.shape for s in old], [s.shape for s in new], autojunk=False)
    out: list[Aligned] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [Aligned("same" if a.key == b.key else "numbers", a.text, b.text, 1.0)
                    for a, b in zip(old[i1:i2], new[j1:j2])]
        elif op == "delete":
            out += [Aligned("removed", a.text, None, 0.0) for a in old[i1:i2]]
        elif op == "insert":
            out += [Aligned("added", None, b.text, 0.0) for b in new[j1:j2]]
        else:
            out += _pair(old[i1:i2], new[j1:j2])
    return out


def _size(text: str | None) -> int:
    return len(compact(text)) if text else 0


def weights(aligned: list[Aligned]) -> tuple[float, int]:
    """(kept, total): the weighted characters kept and all characters of both years."""
    kept = total = 0
    for item in aligned:
        both = _size(item.old) + _size(item.new)
        kept += item.likeness * both
        total += both
    return kept, total


def similarity(aligned: list[Aligned]) -> float:
    """The share of both years' characters kept (module docstring); 1.0 for two empty texts."""
    kept, total = weights(aligned)
    return kept / total if total else 1.0


def compare_texts(old_text: str, new_text: str) -> TextChange:
    """This year's prose against last year's: sentences, similarity, class."""
    aligned = align(old_text, new_text)
    kept, total = weights(aligned)
    share = kept / total if total else 1.0
    identical = all(item.kind == "same" for item in aligned)
    return TextChange(aligned, round(share, 4), text_class(share, identical), kept, total)
