"""The assessment's life cycle: start, save a step, complete, results. Callers commit."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from lernpfad.assessments import scoring
from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult
from lernpfad.assessments.steps import LAST_STEP
from lernpfad.auth.models import Person, Role
from lernpfad.content.services import current_document, document_version
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.paths import services as paths


@dataclass(frozen=True)
class Definition:
    key: str
    content_hash: str
    data: dict


DEFAULT_ASSESSMENT = "standard"


class NotAvailable(Exception):
    """The assessment cannot be started now (no content, or the interval has not passed)."""

    def __init__(self, next_date: datetime | None = None):
        super().__init__(next_date)
        self.next_date = next_date


class StepRefused(Exception):
    pass


def current_definition() -> Definition | None:
    document = current_document("assessment", DEFAULT_ASSESSMENT)
    if document is None:
        return None
    return Definition(document.key, document.content_hash, document.data)


def open_attempt(person: Person) -> AssessmentAttempt | None:
    return db.session.scalar(
        sa.select(AssessmentAttempt)
        .where(AssessmentAttempt.person_id == person.id, AssessmentAttempt.completed_at.is_(None))
        .order_by(AssessmentAttempt.id.desc())
        .limit(1)
    )


def results_of(person: Person) -> list[AssessmentResult]:
    """The person's results, newest first."""
    return list(
        db.session.scalars(
            sa.select(AssessmentResult)
            .where(AssessmentResult.person_id == person.id)
            .order_by(AssessmentResult.completed_at.desc(), AssessmentResult.id.desc())
        )
    )


def latest_result(person: Person) -> AssessmentResult | None:
    results = results_of(person)
    return results[0] if results else None


def next_allowed(person: Person, interval_days: int) -> datetime | None:
    """When the person may take the assessment again; None means now."""
    latest = latest_result(person)
    if latest is None:
        return None
    due = latest.completed_at + timedelta(days=interval_days)
    return due if due > utcnow() else None


def start_attempt(person: Person, interval_days: int) -> AssessmentAttempt:
    """The open attempt, or a new one when the interval since the last result has passed."""
    attempt = open_attempt(person)
    if attempt is not None:
        return attempt
    definition = current_definition()
    if definition is None:
        raise NotAvailable()
    due = next_allowed(person, interval_days)
    if due is not None:
        raise NotAvailable(due)
    prefill = scoring.prefill_function(
        definition.data,
        person.job_function,
        is_leadership=person.has_role(Role.LEADERSHIP),
        is_head=person.has_role(Role.DEPARTMENT_HEAD),
    )
    attempt = AssessmentAttempt(
        person_id=person.id,
        assessment_key=definition.key,
        assessment_hash=definition.content_hash,
        answers={"prefill_function": prefill} if prefill else {},
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def save_step(attempt: AssessmentAttempt, step: int, values: dict) -> None:
    """Store one step's answers; a step may not be skipped."""
    if attempt.completed_at is not None:
        raise StepRefused("completed")
    if step > attempt.next_step:
        raise StepRefused("skipped")
    answers = dict(attempt.answers or {})
    answers.update(values)
    attempt.answers = answers
    attempt.next_step = max(attempt.next_step, step + 1)
    attempt.updated_at = utcnow()
    db.session.flush()


def complete(
    attempt: AssessmentAttempt, definition: dict, *, nominated: bool = False, now=None
) -> AssessmentResult:
    """Score a fully answered attempt and store its one result; assigns the path."""
    if attempt.completed_at is not None:
        existing = db.session.scalar(
            sa.select(AssessmentResult).where(AssessmentResult.attempt_id == attempt.id)
        )
        if existing is not None:
            return existing
    if attempt.next_step <= LAST_STEP:
        raise StepRefused("incomplete")
    answers = attempt.answers
    scores = scoring.score_dimensions(definition, answers["ratings"], answers["answers"])
    levels = {dim: score.level for dim, score in scores.items()}
    base = scoring.base_role(definition, answers["function"])
    champion = scoring.qualifies_for_champion_path(
        volunteered=answers["volunteer"], hours=answers["hours"], levels=levels, nominated=nominated
    )
    now = now or utcnow()
    attempt.completed_at = now
    result = AssessmentResult(
        person_id=attempt.person_id,
        attempt_id=attempt.id,
        assessment_hash=attempt.assessment_hash,
        completed_at=now,
        base_role=base,
        path_role="champion" if champion else base,
        levels=levels,
        details={dim: score.as_dict() for dim, score in scores.items()},
        volunteered=answers["volunteer"],
        hours=answers["hours"],
    )
    db.session.add(result)
    db.session.flush()
    paths.assign_from_assessment(attempt.person, base, champion=champion)
    return result


def own_result(person: Person, result_id: int) -> AssessmentResult | None:
    """A result of this person (None for anybody else's)."""
    result = db.session.get(AssessmentResult, result_id)
    if result is None or result.person_id != person.id:
        return None
    return result


def definition_for(attempt: AssessmentAttempt) -> dict | None:
    """The assessment as it was when the attempt started (content may have changed since)."""
    document = document_version("assessment", attempt.assessment_key, attempt.assessment_hash)
    return document.data if document is not None else None


def competency_model() -> dict | None:
    """The current competency model (shared per content version: never change it)."""
    from lernpfad.content.cache import current_documents

    return current_documents(("competencies", "default")).get(("competencies", "default"))
