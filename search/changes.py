"""The biggest changes across agencies: for one figure and two years, whose rose and fell most.

A journalist asks which agencies' requests doubled, or which were sued for the first
time. `change_listing` answers from one row per report of the two years
(`FigureRow`: what every engine can supply from its index) — the same meaning for
every engine:

- an agency is *compared* when it has a report in both years and both print the
  figure (a summed one, `corpus.report.SUMMED_FIGURES`: every part); its change is
  later − earlier, its percentage the change over the earlier value (None when that
  is 0: `search.diff.change_of`); its region and kind (`corpus.agency_kind`) are the
  later report's, its audit findings those of either report;
- filters: ``region`` (a region takes in the regions within it), ``kind``, ``audit``
  (either report has any chosen kind); each facet counts the compared agencies passing
  every filter but its own (multi-select, like the search's);
- ``rises``: the changes above 0, ``falls`` below 0, at most ``size`` each, largest
  first by the ``measure``: ``absolute`` (the change) or ``relative`` (the percentage;
  agencies at 0 the year before, which have none, after the rest); ties by the other
  measure, then by name;
- ``rows``: every compared agency passing the filters, from the largest rise to the
  largest fall, for the downloads; counts of those that rose, fell, stayed the same,
  and of those with the figure in one year only.

`ChangesRequest.from_params(params, settings)` reads:

=======  ===========================================================  ==============
name     meaning                                                      invalid value
=======  ===========================================================  ==============
figure   a figure key or ``appeals.suits.total`` (default             unknown key
         requests.new.total)
from     the earlier year (default: the latest the index holds        not a year
         before ``to``; also when it names ``to``'s year)
to       the later year (default: the latest the index holds; the     not a year
         two are taken in order)
region   a region, repeatable                                         too long
kind     an agency kind (`corpus.agency_kind.KINDS`), repeatable      unknown kind
audit    an audit finding kind, repeatable                            unknown kind
measure  absolute · relative                                          anything else
size     agencies in each of the rises and the falls, capped          not a number
=======  ===========================================================  ==============

API: `ChangesRequest`, `FigureRow`, `change_listing(request, rows, years)`,
`resolve_years(request, years)`, `figure_parts(key)`, `CHANGE_FIGURES`,
`DEFAULT_FIGURES`, `MEASURES`.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from corpus.agency_kind import KINDS, LABELS as KIND_LABELS, agency_kind
from corpus.report import SUMMED_FIGURES
from index.folding import nfkc_chars
from index.ids import agency_id
from search.diff import change_of
from search.pages import key_number
from search.regions import expand
from search.request import BadRequest, Values, audit_kind, limited, one_of, page_size, texts, year
from search.results import ChangeListing, ChangeRow
from search.vocabulary import AUDIT_KINDS, FIGURE_KEYS
from config.settings import DEFAULTS, Settings

# The figures the page offers first: requests, reviews, suits, granted.
DEFAULT_FIGURES = ("requests.new.total", "appeals.review.total", "appeals.suits.total",
                   "requests.granted.total")
CHANGE_FIGURES = FIGURE_KEYS | set(SUMMED_FIGURES)
MEASURES = ("absolute", "relative")
FACETS = ("region", "kind", "audit")


@dataclass(frozen=True)
class FigureRow:
    """One report of either year, as an engine supplies it: who, where, when, the values
    of the figure's parts (`figure_parts`; None where it does not print one) and its
    audit finding kinds."""

    report_id: str
    agency: str
    region: str
    year: int
    values: tuple[float | None, ...]
    findings: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ChangesRequest:
    """One listing, typed and bounded (see the module docstring)."""

    figure: str = DEFAULT_FIGURES[0]
    earlier_year: int | None = None
    later_year: int | None = None
    regions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    audits: tuple[str, ...] = ()
    measure: str = "absolute"
    size: int = DEFAULTS.change_rows

    @classmethod
    def from_params(cls, params, settings: Settings = DEFAULTS) -> "ChangesRequest":
        """Parse the parameters (see the module docstring). :raise BadRequest:"""
        values = Values(params)
        figure = nfkc_chars(values.one("figure") or DEFAULT_FIGURES[0])
        if figure not in CHANGE_FIGURES:
            raise BadRequest(f"没有名为“{figure[:settings.max_value_chars]}”的统计指标。")
        earlier, later = values.one("from"), values.one("to")
        earlier, later = (year(earlier) if earlier else None), (year(later) if later else None)
        measure = nfkc_chars(values.one("measure") or "absolute").lower()
        if measure not in MEASURES:
            raise BadRequest("排序依据只能是 absolute（变化量）或 relative（变化幅度）。")
        return cls(
            figure=figure, earlier_year=earlier, later_year=later,
            regions=texts(limited(values.many("region"), "地区", settings), "地区", settings),
            kinds=tuple(dict.fromkeys(_kind(v) for v in limited(values.many("kind"), "机关类型", settings))),
            audits=tuple(dict.fromkeys(audit_kind(v) for v in limited(values.many("audit"), "体检", settings))),
            measure=measure,
            size=page_size(values.one("size"), settings.change_rows, settings.max_change_rows))

    def to_params(self) -> dict[str, list[str]]:
        """The parameters that parse back to this request (for links); defaults left out."""
        params = {
            "figure": [self.figure] if self.figure != DEFAULT_FIGURES[0] else [],
            "from": [str(self.earlier_year)] if self.earlier_year else [],
            "to": [str(self.later_year)] if self.later_year else [],
            "region": list(self.regions), "kind": list(self.kinds), "audit": list(self.audits),
            "measure": [self.measure] if self.measure != "absolute" else [],
        }
        return {name: values for name, values in params.items() if values}


def _kind(value: str) -> str:
    return one_of(value, KINDS, KIND_LABELS, "没有名为“{value}”的机关类型，可选：{choices}。")


def figure_parts(key: str) -> tuple[str, ...]:
    """The figure keys an engine supplies for `key`: itself, or a summed figure's parts."""
    return SUMMED_FIGURES.get(key, (key,))


def resolve_years(request: ChangesRequest, years) -> tuple[int, int]:
    """(earlier, later) of the request, taken in order (``from=2023&to=2021`` is 2021 →
    2023), its defaults from the `years` the index holds: the later year the latest, the
    earlier one the latest before it (the year before when there is none) — also when
    both name the same year."""
    held = sorted(set(years), reverse=True)
    earlier, later = request.earlier_year, request.later_year
    if later is None:
        later = held[0] if held else (earlier or 0) + 1
    if earlier is not None and earlier > later:
        earlier, later = later, earlier
    if earlier is None or earlier == later:
        earlier = next((y for y in held if y < later), later - 1)
    return earlier, later


def _value(row: FigureRow | None) -> float | None:
    if row is None or any(value is None for value in row.values):
        return None
    return key_number(round(sum(row.values), 6))


@dataclass
class _Agency:
    """One agency's reports of the two years (either may be missing)."""

    earlier: FigureRow | None = None
    later: FigureRow | None = None


def change_listing(request: ChangesRequest, rows, years) -> ChangeListing:
    """The listing for `request` from `rows` (`FigureRow`s of at least its two years)
    and the `years` the index holds (see the module docstring)."""
    earlier_year, later_year = resolve_years(request, years)
    agencies: dict[str, _Agency] = defaultdict(_Agency)
    for row in rows:
        if row.year == earlier_year:
            agencies[row.agency].earlier = row
        elif row.year == later_year:
            agencies[row.agency].later = row
    regions = {row.region for item in agencies.values() for row in (item.earlier, item.later) if row}
    chosen = {"region": expand(request.regions, regions) if request.regions else set(),
              "kind": set(request.kinds), "audit": set(request.audits)}
    compared: list[ChangeRow] = []
    counts = {name: Counter() for name in FACETS}
    only = Counter()
    for name, item in sorted(agencies.items()):
        latest = item.later or item.earlier
        findings = set().union(*(row.findings for row in (item.earlier, item.later) if row))
        kind = agency_kind(name)
        facets = {"region": {latest.region}, "kind": {kind}, "audit": findings}
        passing = {facet: not chosen[facet] or bool(facets[facet] & chosen[facet]) for facet in FACETS}
        before, after = _value(item.earlier), _value(item.later)
        if before is None or after is None:
            if all(passing.values()) and (before, after) != (None, None):
                only["earlier" if after is None else "later"] += 1
            continue
        for facet in FACETS:       # each facet over what passes every filter but its own
            if all(ok for other, ok in passing.items() if other != facet):
                counts[facet].update(facets[facet])
        if not all(passing.values()):
            continue
        change, percent = change_of(before, after)
        compared.append(ChangeRow(
            agency=name, agency_id=agency_id(name), region=latest.region, kind=kind,
            earlier_id=item.earlier.report_id, later_id=item.later.report_id, earlier=before, later=after,
            change=change, percent=percent, findings=[kind for kind in AUDIT_KINDS if kind in findings]))
    relative = request.measure == "relative"

    def largest(row: ChangeRow, sign: int):
        # Largest first by the measure; no percentage (0 the year before) after the rest.
        first = (row.percent is None, -sign * (row.percent or 0)) if relative else (False, -sign * row.change)
        second = -sign * row.change if relative else -sign * (row.percent if row.percent is not None else 0)
        return (*first, second, row.agency)

    rises = sorted((row for row in compared if row.change > 0), key=lambda row: largest(row, 1))
    falls = sorted((row for row in compared if row.change < 0), key=lambda row: largest(row, -1))
    same = sorted((row for row in compared if row.change == 0), key=lambda row: row.agency)
    return ChangeListing(
        figure=request.figure, earlier_year=earlier_year, later_year=later_year, measure=request.measure,
        rises=rises[:request.size], falls=falls[:request.size], rows=rises + same + falls[::-1],
        compared=len(compared), rose=len(rises), fell=len(falls), same=len(same),
        only_earlier=only["earlier"], only_later=only["later"],
        facets={name: dict(counter) for name, counter in counts.items()},
        years=sorted(set(years), reverse=True))

