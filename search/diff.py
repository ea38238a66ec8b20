"""Two reports of one agency, the earlier against the later: every figure, every section
sentence by sentence — the same for every engine, from the two `ReportView`s it gives.

A page never diffs more than two reports: `report_diff(earlier, later)` takes exactly
two, and `predecessor(view)` names the one a report is compared with by default (its
change record's, `index.changes.run`: the year before, else the latest earlier one).

**Figures.** Every figure key either report prints (`corpus.report`). One in both is a
`FigureChange` with its change (later − earlier) and percentage (the change over the
earlier value, None when that is 0); it is a *large* change when the change is at
least `LARGE_CHANGE` (10) and at least `LARGE_SHARE` (50 %) of the earlier value (any
change of 10 or more from 0). They come large changes first, then the other changes,
each by the size of the change, largest first, then the unchanged ones; ties in table
order. A key in one report only is ``new`` (the later prints it, the earlier does not)
or ``gone`` — as when an agency moves from the 2019 to the 2021 template.

**Sections.** Each key of either report, with its state (`index.changes.classes`:
identical, similar, revised, rewritten, new, gone) and its sentences aligned
(`index.changes.text`). A sentence edited or with a number changed comes with its
`Piece`s: the runs of text both years share, and what was removed and added between
them, numbers marked — so a page strikes out ``12`` and marks ``20`` in
"本年新收申请1220件". Pieces are plain text: the page escapes them before marking.

API: `report_diff(earlier, later) -> ReportDiff`, `predecessor(view) -> str | None`,
`check_pair(a, b)`, `change_of(before, after) -> (change, percent)`, `is_large`,
`ReportDiff`, `FigureChange`, `SectionDiff`, `SentenceDiff`, `Piece`, `LARGE_CHANGE`,
`LARGE_SHARE`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from corpus.report import ALL_FIGURE_KEYS
from index.changes.compare import compare_reports
from index.changes.text import Aligned
from search.pages import key_number
from search.request import BadRequest
from search.results import ReportView

LARGE_CHANGE = 10        # a change of at least this much …
LARGE_SHARE = 0.5        # … and at least this share of the earlier value is a large one

_TOKEN = re.compile(r"\d+(?:[.,，]\d+)*|[A-Za-z]+|\s+|.", re.S)
_NUMBER = re.compile(r"\d+(?:[.,，]\d+)*")
_TABLE_ORDER = {key: n for n, key in enumerate(ALL_FIGURE_KEYS)}


@dataclass
class FigureChange:
    """One figure key of either report."""

    key: str
    before: float | None          # the earlier report's value (None: it does not print it)
    after: float | None           # the later report's
    change: float | None = None   # after − before, when both print it
    percent: float | None = None  # change / |before| × 100, one decimal; None when before is 0
    large: bool = False           # see LARGE_CHANGE


@dataclass
class Piece:
    """A run of a changed sentence: kept (``same``), ``removed`` or ``added``; `number`
    when it is a number (what a page highlights)."""

    text: str
    kind: str
    number: bool = False


@dataclass
class SentenceDiff:
    """One sentence of either year (`index.changes.text.Aligned`), with its pieces when
    it was edited or a number in it changed."""

    kind: str                     # same | numbers | edited | added | removed
    old: str | None
    new: str | None
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class SectionDiff:
    key: str
    title: str
    status: str                   # identical | similar | revised | rewritten | new | gone
    similarity: float
    sentences: list[SentenceDiff] = field(default_factory=list)
    added: int = 0                # sentences in the later report only
    removed: int = 0              # in the earlier only
    edited: int = 0               # edited, or only a number changed


@dataclass
class ReportDiff:
    """The later report against the earlier one (see the module docstring)."""

    agency: str
    agency_id: str
    region: str
    earlier_id: str
    earlier_year: int
    later_id: str
    later_year: int
    similarity: float             # of the whole prose (index.changes.compare)
    status: str                   # identical | similar | revised | rewritten
    figures: list[FigureChange] = field(default_factory=list)      # in both: large, changed, same
    new_figures: list[FigureChange] = field(default_factory=list)  # in the later only
    gone_figures: list[FigureChange] = field(default_factory=list)  # in the earlier only
    sections: list[SectionDiff] = field(default_factory=list)

    @property
    def gap(self) -> int:
        """Years between the two (1: the year before)."""
        return self.later_year - self.earlier_year

    @property
    def large(self) -> int:
        return sum(1 for item in self.figures if item.large)

    @property
    def changed(self) -> int:
        return sum(1 for item in self.figures if item.change)


def predecessor(view: ReportView) -> str | None:
    """The id of the report `view` is compared with by default (None: none earlier, or an
    index built before change records)."""
    return (view.changes or {}).get("previous")


def check_pair(a: ReportView, b: ReportView) -> tuple[ReportView, ReportView]:
    """(earlier, later) of two reports of one agency. :raise BadRequest: when they are
    of two agencies or the same report."""
    if a.report.agency != b.report.agency:
        raise BadRequest("只能对比同一机关的两份报告。")
    if a.report.year == b.report.year:
        raise BadRequest("请选择同一机关不同年度的两份报告。")
    return (a, b) if a.report.year < b.report.year else (b, a)


def change_of(before: float, after: float) -> tuple[float, float | None]:
    """(after − before, the change as a percentage of |before| or None when it is 0)."""
    change = after - before
    percent = round(change / abs(before) * 100, 1) if before else None
    return key_number(round(change, 6)), percent


def is_large(before: float, change: float) -> bool:
    """Whether a change is large (see `LARGE_CHANGE`)."""
    return abs(change) >= LARGE_CHANGE and abs(change) >= LARGE_SHARE * abs(before)


def _figures(before: dict, after: dict) -> tuple[list[FigureChange], list[FigureChange], list[FigureChange]]:
    both, new, gone = [], [], []
    for key in sorted(set(before) | set(after), key=lambda k: (_TABLE_ORDER.get(k, len(_TABLE_ORDER)), k)):
        old, now = key_number(before.get(key)), key_number(after.get(key))
        if old is None:
            new.append(FigureChange(key, None, now))
        elif now is None:
            gone.append(FigureChange(key, old, None))
        else:
            change, percent = change_of(old, now)
            both.append(FigureChange(key, old, now, change, percent, is_large(old, change)))
    # Large first, then other changes, each largest first; unchanged last (stable: table order).
    both.sort(key=lambda item: (not item.large, not item.change, -abs(item.change or 0)))
    return both, new, gone


def pieces(old: str, new: str) -> list[Piece]:
    """The runs of `new` kept from `old`, and what was removed and added between them."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[Piece] = []

    def put(text: str, kind: str) -> None:
        if not text:
            return
        number = kind != "same" and bool(_NUMBER.fullmatch(text.strip()))
        if out and out[-1].kind == kind and not number and not out[-1].number:
            out[-1].text += text
        else:
            out.append(Piece(text, kind, number))

    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            put("".join(a[i1:i2]), "same")
            continue
        put("".join(a[i1:i2]), "removed")
        put("".join(b[j1:j2]), "added")
    return out


def _sentence(item: Aligned) -> SentenceDiff:
    found = SentenceDiff(item.kind, item.old, item.new)
    if item.kind in ("numbers", "edited"):
        found.pieces = pieces(item.old, item.new)
    return found


def report_diff(earlier: ReportView, later: ReportView) -> ReportDiff:
    """`later` against `earlier` (two reports of one agency: `check_pair`)."""
    change = compare_reports(earlier.report, later.report)
    figures, new, gone = _figures(earlier.report.figures, later.report.figures)
    sections = []
    for section in change.sections:
        sentences = [_sentence(item) for item in section.text.sentences]
        kinds = [item.kind for item in sentences]
        sections.append(SectionDiff(
            key=section.key, title=section.title, status=section.status,
            similarity=section.text.similarity, sentences=sentences,
            added=kinds.count("added"), removed=kinds.count("removed"),
            edited=kinds.count("edited") + kinds.count("numbers")))
    report = later.report
    return ReportDiff(agency=report.agency, agency_id=later.agency_id, region=report.region,
                      earlier_id=earlier.report_id, earlier_year=int(earlier.report.year),
                      later_id=later.report_id, later_year=int(report.year),
                      similarity=change.similarity, status=change.status,
                      figures=figures, new_figures=new, gone_figures=gone, sections=sections)
