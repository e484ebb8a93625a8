"""Scheduling rules as pure functions: which period a moment belongs to, whether a run row may be
(re)claimed, and who gets which reminder, invitation or digest when."""

from datetime import date, datetime, timedelta

from lernpfad.modules.rules import COMPLETED

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


# ---------------------------------------------------------------------------------------------
# Reminders, invitations and digests: who gets what, and when (the jobs in reminders.py,
# certificates.py and digest.py apply them; each (person, kind, key) is sent once, see
# jobs.models.ReminderLog).

REMINDERS, DIGEST = "reminders", "digest"
# The preference that switches a kind off. Kinds not listed cannot be switched off: an overdue
# assignment (the department head set the date), an expiring certificate (a formal record),
# review results and password mails.
SWITCHABLE = {
    "inactivity": REMINDERS,
    "due_soon": REMINDERS,
    "reassessment": REMINDERS,
    "digest": DIGEST,
}


def wanted(kind: str, *, reminders: bool, digest: bool) -> bool:
    """Whether a person with these preferences gets ``kind`` (mandatory kinds always)."""
    category = SWITCHABLE.get(kind)
    if category is None:
        return True
    return reminders if category == REMINDERS else digest


def open_required(steps: list[tuple[bool, str | None]]) -> int:
    """How many required modules of a path are not completed: ``steps`` are (counts for the
    person — required, not mastered, available —, progress state or None) pairs."""
    return sum(1 for counts, state in steps if counts and state != COMPLETED)


def inactivity_due(
    last_activity: date,
    last_reminder: date | None,
    today: date,
    *,
    idle_days: int,
    repeat_days: int,
) -> bool:
    """A learner idle for ``idle_days`` (local days since their last learning step or login)
    is reminded, at most once in ``repeat_days``."""
    if (today - last_activity).days < idle_days:
        return False
    return last_reminder is None or (today - last_reminder).days >= repeat_days


OVERDUE_WINDOW_DAYS = 7  # an overdue notice missed on its day (scheduler down) still goes out


def due_reminder(due_on: date, today: date, completed: bool, *, soon_days: int) -> str | None:
    """ "due_soon" from ``soon_days`` before the due date to the day itself, "overdue" in the
    first days after it, else None; nothing once the module is completed. Sent once each per
    due date, so a day the scheduler was down loses nothing and nobody gets one every day."""
    if completed:
        return None
    left = (due_on - today).days
    if 0 <= left <= soon_days:
        return "due_soon"
    if -OVERDUE_WINDOW_DAYS <= left <= -1:
        return "overdue"
    return None


def reassessment_due(
    completed_at: datetime, now: datetime, interval_days: int, *, open_attempt: bool
) -> bool:
    """The latest self-assessment may be repeated (as assessments.services.next_allowed says),
    and the person has not started a new one."""
    return not open_attempt and now >= completed_at + timedelta(days=interval_days)


def certificate_threshold(
    valid_until: date, today: date, thresholds: tuple[int, ...]
) -> int | None:
    """The notice a certificate is due for: the smallest threshold (days before it expires) it
    has reached, e.g. 30 for 29 days left with (60, 30, 7); None before the first and once it
    has expired."""
    left = (valid_until - today).days
    if left < 0:
        return None
    reached = [t for t in thresholds if left <= t]
    return min(reached) if reached else None


def parse_thresholds(raw) -> tuple[int, ...]:
    """ "60,30,7" (or a sequence of numbers) → (60, 30, 7); anything unreadable is left out."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw or ())
    found = set()
    for part in parts:
        text = str(part).strip()
        if text.isascii() and text.isdecimal():
            found.add(int(text))
    return tuple(sorted(found, reverse=True))


def digest_sections(
    *, is_head: bool, has_department: bool, is_champion: bool, waiting: int, unconfirmed: int
) -> list[str]:
    """What a person's weekly digest holds: "department" for a department head with a
    department, "champion" for a champion with hand-ins or sessions waiting. Empty: no digest."""
    sections = []
    if is_head and has_department:
        sections.append("department")
    if is_champion and (waiting or unconfirmed):
        sections.append("champion")
    return sections
