"""Audit log and reporting rules."""

from lernpfad.extensions import db
from lernpfad.reports.models import AuditEvent


def record_audit(*, actor, action: str, subject=None, **details) -> AuditEvent:
    """Write an audit event (flushed; committed with the change it records)."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_id=subject.id if subject is not None else None,
        details=details,
    )
    db.session.add(event)
    db.session.flush()
    return event
