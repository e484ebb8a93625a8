"""Administrators make and revoke tokens under /betrieb/api-zugaenge: shown once, stored
hashed, audited; the reference page works from vendored files under the app's CSP."""

import re

import pytest
import sqlalchemy as sa

from lernpfad.api import rules
from lernpfad.api.models import ApiToken
from lernpfad.audit.models import AuditEvent
from lernpfad.extensions import db
from tests.api.conftest import bearer
from tests.helpers import login_client

URL = "/betrieb/api-zugaenge/"


@pytest.mark.parametrize(
    ("email", "status"),
    [("hr@example.org", 403), ("learner@example.org", 403), ("admin@example.org", 200)],
)
def test_only_administrators_manage_tokens(app, people, email, status):
    assert login_client(app, email).get(URL).status_code == status


def test_a_token_is_shown_once_stored_hashed_works_and_is_revoked(app, people):
    admin = login_client(app, "admin@example.org")
    page = admin.post(
        URL,
        data={"name": "Personio", "scopes": ["people:read", "records:read"], "valid_days": "90"},
    ).get_data(as_text=True)
    clear = re.search(r"<code>(lp_[A-Za-z0-9_-]+)</code>", page).group(1)
    assert "nur dieses eine Mal angezeigt" in page
    with app.app_context():
        token = db.session.scalar(sa.select(ApiToken))
        assert token.token_hash == rules.token_hash(clear) and clear not in token.token_hash
        assert token.scopes == "people:read records:read"
        assert token.last_used_at is None
        created = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "api_token.created")
        )
        assert created.actor_id == people["admin"] and created.details["token"] == "Personio"
    assert clear not in admin.get(URL).get_data(as_text=True)  # never again
    client = app.test_client()
    assert client.get("/api/v1/people", headers=bearer(clear)).status_code == 200
    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id))
        assert db.session.scalar(sa.select(ApiToken.last_used_at)) is not None
    listing = admin.get(URL).get_data(as_text=True)
    assert "Personio" in listing and "gültig" in listing
    response = admin.post(f"{URL}{token_id}/widerrufen")
    assert response.status_code == 302
    assert client.get("/api/v1/people", headers=bearer(clear)).status_code == 401
    with app.app_context():
        revoked = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "api_token.revoked")
        )
        assert revoked.actor_id == people["admin"] and revoked.details["token_id"] == token_id
    assert "widerrufen am" in admin.get(URL).get_data(as_text=True)
    assert admin.post(f"{URL}999/widerrufen").status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "", "scopes": ["people:read"], "valid_days": "30"},
            "Bitte geben Sie einen Namen an.",
        ),
        ({"name": "X", "valid_days": "30"}, "mindestens eine Berechtigung"),
        ({"name": "X", "scopes": ["root"], "valid_days": "30"}, "Diese Auswahl ist nicht möglich"),
        ({"name": "X", "scopes": ["people:read"], "valid_days": "0"}, "von 1 bis 730"),
        ({"name": "X", "scopes": ["people:read"], "valid_days": "abc"}, "ganze Zahl"),
        ({"name": "N" * 81, "scopes": ["people:read"], "valid_days": "30"}, "höchstens 80 Zeichen"),
    ],
)
def test_bad_input_makes_no_token(app, people, data, message):
    response = login_client(app, "admin@example.org").post(URL, data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_the_reference_page_uses_vendored_files_only(client):
    page = client.get("/api/v1/referenz")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>" not in html and "http" not in html.replace("http-equiv", "")
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert src.startswith("/"), src
        assert client.get(src).status_code == 200, src
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
