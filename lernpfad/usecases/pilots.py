"""Pilots as pure rules: KPI numbers and units, measurements, the effect, the decision, the chart.

A use case's KPI was three free texts (baseline, target, measured). Numbers are read from them
by ``parse_quantity``: a German number („90“, „1,5“, „1.200“) with an optional unit after it
(„90 Minuten“, „35 %“). The unit of the KPI is the one named in brackets in its name („Zeit je
Angebot (Minuten)“) or written after the baseline; aliases („min“, „Std.“, „Prozent“) count as
the same unit. A measurement is a number in that unit, dated within the pilot and not in the
future. A pilot runs ``DEFAULT_WEEKS`` (the article's 4–6 weeks) unless planned otherwise and ends
in a decision: scale up (→ im Einsatz), extend (by some weeks, stays Pilot) or stop (→ verworfen).
"""

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_WEEKS = 6
MAX_WEEKS = 26
MAX_EXTRA_WEEKS = 12
UNIT_MAX = 30

# decision → the status the use case moves to
DECISIONS = {"ausrollen": "im_einsatz", "verlaengern": "pilot", "stoppen": "verworfen"}

# canonical unit → the ways people write it (compared case-folded, without a final dot)
UNIT_ALIASES = {
    "Minuten": ("min", "minute", "minuten", "mins"),
    "Stunden": ("h", "std", "stunde", "stunden"),
    "Tage": ("d", "tag", "tage", "arbeitstage"),
    "Wochen": ("woche", "wochen"),
    "%": ("%", "prozent", "proz"),
    "€": ("€", "eur", "euro"),
    "Stück": ("stk", "stück", "stueck"),
}
_ALIAS = {alias: unit for unit, aliases in UNIT_ALIASES.items() for alias in aliases}

_QUANTITY = re.compile(r"\A\s*([+\-−]?)\s*([0-9][0-9.,]*)\s*(.*?)\s*\Z", re.DOTALL)
_THOUSANDS = re.compile(r"\A[0-9]{1,3}(\.[0-9]{3})+\Z")
_UNIT_TEXT = re.compile(r"\A[^\W\d_]+[.]?\Z|\A[%€]\Z")
_BRACKETED = re.compile(r"\(([^()]{1,30})\)\s*\Z")


class QuantityError(ValueError):
    """``code``: not_a_number or bad_unit."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def canonical_unit(text: str | None) -> str | None:
    """The unit as the register writes it: „min.“ → „Minuten“; unknown units stay as written."""
    text = (text or "").strip()
    if not text:
        return None
    key = text.casefold().rstrip(".")
    return _ALIAS.get(key, text)


def parse_number(text: str) -> float | None:
    """A number as Germans type it: „1,5“, „1.200“, „1.200,5“, „90“; also „1.5“. Else None."""
    text = text.strip()
    if not text or not text.isascii() or len(text) > 20:
        return None
    if "," in text:
        whole, _sep, fraction = text.rpartition(",")
        if "," in whole or not fraction.isdigit():
            return None
        if "." in whole and not _THOUSANDS.match(whole):
            return None
        text = whole.replace(".", "") + "." + fraction
    elif _THOUSANDS.match(text):
        text = text.replace(".", "")
    elif text.count(".") > 1:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_quantity(text: str) -> tuple[float, str | None]:
    """(number, canonical unit or None) from „90“, „90 Minuten“, „35 %“, „−2,5 Tage“."""
    match = _QUANTITY.match(text or "")
    if not match:
        raise QuantityError("not_a_number")
    sign, digits, unit = match.groups()
    number = parse_number(digits)
    if number is None:
        raise QuantityError("not_a_number")
    if unit and (len(unit) > UNIT_MAX or not _UNIT_TEXT.match(unit)):
        raise QuantityError("not_a_number" if any(c.isdigit() for c in unit) else "bad_unit")
    return (-number if sign in ("-", "−") else number), canonical_unit(unit)


def unit_of_kpi(kpi_name: str, baseline_text: str = "") -> str | None:
    """The KPI's unit: bracketed at the end of its name, else written after the baseline."""
    match = _BRACKETED.search(kpi_name or "")
    if match:
        return canonical_unit(match.group(1))
    try:
        return parse_quantity(baseline_text)[1]
    except QuantityError:
        return None


def same_unit(a: str | None, b: str | None) -> bool:
    """Units match when equal after aliases (case ignored); no unit matches any."""
    if not a or not b:
        return True
    return canonical_unit(a).casefold() == canonical_unit(b).casefold()


@dataclass(frozen=True)
class Reading:
    """A measurement checked against the pilot: the value, or the reasons per field."""

    value: float | None
    errors: dict[str, str]  # field → code


def check_measurement(
    value_text: str, measured_on: date | None, *, unit: str | None, started_on, today: date
) -> Reading:
    """Codes: value — not_a_number, bad_unit, unit_mismatch; measured_on — missing, future,
    before_pilot; pilot — no_pilot (the use case is not in its pilot: no start date)."""
    errors = {}
    value = None
    try:
        value, written = parse_quantity(value_text)
    except QuantityError as error:
        errors["value"] = error.code
    else:
        if not same_unit(written, unit):
            errors["value"] = "unit_mismatch"
            value = None
    if started_on is None:
        errors["pilot"] = "no_pilot"
    if measured_on is None:
        errors["measured_on"] = "missing"
    elif measured_on > today:
        errors["measured_on"] = "future"
    elif started_on is not None and measured_on < started_on:
        errors["measured_on"] = "before_pilot"
    return Reading(None if errors else value, errors)


def pilot_end(started_on: date, weeks: int | None) -> date:
    """The planned last day: start + weeks (the start day counts as day 1); at most the
    calendar's last day (a start stored near it must not break the page)."""
    try:
        return started_on + timedelta(weeks=weeks or DEFAULT_WEEKS) - timedelta(days=1)
    except OverflowError:
        return date.max


def decision_due(started_on: date | None, weeks: int | None, today: date) -> bool:
    return started_on is not None and today > pilot_end(started_on, weeks)


@dataclass(frozen=True)
class Effect:
    """The latest measurement against baseline and target."""

    change: float  # percent of the baseline, or percentage points when the unit is %
    target_change: float
    points: bool  # change in percentage points
    reached: bool  # the latest value is at or past the target, in the target's direction
    share_of_goal: int  # how much of the way from baseline to target, in percent


def effect(baseline: float | None, target: float | None, latest: float | None, unit=None):
    """The effect, or None without numbers (or a baseline of 0 for a relative change)."""
    if baseline is None or target is None or latest is None or target == baseline:
        return None
    points = canonical_unit(unit) == "%"
    if points:
        change, target_change = latest - baseline, target - baseline
    elif baseline == 0:
        return None
    else:
        change = (latest - baseline) / abs(baseline) * 100
        target_change = (target - baseline) / abs(baseline) * 100
    lower_is_better = target < baseline
    reached = latest <= target if lower_is_better else latest >= target
    share = round((latest - baseline) / (target - baseline) * 100)
    return Effect(round(change, 1), round(target_change, 1), points, reached, share)


def decision_outcome(decision: str, weeks: int | None, extra_weeks: int | None):
    """(new status, new planned weeks) for a decision; ValueError for an unknown one or an
    extension outside 1–MAX_EXTRA_WEEKS weeks."""
    if decision not in DECISIONS:
        raise ValueError(decision)
    if decision == "verlaengern":
        if extra_weeks is None or not 1 <= extra_weeks <= MAX_EXTRA_WEEKS:
            raise ValueError(extra_weeks)
        return DECISIONS[decision], (weeks or DEFAULT_WEEKS) + extra_weeks
    return DECISIONS[decision], weeks


def needs_decision(old_status: str | None, new_status: str) -> bool:
    """A running pilot ends only through a decision with a reason (not the form's status)."""
    return old_status == "pilot" and new_status in ("im_einsatz", "verworfen")


def contributions(per_module: dict[str, int], min_group: int) -> tuple[list, int]:
    """Hand-ins per module as leadership sees them: modules with at least ``min_group`` hand-ins
    by name (largest first), the rest only as one number, so a single person's task cannot be
    picked out of a small count."""
    named = sorted(((m, n) for m, n in per_module.items() if n >= min_group), key=lambda x: -x[1])
    rest = sum(n for n in per_module.values() if n < min_group)
    return named, rest


# The chart: time on x (the pilot's weeks), the KPI on y, baseline and target as lines.
WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 30


@dataclass(frozen=True)
class PilotChart:
    width: int
    height: int
    plot: tuple[float, float, float, float]
    line: str  # polyline points of the measurements, in date order
    dots: list[tuple[float, float, float]]  # x, y, value
    baseline_y: float | None
    target_y: float | None
    grid: list[tuple[float, float]]  # y and value
    days: list[tuple[float, date]]  # x and date of the labels (start, end)


def nice_top(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^k at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def pilot_chart(
    started_on: date,
    ends_on: date,
    readings: list[tuple[date, float]],
    baseline: float | None,
    target: float | None,
) -> PilotChart:
    """Geometry for the measured line over the pilot (extended to the last reading)."""
    readings = sorted(readings, key=lambda r: r[0])
    last = max([ends_on] + [day for day, _v in readings])
    first = min([started_on] + [day for day, _v in readings])
    span = max((last - first).days, 1)
    known = [v for _d, v in readings] + [v for v in (baseline, target) if v is not None]
    bottom = min([0.0] + known)
    top = nice_top(max(known, default=1) - bottom) + bottom if known else 1
    x1, y1, x2, y2 = LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(day: date) -> float:
        return round(x1 + (x2 - x1) * (day - first).days / span, 1)

    def y(value: float) -> float:
        return round(y2 - (y2 - y1) * (value - bottom) / ((top - bottom) or 1), 1)

    dots = [(x(day), y(value), value) for day, value in readings]
    return PilotChart(
        width=WIDTH,
        height=HEIGHT,
        plot=(x1, y1, x2, y2),
        line=" ".join(f"{px},{py}" for px, py, _v in dots),
        dots=dots,
        baseline_y=y(baseline) if baseline is not None else None,
        target_y=y(target) if target is not None else None,
        grid=[(y(v), v) for v in (bottom, (bottom + top) / 2, top)],
        days=[(x(first), first), (x(last), last)],
    )
