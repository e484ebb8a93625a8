from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lernpfad.db import utcnow
from lernpfad.extensions import db


class PrivacyModeChange(db.Model):
    """An administrator's switch of the privacy mode (aggregate | individual), with the reason.

    The newest row is the mode in force; without any row, LERNPFAD_PRIVACY_MODE is (the
    installation's starting point). Rows are only added, and each switch is also in the audit
    log."""

    __tablename__ = "privacy_mode_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    mode: Mapped[str] = mapped_column(sa.String(20))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
