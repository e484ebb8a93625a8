"""One person's training record for HR (AI Act Art. 4 evidence): completions with their content
versions, certificates, module assignments and the path as far as HR may know it. Opening it
writes an audit event. Never self-assessment answers or hand-in texts; competence levels only
in the individual-levels mode (lernpfad.privacy.mode). Callers commit."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from lernpfad.assessments.models import AssessmentResult
from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Person
from lernpfad.certification.models import Certificate
from lernpfad.certification.rules import certificate_status
from lernpfad.content.models import ModuleVersion
from lernpfad.extensions import db
from lernpfad.modules.models import ModuleAssignment, ModuleProgress
from lernpfad.modules.rules import COMPLETED, assignment_status
from lernpfad.paths.models import PathAssignment
from lernpfad.paths.services import hr_view

VIEWED = "training_record.viewed"
VERSION_DIGITS = 12  # as in the training-record CSV and the operations area


@dataclass(frozen=True)
class Completion:
    module_id: str
    title: str
    completed_at: datetime | None
    quiz_passed_at: datetime | None
    quiz_attempts: int
    version: str  # the first digits of the content hash it was completed on
    version_current: bool  # that version is still the module's current one


@dataclass(frozen=True)
class CertificateRow:
    title: str
    code: str
    issued_at: datetime
    valid_until: datetime
    status: str  # valid | expired | revoked (certification.rules.certificate_status)
    revoked_at: datetime | None


@dataclass(frozen=True)
class AssignmentRow:
    module_id: str
    title: str
    due_on: date
    assigned_by: str | None
    assigned_at: datetime
    status: str  # erledigt | offen | ueberfaellig (modules.rules.assignment_status)


@dataclass(frozen=True)
class Levels:
    assessed_at: datetime
    by_dimension: dict[str, int]


@dataclass(frozen=True)
class TrainingRecord:
    person: Person
    completions: list[Completion]
    certificates: list[CertificateRow]
    assignments: list[AssignmentRow]
    path: dict  # path_for_hr: role only where HR set it, champion only if known
    levels: Levels | None  # only in the individual-levels mode


def completions(person: Person) -> list[Completion]:
    """The person's completed modules, oldest first, each with the version it was done on."""
    rows = db.session.execute(
        sa.select(
            ModuleProgress.module_id,
            ModuleVersion.title,
            ModuleProgress.completed_at,
            ModuleProgress.quiz_passed_at,
            ModuleProgress.quiz_attempts,
            ModuleVersion.content_hash,
            ModuleVersion.is_current,
        )
        .join(ModuleVersion, ModuleVersion.id == ModuleProgress.version_id)
        .where(ModuleProgress.person_id == person.id, ModuleProgress.state == COMPLETED)
        .order_by(ModuleProgress.completed_at, ModuleProgress.module_id)
    ).all()
    return [
        Completion(
            module_id=module_id,
            title=title,
            completed_at=completed_at,
            quiz_passed_at=quiz_at,
            quiz_attempts=attempts,
            version=content_hash[:VERSION_DIGITS],
            version_current=bool(is_current),
        )
        for module_id, title, completed_at, quiz_at, attempts, content_hash, is_current in rows
    ]


def certificates(person: Person, now: datetime) -> list[CertificateRow]:
    """Every certificate issued to the person, newest first, with its status at ``now``."""
    rows = db.session.execute(
        sa.select(
            Certificate.title,
            Certificate.code,
            Certificate.issued_at,
            Certificate.valid_until,
            Certificate.revoked_at,
        )
        .where(Certificate.person_id == person.id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    ).all()
    return [
        CertificateRow(
            title=title,
            code=code,
            issued_at=issued_at,
            valid_until=valid_until,
            status=certificate_status(revoked_at, valid_until, now),
            revoked_at=revoked_at,
        )
        for title, code, issued_at, valid_until, revoked_at in rows
    ]


def assignments(person: Person, today: date) -> list[AssignmentRow]:
    """The modules assigned to the person, soonest due first, with who assigned them and
    whether they are done, open or overdue (``today`` in the company's time zone)."""
    assigner = aliased(Person)
    current_title = (
        sa.select(ModuleVersion.title)
        .where(ModuleVersion.module_id == ModuleAssignment.module_id, ModuleVersion.is_current)
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(
            ModuleAssignment.module_id,
            current_title,
            ModuleAssignment.due_on,
            assigner.name,
            ModuleAssignment.created_at,
            ModuleProgress.state,
        )
        .outerjoin(assigner, assigner.id == ModuleAssignment.assigned_by_id)
        .outerjoin(
            ModuleProgress,
            sa.and_(
                ModuleProgress.person_id == ModuleAssignment.person_id,
                ModuleProgress.module_id == ModuleAssignment.module_id,
            ),
        )
        .where(ModuleAssignment.person_id == person.id)
        .order_by(ModuleAssignment.due_on, ModuleAssignment.module_id)
    ).all()
    return [
        AssignmentRow(
            module_id=module_id,
            title=title or module_id,
            due_on=due_on,
            assigned_by=assigned_by,
            assigned_at=assigned_at,
            status=assignment_status(state, due_on, today),
        )
        for module_id, title, due_on, assigned_by, assigned_at, state in rows
    ]


def current_levels(person: Person) -> Levels | None:
    """The levels per dimension of the person's latest self-assessment (never its answers)."""
    if person.current_result_id is None:
        return None
    row = db.session.execute(
        sa.select(AssessmentResult.completed_at, AssessmentResult.levels).where(
            AssessmentResult.id == person.current_result_id,
            AssessmentResult.person_id == person.id,
        )
    ).one_or_none()
    if row is None:
        return None
    return Levels(assessed_at=row[0], by_dimension={k: int(v) for k, v in row[1].items()})


def path_for_hr(person: Person) -> dict:
    """What HR may know about the person's path (paths.services.hr_view), and whether the
    person has one at all."""
    assignment = db.session.scalar(
        sa.select(PathAssignment).where(PathAssignment.person_id == person.id)
    )
    return {**hr_view(assignment), "assigned": assignment is not None}


def open_training_record(
    person: Person, *, actor: Person, with_levels: bool, now: datetime, today: date
) -> TrainingRecord:
    """The person's training record, and its opening written to the audit log (flushed): who
    opened it, and whether competence levels were shown (``with_levels``: the individual-levels
    mode is in force; a person without a self-assessment has none to show)."""
    levels = current_levels(person) if with_levels else None
    record = TrainingRecord(
        person=person,
        completions=completions(person),
        certificates=certificates(person, now),
        assignments=assignments(person, today),
        path=path_for_hr(person),
        levels=levels,
    )
    record_audit(actor=actor, action=VIEWED, subject=person, levels=levels is not None)
    return record
