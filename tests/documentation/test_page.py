"""The documentation page: who may open it, what it states from the settings, that the matrix it
shows is what the access check enforces, and that no secret appears."""

import re

import pytest
import sqlalchemy as sa
from werkzeug.routing import AnyConverter

from lernpfad.auth.models import Person, Role
from lernpfad.documentation import texts
from lernpfad.extensions import db
from lernpfad.privacy.mode import INDIVIDUAL, switch_mode
from tests.helpers import department, login_client, make_person, password_hash

SECRET = "GEHEIM-7f3a-marker"


def _person(email: str, role: Role) -> int:
    """A person with exactly ``role`` (not through people.services, which adds the learner's)."""
    person = Person(
        name=email.split("@")[0].title(),
        email=email,
        department=department(),
        password_hash=password_hash(),
    )
    person.add_role(role)
    db.session.add(person)
    db.session.flush()
    return person.id


@pytest.mark.parametrize(
    "email", ["learner@example.org", "head@example.org", "gf@example.org", "champion@example.org"]
)
def test_other_roles_are_refused(app, people, email):
    client = login_client(app, email)
    assert client.get("/dokumentation/").status_code == 403
    assert client.get("/dokumentation/dokumentation.pdf").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/dokumentation/")
    assert response.status_code == 302
    assert "/anmelden" in response.headers["Location"]


@pytest.mark.parametrize("email", ["hr@example.org", "admin@example.org", "dpo@example.org"])
def test_dpo_hr_and_admin_read_it_and_see_it_in_the_navigation(app, people, email):
    with app.app_context():
        make_person("dpo@example.org", roles={Role.DPO})
        db.session.commit()
    client = login_client(app, email)
    page = client.get("/dokumentation/").get_data(as_text=True)
    assert "Teil A: Anlage zur Betriebsvereinbarung" in page
    assert "Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)" in page
    assert "DSFA-Vorprüfung (Art. 35 DSGVO)" in page
    assert "Stand: " in page
    assert 'href="/dokumentation/"' in page  # the navigation entry
    assert 'href="/dokumentation/dokumentation.pdf"' in page


def test_page_states_the_settings(app_factory):
    app = app_factory(
        PRIVACY_MIN_GROUP=7,
        MAIL_SERVER="mail.example.org",
        MAIL_PORT=587,
        MAIL_USE_STARTTLS=True,
        COMPANY_NAME="Muster Maschinenbau GmbH",
        RETENTION_SENT_MAIL_DAYS=11,
        SESSION_IDLE_MINUTES=25,
        OIDC_ISSUER="https://login.example.org/realms/firma",
    )
    with app.app_context():
        make_person("hr@example.org", roles={Role.HR})
        db.session.commit()
    page = login_client(app, "hr@example.org").get("/dokumentation/").get_data(as_text=True)
    assert "Gruppen ab 7 Personen" in page
    assert "SMTP-Server mail.example.org, Port 587, verschlüsselt (STARTTLS)" in page
    assert "Muster Maschinenbau GmbH" in page
    assert "11 Tage" in page
    assert "25 Minuten ohne Aktivität" in page
    assert "https://login.example.org/realms/firma" in page
    assert "Learning Record Store (xAPI)</dt><dd>nicht eingerichtet" in page
    assert "Zusammengefasst" in page
    assert "argon2id, 19456 KiB" in page
    assert "Sitzungs-Cookie HttpOnly, SameSite=Lax, Secure bei HTTPS" in page
    assert "mindestens 12 Zeichen" in page


def test_page_without_mail_server_says_so(app_factory):
    app = app_factory(MAIL_SERVER="")
    with app.app_context():
        make_person("hr@example.org", roles={Role.HR})
        db.session.commit()
    page = login_client(app, "hr@example.org").get("/dokumentation/").get_data(as_text=True)
    assert "Kein Mailserver eingerichtet" in page
    assert "die Anwendung sendet keine Daten an Dritte" in page


def test_page_follows_the_privacy_mode(app, people):
    client = login_client(app, "hr@example.org")
    before = client.get("/dokumentation/").get_data(as_text=True)
    assert "DSFA voraussichtlich nicht erforderlich" in before
    with app.app_context():
        admin = db.session.get(Person, people["admin"])
        switch_mode(INDIVIDUAL, actor=admin, reason="Pilot mit Betriebsrat vereinbart")
        db.session.commit()
    after = client.get("/dokumentation/").get_data(as_text=True)
    assert "Einzelwerte für HR" in after
    assert "Pilot mit Betriebsrat vereinbart" in after
    assert "Admin" in after  # who switched
    assert "DSFA empfohlen" in after


def test_no_secret_appears_on_the_page_or_in_the_pdf(app_factory, tmp_path):
    from pypdf import PdfReader

    app = app_factory(
        SECRET_KEY=SECRET + "-key",
        MAIL_PASSWORD=SECRET + "-mail",
        MAIL_USERNAME="lernpfad-smtp",
        XAPI_ENDPOINT=f"https://lrs-user:{SECRET}-lrs@lrs.example.org/xapi/",
    )
    with app.app_context():
        make_person("hr@example.org", roles={Role.HR})
        db.session.commit()
    client = login_client(app, "hr@example.org")
    page = client.get("/dokumentation/").get_data(as_text=True)
    response = client.get("/dokumentation/dokumentation.pdf")
    (tmp_path / "doc.pdf").write_bytes(response.data)
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "doc.pdf").pages)
    for content in (page, text):
        assert SECRET not in content
        assert "lrs-user" not in content
        assert str(tmp_path) not in content  # the database file
    assert "https://lrs.example.org/xapi/" in page
    assert "mit Anmeldung" in page


# --- The matrix the page shows is what the access check does ------------------------------

ROW = re.compile(r'<tr data-endpoint="([^"]+)">(.*?)</tr>', re.S)
CELL = re.compile(r'data-role="([a-z_]+)" data-allowed="(yes|no)"')


def page_matrix(html: str) -> dict[tuple[str, str], bool]:
    found = {}
    for endpoint, cells in ROW.findall(html):
        for role, allowed in CELL.findall(cells):
            found[endpoint, role] = allowed == "yes"
    return found


def sample_url(rule, values: dict) -> str | None:
    """The rule's address with its parameters filled (ids from the fixtures), or None."""
    filled = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            filled[name] = sorted(converter.items)[0] if hasattr(converter, "items") else "csv"
        elif name in values:
            filled[name] = values[name]
        elif "Integer" in type(converter).__name__:
            filled[name] = 1
        else:
            filled[name] = "x"
    try:
        return rule.build(filled)[1]
    except (ValueError, KeyError):
        return None


def test_the_matrix_on_the_page_is_what_the_access_rules_enforce(app):
    with app.app_context():
        ids = {role: _person(f"{role.value}@example.org", role) for role in Role}
        db.session.commit()
        roles_of: dict[int, list[str]] = {}
        for person_id, role in db.session.execute(
            sa.text("SELECT person_id, role FROM person_roles")
        ):
            roles_of.setdefault(person_id, []).append(role)
    assert all(roles_of[ids[role]] == [role.value] for role in Role)  # exactly one role each
    shown = page_matrix(
        login_client(app, "dpo@example.org").get("/dokumentation/").get_data(as_text=True)
    )
    assert {endpoint for endpoint, _role in shown} == set(app.view_functions) - {"static"}

    values = {"person_id": ids[Role.LEARNER]}
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    ]
    checked, wrong = 0, []
    for role in Role:
        client = login_client(app, f"{role.value}@example.org")
        for rule in rules:
            url = sample_url(rule, values)
            if url is None:
                continue
            try:
                status = client.get(url).status_code
            except Exception as error:  # noqa: BLE001 - the view ran: the access check let it pass
                status = f"{type(error).__name__} in the view"
            allowed = shown[rule.endpoint, role.value]
            if status == 403 and allowed and rule.endpoint not in texts.EXTRA_RIGHT_ENDPOINTS:
                wrong.append(f"{role.value} is refused {url} ({rule.endpoint}), the page says ✓")
            elif status != 403 and not allowed:
                wrong.append(f"{role.value} opens {url} ({rule.endpoint}): {status}, page says –")
            checked += 1
    assert not wrong, "\n".join(wrong)
    assert checked >= 7 * 40
