"""Progress and quiz rules as pure functions.

A module's progress is offen → in Bearbeitung → eingereicht → abgeschlossen, or zurückgegeben
with feedback. It is complete when the quiz is passed and the practical task accepted — by a
champion's review where the task requires one, else by the learner's own confirmation.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

OPEN = "offen"
IN_PROGRESS = "in_bearbeitung"
SUBMITTED = "eingereicht"
RETURNED = "zurueckgegeben"
COMPLETED = "abgeschlossen"
STATES = (OPEN, IN_PROGRESS, SUBMITTED, RETURNED, COMPLETED)

# Events
START = "start"
PASS_QUIZ = "pass_quiz"
SUBMIT = "submit"
ACCEPT = "accept"
RETURN = "return"
TEST_OUT = "test_out"  # a mastered module's quiz passed at the first try: done, quiz as evidence


class InvalidTransition(ValueError):
    pass


@dataclass(frozen=True)
class Progress:
    state: str = OPEN
    quiz_passed: bool = False
    task_accepted: bool = False


def _settle(progress: Progress) -> Progress:
    """Complete once both halves are done; else at least in progress."""
    if progress.quiz_passed and progress.task_accepted:
        return replace(progress, state=COMPLETED)
    if progress.state in (OPEN, COMPLETED):
        return replace(progress, state=IN_PROGRESS)
    return progress


def apply(progress: Progress, event: str, *, review_required: bool = True) -> Progress:
    """The progress after ``event``; raises InvalidTransition where the event is not allowed."""
    if event == START:
        return progress if progress.state != OPEN else replace(progress, state=IN_PROGRESS)
    if event == PASS_QUIZ:
        return _settle(replace(progress, quiz_passed=True))
    if event == SUBMIT:
        if progress.state in (SUBMITTED, COMPLETED) or progress.task_accepted:
            raise InvalidTransition(f"cannot submit in state {progress.state}")
        if review_required:
            return replace(progress, state=SUBMITTED)
        return _settle(replace(progress, task_accepted=True, state=IN_PROGRESS))
    if event == ACCEPT:
        if progress.state != SUBMITTED:
            raise InvalidTransition(f"cannot accept in state {progress.state}")
        return _settle(replace(progress, task_accepted=True, state=IN_PROGRESS))
    if event == RETURN:
        if progress.state != SUBMITTED:
            raise InvalidTransition(f"cannot return in state {progress.state}")
        return replace(progress, state=RETURNED)
    if event == TEST_OUT:
        if progress.state not in (OPEN, IN_PROGRESS):
            raise InvalidTransition(f"cannot test out in state {progress.state}")
        return replace(progress, state=COMPLETED, quiz_passed=True)
    raise InvalidTransition(f"unknown event {event}")


@dataclass(frozen=True)
class QuizScore:
    correct: int
    total: int
    percent: int
    passed: bool
    per_question: tuple[bool, ...]


def score_quiz(quiz: list[dict], answers: dict[int, list[int]], pass_percent: int) -> QuizScore:
    """Score a quiz: a question is right when exactly its right options are chosen."""
    results = tuple(
        sorted(set(answers.get(i, []))) == sorted(set(q["correct"])) for i, q in enumerate(quiz)
    )
    correct = sum(results)
    total = len(quiz)
    percent = (100 * correct) // total if total else 0
    # Compare exactly: 4 of 5 is 80 % and passes a pass mark of 80.
    passed = total > 0 and correct * 100 >= pass_percent * total
    return QuizScore(correct, total, percent, passed, results)


def progress_points(progress: Progress | None) -> float:
    """A module counts two points on the progress bar: one for the quiz passed, one for the task
    accepted; a task handed in and waiting for review counts half."""
    if progress is None:
        return 0
    if progress.task_accepted:
        task = 1.0
    elif progress.state == SUBMITTED:
        task = 0.5
    else:
        task = 0.0
    return int(progress.quiz_passed) + task


def percent_of_points(progresses: list[Progress | None]) -> int:
    """The progress bar: points reached of two per module, in whole percent."""
    if not progresses:
        return 0
    return round(100 * sum(map(progress_points, progresses)) / (2 * len(progresses)))


def percent_complete(states: list[str]) -> int:
    """Share of completed modules among ``states``, in whole percent (0 for an empty list)."""
    if not states:
        return 0
    return round(100 * sum(state == COMPLETED for state in states) / len(states))


def tests_out(*, mastered: bool, mandatory: bool, earlier_attempts: int, passed: bool) -> bool:
    """Test-out: a module whose level the person already reaches ("bereits beherrscht") is
    completed by its quiz alone — passed at the first try. Mandatory modules never are."""
    return mastered and not mandatory and earlier_attempts == 0 and passed


def quiz_wait(
    attempts: list[tuple[datetime, bool]], now: datetime, *, limit: int, pause: timedelta
) -> timedelta:
    """How long a person waits before the next quiz attempt (zero: now).

    ``attempts`` are (time, passed) of this person's attempts at this module, oldest first. After
    ``limit`` failed attempts in a row the next one waits ``pause`` after the last; a pass, or a
    gap of ``pause`` between two attempts, starts the count afresh. So nobody guesses their way
    through an evidence-relevant quiz at machine speed, and a learner who reads again is not held."""
    streak, last = 0, None
    for at, passed in attempts:
        if passed or (last is not None and at - last >= pause):
            streak = 0
        if not passed:
            streak += 1
        last = at
    if streak < limit or last is None:
        return timedelta(0)
    return max(last + pause - now, timedelta(0))


MAX_DUE_DAYS = 730  # a due date at most two years ahead


def due_date_problem(due_on, today) -> str | None:
    """Why a due date cannot be used ("past" | "too_far"), or None."""
    if due_on < today:
        return "past"
    if (due_on - today).days > MAX_DUE_DAYS:
        return "too_far"
    return None


# The status of one person's assignment, as the department head sees it.
ASSIGNMENT_DONE = "erledigt"
ASSIGNMENT_OPEN = "offen"
ASSIGNMENT_OVERDUE = "ueberfaellig"


def assignment_status(progress_state: str | None, due_on: date, today: date) -> str:
    """Done once the module is complete (whenever that was); else overdue after the due date
    (in the company's time zone: ``today`` is local), else open. ``progress_state`` is None
    for a person who has not opened the module."""
    if progress_state == COMPLETED:
        return ASSIGNMENT_DONE
    if due_on < today:
        return ASSIGNMENT_OVERDUE
    return ASSIGNMENT_OPEN
