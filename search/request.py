"""Every search parameter parsed, validated and capped once, into a typed `SearchRequest`.

The site and the command line hand us untrusted strings; nothing past this module
sees them raw. `SearchRequest.from_params(params)` reads a mapping of parameter name
to value (a werkzeug ``MultiDict`` with ``getlist``, or a plain dict whose values are a
string or a list of strings):

=========  ==========================================================  ===============
name       meaning                                                     invalid value
=========  ==========================================================  ===============
q          the query text (see `search.query`); longer text is cut     never invalid
agency     agency name, repeatable (multi-select facet)                too many values
region     region name, repeatable                                     too many values
year       a year such as 2023, repeatable                             not a year
section    a section key (overview … other), repeatable                unknown key
audit      an audit finding kind (arithmetic, cross_year, late,        unknown kind
           missing_year, duplicate, text_table), repeatable: reports
           having any of them (multi-select facet 体检)
change     how much a report's prose changed from its agency's         unknown class
           previous report: identical, similar, revised, rewritten,
           repeatable: reports in any of them (facet 与上年相比)
template   2019 or 2021                                                anything else
failing    1/true/是 (fails a check) or 0/false/否 (passes all)        anything else
fig        a figure filter such as ``requests.new.total>=1``,          unknown key,
           repeatable, all must hold                                   bad syntax
sort       relevance · newest · oldest · a figure key (largest first)  anything else
           · a figure key + ``:asc`` (smallest first)
page       1, 2, …, at most `MAX_PAGE`                                 not a number
size       hits per page; capped at `MAX_PAGE_SIZE`                    not a number
=========  ==========================================================  ===============

Every parameter but the repeatable filters may be given once: a second value is a
`BadRequest` (``q=a&q=b`` would otherwise mean one thing to one reader of the URL and
another to the next). An empty repeatable value counts as absent (a form's “all”
option sends ``region=``), as does an empty ``q`` (an empty search box); any other
empty single value is a `BadRequest`. An invalid value raises `BadRequest` with a
Chinese sentence the site shows in its 400 page; a value merely too large (page size,
query length) is capped instead — the site refuses a query over the cap itself
(web/parsing.py).

API: `SearchRequest` (``from_params``, ``to_params``), `Values`, `FigureFilter`,
`parse_figure_filter`, `BadRequest`, `cap_query`, and the limits `MAX_QUERY_CHARS`,
`MAX_PAGE`, `MAX_PAGE_SIZE`, `DEFAULT_PAGE_SIZE`, `MAX_FILTER_VALUES`, `SORTS`.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace

from index.folding import nfkc_chars
from config.settings import DEFAULTS, Settings
from search.vocabulary import (
    AUDIT_KINDS, AUDIT_LABELS, CHANGE_CLASSES, CHANGE_LABELS, FACETS, FIGURE_KEYS, SECTION_KEYS, SORTS, TEMPLATES,
    is_report_year,
)

# The default limits (`search.settings`: one table); a request parsed with other
# settings (`from_params(params, settings)`) uses theirs.
MAX_QUERY_CHARS = DEFAULTS.max_query_length
MAX_PAGE = DEFAULTS.max_page
MAX_PAGE_SIZE = DEFAULTS.max_page_size
DEFAULT_PAGE_SIZE = DEFAULTS.page_size
MAX_FILTER_VALUES = DEFAULTS.max_filter_values
MAX_FIGURE_FILTERS = DEFAULTS.max_figure_filters
MAX_VALUE_CHARS = DEFAULTS.max_value_chars

_TRUE = {"1", "true", "yes", "on", "是"}
_FALSE = {"0", "false", "no", "off", "否"}


class BadRequest(ValueError):
    """A parameter we cannot use; its message is a Chinese sentence for the reader."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- figure filters -----------------------------------------------------------------

OPERATORS = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    "!=": lambda a, b: a != b,
    "==": lambda a, b: a == b,
    "=": lambda a, b: a == b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}
_FILTER = re.compile(r"^\s*([a-z_.]+)\s*(>=|<=|!=|==|=|>|<)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*$")


@dataclass(frozen=True)
class FigureFilter:
    """``key op value``: a report passes when it has the figure and the comparison holds."""

    key: str
    op: str
    value: float

    def test(self, figure: float | None) -> bool:
        """Whether a report's figure passes; a missing figure never does."""
        if figure is None or (isinstance(figure, float) and math.isnan(figure)):
            return False
        return OPERATORS[self.op](figure, self.value)

    def __str__(self) -> str:
        value = int(self.value) if self.value == int(self.value) else self.value
        return f"{self.key}{self.op}{value}"


def parse_figure_filter(text: str) -> FigureFilter:
    """``"requests.new.total>=1"`` -> `FigureFilter`. :raise BadRequest: on anything else."""
    normal = nfkc_chars(str(text)[:MAX_VALUE_CHARS])
    match = _FILTER.match(normal)
    if not match:
        raise BadRequest(f"无法理解数字筛选条件“{normal}”，应写成 指标>=数值，例如 requests.new.total>=1。")
    key, op, number = match.groups()
    check_figure_key(key)
    return FigureFilter(key, "==" if op == "=" else op, float(number))


def check_figure_key(key: str) -> str:
    """`key` if it is a figure key of the template. :raise BadRequest: otherwise."""
    if key not in FIGURE_KEYS:
        raise BadRequest(f"没有名为“{key[:MAX_VALUE_CHARS]}”的统计指标。")
    return key




# --- the request --------------------------------------------------------------------

@dataclass(frozen=True)
class SearchRequest:
    """One search, typed and bounded. Build it with `from_params` (or directly in code)."""

    query: str = ""
    agencies: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    sections: tuple[str, ...] = ()
    audits: tuple[str, ...] = ()      # audit finding kinds (index.audit): any of them
    changes: tuple[str, ...] = ()     # change classes (index.changes.classes): any of them
    template: int | None = None
    failing: bool | None = None
    figure_filters: tuple[FigureFilter, ...] = ()
    sort: str = "relevance"           # relevance | newest | oldest | a figure key
    ascending: bool = False           # only for a figure sort: smallest first
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def filters(self) -> dict[str, tuple]:
        """The multi-select facet filters by facet name (`search.vocabulary.FACETS`)."""
        return dict(zip(FACETS, (self.agencies, self.regions, self.years, self.sections, self.audits,
                                 self.changes)))

    def with_page(self, page: int, settings: Settings = DEFAULTS) -> "SearchRequest":
        return replace(self, page=page_number(str(page), settings))

    @classmethod
    def from_params(cls, params, settings: Settings = DEFAULTS) -> "SearchRequest":
        """Parse request parameters (see the module docstring) within `settings`' limits.
        :raise BadRequest:"""
        values = Values(params)
        sort, ascending = _sort(values.one("sort"))

        def many(name: str, label: str) -> list[str]:
            return limited(values.many(name), label, settings)

        return cls(
            query=cap_query(values.one("q", blank=True) or "", settings.max_query_length),
            agencies=texts(many("agency", "机关"), "机关", settings),
            regions=texts(many("region", "地区"), "地区", settings),
            years=tuple(dict.fromkeys(year(v) for v in many("year", "年度"))),
            sections=tuple(dict.fromkeys(_section(v) for v in many("section", "章节"))),
            audits=tuple(dict.fromkeys(audit_kind(v) for v in many("audit", "体检"))),
            changes=tuple(dict.fromkeys(change_class(v) for v in many("change", "与上年相比"))),
            template=_template(values.one("template")),
            failing=_flag(values.one("failing")),
            figure_filters=figure_filters(values.many("fig"), settings),
            sort=sort,
            ascending=ascending,
            page=page_number(values.one("page"), settings),
            page_size=page_size(values.one("size"), settings.page_size, settings.max_page_size),
        )

    def to_params(self) -> dict[str, list[str]]:
        """The parameters that parse back to this request (for links and the CLI)."""
        params = {
            "q": [self.query], "agency": list(self.agencies), "region": list(self.regions),
            "year": [str(y) for y in self.years], "section": list(self.sections),
            "audit": list(self.audits), "change": list(self.changes),
            "template": [str(self.template)] if self.template else [],
            "failing": [] if self.failing is None else ["1" if self.failing else "0"],
            "fig": [str(f) for f in self.figure_filters],
            "sort": [self.sort + (":asc" if self.ascending else "")],
            "page": [str(self.page)], "size": [str(self.page_size)],
        }
        return {name: values for name, values in params.items() if any(values)}


def cap_query(text: str, max_chars: int = MAX_QUERY_CHARS) -> str:
    """The query text NFKC-normalised, control characters made spaces, cut to `max_chars`."""
    text = nfkc_chars(str(text)[:4 * max_chars])
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return text.strip()[:max_chars].strip()


class Values:
    """Uniform access to a MultiDict or a dict of strings / lists: repeatable values
    without blanks (`many`), or a single value given at most once (`one`)."""

    def __init__(self, params):
        self.params = params if params is not None else {}

    def _raw(self, name: str) -> list[str]:
        if hasattr(self.params, "getlist"):
            raw = self.params.getlist(name)
        else:
            raw = self.params.get(name, [])
            raw = [raw] if isinstance(raw, (str, int, float)) else list(raw or [])
        return [str(v).strip() for v in raw if v is not None]

    def many(self, name: str) -> list[str]:
        # Names are compared exactly with the index (（） in a name stay full-width);
        # numbers and keywords are normalised where they are parsed.
        return [v for v in self._raw(name) if v]

    def one(self, name: str, blank: bool = False) -> str | None:
        """The parameter's one value, None when absent (or blank, if `blank` allows).
        :raise BadRequest: when it is given more than once, or blank where not allowed."""
        values = self._raw(name)
        if len(values) > 1:
            raise BadRequest(f"参数“{name}”只能给一个值，这个请求给了 {len(values)} 个。")
        if values and not values[0] and not blank:
            raise BadRequest(f"参数“{name}”不能为空：不需要时请去掉它。")
        return values[0] if values and values[0] else None


def limited(values: list[str], label: str, settings: Settings) -> list[str]:
    if len(values) > settings.max_filter_values:
        raise BadRequest(f"{label}筛选条件最多 {settings.max_filter_values} 个。")
    return values


def texts(values: list[str], label: str, settings: Settings) -> tuple[str, ...]:
    for value in values:
        if len(value) > settings.max_value_chars:
            raise BadRequest(f"{label}名称过长。")
    return tuple(dict.fromkeys(values))


def _integer(value: str, message: str) -> int:
    value = nfkc_chars(value)
    if not re.fullmatch(r"[+]?\d{1,9}", value):
        raise BadRequest(message)
    return int(value)


def year(value: str) -> int:
    """A year (`corpus.years`). :raise BadRequest:"""
    number = _integer(value, f"年度“{value[:20]}”不是有效的年份。")
    if not is_report_year(number):
        raise BadRequest(f"年度“{value[:20]}”不是有效的年份。")
    return number


def _section(value: str) -> str:
    value = nfkc_chars(value).lower()
    if value not in SECTION_KEYS:
        raise BadRequest(f"没有名为“{value[:20]}”的章节，可选：{'、'.join(SECTION_KEYS)}。")
    return value


def one_of(value: str, allowed, labels: dict[str, str], refusal: str) -> str:
    """`value` (folded, lower case) if it is one of `allowed`. :raise BadRequest: otherwise,
    with `refusal` filled in: ``{value}`` the value given (cut), ``{choices}`` each
    allowed value with its label."""
    value = nfkc_chars(value).lower()
    if value not in allowed:
        choices = "、".join(f"{labels[k]} {k}" for k in allowed)
        raise BadRequest(refusal.format(value=value[:20], choices=choices))
    return value


def audit_kind(value: str) -> str:
    """`value` if it is an audit finding kind. :raise BadRequest: otherwise."""
    return one_of(value, AUDIT_KINDS, AUDIT_LABELS, "没有名为“{value}”的体检项目，可选：{choices}。")


def change_class(value: str) -> str:
    """`value` if it is a change class (`index.changes.classes`). :raise BadRequest: otherwise."""
    return one_of(value, CHANGE_CLASSES, CHANGE_LABELS, "“与上年相比”没有“{value}”这一项，可选：{choices}。")


def _template(value: str | None) -> int | None:
    if value is None:
        return None
    if nfkc_chars(value) not in {str(t) for t in TEMPLATES}:
        raise BadRequest(f"模板只能是 {' 或 '.join(map(str, TEMPLATES))}。")
    return int(nfkc_chars(value))


def _flag(value: str | None) -> bool | None:
    if value is None:
        return None
    value = nfkc_chars(value).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadRequest("“是否未通过校验”只能是 1 或 0。")


def figure_filters(values: list[str], settings: Settings) -> tuple[FigureFilter, ...]:
    if len(values) > settings.max_figure_filters:
        raise BadRequest(f"数字筛选条件最多 {settings.max_figure_filters} 个。")
    return tuple(dict.fromkeys(parse_figure_filter(v) for v in values))


def _sort(value: str | None) -> tuple[str, bool]:
    if value is None:
        return "relevance", False
    value = nfkc_chars(value).lower()
    if value in SORTS:
        return value, False
    key, _, order = value.partition(":")
    if order not in ("", "asc", "desc") or key not in FIGURE_KEYS:
        raise BadRequest(f"无法按“{value[:40]}”排序，可选：相关度 relevance、最新 newest、最早 oldest 或统计指标名。")
    return key, order == "asc"


def page_number(value: str | None, settings: Settings) -> int:
    if value is None:
        return 1
    page = _integer(value, "页码必须是正整数。")
    if page < 1:
        raise BadRequest("页码必须是正整数。")
    if page > settings.max_page:
        raise BadRequest(f"页码不能超过 {settings.max_page}。")
    return page


def page_size(value: str | None, default: int, cap: int) -> int:
    """A page size: `default` when absent, at most `cap` (however many digits it has).
    :raise BadRequest:"""
    if value is None:
        return default
    digits = nfkc_chars(value)
    if re.fullmatch(r"[+]?\d{10,}", digits) and digits.lstrip("+").lstrip("0"):
        return cap                      # more than nine digits: more than any cap
    size = _integer(value, "每页条数必须是正整数。")
    if size < 1:
        raise BadRequest("每页条数必须是正整数。")
    return min(size, cap)
