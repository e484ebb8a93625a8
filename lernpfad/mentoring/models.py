"""Which KI-Champion looks after which department and which individual mentees, what they tell
colleagues in the directory, and the mentoring sessions they log."""

from datetime import date, datetime

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


class MentoringSession(db.Model):
    """A session a champion held with a colleague; it counts once the colleague confirms it.

    Only the topic is recorded, not what was discussed: the log is evidence of mentoring, not a
    record about the mentee."""

    __tablename__ = "mentoring_sessions"
    # A double submit of the same session stores it once (it must not count twice).
    __table_args__ = (sa.UniqueConstraint("champion_id", "mentee_id", "held_on", "topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    champion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    mentee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date]
    minutes: Mapped[int]
    topic: Mapped[str] = mapped_column(sa.String(200))
    # waiting (for the mentee), confirmed, declined
    status: Mapped[str] = mapped_column(sa.String(20), default="waiting")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]

    champion: Mapped[Person] = relationship(foreign_keys=[champion_id])
    mentee: Mapped[Person] = relationship(foreign_keys=[mentee_id])


class ChampionProfile(db.Model):
    """What a champion tells colleagues in the directory: when and where to find them.

    Both are optional, set by the champion; the directory shows them with name and e-mail."""

    __tablename__ = "champion_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), unique=True
    )
    office_hours: Mapped[str] = mapped_column(sa.String(200), default="")
    contact: Mapped[str] = mapped_column(sa.String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ChampionMentee(db.Model):
    """HR asked a champion to look after one person individually, besides whole departments.

    A person has at most one individual champion (``mentee_id`` is unique): "your champion" stays
    one answer, and a change is a visible removal and a new assignment."""

    __tablename__ = "champion_mentees"

    id: Mapped[int] = mapped_column(primary_key=True)
    champion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    mentee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    champion: Mapped[Person] = relationship(foreign_keys=[champion_id])
    mentee: Mapped[Person] = relationship(foreign_keys=[mentee_id])
