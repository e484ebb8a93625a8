from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lernpfad.db import utcnow
from lernpfad.extensions import db


class AuditEvent(db.Model):
    """Who did what to whose record, and why (role overrides, views of one person's data).

    Entries are only ever added (services.record_audit). At commit each gets its place in the
    chain (``seq``), the hash of its predecessor and its own hash over its fields
    (rules.event_hash), so that a changed or deleted entry breaks the chain; ``details_digest`` keeps the details' hash apart, so that
    erasing the details of an anonymised person (GDPR) leaves the chain intact."""

    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_actor_id", "actor_id", "id"),
        sa.Index("ix_audit_events_action", "action", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(60))
    subject_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    details_digest: Mapped[str] = mapped_column(sa.String(64), default="")
    seq: Mapped[int | None] = mapped_column(unique=True)  # the place in the chain
    prev_hash: Mapped[str] = mapped_column(sa.String(64), default="")
    hash: Mapped[str] = mapped_column(sa.String(64), default="")


class AuditChainHead(db.Model):
    """One row: how many entries the chain holds and the last one's hash. Every new entry
    updates it first, which serialises writers (one chain, no forks) and lets a deleted last
    entry be found."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    length: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(sa.String(64), default="")
