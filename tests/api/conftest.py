"""Tokens for the API tests: made through the service an administrator's page uses."""

import pytest

from lernpfad.api import rules, tokens
from lernpfad.auth.models import Person
from lernpfad.extensions import db


@pytest.fixture
def make_token(app, people):
    """make_token(scopes=..., name=..., valid_days=...) → the clear token."""

    def make(scopes=rules.SCOPES, name="Personio", valid_days=30):
        with app.app_context():
            admin = db.session.get(Person, people["admin"])
            _token, clear = tokens.create_token(
                name=name, scopes=scopes, valid_days=valid_days, actor=admin
            )
            db.session.commit()
        return clear

    return make


@pytest.fixture
def token(make_token):
    """A token with every scope."""
    return make_token()


def bearer(token: str, **headers) -> dict:
    return {"Authorization": f"Bearer {token}", **headers}
