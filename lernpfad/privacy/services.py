"""Everything Lernpfad stores about one person, as JSON-ready data with German keys. Read-only."""

from datetime import date, datetime

import sqlalchemy as sa

from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult
from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import LoginFailure, Person
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail, ReminderLog
from lernpfad.mentoring.models import (
    ChampionDepartment,
    ChampionMentee,
    ChampionProfile,
    MentoringSession,
)
from lernpfad.modules.models import ModuleAssignment, ModuleProgress, QuizAttempt, Submission
from lernpfad.notices.models import Notice, NotificationPreference
from lernpfad.paths.models import PathAssignment
from lernpfad.privacy.keys import german, legend
from lernpfad.usecases.models import PilotDecision, PilotMeasurement, UseCase
from lernpfad.xapi.models import XapiActor

SECRETS = {"password_hash", "session_token"}  # never exported: not data about the person
RENDERED = {"html", "feedback_html", "html_body"}  # derived copies of text exported as written


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row(obj, exclude: set[str] = frozenset()) -> dict:
    """The object's columns under their German names, with dates as ISO 8601 strings."""
    mapper = sa.inspect(obj).mapper
    return {
        german(attr.key): _value(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in exclude
    }


def _rows(model, *where, exclude: set[str] = frozenset()) -> list[dict]:
    return [
        row(obj, exclude)
        for obj in db.session.scalars(
            sa.select(model).where(*where).order_by(*sa.inspect(model).primary_key)
        )
    ]


def export_for(person: Person) -> dict:
    """The person's own data. Data about others stays out: sessions they held as a champion name
    no mentee, reviews they wrote name no learner, audit entries name no other person.
    Keys are German (lernpfad/privacy/keys.py); "_schluessel" gives the English name of each."""
    return {
        "_schluessel": legend(),
        "format": "lernpfad-meine-daten/2",
        "exportiert_am": _value(datetime.now().astimezone()),
        "konto": {
            **row(person, SECRETS),
            german("department"): person.department.name if person.department else None,
            german("roles"): sorted(role.value for role in person.roles),
        },
        "selbsteinschaetzungen": _rows(AssessmentAttempt, AssessmentAttempt.person_id == person.id),
        "selbsteinschaetzung_ergebnisse": _rows(
            AssessmentResult, AssessmentResult.person_id == person.id
        ),
        "lernpfad": _rows(PathAssignment, PathAssignment.person_id == person.id),
        "modulfortschritt": _rows(ModuleProgress, ModuleProgress.person_id == person.id),
        "quizversuche": _rows(QuizAttempt, QuizAttempt.person_id == person.id),
        "abgaben": _rows(Submission, Submission.person_id == person.id, exclude=RENDERED),
        "modulzuweisungen": _rows(ModuleAssignment, ModuleAssignment.person_id == person.id),
        "mentoring_sitzungen_als_mentee": [
            {**row(s), german("champion"): s.champion.name}
            for s in db.session.scalars(
                sa.select(MentoringSession)
                .where(MentoringSession.mentee_id == person.id)
                .order_by(MentoringSession.id)
            )
        ],
        "mentoring_sitzungen_als_champion": _rows(
            MentoringSession, MentoringSession.champion_id == person.id, exclude={"mentee_id"}
        ),
        "erfasste_anwendungsfaelle": _rows(UseCase, UseCase.created_by_id == person.id),
        "erfasste_messwerte": _rows(PilotMeasurement, PilotMeasurement.measured_by_id == person.id),
        "pilotentscheidungen": _rows(PilotDecision, PilotDecision.decided_by_id == person.id),
        "protokoll_zu_ihrem_konto": _rows(
            AuditEvent, AuditEvent.subject_id == person.id, exclude={"actor_id"}
        ),
        "fehlgeschlagene_anmeldungen": _rows(LoginFailure, LoginFailure.email == person.email),
        "emails_an_sie": _rows(OutboxMail, OutboxMail.recipient == person.email, exclude=RENDERED),
        "mitteilungen": _rows(Notice, Notice.person_id == person.id),
        "einstellungen_erinnerungen": _rows(
            NotificationPreference, NotificationPreference.person_id == person.id
        ),
        "verschickte_erinnerungen": _rows(ReminderLog, ReminderLog.person_id == person.id),
        "betreute_abteilungen": [
            looked_after.department.name
            for looked_after in db.session.scalars(
                sa.select(ChampionDepartment).where(ChampionDepartment.champion_id == person.id)
            )
        ],
        "ihre_angaben_als_champion": _rows(ChampionProfile, ChampionProfile.person_id == person.id),
        "ihr_persoenlicher_champion": [
            {german("champion"): row.champion.name, german("created_at"): _value(row.created_at)}
            for row in db.session.scalars(
                sa.select(ChampionMentee).where(ChampionMentee.mentee_id == person.id)
            )
        ],
        "ihre_rueckmeldungen_als_champion": [
            {
                german("module_id"): s.module_id,
                german("status"): s.status,
                german("reviewed_at"): _value(s.reviewed_at),
                german("feedback"): s.feedback,
            }
            for s in db.session.scalars(
                sa.select(Submission)
                .where(Submission.reviewer_id == person.id)
                .order_by(Submission.id)
            )
        ],
        "ihre_aktionen_im_protokoll": [
            {german("action"): e.action, german("at"): _value(e.at)}
            for e in db.session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.actor_id == person.id)
                .order_by(AuditEvent.id)
            )
        ],
        "xapi_pseudonym": db.session.scalar(
            sa.select(XapiActor.name).where(XapiActor.person_id == person.id)
        ),
    }
