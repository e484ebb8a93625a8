"""A person downloads everything stored about them — and nothing about anybody else."""

import json
from datetime import date, timedelta

import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.extensions import db
from lernpfad.mentoring.models import MentoringSession
from lernpfad.reports.models import AuditEvent
from tests.helpers import login_client as login

RIGHT = {f"q-{i}": "0" for i in range(5)}


def log_session(champion, mentee_id: int, topic: str) -> None:
    """A session a few days ago (sessions may be logged up to 90 days back)."""
    held_on = (date.today() - timedelta(days=6)).isoformat()
    response = champion.post(
        "/mentoring/sitzungen",
        data={"mentee_id": mentee_id, "held_on": held_on, "minutes": "30", "topic": topic},
    )
    assert response.status_code == 302


def download(client) -> dict:
    response = client.get("/meine-daten/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="lernpfad-meine-daten-'
    )
    assert response.headers["Cache-Control"] == "no-store"
    return json.loads(response.get_data(as_text=True))


def test_export_holds_the_persons_own_data(app, people, content):
    learner = login(app, "learner@example.org")
    learner.post("/module/w2/quiz", data=RIGHT)
    learner.post("/module/w2/abgabe", data={"text": "Meine **eigene** Abgabe."})
    other = login(app, "head@example.org")
    other.post("/module/w2/quiz", data=RIGHT)
    other.post("/module/w2/abgabe", data={"text": "Text einer anderen Person."})
    log_session(login(app, "champion@example.org"), people["learner"], "Vorlagen")

    data = download(learner)
    assert data["person"]["email"] == "learner@example.org"
    assert data["person"]["department"] == "Vertrieb" and "learner" in data["person"]["roles"]
    assert "password_hash" not in data["person"] and "session_token" not in data["person"]
    assert [s["text"] for s in data["submissions"]] == ["Meine **eigene** Abgabe."]
    assert "html" not in data["submissions"][0]
    assert len(data["quiz_attempts"]) == 1 and data["quiz_attempts"][0]["passed"] is True
    assert data["module_progress"][0]["state"] == "eingereicht"
    assert data["mentoring_sessions_as_mentee"][0]["champion"] == "Champion"
    assert "Text einer anderen Person." not in json.dumps(data, ensure_ascii=False)


def test_a_champions_export_names_no_mentee(app, people, content):
    champion = login(app, "champion@example.org")
    log_session(champion, people["learner"], "X")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MentoringSession)) == 1
    data = download(champion)
    (session,) = data["mentoring_sessions_as_champion"]
    assert "mentee_id" not in session and session["topic"] == "X"
    assert "Lea Lernend" not in json.dumps(data, ensure_ascii=False)


def test_the_download_is_audited_and_needs_a_login(app, client, people, content):
    assert client.get("/meine-daten/export.json").status_code == 302  # to the login page
    download(login(app, "learner@example.org"))
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "self_export"))
        learner = db.session.get(Person, people["learner"])
        assert event.actor_id == event.subject_id == learner.id


def test_the_page_explains_who_sees_what(app, people, content):
    page = login(app, "learner@example.org").get("/meine-daten/").get_data(as_text=True)
    assert "Meine Daten herunterladen" in page
    assert "Ihre Antworten in der Selbsteinschätzung sehen nur Sie." in page
    assert "ab 5 Personen" in page


def test_a_champions_reviews_and_departments_are_in_their_export(app, people, content):
    learner = login(app, "learner@example.org")
    learner.post("/module/w2/quiz", data=RIGHT)
    learner.post("/module/w2/abgabe", data={"text": "Abgabe."})
    champion = login(app, "champion@example.org")
    with app.app_context():
        from lernpfad.modules.models import Submission

        handed = db.session.scalar(sa.select(Submission.id))
    champion.post(f"/mentoring/abgabe/{handed}", data={"decision": "annehmen", "feedback": "Gut."})
    data = download(champion)
    assert data["reviews_you_wrote"][0]["feedback"] == "Gut."
    assert "Lea" not in json.dumps(data["reviews_you_wrote"], ensure_ascii=False)
    learner_data = download(learner)
    assert any("Gut." in mail["body"] for mail in learner_data["mails_to_you"])
