"""The demo company tells a story that could have happened: every record after the ones it
needs (issue: the evidence CSV showed a quiz passed months after the module was completed)."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from lernpfad import create_app
from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult
from lernpfad.auth.models import Person
from lernpfad.demo import load_demo
from lernpfad.extensions import db
from lernpfad.mentoring.models import MentoringSession
from lernpfad.modules.models import ModuleProgress, QuizAttempt, Submission
from tests import conftest


@pytest.fixture(scope="module")
def demo(tmp_path_factory, server_database):
    folder = tmp_path_factory.mktemp("demo")
    url = server_database or f"sqlite:///{folder / 'demo.sqlite3'}"
    app = create_app(conftest.test_config(url), instance_path=str(folder / "instance"))
    with app.app_context():
        db.create_all()
        load_demo(app.config["CONTENT_DIR"])
        db.session.commit()
        yield app
        db.session.remove()
        if server_database:
            conftest.empty_tables()
        db.engine.dispose()


def test_no_completion_before_its_quiz_or_its_hand_in(demo):
    rows = db.session.scalars(sa.select(ModuleProgress)).all()
    completed = [r for r in rows if r.completed_at is not None]
    assert len(completed) > 20
    for row in rows:
        if row.quiz_passed_at is not None:
            assert row.started_at <= row.quiz_passed_at, row.module_id
        if row.completed_at is not None:
            assert row.quiz_passed_at is not None and row.quiz_passed_at <= row.completed_at
            if row.submitted_at is not None:
                assert row.submitted_at <= row.completed_at
        for attempt in db.session.scalars(
            sa.select(QuizAttempt).where(
                QuizAttempt.person_id == row.person_id, QuizAttempt.module_id == row.module_id
            )
        ):
            assert attempt.at <= (row.completed_at or datetime.now(UTC))


def test_no_review_before_its_hand_in(demo):
    reviewed = db.session.scalars(
        sa.select(Submission).where(Submission.reviewed_at.is_not(None))
    ).all()
    assert reviewed
    for submission in reviewed:
        assert submission.created_at <= submission.reviewed_at


def test_no_session_answered_before_it_was_logged_or_logged_before_it_was_held(demo):
    sessions = db.session.scalars(sa.select(MentoringSession)).all()
    assert any(s.answered_at for s in sessions)
    for session in sessions:
        assert session.held_on <= session.created_at.date()
        if session.answered_at is not None:
            assert session.created_at <= session.answered_at


def test_work_follows_the_assessment_and_the_assessment_follows_joining(demo):
    now = datetime.now(UTC)
    for result in db.session.scalars(sa.select(AssessmentResult)):
        person = db.session.get(Person, result.person_id)
        attempt = db.session.get(AssessmentAttempt, result.attempt_id)
        assert person.created_at <= attempt.started_at <= result.completed_at <= now
    first_result = dict(
        db.session.execute(
            sa.select(
                AssessmentResult.person_id, sa.func.min(AssessmentResult.completed_at)
            ).group_by(AssessmentResult.person_id)
        ).all()
    )
    for row in db.session.scalars(sa.select(ModuleProgress)):
        if row.person_id in first_result:
            assessed = first_result[row.person_id]
            assessed = assessed if assessed.tzinfo else assessed.replace(tzinfo=UTC)
            assert assessed <= row.started_at, row.module_id


def test_the_evidence_csv_never_shows_a_completion_before_its_quiz(demo):
    from lernpfad.reports.services import TRAINING_COLUMNS, training_records

    with demo.test_request_context():
        rows = list(training_records())
    quiz = TRAINING_COLUMNS.index("Quiz bestanden am")
    done = TRAINING_COLUMNS.index("Abgeschlossen am")
    assert rows and all(row[quiz] <= row[done] for row in rows)


def test_the_reports_have_a_history_of_monthly_snapshots_that_moves(demo):
    """The trends in the reports need months: the demo takes them with the real snapshot
    function, each as of its month's end, from data that changed over those months."""
    from lernpfad.auth.models import Department
    from lernpfad.reports.models import ReportSnapshot

    rows = db.session.scalars(sa.select(ReportSnapshot).order_by(ReportSnapshot.month)).all()
    groups: dict[str, list[ReportSnapshot]] = {}
    for row in rows:
        groups.setdefault(row.group_key, []).append(row)
    departments = db.session.scalars(sa.select(Department.id)).all()
    assert set(groups) == {"company"} | {f"department:{i}" for i in departments}
    for key, history in groups.items():
        months = [row.month for row in history]
        assert len(months) >= 6 and len(set(months)) == len(months), key
    company = groups["company"]
    for figure in ("assessed_percent", "completed_modules"):
        values = [getattr(row, figure) for row in company]
        assert values == sorted(values) and values[0] < values[-1], figure  # not flat
    assert company[-1].competence is not None
    # Small departments early on: some months without competence, stored as null.
    assert any(row.competence is None for key, h in groups.items() if key != "company" for row in h)


def test_the_report_columns_of_people_agree_with_the_records(demo):
    """The demo inserts progress past the ORM at scale; reports.tracking.rebuild counts it in."""
    from tests.reports.test_tracking import columns, recomputed

    assert columns() == recomputed()
    assert sum(done for _rid, done in columns().values()) > 20
