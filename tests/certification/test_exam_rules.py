"""The exam's pure rules, table-driven: the draw, the score, the deadline, attempts and cooldown."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from lernpfad.certification.exam import rules

DIMENSIONS = ["grundlagen", "werkzeuge", "qualitaet", "recht", "prozesse", "strategie", "wandel"]
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
MIN = timedelta(minutes=1)
WEEK = timedelta(days=7)


def pool(per_dimension: dict[str, int]) -> list[dict]:
    return [
        {"id": f"{dimension}-{n}", "dimension": dimension}
        for dimension, count in per_dimension.items()
        for n in range(count)
    ]


FULL = pool(dict.fromkeys(DIMENSIONS, 6))  # the shipped pool: 42 questions, 6 per dimension
DIMENSION_OF = {q["id"]: q["dimension"] for q in pool(dict.fromkeys(DIMENSIONS, 9))}


def spread(ids: list[str]) -> list[int]:
    return sorted(Counter(DIMENSION_OF[i] for i in ids).values())


@pytest.mark.parametrize(
    ("per_dimension", "n", "counts"),
    [
        (dict.fromkeys(DIMENSIONS, 6), 20, [2, 3, 3, 3, 3, 3, 3]),  # ⌊20/7⌋ or ⌈20/7⌉ each
        (dict.fromkeys(DIMENSIONS, 6), 7, [1] * 7),
        (dict.fromkeys(DIMENSIONS, 6), 14, [2] * 7),
        (dict.fromkeys(DIMENSIONS, 6), 3, [1, 1, 1]),
        (dict.fromkeys(DIMENSIONS, 6), 42, [6] * 7),
        (dict.fromkeys(DIMENSIONS, 6), 50, [6] * 7),  # more than the pool: the whole pool
        ({**dict.fromkeys(DIMENSIONS, 6), "recht": 1}, 20, [1, 3, 3, 3, 3, 3, 4]),  # recht runs dry
        ({"recht": 1}, 20, [1]),  # the test content's single question
        ({}, 20, []),
    ],
)
def test_draw_spreads_over_the_dimensions(per_dimension, n, counts):
    for seed in ("a", "b", "c", "12:7"):
        drawn = rules.draw(pool(per_dimension), n, seed)
        assert len(drawn) == len(set(drawn)) == sum(counts)
        assert spread(drawn) == counts


def test_draw_is_deterministic_per_seed_and_differs_between_seeds():
    assert rules.draw(FULL, 20, "seed-1") == rules.draw(FULL, 20, "seed-1")
    draws = {tuple(rules.draw(FULL, 20, f"seed-{n}")) for n in range(20)}
    assert len(draws) == 20  # also the order
    assert len({frozenset(d) for d in draws}) == 20  # and the questions themselves


def test_which_dimension_gets_one_question_less_is_random():
    short = Counter()
    for n in range(200):
        drawn = Counter(DIMENSION_OF[i] for i in rules.draw(FULL, 20, f"s{n}"))
        short.update(d for d in DIMENSIONS if drawn[d] == 2)
    assert set(short) == set(DIMENSIONS)


def test_a_retake_draws_fresh_questions_where_the_pool_allows():
    first = rules.draw(FULL, 20, "first")
    second = rules.draw(FULL, 20, "second", avoid=set(first))
    assert not set(first) & set(second)  # 6 per dimension, 3 drawn: room for a fresh three
    assert spread(second) == [2, 3, 3, 3, 3, 3, 3]
    third = rules.draw(FULL, 20, "third", avoid=set(second))
    assert len(set(third)) == 20 and not set(third) & set(second)


def test_a_duplicate_id_in_the_pool_is_drawn_once():
    assert rules.draw([{"id": "x", "dimension": "recht"}] * 3, 5, "s") == ["x"]


@pytest.mark.parametrize(
    ("chosen", "correct", "right"),
    [
        ([1], [1], True),
        ([0], [1], False),
        ([], [1], False),
        ([0, 2], [0, 2], True),
        ([2, 0], [0, 2], True),
        ([0], [0, 2], False),  # several right: all must be chosen
        ([0, 1, 2], [0, 2], False),
    ],
)
def test_is_right(chosen, correct, right):
    assert rules.is_right(chosen, correct) is right


@pytest.mark.parametrize(
    ("correct", "total", "pass_percent", "percent", "passes"),
    [
        (16, 20, 80, 80, True),
        (15, 20, 80, 75, False),
        (20, 20, 80, 100, True),
        (0, 20, 80, 0, False),
        (7, 9, 80, 77, False),  # 77.8 %: rounded down, and below the mark
        (8, 10, 80, 80, True),
        (1, 1, 80, 100, True),
        (0, 0, 80, 0, False),
        (10, 20, 50, 50, True),
    ],
)
def test_score_and_pass_mark(correct, total, pass_percent, percent, passes):
    assert rules.percent(correct, total) == percent
    assert rules.reaches_pass_mark(correct, total, pass_percent) is passes


@pytest.mark.parametrize(
    ("handed_in_at", "in_time"),
    [
        (T0 - MIN, True),
        (T0, True),
        (T0 + timedelta(seconds=30), True),  # the network allowance
        (T0 + timedelta(seconds=31), False),
        (T0 + DAY, False),
    ],
)
def test_in_time_against_the_deadline_t0(handed_in_at, in_time):
    assert rules.in_time(handed_in_at, T0) is in_time


@pytest.mark.parametrize(
    ("submitted_at", "end"),
    [
        (None, T0),  # left open: ended when the time ran out
        (T0 - 10 * MIN, T0 - 10 * MIN),
        (T0 + DAY, T0),  # handed in late: ended at the deadline
    ],
)
def test_attempt_end(submitted_at, end):
    assert rules.attempt_end(T0, submitted_at) == end


# (ends of finished failed attempts, now, allowed, cooldown) → (counted in the block, wait)
@pytest.mark.parametrize(
    ("attempts", "now", "allowed", "cooldown", "used", "wait"),
    [
        ([], T0, 3, WEEK, 0, timedelta(0)),
        ([T0], T0 + MIN, 3, WEEK, 1, timedelta(0)),
        ([T0, T0 + MIN], T0 + 2 * MIN, 3, WEEK, 2, timedelta(0)),
        # the third failed attempt: a week from the last one
        ([T0, T0 + MIN, T0 + 2 * MIN], T0 + 3 * MIN, 3, WEEK, 3, WEEK - MIN),
        ([T0, T0 + MIN, T0 + 2 * MIN], T0 + 2 * MIN + WEEK - MIN, 3, WEEK, 3, MIN),
        # the cooldown is over: a new block of three
        ([T0, T0 + MIN, T0 + 2 * MIN], T0 + 2 * MIN + WEEK, 3, WEEK, 0, timedelta(0)),
        ([T0, T0 + DAY, T0 + 2 * DAY, T0 + 10 * DAY], T0 + 11 * DAY, 3, WEEK, 1, timedelta(0)),
        (
            [T0, T0 + DAY, T0 + 2 * DAY, T0 + 10 * DAY, T0 + 11 * DAY, T0 + 12 * DAY],
            T0 + 13 * DAY,
            3,
            WEEK,
            3,
            6 * DAY,
        ),
        # attempts spread over weeks still fill one block (the cooldown follows the third)
        ([T0, T0 + 20 * DAY, T0 + 40 * DAY], T0 + 41 * DAY, 3, WEEK, 3, 6 * DAY),
        # given in any order
        ([T0 + 2 * MIN, T0, T0 + MIN], T0 + 3 * MIN, 3, WEEK, 3, WEEK - MIN),
        # other numbers from champion.yaml
        ([T0], T0 + MIN, 1, DAY, 1, DAY - MIN),
        ([T0, T0 + MIN], T0 + 2 * MIN, 2, timedelta(0), 0, timedelta(0)),  # no cooldown
        ([T0, T0 + MIN], T0 + 2 * MIN, 5, WEEK, 2, timedelta(0)),
        # more in a block than allowed (the number was lowered): wait after the last
        ([T0, T0 + MIN, T0 + 2 * MIN], T0 + 3 * MIN, 2, WEEK, 3, WEEK - MIN),
    ],
)
def test_attempts_and_cooldown(attempts, now, allowed, cooldown, used, wait):
    assert len(rules.current_block(attempts, now, allowed, cooldown)) == used
    assert rules.exam_wait(attempts, now, allowed, cooldown) == wait
