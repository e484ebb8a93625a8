"""Reporting rules as pure functions: the privacy minimum, distributions, coverage.

Competence is only ever shown for groups of at least ``min_group`` assessed people; a smaller
group is reported as "too few" and its numbers are not computed at all.
"""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LEVELS = range(5)
STAFF_PER_CHAMPION = 20  # the rule of thumb: one champion per 15–20 staff


def shown(group_size: int, min_group: int) -> bool:
    return group_size >= min_group


def histogram(levels: list[int]) -> list[int]:
    """How many people are at level 0, 1, 2, 3, 4."""
    counts = [0] * len(LEVELS)
    for level in levels:
        counts[level] += 1
    return counts


def mean_level(levels: list[int]) -> float:
    return round(sum(levels) / len(levels), 1) if levels else 0.0


def distribution(
    latest_levels: list[dict[str, int]], dimensions: list[str], min_group: int
) -> dict[str, list[int]] | None:
    """Per dimension, the level histogram of a group; None when the group is below the minimum."""
    if not shown(len(latest_levels), min_group):
        return None
    return {d: histogram([levels.get(d, 0) for levels in latest_levels]) for d in dimensions}


def suppressed_groups(sizes: dict, unassigned: int, min_group: int) -> set:
    """Groups whose figures are not shown, so that no group below the minimum can be worked out
    by subtracting the shown groups from the total.

    First every group with 1 to min_group - 1 people; then, while the hidden rest (those groups
    plus people in no group) is between 1 and min_group - 1, the smallest shown group as well."""
    hidden = {name for name, size in sizes.items() if 0 < size < min_group}
    rest = unassigned + sum(sizes[name] for name in hidden)
    for name in sorted(
        (n for n in sizes if n not in hidden and sizes[n]), key=lambda n: (sizes[n], n)
    ):
        if not 0 < rest < min_group:
            break
        hidden.add(name)
        rest += sizes[name]
    return hidden


@dataclass(frozen=True)
class Coverage:
    staff: int
    champions: float  # a champion looking after k departments counts 1/k in each
    needed: int
    sufficient: bool


def champion_coverage(staff: int, champions: float) -> Coverage:
    """Champions needed for ``staff`` people at one per STAFF_PER_CHAMPION."""
    needed = math.ceil(staff / STAFF_PER_CHAMPION) if staff else 0
    champions = round(champions, 2)
    return Coverage(staff, champions, needed, champions >= needed)


def champion_shares(looked_after: dict) -> dict:
    """The one definition of champion coverage: every person with the champion role counts once;
    one who looks after k departments (their own and those HR assigned) counts 1/k in each.
    ``looked_after``: department → champion ids; returns department → champions (a sum of shares).
    So five departments looked after by one person add up to one champion, as the company has."""
    departments_of: dict = {}
    for champions in looked_after.values():
        for champion in champions:
            departments_of[champion] = departments_of.get(champion, 0) + 1
    return {
        department: sum(1 / departments_of[c] for c in champions)
        for department, champions in looked_after.items()
    }


def bar_lengths(distribution: dict[str, list[int]] | None, steps: int = 10) -> dict[str, list[int]]:
    """The length (0 to ``steps``) of the bar for every count of a level distribution, on one
    axis for the whole table: the table's largest count is the full length, so a row whose
    largest count is 4 shows shorter bars than one with 7. A count above zero always shows."""
    top = max((max(counts, default=0) for counts in (distribution or {}).values()), default=0)
    return {
        key: [max(1, math.floor(steps * count / top + 0.5)) if count else 0 for count in counts]
        for key, counts in (distribution or {}).items()
    }


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def changed_members(published: dict[int, int] | None, current: dict[int, int]) -> int:
    """How many people differ between a published group and now: ``person id → result id`` on
    both sides; someone with a new result, someone new to the group and someone gone each
    count once."""
    published = published or {}
    return sum(
        1
        for person in published.keys() | current.keys()
        if published.get(person) != current.get(person)
    )


def should_publish(
    published: dict[int, int] | None, current: dict[int, int], min_group: int
) -> bool:
    """Competence figures of a group are published afresh only when at least ``min_group`` of
    its people changed since the last publication (the first one: at least ``min_group``
    people). So two publications side by side never differ by fewer than ``min_group`` people,
    and nobody's levels can be read off the difference (the "before and after" attack)."""
    if len(current) < min_group:
        return False
    return changed_members(published, current) >= min_group


def total_counts(counts) -> dict:
    """Several {key: number} added up: e.g. use cases by status over departments."""
    total: dict = {}
    for part in counts:
        for key, count in part.items():
            total[key] = total.get(key, 0) + count
    return total


# ---------------------------------------------------------------------------------------------
# Monthly snapshots


def previous_month(local: date) -> str:
    """The month before the one ``local`` (a company-time date) falls in, as "YYYY-MM"."""
    return (local.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def past_months(local: date, count: int) -> list[str]:
    """The ``count`` months before the one ``local`` falls in, oldest first."""
    months, day = [], local
    for _ in range(count):
        months.append(previous_month(day))
        day = date.fromisoformat(months[-1] + "-01")
    return months[::-1]


def month_end(month: str, timezone: ZoneInfo) -> datetime:
    """The first moment after ``month`` ("YYYY-MM") in the company's time zone, in UTC: what
    happened before it counts for the month."""
    year, number = (int(part) for part in month.split("-"))
    year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return datetime(year, number, 1, tzinfo=timezone).astimezone(UTC)


def snapshot(
    *,
    staff: int,
    assessed: int,
    completed_modules: int,
    learners_with_completion: int,
    coverage: Coverage,
    use_cases: dict[str, int],
    competence: dict | None,
    hidden: bool,
    min_group: int,
) -> dict:
    """One group's monthly figures as they are stored: aggregates only. The privacy minimum is
    applied here, before anything is stored: competence ({"n", "distribution", "means"}) only for
    a group of at least ``min_group`` assessed people that the complementary suppression does not
    hide; otherwise None. Participation figures are training records and kept for any size."""
    keep = (
        competence is not None
        and not hidden
        and shown(assessed, min_group)
        and shown(competence.get("n", 0), min_group)
    )
    return {
        "staff": staff,
        "assessed": assessed,
        "assessed_percent": percent(assessed, staff),
        "completed_modules": completed_modules,
        "learners_with_completion": learners_with_completion,
        "champions": coverage.champions,
        "champions_needed": coverage.needed,
        "use_cases": {status: count for status, count in sorted(use_cases.items()) if count},
        "competence": {key: competence[key] for key in ("n", "distribution", "means")}
        if keep
        else None,
    }
