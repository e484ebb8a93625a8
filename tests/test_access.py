"""Every route is closed to anonymous visitors unless it is on the explicit public list."""

import pytest

from tests.helpers import PASSWORD

PUBLIC_ENDPOINTS = {
    "static",
    "auth.login",
    "auth.request_reset",
    "auth.set_password",
    "core.health",
    "core.set_language",
    "notices.unsubscribe",  # the signed link in reminder mails: its token is the key
    # The certificate's public side (certification/credentials): the verification page and its
    # JSON, the published key, the issuer, the achievement and the revocation list.
    "credentials.verify",
    "credentials.verify_status",
    "credentials.jwks",
    "credentials.public_key",
    "credentials.issuer",
    "credentials.achievement",
    "credentials.status_list",
    # Sign-in with the company account (sso): the start, and the provider's way back.
    "sso.start",
    "sso.callback",
    # The JSON API's document and reference page describe the interface, no data; the API's
    # own views are token_only (a 401 problem without a bearer token, see below).
    "api_docs.openapi_json",
    "api_docs.reference",
}
DUMMY = {"integer": 1, "string": "x", "default": "x", "path": "x"}


def concrete_url(rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__.replace("Bounded", "").replace("Converter", "").lower()
        values[name] = DUMMY.get(kind, "x")
    return rule.build(values)[1]


def closed_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        yield rule


def test_public_list_is_exactly_what_the_views_declare(app):
    from lernpfad.access import is_public

    with app.test_request_context():
        declared = {rule.endpoint for rule in app.url_map.iter_rules() if is_public(rule.endpoint)}
    assert declared == PUBLIC_ENDPOINTS


def test_anonymous_access_to_every_non_public_route_is_refused(app, client):
    checked = 0
    for rule in closed_rules(app):
        url = concrete_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code in (302, 401), (method, url, response.status_code)
            if response.status_code == 302:
                assert "/anmelden" in response.headers["Location"], (method, url)
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    ("email", "url", "status"),
    [
        ("learner@example.org", "/personen/", 403),
        ("champion@example.org", "/personen/", 403),
        ("head@example.org", "/personen/neu", 403),
        ("gf@example.org", "/personen/", 403),
        ("hr@example.org", "/personen/", 200),
        ("admin@example.org", "/personen/neu", 200),
    ],
)
def test_roles_decide_who_opens_staff_administration(client, people, email, url, status):
    client.post("/anmelden", data={"email": email, "password": PASSWORD})
    assert client.get(url).status_code == status
