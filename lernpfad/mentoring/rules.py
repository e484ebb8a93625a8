"""Mentoring rules as pure functions: whom a champion looks after (and so reviews and mentors),
and what a logged session must be."""

from dataclasses import dataclass
from datetime import date, timedelta

FEEDBACK_MAX_CHARS = 5000
SESSION_MINUTES = (5, 480)  # a session is at least 5 minutes and at most a working day
SESSION_MAX_AGE = timedelta(days=90)  # sessions are logged while they are remembered
TOPIC_MAX_CHARS = 200
PROFILE_MAX_CHARS = 200  # office hours and contact note: one line each


def looks_after(
    *,
    champion_id: int,
    is_champion: bool,
    champion_active: bool,
    departments: set[int],
    mentees: set[int],
    person_id: int,
    person_department: int | None,
    person_active: bool = True,
) -> bool:
    """An active champion looks after the active people of the departments they look after (their
    own and those HR assigned) and the individual mentees HR assigned them — never themselves.
    Whom a champion looks after is whose hand-ins they review and with whom they log sessions;
    people who have left are nobody's any more."""
    if not (is_champion and champion_active and person_active) or champion_id == person_id:
        return False
    return person_id in mentees or (
        person_department is not None and person_department in departments
    )


def mentee_problem(
    *,
    champion_id: int,
    is_champion: bool,
    champion_active: bool,
    mentee_id: int,
    mentee_active: bool,
    current_champion_id: int | None,
) -> str | None:
    """Why HR cannot ask this champion to look after this person individually (a key), or None.

    A person has at most one individual champion: their named contact, also when the champion
    looks after the person's department anyway (the assignment outlasts department changes)."""
    if not (is_champion and champion_active):
        return "not_champion"
    if mentee_id == champion_id:
        return "self"
    if not mentee_active:
        return "inactive"
    if current_champion_id == champion_id:
        return "already"
    if current_champion_id is not None:
        return "taken"
    return None


def session_problems(held_on: date, today: date, minutes: int, topic: str) -> list[str]:
    """Reasons (keys) why a mentoring session cannot be logged; empty when it can."""
    problems = []
    if held_on > today:
        problems.append("future")
    elif today - held_on > SESSION_MAX_AGE:
        problems.append("too_old")
    if not SESSION_MINUTES[0] <= minutes <= SESSION_MINUTES[1]:
        problems.append("minutes")
    if not topic.strip():
        problems.append("topic_missing")
    elif len(topic.strip()) > TOPIC_MAX_CHARS:
        problems.append("topic_too_long")
    return problems


@dataclass(frozen=True)
class MentoringTally:
    confirmed: int
    distinct_mentees: int
    waiting: int
    confirmed_minutes: int


def tally(sessions: list[tuple[int, str, int]]) -> MentoringTally:
    """Count (mentee id, status, minutes) triples: confirmed sessions, the different mentees among
    them, sessions waiting for the mentee's confirmation, and the confirmed minutes."""
    confirmed = [(mentee, minutes) for mentee, status, minutes in sessions if status == "confirmed"]
    return MentoringTally(
        confirmed=len(confirmed),
        distinct_mentees=len({mentee for mentee, _minutes in confirmed}),
        waiting=sum(1 for _mentee, status, _minutes in sessions if status == "waiting"),
        confirmed_minutes=sum(minutes for _mentee, minutes in confirmed),
    )
