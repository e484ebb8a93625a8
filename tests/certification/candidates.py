"""Test state: the demo's second champion with every certification requirement done."""

import random
from datetime import date, timedelta

import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.extensions import db

CERTIFIED = "champion@muster.example"


def second_champion() -> Person:
    """The demo's second champion (took up the champion path; not champion@)."""
    from lernpfad.paths.models import PathAssignment

    return db.session.scalar(
        sa.select(Person)
        .join(PathAssignment, PathAssignment.person_id == Person.id)
        .where(PathAssignment.champion_choice == "confirmed", Person.email != CERTIFIED)
        .order_by(Person.email)
        .limit(1)
    )


def complete_second_champion() -> Person:
    """The demo's second champion is half-way (exam passed, one project, three sessions): give
    them the rest — the path, a second approved project on another running use case, two more
    confirmed sessions — so only HR's approval is missing. Flushed; the caller commits."""
    from lernpfad.certification.demo import _project
    from lernpfad.certification.models import Project
    from lernpfad.mentoring.models import MentoringSession
    from lernpfad.modules.demo import _work_through
    from lernpfad.modules.models import Submission
    from lernpfad.modules.services import accept_submission
    from lernpfad.usecases.models import UseCase

    second = second_champion()
    certified = db.session.scalar(sa.select(Person).where(Person.email == CERTIFIED))
    hr = db.session.scalar(sa.select(Person).where(Person.email == "hr@muster.example"))
    for waiting in db.session.scalars(
        sa.select(Submission).where(
            Submission.person_id == second.id, Submission.status == "submitted"
        )
    ):
        accept_submission(waiting, certified, "Passt.")
    _work_through(second, 99, certified, random.Random(1), [], finish=True)
    done = set(
        db.session.scalars(
            sa.select(Project.use_case_id).where(
                Project.person_id == second.id, Project.use_case_id.is_not(None)
            )
        )
    )
    other = db.session.scalars(
        sa.select(UseCase).where(
            UseCase.status.in_(("pilot", "im_einsatz")), UseCase.id.not_in(done)
        )
    ).first()
    _project(second, other, hr, days_ago=5, index=0)
    colleagues = db.session.scalars(
        sa.select(Person)
        .where(Person.id.not_in([second.id, certified.id]), Person.active)
        .order_by(Person.id)
        .limit(2)
    ).all()
    for n, mentee in enumerate(colleagues):
        db.session.add(
            MentoringSession(
                champion_id=second.id,
                mentee_id=mentee.id,
                held_on=date.today() - timedelta(days=3 + n),
                minutes=30,
                topic=f"Nachtrag {n}",
                status="confirmed",
            )
        )
    db.session.flush()
    return second
