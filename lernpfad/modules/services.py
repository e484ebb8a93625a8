"""Working through a module: progress, quiz attempts, submissions. Callers commit."""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, load_only

from lernpfad.auth.models import Person
from lernpfad.content.models import ModuleVersion
from lernpfad.content.render import render_learner_text
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.forms import small_int
from lernpfad.modules import rules
from lernpfad.modules.models import ModuleAssignment, ModuleProgress, QuizAttempt, Submission
from lernpfad.usecases.models import UseCase


class SubmissionRefused(ValueError):
    """``problems`` are (form field or None, German message) pairs, all of them at once."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__("; ".join(message for _field, message in problems))
        self.problems = problems


# What a module page needs of its version besides the content (content.cache.module_content).
VERSION_FACTS = (
    ModuleVersion.id,
    ModuleVersion.module_id,
    ModuleVersion.content_hash,
    ModuleVersion.title,
    ModuleVersion.summary,
    ModuleVersion.dimension,
    ModuleVersion.level,
    ModuleVersion.duration,
    ModuleVersion.mandatory,
)


_CURRENT_VERSION = sa.select(ModuleVersion).where(
    ModuleVersion.module_id == sa.bindparam("module_id"), ModuleVersion.is_current
)
_CURRENT_FACTS = _CURRENT_VERSION.options(load_only(*VERSION_FACTS))


def current_version(module_id: str, *, facts_only: bool = False) -> ModuleVersion | None:
    """The module's current version; ``facts_only`` leaves body, quiz and task unread (they
    load when touched)."""
    query = _CURRENT_FACTS if facts_only else _CURRENT_VERSION
    return db.session.scalar(query, {"module_id": module_id})


def progress_of(person: Person, module_id: str) -> ModuleProgress | None:
    return db.session.scalar(
        sa.select(ModuleProgress).where(
            ModuleProgress.person_id == person.id, ModuleProgress.module_id == module_id
        )
    )


# Statements of every learner page, built once (building one costs about as much as running it).
_PROGRESS = sa.select(ModuleProgress).where(ModuleProgress.person_id == sa.bindparam("person_id"))
_ASSIGNED = (
    sa.select(ModuleAssignment)
    .where(ModuleAssignment.person_id == sa.bindparam("person_id"))
    .order_by(ModuleAssignment.due_on)
)
_ASSIGNED_MODULE = sa.select(ModuleAssignment).where(
    ModuleAssignment.person_id == sa.bindparam("person_id"),
    ModuleAssignment.module_id == sa.bindparam("module_id"),
)


def progress_map(person: Person) -> dict[str, ModuleProgress]:
    rows = db.session.scalars(_PROGRESS, {"person_id": person.id})
    return {row.module_id: row for row in rows}


def ensure_progress(person: Person, version: ModuleVersion) -> ModuleProgress:
    """The person's progress record for the module, created once even under concurrent requests."""
    progress = progress_of(person, version.module_id)
    if progress is not None:
        return progress
    try:
        with db.session.begin_nested():
            progress = ModuleProgress(
                person_id=person.id, module_id=version.module_id, version_id=version.id
            )
            db.session.add(progress)
    except IntegrityError:
        progress = progress_of(person, version.module_id)
    return progress


def _state(progress: ModuleProgress) -> rules.Progress:
    return rules.Progress(progress.state, progress.quiz_passed, progress.task_accepted)


def _apply(progress: ModuleProgress, event: str, version: ModuleVersion) -> None:
    after = rules.apply(_state(progress), event, review_required=version.task["review"])
    now = utcnow()
    if after.state == rules.COMPLETED and progress.state != rules.COMPLETED:
        progress.completed_at = now
    progress.state, progress.quiz_passed, progress.task_accepted = (
        after.state,
        after.quiz_passed,
        after.task_accepted,
    )
    progress.version_id = version.id  # the version the latest step was made on
    progress.updated_at = now


def start(person: Person, version: ModuleVersion) -> ModuleProgress:
    progress = ensure_progress(person, version)
    if progress.state == rules.OPEN:
        _apply(progress, rules.START, version)
    db.session.flush()
    return progress


def parse_quiz(quiz: list[dict], form) -> tuple[dict[int, list[int]], list[tuple[str | None, str]]]:
    """Answers from a form (fields q-0, q-1 …); every question must be answered. Errors are
    (field or None, German message) pairs, one per question that is not answered properly."""
    answers: dict[int, list[int]] = {}
    errors: list[tuple[str | None, str]] = []
    known = {"csrf_token"} | {f"q-{i}" for i in range(len(quiz))}
    if any(name not in known for name in form.keys()):
        errors.append((None, _("Das Formular enthält unbekannte Angaben.")))
    for index, question in enumerate(quiz):
        raw = form.getlist(f"q-{index}")
        if not raw:
            errors.append((f"q-{index}", _("Frage %(n)d ist noch nicht beantwortet.", n=index + 1)))
            continue
        chosen = [small_int(value, digits=2) for value in raw]
        if any(value is None or value >= len(question["options"]) for value in chosen):
            errors.append((f"q-{index}", _("Ungültige Antwort im Quiz.")))
            continue
        answers[index] = sorted(set(chosen))
    return answers, errors


class QuizPaused(Exception):
    """Too many failed attempts in a row (rules.quiz_wait); ``until`` is when the next may come."""

    def __init__(self, until):
        super().__init__(until)
        self.until = until


def quiz_pause_until(person: Person, module_id: str, *, limit: int, pause: timedelta, now=None):
    """When the person may try this module's quiz again, or None when they may now."""
    now = now or utcnow()
    recent = db.session.execute(
        sa.select(QuizAttempt.at, QuizAttempt.passed)
        .where(QuizAttempt.person_id == person.id, QuizAttempt.module_id == module_id)
        .order_by(QuizAttempt.id.desc())
        .limit(limit)  # the rule looks at the last `limit` attempts only
    ).all()
    wait = rules.quiz_wait(list(reversed(recent)), now, limit=limit, pause=pause)
    return now + wait if wait else None


def record_quiz(
    person: Person,
    version: ModuleVersion,
    answers: dict[int, list[int]],
    pass_percent: int,
    *,
    limit: int,
    pause: timedelta,
):
    """Score and store a quiz attempt; a pass moves the progress on. Raises QuizPaused after
    ``limit`` failed attempts in a row until ``pause`` has passed."""
    progress = ensure_progress(person, version)
    # Take the progress row's write lock first, so that parallel attempts are counted in turn.
    db.session.execute(
        sa.update(ModuleProgress)
        .where(ModuleProgress.id == progress.id)
        .values(updated_at=utcnow())
    )
    until = quiz_pause_until(person, version.module_id, limit=limit, pause=pause)
    if until is not None:
        raise QuizPaused(until)
    score = rules.score_quiz(version.quiz, answers, pass_percent)
    db.session.add(
        QuizAttempt(
            person_id=person.id,
            module_id=version.module_id,
            version_id=version.id,
            answers={str(k): v for k, v in answers.items()},
            correct=score.correct,
            total=score.total,
            passed=score.passed,
        )
    )
    progress = start(person, version)
    earlier = progress.quiz_attempts if not progress.quiz_passed else None
    if not progress.quiz_passed:
        progress.quiz_attempts += 1
    if score.passed:
        if not progress.quiz_passed:
            progress.quiz_passed_at = utcnow()
        tested_out = earlier is not None and rules.tests_out(
            mastered=_mastered(person, version),
            mandatory=version.mandatory,
            earlier_attempts=earlier,
            passed=True,
        )
        if tested_out and progress.state in (rules.OPEN, rules.IN_PROGRESS):
            _apply(progress, rules.TEST_OUT, version)
            progress.tested_out = True
        else:
            _apply(progress, rules.PASS_QUIZ, version)
    db.session.flush()
    return score


def _mastered(person: Person, version: ModuleVersion) -> bool:
    """The person's latest assessment reaches the module's level in its dimension."""
    from lernpfad.assessments.services import latest_result

    latest = latest_result(person)
    return latest is not None and latest.levels.get(version.dimension, 0) >= version.level


_LAST_ATTEMPT = (
    sa.select(QuizAttempt)
    .where(
        QuizAttempt.person_id == sa.bindparam("person_id"),
        QuizAttempt.module_id == sa.bindparam("module_id"),
    )
    .order_by(QuizAttempt.id.desc())
    .limit(1)
)


def last_quiz_attempt(person: Person, module_id: str) -> QuizAttempt | None:
    return db.session.scalar(_LAST_ATTEMPT, {"person_id": person.id, "module_id": module_id})


_USE_CASE_CHOICES = (
    sa.select(UseCase.id, UseCase.title)
    .where(UseCase.department_id == sa.bindparam("department_id"), UseCase.status != "verworfen")
    .order_by(UseCase.title)
)


def department_use_cases(person: Person) -> list:
    """The department's use cases a hand-in may name (not discarded): id and title, by title."""
    if person.department_id is None:
        return []
    return db.session.execute(_USE_CASE_CHOICES, {"department_id": person.department_id}).all()


def _already_handed_in(progress: ModuleProgress | None, version: ModuleVersion) -> str | None:
    """Why the task cannot be handed in now (already handed in or done), or None."""
    if progress is None:
        return None
    try:
        rules.apply(_state(progress), rules.SUBMIT, review_required=version.task["review"])
    except rules.InvalidTransition:
        if progress.state == rules.SUBMITTED:
            return _("Diese Aufgabe ist bereits eingereicht.")
        return _("Diese Aufgabe ist bereits abgeschlossen.")
    return None


def submit_task(
    person: Person,
    version: ModuleVersion,
    *,
    text: str,
    use_case_id: int | str | None,
    confirmed: bool,
    max_chars: int,
) -> Submission:
    """Hand in the practical task; refused with every problem at once, storing nothing.

    ``use_case_id`` may be the form's raw value ("" for none).
    """
    reason = _already_handed_in(progress_of(person, version.module_id), version)
    if reason:
        raise SubmissionRefused([(None, reason)])
    problems: list[tuple[str | None, str]] = []
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        problems.append(
            ("text", _("Bitte beschreiben Sie, was Sie getan haben und was es verändert hat."))
        )
    elif len(text) > max_chars:
        problems.append(
            (
                "text",
                _(
                    "Ihre Abgabe ist zu lang: %(n)s Zeichen, erlaubt sind %(max)s. Bitte kürzen Sie sie.",
                    n=format_number(len(text)),
                    max=format_number(max_chars),
                ),
            )
        )
    use_case = None
    if use_case_id is not None and str(use_case_id).strip():
        number = small_int(str(use_case_id))
        # Only what the form offers: the department's use cases, not discarded ones.
        offered = {row.id for row in department_use_cases(person)}
        use_case = db.session.get(UseCase, number) if number in offered else None
        if use_case is None:
            problems.append(
                ("use_case_id", _("Diesen Anwendungsfall gibt es in Ihrer Abteilung nicht."))
            )
    if not version.task["review"] and not confirmed:
        problems.append(
            (
                "confirmed",
                _(
                    "Bitte bestätigen Sie, dass Sie die Aufgabe an Ihrer echten Arbeit erledigt haben."
                ),
            )
        )
    if problems:
        raise SubmissionRefused(problems)
    progress = start(person, version)
    reason = _already_handed_in(progress, version)  # another browser may have been quicker
    if reason:
        raise SubmissionRefused([(None, reason)])
    _apply(progress, rules.SUBMIT, version)
    progress.submitted_at = utcnow()
    submission = Submission(
        person_id=person.id,
        module_id=version.module_id,
        version_id=version.id,
        round=progress.round,
        text=text,
        html=render_learner_text(text),
        use_case_id=use_case.id if use_case else None,
        status="submitted" if version.task["review"] else "confirmed",
    )
    db.session.add(submission)
    db.session.flush()  # a second submission of this round violates the unique constraint
    return submission


def return_submission(submission: Submission, reviewer: Person, feedback: str) -> None:
    """A reviewer returns the task with feedback; the learner may hand it in again."""
    progress = progress_of(submission.person, submission.module_id)
    _apply(progress, rules.RETURN, submission.version)
    progress.returned_at = utcnow()
    progress.round += 1
    _review(submission, reviewer, "returned", feedback)


def accept_submission(submission: Submission, reviewer: Person, feedback: str = "") -> None:
    progress = progress_of(submission.person, submission.module_id)
    _apply(progress, rules.ACCEPT, submission.version)
    _review(submission, reviewer, "accepted", feedback)


def _review(submission: Submission, reviewer: Person, status: str, feedback: str) -> None:
    submission.status = status
    submission.reviewer_id = reviewer.id
    submission.reviewed_at = utcnow()
    submission.feedback = feedback or None
    submission.feedback_html = render_learner_text(feedback) if feedback else None
    db.session.flush()


_SUBMISSIONS = (
    sa.select(Submission)
    .where(
        Submission.person_id == sa.bindparam("person_id"),
        Submission.module_id == sa.bindparam("module_id"),
    )
    .order_by(Submission.round.desc())
)


def submissions_of(person: Person, module_id: str) -> list[Submission]:
    return list(db.session.scalars(_SUBMISSIONS, {"person_id": person.id, "module_id": module_id}))


@dataclass(frozen=True)
class ModuleState:
    """The person's own work on one module, as the module page shows it."""

    progress: ModuleProgress | None
    last_attempt: QuizAttempt | None
    paused_until: object | None  # datetime: no quiz attempt before then
    submissions: list[Submission]
    text_to_revise: str  # the latest returned hand-in while the task waits to be handed in again
    due: ModuleAssignment | None  # assigned and not yet completed
    task_open: bool  # the task may be handed in (again)


def module_state(
    person: Person,
    module_id: str,
    progress: ModuleProgress | None,
    *,
    limit: int,
    pause: timedelta,
) -> ModuleState:
    """Everything about the person's work on the module. Quiz attempts and hand-ins always start
    a progress record first (record_quiz, submit_task): without one, there is none to ask for."""
    last_attempt, paused_until, submissions = None, None, []
    if progress is not None:
        last_attempt = last_quiz_attempt(person, module_id)
        # rules.quiz_wait: a pause follows failed attempts only, and ends `pause` after the last.
        if (
            last_attempt is not None
            and not last_attempt.passed
            and last_attempt.at > utcnow() - pause
        ):
            paused_until = quiz_pause_until(person, module_id, limit=limit, pause=pause)
        submissions = submissions_of(person, module_id)
    revise = ""
    if progress is not None and progress.state == rules.RETURNED:
        revise = next((s.text for s in submissions if s.status == "returned"), "")
    due = None
    if progress is None or progress.state != rules.COMPLETED:
        due = db.session.scalar(_ASSIGNED_MODULE, {"person_id": person.id, "module_id": module_id})
    task_open = progress is None or (
        progress.state in (rules.OPEN, rules.IN_PROGRESS, rules.RETURNED)
        and not progress.task_accepted
    )
    return ModuleState(progress, last_attempt, paused_until, submissions, revise, due, task_open)


def returned_submissions(
    person: Person, progress: dict[str, ModuleProgress] | None = None
) -> list[Submission]:
    """Returned tasks that wait for a new hand-in, with their module's title. ``progress``: the
    person's progress map, when the caller has it (without a returned module: no query)."""
    if progress is not None and not any(p.state == rules.RETURNED for p in progress.values()):
        return []
    rows = db.session.scalars(
        sa.select(Submission)
        .join(
            ModuleProgress,
            sa.and_(
                ModuleProgress.person_id == Submission.person_id,
                ModuleProgress.module_id == Submission.module_id,
            ),
        )
        .options(joinedload(Submission.version).load_only(ModuleVersion.title))
        .where(
            Submission.person_id == person.id,
            Submission.status == "returned",
            ModuleProgress.state == rules.RETURNED,
        )
        .order_by(Submission.reviewed_at.desc())
    )
    return list(rows)


@dataclass(frozen=True)
class PathProgress:
    percent: int
    done: int
    total: int
    per_dimension: list[dict]
    next_step: object | None


def path_progress(
    steps: list, progress: dict[str, ModuleProgress], dimension_labels: dict[str, str]
) -> PathProgress:
    """Progress over the person's own path: required, not yet mastered, available steps.

    The bar moves with each half of a module (quiz passed, task handed in); "done" counts
    completed modules.
    """
    counted = [s for s in steps if not s.optional]
    records = [progress.get(s.module_id) for s in counted]
    states = [_state(r) if r else None for r in records]
    per_dim: dict[str, list] = {}
    for step, state in zip(counted, states, strict=True):
        per_dim.setdefault(step.module.dimension, []).append(state)

    def done(values):
        return sum(1 for v in values if v is not None and v.state == rules.COMPLETED)

    next_step = next(
        (
            s
            for s, state in zip(counted, states, strict=True)
            if state is None or state.state in (rules.OPEN, rules.IN_PROGRESS, rules.RETURNED)
        ),
        None,
    )
    return PathProgress(
        percent=rules.percent_of_points(states),
        done=done(states),
        total=len(counted),
        per_dimension=[
            {
                "key": key,
                "label": dimension_labels.get(key, key),
                "percent": rules.percent_of_points(values),
                "done": done(values),
                "total": len(values),
            }
            for key, values in per_dim.items()
        ],
        next_step=next_step,
    )


def due_assignments(
    person: Person,
    progress: dict[str, ModuleProgress] | None = None,
    modules: dict | None = None,
) -> list[tuple[ModuleAssignment, object | None]]:
    """Assigned modules not yet completed, soonest first, each with its current module's title
    and facts (paths.services.ModuleInfo; None for a module gone from the content). ``progress``
    and ``modules``: the person's progress map and paths.services.module_infos(), when the
    caller has them already."""
    if progress is None:
        progress = progress_map(person)
    completed = {m for m, p in progress.items() if p.state == rules.COMPLETED}
    rows = db.session.scalars(_ASSIGNED, {"person_id": person.id}).all()
    due = [row for row in rows if row.module_id not in completed]
    if due and modules is None:
        from lernpfad.paths.services import module_infos

        modules = module_infos()
    return [(row, modules.get(row.module_id)) for row in due]
