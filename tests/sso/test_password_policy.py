"""PASSWORD_LOGIN = "admins": with SSO configured, only administrators use a password."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Person, ResetRequest, TokenPurpose
from lernpfad.auth.services import issue_token, process_reset_requests
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail
from tests.helpers import PASSWORD

SSO = {
    "OIDC_ISSUER": "https://login.example/realms/muster",
    "OIDC_CLIENT_ID": "lernpfad",
    "OIDC_CLIENT_SECRET": "geheim",
}
REFUSED = "Die Anmeldung mit Passwort ist nur für Administratoren möglich."


@pytest.fixture
def admins_only(app_factory):
    return app_factory(PASSWORD_LOGIN="admins", **SSO)


def login(app, email, password=PASSWORD):
    client = app.test_client()
    return client, client.post("/anmelden", data={"email": email, "password": password})


def test_a_learner_is_sent_to_the_company_account(admins_only, people):
    client, response = login(admins_only, "learner@example.org")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert REFUSED in page and "Mit Firmenkonto anmelden" in page
    assert client.get("/").status_code == 302  # not signed in
    with admins_only.app_context():
        assert db.session.get(Person, people["learner"]).last_login_at is None


def test_hr_too_but_an_administrator_may_use_the_password(admins_only, people):
    assert login(admins_only, "hr@example.org")[1].status_code == 403
    assert login(admins_only, "admin@example.org")[1].status_code == 302


def test_a_wrong_password_gets_the_usual_answer(admins_only, people):
    response = login(admins_only, "learner@example.org", "falsches passwort 123")[1]
    assert response.status_code == 401
    assert REFUSED not in response.get_data(as_text=True)


def test_without_sso_configured_everyone_keeps_the_password(app_factory, people):
    app = app_factory(PASSWORD_LOGIN="admins")
    assert login(app, "learner@example.org")[1].status_code == 302


def test_no_reset_mail_goes_to_a_learner_but_one_to_an_administrator(admins_only, people):
    client = admins_only.test_client()
    for email in ("learner@example.org", "admin@example.org"):
        # The same answer for both (it does not tell who signs in how).
        response = client.post("/passwort-vergessen", data={"email": email})
        assert response.status_code == 302
    with admins_only.app_context():
        assert process_reset_requests(valid_hours=2) == 1
        db.session.commit()
        assert [mail.recipient for mail in db.session.scalars(sa.select(OutboxMail))] == [
            "admin@example.org"
        ]
        statuses = db.session.scalars(sa.select(ResetRequest.status).order_by(ResetRequest.id))
        assert list(statuses) == ["sso", "sent"]


def test_an_earlier_reset_link_of_a_learner_is_refused(admins_only, people):
    with admins_only.app_context():
        learner = db.session.get(Person, people["learner"])
        token = issue_token(learner, TokenPurpose.RESET, timedelta(hours=2))
        before = learner.password_hash
        db.session.commit()
    client = admins_only.test_client()
    response = client.post(
        f"/passwort-setzen/{token}",
        data={"new_password": "ein ganz neues passwort", "confirm": "ein ganz neues passwort"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/anmelden"
    assert "lässt sich dafür nicht zurücksetzen" in client.get("/anmelden").get_data(as_text=True)
    with admins_only.app_context():
        assert db.session.get(Person, people["learner"]).password_hash == before


def test_the_reset_page_says_who_gets_a_link(admins_only, app_factory):
    note = "Nur Administratoren melden sich mit Passwort an"
    assert note in admins_only.test_client().get("/passwort-vergessen").get_data(as_text=True)
    plain = app_factory(**SSO).test_client().get("/passwort-vergessen").get_data(as_text=True)
    assert note not in plain
