"""Who gets which reminder, invitation or digest when: the pure rules of jobs/rules.py."""

from datetime import UTC, date, datetime, timedelta

import pytest

from lernpfad.jobs import rules

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "reminders", "digest", "wanted"),
    [
        ("inactivity", True, True, True),
        ("inactivity", False, True, False),
        ("due_soon", False, True, False),
        ("reassessment", False, True, False),
        ("digest", True, False, False),
        ("digest", False, True, True),
        ("overdue", False, False, True),  # mandatory: the department head set the date
        ("certificate_expiring", False, False, True),  # mandatory: a formal record
        ("reviewed", False, False, True),
        ("returned", False, False, True),
    ],
)
def test_wanted(kind, reminders, digest, wanted):
    assert rules.wanted(kind, reminders=reminders, digest=digest) is wanted


@pytest.mark.parametrize(
    ("steps", "open_count"),
    [
        ([], 0),
        ([(True, None), (True, "in Bearbeitung"), (True, "abgeschlossen")], 2),
        ([(False, None), (True, "zurückgegeben")], 1),  # optional / mastered steps don't count
        ([(True, "abgeschlossen")], 0),
    ],
)
def test_open_required(steps, open_count):
    assert rules.open_required(steps) == open_count


@pytest.mark.parametrize(
    ("idle_days", "reminded_days_ago", "due"),
    [
        (13, None, False),  # not idle long enough
        (14, None, True),
        (40, None, True),
        (20, 6, False),  # reminded six days ago: at most one a week
        (20, 7, True),
        (20, 0, False),  # reminded today already (a second run)
    ],
)
def test_inactivity_due(idle_days, reminded_days_ago, due):
    last_reminder = None if reminded_days_ago is None else TODAY - timedelta(days=reminded_days_ago)
    assert (
        rules.inactivity_due(
            TODAY - timedelta(days=idle_days),
            last_reminder,
            TODAY,
            idle_days=14,
            repeat_days=7,
        )
        is due
    )


@pytest.mark.parametrize(
    ("days_left", "completed", "kind"),
    [
        (4, False, None),
        (3, False, "due_soon"),  # three days before
        (1, False, "due_soon"),  # the day before, if the reminder was missed (same key: once)
        (0, False, "due_soon"),
        (-1, False, "overdue"),  # the first day overdue
        (-7, False, "overdue"),  # a missed day is caught up within a week (same key: once)
        (-8, False, None),  # long overdue: not nagged
        (3, True, None),
        (-1, True, None),
    ],
)
def test_due_reminder(days_left, completed, kind):
    due_on = TODAY + timedelta(days=days_left)
    assert rules.due_reminder(due_on, TODAY, completed, soon_days=3) == kind


@pytest.mark.parametrize(
    ("age", "open_attempt", "due"),
    [
        (timedelta(days=179, hours=23), False, False),
        (timedelta(days=180), False, True),
        (timedelta(days=400), False, True),
        (timedelta(days=400), True, False),  # a new one is under way
    ],
)
def test_reassessment_due(age, open_attempt, due):
    assert rules.reassessment_due(NOW - age, NOW, 180, open_attempt=open_attempt) is due


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [
        (61, None),
        (60, 60),
        (45, 60),
        (30, 30),
        (29, 30),
        (8, 30),
        (7, 7),
        (0, 7),  # the last day
        (-1, None),  # expired
    ],
)
def test_certificate_threshold(days_left, threshold):
    valid_until = TODAY + timedelta(days=days_left)
    assert rules.certificate_threshold(valid_until, TODAY, (60, 30, 7)) == threshold


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("60,30,7", (60, 30, 7)),
        (" 7, 30 ,60,", (60, 30, 7)),
        ("30,x,²,-5", (30,)),
        ("", ()),
        ((14, 90), (90, 14)),
    ],
)
def test_parse_thresholds(raw, parsed):
    assert rules.parse_thresholds(raw) == parsed


@pytest.mark.parametrize(
    ("head", "department", "champion", "waiting", "unconfirmed", "sections"),
    [
        (True, True, False, 0, 0, ["department"]),
        (True, False, False, 0, 0, []),  # a head without a department has nothing to read
        (False, True, True, 0, 0, []),  # nothing waits for the champion: no mail
        (False, True, True, 2, 0, ["champion"]),
        (False, True, True, 0, 1, ["champion"]),
        (True, True, True, 1, 1, ["department", "champion"]),
        (False, True, False, 5, 5, []),
    ],
)
def test_digest_sections(head, department, champion, waiting, unconfirmed, sections):
    assert (
        rules.digest_sections(
            is_head=head,
            has_department=department,
            is_champion=champion,
            waiting=waiting,
            unconfirmed=unconfirmed,
        )
        == sections
    )
