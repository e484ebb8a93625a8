"""Progress per person and module, quiz attempts and practical-task submissions."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lernpfad.auth.models import Person
from lernpfad.content.models import ModuleVersion
from lernpfad.db import utcnow
from lernpfad.extensions import db


class ModuleProgress(db.Model):
    __tablename__ = "module_progress"
    # One record per person and module, however many browsers complete it at once.
    __table_args__ = (sa.UniqueConstraint("person_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(sa.String(80), index=True)
    # The content version the person works on; a completion records the version it was made on.
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("module_versions.id"))
    state: Mapped[str] = mapped_column(sa.String(20), default="offen")
    quiz_passed: Mapped[bool] = mapped_column(default=False)
    task_accepted: Mapped[bool] = mapped_column(default=False)
    # Counts submissions: a returned task opens the next round.
    round: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    quiz_passed_at: Mapped[datetime | None]
    # Quiz attempts up to and including the first pass: part of the training record (evidence).
    quiz_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # Completed by test-out: the level was reached already and the quiz passed at the first try.
    tested_out: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    submitted_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None] = mapped_column(index=True)

    person: Mapped[Person] = relationship()
    version: Mapped[ModuleVersion] = relationship()


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[str] = mapped_column(sa.String(80))
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("module_versions.id"))
    answers: Mapped[dict] = mapped_column(sa.JSON)
    correct: Mapped[int]
    total: Mapped[int]
    passed: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Submission(db.Model):
    """A practical-task hand-in: what was done on real work and what it changed."""

    __tablename__ = "submissions"
    # One submission per round: a double submit or a second browser cannot add another.
    __table_args__ = (sa.UniqueConstraint("person_id", "module_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[str] = mapped_column(sa.String(80))
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("module_versions.id"))
    round: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str] = mapped_column(sa.Text)
    use_case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("use_cases.id", ondelete="SET NULL"), index=True
    )
    # submitted (waits for review), confirmed (no review needed), accepted, returned
    status: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_at: Mapped[datetime | None]
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    feedback: Mapped[str | None] = mapped_column(sa.Text)
    feedback_html: Mapped[str | None] = mapped_column(sa.Text)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    version: Mapped[ModuleVersion] = relationship()


class ModuleAssignment(db.Model):
    """A module a department head assigned to a person of the department, with a due date."""

    __tablename__ = "module_assignments"
    __table_args__ = (sa.UniqueConstraint("person_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(sa.String(80))
    due_on: Mapped[date]
    assigned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
