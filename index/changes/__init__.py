"""What changed: each report against its agency's previous one (与上年相比).

A journalist's first question of an annual report is what is different from last
year. The index answers part of it when it is built, per agency after parsing, as the
audit does (`index.audit`):

* `classes` — how much a text changed, in four words (完全相同 / 基本相同 / 部分改写 /
  大幅改写), and the thresholds;
* `text` — one section's prose against last year's, sentence by sentence;
* `compare` — a whole report against an earlier one, and the record the index keeps;
* `run` — which report precedes which (the year before, else the latest earlier
  one), over one agency's reports at a time;
* `stored` — reading a record back from a stored report document.

The record (``changes_json`` on the report document, its class in ``change`` on every
document of the report) gives the search facet 与上年相比 and the report page's
summary; the page's sentence-level diff and the figures' changes are computed from
the two reports when asked (`search.diff`). docs/changes.md states every rule.
"""
from index.changes.classes import CLASSES, LABELS

__all__ = ["CLASSES", "LABELS"]
