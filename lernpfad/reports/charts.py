"""A small line chart of one figure over the months, as SVG geometry (a pure function)."""

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 26  # room for the value and month labels
MAX_MONTH_LABELS = 3  # a German month label („Sept. 26“) is about 50 units wide


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot: tuple[float, float, float, float]  # x1, y1, x2, y2 of the plot area
    lines: list[str]  # polyline points, one per unbroken run: a missing value leaves a gap
    dots: list[tuple[float, float]]  # every value, so a single month between gaps shows too
    reference: list[str]  # the dashed line (champions needed), same runs
    grid: list[tuple[float, float]]  # y and the value of each horizontal line
    months: list[tuple[float, int]]  # x and the index of each month that gets a label


def nice_top(value: float) -> float:
    """The top of the axis: the smallest 1, 2 or 5 × 10^k at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _runs(points: list[tuple[float, float] | None]) -> list[str]:
    """Polyline points for every run of two or more values in a row."""
    runs, current = [], []
    for point in points + [None]:
        if point is None:
            if len(current) > 1:
                runs.append(" ".join(f"{x},{y}" for x, y in current))
            current = []
        else:
            current.append(point)
    return runs


def _labelled(count: int) -> list[int]:
    """Which months get a label: at most MAX_MONTH_LABELS, evenly, always the latest."""
    step = max(1, math.ceil(count / MAX_MONTH_LABELS))
    return list(range(count - 1, -1, -step))[::-1]


def line_chart(
    values: list[float | None],
    maximum: float | None = None,
    reference: list[float | None] | None = None,
) -> LineChart:
    """Geometry for ``values`` (one per month, None where there is none) on an axis from 0 to
    ``maximum`` (by default a round number above the largest value), with an optional dashed
    ``reference`` line."""
    known = [v for v in values + (reference or []) if v is not None]
    top = maximum if maximum is not None else nice_top(max(known, default=0))
    x1, y1, x2, y2 = LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM
    count = len(values)

    def x(index: int) -> float:
        return round(x1 + (x2 - x1) * (index / (count - 1) if count > 1 else 0.5), 1)

    def y(value: float) -> float:
        return round(y2 - (y2 - y1) * min(value, top) / top, 1)

    def points(series):
        return [None if v is None else (x(i), y(v)) for i, v in enumerate(series)]

    line = points(values)
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        plot=(x1, y1, x2, y2),
        lines=_runs(line),
        dots=[point for point in line if point is not None],
        reference=_runs(points(reference)) if reference else [],
        grid=[(y(value), value) for value in (0, top / 2, top)],
        months=[(x(i), i) for i in _labelled(count)],
    )
