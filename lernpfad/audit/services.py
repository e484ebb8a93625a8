"""Writing the audit log (one chain), and checking it."""

import sqlalchemy as sa

from lernpfad.audit import rules
from lernpfad.audit.models import AuditChainHead, AuditEvent
from lernpfad.auth.models import ANONYMOUS_DOMAIN, Person
from lernpfad.db import utcnow
from lernpfad.extensions import db

HEAD_ID = 1


def _advance_head() -> tuple[str, int]:
    """Claim the next place in the chain: the head row is updated first, so that a second
    writer waits until this transaction ends (PostgreSQL: row lock; SQLite: write lock)."""
    row = db.session.execute(
        sa.update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .values(length=AuditChainHead.length + 1)
        .returning(AuditChainHead.last_hash, AuditChainHead.length),
        execution_options={"synchronize_session": False},
    ).one_or_none()
    if row is None:  # a database made without the migration (tests: create_all)
        db.session.add(AuditChainHead(id=HEAD_ID, length=1, last_hash=rules.GENESIS))
        db.session.flush()
        return rules.GENESIS, 1
    return row[0] or rules.GENESIS, row[1]


def record_audit(*, actor, action: str, subject=None, **details) -> AuditEvent:
    """Write an audit event at the end of the chain (flushed; committed with the change it
    records)."""
    prev_hash, _length = _advance_head()
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_id=subject.id if subject is not None else None,
        details=details,
        details_digest=rules.details_digest(details),
        prev_hash=prev_hash,
    )
    event.hash = rules.event_hash(
        prev_hash,
        at=event.at,
        actor_id=event.actor_id,
        action=action,
        subject_id=event.subject_id,
        details_digest=event.details_digest,
    )
    db.session.add(event)
    db.session.execute(
        sa.update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(last_hash=event.hash),
        execution_options={"synchronize_session": False},
    )
    db.session.flush()
    return event


def _entries(batch: int = 2000):
    """Every entry in id order, read in batches (the log may hold millions)."""
    erased = sa.select(Person.id).where(Person.email.endswith(ANONYMOUS_DOMAIN)).scalar_subquery()
    last_id = 0
    while True:
        rows = db.session.execute(
            sa.select(
                AuditEvent.id,
                AuditEvent.at,
                AuditEvent.actor_id,
                AuditEvent.action,
                AuditEvent.subject_id,
                AuditEvent.details,
                AuditEvent.details_digest,
                AuditEvent.prev_hash,
                AuditEvent.hash,
                AuditEvent.subject_id.in_(erased),
            )
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield rules.Entry(*row[:9], subject_erased=bool(row[9]))
        last_id = rows[-1][0]


def verify() -> tuple[rules.Break | None, int]:
    """Check the whole chain against the head: the first broken link (or None), and how many
    entries were read."""
    head = db.session.get(AuditChainHead, HEAD_ID)
    return rules.first_break(
        _entries(),
        head.length if head is not None else None,
        head.last_hash if head is not None else None,
    )
