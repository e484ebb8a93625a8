"""The company account a person signed in with: the provider's issuer and subject."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lernpfad.auth.models import Person
from lernpfad.db import utcnow
from lernpfad.extensions import db


class SsoIdentity(db.Model):
    """Bound at the first SSO login (found by the verified e-mail address); from then on the
    person is found by ``issuer`` + ``subject`` alone, so a changed address at the provider
    neither locks them out nor lets another account of the provider take theirs over. One
    identity per person and issuer."""

    __tablename__ = "sso_identities"
    __table_args__ = (
        sa.UniqueConstraint("issuer", "subject"),
        sa.UniqueConstraint("person_id", "issuer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    issuer: Mapped[str] = mapped_column(sa.String(255))
    subject: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
