"""Charts as coordinates for a server-drawn SVG: an agency's key figures over the years,
and the agencies whose figure rose and fell most (`change_chart`).

`line_chart(years, series)` does all the arithmetic (scales, ticks, points) so the
template only prints numbers into ``<polyline>``, ``<path>`` and ``<text>``: no
JavaScript, nothing computed in Jinja. A year the report does not give a figure for
is a gap, not a zero.

Counts are whole numbers, so the value axis steps by whole numbers (1, 2, 5, 10 …),
never 0.25. With one year there is no line to draw: the chart is then one bar per
figure with its value written beside it (`Chart.bars`). Series that coincide stay
apart: each has its own dash pattern and marker shape (circle, square, diamond,
triangle), and the legend says which lines lie on top of which (`Series.same_as`).

`change_chart(rows)` lays out one bar per agency either side of a middle line: rises
rightwards, falls leftwards, each with its name above and its change written at its
end.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 24, 16, 34


@dataclass
class Point:
    x: float
    y: float
    year: int
    value: str
    marker: str = ""      # SVG path of the series' marker shape at (x, y)


@dataclass
class Series:
    label: str
    css: str                                   # series-0, series-1 …: colour from site.css
    lines: list[str] = field(default_factory=list)    # "x,y x,y" runs without gaps
    points: list[Point] = field(default_factory=list)
    same_as: str = ""     # the label of an earlier series this one coincides with


@dataclass
class Tick:
    position: float       # x of a year, y of a value
    label: str
    text_x: float         # where its label is written
    text_y: float


@dataclass
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    bars: list["Bar"] = field(default_factory=list)   # one year: a bar per figure instead


@dataclass
class Bar:
    label: str
    css: str
    y: float              # top of the bar
    width: float          # 0 for a zero value (the value is still written)
    value: str
    value_x: float        # where the value is written


BAR_LEFT, BAR_HEIGHT, BAR_GAP = 8, 18, 34     # one bar per row: label above, bar below


def _marker(shape: int, x: float, y: float) -> str:
    """The SVG path of marker `shape` (circle, square, diamond, triangle) centred at x, y."""
    if shape == 0:
        return f"M{x - 4.5},{y} a4.5,4.5 0 1,0 9,0 a4.5,4.5 0 1,0 -9,0 Z"
    if shape == 1:
        return f"M{x - 4},{y - 4} h8 v8 h-8 Z"
    if shape == 2:
        return f"M{x},{y - 5.5} l5.5,5.5 l-5.5,5.5 l-5.5,-5.5 Z"
    return f"M{x},{y - 5.5} l5.5,9.5 h-11 Z"


def _integer_axis(top_value: float, ticks: int = 4) -> tuple[float, float]:
    """(axis top, step): a whole step of 1, 2, 2.5 or 5 × 10ⁿ, about `ticks` steps to the top."""
    if top_value <= 0:
        return 1, 1
    rough = top_value / ticks
    power = 10 ** max(0, math.floor(math.log10(rough))) if rough >= 1 else 1
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough and float(m * power).is_integer())
    return step * math.ceil(top_value / step), step


def _decimal_axis(top_value: float) -> tuple[float, float]:
    """(axis top, step) for amounts (万元): 1, 2, 2.5 or 5 × 10ⁿ at the top, four steps."""
    power = 10 ** math.floor(math.log10(top_value))
    top = next(m * power for m in (1, 2, 2.5, 5, 10) if top_value <= m * power)
    return top, top / 4


def _label(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _bars(years: list[int], series: dict[str, list[float | None]]) -> Chart:
    """One year: a labelled bar per figure, the longest spanning the plot."""
    values = [vs[0] for vs in series.values() if vs and vs[0] is not None]
    top = max(values, default=0) or 1
    usable = WIDTH - BAR_LEFT - 90
    bars = []
    for n, (label, vs) in enumerate(series.items()):
        value = vs[0] if vs else None
        if value is None:
            continue
        width = round(usable * value / top, 1)
        y = TOP + 18 + len(bars) * (BAR_HEIGHT + BAR_GAP)
        bars.append(Bar(f"{label}（{years[0]}）", f"series-{n}", y, width, _label(value),
                        BAR_LEFT + width + 8))
    height = TOP + 18 + len(bars) * (BAR_HEIGHT + BAR_GAP)
    return Chart(width=WIDTH, height=height, plot_left=BAR_LEFT, plot_right=WIDTH - RIGHT,
                 plot_top=TOP, plot_bottom=height, series=[], x_ticks=[], y_ticks=[], bars=bars)


def line_chart(years: list[int], series: dict[str, list[float | None]]) -> Chart:
    """Lay out one line per series over the given years (values aligned with years)."""
    if len(years) == 1:
        return _bars(years, series)
    values = [v for vs in series.values() for v in vs if v is not None]
    highest = max(values, default=0)
    whole = all(float(v).is_integer() for v in values)
    top, step = _integer_axis(highest) if whole or highest <= 0 else _decimal_axis(highest)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    inset = 24                      # keeps the first and last year off the axes

    def x_of(i: int) -> float:
        return round(LEFT + inset + (plot_w - 2 * inset) * i / (len(years) - 1), 1)

    def y_of(v: float) -> float:
        return round(TOP + plot_h * (1 - v / top), 1)

    drawn = []
    seen: dict[tuple, str] = {}
    for n, (label, vs) in enumerate(series.items()):
        s = Series(label=label, css=f"series-{n}", same_as=seen.get(tuple(vs), ""))
        seen.setdefault(tuple(vs), label)
        run: list[str] = []
        for i, v in enumerate(vs):
            if v is None:
                if run:
                    s.lines.append(" ".join(run))
                run = []
                continue
            p = Point(x=x_of(i), y=y_of(v), year=years[i], value=_label(v))
            p.marker = _marker(n % 4, p.x, p.y)
            s.points.append(p)
            run.append(f"{p.x},{p.y}")
        if run:
            s.lines.append(" ".join(run))
        drawn.append(s)
    count = int(round(top / step))
    return Chart(
        width=WIDTH, height=HEIGHT, plot_left=LEFT, plot_right=WIDTH - RIGHT,
        plot_top=TOP, plot_bottom=HEIGHT - BOTTOM, series=drawn,
        x_ticks=[Tick(x_of(i), str(y), x_of(i), HEIGHT - BOTTOM + 22) for i, y in enumerate(years)],
        y_ticks=[Tick(y_of(step * k), _label(round(step * k, 6)), LEFT - 8, y_of(step * k) + 5)
                 for k in range(count + 1)],
    )


# --- rises and falls: one bar per agency either side of a middle line ------------------

CHANGE_WIDTH = 400        # narrower than the line chart: a phone shows its text near full size
CHANGE_ROW = 40           # each agency: its name on one line, its bar below
CHANGE_BAR = 14
CHANGE_MARGIN = 8
CHANGE_VALUE_ROOM = 64    # room either side for the value written beside a bar


@dataclass
class ChangeBar:
    label: str            # the agency, written above its bar
    value: str            # +20 / −35% …, written beside the bar's end
    css: str              # rise | fall
    x: float              # the bar's left edge
    y: float              # its top
    width: float
    label_y: float
    value_x: float
    value_anchor: str     # start (right of a rise) | end (left of a fall)


@dataclass
class ChangeChart:
    width: int
    height: int
    middle: float         # x of the line rises leave rightwards and falls leftwards
    bars: list[ChangeBar]
    label_x: float = CHANGE_MARGIN


def change_chart(rows: list[tuple[str, float, str]]) -> ChangeChart | None:
    """One bar per (label, value, text) — rises to the right of the middle line, falls to
    the left, lengths proportional to |value|, the longest reaching the edge less room
    for its text; None when there is nothing to draw."""
    rows = [row for row in rows if row[1]]
    if not rows:
        return None
    middle = CHANGE_WIDTH / 2
    reach = middle - CHANGE_MARGIN - CHANGE_VALUE_ROOM
    longest = max(abs(value) for _, value, _ in rows)
    bars = []
    for n, (label, value, text) in enumerate(rows):
        width = round(reach * abs(value) / longest, 1)
        top = TOP + n * CHANGE_ROW + 20
        rise = value > 0
        bars.append(ChangeBar(
            label=label, value=text, css="rise" if rise else "fall",
            x=middle if rise else round(middle - width, 1), y=top, width=width, label_y=top - 5,
            value_x=round(middle + width + 6, 1) if rise else round(middle - width - 6, 1),
            value_anchor="start" if rise else "end"))
    return ChangeChart(width=CHANGE_WIDTH, height=TOP + len(rows) * CHANGE_ROW + 12, middle=middle, bars=bars)
