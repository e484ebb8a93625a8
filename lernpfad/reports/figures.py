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
from lernpfad.reports.models import PublicationMember, ReportPublication
from lernpfad.reports.tracking import BATCH  # ids per IN list
from lernpfad.usecases.models import UseCase

COMPANY = "company"
# Compared people after which a group's check point moves on, so the next page compares fewer.
CHECKPOINT_AFTER = 50

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


def group_sizes() -> dict[int | None, tuple[int, int, int, int]]:
    """department id → (active people, of them with a self-assessment, modules they completed,
    people with a completed module), now: one scan of an index of people."""
    rows = db.session.execute(
        sa.select(
            Person.department_id,
            sa.func.count(),
            sa.func.count(Person.current_result_id),
            sa.func.coalesce(sa.func.sum(Person.completed_modules), 0),
            sa.func.count(sa.case((Person.completed_modules > 0, 1))),
        )
        .where(Person.active)
        .group_by(Person.department_id)
    )
    return {dept: tuple(counts) for dept, *counts in rows}


def _in_group(department_id: int | None):
    """Whether a person counts in a group's competence figures now (an SQL condition)."""
    condition = sa.and_(Person.active, Person.current_result_id.is_not(None))
    if department_id is not None:
        condition = sa.and_(condition, Person.department_id == department_id)
    return condition


def current_members(department_id: int | None = None) -> Latest:
    """Every active person's latest self-assessment, now (what a new publication counts)."""
    query = (
        sa.select(
            Person.id, Person.department_id, Person.current_result_id, AssessmentResult.levels
        )
        .join(AssessmentResult, AssessmentResult.id == Person.current_result_id)
        .where(_in_group(department_id))
    )
    return {pid: (dept, rid, levels) for pid, dept, rid, levels in db.session.execute(query)}


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


def hidden_departments(
    assessed: dict[int | None, int], department_ids: list[int], min_group: int
) -> set[int]:
    """Departments whose competence figures stay hidden company-wide (rules.suppressed_groups);
    ``assessed``: department id → people with a self-assessment (None: in no department)."""
    sizes = {i: assessed.get(i, 0) for i in department_ids}
    return rules.suppressed_groups(sizes, assessed.get(None, 0), min_group)


def assessed_by_department(latest: Latest) -> dict[int | None, int]:
    counts: dict[int | None, int] = {}
    for dept, _rid, _levels in latest.values():
        counts[dept] = counts.get(dept, 0) + 1
    return counts


def publications(keys: list[str]) -> dict[str, ReportPublication]:
    rows = db.session.scalars(
        sa.select(ReportPublication).where(ReportPublication.group_key.in_(keys))
    )
    return {row.group_key: row for row in rows}


def changed_members(
    groups: dict[str, tuple[ReportPublication, int | None]],
) -> dict[str, tuple[list[int], list[datetime]]]:
    """Per group (key → its publication and department, None: the company): who now differs
    from the publication (in or out of the group, or another result), and when each person
    compared last changed. Compared are only those whose standing changed after the
    publication's check point, and those who already differed then (``drift``) — not the whole
    group; two queries serve all groups. A change the check point missed (made past the ORM, or
    committed late) is not counted: the figures then move later, never in a smaller step."""
    if not groups:
        return {}
    since = min(publication.checked_at for publication, _dept in groups.values())
    drift = {pid for publication, _dept in groups.values() for pid in publication.drift}
    columns = (
        Person.id,
        Person.active,
        Person.department_id,
        Person.current_result_id,
        Person.group_changed_at,
    )
    # Two index look-ups (an OR of both would scan everybody).
    people = {
        row[0]: row
        for row in db.session.execute(sa.select(*columns).where(Person.group_changed_at > since))
    }
    missing = sorted(drift - people.keys())
    if missing:
        people.update(
            (row[0], row)
            for row in db.session.execute(sa.select(*columns).where(Person.id.in_(missing)))
        )
    published: dict[tuple[str, int], int] = {}
    ids = sorted(people)
    for start in range(0, len(ids), BATCH):
        published.update(
            ((key, pid), rid)
            for key, pid, rid in db.session.execute(
                sa.select(
                    PublicationMember.group_key,
                    PublicationMember.person_id,
                    PublicationMember.result_id,
                ).where(
                    PublicationMember.group_key.in_(list(groups)),
                    PublicationMember.person_id.in_(ids[start : start + BATCH]),
                )
            )
        )
    people = list(people.values())
    found = {}
    for key, (publication, department_id) in groups.items():
        checked_at, earlier = publication.checked_at, set(publication.drift)
        differing, compared = [], []
        for pid, active, dept, result_id, changed_at in people:
            if changed_at <= checked_at and pid not in earlier:
                continue
            in_group = active and (department_id is None or dept == department_id)
            compared.append(changed_at)
            if (result_id if in_group else None) != published.get((key, pid)):
                differing.append(pid)
        found[key] = (differing, compared)
    return found


def refresh_publication(
    key: str,
    department_id: int | None,
    found: ReportPublication | None,
    dimensions: list[str],
    min_group: int,
    changes: tuple[list[int], list[datetime]] | None = None,
) -> ReportPublication | None:
    """The group's publication for a page, published afresh when at least ``min_group`` of its
    people changed (rules.should_publish). ``changes``: the group's entry of changed_members
    when the caller asked for several groups at once. Its cost follows the changes since the
    last publication, not the size of the group. Flushed; the caller commits."""
    if found is None:
        members = current_members(department_id)
        if len(members) < min_group:
            return None
        return _store(key, members, None, dimensions, min_group, utcnow())
    if changes is None:
        changes = changed_members({key: (found, department_id)})[key]
    differing, compared = changes
    if len(differing) >= min_group:
        members = current_members(department_id)
        if len(members) >= min_group:
            return _store(key, members, found, dimensions, min_group, utcnow())
    if len(compared) > CHECKPOINT_AFTER:  # the next page need not compare them again
        found.checked_at = max(compared)
        found.drift = sorted(differing)
    return found


def _published_members(key: str) -> dict[int, int]:
    return dict(
        db.session.execute(
            sa.select(PublicationMember.person_id, PublicationMember.result_id).where(
                PublicationMember.group_key == key
            )
        ).all()
    )


def publish(
    key: str,
    members: Latest,
    found: ReportPublication | None,
    dimensions: list[str],
    min_group: int,
    at: datetime | None = None,
) -> ReportPublication | None:
    """The group's publication with ``members`` as they were at ``at`` (a snapshot's month
    end), renewed when enough of its people changed (rules.should_publish). A publication newer
    than that is kept, never stepped back to an older state — two shown steps must never differ
    by fewer than min_group people. Flushed."""
    if at is not None and found is not None and found.published_at >= at:
        return found
    current = {pid: result_id for pid, (_dept, result_id, _lv) in members.items()}
    before = _published_members(key) if found else None
    if not rules.should_publish(before, current, min_group):
        return found
    return _store(key, members, found, dimensions, min_group, at or utcnow())


def _store(
    key: str,
    members: Latest,
    found: ReportPublication | None,
    dimensions: list[str],
    min_group: int,
    at: datetime,
) -> ReportPublication | None:
    """Write a publication of ``members`` as of ``at``. A parallel request publishing the same
    group wins; this one then returns what that one stored."""
    levels = [lv for _dept, _rid, lv in members.values()]
    publication = found or ReportPublication(group_key=key)
    publication.figures = {
        "n": len(levels),
        "distribution": rules.distribution(levels, dimensions, min_group),
        "means": {d: rules.mean_level([lv.get(d, 0) for lv in levels]) for d in dimensions},
    }
    publication.published_at = publication.checked_at = at
    publication.drift = []
    try:
        with db.session.begin_nested():
            db.session.add(publication)
            db.session.flush()
            db.session.execute(
                sa.delete(PublicationMember).where(PublicationMember.group_key == key)
            )
            if members:
                db.session.execute(
                    sa.insert(PublicationMember),
                    [
                        {"group_key": key, "person_id": pid, "result_id": rid}
                        for pid, (_dept, rid, _lv) in members.items()
                    ],
                )
    except IntegrityError:
        return db.session.scalar(
            sa.select(ReportPublication).where(ReportPublication.group_key == key)
        )
    return publication
