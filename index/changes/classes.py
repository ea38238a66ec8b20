"""How much a text changed from one year to the next, in four words, and where they begin.

A text's *similarity* to the year before (`index.changes.text.similarity`) is a number
from 0 (nothing kept) to 1 (every sentence kept, at most its numbers changed). The
class says it in a word, the same for a section and for a whole report:

===========  ========  ==================================================
class        中文       when
===========  ========  ==================================================
identical    完全相同   the same sentences, character for character
                       (whitespace, width and case aside)
similar      基本相同   similarity ≥ 0.9: at most a sentence in ten edited,
                       or only numbers updated
revised      部分改写   0.5 ≤ similarity < 0.9
rewritten    大幅改写   similarity < 0.5: less than half the text kept
===========  ========  ==================================================

A section has two more states: ``new`` (本年新增: last year's report lacks it) and
``gone`` (本年删去: this year's lacks it). The search facet 与上年相比 counts reports by
their class; a report with no earlier report of its agency has none.
"""
from __future__ import annotations

SIMILAR_AT = 0.9        # a text keeping at least this share is 基本相同
REWRITTEN_BELOW = 0.5   # a text keeping less than this share is 大幅改写

CLASSES = ("identical", "similar", "revised", "rewritten")
LABELS = {"identical": "完全相同", "similar": "基本相同", "revised": "部分改写", "rewritten": "大幅改写"}


def text_class(similarity: float, identical: bool) -> str:
    """The class of a text with this similarity to last year's (see the module docstring)."""
    if identical:
        return "identical"
    if similarity >= SIMILAR_AT:
        return "similar"
    if similarity >= REWRITTEN_BELOW:
        return "revised"
    return "rewritten"
