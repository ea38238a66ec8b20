"""The structured report: the one record every later stage receives.

A `Report` is what parsing one 政府信息公开工作年度报告 yields (see
``docs/report-format.md``); a `Refusal` is what a file that is not a
readable report yields instead. Both turn into the JSON line that
``python -m corpus parse`` prints.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Section keys in report order, with the canonical titles of the template.
SECTION_TITLES = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
SECTION_KEYS = tuple(SECTION_TITLES)

# Reports on years up to this one follow the 2008 条例: no national tables (template 2008).
LAST_2008_YEAR = 2018

# Table 3 (收到和处理政府信息公开申请情况): applicant columns, then rows.
REQUEST_COLUMNS = ("natural", "business", "research", "social", "legal", "other", "total")
APPLICANT_COLUMNS = REQUEST_COLUMNS[:-1]
RESULT_ROWS_2021 = (
    "granted", "partial",
    "withheld_secret", "withheld_law", "withheld_safety", "withheld_third_party",
    "withheld_internal", "withheld_process", "withheld_enforcement", "withheld_query",
    "unavailable_not_held", "unavailable_create", "unavailable_unclear",
    "rejected_petition", "rejected_repeat", "rejected_publication", "rejected_mass",
    "rejected_confirm",
    "other_no_correction", "other_no_fee", "other_other",
)
RESULT_ROWS_2019 = RESULT_ROWS_2021[:-3] + ("other_all",)
REQUEST_ROWS = ("new", "carried_over") + RESULT_ROWS_2021 + ("other_all", "total", "carried_forward")

# Table 4 (行政复议、行政诉讼): three groups of five cells, printed in this order.
APPEAL_GROUPS = ("review", "suit_direct", "suit_after_review")
APPEAL_CELLS = ("upheld", "corrected", "other", "pending", "total")

# Table 2 (主动公开政府信息情况): row -> columns, per template.
PROACTIVE_2021 = {
    "rules": ("issued", "repealed", "in_force"),
    "normative": ("issued", "repealed", "in_force"),
    "licensing": ("decisions",),
    "penalty": ("decisions",),
    "coercion": ("decisions",),
    "fees": ("amount",),
}
PROACTIVE_2019 = {
    "rules": ("made", "published", "public_total"),
    "normative": ("made", "published", "public_total"),
    "licensing": ("prev_items", "change", "decisions"),
    "other_services": ("prev_items", "change", "decisions"),
    "penalty": ("prev_items", "change", "decisions"),
    "coercion": ("prev_items", "change", "decisions"),
    "fees": ("prev_items", "change"),
    "procurement": ("items", "amount"),
}


def figure_keys(template: int) -> list[str]:
    """Every figure key the schema defines for a template, in table order."""
    proactive = PROACTIVE_2021 if template == 2021 else PROACTIVE_2019
    results = RESULT_ROWS_2021 if template == 2021 else RESULT_ROWS_2019
    keys = [f"proactive.{row}.{col}" for row, cols in proactive.items() for col in cols]
    for row in ("new", "carried_over", *results, "total", "carried_forward"):
        keys += [f"requests.{row}.{col}" for col in REQUEST_COLUMNS]
    keys += [f"appeals.{group}.{cell}" for group in APPEAL_GROUPS for cell in APPEAL_CELLS]
    return keys


ALL_FIGURE_KEYS = tuple(dict.fromkeys(figure_keys(2021) + figure_keys(2019)))

# A figure a reader asks for that table 4 prints in parts: 行政诉讼, the suits brought
# directly and those brought after a review. A report has it when it prints every part.
SUMMED_FIGURES = {"appeals.suits.total": ("appeals.suit_direct.total", "appeals.suit_after_review.total")}


@dataclass
class Section:
    """One of the six sections: its key, its title as printed, its prose and its tables.

    `text` is the prose only; each of `tables` is a list of rows, each row a list of
    cell strings as printed (a spanned cell's text repeated in every position it covers).
    """

    key: str
    title: str
    text: str
    tables: list[list[list[str]]] = field(default_factory=list)


@dataclass
class Check:
    """One arithmetic rule of the template, passed or failed, with its numbers.

    A rule that a total is the sum of its parts also names that total's cell (`cell`, a
    figure key such as ``appeals.review.total``) and what its parts add to (`parts_sum`),
    so a reader can be shown plainly which printed number the parts contradict.
    """

    rule: str
    ok: bool
    detail: str
    cell: str | None = None
    parts_sum: float | None = None


@dataclass
class Report:
    """A parsed annual report, exactly the fields of the schema plus its source."""

    source: str
    agency: str
    region: str
    year: int
    published: str | None
    template: int
    sections: list[Section] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    ocr: bool = False   # some text was read by OCR from pictures (printed only when true)

    @property
    def consistent(self) -> bool:
        """True when no arithmetic check fails."""
        return all(check.ok for check in self.checks)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_json(self) -> dict:
        """The object ``python -m corpus parse`` prints for this report (a check's `cell` and
        `parts_sum` only where the rule has them)."""
        data = asdict(self)
        if not data["ocr"]:
            del data["ocr"]
        data["checks"] = [{key: value for key, value in check.items() if value is not None or key == "detail"}
                          for check in data["checks"]]
        return {"source": data.pop("source"), "ok": True, **data}

    @classmethod
    def from_json(cls, data: dict) -> "Report":
        return cls(
            source=data["source"], agency=data["agency"], region=data["region"],
            year=data["year"], published=data["published"], template=data["template"],
            sections=[Section(**s) for s in data["sections"]],
            figures=dict(data["figures"]),
            checks=[Check(**c) for c in data["checks"]],
            ocr=bool(data.get("ocr")),
        )


@dataclass
class Refusal:
    """A file that is not a readable report, and the one sentence saying why."""

    source: str
    error: str

    def to_json(self) -> dict:
        return {"source": self.source, "ok": False, "error": self.error}


class NotAReport(Exception):
    """Raised by readers and the parser with one clear sentence for the user."""
