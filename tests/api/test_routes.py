"""The API's endpoints: tokens, scopes, people (read and write through the import's checks),
training records, competence under the privacy minimum, problems for every refusal."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lernpfad.api.models import ApiToken
from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person
from lernpfad.certification.models import Certificate
from lernpfad.content.models import ModuleVersion
from lernpfad.extensions import db
from lernpfad.modules.models import ModuleProgress
from tests.api.conftest import bearer
from tests.helpers import make_person
from tests.reports.test_pages import assess

PROBLEM = "application/problem+json"


def problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    document = response.get_json(force=True)
    assert document["status"] == status
    assert document["type"].endswith("/" + kind), document
    assert document["detail"] and document["detail_de"] and document["detail_en"]
    return document


def audit_rows(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


def people_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Person.id)))


# --- authentication ---------------------------------------------------------------------------


def test_without_a_token_the_api_answers_401_not_the_login_page(client, people):
    response = client.get("/api/v1/people")
    document = problem(response, 401, "token_missing")
    assert "Authorization" in document["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "header",
    ["Bearer lp_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer", "Bearer a b"],
)
def test_a_wrong_or_malformed_token_is_401(client, people, header):
    problem(client.get("/api/v1/people", headers={"Authorization": header}), 401, "token_invalid")


def test_an_expired_token_is_401(app, client, token):
    with app.app_context():
        row = db.session.scalar(sa.select(ApiToken))
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    problem(client.get("/api/v1/people", headers=bearer(token)), 401, "token_expired")


def test_a_revoked_token_is_401_at_once(app, client, token, people):
    from lernpfad.api import tokens

    assert client.get("/api/v1/people", headers=bearer(token)).status_code == 200
    with app.app_context():
        row = db.session.scalar(sa.select(ApiToken))
        tokens.revoke_token(row.id, actor=db.session.get(Person, people["admin"]))
        db.session.commit()
    problem(client.get("/api/v1/people", headers=bearer(token)), 401, "token_revoked")


@pytest.mark.parametrize("name", ["token", "access_token", "api_key"])
def test_a_token_in_the_query_string_is_refused_even_with_a_header(client, token, name):
    response = client.get(f"/api/v1/people?{name}={token}", headers=bearer(token))
    document = problem(response, 400, "token_in_query")
    assert "Authorization" in document["detail"]
    assert token not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("scopes", "method", "url"),
    [
        (["records:read"], "GET", "/api/v1/people"),
        (["people:read"], "GET", "/api/v1/training-records/completions"),
        (["people:read"], "GET", "/api/v1/competence"),
        (["reports:read"], "GET", "/api/v1/departments"),
        (["people:read"], "POST", "/api/v1/people"),
        (["people:read", "records:read"], "PATCH", "/api/v1/people/1"),
    ],
)
def test_a_token_without_the_scope_is_403_and_changes_nothing(
    app, client, make_token, scopes, method, url
):
    before = people_count(app)
    response = client.open(
        url,
        method=method,
        headers=bearer(make_token(scopes=scopes)),
        json={"name": "Neu", "email": "neu@example.org"} if method == "POST" else {"name": "X"},
    )
    problem(response, 403, "scope_missing")
    assert people_count(app) == before
    with app.app_context():
        assert db.session.get(Person, 1).name != "X"


def test_the_api_sets_no_session_cookie_even_for_a_logged_in_browser(app, token, people):
    from tests.helpers import login_client

    browser = login_client(app, "hr@example.org")
    response = browser.get("/api/v1/people")  # the session cookie alone opens nothing
    problem(response, 401, "token_missing")
    response = browser.get("/api/v1/people", headers=bearer(token))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


# --- errors ----------------------------------------------------------------------------------


def test_unknown_address_and_method_are_problems(client, token):
    problem(client.get("/api/v1/gibt-es-nicht", headers=bearer(token)), 404, "not_found")
    response = client.delete("/api/v1/people", headers=bearer(token))
    problem(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]
    problem(client.get("/api/v1/people/999999", headers=bearer(token)), 404, "person_not_found")


def test_german_by_default_english_on_request(client, token):
    german = client.get("/api/v1/people/999999", headers=bearer(token))
    english = client.get(
        "/api/v1/people/999999", headers=bearer(token, **{"Accept-Language": "en"})
    )
    assert german.headers["Content-Language"] == "de"
    assert english.headers["Content-Language"] == "en"
    assert german.get_json(force=True)["detail"] == german.get_json(force=True)["detail_de"]
    assert english.get_json(force=True)["detail"] == english.get_json(force=True)["detail_en"]
    assert (
        english.get_json(force=True)["title"] == "Not found"
        or english.get_json(force=True)["title"] == german.get_json(force=True)["title"]
    )  # until the catalogue has the new strings


def test_an_untrusted_host_gets_a_problem_too(client, token):
    response = client.get("/api/v1/people", headers=bearer(token), base_url="http://evil.example")
    problem(response, 400, "bad_request")


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "Neu", "email": ',
        "[" * 100_000 + "]" * 100_000,
        b'{"name": "\xff"}',
        '{"name": "Neu", "email": "neu@example.org", "department": ' + "9" * 5000 + "}",
    ],
)
def test_malformed_json_is_400(app, client, token, body):
    before = people_count(app)
    response = client.post(
        "/api/v1/people", data=body, headers=bearer(token), content_type="application/json"
    )
    problem(response, 400, "malformed_json")
    assert people_count(app) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Neu", "email": "neu@example.org", "gehalt": 1}, "gehalt"),  # unknown field
        ({"name": 5, "email": "neu@example.org"}, "name"),
        ({"name": "Neu", "email": "neu@example.org", "roles": "champion"}, "roles"),
        ({"email": "neu@example.org"}, "name"),
        ({"name": None, "email": "neu@example.org"}, "name"),
        ({"name": "Neu", "email": "m\x00r@example.org"}, "email"),  # PostgreSQL stores no NUL
        ({"name": "Neu\udba4", "email": "neu@example.org"}, "name"),  # a lone surrogate
        ({"name": "Neu", "email": "neu@example.org", "roles": ["hr\x00"]}, "roles"),
        ([], "_schema"),
    ],
)
def test_wrong_types_and_unknown_fields_are_422_per_field(app, client, token, body, field):
    before = people_count(app)
    response = client.post("/api/v1/people", json=body, headers=bearer(token))
    document = problem(response, 422, "validation")
    assert field in document["errors"], document
    assert people_count(app) == before


def test_unknown_fields_in_an_update_are_refused_not_ignored(app, client, token, people):
    response = client.patch(
        f"/api/v1/people/{people['learner']}",
        json={"name": "Lea Neu", "email": "andere@example.org"},
        headers=bearer(token),
    )
    assert "email" in problem(response, 422, "validation")["errors"]
    with app.app_context():
        assert db.session.get(Person, people["learner"]).name == "Lea Lernend"


def test_a_huge_body_is_413(app_factory, people):
    app = app_factory(MAX_CONTENT_LENGTH=1000)
    with app.app_context():
        from lernpfad.api import tokens

        _token, clear = tokens.create_token(
            name="Gross", scopes=["people:write"], valid_days=1, actor=db.session.get(Person, 1)
        )
        db.session.commit()
    before = people_count(app)
    response = app.test_client().post(
        "/api/v1/people",
        data=json.dumps({"name": "x" * 5000, "email": "neu@example.org"}),
        headers=bearer(clear),
        content_type="application/json",
    )
    assert "1000" in problem(response, 413, "too_large")["detail"]
    assert people_count(app) == before


# --- people ------------------------------------------------------------------------------------


def test_people_are_read_page_by_page_with_a_signed_cursor(app, client, token, people):
    seen, cursor = [], None
    for _ in range(10):
        url = "/api/v1/people?limit=4" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=bearer(token)).get_json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(people.values())
    learner = next(
        p
        for p in client.get("/api/v1/people", headers=bearer(token)).get_json()["items"]
        if p["id"] == people["learner"]
    )
    assert learner["name"] == "Lea Lernend" and learner["department"]["name"] == "Vertrieb"
    assert learner["roles"] == ["learner"]
    assert "password_hash" not in learner and "session_token" not in learner


@pytest.mark.parametrize("how", ["edited", "other_listing", "other_filter", "garbage"])
def test_a_tampered_cursor_is_a_400_problem(client, token, people, how):
    page = client.get("/api/v1/people?limit=2", headers=bearer(token)).get_json()
    cursor = page["next_cursor"]
    body, signature = cursor.split(".")
    url = {
        "edited": f"/api/v1/people?limit=2&cursor={body[:-2]}AA.{signature}",
        "other_listing": f"/api/v1/training-records/completions?cursor={cursor}",
        "other_filter": f"/api/v1/people?cursor={cursor}&updated_since=2026-01-01T00:00:00Z",
        "garbage": "/api/v1/people?cursor=%00%ff",
    }[how]
    response = client.get(url, headers=bearer(token))
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM


@pytest.mark.parametrize(
    "since", ["gestern", "9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00", "2026-13-01"]
)
def test_an_impossible_updated_since_is_422(client, token, since):
    response = client.get(
        "/api/v1/people", query_string={"updated_since": since}, headers=bearer(token)
    )
    assert "updated_since" in problem(response, 422, "validation")["errors"]


def test_updated_since_lists_only_changed_people(app, client, token, people):
    later = datetime.now(UTC) + timedelta(seconds=1)
    with app.app_context():
        db.session.execute(
            sa.update(Person).values(updated_at=datetime.now(UTC) - timedelta(days=1))
        )
        db.session.commit()
        person = db.session.get(Person, people["champion"])
        person.job_function = "Vertriebsleitung"  # a tracked field: stamped at flush
        db.session.commit()
        lea = db.session.get(Person, people["learner"])
        lea.last_login_at = datetime.now(UTC)  # not a change the API reports
        db.session.commit()
    since = (later - timedelta(seconds=5)).isoformat().replace("+00:00", "Z")
    page = client.get(f"/api/v1/people?updated_since={since}", headers=bearer(token)).get_json()
    assert [p["id"] for p in page["items"]] == [people["champion"]]


def test_reading_people_is_audited_with_the_token_name(app, client, make_token, people):
    make_token(name="SAP SuccessFactors", scopes=["people:read"])  # an older one, same name
    token = make_token(name="SAP SuccessFactors", scopes=["people:read"])
    with app.app_context():
        token_id = db.session.scalar(sa.select(sa.func.max(ApiToken.id)))
    client.get("/api/v1/people", headers=bearer(token))
    client.get(f"/api/v1/people/{people['learner']}", headers=bearer(token))
    listed = audit_rows(app, "api.people_read")
    assert listed[-1].details["token"] == "SAP SuccessFactors"
    assert listed[-1].details["token_id"] == token_id  # names need not be unique
    assert listed[-1].details["people"] == sorted(people.values())
    single = audit_rows(app, "api.person_read")[-1]
    assert single.details["token"] == "SAP SuccessFactors"
    assert single.details["token_id"] == token_id
    assert single.subject_id == people["learner"] and single.actor_id is None


def test_departments_are_listed(client, token, people):
    items = client.get("/api/v1/departments", headers=bearer(token)).get_json()["items"]
    assert [(d["name"], d["active_people"]) for d in items] == [("Vertrieb", 6)]


def test_a_person_is_created_like_an_import_line(app, client, token):
    response = client.post(
        "/api/v1/people",
        json={
            "name": "Nora Neu",
            "email": "Nora.Neu@Example.org",
            "department": "Einkauf",
            "job_function": "Einkäuferin",
            "roles": ["champion"],
        },
        headers=bearer(token),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert created["email"] == "nora.neu@example.org"  # normalised as the import does
    assert created["department"]["name"] == "Einkauf"
    assert created["roles"] == ["champion", "learner"]
    granted = audit_rows(app, "role.granted")[-1]
    assert granted.details == {"role": "champion", "via": "api"}
    written = audit_rows(app, "api.person_written")[-1]
    assert written.details["token"] == "Personio" and written.subject_id == created["id"]
    again = client.post(
        "/api/v1/people",
        json={"name": "Nora", "email": "nora.neu@example.org"},
        headers=bearer(token),
    )
    assert str(created["id"]) in problem(again, 409, "person_exists")["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Neu", "email": "keine-adresse"}, "email"),
        ({"name": "", "email": "neu@example.org"}, "name"),
        ({"name": "Neu", "email": "neu@example.org", "roles": ["zauberer"]}, "roles"),
        ({"name": "Neu", "email": "neu@example.org", "roles": ["admin"]}, "roles"),
        ({"name": "Neu", "email": "neu@example.org", "roles": ["hr"]}, "roles"),
        ({"name": "N" * 201, "email": "neu@example.org"}, "name"),
        ({"name": "Neu\x00", "email": "neu@example.org"}, "name"),
        ({"name": "Neu", "email": "neu@example.org", "department": "D" * 121}, "department"),
    ],
)
def test_the_import_rules_refuse_a_bad_person(app, client, token, body, field):
    before = people_count(app)
    response = client.post("/api/v1/people", json=body, headers=bearer(token))
    document = problem(response, 422, "validation")
    assert field in document["errors"], document
    assert people_count(app) == before


def test_a_person_is_updated_like_an_import_line(app, client, token, people):
    url = f"/api/v1/people/{people['head']}"
    response = client.patch(
        url, json={"department": "Service", "roles": ["champion"]}, headers=bearer(token)
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    changed = response.get_json()
    assert changed["department"]["name"] == "Service"
    assert changed["roles"] == ["champion", "learner"]  # the head's role went, as in the import
    assert changed["name"] == "Head"  # left out: unchanged
    updated = audit_rows(app, "person.updated")[-1]
    assert updated.details == {"fields": ["department_id"], "via": "api"}
    # HR and admin roles stay out of the API's reach, in both directions.
    response = client.patch(
        f"/api/v1/people/{people['hr']}", json={"roles": []}, headers=bearer(token)
    )
    assert response.status_code == 200
    assert "hr" in response.get_json()["roles"]
    problem(client.patch(url, json={"roles": ["admin"]}, headers=bearer(token)), 422, "validation")


def test_an_inactive_person_is_not_changed(app, client, token, people):
    with app.app_context():
        db.session.get(Person, people["learner"]).active = False
        db.session.commit()
    response = client.patch(
        f"/api/v1/people/{people['learner']}", json={"name": "Neu"}, headers=bearer(token)
    )
    problem(response, 409, "person_inactive")
    with app.app_context():
        assert db.session.get(Person, people["learner"]).name == "Lea Lernend"


# --- training records ----------------------------------------------------------------------------


@pytest.fixture
def records(app, people, content):
    with app.app_context():
        version = db.session.scalar(sa.select(ModuleVersion).where(ModuleVersion.module_id == "g1"))
        now = datetime.now(UTC)
        db.session.add(
            ModuleProgress(
                person_id=people["learner"],
                module_id="g1",
                version_id=version.id,
                state="abgeschlossen",
                completed_at=now - timedelta(days=3),
            )
        )
        db.session.add(
            Certificate(
                person_id=people["champion"],
                code="C-1",
                title="KI-Champion",
                issued_at=now - timedelta(days=10),
                valid_from=now - timedelta(days=10),
                valid_until=now + timedelta(days=355),
            )
        )
        db.session.commit()
        return version.content_hash[:12]


def test_training_records_with_content_versions_and_certificates(
    app, client, token, people, records
):
    completions = client.get(
        "/api/v1/training-records/completions", headers=bearer(token)
    ).get_json()
    assert [
        (c["person_id"], c["module_id"], c["content_version"]) for c in completions["items"]
    ] == [(people["learner"], "g1", records)]
    certificates = client.get(
        "/api/v1/training-records/certificates", headers=bearer(token)
    ).get_json()
    assert [(c["person_id"], c["status"]) for c in certificates["items"]] == [
        (people["champion"], "valid")
    ]
    since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    recent = client.get(
        "/api/v1/training-records/completions",
        query_string={"updated_since": since},
        headers=bearer(token),
    ).get_json()
    assert recent["items"] == []
    record = client.get(
        f"/api/v1/people/{people['learner']}/training-record", headers=bearer(token)
    )
    completed = record.get_json()["completions"]
    assert [(c["module_id"], c["content_version"]) for c in completed] == [("g1", records)]
    assert record.get_json()["certificates"] == []
    champion = client.get(
        f"/api/v1/people/{people['champion']}/training-record", headers=bearer(token)
    ).get_json()
    assert [(c["code"], c["status"]) for c in champion["certificates"]] == [("C-1", "valid")]
    viewed = audit_rows(app, "training_record.viewed")
    assert [v.subject_id for v in viewed] == [people["learner"], people["champion"]]
    assert viewed[0].details == {"token": "Personio", "token_id": 1, "via": "api", "levels": False}
    read = audit_rows(app, "api.records_read")
    assert {r.details["kind"] for r in read} == {"completions", "certificates"}


# --- competence ------------------------------------------------------------------------------


@pytest.fixture
def company(app, people, content):
    """As on the report pages' test: Vertrieb 6 assessed, Einkauf 2 (too few), Service 5
    (withheld, or Einkauf could be worked out from the company's total)."""
    with app.app_context():
        for n, level in enumerate([1, 1, 1, 3, 3, 3]):
            assess(make_person(f"v{n}@example.org", name=f"Verkauf {n}"), level)
        for n in range(2):
            assess(make_person(f"e{n}@example.org", department_name="Einkauf"), 4)
        for n in range(5):
            assess(make_person(f"s{n}@example.org", department_name="Service"), 2)
        db.session.commit()
        return dict(db.session.execute(sa.text("SELECT name, id FROM departments")).all())


def test_competence_is_withheld_exactly_as_on_the_report_page(app, client, token, company):
    from tests.helpers import login_client

    whole = client.get("/api/v1/competence", headers=bearer(token)).get_json()
    assert whole["status"] == "shown" and whole["competence"]["n"] == 13
    by_name = {d["name"]: d for d in whole["departments"]}
    assert by_name["Vertrieb"]["status"] == "shown" and by_name["Vertrieb"]["means"]
    assert by_name["Einkauf"] == {**by_name["Einkauf"], "status": "too_few", "means": None}
    assert by_name["Service"] == {**by_name["Service"], "status": "withheld", "means": None}
    hr = login_client(app, "hr@example.org")
    for name, status, page_says in [
        ("Einkauf", "too_few", "aus Datenschutzgründen keine Auswertung"),
        ("Service", "withheld", "Ausgeblendet: Zusammen mit den anderen Zahlen"),
    ]:
        one = client.get(
            f"/api/v1/competence?department_id={company[name]}", headers=bearer(token)
        ).get_json()
        assert one["status"] == status and one["competence"] is None
        assert "4" not in json.dumps(one["departments"])  # no level of the small group leaks
        page = hr.get(f"/berichte/?abteilung={company[name]}").get_data(as_text=True)
        assert page_says in page
    vertrieb = client.get(
        f"/api/v1/competence?department_id={company['Vertrieb']}", headers=bearer(token)
    ).get_json()
    assert vertrieb["competence"]["means"]["grundlagen"] == 2.0
    problem(
        client.get("/api/v1/competence?department_id=999999", headers=bearer(token)),
        404,
        "department_not_found",
    )


# --- rate limit -------------------------------------------------------------------------------


def test_the_rate_limit_answers_429_with_retry_after(app_factory, people, monkeypatch):
    from lernpfad.api import routes, tokens

    app = app_factory(API_RATE_LIMIT_PER_MINUTE=3)
    with app.app_context():
        admin = db.session.get(Person, people["admin"])
        _token, clear = tokens.create_token(
            name="Eilig", scopes=["people:read"], valid_days=1, actor=admin
        )
        _other, other_clear = tokens.create_token(
            name="Andere", scopes=["people:read"], valid_days=1, actor=admin
        )
        db.session.commit()
    moment = datetime.now(UTC).replace(second=15)
    monkeypatch.setattr(routes, "utcnow", lambda: moment)
    client = app.test_client()
    statuses = [
        client.get("/api/v1/departments", headers=bearer(clear)).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 200]
    limited = client.get("/api/v1/departments", headers=bearer(clear))
    document = problem(limited, 429, "rate_limited")
    assert limited.headers["Retry-After"] == "45"
    assert "3" in document["detail"] and "45" in document["detail"]
    # per token: another token is not held up; the next minute opens a new window
    assert client.get("/api/v1/departments", headers=bearer(other_clear)).status_code == 200
    moment += timedelta(minutes=1)
    assert client.get("/api/v1/departments", headers=bearer(clear)).status_code == 200


def test_a_body_that_is_not_json_is_415(app, client, token):
    before = people_count(app)
    response = client.post(
        "/api/v1/people", data="name=Neu&email=neu@example.org", headers=bearer(token)
    )
    problem(response, 415, "unsupported_media_type")
    assert people_count(app) == before


def test_a_parallel_create_of_the_same_address_is_a_409_not_a_500(
    app, client, token, people, monkeypatch
):
    from lernpfad.people import services as people_services

    # As if a second worker checked the line before the first one's person was committed.
    real, calls = people_services.current_people, []

    def stale_once(emails=None):
        calls.append(emails)
        return {} if len(calls) == 1 else real(emails)

    monkeypatch.setattr(people_services, "current_people", stale_once)
    response = client.post(
        "/api/v1/people",
        json={"name": "Lea", "email": "learner@example.org"},
        headers=bearer(token),
    )
    monkeypatch.undo()
    assert str(people["learner"]) in problem(response, 409, "person_exists")["detail"]
    with app.app_context():
        assert db.session.get(Person, people["learner"]).name == "Lea Lernend"


def test_the_audit_page_names_the_token_as_the_actor(app, client, make_token, people):
    from tests.helpers import login_client

    token = make_token(name="Personio Sync", scopes=["people:read"])
    client.get(f"/api/v1/people/{people['learner']}", headers=bearer(token))
    page = login_client(app, "hr@example.org").get("/protokoll/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "API-Token „Personio Sync“" in html
    assert "Angaben zur Person über die API abgerufen" in html


@pytest.mark.parametrize(
    ("change", "stamped"),
    [
        ("role", True),
        ("department", True),
        ("deactivate", True),
        ("login", False),
        ("session", False),
    ],
)
def test_what_counts_as_a_change_of_a_person(app, people, change, stamped):
    from lernpfad.auth.models import Role
    from lernpfad.people.services import deactivate, set_roles
    from tests.helpers import department

    old = datetime.now(UTC) - timedelta(days=1)
    with app.app_context():
        db.session.execute(sa.update(Person).values(updated_at=old))
        db.session.commit()
        person = db.session.get(Person, people["learner"])
        if change == "role":
            set_roles(person, {Role.CHAMPION}, actor=None, via="cli")
        elif change == "department":
            person.department = department("Einkauf")
        elif change == "deactivate":
            deactivate(person)
        elif change == "login":
            person.last_login_at = datetime.now(UTC)
        else:
            person.end_all_sessions()
        db.session.commit()
        assert (db.session.get(Person, people["learner"]).updated_at > old) is stamped
        assert db.session.get(Person, people["hr"]).updated_at == old  # nobody else
