"""Factories shared by the tests."""

import re
from functools import cache

import sqlalchemy as sa

from lernpfad.auth.models import Department, Role
from lernpfad.auth.passwords import hash_password
from lernpfad.extensions import db
from lernpfad.people.services import create_person

PASSWORD = "correct horse battery staple"


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def department(name: str = "Vertrieb") -> Department:
    found = db.session.scalar(sa.select(Department).where(Department.name == name))
    if found is None:
        found = Department(name=name)
        db.session.add(found)
        db.session.flush()
    return found


def make_person(
    email, *, name=None, roles=frozenset(), department_name="Vertrieb", job_function=""
):
    person = create_person(
        name=name or email.split("@")[0].title(),
        email=email,
        department=department(department_name),
        job_function=job_function,
        roles=set(roles) | {Role.LEARNER},
    )
    person.password_hash = password_hash()
    db.session.flush()
    return person


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def login_client(app, email: str):
    """A new test client of ``app``, signed in as ``email`` (password PASSWORD)."""
    client = app.test_client()
    response = client.post("/anmelden", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, email
    return client
