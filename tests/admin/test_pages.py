"""The operations area: only administrators; overview, content versions and settings pages."""

from datetime import timedelta

import pytest

from lernpfad.admin.services import overview
from lernpfad.auth.models import Person, ResetRequest
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs.mail import queue_mail
from tests.helpers import login_client

PAGES = ["/betrieb/", "/betrieb/mails", "/betrieb/inhalte", "/betrieb/einstellungen"]
ACTIONS = ["/betrieb/mails/1/erneut", "/betrieb/mails/erneut"]
NOT_ADMINS = [
    "learner@example.org",
    "champion@example.org",
    "head@example.org",
    "gf@example.org",
    "hr@example.org",
]


@pytest.mark.parametrize("email", NOT_ADMINS)
def test_every_other_role_is_refused(app, people, email):
    client = login_client(app, email)
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    for url in ACTIONS:
        assert client.post(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login(client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/anmelden" in response.headers["Location"]
    for url in ACTIONS:
        response = client.post(url)
        assert response.status_code == 302 and "/anmelden" in response.headers["Location"]


def test_administrators_open_every_page_and_see_betrieb_in_the_navigation(app, people):
    admin = login_client(app, "admin@example.org")
    for url in PAGES:
        assert admin.get(url).status_code == 200, url
    nav = admin.get("/betrieb/einstellungen").get_data(as_text=True)
    assert 'href="/betrieb/" aria-current="page">Betrieb</a>' in nav
    hr_page = login_client(app, "hr@example.org").get("/").get_data(as_text=True)
    assert 'href="/betrieb/"' not in hr_page


def test_overview_counts(app, people):
    now = utcnow()
    with app.app_context():
        for n in range(2):
            queue_mail(to=f"w{n}@example.org", subject="Einladung", body="x")
        failed = queue_mail(to="f@example.org", subject="Einladung", body="x")
        failed.attempts, failed.next_attempt_at = 2, now + timedelta(hours=1)
        recent = queue_mail(to="s@example.org", subject="Hinweis", body="x")
        recent.attempts, recent.sent_at = 1, now - timedelta(days=1)
        old = queue_mail(to="o@example.org", subject="Hinweis", body="x")
        old.attempts, old.sent_at = 1, now - timedelta(days=10)
        db.session.add(ResetRequest(email="learner@example.org", client="c"))
        db.session.add(ResetRequest(email="x@example.org", client="c", status="unknown"))
        db.session.get(Person, people["champion"]).active = False
        db.session.commit()

        figures = overview(now)
        last_sent = recent.sent_at
    assert (figures.mails.waiting, figures.mails.failed, figures.mails.sent_recently) == (2, 1, 1)
    assert figures.mails.last_sent_at == last_sent
    assert figures.mails.job_late is False
    assert figures.resets_pending == 1
    assert (figures.people_active, figures.people_inactive) == (5, 1)
    assert figures.latest_import is None

    page = login_client(app, "admin@example.org").get("/betrieb/").get_data(as_text=True)
    assert "flask --app lernpfad lernpfad scheduler" in page
    assert "Noch keine Inhalte importiert." in page


def test_overview_warns_when_mails_wait_too_long(app, people):
    with app.app_context():
        mail = queue_mail(to="w@example.org", subject="Einladung", body="x")
        mail.created_at = mail.next_attempt_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    page = login_client(app, "admin@example.org").get("/betrieb/").get_data(as_text=True)
    assert "Läuft der Mail-Versand jede Minute" in page


def test_overview_says_when_the_mail_settings_are_incomplete(app_factory, people):
    app = app_factory(MAIL_SERVER="", MAIL_SENDER="Lernpfad <lernpfad@localhost>")
    page = login_client(app, "admin@example.org").get("/betrieb/").get_data(as_text=True)
    assert "Es ist kein Mail-Server eingetragen" in page
    assert "Voreinstellung auf „localhost“" in page


def test_content_page_lists_modules_documents_and_imports(app, people, content):
    page = login_client(app, "admin@example.org").get("/betrieb/inhalte").get_data(as_text=True)
    with app.app_context():
        from lernpfad.content.models import ContentImport, ModuleVersion

        versions = db.session.scalars(db.select(ModuleVersion)).all()
        record = db.session.scalars(db.select(ContentImport)).one()
    for version in versions:
        assert version.title in page and version.content_hash[:12] in page
        assert version.body_html not in page
    assert record.tree_hash[:12] in page
    assert "competencies.yaml" in page
    assert "flask --app lernpfad lernpfad content sync" in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'method="post"' not in main  # no upload, no sync button: content is files


def test_settings_never_show_the_secret_key_or_a_database_password(app_factory, people):
    app = app_factory(
        SECRET_KEY="sehr-geheimer-schluessel-4711",
        BASE_URL="https://ops:basis-passwort-0815@lernpfad.example.org",
        COMPANY_NAME="Muster GmbH",
        QUIZ_PASS_PERCENT=75,
        MAIL_USERNAME="lernpfad-smtp",
        MAIL_PASSWORD="smtp-passwort-2468",
    )
    # The engine is already built; the page reads the URL from the configuration.
    app.config["SQLALCHEMY_DATABASE_URI"] = (
        "postgresql+psycopg://lernpfad:db-passwort-1234@db.intern:5432/lernpfad"
    )
    response = login_client(app, "admin@example.org").get("/betrieb/einstellungen")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for secret in (
        "sehr-geheimer-schluessel-4711",
        "db-passwort-1234",
        "basis-passwort-0815",
        "smtp-passwort-2468",
    ):
        assert secret not in page
    assert "LERNPFAD_MAIL_USE_STARTTLS" in page and "lernpfad-smtp" in page
    assert "db.intern" not in page
    assert "PostgreSQL" in page
    assert "https://lernpfad.example.org" in page
    assert "LERNPFAD_QUIZ_PASS_PERCENT" in page and '<span dir="auto">75</span>' in page
    assert "Muster GmbH" in page
    assert "LERNPFAD_&lt;NAME&gt;" in page and "Neustart" in page
