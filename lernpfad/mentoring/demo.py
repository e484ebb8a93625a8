"""The demo company has one KI-Champion; HR assigned every other department to them, and asked
them to look after the managing director (Verwaltung, no champion of its own) personally. They
set office hours and logged a few sessions: some confirmed, one waiting for Anna's answer."""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from lernpfad.auth.models import Department, Person
from lernpfad.extensions import db
from lernpfad.mentoring.services import assign, assign_mentee, log_session, save_profile
from lernpfad.reports.models import AuditEvent

SESSIONS = [  # (mentee, days ago, minutes, topic, confirmed)
    ("leitung.vertrieb@muster.example", 40, 60, "Anwendungsfälle im Vertrieb sammeln", True),
    ("gf@muster.example", 25, 45, "KI-Richtlinie: Entwurf durchsprechen", True),
    ("leitung.vertrieb@muster.example", 12, 30, "Prompt-Vorlage für Angebote", True),
    ("anna@muster.example", 2, 30, "Angebotsentwürfe mit Vorlage prüfen", False),
]


def load_demo_mentoring(people: dict[str, Person], departments: dict[str, Department]) -> None:
    champion = people["champion@muster.example"]
    # HR assigned the other departments some months ago: the report trends show the coverage
    # spread from one department to all.
    assigned = datetime.now(UTC) - timedelta(days=100)
    for department in departments.values():
        if department.id != champion.department_id:
            assign(champion, department).created_at = assigned
    save_profile(
        champion,
        "Di und Do 14–15 Uhr, Raum 2.14 oder Teams",
        "Tel. 0621 4711-214, Entwicklung, 2. OG",
    )
    # Shortly before their first session on the AI policy.
    personally = datetime.now(UTC) - timedelta(days=30)
    mentee = people["gf@muster.example"]
    assign_mentee(champion, mentee, people["hr@muster.example"]).created_at = personally
    db.session.execute(
        sa.update(AuditEvent)
        .where(AuditEvent.action == "mentee.assigned", AuditEvent.subject_id == mentee.id)
        .values(at=personally)
    )
    today = date.today()
    for email, days_ago, minutes, topic, confirmed in SESSIONS:
        session = log_session(
            champion, people[email], today - timedelta(days=days_ago), minutes, topic, today
        )
        # Logged the evening it took place, answered by the mentee the next day.
        session.created_at = datetime.combine(session.held_on, time(17), tzinfo=UTC)
        if confirmed:
            session.status = "confirmed"
            session.answered_at = session.created_at + timedelta(days=1)
