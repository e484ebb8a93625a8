"""Password hashing at login: today's argon2id parameters, old hashes upgraded at the next
successful login, and the slow hash always before the login's one short write."""

import sqlalchemy as sa
from argon2 import PasswordHasher

from lernpfad.auth import services
from lernpfad.auth.models import Person
from lernpfad.auth.passwords import hash_password, needs_rehash, verify_password
from lernpfad.extensions import db
from tests.helpers import PASSWORD
from tests.statements import is_write, recorded_statements

# The library default this app used before: RFC 9106's low-memory choice.
OLD_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)


def _stored_hash(app, person_id) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Person.password_hash).where(Person.id == person_id))


def _give_old_hash(app, person_id) -> str:
    old = OLD_HASHER.hash(PASSWORD)
    with app.app_context():
        db.session.get(Person, person_id).password_hash = old
        db.session.commit()
    return old


def test_new_hashes_use_owasp_minimum_parameters():
    hashed = hash_password("ein gutes langes passwort")
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert not needs_rehash(hashed)
    assert needs_rehash(OLD_HASHER.hash("ein gutes langes passwort"))


def test_an_old_hash_is_upgraded_at_login_and_still_verifies(app, auth, people):
    old = _give_old_hash(app, people["learner"])
    assert auth.login().status_code == 302
    new = _stored_hash(app, people["learner"])
    assert new != old
    assert new.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(new, PASSWORD)
    auth.logout()
    assert auth.login().status_code == 302  # and the next login works with the new hash
    assert _stored_hash(app, people["learner"]) == new  # made once, not at every login


def test_a_wrong_password_does_not_rehash(app, auth, people):
    old = _give_old_hash(app, people["learner"])
    assert auth.login(password="falsches passwort 123").status_code == 401
    assert _stored_hash(app, people["learner"]) == old


def test_hashing_comes_before_any_write(app, auth, people, monkeypatch):
    """On SQLite a write takes the database's single write lock until the commit: a login that
    wrote first (a failure row, last_login_at) and hashed afterwards would make every other
    login wait for its hashing."""
    _give_old_hash(app, people["learner"])  # so that a successful login hashes twice
    writes_before_hashing: list[str] = []
    with recorded_statements(app) as statements:

        def watched(function):
            def call(*args, **kwargs):
                writes_before_hashing.extend(filter(is_write, statements))
                return function(*args, **kwargs)

            return call

        monkeypatch.setattr(services, "verify_password", watched(services.verify_password))
        monkeypatch.setattr(services, "hash_password", watched(services.hash_password))
        for password in ("falsches passwort 123", PASSWORD):  # a failure, then a rehash
            statements.clear()
            expected = 302 if password == PASSWORD else 401
            assert auth.login(password=password).status_code == expected
            assert any(map(is_write, statements))  # the login did write, afterwards
    assert writes_before_hashing == []


def test_a_successful_login_writes_one_update_only(app, auth, people):
    with recorded_statements(app) as statements:
        assert auth.login().status_code == 302
    writes = list(filter(is_write, statements))
    assert len(writes) == 1 and writes[0].startswith("UPDATE people SET last_login_at")
