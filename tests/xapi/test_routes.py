"""Who may export whose statements (a learner their own, HR one person or the company, nobody
else), the audit entries, and the outbox page of the operations area."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.people.services import anonymise, deactivate
from lernpfad.xapi import services
from lernpfad.xapi.models import XapiActor, XapiStatement
from tests.helpers import login_client
from tests.xapi.conftest import HISTORY_STATEMENTS, add_history, person

EMAILS = {
    "learner": "learner@example.org",
    "champion": "champion@example.org",
    "head": "head@example.org",
    "leadership": "gf@example.org",
    "hr": "hr@example.org",
    "admin": "admin@example.org",
}


@pytest.fixture
def two_histories(app, history, people):
    """The learner's history and the champion's."""
    with app.app_context():
        add_history(people["champion"])
        db.session.commit()
    return people


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def pseudonym(person_id: int) -> str:
    return db.session.scalar(sa.select(XapiActor.name).where(XapiActor.person_id == person_id))


def test_a_learner_downloads_their_own_statements_only(app, two_histories):
    client = login_client(app, EMAILS["learner"])
    response = client.get("/meine-daten/lernaktivitaeten.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    statements = response.get_json()
    assert len(statements) == HISTORY_STATEMENTS
    with app.app_context():
        assert {s["actor"]["account"]["name"] for s in statements} == {
            pseudonym(two_histories["learner"])
        }
        [event] = audit("xapi.self_export")
        assert event.actor_id == event.subject_id == two_histories["learner"]
        assert event.details["rows"] == HISTORY_STATEMENTS
    # "Meine Daten" names the pseudonym, too: it is data about the person.
    data = client.get("/meine-daten/export.json").get_json()
    assert data["xapi_pseudonym"] == statements[0]["actor"]["account"]["name"]


def test_only_hr_exports_a_persons_or_the_companys_statements(app, two_histories):
    learner = two_histories["learner"]
    refusers = ("learner", "champion", "head", "leadership", "admin")
    for role in refusers:
        client = login_client(app, EMAILS[role])
        assert client.get(f"/personen/{learner}/lernaktivitaeten.json").status_code == 403, role
        assert client.get("/berichte/lernaktivitaeten.json").status_code == 403, role
    with app.app_context():
        refused = audit("access.denied")
        assert [(e.actor_id, e.subject_id) for e in refused] == [
            pair
            for role in refusers
            for pair in ((two_histories[role], learner), (two_histories[role], None))
        ]
        assert audit("xapi.person_export") == audit("xapi.company_export") == []


def test_hr_exports_one_person_and_the_person_sees_it(app, two_histories):
    client = login_client(app, EMAILS["hr"])
    learner = two_histories["learner"]
    response = client.get(f"/personen/{learner}/lernaktivitaeten.json")
    assert response.status_code == 200
    statements = response.get_json()
    with app.app_context():
        assert {s["actor"]["account"]["name"] for s in statements} == {pseudonym(learner)}
        [event] = audit("xapi.person_export")
        assert (event.actor_id, event.subject_id) == (two_histories["hr"], learner)
    page = login_client(app, EMAILS["learner"]).get("/meine-daten/")
    assert "Lernaktivitäten einer Person exportiert (xAPI)" in page.get_data(as_text=True)


def test_hr_gets_a_clear_answer_for_unknown_and_anonymised_people(app, two_histories):
    client = login_client(app, EMAILS["hr"])
    response = client.get("/personen/999999/lernaktivitaeten.json")
    assert response.status_code == 404
    assert "Personenliste" in response.get_data(as_text=True)
    with app.app_context():
        hr = person(two_histories["hr"])
        deactivate(person(two_histories["champion"]), hr)
        anonymise(person(two_histories["champion"]), hr)
        db.session.commit()
    response = client.get(f"/personen/{two_histories['champion']}/lernaktivitaeten.json")
    assert response.status_code == 410
    assert "anonymisiert" in response.get_data(as_text=True)
    with app.app_context():
        assert audit("xapi.person_export") == []


def test_hr_exports_the_company_streamed_without_anonymised_people(app, two_histories):
    client = login_client(app, EMAILS["hr"])
    response = client.get("/berichte/lernaktivitaeten.json")
    assert response.status_code == 200 and response.is_streamed
    statements = json.loads(response.get_data(as_text=True))
    assert len(statements) == 2 * HISTORY_STATEMENTS
    assert len({s["actor"]["account"]["name"] for s in statements}) == 2
    with app.app_context():
        hr = person(two_histories["hr"])
        deactivate(person(two_histories["champion"]), hr)
        anonymise(person(two_histories["champion"]), hr)
        db.session.commit()
    statements = json.loads(client.get("/berichte/lernaktivitaeten.json").get_data(as_text=True))
    with app.app_context():
        assert {s["actor"]["account"]["name"] for s in statements} == {
            pseudonym(two_histories["learner"])
        }
        first, second = audit("xapi.company_export")
        assert first.actor_id == two_histories["hr"] and first.subject_id is None
        assert first.details == second.details == {"scope": "company", "format": "json"}


def test_the_outbox_page_is_for_administrators(app, two_histories):
    assert login_client(app, EMAILS["hr"]).get("/betrieb/xapi").status_code == 403
    page = login_client(app, EMAILS["admin"]).get("/betrieb/xapi")
    assert page.status_code == 200
    assert "kein Learning Record Store eingetragen" in page.get_data(as_text=True)


def test_failed_statements_are_shown_and_can_be_moved_to_now(app, two_histories):
    app.config["XAPI_ENDPOINT"] = "http://lrs-user:geheim@127.0.0.1:9/xapi/"
    with app.app_context():
        now = utcnow()
        services.enqueue_new(now)
        db.session.commit()
        services.deliver_statements(now=now)  # nothing listens on port 9: one failure
        # after some failures its back-off is long
        db.session.execute(
            sa.update(XapiStatement)
            .where(XapiStatement.attempts > 0)
            .values(attempts=8, next_attempt_at=now + timedelta(hours=2))
        )
        db.session.commit()
    client = login_client(app, EMAILS["admin"])
    html = client.get("/betrieb/xapi").get_data(as_text=True)
    assert "http://127.0.0.1:9/xapi/" in html and "geheim" not in html
    assert "1 Aussage fehlgeschlagen" in html and "ConnectionError" in html
    response = client.post("/betrieb/xapi/erneut", follow_redirects=True)
    assert "1 Aussage wird beim nächsten Lauf erneut gesendet." in response.get_data(as_text=True)
    with app.app_context():
        [event] = audit("xapi.retry_failed")
        assert event.details == {"statements": 1}
        due = services.outbox_state(now + timedelta(seconds=1))
        assert due.failed == 1 and due.oldest_due_at <= utcnow()
    response = client.post("/betrieb/xapi/erneut", follow_redirects=True)
    assert "Es gibt keine fehlgeschlagene Aussage" in response.get_data(as_text=True)
