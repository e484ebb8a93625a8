"""Which KI-Champion looks after which department."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lernpfad.auth.models import Department, Person
from lernpfad.db import utcnow
from lernpfad.extensions import db


class ChampionDepartment(db.Model):
    """A champion is responsible for a department: its people's reviews, questions and office hours."""

    __tablename__ = "champion_departments"
    __table_args__ = (sa.UniqueConstraint("champion_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    champion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int] = mapped_column(
        sa.ForeignKey("departments.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    champion: Mapped[Person] = relationship()
    department: Mapped[Department] = relationship()
