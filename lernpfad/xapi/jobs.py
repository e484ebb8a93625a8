"""The job ``xapi``: every minute, new learning events become statements in the outbox and due
statements go to the Learning Record Store (only when LERNPFAD_XAPI_ENDPOINT is set)."""

from flask_babel import lazy_gettext as _l

from lernpfad.jobs.services import Job, register


def _xapi(now):
    from lernpfad.xapi.services import run_outbox

    return run_outbox(now)


register(
    Job(
        "xapi",
        _l("Lernaktivitäten an den Learning Record Store senden"),
        "minute",
        "* * * * *",
        _xapi,
    )
)
