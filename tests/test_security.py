import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.extensions import db
from tests.helpers import PASSWORD, csrf_token


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_headers_on_pages_errors_and_json(client):
    assert_security_headers(client.get("/anmelden"))
    assert_security_headers(client.get("/gibt-es-nicht"))
    assert_security_headers(client.get("/healthz"))


def test_404_page_is_german_and_plain(client):
    response = client.get("/gibt-es-nicht")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in page


def test_500_page_has_no_stack_trace(app, client):
    @app.route("/kaputt")
    def broken():
        raise RuntimeError("geheimes Detail")

    app.view_functions["broken"].lernpfad_public = True
    response = client.get("/kaputt")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "geheimes Detail" not in page and "Traceback" not in page
    assert "Interner Fehler" in page
    assert_security_headers(response)


def test_csrf_is_enforced_when_enabled(app_factory, people):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    # Without a token the login is refused and nobody is logged in.
    refused = client.post("/anmelden", data={"email": "learner@example.org", "password": PASSWORD})
    assert refused.status_code == 400
    assert "Formular ist abgelaufen" in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302
    # With the token from the form it works.
    token = csrf_token(client.get("/anmelden").get_data(as_text=True))
    ok = client.post(
        "/anmelden",
        data={"email": "learner@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert ok.status_code == 302
    # A state-changing POST without a token changes nothing.
    hr = app.test_client()
    token = csrf_token(hr.get("/anmelden").get_data(as_text=True))
    hr.post(
        "/anmelden", data={"email": "hr@example.org", "password": PASSWORD, "csrf_token": token}
    )
    with app.app_context():
        learner_id = db.session.scalar(
            sa.select(Person.id).where(Person.email == "learner@example.org")
        )
    assert hr.post(f"/personen/{learner_id}/deaktivieren").status_code == 400
    with app.app_context():
        assert db.session.get(Person, learner_id).active is True


def test_logout_is_post_only(client, auth, people):
    auth.login()
    assert client.get("/abmelden").status_code == 405
    assert client.get("/").status_code == 200
