"""Exam attempts, project reports, certifier rights and certificates."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lernpfad.auth.models import Person
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.usecases.models import UseCase


class CertifierRight(db.Model):
    """A certified champion whom HR allowed to certify others (HR certifies anyway)."""

    __tablename__ = "certifier_rights"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), unique=True
    )
    granted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExamAttempt(db.Model):
    """One attempt at the final exam: the questions drawn for it, its deadline and, once handed
    in, the answers and the score. Submitted once (a replay changes nothing)."""

    __tablename__ = "exam_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    pool_hash: Mapped[str] = mapped_column(sa.String(64))  # the exam pool version it was drawn from
    question_ids: Mapped[list] = mapped_column(sa.JSON)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    correct: Mapped[int | None]
    total: Mapped[int | None]
    passed: Mapped[bool | None]
    late: Mapped[bool] = mapped_column(default=False)  # handed in after the deadline: failed

    person: Mapped[Person] = relationship()


class Project(db.Model):
    """A practical project report on a use case of the register (Pilot or im Einsatz)."""

    __tablename__ = "certification_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    use_case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("use_cases.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    what_was_done: Mapped[str] = mapped_column(sa.Text)
    baseline: Mapped[str] = mapped_column(sa.String(200))
    result: Mapped[str] = mapped_column(sa.String(200))
    effect: Mapped[str] = mapped_column(sa.Text)
    # submitted → approved | returned (then revised and submitted again)
    status: Mapped[str] = mapped_column(sa.String(12), default="submitted")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_at: Mapped[datetime | None]
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    feedback: Mapped[str | None] = mapped_column(sa.Text)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    use_case: Mapped[UseCase | None] = relationship()


class Certificate(db.Model):
    """An issued certificate. The verification code (≥ 128 bits of randomness) is what the
    public verification page, the PDF's QR code and the credential status point at."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime] = mapped_column(index=True)
    approved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    requirements: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # what was met, as shown
    renewal_of_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificates.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    revocation_reason: Mapped[str | None] = mapped_column(sa.String(1000))

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
