"""SSO end to end against the real provider (tests/sso/oidc), with the Flask test client as the
browser at the app and requests as the browser at the provider."""

import socket
import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.sso import provider as provider_cache
from lernpfad.sso import services
from lernpfad.sso.models import SsoIdentity
from tests.helpers import make_person
from tests.mail import free_port
from tests.sso.conftest import CALLBACK, sign_in_at_provider

BACK = "http://localhost" + CALLBACK


@pytest.fixture
def sso_app(app_factory, provider):
    return app_factory(BASE_URL="http://localhost", **provider.config())


@pytest.fixture
def anna(sso_app):
    with sso_app.app_context():
        person = make_person("anna@muster.example", name="Anna Berger")
        db.session.commit()
        return person.id


def start(client, **query) -> str:
    response = client.get("/anmelden/firmenkonto", query_string=query)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def answer_for(client, login: str) -> str:
    """The provider's answer (the callback URL with code and state) for ``login``."""
    return sign_in_at_provider(requests.Session(), start(client), login, BACK)


def sso_login(client, login: str):
    return client.get(answer_for(client, login))


def audit_actions(app) -> list[tuple[str, dict]]:
    with app.app_context():
        return [
            (event.action, event.details)
            for event in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))
        ]


def people_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Person))


def test_login_page_shows_the_button_only_when_configured(app_factory, provider):
    plain = app_factory().test_client().get("/anmelden").get_data(as_text=True)
    assert "Mit Firmenkonto anmelden" not in plain
    configured = app_factory(**provider.config()).test_client().get("/anmelden")
    assert "Mit Firmenkonto anmelden" in configured.get_data(as_text=True)


def test_the_authorisation_request_uses_pkce_state_nonce_and_base_url(app_factory, provider):
    # The request comes for another allowed host: the redirect URI still names BASE_URL.
    app = app_factory(
        BASE_URL="https://lernpfad.example", ALLOWED_HOSTS="localhost", **provider.config()
    )
    query = parse_qs(urlsplit(start(app.test_client())).query)
    assert query["redirect_uri"] == ["https://lernpfad.example" + CALLBACK]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["response_type"] == ["code"] and "openid" in query["scope"][0].split()
    assert len(query["state"][0]) >= 20 and len(query["nonce"][0]) >= 20


def test_a_verified_address_signs_in_the_matching_person_and_binds_the_identity(sso_app, anna):
    client = sso_app.test_client()
    response = sso_login(client, "anna")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Guten Tag, Anna Berger" in client.get("/").get_data(as_text=True)
    assert "lernpfad_geraet" in response.headers.get("Set-Cookie", "")
    with sso_app.app_context():
        identity = db.session.scalar(sa.select(SsoIdentity))
        assert (identity.person_id, identity.subject) == (anna, "anna")
        assert db.session.get(Person, anna).last_login_at is not None
    assert ("auth.sso_login", {"bound": True}) in audit_actions(sso_app)
    # The second time the bound identity finds the person.
    second = sso_app.test_client()
    assert sso_login(second, "anna").status_code == 302
    assert audit_actions(sso_app)[-1] == ("auth.sso_login", {"bound": False})


def test_a_local_next_page_is_followed(sso_app, anna):
    client = sso_app.test_client()
    answer = sign_in_at_provider(requests.Session(), start(client, next="/passwort"), "anna", BACK)
    assert client.get(answer).headers["Location"] == "/passwort"
    for elsewhere in ("//evil.example/", "/\t/evil.example", "/\r\nX-Evil: 1"):  # a tab, a 500
        client = sso_app.test_client()
        answer = sign_in_at_provider(
            requests.Session(), start(client, next=elsewhere), "anna", BACK
        )
        assert client.get(answer).headers["Location"] == "/"


def test_logout_ends_the_session_and_the_providers(sso_app, anna):
    client = sso_app.test_client()
    sso_login(client, "anna")
    response = client.post("/abmelden")
    location = response.headers["Location"]
    assert location.startswith(sso_app.config["OIDC_ISSUER"] + "/session/end?")
    query = parse_qs(urlsplit(location).query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/anmelden"]
    assert client.get("/").status_code == 302  # signed out here


# --- abuse and bad input: a clear German page, nothing changes ------------------------------


def test_a_replayed_answer_is_refused(sso_app, anna):
    client = sso_app.test_client()
    answer = answer_for(client, "anna")
    assert client.get(answer).status_code == 302
    before = audit_actions(sso_app)
    for replay in (client, sso_app.test_client()):  # the same browser, or someone else's
        response = replay.get(answer)
        assert response.status_code == 400
        assert "bereits verwendet" in response.get_data(as_text=True)
    assert audit_actions(sso_app) == before


def test_a_forged_state_is_refused_and_signs_in_nobody(sso_app, anna):
    client = sso_app.test_client()
    answer = answer_for(client, "anna")
    forged = answer.replace("state=", "state=x")
    response = client.get(forged)
    assert response.status_code == 400
    assert "Diese Anmeldung ist ungültig" in response.get_data(as_text=True)
    assert client.get(answer).status_code == 400  # the started login is used up
    assert client.get("/").status_code == 302
    with sso_app.app_context():
        assert db.session.scalar(sa.select(SsoIdentity)) is None


def test_an_answer_without_any_started_login_is_refused(sso_app):
    response = sso_app.test_client().get(CALLBACK + "?code=abc&state=xyz")
    assert response.status_code == 400
    assert "Bitte starten Sie die Anmeldung mit dem Firmenkonto erneut." in response.get_data(
        as_text=True
    )


def test_an_error_from_the_provider_is_refused(sso_app, anna):
    client = sso_app.test_client()
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = client.get(CALLBACK, query_string={"error": "access_denied", "state": state})
    assert response.status_code == 403
    assert "abgebrochen oder abgelehnt" in response.get_data(as_text=True)
    assert audit_actions(sso_app)[-1] == ("auth.sso_refused", {"refusal": "provider_error"})
    assert client.get("/").status_code == 302


def test_a_missing_code_is_refused(sso_app, anna):
    client = sso_app.test_client()
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = client.get(CALLBACK, query_string={"state": state})
    assert response.status_code == 400
    assert "unvollständig" in response.get_data(as_text=True)


def test_a_forged_code_is_refused_by_the_provider(sso_app, anna):
    client = sso_app.test_client()
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = client.get(CALLBACK, query_string={"state": state, "code": "erfunden"})
    assert response.status_code == 400
    assert "nicht bestätigt" in response.get_data(as_text=True)
    with sso_app.app_context():
        assert db.session.scalar(sa.select(SsoIdentity)) is None


def test_an_unverified_address_is_refused(sso_app, anna):
    client = sso_app.test_client()
    response = sso_login(client, "unverified")
    assert response.status_code == 403
    assert "keine bestätigte E-Mail-Adresse" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert audit_actions(sso_app)[-1] == ("auth.sso_refused", {"refusal": "unverified_email"})
    with sso_app.app_context():
        assert db.session.scalar(sa.select(SsoIdentity)) is None


def test_an_unknown_address_gets_no_account_unless_configured(app_factory, provider):
    app = app_factory(BASE_URL="http://localhost", **provider.config())
    response = sso_login(app.test_client(), "neu")
    assert response.status_code == 403
    assert "kein Konto" in response.get_data(as_text=True)
    assert people_count(app) == 0


def test_account_creation_puts_a_learner_into_the_named_department(app_factory, provider):
    app = app_factory(BASE_URL="http://localhost", **provider.config(OIDC_CREATE_ACCOUNTS=True))
    with app.app_context():
        make_person("hr@muster.example", department_name="Vertrieb")  # the department exists
        db.session.commit()
    client = app.test_client()
    assert sso_login(client, "neu").status_code == 302
    with app.app_context():
        person = db.session.scalar(
            sa.select(Person).where(Person.email == "neu.sso@muster.example")
        )
        assert person.name == "Nora Neu" and person.roles == {Role.LEARNER}
        assert person.department.name == "Vertrieb" and person.password_hash is None
    assert ("auth.sso_account_created", {"department": "Vertrieb"}) in audit_actions(app)


def test_account_creation_with_an_unknown_department_leaves_it_empty(app_factory, provider):
    app = app_factory(
        BASE_URL="http://localhost",
        **provider.config(OIDC_CREATE_ACCOUNTS=True, OIDC_DEPARTMENT_CLAIM="department"),
    )
    assert sso_login(app.test_client(), "neu").status_code == 302  # no department "Vertrieb"
    with app.app_context():
        person = db.session.scalar(
            sa.select(Person).where(Person.email == "neu.sso@muster.example")
        )
        assert person.department is None
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1


def test_a_deactivated_person_is_refused(sso_app, anna):
    from lernpfad.people.services import deactivate

    sso_login(sso_app.test_client(), "anna")  # bound
    with sso_app.app_context():
        deactivate(db.session.get(Person, anna))
        db.session.commit()
    client = sso_app.test_client()
    response = sso_login(client, "anna")
    assert response.status_code == 403
    assert "deaktiviert" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_an_anonymised_person_is_refused_and_their_identity_forgotten(sso_app, anna):
    from lernpfad.people.services import anonymise, deactivate

    sso_login(sso_app.test_client(), "anna")
    with sso_app.app_context():
        admin = make_person("admin@muster.example", roles={Role.ADMIN})
        person = db.session.get(Person, anna)
        deactivate(person)
        anonymise(person, admin)
        db.session.commit()
        assert db.session.scalar(sa.select(SsoIdentity)) is None
    response = sso_login(sso_app.test_client(), "anna")
    assert response.status_code == 403
    assert "kein Konto" in response.get_data(as_text=True)


def test_another_identity_with_the_same_address_cannot_take_over(sso_app, anna):
    sso_login(sso_app.test_client(), "anna")  # Anna's account is bound to the subject "anna"
    client = sso_app.test_client()
    response = sso_login(client, "zweitkonto")  # a second provider account with her address
    assert response.status_code == 403
    assert "bereits mit einem anderen Firmenkonto verbunden" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert audit_actions(sso_app)[-1] == ("auth.sso_refused", {"refusal": "other_identity"})


def test_without_configuration_the_routes_do_not_exist(app):
    assert app.test_client().get("/anmelden/firmenkonto").status_code == 404
    assert app.test_client().get(CALLBACK).status_code == 404


def test_a_wrong_nonce_from_the_provider_is_refused(sso_app, anna):
    client = sso_app.test_client()
    answer = answer_for(client, "anna")
    with client.session_transaction() as session:  # as if the token answered another login
        session["sso_pending"] = {**session["sso_pending"], "nonce": "eine-andere-nonce"}
    response = client.get(answer)
    assert response.status_code == 400
    assert "Anmeldebestätigung Ihres Firmenkontos ist ungültig" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert audit_actions(sso_app)[-1] == ("auth.sso_refused", {"refusal": "token"})
    with sso_app.app_context():
        assert db.session.scalar(sa.select(SsoIdentity)) is None


# --- a provider that is down, slow or not what it claims ------------------------------------

UNAVAILABLE = "Der Anmeldedienst Ihres Unternehmens ist gerade nicht erreichbar."


def test_a_provider_that_is_down_gives_a_clear_page(app_factory):
    app = app_factory(
        OIDC_ISSUER=f"http://127.0.0.1:{free_port()}",  # nothing listens
        OIDC_CLIENT_ID="lernpfad",
        OIDC_CLIENT_SECRET="s",
    )
    response = app.test_client().get("/anmelden/firmenkonto")
    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True)


def test_a_provider_that_does_not_answer_times_out(app_factory):
    with socket.socket() as listening:  # accepts connections, never answers
        listening.bind(("127.0.0.1", 0))
        listening.listen(8)
        app = app_factory(
            OIDC_ISSUER=f"http://127.0.0.1:{listening.getsockname()[1]}",
            OIDC_CLIENT_ID="lernpfad",
            OIDC_CLIENT_SECRET="s",
            OIDC_TIMEOUT_SECONDS=0.3,
        )
        response = app.test_client().get("/anmelden/firmenkonto")
    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True)


def test_discovery_naming_another_issuer_is_not_trusted(app_factory, provider):
    # The same provider under another name: its metadata names 127.0.0.1, not localhost.
    issuer = provider.issuer.replace("127.0.0.1", "localhost")
    app = app_factory(**provider.config(OIDC_ISSUER=issuer))
    assert app.test_client().get("/anmelden/firmenkonto").status_code == 503


def test_a_provider_gone_down_after_the_start_gives_a_clear_page(sso_app, anna):
    client = sso_app.test_client()
    answer = answer_for(client, "anna")
    sso_app.config["OIDC_TIMEOUT_SECONDS"] = 0.3
    provider_cache.forget_provider()
    with mock.patch.object(
        provider_cache.requests, "get", side_effect=requests.ConnectTimeout("x")
    ):
        response = client.get(answer)
    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_forms_may_lead_to_the_provider_for_its_logout(sso_app, anna):
    # Browsers apply form-action to a form's redirects: logging out goes on to the provider.
    policy = sso_app.test_client().get("/anmelden").headers["Content-Security-Policy"]
    assert f"form-action 'self' {sso_app.config['OIDC_ISSUER']};" in policy
    assert "default-src 'self'" in policy


def test_two_first_logins_at_the_same_moment_bind_once(sso_app, anna):
    sso_login(sso_app.test_client(), "anna")
    # The second request looked before the first had bound the identity.
    with mock.patch.object(services, "_bound_identity", return_value=None):
        response = sso_login(sso_app.test_client(), "anna")
    assert response.status_code == 409
    assert "gleichzeitig eine zweite Anmeldung" in response.get_data(as_text=True)
    with sso_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SsoIdentity)) == 1
    assert audit_actions(sso_app)[-1] == ("auth.sso_refused", {"refusal": "concurrent"})


def test_keys_rotated_at_the_provider_are_fetched_again(sso_app, anna):
    from joserfc.jwk import KeySet, RSAKey

    client = sso_app.test_client()
    answer = answer_for(client, "anna")
    with sso_app.app_context():
        jwks_uri = provider_cache.provider_metadata(sso_app.config)["jwks_uri"]
    old = KeySet([RSAKey.generate_key(2048, parameters={"kid": "old"}, private=False)])
    provider_cache._cache[("keys", jwks_uri)] = (time.monotonic(), old)  # cached before a rotation
    assert client.get(answer).status_code == 302
    assert provider_cache._cache[("keys", jwks_uri)][1] is not old


def test_an_answer_naming_another_issuer_is_refused(sso_app, anna):
    client = sso_app.test_client()
    answer = answer_for(client, "anna")
    assert "iss=" in answer  # oidc-provider names itself (RFC 9207)
    response = client.get(answer.replace("iss=", "iss=https%3A%2F%2Fevil.example&x="))
    assert response.status_code == 400
    assert client.get("/").status_code == 302
