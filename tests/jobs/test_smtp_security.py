"""The outbox logs in to the mail server (LERNPFAD_MAIL_USERNAME / _PASSWORD) and speaks TLS —
from the start (MAIL_USE_TLS, port 465) or after STARTTLS (MAIL_USE_STARTTLS). Tested against a
real aiosmtpd server; the TLS tests need the openssl command for a self-signed certificate."""

import shutil
import ssl
import subprocess
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from lernpfad.extensions import db
from lernpfad.jobs.mail import deliver_outbox, queue_mail
from lernpfad.jobs.models import OutboxMail
from tests.conftest import skip_or_fail
from tests.mail import Collector, free_port

USER, PASSWORD = "lernpfad", "s3cret-mail-pass"
# aiosmtpd warns about AUTH without STARTTLS: wanted here (plain test server, implicit TLS).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


@contextmanager
def serving(**options):
    """An aiosmtpd server with these options, collecting what it receives."""
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    handler.port = controller.port
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def auth_server():
    """Plain SMTP that refuses mail without AUTH (AUTH without TLS allowed for the test only)."""
    with serving(
        authenticator=authenticator, auth_required=True, auth_require_tls=False
    ) as handler:
        yield handler


def send_two(app) -> int:
    with app.app_context():
        queue_mail(to="a@example.org", subject="Eins", body="Text", html="<p>Text</p>")
        queue_mail(to="b@example.org", subject="Zwei", body="Text")
        db.session.commit()
        return deliver_outbox()


def outbox(app) -> list[tuple]:
    with app.app_context():
        return [
            (m.subject, m.sent_at is not None, m.attempts, m.last_error or "")
            for m in db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id))
        ]


def test_the_outbox_logs_in_with_the_configured_account(app_factory, auth_server):
    app = app_factory(MAIL_PORT=auth_server.port, MAIL_USERNAME=USER, MAIL_PASSWORD=PASSWORD)
    assert send_two(app) == 2
    assert [m["Subject"] for m in auth_server.messages] == ["Eins", "Zwei"]


def test_without_login_the_server_refuses_and_the_mail_waits(app_factory, auth_server):
    app = app_factory(MAIL_PORT=auth_server.port)
    assert send_two(app) == 0
    assert auth_server.messages == []
    assert [row[:3] for row in outbox(app)] == [("Eins", False, 1), ("Zwei", False, 1)]


def test_a_wrong_password_stops_the_run_and_keeps_every_mail(app_factory, auth_server):
    app = app_factory(MAIL_PORT=auth_server.port, MAIL_USERNAME=USER, MAIL_PASSWORD="falsch")
    assert send_two(app) == 0
    (first, second) = outbox(app)
    assert first[:3] == ("Eins", False, 1) and "SMTPAuthenticationError" in first[3]
    assert second[:3] == ("Zwei", False, 0)  # not tried: the server refused the login itself


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1; SSL_CERT_FILE makes the client trust it."""
    if shutil.which("openssl") is None:
        skip_or_fail("openssl is needed to make a test certificate (Debian package 'openssl')")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def test_starttls_then_login(app_factory, certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with serving(
        tls_context=server_context(certificate),
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
    ) as handler:  # AUTH only after STARTTLS (auth_require_tls defaults to True)
        app = app_factory(
            MAIL_PORT=handler.port,
            MAIL_USE_STARTTLS=True,
            MAIL_USERNAME=USER,
            MAIL_PASSWORD=PASSWORD,
        )
        assert send_two(app) == 2
        assert len(handler.messages) == 2


def test_starttls_refused_when_the_certificate_is_not_trusted(app_factory, certificate):
    with serving(tls_context=server_context(certificate), require_starttls=True) as handler:
        app = app_factory(MAIL_PORT=handler.port, MAIL_USE_STARTTLS=True)
        assert send_two(app) == 0  # no mail goes out over a connection it cannot verify
        assert "CERTIFICATE_VERIFY_FAILED" in outbox(app)[0][3]


def test_smtp_over_tls_from_the_start(app_factory, certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with serving(
        ssl_context=server_context(certificate),
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,  # aiosmtpd does not count implicit TLS as TLS for AUTH
    ) as handler:
        app = app_factory(
            MAIL_PORT=handler.port, MAIL_USE_TLS=True, MAIL_USERNAME=USER, MAIL_PASSWORD=PASSWORD
        )
        assert send_two(app) == 2
        assert [m["Subject"] for m in handler.messages] == ["Eins", "Zwei"]
