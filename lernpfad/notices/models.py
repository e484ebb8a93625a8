"""Notices shown in the app, and which reminders and digests a person wants."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lernpfad.db import utcnow
from lernpfad.extensions import db


class NoticeKind(enum.StrEnum):
    REVIEWED = "reviewed"  # a hand-in was accepted
    RETURNED = "returned"  # a hand-in was returned for revision
    SESSION_TO_CONFIRM = "session_to_confirm"  # a champion logged a session with the person
    DUE_SOON = "due_soon"  # an assigned module is due in a few days
    OVERDUE = "overdue"  # an assigned module is overdue
    CERTIFICATE_EXPIRING = "certificate_expiring"
    REASSESSMENT = "reassessment"  # the self-assessment may be taken again
    INACTIVITY = "inactivity"  # no learning for a while, required modules open
    AUDIT_CHAIN_BROKEN = "audit_chain_broken"  # the nightly check found a changed audit log


class Notice(db.Model):
    """One notice for one person. Only the kind and its parameters are stored: the text is
    written when it is shown, in the reader's language (notices/texts.py)."""

    __tablename__ = "notices"
    # The bell counts a person's unread notices on every page.
    __table_args__ = (sa.Index("ix_notices_person_id_read_at", "person_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Where the notice leads: an endpoint and its arguments (None: nowhere to go).
    link_endpoint: Mapped[str | None] = mapped_column(sa.String(80))
    link_args: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]


class NotificationPreference(db.Model):
    """A person's choice: reminders (inactivity, due soon, re-assessment) and the weekly digest.
    Without a row both are on. Mandatory messages (review results, overdue assignments,
    certificates, password mails) do not depend on it."""

    __tablename__ = "notification_preferences"

    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    reminders: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    digest: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
