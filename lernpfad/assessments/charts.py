"""The radar chart of a profile against a target, as SVG geometry (a pure function)."""

import math
from dataclasses import dataclass

MAX_LEVEL = 4


@dataclass(frozen=True)
class RadarChart:
    size: int
    center: float
    rings: list[str]  # polygon points of the level rings 1–4
    axes: list[tuple[float, float, float, float]]  # x1, y1, x2, y2
    labels: list[dict]  # x, y, anchor, text, level, target
    current: str  # polygon points
    target: str
    current_dots: list[tuple[float, float]]


def _point(
    center: float, radius: float, index: int, count: int, value: float
) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = radius * value / MAX_LEVEL
    return round(center + r * math.cos(angle), 1), round(center + r * math.sin(angle), 1)


def _polygon(points) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def _wrap(label: str) -> list[str]:
    """Break a long label after "&" and ","; the chart has room for about 20 characters a line."""
    head, sep, tail = label.partition(" & ")
    lines = [head + " &", tail] if sep else [label]
    wrapped = []
    for line in lines:
        first, comma, rest = line.partition(", ")
        wrapped += [first + ",", rest] if comma and len(line) > 20 else [line]
    return wrapped


def radar_chart(
    dimensions: list[tuple[str, str]],
    current: dict[str, int],
    target: dict[str, int],
    size: int = 420,
) -> RadarChart:
    """Geometry for ``dimensions`` [(key, label)], current and target levels 0–4."""
    count = len(dimensions)
    center = size / 2
    radius = size / 2 - 60
    rings = [
        _polygon(_point(center, radius, i, count, level) for i in range(count))
        for level in range(1, MAX_LEVEL + 1)
    ]
    axes = []
    labels = []
    for index, (key, label) in enumerate(dimensions):
        x, y = _point(center, radius, index, count, MAX_LEVEL)
        axes.append((center, center, x, y))
        lx, ly = _point(center, radius + 22, index, count, MAX_LEVEL)
        anchor = "middle" if abs(lx - center) < 10 else ("start" if lx > center else "end")
        lines = _wrap(label)
        labels.append(
            {
                "x": lx,
                # Two-line labels above the centre start one line higher.
                "y": ly + 4 - (15 * (len(lines) - 1) if ly < center else 0),
                "anchor": anchor,
                "text": label,
                "lines": lines,
                "level": current.get(key, 0),
                "target": target.get(key, 0),
            }
        )
    current_points = [
        _point(center, radius, i, count, current.get(key, 0))
        for i, (key, _) in enumerate(dimensions)
    ]
    target_points = [
        _point(center, radius, i, count, target.get(key, 0))
        for i, (key, _) in enumerate(dimensions)
    ]
    return RadarChart(
        size,
        center,
        rings,
        axes,
        labels,
        _polygon(current_points),
        _polygon(target_points),
        current_points,
    )
