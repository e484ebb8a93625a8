"""The one scheduler process: `flask --app lernpfad lernpfad scheduler`.

Never started inside create_app. Each job runs in an app context through jobs.services.run_job,
which claims its (job, period) row first, so two schedulers started against one database by
mistake still run every job once per period. Missed runs (the process was down, the clock jumped)
are caught up once, not once per missed tick (coalesce)."""

from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask


def build_scheduler(app: Flask, scheduler_class=BlockingScheduler):
    """A scheduler with every job of jobs.services.jobs() on its configured schedule."""
    from lernpfad.jobs.services import jobs, run_job, run_requested, schedule_of

    timezone = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
    scheduler = scheduler_class(
        timezone=timezone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )

    def tick(job_id: str) -> None:
        with app.app_context():
            run_job(job_id)

    with app.app_context():
        for job in jobs().values():
            scheduler.add_job(
                tick,
                CronTrigger.from_crontab(schedule_of(job), timezone=timezone),
                args=[job.id],
                id=job.id,
                name=str(job.label),
                replace_existing=True,
            )

    def requested() -> None:
        with app.app_context():
            run_requested()

    # "Jetzt ausführen" on the admin page: taken up here, outside any web request.
    scheduler.add_job(
        requested,
        IntervalTrigger(seconds=30, timezone=timezone),
        id="_requested",
        name="requested",
    )
    return scheduler
