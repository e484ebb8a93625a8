"""The progress state machine and quiz scoring, table-driven."""

from datetime import UTC, datetime, timedelta

import pytest

from lernpfad.modules import rules
from lernpfad.modules.rules import (
    ACCEPT,
    COMPLETED,
    IN_PROGRESS,
    OPEN,
    PASS_QUIZ,
    RETURN,
    RETURNED,
    START,
    SUBMIT,
    SUBMITTED,
    InvalidTransition,
    Progress,
    apply,
    percent_complete,
    percent_of_points,
    score_quiz,
)


def run(events, review=True):
    progress = Progress()
    for event in events:
        progress = apply(progress, event, review_required=review)
    return progress


@pytest.mark.parametrize(
    ("events", "review", "state", "quiz", "task"),
    [
        ([], True, OPEN, False, False),
        ([START], True, IN_PROGRESS, False, False),
        ([START, START], True, IN_PROGRESS, False, False),
        ([PASS_QUIZ], True, IN_PROGRESS, True, False),
        ([START, SUBMIT], True, SUBMITTED, False, False),
        ([START, PASS_QUIZ, SUBMIT], True, SUBMITTED, True, False),
        ([START, PASS_QUIZ, SUBMIT, ACCEPT], True, COMPLETED, True, True),
        ([START, SUBMIT, ACCEPT], True, IN_PROGRESS, False, True),  # quiz still missing
        ([START, SUBMIT, ACCEPT, PASS_QUIZ], True, COMPLETED, True, True),
        ([START, SUBMIT, RETURN], True, RETURNED, False, False),
        ([START, SUBMIT, RETURN, SUBMIT], True, SUBMITTED, False, False),  # resubmission
        ([START, SUBMIT, RETURN, PASS_QUIZ], True, RETURNED, True, False),
        ([START, SUBMIT], False, IN_PROGRESS, False, True),  # no review: own confirmation
        ([START, PASS_QUIZ, SUBMIT], False, COMPLETED, True, True),
        ([START, SUBMIT, PASS_QUIZ], False, COMPLETED, True, True),
        (
            [START, PASS_QUIZ, SUBMIT, ACCEPT, PASS_QUIZ],
            True,
            COMPLETED,
            True,
            True,
        ),  # retaking a passed quiz
    ],
)
def test_transitions(events, review, state, quiz, task):
    assert run(events, review) == Progress(state, quiz, task)


@pytest.mark.parametrize(
    ("events", "bad", "review"),
    [
        ([START, SUBMIT], SUBMIT, True),  # already submitted
        ([START, PASS_QUIZ, SUBMIT, ACCEPT], SUBMIT, True),  # already complete
        ([START, SUBMIT], SUBMIT, False),  # already confirmed
        ([START], ACCEPT, True),  # nothing to accept
        ([START], RETURN, True),
        ([START, SUBMIT, RETURN], ACCEPT, True),
        ([], "fly", True),
    ],
)
def test_invalid_transitions(events, bad, review):
    with pytest.raises(InvalidTransition):
        apply(run(events, review), bad, review_required=review)


QUIZ = [
    {"correct": [0]},
    {"correct": [1]},
    {"correct": [0, 2]},
    {"correct": [3]},
    {"correct": [2]},
]


@pytest.mark.parametrize(
    ("answers", "pass_percent", "correct", "passed"),
    [
        ({0: [0], 1: [1], 2: [0, 2], 3: [3], 4: [2]}, 80, 5, True),
        ({0: [0], 1: [1], 2: [0, 2], 3: [3], 4: [1]}, 80, 4, True),  # 80 % exactly passes
        ({0: [0], 1: [1], 2: [0], 3: [3], 4: [1]}, 80, 3, False),  # half a multi-answer is wrong
        (
            {0: [0], 1: [1], 2: [2, 0], 3: [3]},
            80,
            4,
            True,
        ),  # order does not matter; missing = wrong
        ({}, 80, 0, False),
        ({0: [0], 1: [1], 2: [0, 2], 3: [3], 4: [1]}, 100, 4, False),  # configurable pass mark
        ({0: [0, 1], 1: [1], 2: [0, 2, 1], 3: [3], 4: [2]}, 60, 3, True),  # extra options are wrong
    ],
)
def test_quiz_scoring(answers, pass_percent, correct, passed):
    score = score_quiz(QUIZ, answers, pass_percent)
    assert (score.correct, score.total, score.passed) == (correct, 5, passed)
    assert score.percent == correct * 20


def test_empty_quiz_never_passes():
    assert not score_quiz([], {}, 80).passed


@pytest.mark.parametrize(
    ("states", "percent"),
    [
        ([], 0),
        ([COMPLETED], 100),
        ([COMPLETED, OPEN], 50),
        ([COMPLETED, SUBMITTED, OPEN], 33),
        ([OPEN] * 3, 0),
    ],
)
def test_percent_complete(states, percent):
    assert percent_complete(states) == percent


@pytest.mark.parametrize(
    ("progresses", "percent"),
    [
        ([], 0),
        ([None, None], 0),
        ([Progress(IN_PROGRESS, True, False), None], 25),  # quiz passed: half a module
        ([Progress(SUBMITTED, False, False), None], 12),  # handed in, waiting for review: half
        ([Progress(SUBMITTED, True, False), None], 38),
        ([Progress(SUBMITTED, True, False)], 75),
        ([Progress(COMPLETED, True, True), None], 50),
        (
            [Progress(RETURNED, True, False), Progress(COMPLETED, True, True)],
            75,
        ),  # returned: task not counted
        ([Progress(COMPLETED, True, True)] * 3, 100),
    ],
)
def test_progress_bar_counts_quiz_and_task(progresses, percent):
    assert percent_of_points(progresses) == percent


QUIZ_START = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def _attempts(*spec):
    """(minutes after the start, passed) → (time, passed)."""
    return [(QUIZ_START + timedelta(minutes=m), passed) for m, passed in spec]


@pytest.mark.parametrize(
    ("attempts", "now_minutes", "wait_minutes"),
    [
        ((), 0, 0),
        (((0, False), (1, False)), 2, 0),  # two failures: go on
        (((0, False), (1, False), (2, False)), 2, 10),  # the third: ten minutes after it
        (((0, False), (1, False), (2, False)), 7, 5),
        (((0, False), (1, False), (2, False)), 12, 0),  # pause over
        (((0, False), (1, False), (2, False), (12, False)), 13, 0),  # a fresh count after it
        (((0, False), (1, False), (2, False), (12, False), (13, False), (14, False)), 15, 9),
        (((0, False), (1, False), (2, True), (3, False)), 4, 0),  # a pass resets
        (((0, False), (30, False), (60, False)), 61, 0),  # slow, thoughtful attempts: no pause
        (((0, False), (1, False), (2, False)), 0, 12),  # measured from the last attempt
    ],
)
def test_quiz_wait(attempts, now_minutes, wait_minutes):
    wait = rules.quiz_wait(
        _attempts(*attempts),
        QUIZ_START + timedelta(minutes=now_minutes),
        limit=3,
        pause=timedelta(minutes=10),
    )
    assert wait == timedelta(minutes=wait_minutes)
