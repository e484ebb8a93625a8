from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lernpfad.auth.models import Person
from lernpfad.db import utcnow
from lernpfad.extensions import db


class PathAssignment(db.Model):
    """Which role's path a person follows: from the assessment, or set by HR with a reason."""

    __tablename__ = "path_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), unique=True
    )
    role: Mapped[str] = mapped_column(sa.String(32))
    # "assessment" or "hr": an HR override stays until HR changes it again.
    source: Mapped[str] = mapped_column(sa.String(20), default="assessment")
    nominated_champion: Mapped[bool] = mapped_column(default=False)
    # The champion path from the assessment is the person's own choice: "offered" when they
    # qualify, then "confirmed" or "declined" by them. Only a confirmed (or nominated) champion
    # path is visible to HR; that someone qualified derives from their answers and stays theirs.
    champion_choice: Mapped[str | None] = mapped_column(sa.String(10))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
