"""A person downloads everything stored about them — and nothing about anybody else."""

import json
from datetime import date, timedelta

import sqlalchemy as sa

from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult
from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import LoginFailure, Person
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail, ReminderLog
from lernpfad.mentoring.models import ChampionProfile, MentoringSession
from lernpfad.modules.models import ModuleAssignment, ModuleProgress, QuizAttempt, Submission
from lernpfad.notices.models import Notice, NotificationPreference
from lernpfad.paths.models import PathAssignment
from lernpfad.privacy.keys import FIELDS, SECTIONS
from lernpfad.privacy.services import RENDERED, SECRETS
from lernpfad.usecases.models import UseCase
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
    assert data["konto"]["e_mail"] == "learner@example.org"
    assert data["konto"]["abteilung"] == "Vertrieb" and "learner" in data["konto"]["rollen"]
    assert "password_hash" not in data["konto"] and "session_token" not in data["konto"]
    assert [s["text"] for s in data["abgaben"]] == ["Meine **eigene** Abgabe."]
    assert "html" not in data["abgaben"][0]
    assert len(data["quizversuche"]) == 1 and data["quizversuche"][0]["bestanden"] is True
    assert data["modulfortschritt"][0]["zustand"] == "eingereicht"  # values stay as stored
    assert data["mentoring_sitzungen_als_mentee"][0]["champion"] == "Champion"
    assert "Text einer anderen Person." not in json.dumps(data, ensure_ascii=False)


def test_a_champions_export_names_no_mentee(app, people, content):
    champion = login(app, "champion@example.org")
    log_session(champion, people["learner"], "X")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MentoringSession)) == 1
    data = download(champion)
    (session,) = data["mentoring_sitzungen_als_champion"]
    assert "mentee_id" not in session and session["thema"] == "X"
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
    # The file's sections with their English names, for whoever reads the file in English.
    assert "Aufbau der Datei" in page and "_schluessel" in page
    assert "<code>selbsteinschaetzungen</code>" in page
    assert '<code lang="en">assessment_attempts</code>' in page


def test_a_champions_reviews_and_departments_are_in_their_export(app, people, content):
    learner = login(app, "learner@example.org")
    learner.post("/module/w2/quiz", data=RIGHT)
    learner.post("/module/w2/abgabe", data={"text": "Abgabe."})
    champion = login(app, "champion@example.org")
    with app.app_context():
        handed = db.session.scalar(sa.select(Submission.id))
    champion.post(f"/mentoring/abgabe/{handed}", data={"decision": "annehmen", "feedback": "Gut."})
    data = download(champion)
    assert data["ihre_rueckmeldungen_als_champion"][0]["rueckmeldung"] == "Gut."
    assert "Lea" not in json.dumps(data["ihre_rueckmeldungen_als_champion"], ensure_ascii=False)
    learner_data = download(learner)
    assert any("Gut." in mail["inhalt"] for mail in learner_data["emails_an_sie"])


def _field_keys(section) -> set[str]:
    rows = section if isinstance(section, list) else [section]
    return {key for row in rows if isinstance(row, dict) for key in row}


def test_every_key_is_german_and_the_file_names_its_english_equivalent(app, people, content):
    learner = login(app, "learner@example.org")
    learner.post("/module/w2/quiz", data=RIGHT)
    learner.post("/module/w2/abgabe", data={"text": "Abgabe."})
    log_session(login(app, "champion@example.org"), people["learner"], "Vorlagen")
    app.test_client().post("/anmelden", data={"email": "learner@example.org", "password": "x"})
    data = download(learner)

    legend = data["_schluessel"]
    assert set(data) == {"_schluessel"} | {key for key, _english, _what in SECTIONS}
    filled = {name: section for name, section in data.items() if section}
    assert {"konto", "quizversuche", "abgaben", "modulfortschritt"} <= set(filled)
    assert {"mentoring_sitzungen_als_mentee", "fehlgeschlagene_anmeldungen"} <= set(filled)
    used = set(data) - {"_schluessel"}
    for name, section in filled.items():
        if name != "_schluessel":
            used |= _field_keys(section)
    assert sorted(key for key in used if key not in legend) == []
    assert all(key.isascii() and key == key.lower() for key in legend)
    assert legend["konto"] == "person" and legend["e_mail"] == "email"
    assert legend["selbsteinschaetzungen"] == "assessment_attempts"
    assert legend["abgaben"] == "submissions" and legend["bestanden"] == "passed"


def test_every_exported_column_has_a_german_name():
    """A column added to an exported model needs a German key in lernpfad/privacy/keys.py."""
    models = [
        Person,
        AssessmentAttempt,
        AssessmentResult,
        PathAssignment,
        ModuleProgress,
        QuizAttempt,
        Submission,
        ModuleAssignment,
        MentoringSession,
        ChampionProfile,
        UseCase,
        AuditEvent,
        LoginFailure,
        OutboxMail,
        Notice,
        NotificationPreference,
        ReminderLog,
    ]
    columns = {attr.key for model in models for attr in sa.inspect(model).column_attrs}
    assert sorted(columns - SECRETS - RENDERED - set(FIELDS)) == []
    english_of = {}
    for key, english in [(k, e) for k, e, _w in SECTIONS] + [(g, e) for e, g in FIELDS.items()]:
        assert english_of.setdefault(key, english) == english, f"{key} names two things"
