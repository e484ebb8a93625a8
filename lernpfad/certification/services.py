"""Certification: the requirements (data), a candidate's facts, projects, approval, issuing,
renewal and revocation. Callers commit."""

import secrets
from datetime import datetime

import sqlalchemy as sa

from lernpfad.certification.models import Certificate
from lernpfad.content.services import current_document
from lernpfad.db import utcnow
from lernpfad.extensions import db

DEFAULT_REQUIREMENTS = {
    "id": "ki-champion",
    "title": "Zertifizierte:r KI-Champion",
    "validity_months": 12,
    "requirements": {
        "path": {"role": "champion"},
        "exam": {
            "questions": 20,
            "pass_percent": 80,
            "minutes": 30,
            "attempts": 3,
            "cooldown_days": 7,
        },
        "projects": {"count": 2},
        "mentoring": {"sessions": 5, "mentees": 2},
        "approval": {},
    },
    "renewal": {"modules": [], "sessions": 2, "within_months": 6},
}


def requirements() -> dict:
    """The certification requirements from content/certification/champion.yaml (as imported),
    or the documented defaults while none is imported."""
    document = current_document("certification")
    return document.data if document is not None else DEFAULT_REQUIREMENTS


def new_code() -> str:
    """A verification code: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


def certificates_of(person_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .where(Certificate.person_id == person_id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def by_code(code: str) -> Certificate | None:
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == code))


def status(certificate: Certificate, now: datetime | None = None) -> str:
    """ "revoked", "expired" or "valid" (the verification page shows widerrufen / abgelaufen /
    gültig)."""
    now = now or utcnow()
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.valid_until <= now:
        return "expired"
    return "valid"
