"""The final exam: who may take it, starting (or resuming) an attempt, handing it in once, the
result and the status for the certification checklist. Plain arguments in; callers commit."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from lernpfad.auth.models import Person
from lernpfad.certification.exam import rules
from lernpfad.certification.models import ExamAttempt
from lernpfad.certification.services import (
    DEFAULT_REQUIREMENTS,
    is_candidate,
    lock_person,
    requirements,
)
from lernpfad.content.render import option_order
from lernpfad.content.services import current_document, document_version
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.forms import small_int

# Sent by the countdown when the time is up: unanswered questions then count as wrong instead of
# holding the hand-in back (a person may also choose to hand in early that way).
TIME_UP_FIELD = "zeit_um"


@dataclass(frozen=True)
class ExamSettings:
    questions: int
    pass_percent: int
    minutes: int
    attempts: int
    cooldown_days: int

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.minutes)

    @property
    def cooldown(self) -> timedelta:
        return timedelta(days=self.cooldown_days)


def exam_settings() -> ExamSettings:
    """The exam's numbers from content/certification/champion.yaml (requirements.exam)."""
    defaults = DEFAULT_REQUIREMENTS["requirements"]["exam"]
    configured = requirements().get("requirements", {}).get("exam") or {}
    return ExamSettings(**{key: int(configured.get(key, value)) for key, value in defaults.items()})


@dataclass(frozen=True)
class ExamStatus:
    passed: bool  # a submitted, not late attempt reached the pass mark
    best_percent: int | None  # best score of submitted attempts (in time), None if none
    attempts_used: int  # attempts counted towards the current block (max `attempts`)
    attempts_left: int
    next_attempt_at: datetime | None  # None: may start now (or already passed)
    open_attempt_id: int | None


def is_open(attempt: ExamAttempt, now: datetime) -> bool:
    """Not handed in and its time not yet up: it can be resumed."""
    return attempt.submitted_at is None and now < attempt.deadline


def takes_hand_in(attempt: ExamAttempt, now: datetime) -> bool:
    """Not handed in and still within its time (plus the network allowance)."""
    return attempt.submitted_at is None and rules.in_time(now, attempt.deadline)


def result_visible(attempt: ExamAttempt, now: datetime) -> bool:
    """The right answers are shown once no hand-in can count any more: not while a late click in
    the network allowance could still use them."""
    return not takes_hand_in(attempt, now)


def attempt_state(attempt: ExamAttempt, now: datetime) -> str:
    """ "running", "handed_in", "late" (handed in after the time: failed) or "expired" (the time
    ran out without a hand-in: failed)."""
    if attempt.submitted_at is not None:
        return "late" if attempt.late else "handed_in"
    return "running" if now < attempt.deadline else "expired"


def attempts_of(person: Person) -> list[ExamAttempt]:
    """The person's attempts, oldest first."""
    return list(
        db.session.scalars(
            sa.select(ExamAttempt)
            .where(ExamAttempt.person_id == person.id)
            .order_by(ExamAttempt.started_at, ExamAttempt.id)
        )
    )


def attempt_of(person: Person, attempt_id: int) -> ExamAttempt | None:
    """One of the person's own attempts; someone else's is None, as if it did not exist."""
    return db.session.scalar(
        sa.select(ExamAttempt).where(
            ExamAttempt.id == attempt_id, ExamAttempt.person_id == person.id
        )
    )


def _status(attempts: list[ExamAttempt], now: datetime, settings: ExamSettings) -> ExamStatus:
    in_time = [a for a in attempts if a.submitted_at is not None and not a.late]
    passed = any(a.passed for a in in_time)
    scores = [rules.percent(a.correct or 0, a.total or 0) for a in in_time]
    open_attempt = next((a for a in attempts if is_open(a, now)), None)
    finished = [
        rules.attempt_end(a.deadline, a.submitted_at) for a in attempts if not is_open(a, now)
    ]
    block = rules.current_block(finished, now, settings.attempts, settings.cooldown)
    used = min(len(block) + (1 if open_attempt else 0), settings.attempts)
    wait = (
        timedelta(0)
        if passed or open_attempt
        else rules.exam_wait(finished, now, settings.attempts, settings.cooldown)
    )
    return ExamStatus(
        passed=passed,
        best_percent=max(scores) if scores else None,
        attempts_used=used,
        attempts_left=settings.attempts - used,
        next_attempt_at=now + wait if wait else None,
        open_attempt_id=open_attempt.id if open_attempt else None,
    )


def exam_status(
    person: Person,
    now: datetime | None = None,
    attempts: list[ExamAttempt] | None = None,
    settings: ExamSettings | None = None,
) -> ExamStatus:
    """Where the person stands with the exam, for the certification checklist. Late hand-ins and
    attempts left open past their deadline count as failed attempts and give no score.
    ``attempts`` and ``settings``: what the caller has read already."""
    return _status(
        attempts_of(person) if attempts is None else attempts,
        now or utcnow(),
        settings or exam_settings(),
    )


class ExamRefused(Exception):
    """No attempt can start: ``reason`` is "not_eligible", "passed", "cooldown" (``until`` is when
    the next may start) or "no_pool"."""

    def __init__(self, reason: str, until: datetime | None = None):
        super().__init__(reason)
        self.reason = reason
        self.until = until


def start_attempt(person: Person, now: datetime | None = None, seed: str | None = None):
    """The person's open attempt, or a new one drawn from the current pool (the deadline starts
    now). Raises ExamRefused when none may start."""
    now = now or utcnow()
    settings = exam_settings()
    if not is_candidate(person):  # the champion path or the champion role
        raise ExamRefused("not_eligible")
    lock_person(person.id)
    attempts = attempts_of(person)
    status = _status(attempts, now, settings)
    if status.open_attempt_id is not None:
        return next(a for a in attempts if a.id == status.open_attempt_id)
    if status.passed:
        raise ExamRefused("passed")
    if status.next_attempt_at is not None:
        raise ExamRefused("cooldown", status.next_attempt_at)
    pool = current_document("exam_pool")
    questions = (pool.data or {}).get("questions") if pool is not None else None
    if not questions:
        raise ExamRefused("no_pool")
    recent = set(attempts[-1].question_ids) if attempts else set()
    attempt = ExamAttempt(
        person_id=person.id,
        pool_hash=pool.content_hash,
        question_ids=rules.draw(
            questions, settings.questions, seed or secrets.token_hex(16), avoid=recent
        ),
        started_at=now,
        deadline=now + settings.duration,
        answers={},
        late=False,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def pool_of(attempt: ExamAttempt) -> dict[str, dict]:
    """The questions of the pool version the attempt was drawn from, by id."""
    document = document_version("exam_pool", "default", attempt.pool_hash) or current_document(
        "exam_pool"
    )
    questions = (document.data or {}).get("questions", []) if document is not None else []
    return {question["id"]: question for question in questions}


@dataclass(frozen=True)
class ShownQuestion:
    """A question as the exam page shows it: no right answers, no explanation."""

    field: str
    number: int
    text: str
    multiple: bool
    options: list[tuple[int, str]]  # (index in the pool, text), in the order shown


def shown_questions(attempt: ExamAttempt) -> list[ShownQuestion]:
    """The attempt's questions with their options shuffled per attempt and question; the values
    keep the pool's option index."""
    pool = pool_of(attempt)
    shown = []
    for position, question_id in enumerate(attempt.question_ids):
        question = pool.get(question_id)
        if question is None:
            continue
        order = option_order(f"{attempt.id}:{question_id}", len(question["options"]))
        shown.append(
            ShownQuestion(
                field=f"q-{position}",
                number=position + 1,
                text=question["text"],
                multiple=len(question["correct"]) > 1,
                options=[(index, question["options"][index]) for index in order],
            )
        )
    return shown


@dataclass(frozen=True)
class ParsedAnswers:
    answers: dict[str, list[int]]  # question id → chosen option indices
    problems: list[tuple[str | None, str]]  # unknown fields, invalid answers
    unanswered: list[tuple[str | None, str]]


def parse_answers(attempt: ExamAttempt, form) -> ParsedAnswers:
    """The answers in a hand-in (fields q-0, q-1 … in the attempt's order), with German messages
    for what is wrong with it; answers that are wrong in form are left out."""
    pool = pool_of(attempt)
    questions = [
        (position, question_id, pool[question_id])
        for position, question_id in enumerate(attempt.question_ids)
        if question_id in pool
    ]
    answers: dict[str, list[int]] = {}
    problems: list[tuple[str | None, str]] = []
    unanswered: list[tuple[str | None, str]] = []
    known = {"csrf_token", TIME_UP_FIELD} | {f"q-{position}" for position, _id, _q in questions}
    if any(name not in known for name in form.keys()):
        problems.append((None, _("Das Formular enthält unbekannte Angaben.")))
    for position, question_id, question in questions:
        field = f"q-{position}"
        raw = form.getlist(field)
        if not raw:
            unanswered.append((field, _("Frage %(n)d ist noch nicht beantwortet.", n=position + 1)))
            continue
        chosen = {small_int(value, digits=2) for value in raw}
        if (
            None in chosen
            or max(chosen) >= len(question["options"])
            or (len(chosen) > 1 and len(question["correct"]) == 1)
        ):
            problems.append((field, _("Ungültige Antwort bei Frage %(n)d.", n=position + 1)))
            continue
        answers[question_id] = sorted(chosen)
    return ParsedAnswers(answers, problems, unanswered)


class AnswersRefused(ValueError):
    """``problems`` are (form field or None, German message) pairs, all of them at once."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__("; ".join(message for _field, message in problems))
        self.problems = problems


def hand_in(attempt: ExamAttempt, form, now: datetime | None = None) -> bool:
    """Score and store the answers, once. True when this call handed the attempt in; False when
    it had been handed in already (a replay or a double click: nothing changes). After the
    deadline (and SUBMIT_GRACE) it is stored as failed and late, whatever the form holds; before,
    bad answers or unanswered questions raise AnswersRefused and nothing is stored. Unanswered
    questions count as wrong once the time is up."""
    now = now or utcnow()
    if attempt.submitted_at is not None:
        return False
    parsed = parse_answers(attempt, form)
    late = not rules.in_time(now, attempt.deadline)
    time_up = now >= attempt.deadline or form.get(TIME_UP_FIELD) == "1"
    if not late:
        problems = parsed.problems + ([] if time_up else parsed.unanswered)
        if problems:
            raise AnswersRefused(problems)
    pool = pool_of(attempt)
    correct = sum(
        rules.is_right(parsed.answers.get(question_id, []), pool[question_id]["correct"])
        for question_id in attempt.question_ids
        if question_id in pool
    )
    total = len(attempt.question_ids)
    result = db.session.execute(
        sa.update(ExamAttempt)
        .where(
            ExamAttempt.id == attempt.id,
            ExamAttempt.person_id == attempt.person_id,
            ExamAttempt.submitted_at.is_(None),
        )
        .values(
            submitted_at=now,
            answers=parsed.answers,
            correct=correct,
            total=total,
            passed=not late
            and rules.reaches_pass_mark(correct, total, exam_settings().pass_percent),
            late=late,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(attempt)
    return result.rowcount == 1


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    question: dict  # as in the pool: text, options, correct, explanation
    chosen: list[int]
    right: bool


def review(attempt: ExamAttempt) -> list[ReviewedQuestion]:
    """Every question of a finished attempt with the right answers, the person's answer and the
    explanation. Only for the person themself, and only once the attempt is over."""
    pool = pool_of(attempt)
    answers = attempt.answers or {}
    reviewed = []
    for position, question_id in enumerate(attempt.question_ids):
        question = pool.get(question_id)
        if question is None:
            continue
        chosen = list(answers.get(question_id, []))
        reviewed.append(
            ReviewedQuestion(
                number=position + 1,
                question=question,
                chosen=chosen,
                right=rules.is_right(chosen, question["correct"]),
            )
        )
    return reviewed


def has_pool() -> bool:
    """Whether an exam pool with questions is imported."""
    pool = current_document("exam_pool")
    return bool(pool is not None and (pool.data or {}).get("questions"))


@dataclass(frozen=True)
class Score:
    correct: int
    total: int
    percent: int


def score_of(attempt: ExamAttempt) -> Score:
    """The attempt's score; an attempt never handed in scores zero."""
    total = attempt.total or len(attempt.question_ids)
    correct = attempt.correct or 0
    return Score(correct, total, rules.percent(correct, total))
