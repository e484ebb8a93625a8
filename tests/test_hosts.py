"""Links that leave the app come from BASE_URL; requests for other hosts are refused."""

import io
import re

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import ResetRequest
from lernpfad.core.links import external_url, trusted_hosts
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail
from tests.helpers import login_client
from tests.mail import run_mail_job

BASE = "https://lernen.example.org"


@pytest.mark.parametrize(
    ("base_url", "extra", "expected"),
    [
        ("https://lernen.example.org", None, ["lernen.example.org"]),
        ("https://Lernen.Example.org:8443/app", "", ["lernen.example.org"]),
        (
            "https://lernen.example.org",
            "intern.example.org, lernen.example.org",
            ["lernen.example.org", "intern.example.org"],
        ),
        (
            "http://127.0.0.1:5000",
            None,
            ["127.0.0.1", "localhost"],
        ),
        ("http://localhost:5001", ["extra.test"], ["localhost", "extra.test", "127.0.0.1"]),
    ],
)
def test_trusted_hosts(base_url, extra, expected):
    assert trusted_hosts(base_url, extra) == expected


def test_external_url_uses_base_url_outside_requests(app_factory):
    app = app_factory(BASE_URL="https://lernen.example.org/lernpfad")
    with app.app_context():
        assert (
            external_url("auth.set_password", token="abc")
            == "https://lernen.example.org/lernpfad/passwort-setzen/abc"
        )


def test_development_defaults_answer_on_loopback_names(app_factory):
    app = app_factory(ALLOWED_HOSTS=None)  # BASE_URL is the default http://127.0.0.1:5000
    client = app.test_client()
    for host in ("127.0.0.1:5000", "localhost", "localhost:5001"):
        assert client.get("/anmelden", headers={"Host": host}).status_code == 200, host
    refused = client.get("/anmelden", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert "gehört nicht zu dieser Lernpfad-Installation" in refused.get_data(as_text=True)


def _reset(client, **headers):
    return client.post(
        "/passwort-vergessen", data={"email": "learner@example.org"}, headers=headers
    )


def _invite(client, **headers):
    data = {"name": "Nora Neu", "email": "nora@example.org", "department_id": 0}
    return client.post("/personen/neu", data=data, headers=headers)


def _import(client, **headers):
    upload = (io.BytesIO(b"Name;E-Mail\nNora Neu;nora@example.org\n"), "staff.csv")
    return client.post(
        "/personen/import",
        data={"file": upload, "action": "importieren", "invite": "y"},
        headers=headers,
        content_type="multipart/form-data",
    )


def _review(client, **headers):
    from lernpfad.modules.models import Submission

    submission_id = db.session.scalar(sa.select(Submission.id))
    return client.post(
        f"/mentoring/abgabe/{submission_id}", data={"decision": "annehmen"}, headers=headers
    )


MAIL_ROUTES = [
    pytest.param(None, _reset, id="password reset (anonymous)"),
    pytest.param("hr@example.org", _invite, id="single invitation"),
    pytest.param("hr@example.org", _import, id="CSV import with invitations"),
    pytest.param("champion@example.org", _review, id="review notice"),
]


def _hand_in(app):
    from tests.mentoring.test_review import hand_in

    hand_in(login_client(app, "learner@example.org"))


def _written(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)),
            db.session.scalar(sa.select(sa.func.count()).select_from(ResetRequest)),
        )


@pytest.mark.parametrize("proxy", [False, True], ids=["Host", "X-Forwarded-Host"])
@pytest.mark.parametrize(("user", "send"), MAIL_ROUTES)
def test_forged_host_is_refused_on_every_mail_sending_route(
    app_factory, people, content, user, send, proxy
):
    app = app_factory(BASE_URL=BASE, PROXY_FIX=proxy)
    _hand_in(app)
    client = login_client(app, user) if user else app.test_client()
    before = _written(app)
    headers = {"X-Forwarded-Host": "evil.example"} if proxy else {"Host": "evil.example"}
    with app.app_context():
        response = send(client, **headers)
    assert response.status_code == 400
    assert _written(app) == before  # nothing queued


@pytest.mark.parametrize(("user", "send"), MAIL_ROUTES)
def test_links_in_mails_and_pages_come_from_base_url(
    app_factory, people, content, smtp_server, user, send
):
    # The request arrives for "localhost" (allowed as a second name); links still name BASE_URL.
    app = app_factory(BASE_URL=BASE, MAIL_PORT=smtp_server.port)
    _hand_in(app)
    client = login_client(app, user) if user else app.test_client()
    with app.app_context():
        response = send(client)
    assert response.status_code in (200, 302)
    run_mail_job(app)
    texts = [response.get_data(as_text=True)] + [m.get_content() for m in smtp_server.messages]
    links = re.findall(r"https?://[^\s\"<]+", "\n".join(texts))
    app_links = [link for link in links if "/passwort-setzen/" in link or "/module/" in link]
    assert app_links, texts
    assert all(link.startswith(BASE + "/") for link in app_links), app_links
    assert not any("localhost" in link for link in links)


def test_missing_static_file_is_not_cached(client):
    response = client.get("/static/css/gibt-es-nicht.css")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    found = client.get("/static/css/lernpfad.css")
    found.close()
    assert found.status_code == 200 and "no-store" not in found.headers.get("Cache-Control", "")
