from datetime import datetime

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
    kpi_measured: Mapped[str | None] = mapped_column(sa.String(100))
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
