import re
from datetime import timedelta

import sqlalchemy as sa

from lernpfad.auth.models import AccountToken, Person
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail
from tests.helpers import PASSWORD
from tests.mail import run_mail_job

NEW_PASSWORD = "mein eigenes neues passwort"


def invite(client, email="neu@example.org", **extra):
    data = {"name": "Nora Neu", "email": email, "department_id": 0, "job_function": "Einkauf"}
    data.update(extra)
    return client.post("/personen/neu", data=data)


def link_path(page: str) -> str:
    match = re.search(r"http://127\.0\.0\.1:5000(/passwort-setzen/[\w-]+)", page)
    assert match, page
    return match.group(1)


def mailed_path(app) -> str:
    """The invitation link of the newest mail in the outbox."""
    with app.app_context():
        mail = db.session.scalar(sa.select(OutboxMail).order_by(OutboxMail.id.desc()).limit(1))
        return link_path(mail.body)


def test_hr_invites_and_person_sets_password(app, client, auth, people):
    auth.login("hr@example.org")
    response = invite(client, roles=["champion"])
    assert response.status_code == 200
    assert "erhält in Kürze eine E-Mail an neu@example.org" in response.get_data(as_text=True)
    assert "/passwort-setzen/" not in response.get_data(as_text=True)  # the link went by mail
    path = mailed_path(app)
    auth.logout()
    form = client.get(path)
    assert "Willkommen bei Lernpfad, Nora Neu" in form.get_data(as_text=True)
    done = client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert auth.login("neu@example.org", NEW_PASSWORD).status_code == 302
    with app.app_context():
        person = db.session.scalar(sa.select(Person).where(Person.email == "neu@example.org"))
        assert {r.value for r in person.roles} == {"learner", "champion"}


def test_invitation_link_works_once(app, client, auth, people):
    auth.login("hr@example.org")
    invite(client)
    path = mailed_path(app)
    auth.logout()
    client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = client.get(path)
    assert again.status_code == 404
    assert "nicht mehr gültig" in again.get_data(as_text=True)


def test_expired_invitation_is_refused(app, client, auth, people):
    auth.login("hr@example.org")
    invite(client)
    path = mailed_path(app)
    auth.logout()
    with app.app_context():
        db.session.execute(
            sa.update(AccountToken).values(expires_at=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()
    assert client.get(path).status_code == 404
    refused = client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert refused.status_code == 404
    assert auth.login("neu@example.org", NEW_PASSWORD).status_code == 401


def test_weak_password_on_invitation_is_refused_and_link_stays(app, client, auth, people):
    auth.login("hr@example.org")
    invite(client)
    path = mailed_path(app)
    auth.logout()
    weak = client.post(path, data={"new_password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 400
    assert "zu verbreitet" in weak.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_duplicate_email_gets_message_and_nothing_changes(app, client, auth, people):
    auth.login("hr@example.org")
    response = invite(client, email="LEARNER@example.org")
    assert response.status_code == 400
    assert "bereits vergeben" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 6


def test_invalid_invitation_input(client, auth, people):
    auth.login("hr@example.org")
    response = invite(client, email="keine-adresse", name="", department_id="abc", roles=["kaiser"])
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "gültige E-Mail-Adresse" in page
    assert "Bitte geben Sie einen Namen ein." in page


def test_learner_cannot_invite(client, auth, people):
    auth.login()
    assert invite(client).status_code == 403


def test_password_reset_mail_goes_through_a_real_smtp_server(app_factory, people, smtp_server):
    app = app_factory(MAIL_PORT=smtp_server.port)
    client = app.test_client()
    response = client.post("/passwort-vergessen", data={"email": "learner@example.org"})
    assert response.status_code == 302
    assert smtp_server.messages == []  # nothing is sent inside the request
    assert run_mail_job(app) == 1
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "learner@example.org"
    assert message["Subject"] == "Lernpfad: Passwort zurücksetzen"
    body = message.get_content()
    path = link_path(body)
    client.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert (
        client.post(
            "/anmelden", data={"email": "learner@example.org", "password": PASSWORD}
        ).status_code
        == 401
    )
    assert (
        client.post(
            "/anmelden", data={"email": "learner@example.org", "password": NEW_PASSWORD}
        ).status_code
        == 302
    )


def test_reset_for_unknown_address_looks_the_same_and_sends_nothing(
    app_factory, people, smtp_server
):
    app = app_factory(MAIL_PORT=smtp_server.port)
    response = app.test_client().post(
        "/passwort-vergessen", data={"email": "niemand@example.org"}, follow_redirects=True
    )
    assert "Wenn die Adresse bei uns bekannt ist" in response.get_data(as_text=True)
    assert run_mail_job(app) == 0
    assert smtp_server.messages == []


def test_mail_server_outage_keeps_the_mail_in_the_outbox(app, client, people):
    # MAIL_PORT=1: nothing listens there.
    client.post("/passwort-vergessen", data={"email": "learner@example.org"})
    assert run_mail_job(app) == 0
    with app.app_context():
        mail = db.session.scalar(sa.select(OutboxMail))
        assert mail.sent_at is None
        assert mail.attempts == 1
        assert mail.next_attempt_at > utcnow()


def test_without_a_mail_server_hr_gets_the_link_to_pass_on(app_factory, people):
    app = app_factory(MAIL_SERVER="")
    client = app.test_client()
    client.post("/anmelden", data={"email": "hr@example.org", "password": PASSWORD})
    page = invite(client).get_data(as_text=True)
    assert "kein Mailserver eingerichtet" in page
    path = link_path(page)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0
    assert client.get(path).status_code == 200


def test_the_invitation_mail_goes_out_through_a_real_smtp_server(app_factory, people, smtp_server):
    app = app_factory(MAIL_PORT=smtp_server.port)
    client = app.test_client()
    client.post("/anmelden", data={"email": "hr@example.org", "password": PASSWORD})
    invite(client)
    run_mail_job(app)
    (mail,) = smtp_server.messages
    assert mail["To"] == "neu@example.org" and mail["Subject"] == "Einladung zu Lernpfad"
    assert "http://127.0.0.1:5000/passwort-setzen/" in mail.get_content()
