"""Mentoring rules as pure functions: who may review whom, and what a logged session must be."""

from dataclasses import dataclass
from datetime import date, timedelta

FEEDBACK_MAX_CHARS = 5000
SESSION_MINUTES = (5, 480)  # a session is at least 5 minutes and at most a working day
SESSION_MAX_AGE = timedelta(days=90)  # sessions are logged while they are remembered
TOPIC_MAX_CHARS = 200


def may_review(
    *,
    reviewer_id: int,
    reviewer_is_champion: bool,
    reviewer_active: bool,
    reviewer_departments: set[int],
    learner_id: int,
    learner_department: int | None,
    learner_active: bool = True,
) -> bool:
    """An active champion reviews the tasks of the departments they look after — never their own,
    and not those of people who have left."""
    return (
        reviewer_is_champion
        and reviewer_active
        and learner_active
        and reviewer_id != learner_id
        and learner_department is not None
        and learner_department in reviewer_departments
    )


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
