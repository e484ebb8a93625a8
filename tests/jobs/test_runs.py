"""Each job runs once per period, however many schedulers; a failing job is recorded and
retried at the next tick; a crashed run is taken over after its lease."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lernpfad.extensions import db
from lernpfad.jobs import rules
from lernpfad.jobs.models import JobRun
from lernpfad.jobs.services import _JOBS, Job, run_job

NOW = datetime(2026, 12, 6, 8, 30, tzinfo=UTC)  # 09:30 in Berlin


@pytest.mark.parametrize(
    ("kind", "local", "key"),
    [
        ("minute", datetime(2026, 12, 6, 9, 5, 59), "2026-12-06T09:05"),
        ("day", datetime(2026, 12, 6, 23, 59), "2026-12-06"),
        ("week", datetime(2026, 12, 6, 9, 0), "2026-W49"),  # a Sunday: still ISO week 49
        ("week", datetime(2026, 12, 7, 0, 1), "2026-W50"),
        ("week", datetime(2027, 1, 1, 12, 0), "2026-W53"),  # ISO year, not calendar year
        ("month", datetime(2026, 12, 31, 23, 59), "2026-12"),
    ],
)
def test_period_keys(kind, local, key):
    assert rules.period_key(kind, local) == key


@pytest.mark.parametrize(
    ("status", "age_minutes", "reclaim"),
    [
        ("ok", 600, False),
        ("failed", 0, True),
        ("running", 5, False),
        ("running", 30, True),  # crashed: its lease ran out
    ],
)
def test_may_reclaim(status, age_minutes, reclaim):
    assert rules.may_reclaim(status, NOW - timedelta(minutes=age_minutes), NOW) is reclaim


@pytest.fixture
def counting_job(app):
    """A job that counts its runs in a list (and fails while ``fail`` holds something)."""
    calls, fail = [], []

    def run(now):
        calls.append(now)
        if fail:
            raise RuntimeError(fail.pop())
        return {"done": len(calls)}

    _JOBS["test-count"] = Job("test-count", "Test", "day", "0 9 * * *", run)
    yield calls, fail
    _JOBS.pop("test-count", None)


def runs(app):
    with app.app_context():
        return [
            (r.period, r.status, r.attempts, r.counts, r.error)
            for r in db.session.scalars(
                sa.select(JobRun).where(JobRun.job_id == "test-count").order_by(JobRun.id)
            )
        ]


def test_a_second_run_in_the_same_period_does_nothing(app, counting_job):
    calls, _fail = counting_job
    with app.app_context():
        assert run_job("test-count", NOW).status == "ok"
        assert run_job("test-count", NOW + timedelta(hours=5)) is None  # same day in Berlin
        assert run_job("test-count", NOW + timedelta(days=1)).status == "ok"
    assert len(calls) == 2
    assert [r[0] for r in runs(app)] == ["2026-12-06", "2026-12-07"]


def test_a_failing_job_is_recorded_and_retried_at_the_next_tick(app, counting_job):
    calls, fail = counting_job
    fail.append("Mailserver weg")
    with app.app_context():
        first = run_job("test-count", NOW)
        assert first.status == "failed" and "Mailserver weg" in first.error
        again = run_job("test-count", NOW + timedelta(minutes=1))
        assert again.status == "ok"
    assert runs(app) == [("2026-12-06", "ok", 2, {"done": 2}, None)]


def test_a_crashed_run_is_taken_over_after_its_lease(app, counting_job):
    calls, _fail = counting_job
    with app.app_context():
        db.session.add(
            JobRun(job_id="test-count", period="2026-12-06", status="running", started_at=NOW)
        )
        db.session.commit()
        assert run_job("test-count", NOW + timedelta(minutes=5)) is None  # still running
        assert run_job("test-count", NOW + timedelta(minutes=31)).status == "ok"
    assert len(calls) == 1


def test_a_manual_run_of_a_finished_period_gets_its_own_key(app, counting_job):
    calls, _fail = counting_job
    with app.app_context():
        run_job("test-count", NOW)
        manual = run_job("test-count", NOW + timedelta(minutes=1), manual=True)
        assert manual.period.startswith("2026-12-06/manual-") and manual.manual
    assert len(calls) == 2


def test_two_schedulers_at_once_run_a_job_once(app_factory, counting_job):
    """Eight threads, each with its own app and connection (two processes by mistake, or more),
    claim the same period at the same moment: the job runs once."""
    calls, _fail = counting_job
    apps = [app_factory() for _ in range(8)]
    barrier = threading.Barrier(len(apps))
    results = []

    def scheduler(app):
        with app.app_context():
            barrier.wait()
            run = run_job("test-count", NOW)
            results.append(run.status if run else None)

    threads = [threading.Thread(target=scheduler, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(calls) == 1
    assert results.count("ok") == 1 and results.count(None) == 7
