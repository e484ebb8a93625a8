"""Password reset requests: nothing slow in the request, limits per address and per client,
the same answer for known and unknown addresses, links sent by the mail job."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import AccountToken, Person, ResetRequest
from lernpfad.auth.services import process_reset_requests
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail
from tests.helpers import login_client
from tests.mail import run_mail_job


def ask(client, email="learner@example.org", ip="198.51.100.7"):
    return client.post(
        "/passwort-vergessen", data={"email": email}, environ_base={"REMOTE_ADDR": ip}
    )


def statuses(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(ResetRequest.status).order_by(ResetRequest.id)))


def test_requests_never_talk_to_the_mail_server(app_factory, people, content, stalling_smtp):
    """A mail server that accepts and never answers must not hold any request."""
    import io

    from tests.mentoring.test_review import hand_in, submission_id

    app = app_factory(MAIL_PORT=stalling_smtp.port)
    hand_in(login_client(app, "learner@example.org"))
    assert ask(app.test_client()).status_code == 302
    hr = login_client(app, "hr@example.org")
    invited = hr.post(
        "/personen/neu", data={"name": "Nora", "email": "n@example.org", "department_id": 0}
    )
    assert invited.status_code == 200
    upload = (io.BytesIO(b"Name;E-Mail\nOla;o@example.org\n"), "staff.csv")
    imported = hr.post(
        "/personen/import",
        data={"file": upload, "action": "importieren", "invite": "y"},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 200
    reviewed = login_client(app, "champion@example.org").post(
        f"/mentoring/abgabe/{submission_id(app, 'learner@example.org')}",
        data={"decision": "annehmen"},
    )
    assert reviewed.status_code == 302
    assert stalling_smtp.accepted == 0
    with app.app_context():
        waiting = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail))
    assert waiting == 3  # two invitations and the review notice wait for the mail job


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_work(app, people):
    client = app.test_client()
    known, unknown = ask(client), ask(client, "niemand@example.org")
    assert (known.status_code, known.location) == (unknown.status_code, unknown.location)
    page = client.get("/anmelden").get_data(as_text=True)
    assert page.count("Wenn die Adresse bei uns bekannt ist") == 2
    with app.app_context():
        rows = db.session.execute(sa.select(ResetRequest.email, ResetRequest.status)).all()
        assert sorted(rows) == [
            ("learner@example.org", "pending"),
            ("niemand@example.org", "pending"),
        ]
        # No token and no mail yet for either: the request path is the same for both.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AccountToken)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0


def test_the_mail_job_sends_one_link_to_active_accounts_only(app, people):
    client = app.test_client()
    ask(client)
    ask(client)  # twice before the job runs: one mail
    ask(client, "niemand@example.org")
    ask(client, "hr@example.org")
    with app.app_context():
        db.session.get(Person, people["hr"]).active = False
        db.session.commit()
    run_mail_job(app)
    assert statuses(app) == ["sent", "sent", "unknown", "unknown"]
    with app.app_context():
        mails = db.session.scalars(sa.select(OutboxMail)).all()
        assert [m.recipient for m in mails] == ["learner@example.org"]
        assert "http://127.0.0.1:5000/passwort-setzen/" in mails[0].body


def test_a_reset_mail_follows_the_persons_language(app, people):
    with app.app_context():
        db.session.get(Person, people["learner"]).locale = "en"
        db.session.commit()
    ask(app.test_client())
    run_mail_job(app)
    with app.app_context():
        mail = db.session.scalar(sa.select(OutboxMail))
        assert mail.subject == "Lernpfad: reset your password"


def test_one_address_gets_at_most_three_requests_an_hour(app, people):
    client = app.test_client()
    for n in range(5):
        assert ask(client, ip=f"198.51.100.{n}").status_code == 302  # the same answer
    assert statuses(app) == ["pending"] * 3 + ["limited"] * 2


def test_one_client_is_stopped_after_twenty_requests(app, people):
    client = app.test_client()
    for n in range(20):
        assert ask(client, f"p{n}@example.org").status_code == 302
    refused = ask(client, "p99@example.org")
    assert refused.status_code == 429
    assert "zu viele Anfragen" in refused.get_data(as_text=True)
    assert len(statuses(app)) == 20  # nothing stored for the refused one
    assert ask(client, "p99@example.org", ip="203.0.113.9").status_code == 302


def test_limits_are_configurable_and_expire(app_factory, people):
    app = app_factory(RESET_LIMIT_PER_CLIENT=2, RESET_LIMIT_WINDOW_MINUTES=10)
    client = app.test_client()
    assert [ask(client).status_code for _ in range(3)] == [302, 302, 429]
    with app.app_context():
        db.session.execute(
            sa.update(ResetRequest).values(requested_at=utcnow() - timedelta(minutes=11))
        )
        db.session.commit()
    assert ask(client).status_code == 302


def test_old_requests_are_forgotten(app, people):
    ask(app.test_client())
    with app.app_context():
        db.session.execute(
            sa.update(ResetRequest).values(requested_at=utcnow() - timedelta(days=2))
        )
        process_reset_requests(valid_hours=2)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ResetRequest)) == 0


@pytest.mark.parametrize("email", ["", "x" * 300])
def test_bad_reset_input_gets_a_message_and_stores_nothing(app, people, email):
    response = ask(app.test_client(), email)
    assert response.status_code == 400
    assert statuses(app) == []
