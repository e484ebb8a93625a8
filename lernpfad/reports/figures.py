"""The figures behind the reports — live, or as of a moment — and the publication steps of the
competence figures. The report pages (reports.services) and the monthly snapshots
(reports.snapshots) both count through these functions, so a trend and a page count alike.

``as_of`` (an aware UTC datetime, exclusive) counts only what existed before it, by the records'
own timestamps: people and departments by ``created_at``, self-assessment results and module
completions by ``completed_at``, champions' further departments and use cases by ``created_at``.
What keeps no history is taken as it is now: whether a person is active, their department, a use
case's status, the champion role."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lernpfad.assessments.models import AssessmentResult
from lernpfad.auth.models import Department, Person, PersonRole, Role
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.mentoring.models import ChampionDepartment
from lernpfad.modules.models import ModuleProgress
from lernpfad.reports import rules
from lernpfad.reports.models import ReportPublication
from lernpfad.usecases.models import UseCase

COMPANY = "company"

# person id → (department id, result id, levels) of their latest self-assessment
Latest = dict[int, tuple[int | None, int, dict]]


def group_key(department_id: int | None) -> str:
    """The key of a group in publications and snapshots: company | department:<id>."""
    return COMPANY if department_id is None else f"department:{department_id}"


def _in_department(query, department_id: int | None):
    return query if department_id is None else query.where(Person.department_id == department_id)


def departments(as_of: datetime | None = None) -> list[tuple[int, str]]:
    """(id, name) of every department (that existed before ``as_of``), by name."""
    query = sa.select(Department.id, Department.name).order_by(Department.name)
    if as_of is not None:
        query = query.where(Department.created_at < as_of)
    return [tuple(row) for row in db.session.execute(query)]


def staff(department_id: int | None = None, as_of: datetime | None = None) -> list[tuple]:
    """(person id, department id) of the active people (who had joined before ``as_of``)."""
    query = _in_department(
        sa.select(Person.id, Person.department_id).where(Person.active), department_id
    )
    if as_of is not None:
        query = query.where(Person.created_at < as_of)
    return [tuple(row) for row in db.session.execute(query)]


def latest_levels(department_id: int | None = None, as_of: datetime | None = None) -> Latest:
    """Every active person's latest self-assessment (completed before ``as_of``)."""
    query = _in_department(
        sa.select(
            AssessmentResult.person_id,
            Person.department_id,
            AssessmentResult.id,
            AssessmentResult.levels,
        )
        .join(Person, Person.id == AssessmentResult.person_id)
        .where(Person.active)
        .order_by(AssessmentResult.completed_at, AssessmentResult.id),
        department_id,
    )
    if as_of is not None:
        query = query.where(AssessmentResult.completed_at < as_of)
    latest: Latest = {}
    for person_id, dept, result_id, levels in db.session.execute(query):
        latest[person_id] = (dept, result_id, levels)  # later rows win
    return latest


def completions(department_id: int | None = None, as_of: datetime | None = None) -> list[tuple]:
    """(person id, department id) of every module completed by an active person (before
    ``as_of``)."""
    query = _in_department(
        sa.select(ModuleProgress.person_id, Person.department_id)
        .join(Person, Person.id == ModuleProgress.person_id)
        .where(ModuleProgress.state == "abgeschlossen", Person.active),
        department_id,
    )
    if as_of is not None:
        query = query.where(ModuleProgress.completed_at < as_of)
    return [tuple(row) for row in db.session.execute(query)]


def champions(as_of: datetime | None = None) -> tuple[set[int], dict]:
    """The active champions and, per department, their share (rules.champion_shares): champions
    look after their own department and those HR assigned to them (before ``as_of``)."""
    query = (
        sa.select(Person.id, Person.department_id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.active, PersonRole.role == Role.CHAMPION.value)
    )
    assigned = sa.select(ChampionDepartment.champion_id, ChampionDepartment.department_id)
    if as_of is not None:
        query = query.where(Person.created_at < as_of)
        assigned = assigned.where(ChampionDepartment.created_at < as_of)
    rows = db.session.execute(query).all()
    active = {pid for pid, _dept in rows}
    looked_after: dict[int | None, set[int]] = {}
    for pid, dept in rows:
        looked_after.setdefault(dept, set()).add(pid)
    for pid, dept in db.session.execute(assigned):
        if pid in active:
            looked_after.setdefault(dept, set()).add(pid)
    return active, rules.champion_shares(looked_after)


def use_cases(department_id: int | None = None, as_of: datetime | None = None) -> dict:
    """department id → {status: number of use cases} (recorded before ``as_of``)."""
    query = sa.select(UseCase.department_id, UseCase.status, sa.func.count()).group_by(
        UseCase.department_id, UseCase.status
    )
    if department_id is not None:
        query = query.where(UseCase.department_id == department_id)
    if as_of is not None:
        query = query.where(UseCase.created_at < as_of)
    counts: dict[int, dict[str, int]] = {}
    for dept, status, count in db.session.execute(query):
        counts.setdefault(dept, {})[status] = count
    return counts


def hidden_departments(company: Latest, department_ids: list[int], min_group: int) -> set[int]:
    """Departments whose competence figures stay hidden company-wide (rules.suppressed_groups)."""
    counts: dict[int | None, int] = {}
    for dept, _rid, _levels in company.values():
        counts[dept] = counts.get(dept, 0) + 1
    sizes = {i: counts.get(i, 0) for i in department_ids}
    return rules.suppressed_groups(sizes, counts.get(None, 0), min_group)


def publications(keys: list[str]) -> dict[str, ReportPublication]:
    rows = db.session.scalars(
        sa.select(ReportPublication).where(ReportPublication.group_key.in_(keys))
    )
    return {row.group_key: row for row in rows}


def publish(
    key: str,
    members: Latest,
    found: ReportPublication | None,
    dimensions: list[str],
    min_group: int,
    at: datetime | None = None,
) -> ReportPublication | None:
    """The group's publication, renewed when enough of its people changed (rules.should_publish).
    Flushed; a parallel request publishing the same step wins. ``at``: the moment the members
    stand for (a snapshot's month end); a publication newer than that is kept, never stepped
    back to an older state — two shown steps must never differ by fewer than min_group people."""
    if at is not None and found is not None and found.published_at >= at:
        return found
    current = {pid: result_id for pid, (_dept, result_id, _lv) in members.items()}
    before = {int(pid): rid for pid, rid in found.members.items()} if found else None
    if not rules.should_publish(before, current, min_group):
        return found
    levels = [lv for _dept, _rid, lv in members.values()]
    publication = found or ReportPublication(group_key=key)
    publication.members = {str(pid): rid for pid, rid in current.items()}
    publication.figures = {
        "n": len(levels),
        "distribution": rules.distribution(levels, dimensions, min_group),
        "means": {d: rules.mean_level([lv.get(d, 0) for lv in levels]) for d in dimensions},
    }
    publication.published_at = at or utcnow()
    try:
        with db.session.begin_nested():
            db.session.add(publication)
    except IntegrityError:
        return db.session.scalar(
            sa.select(ReportPublication).where(ReportPublication.group_key == key)
        )
    return publication
