"""Everything Lernpfad stores about one person, as JSON-ready data. Read-only."""

from datetime import date, datetime

import sqlalchemy as sa

from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult
from lernpfad.auth.models import LoginFailure, Person
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail
from lernpfad.mentoring.models import ChampionDepartment, MentoringSession
from lernpfad.modules.models import ModuleAssignment, ModuleProgress, QuizAttempt, Submission
from lernpfad.paths.models import PathAssignment
from lernpfad.reports.models import AuditEvent
from lernpfad.usecases.models import UseCase

SECRETS = {"password_hash", "session_token"}  # never exported: not data about the person
RENDERED = {"html", "feedback_html"}  # derived copies of text that is exported as written


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row(obj, exclude: set[str] = frozenset()) -> dict:
    """The object's columns, by attribute name, with dates as ISO 8601 strings."""
    mapper = sa.inspect(obj).mapper
    return {
        attr.key: _value(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in exclude
    }


def _rows(model, *where, exclude: set[str] = frozenset()) -> list[dict]:
    return [
        row(obj, exclude)
        for obj in db.session.scalars(sa.select(model).where(*where).order_by(model.id))
    ]


def export_for(person: Person) -> dict:
    """The person's own data. Data about others stays out: sessions they held as a champion name
    no mentee, reviews they wrote name no learner, audit entries name no other person."""
    return {
        "format": "lernpfad-personal-data/1",
        "exported_at": _value(datetime.now().astimezone()),
        "person": {
            **row(person, SECRETS),
            "department": person.department.name if person.department else None,
            "roles": sorted(role.value for role in person.roles),
        },
        "assessment_attempts": _rows(AssessmentAttempt, AssessmentAttempt.person_id == person.id),
        "assessment_results": _rows(AssessmentResult, AssessmentResult.person_id == person.id),
        "path_assignment": _rows(PathAssignment, PathAssignment.person_id == person.id),
        "module_progress": _rows(ModuleProgress, ModuleProgress.person_id == person.id),
        "quiz_attempts": _rows(QuizAttempt, QuizAttempt.person_id == person.id),
        "submissions": _rows(Submission, Submission.person_id == person.id, exclude=RENDERED),
        "module_assignments": _rows(ModuleAssignment, ModuleAssignment.person_id == person.id),
        "mentoring_sessions_as_mentee": [
            {**row(s), "champion": s.champion.name}
            for s in db.session.scalars(
                sa.select(MentoringSession)
                .where(MentoringSession.mentee_id == person.id)
                .order_by(MentoringSession.id)
            )
        ],
        "mentoring_sessions_as_champion": _rows(
            MentoringSession, MentoringSession.champion_id == person.id, exclude={"mentee_id"}
        ),
        "use_cases_created": _rows(UseCase, UseCase.created_by_id == person.id),
        "audit_events_about_you": _rows(
            AuditEvent, AuditEvent.subject_id == person.id, exclude={"actor_id"}
        ),
        "failed_logins": _rows(LoginFailure, LoginFailure.email == person.email),
        "mails_to_you": _rows(OutboxMail, OutboxMail.recipient == person.email),
        "departments_you_look_after": [
            row.department.name
            for row in db.session.scalars(
                sa.select(ChampionDepartment).where(ChampionDepartment.champion_id == person.id)
            )
        ],
        "reviews_you_wrote": [
            {
                "module_id": s.module_id,
                "status": s.status,
                "reviewed_at": _value(s.reviewed_at),
                "feedback": s.feedback,
            }
            for s in db.session.scalars(
                sa.select(Submission)
                .where(Submission.reviewer_id == person.id)
                .order_by(Submission.id)
            )
        ],
        "your_actions_in_the_audit_log": [
            {"action": e.action, "at": _value(e.at)}
            for e in db.session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.actor_id == person.id)
                .order_by(AuditEvent.id)
            )
        ],
    }
