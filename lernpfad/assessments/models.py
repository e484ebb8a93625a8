"""Attempts (answers, saved per step, visible to the person alone) and results."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lernpfad.auth.models import Person
from lernpfad.db import utcnow
from lernpfad.extensions import db


class AssessmentAttempt(db.Model):
    __tablename__ = "assessment_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    assessment_key: Mapped[str] = mapped_column(sa.String(80))
    assessment_hash: Mapped[str] = mapped_column(sa.String(64))
    # The first step not yet answered (1–4); 5 when every step is answered.
    next_step: Mapped[int] = mapped_column(default=1)
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship()


class AssessmentResult(db.Model):
    __tablename__ = "assessment_results"
    # A person's latest result (reports.tracking) read off the index, also on fresh tables.
    __table_args__ = (sa.Index("ix_assessment_results_latest", "person_id", "completed_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    # One result per attempt: a double submit cannot store two.
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment_attempts.id", ondelete="CASCADE"), unique=True
    )
    assessment_hash: Mapped[str] = mapped_column(sa.String(64))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    base_role: Mapped[str] = mapped_column(sa.String(32))
    path_role: Mapped[str] = mapped_column(sa.String(32))
    levels: Mapped[dict] = mapped_column(sa.JSON)
    details: Mapped[dict] = mapped_column(sa.JSON)
    volunteered: Mapped[bool] = mapped_column(default=False)
    hours: Mapped[int] = mapped_column(default=0)

    person: Mapped[Person] = relationship()
    attempt: Mapped[AssessmentAttempt] = relationship()
