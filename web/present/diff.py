"""A `search.diff.ReportDiff` as the pages and the API show it: figures with their labels
and signed changes, sections with their states in Chinese and their sentences.

The report page's 与上年相比 part (`web.present.report`) and the two reports side by
side (`web.present.compare`) print the same `DiffView`; `diff_json` is the API's form.
A sentence's pieces stay plain text here: the templates escape every piece, then wrap
it in ``<ins>`` / ``<del>`` (numbers also ``class="num"``), so no markup of a report can
reach the page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for

from search.diff import LARGE_CHANGE, LARGE_SHARE, ReportDiff
from search.vocabulary import CHANGE_LABELS
from web import labels
from web.present.common import report_url
from web.tables import number

# What a section's state reads as (a report's class: search.vocabulary.CHANGE_LABELS).
SECTION_LABELS = {**CHANGE_LABELS, "identical": "与上年完全相同", "new": "本年新增", "gone": "本年删去"}
RULE = (f"变化量至少 {LARGE_CHANGE} 且至少为上年数值的 {int(LARGE_SHARE * 100)}%（上年为 0 时变化量至少 "
        f"{LARGE_CHANGE}）即为“大幅变化”，排在最前；其余按变化量从大到小排列。幅度 = 变化 ÷ 上年数值。")
SIMILARITY_RULE = ("正文按句子比对：只改了数字的句子算保留，改写过的句子按相似程度计入，新增、删去的句子不算保留；"
                   "保留九成以上为“基本相同”，不足五成为“大幅改写”，其间为“部分改写”。")


def signed(value) -> str:
    """A change as read: +20, −3 (a true minus sign), 0."""
    if value is None:
        return "—"
    text = number(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "0")


def percent(value) -> str:
    """A percentage change: +200%, −50%; — when there is none (last year 0)."""
    if value is None:
        return "—"
    text = f"{abs(value):.1f}".rstrip("0").rstrip(".")
    return f"+{text}%" if value > 0 else (f"−{text}%" if value < 0 else "0%")


@dataclass
class FigureRowView:
    key: str
    label: str
    before: str
    after: str
    change: str
    percent: str
    large: bool
    direction: str        # up | down | same | new | gone (a class for the row)


@dataclass
class PieceView:
    text: str
    kind: str             # same | removed | added
    number: bool


@dataclass
class SentenceView:
    kind: str             # same | numbers | edited | added | removed
    old: str | None
    new: str | None
    pieces: list[PieceView] = field(default_factory=list)


@dataclass
class SectionDiffView:
    key: str
    title: str
    status: str
    status_label: str
    similarity: str       # 保留 93%
    summary: str          # 新增 1 句，删去 2 句，改动 1 句
    sentences: list[SentenceView]


@dataclass
class DiffView:
    agency: str
    agency_url: str
    region: str
    earlier_id: str
    earlier_year: int
    earlier_url: str
    later_id: str
    later_year: int
    later_url: str
    gap_note: str          # said when the earlier report is not the year before's
    status: str
    status_label: str
    similarity: str
    compare_url: str
    api_url: str
    figures: list[FigureRowView]          # every figure in both: large, changed, unchanged
    changed: list[FigureRowView]          # those that changed
    unchanged: int
    large: int
    new_figures: list[FigureRowView]
    gone_figures: list[FigureRowView]
    sections: list[SectionDiffView]
    figures_summary: str = ""            # 4 个数字有变化，其中 2 个大幅变化；本年新增 1 个。
    rule: str = RULE
    similarity_rule: str = SIMILARITY_RULE


def _share(value: float, status: str) -> str:
    """How much was kept, in words: 保留 93%; every sentence kept but a number changed says so."""
    if value >= 1 and status != "identical":
        return "句子都在，只改了数字"
    return f"保留 {round(value * 100)}%"


def _figure(item, direction: str | None = None) -> FigureRowView:
    if direction is None:
        direction = "up" if item.change > 0 else ("down" if item.change < 0 else "same")
    return FigureRowView(item.key, labels.figure_label(item.key), number(item.before), number(item.after),
                         signed(item.change), percent(item.percent) if item.change is not None else "—",
                         item.large, direction)


def _summary(section) -> str:
    parts = [f"{word} {count} 句" for word, count in
             (("新增", section.added), ("删去", section.removed), ("改动", section.edited)) if count]
    return "，".join(parts) or "没有改动"


def figures_summary(diff: ReportDiff) -> str:
    """The figures in a sentence: how many changed (and changed much), new, gone."""
    if diff.changed:
        text = f"{diff.changed} 个数字有变化" + (f"，其中 {diff.large} 个大幅变化" if diff.large else "")
    elif diff.figures:
        text = f"{len(diff.figures)} 个数字都与上年相同"
    else:
        text = "两份报告没有共同的数字"
    others = [f"{label} {len(items)} 个" for label, items in
              (("本年新增", diff.new_figures), ("本年没有", diff.gone_figures)) if items]
    return text + ("；" + "、".join(others) if others else "") + "。"


def compare_url(earlier_id: str, later_id: str) -> str:
    """The two reports side by side."""
    return url_for("pages.compare", a=earlier_id, b=later_id)


def diff_view(diff: ReportDiff) -> DiffView:
    """Everything a page shows of the diff."""
    figures = [_figure(item) for item in diff.figures]
    sections = [SectionDiffView(
        key=s.key, title=s.title, status=s.status, status_label=SECTION_LABELS[s.status],
        similarity=_share(s.similarity, s.status), summary=_summary(s),
        sentences=[SentenceView(x.kind, x.old, x.new, [PieceView(p.text, p.kind, p.number) for p in x.pieces])
                   for x in s.sentences])
        for s in diff.sections]
    missing = list(range(diff.earlier_year + 1, diff.later_year))
    gap_note = (f"该机关没有 {'、'.join(map(str, missing))} 年度的报告，与最近的 {diff.earlier_year} 年度报告相比。"
                if missing else "")
    return DiffView(
        agency=diff.agency, agency_url=url_for("pages.agency", agency_id=diff.agency_id), region=diff.region,
        earlier_id=diff.earlier_id, earlier_year=diff.earlier_year, earlier_url=report_url(diff.earlier_id),
        later_id=diff.later_id, later_year=diff.later_year, later_url=report_url(diff.later_id),
        gap_note=gap_note, status=diff.status, status_label=CHANGE_LABELS[diff.status],
        similarity=_share(diff.similarity, diff.status), compare_url=compare_url(diff.earlier_id, diff.later_id),
        api_url=url_for("api.compare", a=diff.earlier_id, b=diff.later_id),
        figures=figures, changed=[row for row in figures if row.direction != "same"],
        unchanged=sum(1 for row in figures if row.direction == "same"), large=diff.large,
        new_figures=[_figure(item, "new") for item in diff.new_figures],
        gone_figures=[_figure(item, "gone") for item in diff.gone_figures],
        sections=sections, figures_summary=figures_summary(diff))


def _report_ref(report_id: str, year: int) -> dict:
    return {"id": report_id, "year": year, "url": report_url(report_id),
            "api_url": url_for("api.report", report_id=report_id)}


def _figure_json(item) -> dict:
    return {"key": item.key, "label": labels.figure_label(item.key), "before": item.before, "after": item.after,
            "change": item.change, "percent": item.percent, "large": item.large}


def diff_json(diff: ReportDiff) -> dict:
    """The API's diff: the two reports, every figure, every section's sentences and pieces."""
    return {
        "agency": diff.agency, "agency_id": diff.agency_id, "region": diff.region,
        "earlier": _report_ref(diff.earlier_id, diff.earlier_year),
        "later": _report_ref(diff.later_id, diff.later_year), "gap": diff.gap,
        "similarity": diff.similarity, "status": diff.status, "status_label": CHANGE_LABELS[diff.status],
        "figures": [_figure_json(item) for item in diff.figures],
        "new_figures": [_figure_json(item) for item in diff.new_figures],
        "gone_figures": [_figure_json(item) for item in diff.gone_figures],
        "sections": [{"key": s.key, "title": s.title, "status": s.status, "status_label": SECTION_LABELS[s.status],
                      "similarity": s.similarity, "added": s.added, "removed": s.removed, "edited": s.edited,
                      "sentences": [{"kind": x.kind, "old": x.old, "new": x.new,
                                     "pieces": [{"text": p.text, "kind": p.kind, "number": p.number}
                                                for p in x.pieces]} for x in s.sentences]}
                     for s in diff.sections],
        "compare_url": compare_url(diff.earlier_id, diff.later_id),
    }
