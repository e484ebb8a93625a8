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
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
