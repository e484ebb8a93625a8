"""Notices before a certificate expires (60, 30 and 7 days before, CERTIFICATE_NOTICE_DAYS).

The certification feature is not built yet. This module defines what the job needs from it: a
provider ``expiring_certificates(today, until) -> list[ExpiringCertificate]`` listing the valid
certificates that expire between the two days. The certification package provides it as
``lernpfad.certification.services.expiring_certificates``; until then there are none."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from lernpfad.auth.models import Person
from lernpfad.jobs import rules
from lernpfad.jobs.reminders import Sender
from lernpfad.jobs.services import Job, local, register


@dataclass(frozen=True)
class ExpiringCertificate:
    person: Person
    certificate_id: int | str
    title: str
    valid_until: date
    # Where the notice and the mail lead (an endpoint with its arguments); the path page if None.
    link: str | None = None
    link_args: dict = field(default_factory=dict)


Provider = Callable[[date, date], list[ExpiringCertificate]]


def expiring_certificates(today: date, until: date) -> list[ExpiringCertificate]:
    """The certification package's provider, or none while it does not exist."""
    try:
        from lernpfad.certification.services import (  # type: ignore[import-not-found]
            expiring_certificates as provided,
        )
    except ImportError:
        return []
    return provided(today, until)


def notify_expiring_certificates(now: datetime, provider: Provider | None = None) -> dict:
    """One notice and mail per certificate and threshold (mandatory: a certificate is a formal
    record), sent once each even when a day was missed (rules.certificate_threshold)."""
    provider = provider or expiring_certificates
    thresholds = rules.parse_thresholds(current_app.config["CERTIFICATE_NOTICE_DAYS"])
    sender = Sender(now)
    if not thresholds:
        return sender.counts()
    today = local(now).date()
    for certificate in provider(today, today + timedelta(days=max(thresholds))):
        threshold = rules.certificate_threshold(certificate.valid_until, today, thresholds)
        person = certificate.person
        if threshold is None or not person.active:
            continue
        sender.send(
            person,
            "certificate_expiring",
            f"{certificate.certificate_id}:{threshold}",
            subject=_l(
                "Lernpfad: Ihr Zertifikat „%(title)s“ läuft bald ab", title=certificate.title
            ),
            params={
                "title": certificate.title,
                "valid_until": certificate.valid_until.isoformat(),
            },
            link=certificate.link or "paths.mine",
            link_args=certificate.link_args if certificate.link else None,
            context={
                "title": certificate.title,
                "valid_until": certificate.valid_until,
                "days": (certificate.valid_until - today).days,
            },
        )
    return sender.counts()


register(
    Job(
        "certificates",
        _l("Ablaufende Zertifikate melden"),
        "day",
        "30 8 * * *",
        lambda now: notify_expiring_certificates(now),
    )
)
