"""The OpenAPI document: generated from the code, valid 3.1, and the API keeps to it for
generated requests (Schemathesis on the WSGI app, with a token carrying every scope)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode, checks

from lernpfad.api import rules
from tests.api.conftest import bearer

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
OPERATIONS = {
    ("get", "/api/v1/people"),
    ("post", "/api/v1/people"),
    ("get", "/api/v1/people/{person_id}"),
    ("patch", "/api/v1/people/{person_id}"),
    ("get", "/api/v1/departments"),
    ("get", "/api/v1/people/{person_id}/training-record"),
    ("get", "/api/v1/training-records/completions"),
    ("get", "/api/v1/training-records/certificates"),
    ("get", "/api/v1/competence"),
}


def test_the_document_is_openapi_3_1_and_lists_every_operation(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    found = {
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert found == OPERATIONS
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    problem = document["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(problem) == ["application/problem+json"]
    for scope in rules.SCOPES:
        assert scope in document["info"]["description"]


def test_every_api_view_needs_a_token_and_a_scope(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            view = app.view_functions[rule.endpoint]
            assert view.lernpfad_token_only and view.lernpfad_scope in rules.SCOPES, rule


@pytest.fixture
def api_app(app_factory, people, content):
    return app_factory(API_RATE_LIMIT_PER_MINUTE=1_000_000)


@pytest.fixture
def full_token(api_app, make_token):
    return make_token()


SETTINGS = settings(
    max_examples=15,
    derandomize=True,  # the same examples every run
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def test_the_api_keeps_to_its_document(api_app, full_token):
    """Generated requests, valid and invalid ones, never get a 5xx, and every answer matches
    the document: status, content type, body and headers — every operation, on one app (its
    set-up costs more than the examples). More examples: `make test-slow`."""
    for method, path in sorted(OPERATIONS):
        for mode in GenerationMode:
            run_operation(api_app, full_token, method, path, SETTINGS, mode)


def run_operation(app, token, method, path, hypothesis_settings, mode=GenerationMode.POSITIVE):
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method.upper()]

    @given(case=operation.as_strategy(mode))
    @hypothesis_settings
    def call(case):
        case.call_and_validate(headers=bearer(token), checks=CHECKS)

    call()


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(GenerationMode))
@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS))
def test_the_api_keeps_to_its_document_at_length(api_app, full_token, method, path, mode):
    longer = settings(SETTINGS, max_examples=200, derandomize=False)
    run_operation(api_app, full_token, method, path, longer, mode)


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Bearer lp_falsch"}, 401), ("limited", 429), ("scope", 403)],
)
def test_refusals_keep_to_the_document_too(app_factory, people, make_token, headers, status):
    """401, 403 and 429 with their documented headers (WWW-Authenticate, Retry-After)."""
    app = app_factory(API_RATE_LIMIT_PER_MINUTE=1)
    if headers == "limited":
        headers = bearer(make_token())
        app.test_client().get("/api/v1/departments", headers=headers)
    elif headers == "scope":
        headers = bearer(make_token(scopes=["reports:read"]))
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)["/api/v1/departments"][
        "GET"
    ]
    response = operation.Case().call_and_validate(headers=headers, checks=CHECKS)
    assert response.status_code == status
