"""The demo company at scale (issue 13): 1,000 staff with the real curriculum, unique people,
every department staffed, and the small company's proportions (assessed, learning, waiting for
review) kept. The bounds are what the generator's draws make likely, not its results."""

from collections import Counter
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from lernpfad import create_app
from lernpfad.assessments.models import AssessmentResult
from lernpfad.auth.models import Department, Person, PersonRole, Role
from lernpfad.demo import DEMO_LOGINS, DEPARTMENTS, HEADS, load_demo, spread_staff
from lernpfad.extensions import db
from lernpfad.mentoring.demo import STAFF_PER_EXTRA_CHAMPION
from lernpfad.modules.models import ModuleProgress, Submission
from lernpfad.usecases.models import UseCase
from tests import conftest

STAFF = 1000  # tests/slow/test_demo_20000.py: the same checks at 20,000
NAMED = 12  # the demo logins and the department heads


def build(folder, staff: int):
    app = create_app(
        conftest.test_config(f"sqlite:///{folder / 'demo.sqlite3'}"),
        instance_path=str(folder / "instance"),
    )
    with app.app_context():
        db.create_all()
        load_demo(app.config["CONTENT_DIR"], staff_per_department=spread_staff(staff))
        db.session.commit()
    return app


@dataclass
class Company:
    app: object
    staff: int


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("large"), STAFF)
    yield Company(built, STAFF)
    with built.app_context():
        db.engine.dispose()


@pytest.fixture
def large(company):
    """The company's staff count, inside its app context."""
    with company.app.app_context():
        yield company.staff
        db.session.remove()


def count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


def test_every_person_is_there_once_and_every_department_is_staffed(large):
    people = db.session.execute(sa.select(Person.name, Person.email)).all()
    assert len(people) == large + NAMED
    assert len({name for name, _email in people}) == len(people)
    assert len({email.lower() for _name, email in people}) == len(people)
    sizes = dict(
        db.session.execute(
            sa.select(Department.name, sa.func.count(Person.id))
            .join(Person, Person.department_id == Department.id)
            .group_by(Department.name)
        ).all()
    )
    assert set(sizes) == set(DEPARTMENTS)
    assert max(sizes.values()) - min(sizes.values()) <= NAMED  # even, but for the named people


def test_the_small_companys_proportions_hold(large):
    staff = count(sa.select(Person.id))
    assessed = count(sa.select(AssessmentResult.person_id).distinct())
    # Every ninth person has not taken the assessment yet.
    assert 0.8 < assessed / staff < 0.95
    learning = count(sa.select(ModuleProgress.person_id).distinct())
    completed = count(
        sa.select(ModuleProgress.person_id)
        .where(ModuleProgress.completed_at.is_not(None))
        .distinct()
    )
    # Three in four of the assessed start (a path of 0–7 modules), fewer complete one.
    assert 0.45 * assessed < learning < 0.85 * assessed
    assert 0.3 * assessed < completed <= learning
    waiting = count(sa.select(Submission.id).where(Submission.status == "submitted"))
    accepted = count(sa.select(Submission.id).where(Submission.status == "accepted"))
    assert 0.1 * learning < waiting < learning  # at most one waiting hand-in per person
    assert accepted > waiting


def test_each_department_has_champions_who_review_its_hand_ins(large):
    champions = dict(
        db.session.execute(
            sa.select(Person.department_id, sa.func.count(Person.id))
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(PersonRole.role == Role.CHAMPION.value)
            .group_by(Person.department_id)
        ).all()
    )
    departments = db.session.scalars(sa.select(Department.id)).all()
    per_department = large // len(DEPARTMENTS) // STAFF_PER_EXTRA_CHAMPION
    assert per_department >= 1
    assert all(champions.get(d, 0) >= per_department for d in departments)
    reviewer = sa.orm.aliased(Person)
    pairs = db.session.execute(
        sa.select(Person.department_id, reviewer.department_id)
        .select_from(Submission)
        .join(Person, Person.id == Submission.person_id)
        .join(reviewer, reviewer.id == Submission.reviewer_id)
        .where(Submission.status == "accepted")
    ).all()
    same = sum(own == by for own, by in pairs)
    assert same > 0.9 * len(pairs)  # champion@ reviews only where no own champion could


def test_use_cases_grow_with_the_departments_but_slower(large):
    per_department = dict(
        db.session.execute(
            sa.select(UseCase.department_id, sa.func.count(UseCase.id)).group_by(
                UseCase.department_id
            )
        ).all()
    )
    staff = large // len(DEPARTMENTS)
    assert all(3 < n < staff / 10 for n in per_department.values()), per_department
    titles = db.session.execute(sa.select(UseCase.department_id, UseCase.title)).all()
    assert len(set(titles)) == len(titles)
    statuses = set(db.session.scalars(sa.select(UseCase.status)))
    assert {"idee", "bewertet", "pilot", "im_einsatz"} <= statuses


def test_no_work_before_the_assessment(large):
    first = (
        sa.select(
            AssessmentResult.person_id, sa.func.min(AssessmentResult.completed_at).label("at")
        )
        .group_by(AssessmentResult.person_id)
        .subquery()
    )
    early = count(
        sa.select(ModuleProgress.id)
        .join(first, first.c.person_id == ModuleProgress.person_id)
        .where(ModuleProgress.started_at < first.c.at)
    )
    assert early == 0
    reviewed_early = count(
        sa.select(Submission.id).where(Submission.reviewed_at < Submission.created_at)
    )
    assert reviewed_early == 0


def fingerprint() -> list:
    return db.session.execute(
        sa.select(
            Person.email,
            Person.name,
            Person.job_function,
            sa.func.count(sa.distinct(ModuleProgress.id)),
            sa.func.count(sa.distinct(Submission.id)),
        )
        .outerjoin(ModuleProgress, ModuleProgress.person_id == Person.id)
        .outerjoin(Submission, Submission.person_id == Person.id)
        .group_by(Person.id)
        .order_by(Person.id)
    ).all()


def test_the_same_seed_builds_the_same_company(tmp_path):
    prints = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        app = build(tmp_path / run, 150)
        with app.app_context():
            prints.append(fingerprint())
            db.session.remove()
            db.engine.dispose()
    assert len(prints[0]) == 150 + NAMED
    assert prints[0] == prints[1]


def test_the_command_spreads_the_staff_over_the_departments(app, runner):
    result = runner.invoke(args=["lernpfad", "demo", "--staff", "7"])
    assert result.exit_code == 0, result.output
    assert f"({7 + NAMED} Personen)" in result.output
    named = Counter(dept for _email, _name, dept, *_rest in DEMO_LOGINS) + Counter(list(HEADS))
    with app.app_context():
        sizes = db.session.execute(
            sa.select(Department.name, sa.func.count(Person.id))
            .join(Person, Person.department_id == Department.id)
            .group_by(Department.name)
        ).all()
    assert {name: n - named[name] for name, n in sizes} == spread_staff(7)
    assert spread_staff(7) == {
        "Vertrieb": 2,
        "Marketing": 2,
        "Kundenservice": 1,
        "Produktentwicklung": 1,
        "Verwaltung": 1,
    }
