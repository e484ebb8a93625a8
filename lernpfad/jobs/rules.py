"""Scheduling rules as pure functions: which period a moment belongs to, and whether a run row
may be (re)claimed."""

from datetime import datetime, timedelta

PERIODS = ("minute", "day", "week", "month")


def period_key(kind: str, local: datetime) -> str:
    """The period ``local`` (a time in the company's time zone) belongs to, as a stable key:
    2026-12-06T09:05 (minute), 2026-12-06 (day), 2026-W49 (ISO week), 2026-12 (month)."""
    if kind == "minute":
        return local.strftime("%Y-%m-%dT%H:%M")
    if kind == "day":
        return local.date().isoformat()
    if kind == "week":
        year, week, _weekday = local.isocalendar()
        return f"{year}-W{week:02d}"
    if kind == "month":
        return local.strftime("%Y-%m")
    raise ValueError(kind)


LEASE = timedelta(minutes=30)  # a run still "running" after this is taken to have crashed


def may_reclaim(status: str, started_at: datetime, now: datetime, lease: timedelta = LEASE) -> bool:
    """A period already claimed is claimed again only when its run failed (retried at the next
    tick) or crashed while running (a lease that ran out) — never after it succeeded."""
    if status == "failed":
        return True
    return status == "running" and now - started_at >= lease
