from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lernpfad.auth.models import Department, Person
from lernpfad.db import utcnow
from lernpfad.extensions import db


class UseCase(db.Model):
    __tablename__ = "use_cases"
    __table_args__ = tuple(
        sa.CheckConstraint(f"{name} BETWEEN 1 AND 5", name=f"{name}_range")
        for name in ("score_value", "score_feasibility", "score_strategic")
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(
        sa.ForeignKey("departments.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    process: Mapped[str] = mapped_column(sa.String(300))
    problem: Mapped[str] = mapped_column(sa.Text)
    expected_benefit: Mapped[str] = mapped_column(sa.Text)
    kpi_name: Mapped[str] = mapped_column(sa.String(200))
    kpi_baseline: Mapped[str] = mapped_column(sa.String(100))
    kpi_target: Mapped[str] = mapped_column(sa.String(100))
    kpi_measured: Mapped[str | None] = mapped_column(sa.String(100))  # before measurements
    # The KPI as numbers (pilots.py): parsed from the texts above when saved; None where an
    # old text held no number.
    kpi_unit: Mapped[str | None] = mapped_column(sa.String(30))
    kpi_baseline_value: Mapped[float | None]
    kpi_target_value: Mapped[float | None]
    pilot_started_on: Mapped[date | None]
    pilot_weeks: Mapped[int | None]
    score_value: Mapped[int]
    score_feasibility: Mapped[int]
    score_strategic: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(20), default="idee")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department] = relationship()
    created_by: Mapped[Person | None] = relationship()


class PilotMeasurement(db.Model):
    """One reading of a pilot's KPI: when, the value (in the use case's unit), who measured."""

    __tablename__ = "pilot_measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    use_case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("use_cases.id", ondelete="CASCADE"), index=True
    )
    measured_on: Mapped[date]
    value: Mapped[float]
    note: Mapped[str | None] = mapped_column(sa.String(500))
    measured_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    measured_by: Mapped[Person | None] = relationship()


class PilotDecision(db.Model):
    """The decision at the end of a pilot (scale up, extend, stop) with its reason."""

    __tablename__ = "pilot_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    use_case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("use_cases.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(sa.String(20))  # ausrollen, verlaengern, stoppen
    reason: Mapped[str] = mapped_column(sa.Text)
    extra_weeks: Mapped[int | None]  # when extended
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    decided_by: Mapped[Person | None] = relationship()
