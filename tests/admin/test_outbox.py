"""The outbox page: no bodies, filters and pages with odd input, retries that only move the
next attempt (audited) and never send inside the request."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs.mail import queue_mail
from lernpfad.jobs.models import OutboxMail
from tests.helpers import login_client
from tests.mail import run_mail_job

BODY = "Ihr Link: https://lernpfad.example.org/passwort/GEHEIMER-TOKEN-"


def add_mail(*, to, attempts=0, next_in=timedelta(0), sent_ago=None, error=None) -> int:
    mail = queue_mail(to=to, subject=f"Betreff für {to}", body=BODY + to)
    now = utcnow()
    mail.attempts = attempts
    mail.next_attempt_at = now + next_in
    mail.last_error = error
    mail.sent_at = now - sent_ago if sent_ago is not None else None
    db.session.flush()
    return mail.id


@pytest.fixture
def outbox(app, people):
    with app.app_context():
        ids = {
            "waiting": add_mail(to="wartet@example.org"),
            "failed": add_mail(
                to="fehler@example.org",
                attempts=4,
                next_in=timedelta(hours=2),
                error="[Errno 111] Connection refused",
            ),
            "soon": add_mail(to="gleich@example.org", attempts=1, next_in=timedelta(minutes=2)),
            "sent": add_mail(to="versendet@example.org", attempts=1, sent_ago=timedelta(hours=3)),
        }
        db.session.commit()
    return ids


def mail(app, mail_id) -> OutboxMail:
    with app.app_context():
        found = db.session.get(OutboxMail, mail_id)
        db.session.expunge(found)
        return found


def audits(app) -> list[tuple[str, dict]]:
    with app.app_context():
        return [
            (event.action, event.details)
            for event in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))
            if event.action.startswith("outbox.")
        ]


def recipients(html: str) -> list[str]:
    return re.findall(r"<td>([^<\s]+@example\.org)<br>", html)


@pytest.mark.parametrize("status", ["", "offen", "wartend", "fehlgeschlagen", "versendet"])
def test_bodies_are_never_shown(app, outbox, status):
    page = login_client(app, "admin@example.org").get(f"/betrieb/mails?status={status}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "GEHEIMER-TOKEN" not in html and "/passwort/" not in html
    assert recipients(html)  # every filter has a mail in this outbox


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("offen", ["gleich@", "fehler@", "wartet@"]),  # newest first
        ("wartend", ["wartet@"]),
        ("fehlgeschlagen", ["gleich@", "fehler@"]),
        ("versendet", ["versendet@"]),
        ("unbekannt", ["gleich@", "fehler@", "wartet@"]),
        ("%C2%B2", ["gleich@", "fehler@", "wartet@"]),
    ],
)
def test_filters_with_a_normal_page_for_unknown_values(app, outbox, status, expected):
    html = (
        login_client(app, "admin@example.org")
        .get(f"/betrieb/mails?status={status}")
        .get_data(as_text=True)
    )
    assert [r.split("@")[0] + "@" for r in recipients(html)] == expected


def test_failed_mails_show_their_error_and_the_retry_button_only_where_it_helps(app, outbox):
    html = login_client(app, "admin@example.org").get("/betrieb/mails").get_data(as_text=True)
    assert "[Errno 111] Connection refused" in html
    assert f"/betrieb/mails/{outbox['failed']}/erneut" in html
    assert f"/betrieb/mails/{outbox['waiting']}/erneut" not in html  # due anyway
    assert f"/betrieb/mails/{outbox['soon']}/erneut" not in html  # may be being sent
    assert "Mail-Ausgang senden" in html  # the scheduler job that sends


def test_retry_moves_the_next_attempt_to_now_is_audited_and_sends_nothing(
    app_factory, people, smtp_server
):
    app = app_factory(MAIL_PORT=smtp_server.port)
    with app.app_context():
        failed = add_mail(to="fehler@example.org", attempts=4, next_in=timedelta(hours=2))
        db.session.commit()
    before = utcnow()
    response = login_client(app, "admin@example.org").post(
        f"/betrieb/mails/{failed}/erneut", data={"status": "fehlgeschlagen", "seite": "1"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/betrieb/mails?status=fehlgeschlagen&seite=1")
    moved = mail(app, failed)
    assert before - timedelta(seconds=1) <= moved.next_attempt_at <= utcnow()
    assert (moved.attempts, moved.sent_at) == (4, None)
    assert smtp_server.messages == []  # the request did not send
    assert audits(app) == [("outbox.retry", {"mail_id": failed})]

    assert run_mail_job(app) == 1  # the mail job takes it on its next run
    assert [m["To"] for m in smtp_server.messages] == ["fehler@example.org"]


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("waiting", "bereits fällig"),
        ("soon", "gerade versendet oder ohnehin"),
        ("sent", "bereits versendet"),
    ],
)
def test_retry_leaves_due_claimed_and_sent_mails_alone(app, outbox, which, message):
    before = mail(app, outbox[which])
    admin = login_client(app, "admin@example.org")
    response = admin.post(f"/betrieb/mails/{outbox[which]}/erneut", follow_redirects=True)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    after = mail(app, outbox[which])
    assert after.next_attempt_at == before.next_attempt_at
    assert after.sent_at == before.sent_at
    assert audits(app) == []


def test_retry_of_an_unknown_mail_gets_a_message(app, outbox):
    admin = login_client(app, "admin@example.org")
    response = admin.post("/betrieb/mails/99999/erneut", data={"status": "²", "seite": "²"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/betrieb/mails?status=offen")
    assert "Diese Mail gibt es nicht mehr." in admin.get("/betrieb/mails").get_data(as_text=True)
    assert admin.post("/betrieb/mails/99999999999999999999/erneut").status_code == 404
    assert audits(app) == []


def test_retry_all_failed_moves_each_waiting_for_back_off_once_audited(app, outbox):
    with app.app_context():
        second = add_mail(to="zweiter@example.org", attempts=2, next_in=timedelta(minutes=30))
        db.session.commit()
    admin = login_client(app, "admin@example.org")
    response = admin.post("/betrieb/mails/erneut", follow_redirects=True)
    assert "2 fehlgeschlagene Mails werden" in response.get_data(as_text=True)
    now = utcnow()
    assert mail(app, outbox["failed"]).next_attempt_at <= now
    assert mail(app, second).next_attempt_at <= now
    assert mail(app, outbox["soon"]).next_attempt_at > now  # left to the sender's lease
    assert mail(app, outbox["sent"]).sent_at is not None
    assert audits(app) == [("outbox.retry_failed", {"mails": 2})]

    again = admin.post("/betrieb/mails/erneut", follow_redirects=True)
    assert "Keine fehlgeschlagene Mail wartet" in again.get_data(as_text=True)
    assert len(audits(app)) == 1


@pytest.fixture
def many_mails(app, people):
    with app.app_context():
        for n in range(60):
            add_mail(to=f"person{n:02d}@example.org")
        db.session.commit()


def test_pages_of_fifty(app, many_mails):
    admin = login_client(app, "admin@example.org")
    first = admin.get("/betrieb/mails").get_data(as_text=True)
    second = admin.get("/betrieb/mails?status=offen&seite=2").get_data(as_text=True)
    assert len(recipients(first)) == 50 and len(recipients(second)) == 10
    assert "Seite 1 von 2" in first and 'rel="next"' in first
    assert not set(recipients(first)) & set(recipients(second))


@pytest.mark.parametrize("page", ["%C2%B2", "abc", "-1", "0", "99999", "1" * 30, "%EF%BC%92"])
def test_odd_pages_give_a_normal_page(app, many_mails, page):
    response = login_client(app, "admin@example.org").get(f"/betrieb/mails?seite={page}")
    assert response.status_code == 200
    assert recipients(response.get_data(as_text=True))
