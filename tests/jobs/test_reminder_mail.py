"""Reminder mails reach a real SMTP server (aiosmtpd): multipart text and HTML, German or
English by the person's language, with a one-click unsubscribe link that asks first (GET) and
switches off on the button (POST); a server outage loses nothing."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from lernpfad.content.services import sync_content
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail
from lernpfad.jobs.reminders import remind_inactive
from lernpfad.jobs.services import run_job
from lernpfad.notices.models import NotificationPreference
from tests.helpers import csrf_token, make_person
from tests.jobs.test_reminders import NOW, assessed, person
from tests.mail import run_mail_job

BASE_URL = "http://lernpfad.example.org"


@pytest.fixture
def mailing(app_factory, smtp_server, content_dir):
    """An app that mails to the test server; Lea idle for two months with her path open."""
    app = app_factory(
        MAIL_PORT=smtp_server.port,
        BASE_URL=BASE_URL,
        ALLOWED_HOSTS="localhost",
        WTF_CSRF_ENABLED=True,  # the public unsubscribe form works with CSRF protection on
    )
    idle_learner(app, content_dir)
    return app


def idle_learner(app, content_dir) -> None:
    """Lea joined two months ago, took the assessment a month ago, and nothing since."""
    with app.app_context():
        sync_content(content_dir)
        lea = make_person("lea@example.org", name="Lea Lernend")
        lea.created_at = NOW - timedelta(days=60)
        assessed(lea, NOW - timedelta(days=30))
        db.session.commit()


def parts(message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }


def test_a_reminder_arrives_as_text_and_html_in_german(mailing, smtp_server):
    with mailing.app_context():
        assert run_job("inactivity", NOW).counts["mails"] == 1
    assert run_mail_job(mailing) == 1
    (message,) = smtp_server.messages
    assert message["To"] == "lea@example.org"
    assert message["Subject"] == "Lernpfad: Ihr Lernpfad wartet auf Sie"
    assert message.get_content_type() == "multipart/alternative"
    body = parts(message)
    assert set(body) == {"text/plain", "text/html"}
    assert "Guten Tag Lea Lernend," in body["text/plain"]
    assert "in Ihrem Lernpfad sind noch 4 Pflichtmodule offen." in body["text/plain"]
    assert f"{BASE_URL}/lernpfad/" in body["text/plain"]  # from BASE_URL, never the request
    assert '<html lang="de">' in body["text/html"]
    assert f'<a href="{BASE_URL}/lernpfad/">' in body["text/html"]


def test_a_person_reading_english_gets_the_reminder_in_english(mailing, smtp_server):
    with mailing.app_context():
        person("lea@example.org").locale = "en"
        db.session.commit()
        run_job("due_dates", NOW)  # nothing due: no mail
        run_job("reassessment", NOW)
        db.session.execute(sa.text("UPDATE assessment_results SET completed_at = '2026-05-01'"))
        db.session.commit()
        assert run_job("reassessment", NOW + timedelta(days=1)).counts["mails"] == 1
    run_mail_job(mailing)
    (message,) = smtp_server.messages
    html = parts(message)["text/html"]
    assert '<html lang="en">' in html
    assert "May 1, 2026" in html and "Mai" not in html  # dates in the reader's language
    with mailing.test_request_context(), force_locale("en"):
        english = _("Lernpfad: Zeit für Ihre nächste Selbsteinschätzung")
    assert english != "Lernpfad: Zeit für Ihre nächste Selbsteinschätzung"  # translated
    assert message["Subject"] == english


def unsubscribe_path(message) -> str:
    link = re.search(r"(http\S+/abbestellen/erinnerungen/\S+)", parts(message)["text/plain"])[1]
    assert link.startswith(BASE_URL)
    return urlsplit(link).path


def test_the_unsubscribe_link_asks_first_and_switches_off_on_the_button(mailing, smtp_server):
    with mailing.app_context():
        run_job("inactivity", NOW)
    run_mail_job(mailing)
    path = unsubscribe_path(smtp_server.messages[0])
    client = mailing.test_client()  # not logged in
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Erinnerungen abbestellen" in html and "Ja, abbestellen" in html
    with mailing.app_context():  # the GET changed nothing
        assert db.session.get(NotificationPreference, person("lea@example.org").id) is None
    assert client.post(path).status_code == 400  # no CSRF token: refused, nothing changed
    with mailing.app_context():
        assert db.session.get(NotificationPreference, person("lea@example.org").id) is None
    done = client.post(path, data={"csrf_token": csrf_token(html)}, follow_redirects=True)
    assert done.status_code == 200
    assert "Sie erhalten keine Erinnerungen mehr." in done.get_data(as_text=True)
    with mailing.app_context():
        preference = db.session.get(NotificationPreference, person("lea@example.org").id)
        assert preference.reminders is False and preference.digest is True
        counts = run_job("inactivity", NOW + timedelta(days=7)).counts
        assert (counts["mails"], counts["skipped_opt_out"]) == (0, 1)
    assert run_mail_job(mailing) == 0
    assert len(smtp_server.messages) == 1


def test_forged_or_foreign_unsubscribe_links_change_nothing(mailing, smtp_server):
    with mailing.app_context():
        run_job("inactivity", NOW)
    run_mail_job(mailing)
    path = unsubscribe_path(smtp_server.messages[0])
    client = mailing.test_client()
    token = path.rsplit("/", 1)[1]
    forged = client.get(path[:-3] + "abc")
    assert forged.status_code == 400
    assert "Dieser Link ist nicht gültig" in forged.get_data(as_text=True)
    # A reminders link does not switch off the digest (a salt per purpose).
    other = client.get(f"/einstellungen/mitteilungen/abbestellen/wochenuebersicht/{token}")
    assert other.status_code == 400
    assert client.get(f"/einstellungen/mitteilungen/abbestellen/alles/{token}").status_code == 404
    assert client.post(path[:-3] + "abc").status_code == 400  # CSRF or the token: refused
    with mailing.app_context():
        assert db.session.get(NotificationPreference, person("lea@example.org").id) is None


def test_a_reminder_waits_in_the_outbox_while_the_server_is_down(
    app_factory, smtp_server, content_dir
):
    down = app_factory(MAIL_PORT=1)
    idle_learner(down, content_dir)
    with down.app_context():
        assert remind_inactive(NOW)["mails"] == 1
        db.session.commit()
    assert run_mail_job(down) == 0
    with down.app_context():
        mail = db.session.scalar(sa.select(OutboxMail))
        assert mail.sent_at is None and mail.attempts == 1 and mail.html_body
    up = app_factory(MAIL_PORT=smtp_server.port)
    with up.app_context():
        db.session.execute(sa.update(OutboxMail).values(next_attempt_at=datetime.now(UTC)))
        db.session.commit()
    assert run_mail_job(up) == 1
    (message,) = smtp_server.messages
    assert message["Subject"] == "Lernpfad: Ihr Lernpfad wartet auf Sie"
    assert message.get_content_type() == "multipart/alternative"
