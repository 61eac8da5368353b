"""A line chart of weekly prices as SVG coordinates, rendered by templates/prices/_chart.html.

Hand-written (sixty lines) rather than a chart library: the page needs two polylines, a few axis
ticks and no JavaScript, and a library served by the product would add to every zip and page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 84, 12, 12, 40


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    points: str  # "x,y x,y ..." for <polyline points>
    last_price: Decimal | None
    first_week: date | None = None  # where this line begins (regions other than the state: 2016 on)


@dataclass(frozen=True)
class Chart:
    lines: list[Line]
    y_ticks: list[tuple[float, str]]  # (y, "$3.50")
    x_ticks: list[tuple[float, str]]  # (x, "Mar 2022")
    # Every week's value, newest first: (week, [price of each line or None]), the table beside the chart.
    weeks: list[tuple[date, list[Decimal | None]]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM

    @property
    def first_week(self) -> date | None:
        return self.weeks[-1][0] if self.weeks else None

    @property
    def last_week(self) -> date | None:
        return self.weeks[0][0] if self.weeks else None

    @property
    def empty(self) -> bool:
        return not any(line.points for line in self.lines)


def line_chart(series: dict[str, list[tuple[date, Decimal]]], labels: dict[str, str]) -> Chart:
    weeks = sorted({week for points in series.values() for week, _ in points})
    prices = [price for points in series.values() for _, price in points]
    if not weeks:
        return Chart(lines=[Line(key, labels[key], "", None) for key in series], y_ticks=[], x_ticks=[])
    step = Decimal("0.10")
    low = (min(prices) / step).to_integral_value(ROUND_FLOOR) * step
    high = (max(prices) / step).to_integral_value(ROUND_CEILING) * step
    if high == low:
        high = low + step
    first, span = weeks[0], max((weeks[-1] - weeks[0]).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(week: date) -> float:
        return round(LEFT + plot_w * (week - first).days / span, 1)

    def y(price: Decimal) -> float:
        return round(TOP + plot_h * float((high - price) / (high - low)), 1)

    lines = [
        Line(
            key,
            labels[key],
            " ".join(f"{x(week)},{y(price)}" for week, price in points),
            points[-1][1] if points else None,
            points[0][0] if points else None,
        )
        for key, points in series.items()
    ]
    ticks = int((high - low) / step)
    every = max(1, ticks // 5)
    y_ticks = [(y(low + step * n), f"${low + step * n:.2f}") for n in range(0, ticks + 1, every)]
    months = []
    years = span / 365.25
    every = 1 if years <= 7 else 2 if years <= 16 else 4  # years between labels on long ranges
    for week in weeks:
        if week.day > 7:
            continue
        if years <= 2 and week.month in (1, 4, 7, 10):
            months.append((x(week), f"{week:%b %Y}"))
        elif years > 2 and week.month == 1 and week.year % every == 0:
            months.append((x(week), f"{week.year}"))
    by_week = [dict(points) for points in series.values()]
    table = [(week, [found.get(week) for found in by_week]) for week in reversed(weeks)]
    return Chart(lines=lines, y_ticks=y_ticks, x_ticks=months, weeks=table)
