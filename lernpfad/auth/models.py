"""People, departments, roles and the records behind login and invitations."""

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lernpfad.db import utcnow
from lernpfad.extensions import db


class Role(enum.StrEnum):
    LEARNER = "learner"
    CHAMPION = "champion"
    DEPARTMENT_HEAD = "department_head"
    HR = "hr"
    LEADERSHIP = "leadership"
    ADMIN = "admin"
    DPO = "dpo"  # the data-protection officer: reads the audit log and the documentation
    AI_COORDINATION = "ai_coordination"  # keeps the KI-Toolbox (the company's AI tools)


ANONYMOUS_DOMAIN = "@anonym.invalid"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class Department(db.Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    people: Mapped[list["Person"]] = relationship(
        back_populates="department", foreign_keys="Person.department_id"
    )

    def __repr__(self) -> str:
        return f"<Department {self.name}>"


class Person(UserMixin, db.Model):
    __tablename__ = "people"
    # The report groups' sizes in one index scan (reports.figures.group_sizes).
    __table_args__ = (
        sa.Index(
            "ix_people_report_groups",
            "active",
            "department_id",
            "current_result_id",
            "completed_modules",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    department_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("departments.id", ondelete="SET NULL"), index=True
    )
    job_function: Mapped[str] = mapped_column(sa.String(200), default="")
    manager_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    # Part of the login cookie: replacing it ends every session of this person.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # The latest self-assessment result (reports.tracking keeps it; no foreign key, to keep the
    # two tables free of a cycle), and when anything that puts the person into a report group
    # last changed (active, department, that result): the reports compare only people changed
    # since a group's last publication.
    current_result_id: Mapped[int | None]
    group_changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    completed_modules: Mapped[int] = mapped_column(default=0)  # kept by reports.tracking too
    # When the person's own fields or roles last changed (the API's `updated_since`; kept by
    # lernpfad.api.models.stamp_changed_people).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    department: Mapped[Department | None] = relationship(
        back_populates="people", foreign_keys=[department_id]
    )
    manager: Mapped["Person | None"] = relationship(remote_side=[id])
    role_rows: Mapped[list["PersonRole"]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[Role]:
        return {Role(row.role) for row in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def add_role(self, role: Role) -> None:
        if role not in self.roles:
            self.role_rows.append(PersonRole(role=role.value))

    def remove_role(self, role: Role) -> None:
        self.role_rows = [row for row in self.role_rows if row.role != role.value]

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def anonymised(self) -> bool:
        """Erased after leaving (people.services.anonymise): a nameless record for the figures."""
        return self.email.endswith(ANONYMOUS_DOMAIN)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def end_all_sessions(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<Person {self.email}>"


# The staff list's order (people.services.people_overview): a page is read off this index instead
# of sorting every person for each page.
sa.Index("ix_people_staff_list", Person.active.desc(), Person.name, Person.id)


class PersonRole(db.Model):
    __tablename__ = "person_roles"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "role"),
        sa.Index("ix_person_roles_role", "role", "person_id"),  # who has a role (reports)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(32))

    person: Mapped[Person] = relationship(back_populates="role_rows")


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"
    RESET = "reset"


class AccountToken(db.Model):
    """A one-time link (invitation or password reset); only the token's SHA-256 is stored."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(sa.String(20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship()


class LoginFailure(db.Model):
    """A failed login for an e-mail address (known or not) from one client, for throttling
    (auth/rules.py): the client is a device that signed in to the account before ("d:…",
    trusted) or an address ("ip:…")."""

    __tablename__ = "login_failures"
    __table_args__ = (sa.Index("ix_login_failures_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    client: Mapped[str] = mapped_column(sa.String(64), default="")
    trusted: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ResetRequest(db.Model):
    """A "forgot password" request, stored as it came in; the mail job turns it into a link.

    The web request does the same work for known and unknown addresses (one row), so its answer
    and its timing say nothing about whether an address exists, and no mail server is contacted
    inside it. Rows are deleted a day after processing (they hold an address and a client)."""

    __tablename__ = "reset_requests"
    __table_args__ = (
        sa.Index("ix_reset_requests_email_at", "email", "requested_at"),
        sa.Index("ix_reset_requests_client_at", "client", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    client: Mapped[str] = mapped_column(sa.String(64))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    # pending → sent (a link was queued) | unknown (no active account) | limited (too many)
    # | sso (the account signs in with SSO only: PASSWORD_LOGIN)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", index=True)
