"""The weekly digest (Monday morning): department heads get their department's progress in
figures, champions what waits for them. Aggregates only — no competence levels, no answers,
no names. Switchable off (preference "digest")."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lernpfad.auth.models import Person, PersonRole, Role
from lernpfad.core.links import external_url
from lernpfad.extensions import db
from lernpfad.jobs import rules
from lernpfad.jobs.reminders import Sender, reachable_people
from lernpfad.jobs.services import Job, local, register


def department_figures(department_id: int, now: datetime) -> dict:
    """Active staff, how many took the self-assessment, modules completed in the last seven
    days, assigned modules open and overdue — counts over the whole department."""
    from lernpfad.assessments.models import AssessmentResult
    from lernpfad.modules.models import ModuleAssignment, ModuleProgress
    from lernpfad.modules.rules import ASSIGNMENT_OPEN, ASSIGNMENT_OVERDUE, assignment_status
    from lernpfad.reports.rules import percent

    staff = sa.select(Person.id).where(Person.department_id == department_id, Person.active)
    count = sa.select(sa.func.count()).select_from
    total = db.session.scalar(count(staff.subquery()))
    assessed = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(AssessmentResult.person_id))).where(
            AssessmentResult.person_id.in_(staff)
        )
    )
    completed = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ModuleProgress)
        .where(
            ModuleProgress.person_id.in_(staff),
            ModuleProgress.completed_at >= now - timedelta(days=7),
        )
    )
    today = local(now).date()
    statuses = [
        assignment_status(state, due_on, today)
        for due_on, state in db.session.execute(
            sa.select(ModuleAssignment.due_on, ModuleProgress.state)
            .outerjoin(
                ModuleProgress,
                sa.and_(
                    ModuleProgress.person_id == ModuleAssignment.person_id,
                    ModuleProgress.module_id == ModuleAssignment.module_id,
                ),
            )
            .where(ModuleAssignment.person_id.in_(staff))
        )
    ]
    return {
        "staff": total,
        "assessed": assessed,
        "percent": percent(assessed, total),
        "completed": completed,
        "open": statuses.count(ASSIGNMENT_OPEN),
        "overdue": statuses.count(ASSIGNMENT_OVERDUE),
    }


def unconfirmed_sessions(champion: Person) -> int:
    """Sessions the champion logged that wait for the mentee's answer."""
    from lernpfad.mentoring.models import MentoringSession

    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(MentoringSession)
        .where(MentoringSession.champion_id == champion.id, MentoringSession.status == "waiting")
    )


def send_digests(now: datetime) -> dict[str, int]:
    """One digest per head and champion and ISO week; nothing for a champion with nothing
    waiting (counted as skipped_empty)."""
    from lernpfad.mentoring.services import pending_count

    week = rules.period_key("week", local(now))
    sender = Sender(now)
    empty = 0
    roles = sa.select(PersonRole.person_id).where(
        PersonRole.role.in_([Role.DEPARTMENT_HEAD.value, Role.CHAMPION.value])
    )
    for person in db.session.scalars(
        reachable_people().where(Person.id.in_(roles)).order_by(Person.id)
    ):
        if not sender.wants(person, "digest"):  # before the figures are counted
            sender.tally.skipped_opt_out += 1
            continue
        is_champion = person.has_role(Role.CHAMPION)
        waiting = pending_count(person) if is_champion else 0
        unconfirmed = unconfirmed_sessions(person) if is_champion else 0
        sections = rules.digest_sections(
            is_head=person.has_role(Role.DEPARTMENT_HEAD),
            has_department=person.department_id is not None,
            is_champion=is_champion,
            waiting=waiting,
            unconfirmed=unconfirmed,
        )
        if not sections:
            empty += 1
            continue
        department = None
        if "department" in sections:
            department = {
                "name": person.department.name,
                **department_figures(person.department_id, now),
                "report_url": external_url("reports.department"),
                "assignments_url": external_url("modules.assignments"),
            }
        champion = None
        if "champion" in sections:
            champion = {
                "waiting": waiting,
                "unconfirmed": unconfirmed,
                "queue_url": external_url("mentoring.index"),
                "sessions_url": external_url("mentoring.sessions"),
            }
        sender.send(
            person,
            "digest",
            week,
            subject=_l("Lernpfad: Ihre Wochenübersicht"),
            link="core.dashboard",
            notice=False,
            context={"department": department, "champion": champion},
        )
    return sender.counts(skipped_empty=empty)


register(Job("digest", _l("Wochenübersicht"), "week", "0 7 * * mon", send_digests))
