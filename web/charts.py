"""An agency's key figures over the years, as coordinates for a server-drawn SVG.

`line_chart(years, series)` does all the arithmetic (scales, ticks, points) so the
template only prints numbers into ``<polyline>``, ``<circle>`` and ``<text>``: no
JavaScript, nothing computed in Jinja. A year the report does not give a figure for
is a gap, not a zero.
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


@dataclass
class Series:
    label: str
    css: str                                   # series-0, series-1 …: colour from site.css
    lines: list[str] = field(default_factory=list)    # "x,y x,y" runs without gaps
    points: list[Point] = field(default_factory=list)


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


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above value (axis top)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _label(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def line_chart(years: list[int], series: dict[str, list[float | None]]) -> Chart:
    """Lay out one line per series over the given years (values aligned with years)."""
    values = [v for vs in series.values() for v in vs if v is not None]
    top = _nice_ceiling(max(values, default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    inset = 24                      # keeps the first and last year off the axes

    def x_of(i: int) -> float:
        if len(years) == 1:
            return LEFT + plot_w / 2
        return round(LEFT + inset + (plot_w - 2 * inset) * i / (len(years) - 1), 1)

    def y_of(v: float) -> float:
        return round(TOP + plot_h * (1 - v / top), 1)

    drawn = []
    for n, (label, vs) in enumerate(series.items()):
        s = Series(label=label, css=f"series-{n}")
        run: list[str] = []
        for i, v in enumerate(vs):
            if v is None:
                if run:
                    s.lines.append(" ".join(run))
                run = []
                continue
            p = Point(x=x_of(i), y=y_of(v), year=years[i], value=_label(v))
            s.points.append(p)
            run.append(f"{p.x},{p.y}")
        if run:
            s.lines.append(" ".join(run))
        drawn.append(s)
    return Chart(
        width=WIDTH, height=HEIGHT, plot_left=LEFT, plot_right=WIDTH - RIGHT,
        plot_top=TOP, plot_bottom=HEIGHT - BOTTOM, series=drawn,
        x_ticks=[Tick(x_of(i), str(y), x_of(i), HEIGHT - BOTTOM + 22) for i, y in enumerate(years)],
        y_ticks=[Tick(y_of(top * k / 4), _label(top * k / 4), LEFT - 8, y_of(top * k / 4) + 5)
                 for k in range(5)],
    )
