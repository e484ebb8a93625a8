import time
from datetime import timedelta

import pytest
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


@pytest.mark.parametrize("target", ["/%0D%0ASet-Cookie:%20a=b", "/%0Bx", "/x%E2%80%AEy"])
def test_a_next_with_control_characters_leads_to_the_dashboard_not_a_500(client, people, target):
    # A line break in the Location header is a ValueError in werkzeug (a 500 after the login).
    response = client.post(
        "/anmelden?next=" + target, data={"email": "learner@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_local_next(client, people):
    response = client.post(
        "/anmelden?next=/passwort", data={"email": "learner@example.org", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/passwort"


def login_from(app, ip, password=PASSWORD, client=None, email="learner@example.org"):
    client = client or app.test_client()
    response = client.post(
        "/anmelden",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )
    return response


def test_a_client_waits_after_five_failures_even_with_the_right_password(app, people):
    for _ in range(5):
        assert login_from(app, "198.51.100.1", "falsches passwort 123").status_code == 401
    response = login_from(app, "198.51.100.1")
    assert response.status_code == 429
    assert "Bitte warten Sie 2 Sekunden" in response.get_data(as_text=True)
    with app.app_context():  # once the delay has passed, the right password works again
        db.session.execute(sa.update(LoginFailure).values(at=utcnow() - timedelta(seconds=3)))
        db.session.commit()
    assert login_from(app, "198.51.100.1").status_code == 302


def test_failures_from_elsewhere_never_lock_the_owner_out(app, people):
    """The old rule locked any account after ten failures from anyone, the owner included."""
    for _ in range(30):
        login_from(app, "203.0.113.66", "rate mal 12345")
    assert login_from(app, "203.0.113.66", "rate mal 12345").status_code == 429
    assert login_from(app, "198.51.100.1").status_code == 302  # the owner, from her own network


def test_the_owners_browser_is_its_own_client_behind_the_same_address(app, people):
    office = "192.0.2.10"  # everyone in the office shares the address
    owner = app.test_client()
    assert login_from(app, office, client=owner).status_code == 302
    owner.post("/abmelden")
    for _ in range(8):
        login_from(app, office, "rate mal 12345")  # a colleague guesses from the office
    assert login_from(app, office).status_code == 429  # any browser without the cookie waits
    assert login_from(app, office, client=owner).status_code == 302


def test_many_clients_together_hit_the_ceiling_but_not_the_owners_browser(app_factory, people):
    app = app_factory(LOGIN_ACCOUNT_CEILING=20)
    owner = app.test_client()
    assert login_from(app, "192.0.2.10", client=owner).status_code == 302
    owner.post("/abmelden")
    for n in range(20):  # a botnet: each address fails once
        assert login_from(app, f"203.0.113.{n}", "rate mal 12345").status_code == 401
    assert login_from(app, "198.51.100.1").status_code == 429  # a new address waits
    assert login_from(app, "192.0.2.10", client=owner).status_code == 302


def test_a_forged_device_cookie_counts_for_nothing(app, people):
    client = app.test_client()
    client.set_cookie("lernpfad_geraet", "eyJ4IjoxfQ.gefaelscht")
    for _ in range(5):
        login_from(app, "192.0.2.10", "rate mal 12345", client=client)
    assert login_from(app, "192.0.2.10", client=client).status_code == 429


def test_throttling_applies_to_unknown_addresses_alike(app, people):
    for _ in range(5):
        login_from(app, "203.0.113.5", "falsch falsch falsch", email="niemand@example.org")
    response = login_from(app, "203.0.113.5", "falsch falsch falsch", email="niemand@example.org")
    assert response.status_code == 429


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


def test_the_idle_clock_moves_in_steps_and_pages_in_between_keep_the_cookie(client, people):
    from lernpfad.access import SEEN_RESOLUTION_SECONDS

    client.post("/anmelden", data={"email": "learner@example.org", "password": PASSWORD})
    client.get("/")  # the first page after the login keeps a form token in the session
    quick = client.get("/")
    assert quick.status_code == 200
    assert not quick.headers.getlist("Set-Cookie")  # nothing changed: no cookie signed anew
    with client.session_transaction() as session:
        session["seen_at"] -= SEEN_RESOLUTION_SECONDS + 1
        earlier = session["seen_at"]
    later = client.get("/")
    assert later.status_code == 200
    assert any(c.startswith("lernpfad_session=") for c in later.headers.getlist("Set-Cookie"))
    with client.session_transaction() as session:
        assert session["seen_at"] > earlier + SEEN_RESOLUTION_SECONDS


def test_absolute_timeout(app_factory, people):
    app = app_factory(SESSION_ABSOLUTE_HOURS=0)
    client = app.test_client()
    client.post("/anmelden", data={"email": "learner@example.org", "password": PASSWORD})
    time.sleep(0.01)
    assert client.get("/").status_code == 302


def test_session_cookie_flags(client, people):
    response = client.post("/anmelden", data={"email": "learner@example.org", "password": PASSWORD})
    cookies = response.headers.getlist("Set-Cookie")
    assert {c.split("=")[0] for c in cookies} == {"lernpfad_session", "lernpfad_geraet"}
    assert all("HttpOnly" in c and "SameSite=Lax" in c for c in cookies)
    assert "learner" not in " ".join(cookies)  # the device cookie names no address


def test_secure_cookie_over_https(client, people):
    response = client.post(
        "/anmelden",
        data={"email": "learner@example.org", "password": PASSWORD},
        base_url="https://localhost",
    )
    assert all("Secure" in c for c in response.headers.getlist("Set-Cookie"))


def test_no_secure_flag_over_plain_http(client, people):
    response = client.post("/anmelden", data={"email": "learner@example.org", "password": PASSWORD})
    assert not any("Secure" in c for c in response.headers.getlist("Set-Cookie"))


def test_the_current_password_cannot_be_the_new_one(client, auth, people):
    auth.login()
    response = client.post(
        "/passwort",
        data={"current_password": PASSWORD, "new_password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 400
    assert "muss sich vom bisherigen unterscheiden" in response.get_data(as_text=True)


def test_a_reset_link_refuses_the_current_password_too(app, client, people):
    from lernpfad.auth.models import TokenPurpose
    from lernpfad.auth.services import issue_token

    with app.app_context():
        token = issue_token(
            db.session.get(Person, people["learner"]), TokenPurpose.RESET, timedelta(hours=1)
        )
        db.session.commit()
    response = client.post(
        f"/passwort-setzen/{token}", data={"new_password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 400
    assert "muss sich vom bisherigen unterscheiden" in response.get_data(as_text=True)
