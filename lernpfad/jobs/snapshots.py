"""The job ``snapshots``: on the 1st of every month, the report figures of the month that just
ended are stored (reports.snapshots), for the trends in the reports."""

from flask_babel import lazy_gettext as _l

from lernpfad.jobs.services import Job, register


def _snapshots(now):
    from lernpfad.reports.snapshots import snapshot_last_month

    return snapshot_last_month(now)


register(
    Job("snapshots", _l("Monatsstand der Berichte speichern"), "month", "0 2 1 * *", _snapshots)
)
