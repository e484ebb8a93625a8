"""The scheduled jobs: what exists, and running one exactly once per period.

A job is a function ``run(now) -> counts`` (plain arguments, flushes, never commits); ``run_job``
claims the (job, period) row first, calls it, and commits once — or rolls the job's work back and
records the error, so that the next tick of the same period retries it. The scheduler process
(jobs/scheduler.py), the command line and the admin page all go through ``run_job``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs import rules
from lernpfad.jobs.models import JobRun


@dataclass(frozen=True)
class Job:
    id: str
    label: object  # German, translatable
    period: str  # minute | day | week | month: runs at most once per such period
    schedule: str  # crontab in the company's time zone (overridable: LERNPFAD_SCHEDULE_<ID>)
    run: Callable[[datetime], dict]


_JOBS: dict[str, Job] = {}


def register(job: Job) -> Job:
    _JOBS[job.id] = job
    return job


def jobs() -> dict[str, Job]:
    """Every job, in the order they were registered (jobs/registry.py)."""
    from lernpfad.jobs import registry  # noqa: F401 (registers the jobs)

    return dict(_JOBS)


def schedule_of(job: Job) -> str:
    return current_app.config.get(f"SCHEDULE_{job.id.upper()}") or job.schedule


def local(now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def claim(job: Job, period: str, now: datetime, *, manual: bool = False) -> JobRun | None:
    """Take the (job, period) row for this run, or None when another run has it or had it.
    Of two schedulers claiming at once, one inserts; the other finds the row and leaves it."""
    try:
        with db.session.begin_nested():
            run = JobRun(job_id=job.id, period=period, started_at=now, manual=manual)
            db.session.add(run)
    except IntegrityError:
        pass
    else:
        return run
    existing = db.session.scalar(
        sa.select(JobRun).where(JobRun.job_id == job.id, JobRun.period == period)
    )
    if existing is None or not rules.may_reclaim(existing.status, existing.started_at, now):
        return None
    taken = db.session.execute(
        sa.update(JobRun)
        .where(
            JobRun.id == existing.id,
            JobRun.status == existing.status,
            JobRun.started_at == existing.started_at,
        )
        .values(status="running", started_at=now, attempts=JobRun.attempts + 1, error=None)
    ).rowcount
    if taken != 1:
        return None
    db.session.refresh(existing)
    return existing


def run_job(job_id: str, now: datetime | None = None, *, manual: bool = False) -> JobRun | None:
    """Run the job once for the period ``now`` falls into (commits). None when that period's run
    is done or in progress elsewhere. A manual run of a period that already ran gets a period of
    its own; the jobs themselves never send or write anything twice."""
    job = jobs()[job_id]
    now = now or utcnow()
    period = rules.period_key(job.period, local(now))
    run = claim(job, period, now, manual=manual)
    if run is None and manual:
        run = claim(job, f"{period}/manual-{now:%H%M%S}", now, manual=True)
    db.session.commit()  # the claim is visible to every other scheduler from here on
    if run is None:
        return None
    return _execute(job, run.id, now)


def _execute(job: Job, run_id: int, now: datetime) -> JobRun:
    """Call the job for a claimed run and record the outcome (commits)."""
    try:
        counts = job.run(now) or {}
    except Exception as error:  # noqa: BLE001 - a failing job is recorded, never fatal
        db.session.rollback()
        current_app.logger.exception("job %s failed (run %s)", job.id, run_id)
        run = db.session.get(JobRun, run_id)
        run.status, run.finished_at = "failed", utcnow()
        run.error = f"{type(error).__name__}: {error}"[:2000]
        db.session.commit()
        return run
    run = db.session.get(JobRun, run_id)
    run.status, run.counts, run.finished_at = "ok", counts, utcnow()
    db.session.commit()
    return run


def request_run(job_id: str, actor, now: datetime | None = None) -> JobRun:
    """An administrator asks for a run now. It is not run inside the web request (a job may
    talk to the mail server): the scheduler takes it up within a minute (run_requested).
    Flushes; the caller commits."""
    from lernpfad.audit.services import record_audit

    job = jobs()[job_id]
    now = now or utcnow()
    run = JobRun(
        job_id=job.id,
        period=f"{rules.period_key(job.period, local(now))}/manual-{now:%H%M%S%f}",
        status="requested",
        started_at=now,
        manual=True,
    )
    db.session.add(run)
    record_audit(actor=actor, action="job.requested", job=job.id)
    db.session.flush()
    return run


def run_requested(now: datetime | None = None) -> int:
    """The scheduler's part of "jetzt ausführen": run every requested run once, each claimed by
    a conditional update so that two schedulers never both take it. Returns how many ran."""
    now = now or utcnow()
    known = jobs()
    ran = 0
    for run_id, job_id in db.session.execute(
        sa.select(JobRun.id, JobRun.job_id).where(JobRun.status == "requested").order_by(JobRun.id)
    ).all():
        taken = db.session.execute(
            sa.update(JobRun)
            .where(JobRun.id == run_id, JobRun.status == "requested")
            .values(status="running", started_at=now)
        ).rowcount
        db.session.commit()
        if taken != 1 or job_id not in known:
            continue
        _execute(known[job_id], run_id, now)
        ran += 1
    return ran


def last_runs() -> dict[str, JobRun]:
    """The newest run of every job."""
    newest = (
        sa.select(JobRun.job_id, sa.func.max(JobRun.id).label("id")).group_by(JobRun.job_id)
    ).subquery()
    rows = db.session.scalars(sa.select(JobRun).join(newest, JobRun.id == newest.c.id))
    return {row.job_id: row for row in rows}


OUTCOME_LABELS = {
    "requested": _l("angefordert"),
    "running": _l("läuft"),
    "ok": _l("erfolgreich"),
    "failed": _l("fehlgeschlagen"),
}
