from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lernpfad.db import utcnow
from lernpfad.extensions import db


class OutboxMail(db.Model):
    """A mail waiting to be sent; kept until sent, retried with back-off."""

    __tablename__ = "outbox_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    # The same message as HTML: sent as multipart/alternative beside the text when present.
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    sent_at: Mapped[datetime | None] = mapped_column(index=True)


class JobRun(db.Model):
    """One run of a scheduled job for one period (a minute, day, week or month).

    The unique (job, period) key is what makes a job run once per period, however many scheduler
    processes are started by mistake: a run claims its row before working (jobs.services.claim)."""

    __tablename__ = "job_runs"
    __table_args__ = (sa.UniqueConstraint("job_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(sa.String(40))
    period: Mapped[str] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(10), default="running")  # running | ok | failed
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=1)
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str | None] = mapped_column(sa.String(2000))
    manual: Mapped[bool] = mapped_column(default=False)


class ReminderLog(db.Model):
    """A reminder, invitation or digest sent to one person: claimed (inserted) before it is sent,
    so each (person, kind, key) goes out once — the key names what it is about, e.g. the day,
    the assigned module and its due date, the assessment result or the ISO week."""

    __tablename__ = "reminder_log"
    __table_args__ = (sa.UniqueConstraint("person_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    key: Mapped[str] = mapped_column(sa.String(120))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
