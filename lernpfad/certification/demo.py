"""The demo company's certification: champion@ is a certified KI-Champion (and may certify),
a second champion is half-way (exam passed, one project approved, three sessions); HR certifies."""

import random
from datetime import timedelta

import sqlalchemy as sa

from lernpfad.auth.models import Person, Role
from lernpfad.certification import services
from lernpfad.certification.exam.rules import draw
from lernpfad.certification.models import ExamAttempt, Project
from lernpfad.content.services import current_document
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.mentoring.models import MentoringSession
from lernpfad.paths.models import PathAssignment

PROJECTS = [
    (
        "Angebotsentwürfe mit Prompt-Vorlage",
        "Eine Prompt-Vorlage für Angebotsentwürfe gebaut, mit drei Kolleginnen sechs Wochen erprobt "
        "und die Prüfschritte als Checkliste festgehalten.",
        "45 Minuten je Angebot",
        "20 Minuten je Angebot",
        "Gemessen an 30 Angeboten vor und nach dem Pilot; zwei Rückfragen weniger je Angebot.",
    ),
    (
        "Antwortvorschläge im Kundenservice",
        "Antwortbausteine für die zehn häufigsten Anfragen mit KI vorbereitet, Freigabe durch das Team, "
        "Datenschutzhinweise eingebaut.",
        "12 Minuten je Antwort",
        "7 Minuten je Antwort",
        "Über vier Wochen mit Stichproben gemessen; die Zufriedenheit blieb gleich.",
    ),
]


def _exam_passed(person: Person, days_ago: int) -> None:
    pool = current_document("exam_pool")
    if pool is None:
        return
    questions = pool.data["questions"]
    ids = draw(questions, 20, f"demo:{person.id}")
    right = {q["id"]: q["correct"] for q in questions}
    started = utcnow() - timedelta(days=days_ago)
    db.session.add(
        ExamAttempt(
            person_id=person.id,
            pool_hash=pool.content_hash,
            question_ids=ids,
            started_at=started,
            deadline=started + timedelta(minutes=30),
            submitted_at=started + timedelta(minutes=22),
            answers={qid: right[qid] for qid in ids},
            correct=len(ids),
            total=len(ids),
            passed=True,
        )
    )


def _project(person: Person, use_case, reviewer: Person, days_ago: int, index: int) -> None:
    title, done, baseline, result, effect = PROJECTS[index % len(PROJECTS)]
    submitted = utcnow() - timedelta(days=days_ago)
    db.session.add(
        Project(
            person_id=person.id,
            use_case_id=use_case.id,
            title=title,
            what_was_done=done,
            baseline=baseline,
            result=result,
            effect=effect,
            status="approved",
            submitted_at=submitted,
            reviewed_at=submitted + timedelta(days=2),
            reviewer_id=reviewer.id,
        )
    )


def _sessions(champion: Person, mentees: list[Person], days_ago: list[int]) -> None:
    from datetime import UTC, datetime, time

    for n, days in enumerate(days_ago):
        held_on = (utcnow() - timedelta(days=days)).date()
        logged = datetime.combine(held_on, time(17), tzinfo=UTC)
        db.session.add(
            MentoringSession(
                champion_id=champion.id,
                mentee_id=mentees[n % len(mentees)].id,
                held_on=held_on,
                minutes=45,
                topic=[
                    "Prompt-Vorlagen im Team teilen",
                    "Ergebnisse prüfen mit Checkliste",
                    "Datenschutz im Alltag",
                    "Anwendungsfälle bewerten",
                ][n % 4],
                status="confirmed",
                created_at=logged,
                answered_at=logged + timedelta(days=1),
            )
        )


def load_demo_certification(
    people: dict[str, Person], rng: random.Random, use_cases: list
) -> str | None:
    """Returns champion@'s verification code (make run prints the link)."""
    from lernpfad.modules.demo import _work_through
    from lernpfad.paths.services import choose_champion_path
    from lernpfad.people.services import set_roles

    hr = people["hr@muster.example"]
    champion = people["champion@muster.example"]
    running = [u for u in use_cases if u.status in ("pilot", "im_einsatz")]
    # The second champion: the first colleague the assessment offered the champion path to.
    offered = db.session.scalars(
        sa.select(PathAssignment)
        .join(Person, Person.id == PathAssignment.person_id)
        .where(PathAssignment.champion_choice == "offered", Person.id != champion.id)
        .order_by(Person.email)
    ).first()
    second = db.session.get(Person, offered.person_id) if offered else None
    if second is not None:
        choose_champion_path(second, True)
        set_roles(second, second.roles | {Role.CHAMPION}, actor=None, via="demo")

    # champion@: the whole champion path (hand-ins reviewed by the second champion), the exam,
    # two projects on two running use cases, five confirmed sessions with colleagues.
    _work_through(champion, 99, second or hr, rng, use_cases, finish=True)
    _exam_passed(champion, days_ago=70)
    for index, case in enumerate(running[:2]):
        _project(champion, case, hr, days_ago=60 - 10 * index, index=index)
    colleagues = [p for e, p in sorted(people.items()) if p.department_id != champion.department_id]
    _sessions(champion, colleagues[:2], [55, 48])
    db.session.flush()
    code = None
    if services.rules.ready_for_approval(services.checklist(champion)):
        certificate = services.issue(champion, hr, now=utcnow() - timedelta(days=30))
        services.grant_certifier_right(champion, hr)  # audited, as HR's form does
        code = certificate.code

    # The second champion: half-way.
    if second is not None:
        _exam_passed(second, days_ago=20)
        own = [u for u in running if u.department_id == second.department_id] or running[2:3]
        if own:
            _project(second, own[0], hr, days_ago=15, index=1)
        mentees = [
            p
            for e, p in sorted(people.items())
            if p.department_id == second.department_id and p.id != second.id
        ]
        _sessions(second, mentees[:2] or colleagues[:2], [25, 18, 9])
    db.session.flush()
    return code
