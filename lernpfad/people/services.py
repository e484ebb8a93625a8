"""Creating, inviting and deactivating people. Callers commit."""

from datetime import timedelta

import sqlalchemy as sa

from lernpfad.auth.models import Department, Person, Role, TokenPurpose
from lernpfad.auth.services import issue_token, normalise_email
from lernpfad.extensions import db


class PersonExists(ValueError):
    pass


def create_person(
    *,
    name: str,
    email: str,
    department: Department | None = None,
    job_function: str = "",
    roles: set[Role] | frozenset[Role] = frozenset({Role.LEARNER}),
    manager: Person | None = None,
) -> Person:
    """Add a person (no password yet). Raises PersonExists for a taken e-mail address."""
    email = normalise_email(email)
    if db.session.scalar(sa.select(Person.id).where(Person.email == email)) is not None:
        raise PersonExists(email)
    person = Person(
        name=name.strip(),
        email=email,
        department=department,
        job_function=job_function.strip(),
        manager=manager,
    )
    for role in sorted(roles | {Role.LEARNER}):
        person.add_role(role)
    db.session.add(person)
    db.session.flush()
    return person


def invite(person: Person, valid_hours: int) -> str:
    """Issue the one-time invitation token with which the person sets a password."""
    return issue_token(person, TokenPurpose.INVITATION, timedelta(hours=valid_hours))


def deactivate(person: Person) -> None:
    """A leaver can no longer log in; open sessions end at once."""
    person.active = False
    person.end_all_sessions()
    db.session.flush()


def departments() -> list[Department]:
    return list(db.session.scalars(sa.select(Department).order_by(Department.name)))


def people_overview() -> list[Person]:
    return list(db.session.scalars(sa.select(Person).order_by(Person.active.desc(), Person.name)))
