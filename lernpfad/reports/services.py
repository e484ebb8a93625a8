"""Audit log and the aggregated reports for HR, department heads and leadership."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import get_timezone

from lernpfad.assessments.models import AssessmentResult
from lernpfad.auth.models import Department, Person
from lernpfad.certification.models import Certificate
from lernpfad.content.models import ContentDocument, ContentImport, ModuleVersion
from lernpfad.db import day_end, utcnow
from lernpfad.extensions import db
from lernpfad.mentoring.models import MentoringSession
from lernpfad.modules.models import ModuleProgress
from lernpfad.paths.models import PathAssignment
from lernpfad.reports import figures, rules
from lernpfad.reports.models import ReportSnapshot


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
class Competence:
    """The competence figures an evidence shows: today the group's live publication, for a past
    Stichtag the last monthly snapshot up to it (both privacy-checked when they were made)."""

    figures: dict | None  # {"n", "distribution", "means"}; None where privacy withholds them
    published_at: datetime | None = None  # live: when the figures shown were published
    month: str | None = None  # past Stichtag: the snapshot's month ("YYYY-MM")
    withheld: bool = False  # live: hidden so that a smaller group cannot be worked out


@dataclass(frozen=True)
class PathMeasure:
    role: str
    title: str
    description: str
    steps: list[tuple[str, str, bool, bool]]  # module id, title, required, task reviewed


@dataclass(frozen=True)
class Measures:
    """What the company set up for AI literacy, from the content in force at the Stichtag."""

    assessment_title: str | None
    reassessment_days: int
    paths: list[PathMeasure]
    tasks: int  # modules that end with a practical task
    reviewed_tasks: int  # of them, checked by a champion
    champions: rules.Coverage
    mentoring_sessions: int  # confirmed sessions with mentees in scope
    certification: dict | None  # the certification document's data
    certificates_valid: int


@dataclass(frozen=True)
class Evidence:
    """What the company did for AI literacy (AI Act Art. 4): needs, plan, updates, documentation
    — for the company or one department, today or as of a past Stichtag."""

    day: date | None  # the Stichtag; None: today, live
    department_id: int | None
    report: Report | None  # today only
    staff: int
    assessed: int
    assessed_percent: int
    competence: Competence
    path_roles: dict[str, int]
    path_roles_withheld: bool  # a department with fewer than the minimum on a path
    imports: list[ContentImport]
    results: int
    reassessed: int
    completions: list[tuple[str, str, int]]  # module id, title, people who completed it
    completed_total: int  # all completions, former staff included (as in the table)
    completed_people: int
    versions: list[ModuleVersion]  # the module versions in force, by module id
    measures: Measures


def last_complete_month(day: date) -> str:
    """The last month ("YYYY-MM") that has ended by the end of ``day``."""
    return (
        day.strftime("%Y-%m") if (day + timedelta(days=1)).day == 1 else rules.previous_month(day)
    )


def _in_scope(query, department_id: int | None, person_id=None):
    """Only rows of people in the department (their department now: it keeps no history)."""
    if department_id is None:
        return query
    return query.where(
        (person_id if person_id is not None else Person.id).in_(
            sa.select(Person.id).where(Person.department_id == department_id)
        )
    )


def _in_force(rows: list, key_of, as_of: datetime | None, imports: list[ContentImport]) -> dict:
    """Of all versions (``rows`` of ModuleVersion or ContentDocument), the one of each key in
    force at ``as_of`` (None: the current ones). The content log (ContentImport.summary) says
    which keys changed or were retired when. A version keeps the date it was first imported: a
    key that did not change after ``as_of`` has its current version, otherwise the newest
    version imported before ``as_of`` counts."""
    if as_of is None:
        return {key_of(row): row for row in rows if row.is_current}
    retired: dict[str, bool] = {}
    changed_later: set[str] = set()
    for entry in imports:
        for name in entry.summary.get("changed", []):
            kind, _sep, rest = name.partition(":")
            key = rest if kind in ("module", "module-retired") else name
            if entry.imported_at >= as_of:
                changed_later.add(key)
            else:
                retired[key] = kind == "module-retired"  # imports come oldest first
    found = {}
    for row in sorted(rows, key=lambda r: (r.imported_at, r.id)):
        if row.imported_at < as_of:
            found[key_of(row)] = row
    for row in rows:
        key = key_of(row)
        if row.is_current and row.imported_at < as_of and key not in changed_later:
            found[key] = row
    return {key: row for key, row in found.items() if not retired.get(key)}


def _measures(
    versions: dict[str, ModuleVersion],
    documents: dict[str, ContentDocument],
    department_id: int | None,
    staff: int,
    day: date | None,
    as_of: datetime | None,
    reassessment_days: int,
) -> Measures:
    assessment = documents.get("assessment:standard")
    certification = documents.get("certification:default")
    paths = []
    for name, document in sorted(documents.items()):
        if not name.startswith("path:"):
            continue
        data = document.data
        steps = []
        for step in data.get("steps", []):
            version = versions.get(step.get("module"))
            steps.append(
                (
                    step.get("module", ""),
                    version.title if version else step.get("module", ""),
                    bool(step.get("required")),
                    bool(version and (version.task or {}).get("review")),
                )
            )
        paths.append(
            PathMeasure(
                data.get("role", name[5:]),
                data.get("title", ""),
                data.get("description", ""),
                steps,
            )
        )
    champions, shares = figures.champions(as_of)
    sessions = sa.select(sa.func.count()).where(MentoringSession.status == "confirmed")
    certificates = sa.select(sa.func.count()).select_from(Certificate)
    if as_of is not None:
        sessions = sessions.where(
            MentoringSession.held_on <= day, MentoringSession.answered_at < as_of
        )
        certificates = certificates.where(
            Certificate.valid_from < as_of,
            Certificate.valid_until >= as_of,
            sa.or_(Certificate.revoked_at.is_(None), Certificate.revoked_at >= as_of),
        )
    else:
        moment = utcnow()
        certificates = certificates.where(
            Certificate.valid_from <= moment,
            Certificate.valid_until > moment,
            Certificate.revoked_at.is_(None),
        )
    return Measures(
        assessment_title=assessment.data.get("title") if assessment else None,
        reassessment_days=reassessment_days,
        paths=paths,
        tasks=sum(1 for v in versions.values() if v.task),
        reviewed_tasks=sum(1 for v in versions.values() if (v.task or {}).get("review")),
        champions=rules.champion_coverage(
            staff,
            len(champions) if department_id is None else shares.get(department_id, 0),
        ),
        mentoring_sessions=db.session.scalar(
            _in_scope(sessions, department_id, MentoringSession.mentee_id)
        )
        or 0,
        certification=certification.data if certification else None,
        certificates_valid=db.session.scalar(
            _in_scope(certificates, department_id, Certificate.person_id)
        )
        or 0,
    )


def _competence(
    dimensions: list[str],
    min_group: int,
    department_id: int | None,
    day: date | None,
) -> tuple[Report | None, Competence]:
    if day is None:  # today: the live publication, as the report pages show it
        live = report(dimensions, min_group, department_id)
        names = dict(figures.departments())
        return live, Competence(
            figures={"n": live.published_n, "distribution": live.distribution, "means": live.means}
            if live.means is not None
            else None,
            published_at=live.published_at,
            withheld=department_id is not None and names.get(department_id) in live.withheld,
        )
    # A past Stichtag: never fresh figures over a group the publication steps would hide —
    # the last monthly snapshot up to it, stored with the privacy minimum applied.
    snapshot = db.session.scalar(
        sa.select(ReportSnapshot)
        .where(
            ReportSnapshot.group_key == figures.group_key(department_id),
            ReportSnapshot.month <= last_complete_month(day),
        )
        .order_by(ReportSnapshot.month.desc())
        .limit(1)
    )
    if snapshot is None:
        return None, Competence(figures=None)
    return None, Competence(figures=snapshot.competence, month=snapshot.month)


def evidence(
    dimensions: list[str],
    min_group: int,
    department_id: int | None = None,
    *,
    day: date | None = None,
    timezone: ZoneInfo | None = None,
    reassessment_days: int = 180,
) -> Evidence:
    """The Art. 4 evidence for the company or one department, today (``day`` None: live) or as
    of the end of ``day`` in ``timezone``: completions, results and content up to then; path
    assignments as they are now (they keep no history). Competence only as published (today)
    or as snapshot (past). Today it may write a publication (flushed); the caller commits."""
    as_of = day_end(day, timezone or ZoneInfo("UTC")) if day is not None else None
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
            _in_scope(
                sa.select(followed, sa.func.count())
                .join(Person, Person.id == PathAssignment.person_id)
                .where(Person.active)
                .group_by(followed),
                department_id,
            )
        ).all()
    )
    # The path follows from the person's self-assessment (function, the champion offer): in a
    # department smaller than the minimum, the counts would say who answered what.
    path_roles_withheld = department_id is not None and 0 < sum(path_roles.values()) < min_group
    if path_roles_withheld:
        path_roles = {}
    results = sa.select(AssessmentResult.person_id, sa.func.count()).group_by(
        AssessmentResult.person_id
    )
    done = sa.select(ModuleProgress.module_id, ModuleProgress.person_id).where(
        ModuleProgress.state == "abgeschlossen"
    )
    imports = sa.select(ContentImport).order_by(ContentImport.imported_at, ContentImport.id)
    all_imports = list(db.session.scalars(imports))
    if as_of is not None:
        results = results.where(AssessmentResult.completed_at < as_of)
        done = done.where(ModuleProgress.completed_at < as_of)
    per_person = db.session.execute(
        _in_scope(results, department_id, AssessmentResult.person_id)
    ).all()
    done_rows = db.session.execute(_in_scope(done, department_id, ModuleProgress.person_id)).all()
    versions = _in_force(
        list(
            db.session.scalars(
                sa.select(ModuleVersion).options(  # not the rendered bodies
                    sa.orm.load_only(
                        ModuleVersion.module_id,
                        ModuleVersion.content_hash,
                        ModuleVersion.title,
                        ModuleVersion.task,
                        ModuleVersion.is_current,
                        ModuleVersion.imported_at,
                    )
                )
            )
        ),
        lambda row: row.module_id,
        as_of,
        all_imports,
    )
    documents = _in_force(
        list(
            db.session.scalars(
                sa.select(ContentDocument).where(
                    ContentDocument.kind.in_(["assessment", "path", "certification"])
                )
            )
        ),
        lambda row: f"{row.kind}:{row.key}",
        as_of,
        all_imports,
    )
    counts: dict[str, int] = {}
    for module_id, _pid in done_rows:
        counts[module_id] = counts.get(module_id, 0) + 1
    live, competence = _competence(dimensions, min_group, department_id, day)
    if live is not None:
        staff, assessed = live.staff, live.assessed
    else:
        staff = len(figures.staff(department_id, as_of))
        assessed = len(figures.latest_levels(department_id, as_of))
    titles = {module_id: version.title for module_id, version in versions.items()}
    if counts.keys() - titles.keys():  # a module no longer in force keeps its last title
        titles = {**_last_titles(), **titles}
    return Evidence(
        day=day,
        department_id=department_id,
        report=live,
        staff=staff,
        assessed=assessed,
        assessed_percent=rules.percent(assessed, staff),
        competence=competence,
        path_roles=path_roles,
        path_roles_withheld=path_roles_withheld,
        imports=[i for i in all_imports if as_of is None or i.imported_at < as_of][::-1],
        results=sum(count for _pid, count in per_person),
        reassessed=sum(1 for _pid, count in per_person if count > 1),
        completed_total=len(done_rows),
        completed_people=len({pid for _module, pid in done_rows}),
        completions=sorted(
            ((module_id, titles.get(module_id, module_id), n) for module_id, n in counts.items()),
            key=lambda row: (-row[2], row[1]),
        ),
        versions=[versions[key] for key in sorted(versions)],
        measures=_measures(
            versions, documents, department_id, staff, day, as_of, reassessment_days
        ),
    )


def _last_titles() -> dict[str, str]:
    """module id → the title of its newest version (current or retired)."""
    rows = db.session.execute(
        sa.select(ModuleVersion.module_id, ModuleVersion.title).order_by(
            ModuleVersion.is_current, ModuleVersion.imported_at
        )
    )
    return dict(rows.all())


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


def _completed_modules(query: sa.Select) -> sa.Select:
    """``query`` over every completed module, joined to its person and content version."""
    return (
        query.select_from(ModuleProgress)
        .join(Person, Person.id == ModuleProgress.person_id)
        .join(ModuleVersion, ModuleVersion.id == ModuleProgress.version_id)
        .where(ModuleProgress.state == "abgeschlossen")
    )


def training_record_count() -> int:
    """How many rows ``training_records()`` yields (the audit event names it before the file
    is sent)."""
    return db.session.scalar(_completed_modules(sa.select(sa.func.count(ModuleProgress.id))))


def training_records(batch: int = 2000) -> Iterator[tuple]:
    """One row per completed module and person, with the content version it was completed on;
    dates in the reader's time zone. Read ``batch`` rows at a time (on PostgreSQL through a
    server-side cursor), so that an export of any size never holds all rows."""
    zone = ZoneInfo(str(get_timezone()))  # zoneinfo converts several times faster than pytz
    rows = db.session.execute(
        _completed_modules(
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
        )
        .outerjoin(Department, Department.id == Person.department_id)
        .order_by(Department.name, Person.name, ModuleProgress.completed_at)
        .execution_options(yield_per=batch)
    )
    try:
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
        ) in rows:
            yield (
                name,
                email,
                department or "",
                module_id,
                title,
                content_hash[:12],
                quiz_at.astimezone(zone).date() if quiz_at else None,
                attempts,
                done_at.astimezone(zone).date() if done_at else None,
                "ja" if active else "nein",
            )
    finally:
        rows.close()  # also when the download is broken off
