"""Audit log and the aggregated reports for HR, department heads and leadership."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import to_user_timezone

from lernpfad.assessments.models import AssessmentResult
from lernpfad.auth.models import Department, Person
from lernpfad.content.models import ContentImport, ModuleVersion
from lernpfad.extensions import db
from lernpfad.modules.models import ModuleProgress
from lernpfad.paths.models import PathAssignment
from lernpfad.reports import figures, rules


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
    sizes = figures.group_sizes()  # one scan serves the company figures and the suppression
    assessed = {dept: counts[1] for dept, counts in sizes.items()}
    departments = figures.departments()
    hidden = (
        figures.hidden_departments(assessed, [i for i, _name in departments], min_group)
        if company_view
        else set()
    )
    if department_id is not None:
        departments = [(i, n) for i, n in departments if i == department_id]
    names = dict(departments)

    def total(column: int) -> int:
        if department_id is not None:
            return sizes.get(department_id, (0, 0, 0, 0))[column]
        return sum(row[column] for row in sizes.values())

    staff, assessed_total = total(0), total(1)
    # The group's own publication, and in the company view one per department for the table.
    table = names if department_id is None else {}
    own_key = figures.group_key(department_id)
    groups = (
        {} if department_id in hidden or assessed_total < min_group else {own_key: department_id}
    )
    for i in table:
        if i not in hidden and assessed.get(i, 0) >= min_group:
            groups[figures.group_key(i)] = i
    found = figures.publications(list(groups))
    changes = figures.changed_members(
        {key: (found[key], dept) for key, dept in groups.items() if key in found}
    )
    shown_groups = {
        key: figures.refresh_publication(
            key, dept, found.get(key), dimensions, min_group, changes.get(key)
        )
        for key, dept in groups.items()
    }
    own = shown_groups.get(own_key)
    matrix = {}
    for i in table:
        publication = shown_groups.get(figures.group_key(i))
        matrix[names[i]] = publication.figures["means"] if publication else None
    shown = own.figures if own is not None else None
    active_champions, shares = figures.champions()
    return Report(
        staff=staff,
        assessed=assessed_total,
        assessed_percent=rules.percent(assessed_total, staff),
        distribution=shown["distribution"] if shown else None,
        means=shown["means"] if shown else None,
        published_at=own.published_at if shown else None,
        published_n=shown["n"] if shown else 0,
        matrix=matrix,
        withheld={names[i] for i in hidden if i in names and assessed.get(i, 0) >= min_group},
        completed_modules=total(2),
        learners_with_completion=total(3),
        coverage=[
            (name, rules.champion_coverage(sizes.get(i, (0, 0, 0, 0))[0], shares.get(i, 0)))
            for i, name in departments
        ],
        company_coverage=rules.champion_coverage(
            staff,
            sum(shares.get(i, 0) for i, _name in departments)
            if department_id is not None
            else len(active_champions),
        ),
        use_cases=rules.total_counts(figures.use_cases(department_id).values()),
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
