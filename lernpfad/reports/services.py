"""Audit log and the aggregated reports for HR, department heads and leadership."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import to_user_timezone
from sqlalchemy.exc import IntegrityError

from lernpfad.assessments.models import AssessmentResult
from lernpfad.auth.models import Department, Person, PersonRole, Role
from lernpfad.content.models import ContentImport, ModuleVersion
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.mentoring.models import ChampionDepartment
from lernpfad.modules.models import ModuleProgress
from lernpfad.paths.models import PathAssignment
from lernpfad.reports import rules
from lernpfad.reports.models import AuditEvent, ReportPublication
from lernpfad.usecases.models import UseCase


def record_audit(*, actor, action: str, subject=None, **details) -> AuditEvent:
    """Write an audit event (flushed; committed with the change it records)."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_id=subject.id if subject is not None else None,
        details=details,
    )
    db.session.add(event)
    db.session.flush()
    return event


def _latest_levels(department_id: int | None) -> dict[int, tuple[int | None, int, dict]]:
    """person id → (department id, result id, levels) of their latest assessment, active people."""
    query = (
        sa.select(
            AssessmentResult.person_id,
            Person.department_id,
            AssessmentResult.id,
            AssessmentResult.levels,
        )
        .join(Person, Person.id == AssessmentResult.person_id)
        .where(Person.active)
        .order_by(AssessmentResult.completed_at, AssessmentResult.id)
    )
    if department_id is not None:
        query = query.where(Person.department_id == department_id)
    latest: dict[int, tuple[int | None, int, dict]] = {}
    for person_id, dept, result_id, levels in db.session.execute(query):
        latest[person_id] = (dept, result_id, levels)  # later rows win
    return latest


COMPANY = "company"


def _group_key(department_id: int | None) -> str:
    return COMPANY if department_id is None else f"department:{department_id}"


def _publications(keys: list[str]) -> dict[str, ReportPublication]:
    rows = db.session.scalars(
        sa.select(ReportPublication).where(ReportPublication.group_key.in_(keys))
    )
    return {row.group_key: row for row in rows}


def _publish(
    key: str,
    members: dict[int, tuple[int | None, int, dict]],
    found: ReportPublication | None,
    dimensions: list[str],
    min_group: int,
) -> ReportPublication | None:
    """The group's publication, renewed when enough of its people changed (rules.should_publish).
    Written inside the report request; a parallel request publishing the same step wins."""
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
    publication.published_at = utcnow()
    try:
        with db.session.begin_nested():
            db.session.add(publication)
    except IntegrityError:
        return db.session.scalar(
            sa.select(ReportPublication).where(ReportPublication.group_key == key)
        )
    return publication


@dataclass(frozen=True)
class Report:
    staff: int
    assessed: int
    assessed_percent: int
    distribution: dict[str, list[int]] | None
    means: dict[str, float] | None
    published_at: object | None  # when the competence figures shown were published
    published_n: int  # over how many people
    matrix: dict[str, dict[str, float] | None]
    completed_modules: int
    learners_with_completion: int
    coverage: list[tuple[str, rules.Coverage]]
    company_coverage: rules.Coverage
    withheld: set[str]  # departments with enough people, hidden so a smaller one stays hidden
    use_cases: dict[str, int]


def _hidden_departments(
    company: dict[int, tuple[int | None, int, dict]], department_ids: list[int], min_group: int
) -> set[int]:
    """Departments whose competence figures stay hidden company-wide (see rules.suppressed_groups)."""
    counts: dict[int | None, int] = {}
    for dept, _rid, _levels in company.values():
        counts[dept] = counts.get(dept, 0) + 1
    sizes = {i: counts.get(i, 0) for i in department_ids}
    return rules.suppressed_groups(sizes, counts.get(None, 0), min_group)


def report(
    dimensions: list[str],
    min_group: int,
    department_id: int | None = None,
    *,
    company_view: bool = True,
) -> Report:
    """Aggregates for the company, or for one department; competence only over ≥ min_group.

    Competence figures are the group's publication (rules.should_publish): they change only when
    enough people changed. In a company view (HR, leadership), departments that would let a small
    group be worked out by subtraction stay hidden — in the table and when chosen on their own.
    Writes publications (flushed); the caller commits."""
    people = sa.select(Person.id, Person.department_id).where(Person.active)
    if department_id is not None:
        people = people.where(Person.department_id == department_id)
    staff = db.session.execute(people).all()
    departments = db.session.execute(
        sa.select(Department.id, Department.name).order_by(Department.name)
    ).all()
    if company_view or department_id is None:
        company = _latest_levels(None)  # one query serves the company figures and suppression
        latest = (
            company
            if department_id is None
            else {pid: row for pid, row in company.items() if row[0] == department_id}
        )
    else:
        latest = _latest_levels(department_id)
    hidden = (
        _hidden_departments(company, [i for i, _name in departments], min_group)
        if company_view
        else set()
    )
    if department_id is not None:
        departments = [(i, n) for i, n in departments if i == department_id]
    names = dict(departments)
    by_department: dict[int, dict] = {i: {} for i, _name in departments}
    for pid, row in latest.items():
        if row[0] in by_department:
            by_department[row[0]][pid] = row
    # The group's own publication, and in the company view one per department for the table.
    table = by_department if department_id is None else {}
    own_key = _group_key(department_id)
    found = _publications([own_key] + [_group_key(i) for i in table])
    own = (
        None
        if department_id in hidden or len(latest) < min_group
        else _publish(own_key, latest, found.get(own_key), dimensions, min_group)
    )
    matrix = {}
    for i, members in table.items():
        publication = None
        if i not in hidden and len(members) >= min_group:
            key = _group_key(i)
            publication = _publish(key, members, found.get(key), dimensions, min_group)
        matrix[names[i]] = publication.figures["means"] if publication else None
    figures = own.figures if own is not None else None
    completion_query = (
        sa.select(ModuleProgress.person_id)
        .join(Person, Person.id == ModuleProgress.person_id)
        .where(ModuleProgress.state == "abgeschlossen", Person.active)
    )
    if department_id is not None:
        completion_query = completion_query.where(Person.department_id == department_id)
    completions = db.session.execute(completion_query).all()
    # Champions look after their own department and those HR assigned to them.
    champions = db.session.execute(
        sa.select(Person.id, Person.department_id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.active, PersonRole.role == Role.CHAMPION.value)
    ).all()
    active_champions = {pid for pid, _dept in champions}
    looked_after: dict[int | None, set[int]] = {}
    for pid, dept in champions:
        looked_after.setdefault(dept, set()).add(pid)
    for pid, dept in db.session.execute(
        sa.select(ChampionDepartment.champion_id, ChampionDepartment.department_id)
    ):
        if pid in active_champions:
            looked_after.setdefault(dept, set()).add(pid)
    shares = rules.champion_shares(looked_after)
    staff_by_department: dict[int | None, int] = {}
    for _pid, dept in staff:
        staff_by_department[dept] = staff_by_department.get(dept, 0) + 1
    use_case_query = sa.select(UseCase.status, sa.func.count()).group_by(UseCase.status)
    if department_id is not None:
        use_case_query = use_case_query.where(UseCase.department_id == department_id)
    return Report(
        staff=len(staff),
        assessed=len(latest),
        assessed_percent=rules.percent(len(latest), len(staff)),
        distribution=figures["distribution"] if figures else None,
        means=figures["means"] if figures else None,
        published_at=own.published_at if figures else None,
        published_n=figures["n"] if figures else 0,
        matrix=matrix,
        withheld={
            names[i] for i in hidden if i in names and len(by_department.get(i, {})) >= min_group
        }
        | (
            {names[department_id]}
            if department_id in hidden and len(latest) >= min_group
            else set()
        ),
        completed_modules=len(completions),
        learners_with_completion=len({pid for (pid,) in completions}),
        coverage=[
            (name, rules.champion_coverage(staff_by_department.get(i, 0), shares.get(i, 0)))
            for i, name in departments
        ],
        company_coverage=rules.champion_coverage(
            len(staff),
            sum(shares.get(i, 0) for i, _name in departments)
            if department_id is not None
            else len(active_champions),
        ),
        use_cases=dict(db.session.execute(use_case_query).all()),
    )


@dataclass(frozen=True)
class Evidence:
    """What the company did for AI literacy (AI Act Art. 4): needs, plan, updates, documentation."""

    report: Report
    path_roles: dict[str, int]
    imports: list[ContentImport]
    results: int
    reassessed: int
    completions: list[tuple[str, str, int]]  # module id, title, people who completed it
    completed_total: int  # all completions, former staff included (as in the table)
    completed_people: int


def evidence(dimensions: list[str], min_group: int) -> Evidence:
    # The path people actually follow (paths.services.path_role): the champion path where HR
    # nominated them or they took it up, otherwise the base role.
    followed = sa.case(
        (
            sa.or_(
                PathAssignment.nominated_champion,
                PathAssignment.champion_choice == "confirmed",
            ),
            "champion",
        ),
        else_=PathAssignment.role,
    )
    path_roles = dict(
        db.session.execute(
            sa.select(followed, sa.func.count())
            .join(Person, Person.id == PathAssignment.person_id)
            .where(Person.active)
            .group_by(followed)
        ).all()
    )
    per_person = db.session.execute(
        sa.select(AssessmentResult.person_id, sa.func.count()).group_by(AssessmentResult.person_id)
    ).all()
    titles = dict(
        db.session.execute(
            sa.select(ModuleVersion.module_id, ModuleVersion.title).where(ModuleVersion.is_current)
        ).all()
    )
    completions = db.session.execute(
        sa.select(ModuleProgress.module_id, sa.func.count())
        .where(ModuleProgress.state == "abgeschlossen")
        .group_by(ModuleProgress.module_id)
    ).all()
    completed_people = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(ModuleProgress.person_id))).where(
            ModuleProgress.state == "abgeschlossen"
        )
    )
    return Evidence(
        report=report(dimensions, min_group),
        path_roles=path_roles,
        imports=list(
            db.session.scalars(sa.select(ContentImport).order_by(ContentImport.imported_at.desc()))
        ),
        results=sum(count for _pid, count in per_person),
        reassessed=sum(1 for _pid, count in per_person if count > 1),
        completed_total=sum(count for _module, count in completions),
        completed_people=completed_people or 0,
        completions=sorted(
            (
                (module_id, titles.get(module_id, module_id), count)
                for module_id, count in completions
            ),
            key=lambda row: (-row[2], row[1]),
        ),
    )


TRAINING_COLUMNS = (
    "Name",
    "E-Mail",
    "Abteilung",
    "Modul",
    "Modultitel",
    "Inhaltsversion",
    "Quiz bestanden am",
    "Quizversuche",
    "Abgeschlossen am",
    "aktiv",
)


def training_records() -> list[tuple]:
    """One row per completed module and person, with the content version it was completed on."""
    rows = db.session.execute(
        sa.select(
            Person.name,
            Person.email,
            Department.name,
            ModuleProgress.module_id,
            ModuleVersion.title,
            ModuleVersion.content_hash,
            ModuleProgress.quiz_passed_at,
            ModuleProgress.quiz_attempts,
            ModuleProgress.completed_at,
            Person.active,
        )
        .join(Person, Person.id == ModuleProgress.person_id)
        .outerjoin(Department, Department.id == Person.department_id)
        .join(ModuleVersion, ModuleVersion.id == ModuleProgress.version_id)
        .where(ModuleProgress.state == "abgeschlossen")
        .order_by(Department.name, Person.name, ModuleProgress.completed_at)
    ).all()
    return [
        (
            name,
            email,
            department or "",
            module_id,
            title,
            content_hash[:12],
            to_user_timezone(quiz_at).date().isoformat() if quiz_at else "",
            attempts,
            to_user_timezone(done_at).date().isoformat() if done_at else "",
            "ja" if active else "nein",
        )
        for (
            name,
            email,
            department,
            module_id,
            title,
            content_hash,
            quiz_at,
            attempts,
            done_at,
            active,
        ) in rows
    ]
