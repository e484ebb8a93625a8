"""Personal access tokens for the JSON API, and when a person's record last changed."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from lernpfad.auth.models import Person, PersonRole
from lernpfad.db import utcnow
from lernpfad.extensions import db


class ApiToken(db.Model):
    """A token an administrator made for an HR system; only the token's SHA-256 is stored.

    ``window_minute``/``window_calls`` count the calls of the current minute (api.services
    .count_call: one atomic UPDATE, so the limit holds across web workers and hosts)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))  # shown in lists to tell tokens apart
    scopes: Mapped[str] = mapped_column(sa.String(200))  # space-separated, sorted
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    window_minute: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    window_calls: Mapped[int] = mapped_column(default=0)

    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id])

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())


# What the API reports as a person's change (people.updated_at): their own fields and roles —
# not a login, a new session or the report columns, so `updated_since` lists real changes.
# The relationships too: their foreign keys are set only later in the flush.
TRACKED_FIELDS = (
    "name",
    "email",
    "department_id",
    "department",
    "job_function",
    "manager_id",
    "manager",
    "active",
    "role_rows",
)


@sa.event.listens_for(Session, "before_flush")
def stamp_changed_people(session, _context, _instances) -> None:
    """Set ``updated_at`` on every person whose tracked fields or roles change in this flush."""
    now = None
    touched: set = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Person) and obj not in session.new:
            state = sa.inspect(obj)
            if any(state.attrs[key].history.has_changes() for key in TRACKED_FIELDS):
                touched.add(obj)
        elif (
            isinstance(obj, PersonRole) and obj.person is not None and obj.person not in session.new
        ):
            touched.add(obj.person)
    for person in touched:
        if person in session.deleted:
            continue
        now = now or utcnow()
        person.updated_at = now
