"""The demo company has one KI-Champion; HR assigned every other department to them, and asked
them to look after the managing director (Verwaltung, no champion of its own) personally. They
set office hours and logged a few sessions: some confirmed, one waiting for Anna's answer. A
larger company has more champions (load_demo_champions)."""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Department, Person
from lernpfad.extensions import db
from lernpfad.mentoring.models import MentoringSession
from lernpfad.mentoring.services import assign, assign_mentee, log_session, save_profile

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


STAFF_PER_EXTRA_CHAMPION = 200  # a department this size has a champion of its own (none at 10)
EXTRA_SESSIONS = [  # (days ago, topic) logged by each of them with two colleagues
    (34, "Prompt-Vorlagen im Team teilen"),
    (13, "Ergebnisse prüfen mit Checkliste"),
]


def load_demo_champions(
    staff: list[Person], staff_per_department: dict[str, int]
) -> dict[int, list[Person]]:
    """A larger company has more champions: in each department, one per
    STAFF_PER_EXTRA_CHAMPION ``staff`` (the generated people, not the named demo logins) took up
    the champion path the assessment offered them (the first by e-mail address) and logged a few
    confirmed sessions with colleagues. Returns the champions by department id: they review the
    department's hand-ins."""
    from lernpfad.auth.models import Role
    from lernpfad.paths.models import PathAssignment
    from lernpfad.paths.services import OFFERED, choose_champion_path
    from lernpfad.people.services import set_roles

    wanted = {name: n // STAFF_PER_EXTRA_CHAMPION for name, n in staff_per_department.items()}
    if not any(wanted.values()):
        return {}
    offered = set(
        db.session.scalars(
            sa.select(PathAssignment.person_id).where(PathAssignment.champion_choice == OFFERED)
        )
    )
    champions: dict[int, list[Person]] = {}
    colleagues: dict[int, list[Person]] = {}
    for person in sorted(staff, key=lambda p: p.email):
        colleagues.setdefault(person.department_id, []).append(person)
        chosen = champions.setdefault(person.department_id, [])
        if person.id in offered and len(chosen) < wanted.get(person.department.name, 0):
            choose_champion_path(person, True)
            set_roles(person, person.roles | {Role.CHAMPION}, actor=None, via="demo")
            chosen.append(person)
    today = date.today()
    for department_id, chosen in champions.items():
        others = [p for p in colleagues[department_id] if p not in chosen]
        for index, champion in enumerate(chosen):
            for number, (days_ago, topic) in enumerate(EXTRA_SESSIONS):
                held_on = today - timedelta(days=days_ago + index % 7)
                logged = datetime.combine(held_on, time(17), tzinfo=UTC)
                db.session.add(
                    MentoringSession(
                        champion_id=champion.id,
                        mentee_id=others[(2 * index + number) % len(others)].id,
                        held_on=held_on,
                        minutes=45,
                        topic=topic,
                        status="confirmed",
                        created_at=logged,
                        answered_at=logged + timedelta(days=1),
                    )
                )
    db.session.flush()
    return {d: chosen for d, chosen in champions.items() if chosen}
