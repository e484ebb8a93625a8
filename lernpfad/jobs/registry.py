"""The jobs the scheduler runs, with their default schedules (crontab, company time zone)."""

from flask_babel import lazy_gettext as _l

from lernpfad.jobs.services import Job, register


def _outbox(now):
    from flask import current_app

    from lernpfad.auth.services import process_reset_requests
    from lernpfad.jobs.mail import deliver_outbox

    queued = process_reset_requests(valid_hours=current_app.config["RESET_VALID_HOURS"], now=now)
    return {"reset_mails": queued, "sent": deliver_outbox(limit=200)}


def _retention(now):
    from lernpfad.db import refresh_statistics
    from lernpfad.extensions import db
    from lernpfad.jobs.retention import clean_up

    counts = clean_up(now)
    refresh_statistics(db.session)  # the planner's picture of the tables, once a night
    return counts


register(Job("outbox", _l("Mail-Ausgang senden"), "minute", "* * * * *", _outbox))
register(
    Job("retention", _l("Aufbewahrungsfristen: Altes löschen"), "day", "30 3 * * *", _retention)
)
# Imported last, so that the mail outbox stays the first job (each module registers its own).
from lernpfad.jobs import (  # noqa: E402, F401
    audit,  # the audit log's hash chain, checked nightly
    certificates,  # expiring certificates
    digest,  # the weekly digest
    reminders,  # inactivity, due dates, re-assessment
    snapshots,  # the monthly report snapshots
)
from lernpfad.xapi import jobs as xapi_jobs  # noqa: E402, F401 (statements to the LRS)
