import time
from datetime import timedelta

import sqlalchemy as sa

from lernpfad.auth.models import LoginFailure, Person
from lernpfad.db import utcnow
from lernpfad.extensions import db
from tests.helpers import PASSWORD

WRONG = "E-Mail-Adresse oder Passwort ist nicht korrekt."


def test_login_page_is_german(client):
    page = client.get("/anmelden").get_data(as_text=True)
    assert '<html lang="de"' in page
    assert "Anmelden" in page and "E-Mail-Adresse" in page


def test_login_and_dashboard(client, auth, people):
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Guten Tag, Lea Lernend" in page


def test_unknown_user_and_wrong_password_get_the_same_answer(client, auth, people):
    unknown = auth.login("niemand@example.org", PASSWORD)
    wrong = auth.login("learner@example.org", "falsches passwort 123")
    assert unknown.status_code == wrong.status_code == 401
    assert WRONG in unknown.get_data(as_text=True)
    assert WRONG in wrong.get_data(as_text=True)


def test_empty_login_form_gets_german_messages(client, people):
    response = client.post("/anmelden", data={"email": "", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bitte geben Sie Ihre E-Mail-Adresse ein." in page
    assert "Bitte geben Sie Ihr Passwort ein." in page


def test_open_redirect_after_login_is_refused(client, people):
    response = client.post(
        "/anmelden?next=//evil.example/x",
        data={"email": "learner@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_login_follows_local_next(client, people):
    response = client.post(
        "/anmelden?next=/passwort", data={"email": "learner@example.org", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/passwort"


def test_throttling_after_ten_failures_even_with_right_password(app, client, auth, people):
    for _ in range(10):
        assert auth.login("learner@example.org", "falsches passwort 123").status_code == 401
    response = auth.login("learner@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.get_data(as_text=True)
    # Once the failures are older than 15 minutes, the right password works again.
    with app.app_context():
        db.session.execute(sa.update(LoginFailure).values(at=utcnow() - timedelta(minutes=16)))
        db.session.commit()
    assert auth.login("learner@example.org", PASSWORD).status_code == 302


def test_throttling_applies_to_unknown_addresses_alike(client, auth, people):
    for _ in range(10):
        auth.login("niemand@example.org", "falsch falsch falsch")
    assert auth.login("niemand@example.org", "falsch falsch falsch").status_code == 429


def test_successful_login_clears_failures(app, auth, people):
    for _ in range(3):
        auth.login("learner@example.org", "falsches passwort 123")
    auth.login()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == 0


def test_inactive_person_cannot_log_in(app, auth, people):
    with app.app_context():
        db.session.get(Person, people["learner"]).active = False
        db.session.commit()
    assert auth.login().status_code == 401


def test_replayed_cookie_after_logout_is_logged_out(app, auth, people):
    auth.login()
    stolen = app.test_client()
    # Copy the session cookie to a second client: it works while the session lives ...
    cookie = auth._client.get_cookie("lernpfad_session")
    stolen.set_cookie("lernpfad_session", cookie.value)
    assert stolen.get("/").status_code == 200
    auth.logout()
    # ... and not after logout: the old cookie is refused.
    replay = stolen.get("/")
    assert replay.status_code == 302
    assert "/anmelden" in replay.headers["Location"]


def test_password_change_ends_other_sessions(app, client, auth, people):
    auth.login()
    other = app.test_client()
    other.post("/anmelden", data={"email": "learner@example.org", "password": PASSWORD})
    assert other.get("/").status_code == 200
    response = client.post(
        "/passwort",
        data={
            "current_password": PASSWORD,
            "new_password": "ein ganz neues passwort",
            "confirm": "ein ganz neues passwort",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert other.get("/").status_code == 302  # the other one is over
    client.post("/abmelden")
    assert auth.login("learner@example.org", "ein ganz neues passwort").status_code == 302


def test_password_change_refuses_wrong_current_and_weak_new(client, auth, people):
    auth.login()
    wrong = client.post(
        "/passwort",
        data={"current_password": "falsch", "new_password": "x" * 20, "confirm": "x" * 20},
    ).get_data(as_text=True)
    assert "Das aktuelle Passwort ist nicht korrekt." in wrong or "zu verbreitet" in wrong
    weak = client.post(
        "/passwort",
        data={"current_password": PASSWORD, "new_password": "kurz", "confirm": "kurz"},
    )
    assert weak.status_code == 400
    assert "mindestens 12 Zeichen" in weak.get_data(as_text=True)
    mismatch = client.post(
        "/passwort",
        data={
            "current_password": PASSWORD,
            "new_password": "ein ganz neues passwort",
            "confirm": "ein anderes neues passwort",
        },
    )
    assert "stimmen nicht überein" in mismatch.get_data(as_text=True)


def test_idle_timeout(app_factory, people):
    app = app_factory(SESSION_IDLE_MINUTES=0)
    client = app.test_client()
    client.post("/anmelden", data={"email": "learner@example.org", "password": PASSWORD})
    time.sleep(0.01)
    response = client.get("/")
    assert response.status_code == 302
    assert "/anmelden" in response.headers["Location"]


def test_absolute_timeout(app_factory, people):
    app = app_factory(SESSION_ABSOLUTE_HOURS=0)
    client = app.test_client()
    client.post("/anmelden", data={"email": "learner@example.org", "password": PASSWORD})
    time.sleep(0.01)
    assert client.get("/").status_code == 302


def test_session_cookie_flags(client, people):
    response = client.post("/anmelden", data={"email": "learner@example.org", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_secure_cookie_over_https(client, people):
    response = client.post(
        "/anmelden",
        data={"email": "learner@example.org", "password": PASSWORD},
        base_url="https://localhost",
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_no_secure_flag_over_plain_http(client, people):
    response = client.post("/anmelden", data={"email": "learner@example.org", "password": PASSWORD})
    assert "Secure" not in response.headers["Set-Cookie"]
