"""The scheduler process: every job on its crontab in the company's time zone, coalescing missed
runs, one instance of a job at a time, never started by create_app."""

import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler

from lernpfad.extensions import db
from lernpfad.jobs.mail import queue_mail
from lernpfad.jobs.models import JobRun, OutboxMail
from lernpfad.jobs.scheduler import build_scheduler
from lernpfad.jobs.services import jobs, run_job


def test_every_job_is_scheduled_with_coalesce_and_one_instance(app):
    scheduler = build_scheduler(app, scheduler_class=BackgroundScheduler)
    scheduler.start(paused=True)  # job defaults apply once started; paused: nothing runs
    try:
        scheduled = {job.id: job for job in scheduler.get_jobs()}
        with app.app_context():
            assert set(scheduled) == set(jobs()) | {"_requested"}
        for job in scheduled.values():
            assert job.coalesce is True and job.max_instances == 1
            assert job.misfire_grace_time is None  # a day down: caught up once
            assert str(job.trigger.timezone) == "Europe/Berlin"
        assert "minute='*'" in str(scheduled["outbox"].trigger)
        assert scheduled["_requested"].trigger.interval.total_seconds() == 30
    finally:
        scheduler.shutdown(wait=False)


def test_a_schedule_can_be_configured(app_factory):
    app = app_factory(SCHEDULE_RETENTION="15 4 * * *")
    scheduled = {
        j.id: j for j in build_scheduler(app, scheduler_class=BackgroundScheduler).get_jobs()
    }
    assert "hour='4'" in str(scheduled["retention"].trigger)
    assert "minute='15'" in str(scheduled["retention"].trigger)


def test_create_app_starts_no_scheduler(app_factory):
    before = {t.name for t in threading.enumerate()}
    app_factory()
    assert {t.name for t in threading.enumerate()} - before == set()


def test_the_outbox_job_keeps_mail_while_the_server_is_down_and_sends_it_later(
    app_factory, smtp_server
):
    down = app_factory(MAIL_PORT=1)
    now = datetime.now(UTC)
    with down.app_context():
        queue_mail(to="lea@example.org", subject="Erinnerung", body="Text")
        db.session.commit()
        run = run_job("outbox", now)
        assert run.status == "ok" and run.counts["sent"] == 0
        assert db.session.scalar(sa.select(OutboxMail)).sent_at is None
    up = app_factory(MAIL_PORT=smtp_server.port)
    with up.app_context():
        db.session.execute(sa.update(OutboxMail).values(next_attempt_at=now))
        db.session.commit()
        run_job("outbox", now + timedelta(minutes=1))  # the next minute's tick
    assert [m["To"] for m in smtp_server.messages] == ["lea@example.org"]


def test_the_command_runs_a_job_once_per_period(app, runner):
    first = runner.invoke(args=["lernpfad", "run-job", "retention"])
    assert first.exit_code == 0 and "retention (" in first.output
    unknown = runner.invoke(args=["lernpfad", "run-job", "gibt-es-nicht"])
    assert unknown.exit_code != 0 and "Unbekannter Job" in unknown.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 1


def test_jetzt_ausfuehren_is_run_by_the_scheduler_not_the_request(app, people, runner):
    from lernpfad.auth.models import Person
    from lernpfad.jobs.services import run_requested
    from tests.helpers import login_client

    admin = login_client(app, "admin@example.org")
    page = admin.get("/betrieb/zeitplan").get_data(as_text=True)
    assert "Mail-Ausgang senden" in page and "* * * * *" in page and "noch nie" in page
    response = admin.post("/betrieb/zeitplan/retention/ausfuehren", follow_redirects=True)
    assert "innerhalb einer Minute" in response.get_data(as_text=True)
    with app.app_context():
        (run,) = db.session.scalars(sa.select(JobRun)).all()
        assert (run.job_id, run.status, run.manual) == ("retention", "requested", True)
        assert run_requested() == 1
        assert run_requested() == 0  # once
        db.session.refresh(run)
        assert run.status == "ok" and "one_time_links" in run.counts
    assert admin.post("/betrieb/zeitplan/gibt-es-nicht/ausfuehren").status_code == 302
    assert login_client(app, "hr@example.org").get("/betrieb/zeitplan").status_code == 403
    with app.app_context():
        assert db.session.get(Person, people["admin"]) is not None


def test_the_schedule_page_names_the_variable_pattern(app, people):
    from tests.helpers import login_client

    page = login_client(app, "admin@example.org").get("/betrieb/zeitplan").get_data(as_text=True)
    assert "LERNPFAD_SCHEDULE_&lt;AUFGABE&gt;" in page  # shown, not swallowed as a tag
