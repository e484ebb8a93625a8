"""The exam's rules as pure functions: which questions an attempt draws, whether a hand-in came in
time, the score, and how long a person waits after a block of failed attempts."""

import hashlib
import random
from datetime import datetime, timedelta

# Network allowance after the deadline: a hand-in the browser sent at the last second (or the
# countdown's automatic one) still counts. Beyond it the attempt is failed, whatever it holds.
SUBMIT_GRACE = timedelta(seconds=30)


def _rng(seed: str) -> random.Random:
    digest = hashlib.sha256(str(seed).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def draw(
    pool_questions: list[dict], n: int, seed: str, avoid: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    """The ids of ``n`` questions for one attempt (fewer if the pool is smaller), spread over all
    dimensions: round-robin over the dimensions in a seeded random order, so each gets ⌊n/d⌋ or
    ⌈n/d⌉ while it has questions left. Within a dimension questions in ``avoid`` (the previous
    attempt's) come last, so a retake sees fresh questions where the pool allows. The same seed
    draws the same questions in the same order."""
    rng = _rng(seed)
    by_dimension: dict[str, list[str]] = {}
    for question in pool_questions:
        ids = by_dimension.setdefault(question["dimension"], [])
        if question["id"] not in ids:
            ids.append(question["id"])
    dimensions = sorted(by_dimension)
    rng.shuffle(dimensions)
    queues = []
    for dimension in dimensions:
        fresh = [q for q in by_dimension[dimension] if q not in avoid]
        seen = [q for q in by_dimension[dimension] if q in avoid]
        rng.shuffle(fresh)
        rng.shuffle(seen)
        queues.append(fresh + seen)
    drawn: list[str] = []
    while len(drawn) < n and any(queues):
        for queue in queues:
            if queue and len(drawn) < n:
                drawn.append(queue.pop(0))
    rng.shuffle(drawn)  # the order of the exam does not follow the dimensions
    return drawn


def is_right(chosen: list[int], correct: list[int]) -> bool:
    """Right when exactly the right options are chosen (several right ones: all of them)."""
    return bool(chosen) and set(chosen) == set(correct)


def percent(correct: int, total: int) -> int:
    """Rounded down, so 79.5 % never shows as 80 % beside „nicht bestanden“."""
    return correct * 100 // total if total else 0


def reaches_pass_mark(correct: int, total: int, pass_percent: int) -> bool:
    return total > 0 and correct * 100 >= pass_percent * total


def in_time(handed_in_at: datetime, deadline: datetime, grace: timedelta = SUBMIT_GRACE) -> bool:
    return handed_in_at <= deadline + grace


def attempt_end(deadline: datetime, submitted_at: datetime | None) -> datetime:
    """When an attempt counts as taken: its hand-in, at the latest its deadline (an attempt left
    open, or handed in late, ended when its time ran out)."""
    return deadline if submitted_at is None else min(submitted_at, deadline)


def current_block(
    attempts: list[datetime], now: datetime, allowed: int, cooldown: timedelta
) -> list[datetime]:
    """The finished attempts (their ends) that count towards the current block of ``allowed``.
    A full block is followed by ``cooldown`` after its last attempt; then a new block starts."""
    block: list[datetime] = []
    for at in sorted(attempts):
        if len(block) >= allowed and at >= block[-1] + cooldown:
            block = []
        block.append(at)
    if len(block) >= allowed and now >= block[-1] + cooldown:
        return []
    return block


def exam_wait(
    attempts: list[datetime], now: datetime, allowed: int, cooldown: timedelta
) -> timedelta:
    """How long a person waits before the next attempt (zero: now). ``attempts`` are the ends of
    their finished, failed attempts; after ``allowed`` of them the next waits ``cooldown`` after
    the last one, and then ``allowed`` new attempts follow."""
    block = current_block(attempts, now, allowed, cooldown)
    if len(block) < allowed:
        return timedelta(0)
    return max(block[-1] + cooldown - now, timedelta(0))
