from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.usecases.models import UseCase

# Which use cases a tool serves (many to many).
tool_use_cases = sa.Table(
    "toolbox_tool_use_cases",
    db.metadata,
    sa.Column("tool_id", sa.ForeignKey("toolbox_tools.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "use_case_id",
        sa.ForeignKey("use_cases.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Tool(db.Model):
    """An AI tool of the company's toolbox (lernpfad.toolbox.rules for status and data class)."""

    __tablename__ = "toolbox_tools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    provider: Mapped[str] = mapped_column(sa.String(200))
    purpose: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), index=True)
    data_class: Mapped[str] = mapped_column(sa.String(20))  # the highest class allowed
    hosting_region: Mapped[str] = mapped_column(sa.String(30))
    has_dpa: Mapped[bool] = mapped_column(default=False)  # AVV/DPA (Art. 28 GDPR) signed
    licence_model: Mapped[str] = mapped_column(sa.String(30))
    monthly_cost_eur: Mapped[int | None]  # the whole company's, in euros
    owner: Mapped[str] = mapped_column(sa.String(200))  # who is responsible (name or team)
    review_on: Mapped[date | None]  # the next review
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    use_cases: Mapped[list[UseCase]] = relationship(
        secondary=tool_use_cases, order_by=UseCase.title
    )

    def __repr__(self) -> str:
        return f"<Tool {self.name}>"
