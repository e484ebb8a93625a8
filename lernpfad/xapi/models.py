"""xAPI: each person's pseudonym, the statements waiting for the Learning Record Store (and those
sent, as the ledger that keeps a re-scan from sending one twice), and how far the scan got."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lernpfad.db import utcnow
from lernpfad.extensions import db


class XapiActor(db.Model):
    """The pseudonym a person appears under in xAPI statements: random, so it reveals neither
    the address nor the database id, and survives a change of SECRET_KEY (an HMAC would not).
    Deleted when the person is anonymised."""

    __tablename__ = "xapi_actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class XapiStatement(db.Model):
    """A statement for the LRS, frozen as it was built (a retry sends the same body). Unique on
    the statement id, which is deterministic (xapi.rules.statement_id): enqueuing twice is a
    no-op. Sent rows stay a while as the ledger; the person's rows go when they are anonymised."""

    __tablename__ = "xapi_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(sa.String(20))  # module, quiz, task, exam, certificate
    verb: Mapped[str] = mapped_column(sa.String(20))  # attempted, completed, passed, failed
    payload: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    sent_at: Mapped[datetime | None] = mapped_column(index=True)


class XapiScan(db.Model):
    """How far the job has looked for new learning events (one row). None yet: the first scan
    after an LRS is configured covers the whole history."""

    __tablename__ = "xapi_scan"

    id: Mapped[int] = mapped_column(primary_key=True)
    scanned_until: Mapped[datetime]
