"""Lookups on the public verification page, counted per client against guessing."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lernpfad.db import utcnow
from lernpfad.extensions import db


class VerificationLookup(db.Model):
    """One look-up of a verification code (known or not) by one client (an address, IPv6 by
    its /64 network). Rows live only as long as the limit's window."""

    __tablename__ = "verification_lookups"
    __table_args__ = (sa.Index("ix_verification_lookups_client_at", "client", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
