"""The verifiable certificate: the public verification page (each status, unknown codes, noindex,
the look-up limit), the PDF (its text and its QR code), the Open Badges 3.0 credential (valid
against 1EdTech's schema) and its VC-JWT, checked with a second library against the JWKS."""

import io
import json
import shutil
import stat
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import jsonschema
import jwt as pyjwt
import pytest
import sqlalchemy as sa
from flask import render_template_string
from flask_babel import force_locale, format_date
from flask_login import login_user
from pypdf import PdfReader

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person, Role
from lernpfad.certification.credentials import keys, rules, services
from lernpfad.certification.credentials.models import VerificationLookup
from lernpfad.certification.models import Certificate
from lernpfad.certification.services import new_code
from lernpfad.db import utcnow
from lernpfad.extensions import db
from tests.conftest import skip_or_fail
from tests.helpers import login_client, make_person

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONTEXTS = Path(rules.__file__).resolve().parent / "contexts"
BASE_URL = "https://lernpfad.muster.example"
MET = {
    "path": "champion",
    "exam_pass_percent": 80,
    "projects": 2,
    "sessions": 5,
    "mentees": 2,
    "checks": ["path", "exam", "projects", "mentoring", "approval"],
}


@pytest.fixture
def app(app_factory):
    return app_factory(BASE_URL=BASE_URL, COMPANY_NAME="Muster GmbH")


def make_certificate(person_id: int, *, days_left: int = 300, revoked: bool = False) -> Certificate:
    """A certificate written straight to the table (the issuing service lives elsewhere)."""
    now = utcnow()
    issued = now - timedelta(days=365 - days_left)
    certificate = Certificate(
        person_id=person_id,
        code=new_code(),
        title="Zertifizierte:r KI-Champion",
        issued_at=issued,
        valid_from=issued,
        valid_until=now + timedelta(days=days_left),
        requirements=MET,
    )
    if revoked:
        certificate.revoked_at = now - timedelta(days=3)
        certificate.revocation_reason = "Vertraulicher Grund 4711"
    db.session.add(certificate)
    db.session.flush()
    return certificate


@pytest.fixture
def holder(app):
    with app.app_context():
        lea = make_person("lea.lernend@example.org", name="Lea Lernend")
        make_person("anna@example.org", name="Anna Andere")
        make_person("hr@example.org", name="Hanna Personal", roles={Role.HR})
        db.session.commit()
        return lea.id


def certificate_of(app, person_id: int, **options) -> tuple[int, str]:
    with app.app_context():
        certificate = make_certificate(person_id, **options)
        db.session.commit()
        return certificate.id, certificate.code


def long_date(app, moment) -> str:
    with app.test_request_context(), force_locale("de"):
        return format_date(moment, format="long")


# --- The verification page ------------------------------------------------------------------


def test_a_valid_certificate_shows_name_title_company_dates_and_status(app, client, holder):
    _, code = certificate_of(app, holder)
    response = client.get(f"/verify/{code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in html
    for text in ("Lea Lernend", "Zertifizierte:r KI-Champion", "Muster GmbH", "gültig"):
        assert text in html
    # German and English, whatever the session's language.
    assert '<div lang="de">' in html and '<div lang="en">' in html
    assert "lea.lernend@example.org" not in html
    assert "abgelaufen" not in html and "widerrufen" not in html


def test_an_expired_certificate_says_so(app, client, holder):
    _, code = certificate_of(app, holder, days_left=-10)
    html = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "abgelaufen" in html
    assert "Dieses Zertifikat ist gültig." not in html


def test_a_revoked_certificate_shows_the_date_not_the_reason(app, client, holder):
    certificate_id, code = certificate_of(app, holder, revoked=True)
    with app.app_context():
        revoked_at = db.session.get(Certificate, certificate_id).revoked_at
    response = client.get(f"/verify/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "widerrufen" in html
    assert long_date(app, revoked_at) in html
    assert "Vertraulicher Grund" not in html


def test_an_unknown_code_is_a_404_that_says_so(app, client, holder):
    response = client.get("/verify/" + new_code())
    assert response.status_code == 404
    assert response.headers["X-Robots-Tag"] == "noindex"
    html = response.get_data(as_text=True)
    assert "Prüfcode unbekannt" in html
    assert '<meta name="robots" content="noindex">' in html


def test_the_status_json_names_the_status_only(app, client, holder):
    _, code = certificate_of(app, holder, revoked=True)
    response = client.get(f"/verify/{code}.json")
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "revoked"
    assert data["id"] == f"{BASE_URL}/verify/{code}.json"
    assert "Lea" not in json.dumps(data)
    assert client.get(f"/verify/{new_code()}.json").status_code == 404


def test_lookups_are_limited_per_client(app_factory):
    app = app_factory(BASE_URL=BASE_URL, VERIFY_LIMIT_PER_CLIENT=3)
    with app.app_context():
        lea = make_person("lea3@example.org", name="Lea Drei")
        code = make_certificate(lea.id).code
        db.session.commit()
    client = app.test_client()
    guesser = {"REMOTE_ADDR": "2001:db8:5:6::1"}
    neighbour = {"REMOTE_ADDR": "2001:db8:5:6::99"}  # the same /64
    assert client.get(f"/verify/{code}", environ_base=guesser).status_code == 200
    assert client.get("/verify/" + new_code(), environ_base=guesser).status_code == 404
    assert client.get(f"/verify/{code}.json", environ_base=neighbour).status_code == 200
    limited = client.get(f"/verify/{code}", environ_base=guesser)
    assert limited.status_code == 429
    html = limited.get_data(as_text=True)
    assert "Zu viele Anfragen" in html and '<div lang="en">' in html
    assert "Lea Drei" not in html
    assert limited.headers["X-Robots-Tag"] == "noindex"
    assert client.get(f"/verify/{code}.json", environ_base=guesser).status_code == 429
    # Another client is not held by the guesser's look-ups.
    assert (
        client.get(f"/verify/{code}", environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code
        == 200
    )


def test_the_limit_window_passes(app):
    with app.app_context():
        start = utcnow()
        window = timedelta(minutes=10)
        for minute in range(3):
            assert services.record_lookup(
                "ip:a", limit=3, window=window, now=start + timedelta(minutes=minute)
            )
        assert not services.record_lookup(
            "ip:a", limit=3, window=window, now=start + timedelta(minutes=5)
        )
        assert services.record_lookup(
            "ip:b", limit=3, window=window, now=start + timedelta(minutes=5)
        )
        # Ten minutes after the first look-up it has left the window (and the table).
        assert services.record_lookup(
            "ip:a", limit=3, window=window, now=start + timedelta(minutes=10, seconds=1)
        )
        left = db.session.scalars(
            sa.select(VerificationLookup.at).where(VerificationLookup.client == "ip:a")
        ).all()
        assert len(left) == 3


# --- The PDF ----------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_holder_downloads_a_pdf_naming_person_title_and_dates(app, holder):
    certificate_id, _ = certificate_of(app, holder)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        issued, until = certificate.issued_at, certificate.valid_until
    response = login_client(app, "lea.lernend@example.org").get(
        f"/zertifizierung/zertifikat/{certificate_id}.pdf"
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    for expected in (
        "Lea Lernend",
        "Zertifizierte:r KI-Champion",
        "Muster GmbH",
        "Ausgestellt am " + long_date(app, issued),
        "Gültig bis " + long_date(app, until),
        "Erfüllte Anforderungen",
        "Abschlussprüfung mit mindestens 80 % der Punkte bestanden",
        "5 bestätigte Mentoring-Sitzungen",
    ):
        assert expected in text, expected
    assert "WIDERRUFEN" not in text and "ABGELAUFEN" not in text


@pytest.mark.parametrize(
    ("options", "notice"),
    [({"revoked": True}, "WIDERRUFEN am"), ({"days_left": -5}, "ABGELAUFEN am")],
)
def test_a_pdf_says_when_the_certificate_no_longer_holds(app, holder, options, notice):
    certificate_id, _ = certificate_of(app, holder, **options)
    response = login_client(app, "lea.lernend@example.org").get(
        f"/zertifizierung/zertifikat/{certificate_id}.pdf"
    )
    text = pdf_text(response.data)
    assert notice in text
    assert "nicht mehr gültig" in text
    assert "Vertraulicher Grund" not in text


def test_others_get_a_404_and_hr_downloads_with_an_audit_entry(app, client, holder):
    certificate_id, _ = certificate_of(app, holder)
    url = f"/zertifizierung/zertifikat/{certificate_id}.pdf"
    colleague = login_client(app, "anna@example.org")
    for suffix in (".pdf", ".json", ".jwt"):
        assert colleague.get(url.replace(".pdf", suffix)).status_code == 404
    assert colleague.get("/zertifizierung/zertifikat/999999.pdf").status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/anmelden" in anonymous.headers["Location"]
    hr = login_client(app, "hr@example.org")
    assert hr.get(url).status_code == 200
    # The credential files are the holder's alone.
    assert hr.get(url.replace(".pdf", ".jwt")).status_code == 404
    assert hr.get(url.replace(".pdf", ".json")).status_code == 404
    with app.app_context():
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "certification.certificate_pdf")
        ).one()
        assert event.subject_id == holder
        assert event.details == {"certificate_id": certificate_id}


def test_the_qr_code_leads_to_the_verification_page(app, holder, tmp_path):
    for tool in ("pdftoppm", "zbarimg"):
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is not installed (Debian: poppler-utils, zbar-tools)")
    certificate_id, code = certificate_of(app, holder)
    response = login_client(app, "lea.lernend@example.org").get(
        f"/zertifizierung/zertifikat/{certificate_id}.pdf"
    )
    (tmp_path / "certificate.pdf").write_bytes(response.data)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "certificate.pdf", "page"],
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    (page,) = tmp_path.glob("page*.png")
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(page)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stdout.strip() == f"{BASE_URL}/verify/{code}"


# --- The Open Badges credential --------------------------------------------------------------


def ob_schema() -> dict:
    return json.loads((FIXTURES / "ob_v3p0_achievementcredential_schema.json").read_text())


def validate_ob(credential: dict) -> None:
    validator = jsonschema.Draft201909Validator(
        ob_schema(), format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(credential), key=lambda error: list(error.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_credential_is_a_valid_open_badge(app, holder):
    certificate_id, code = certificate_of(app, holder)
    response = login_client(app, "lea.lernend@example.org").get(
        f"/zertifizierung/zertifikat/{certificate_id}.json"
    )
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    credential = json.loads(response.data)
    validate_ob(credential)
    assert credential["@context"] == [rules.VC_CONTEXT, rules.OB_CONTEXT]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"] == {
        "id": f"{BASE_URL}/credentials/issuer",
        "type": ["Profile"],
        "name": "Muster GmbH",
    }
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["achievement"]["id"] == f"{BASE_URL}/credentials/achievements/ki-champion"
    assert "Abschlussprüfung" in subject["achievement"]["criteria"]["narrative"]
    assert {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Lea Lernend",
    } in subject["identifier"]
    assert "lea.lernend@example.org" not in response.get_data(as_text=True)
    status = credential["credentialStatus"]
    assert status["id"] == f"{BASE_URL}/verify/{code}.json"
    assert status["statusListIndex"] == str(certificate_id)
    assert status["statusListCredential"] == f"{BASE_URL}/credentials/status/revocation"


def test_a_wrong_credential_fails_the_schema():
    # The schema is strict enough to matter: without validFrom or the OB context it refuses.
    with pytest.raises(AssertionError):
        validate_ob(
            {
                "@context": [rules.VC_CONTEXT],
                "id": "x",
                "type": ["VerifiableCredential"],
                "issuer": "x",
                "credentialSubject": {},
            }
        )


def _nodes(document):
    if isinstance(document, dict):
        yield document
        for value in document.values():
            yield from _nodes(value)
    elif isinstance(document, list):
        for item in document:
            yield from _nodes(item)


def _names(document) -> set[str]:
    """Every key of every object, however deep (a context's terms, a credential's properties)."""
    found = set()
    for node in _nodes(document):
        found |= set(node)
    return found


def test_every_term_of_the_credential_is_in_the_vendored_contexts(app, holder):
    certificate_id, _ = certificate_of(app, holder)
    with app.test_request_context():
        credential = services.credential(db.session.get(Certificate, certificate_id))
    defined = set()
    for name in ("credentials-v2.jsonld", "ob-v3p0-context-3.0.3.json"):
        defined |= _names(json.loads((CONTEXTS / name).read_text())["@context"])
    types = set()
    for node in _nodes(credential):
        value = node.get("type", [])
        types |= set([value] if isinstance(value, str) else value)
    assert _names(credential) - {"@context"} <= defined
    assert types - {"1EdTechJsonSchemaValidator2019"} <= defined


def test_the_jwt_verifies_with_a_second_library_against_the_published_jwks(app, client, holder):
    certificate_id, code = certificate_of(app, holder)
    holder_client = login_client(app, "lea.lernend@example.org")
    response = holder_client.get(f"/zertifizierung/zertifikat/{certificate_id}.jwt")
    assert response.status_code == 200
    assert response.mimetype == "application/jwt"
    token = response.get_data(as_text=True)

    jwks = client.get("/.well-known/jwks.json")
    assert jwks.status_code == 200
    published = jwks.get_json()
    assert all("d" not in key and "p" not in key for key in published["keys"])

    header = pyjwt.get_unverified_header(token)
    assert set(header) == {"alg", "kid", "typ"}  # OB 3.0 allows no other JOSE headers
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    assert header["kid"].startswith(f"{BASE_URL}/credentials/keys/")
    # The kid dereferences to the same public key.
    jwk = client.get(header["kid"].removeprefix(BASE_URL)).get_json()
    (listed,) = (key for key in published["keys"] if key["kid"] == header["kid"])
    assert jwk == listed

    key = pyjwt.PyJWKSet.from_dict(published)[header["kid"]]
    claims = pyjwt.decode(token, key=key.key, algorithms=["RS256"])  # checks nbf and exp too
    credential = holder_client.get(f"/zertifizierung/zertifikat/{certificate_id}.json").get_json(
        force=True
    )
    assert claims["iss"] == credential["issuer"]["id"]
    assert claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert claims["nbf"] == rules.numeric_date(datetime.fromisoformat(credential["validFrom"]))
    assert {name: claims[name] for name in credential} == credential
    validate_ob(
        {
            name: value
            for name, value in claims.items()
            if name not in {"iss", "jti", "sub", "nbf", "exp"}
        }
    )

    tampered = token.rsplit(".", 1)[0] + "." + token.rsplit(".", 1)[1][::-1]
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(tampered, key=key.key, algorithms=["RS256"])


def test_the_key_is_made_once_in_the_instance_folder(app, holder):
    with app.app_context():
        first = keys.thumbprint()
        path = keys.key_path(app.instance_path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        keys._loaded.clear()
        assert keys.thumbprint() == first  # read back, not made anew


def test_a_revoked_certificate_gets_no_credential_and_is_on_the_revocation_list(
    app, client, holder
):
    revoked_id, _ = certificate_of(app, holder, revoked=True)
    valid_id, _ = certificate_of(app, holder)
    holder_client = login_client(app, "lea.lernend@example.org")
    assert holder_client.get(f"/zertifizierung/zertifikat/{revoked_id}.jwt").status_code == 410
    assert holder_client.get(f"/zertifizierung/zertifikat/{revoked_id}.json").status_code == 410

    token = client.get("/credentials/status/revocation").get_data(as_text=True)
    published = client.get("/.well-known/jwks.json").get_json()
    key = pyjwt.PyJWKSet.from_dict(published)[pyjwt.get_unverified_header(token)["kid"]]
    status_list = pyjwt.decode(token, key=key.key, algorithms=["RS256"])
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    bits = rules.decode_status_list(status_list["credentialSubject"]["encodedList"])
    assert bits[revoked_id // 8] & (0x80 >> (revoked_id % 8))
    assert not bits[valid_id // 8] & (0x80 >> (valid_id % 8))


def test_issuer_and_achievement_are_served_at_their_ids(app, client, holder):
    issuer = client.get("/credentials/issuer")
    assert issuer.status_code == 200
    assert issuer.get_json(force=True)["id"] == f"{BASE_URL}/credentials/issuer"
    achievement = client.get("/credentials/achievements/ki-champion").get_json(force=True)
    assert achievement["id"] == f"{BASE_URL}/credentials/achievements/ki-champion"
    assert achievement["type"] == ["Achievement"]
    assert client.get("/credentials/achievements/other").status_code == 404
    assert client.get("/credentials/keys/not-the-key").status_code == 404


def test_the_downloads_include_links_the_files_and_the_verification_page(app, holder):
    certificate_id, code = certificate_of(app, holder)
    revoked_id, _ = certificate_of(app, holder, revoked=True)
    # As the candidate page uses it: inside an imported macro, without the page's context.
    source = (
        '{% macro listing(certificate) %}{% include "credentials/downloads.html" %}{% endmacro %}'
        "{{ listing(certificate) }}"
    )

    def render(email: str, certificate_id: int) -> str:
        with app.test_request_context():
            login_user(db.session.scalar(sa.select(Person).where(Person.email == email)))
            return render_template_string(
                source, certificate=db.session.get(Certificate, certificate_id)
            )

    html = render("lea.lernend@example.org", certificate_id)
    assert f"/zertifizierung/zertifikat/{certificate_id}.pdf" in html
    assert f"/zertifizierung/zertifikat/{certificate_id}.jwt" in html
    assert f"/zertifizierung/zertifikat/{certificate_id}.json" in html
    assert f"{BASE_URL}/verify/{code}" in html
    for_hr = render("hr@example.org", certificate_id)
    assert ".pdf" in for_hr and ".jwt" not in for_hr and "/verify/" not in for_hr
    revoked = render("lea.lernend@example.org", revoked_id)
    assert ".pdf" in revoked and ".jwt" not in revoked and "/verify/" in revoked
    assert "<a" not in render("anna@example.org", certificate_id)  # nothing for anyone else
