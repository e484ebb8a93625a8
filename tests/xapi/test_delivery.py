"""Delivery to a Learning Record Store (the stand-in of tests/xapi/lrs.py): each statement is
stored once, whatever goes wrong on the way, and nothing is lost while the LRS is away."""

import socket
from datetime import timedelta

import sqlalchemy as sa

from lernpfad.certification.models import ExamAttempt
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs.models import JobRun
from lernpfad.jobs.services import run_job
from lernpfad.modules.models import QuizAttempt, Submission
from lernpfad.people.services import anonymise, deactivate
from lernpfad.xapi import services
from lernpfad.xapi.models import XapiActor, XapiStatement
from tests.helpers import PASSWORD as PASSWORD_LOGIN
from tests.xapi.conftest import HISTORY_STATEMENTS, person
from tests.xapi.lrs import PASSWORD, USERNAME


def outbox() -> list[XapiStatement]:
    return list(db.session.scalars(sa.select(XapiStatement).order_by(XapiStatement.id)))


def unsent() -> list[XapiStatement]:
    return [row for row in outbox() if row.sent_at is None]


def test_every_statement_reaches_the_lrs_once(history, xapi_app, lrs):
    with xapi_app.app_context():
        now = utcnow()
        counts = services.run_outbox(now)
        expected = {s["id"]: s for s in services.statements_of(person(history))}
        assert counts["queued"] == counts["sent"] == HISTORY_STATEMENTS == len(expected)
        assert lrs.statements == expected
        assert {status for _id, status in lrs.requests} == {204}
        assert unsent() == []
        # The next runs find nothing new and send nothing again.
        again = services.run_outbox(now + timedelta(minutes=1))
        assert (again["queued"], again["sent"]) == (0, 0)
        assert len(lrs.requests) == HISTORY_STATEMENTS


def test_new_events_and_later_reviews_are_picked_up_by_the_next_scan(history, xapi_app, lrs):
    with xapi_app.app_context():
        submission = db.session.scalar(sa.select(Submission).where(Submission.round == 2))
        submission.status, submission.reviewed_at = "submitted", None  # waits for its review
        db.session.commit()
        now = utcnow()
        assert services.run_outbox(now)["sent"] == HISTORY_STATEMENTS - 1
        later = now + timedelta(minutes=5)
        db.session.add(
            QuizAttempt(
                person_id=history,
                module_id="w2",
                version_id=submission.version_id,
                answers={},
                correct=2,
                total=2,
                passed=True,
                at=later - timedelta(minutes=1),
            )
        )
        # A hand-in of a month ago reviewed just now: new because of its review.
        submission.status, submission.reviewed_at = "accepted", later - timedelta(seconds=30)
        db.session.commit()
        counts = services.run_outbox(later)
        assert (counts["queued"], counts["sent"]) == (2, 2)
        assert len(lrs.statements) == HISTORY_STATEMENTS + 1
        verbs = sorted(
            s["verb"]["id"].rsplit("/", 1)[1] for s in list(lrs.statements.values())[-2:]
        )
        assert verbs == ["passed", "passed"]


def test_wrong_credentials_keep_the_statements_for_a_later_retry(history, app, lrs):
    app.config.update(XAPI_ENDPOINT=lrs.endpoint, XAPI_USERNAME=USERNAME, XAPI_PASSWORD="falsch")
    with app.app_context():
        now = utcnow()
        counts = services.run_outbox(now)
        assert (counts["sent"], counts["failed"]) == (0, 1)  # the run stops at the first 401
        assert lrs.statements == {} and [status for _id, status in lrs.requests] == [401]
        rows = unsent()
        assert len(rows) == HISTORY_STATEMENTS
        first = rows[0]
        assert first.attempts == 1 and first.last_error.startswith("HTTP 401")
        assert first.next_attempt_at > now
        app.config["XAPI_PASSWORD"] = PASSWORD  # the administrator corrects the setting
        services.deliver_statements(now=now + timedelta(seconds=1))
        assert db.session.get(XapiStatement, first.id).sent_at is None  # its back-off runs
        services.deliver_statements(now=now + timedelta(minutes=5))
        assert unsent() == []
        assert len(lrs.statements) == HISTORY_STATEMENTS


def test_a_lost_answer_is_retried_and_the_statement_stored_once(history, xapi_app, lrs):
    lrs.drop_next = 1
    with xapi_app.app_context():
        now = utcnow()
        counts = services.run_outbox(now)
        assert (counts["sent"], counts["failed"]) == (0, 1)
        [(lost_id, status)] = lrs.requests
        assert status is None and lost_id in lrs.statements  # stored, but nobody heard of it
        row = unsent()[0]
        assert row.statement_id == lost_id and row.attempts == 1
        assert "Connection" in row.last_error
        services.deliver_statements(now=now + timedelta(minutes=5))
        assert unsent() == []
    assert len(lrs.statements) == HISTORY_STATEMENTS
    assert [status for sid, status in lrs.requests if sid == lost_id] == [None, 409]
    assert sum(1 for _sid, status in lrs.requests if status == 204) == HISTORY_STATEMENTS - 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_lrs_that_is_down_leaves_everything_in_the_outbox(history, app):
    app.config["XAPI_ENDPOINT"] = f"http://127.0.0.1:{free_port()}/xapi/"
    with app.app_context():
        now = utcnow()
        counts = services.run_outbox(now)
        assert (counts["queued"], counts["sent"], counts["failed"]) == (HISTORY_STATEMENTS, 0, 1)
        rows = unsent()
        assert len(rows) == HISTORY_STATEMENTS
        assert [row.attempts for row in rows] == [1] + [0] * (HISTORY_STATEMENTS - 1)
        # Still down a minute later: the next statement in turn waits, none is lost.
        services.run_outbox(now + timedelta(minutes=1))
        assert len(unsent()) == HISTORY_STATEMENTS


def test_without_an_endpoint_nothing_is_queued(history, app):
    with app.app_context():
        assert services.run_outbox(utcnow()) == {"configured": 0}
        assert outbox() == []


def test_the_scheduler_job_sends_them(history, xapi_app, lrs):
    with xapi_app.app_context():
        run = run_job("xapi")
        assert run.status == "ok", run.error
        assert run.counts["sent"] == HISTORY_STATEMENTS
        assert db.session.scalar(sa.select(JobRun.job_id).where(JobRun.id == run.id)) == "xapi"
    assert len(lrs.statements) == HISTORY_STATEMENTS


def test_anonymising_drops_the_persons_statements_and_pseudonym(history, app, people):
    app.config["XAPI_ENDPOINT"] = f"http://127.0.0.1:{free_port()}/xapi/"
    with app.app_context():
        services.enqueue_new(utcnow())
        db.session.commit()
        assert len(outbox()) == HISTORY_STATEMENTS
        hr = person(people["hr"])
        deactivate(person(history), hr)
        anonymise(person(history), hr)
        db.session.commit()
        assert outbox() == []
        assert db.session.scalar(sa.select(XapiActor).where(XapiActor.person_id == history)) is None
        services.enqueue_new(utcnow() + timedelta(minutes=1))  # a re-scan brings none back
        assert outbox() == []
        assert services.statements_of(person(history)) == []
        services.ensure_all_actors()
        assert list(services.company_statements()) == []


def test_an_exam_left_open_fails_in_a_later_scan_once_its_time_is_up(app, people, content):
    with app.app_context():
        now = utcnow()
        db.session.add(
            ExamAttempt(
                person_id=people["learner"],
                pool_hash="pool-1",
                question_ids=["q1", "q2"],
                started_at=now - timedelta(minutes=5),
                deadline=now + timedelta(minutes=25),
            )
        )
        db.session.commit()
        assert services.enqueue_new(now) == 1  # attempted
        assert services.enqueue_new(now + timedelta(minutes=10)) == 0
        assert services.enqueue_new(now + timedelta(minutes=26)) == 1  # failed, time and grace up
        assert [(row.source, row.verb) for row in outbox()] == [
            ("exam", "attempted"),
            ("exam", "failed"),
        ]
        assert outbox()[1].payload["result"]["score"] == {"scaled": 0, "raw": 0, "min": 0, "max": 2}


def test_an_unusable_endpoint_with_credentials_shows_them_nowhere(history, app, people, caplog):
    # requests names the whole URL it cannot use; the outbox page and the log must not.
    app.config["XAPI_ENDPOINT"] = "http://lrs-user:S3cretPW@lrs.example:99999/xapi/"
    with app.app_context():
        counts = services.run_outbox(utcnow())
        assert counts["failed"] == 1
        errors = [row.last_error for row in unsent() if row.last_error]
        assert errors and "lrs.example" in errors[0]
        assert not any("S3cretPW" in error for error in errors)
    assert "S3cretPW" not in caplog.text
    client = app.test_client()
    client.post("/anmelden", data={"email": "admin@example.org", "password": PASSWORD_LOGIN})
    page = client.get("/betrieb/xapi").get_data(as_text=True)
    assert "lrs.example" in page and "S3cretPW" not in page
