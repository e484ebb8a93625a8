"""Fixtures of the xAPI tests: the LRS stand-in, an app that sends to it, and one learner's
learning history (a module started and completed, quiz attempts failed and passed, a task
returned and accepted, exams failed, expired and passed, a certificate)."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.certification.models import Certificate, ExamAttempt
from lernpfad.content.models import ModuleVersion
from lernpfad.extensions import db
from lernpfad.modules.models import ModuleProgress, QuizAttempt, Submission
from tests.xapi.lrs import PASSWORD, USERNAME, StandInLRS

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def lrs(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = StandInLRS().start()
    yield server
    server.stop()


@pytest.fixture
def xapi_app(app, lrs):
    """The test's app, sending to the stand-in."""
    app.config.update(XAPI_ENDPOINT=lrs.endpoint, XAPI_USERNAME=USERNAME, XAPI_PASSWORD=PASSWORD)
    return app


def add_history(person_id: int, start: datetime = T0, module_id: str = "w2") -> None:
    """One learner's history on a module (of the imported content) and the certification."""
    version = db.session.scalar(
        sa.select(ModuleVersion).where(
            ModuleVersion.module_id == module_id, ModuleVersion.is_current
        )
    )
    at = lambda minutes: start + timedelta(minutes=minutes)  # noqa: E731
    db.session.add(
        ModuleProgress(
            person_id=person_id,
            module_id=module_id,
            version_id=version.id,
            state="abgeschlossen",
            quiz_passed=True,
            task_accepted=True,
            round=2,
            started_at=at(0),
            quiz_passed_at=at(20),
            quiz_attempts=2,
            completed_at=at(90),
        )
    )
    for minutes, correct, passed in ((10, 1, False), (20, 2, True)):
        db.session.add(
            QuizAttempt(
                person_id=person_id,
                module_id=module_id,
                version_id=version.id,
                answers={},
                correct=correct,
                total=2,
                passed=passed,
                at=at(minutes),
            )
        )
    for round_, status, created, reviewed in ((1, "returned", 30, 40), (2, "accepted", 50, 90)):
        db.session.add(
            Submission(
                person_id=person_id,
                module_id=module_id,
                version_id=version.id,
                round=round_,
                text="Was ich getan habe",
                html="<p>Was ich getan habe</p>",
                status=status,
                created_at=at(created),
                reviewed_at=at(reviewed),
            )
        )
    exams = (
        (200, 8, 20, False, False),  # handed in: failed
        (300, None, None, None, False),  # never handed in: failed when the time ran out
        (400, 18, 20, True, False),  # passed
    )
    for minutes, correct, total, passed, late in exams:
        db.session.add(
            ExamAttempt(
                person_id=person_id,
                pool_hash="pool-1",
                question_ids=[f"q{n}" for n in range(20)],
                started_at=at(minutes),
                deadline=at(minutes + 30),
                submitted_at=at(minutes + 20) if passed is not None else None,
                answers={},
                correct=correct,
                total=total,
                passed=passed,
                late=late,
            )
        )
    db.session.add(
        Certificate(
            person_id=person_id,
            code=f"CODE-{person_id}-0123456789abcdef",
            title="Zertifizierte:r KI-Champion",
            issued_at=at(600),
            valid_from=at(600),
            valid_until=at(600) + timedelta(days=365),
        )
    )
    db.session.flush()


# module: attempted + completed; quiz: 2; task: 2 attempted + failed + passed; exam: 3 attempted
# + 3 results; certificate: 1
HISTORY_STATEMENTS = 2 + 2 + 4 + 6 + 1


@pytest.fixture
def history(app, content, people):
    """The learner's history (see add_history); returns the learner's id."""
    with app.app_context():
        add_history(people["learner"])
        db.session.commit()
    return people["learner"]


def person(person_id: int) -> Person:
    return db.session.get(Person, person_id)
