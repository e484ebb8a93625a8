"""The mentoring log: a champion records a session, the mentee confirms it, it counts."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.mentoring.models import MentoringSession
from lernpfad.mentoring.rules import MentoringTally, session_problems, tally
from tests.helpers import login_client as login
from tests.helpers import make_person

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("held_on", "minutes", "topic", "problems"),
    [
        (TODAY, 30, "Prompt-Vorlagen", []),
        (TODAY - timedelta(days=90), 5, "x", []),
        (TODAY + timedelta(days=1), 30, "x", ["future"]),
        (TODAY - timedelta(days=91), 30, "x", ["too_old"]),
        (TODAY, 4, "x", ["minutes"]),
        (TODAY, 481, "x", ["minutes"]),
        (TODAY, 30, "   ", ["topic_missing"]),
        (TODAY, 30, "x" * 201, ["topic_too_long"]),
        (TODAY + timedelta(days=3), 0, "", ["future", "minutes", "topic_missing"]),
    ],
)
def test_session_problems(held_on, minutes, topic, problems):
    assert session_problems(held_on, TODAY, minutes, topic) == problems


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [
        ([], MentoringTally(0, 0, 0, 0)),
        ([(1, "confirmed", 30), (1, "confirmed", 20)], MentoringTally(2, 1, 0, 50)),
        (
            [(1, "confirmed", 30), (2, "confirmed", 45), (3, "waiting", 60), (4, "declined", 15)],
            MentoringTally(2, 2, 1, 75),
        ),
    ],
)
def test_tally(sessions, expected):
    assert tally(sessions) == expected


def ids(app):
    with app.app_context():
        return {p.email.split("@")[0]: p.id for p in db.session.scalars(sa.select(Person)).all()}


def session_row(app):
    with app.app_context():
        row = db.session.scalar(sa.select(MentoringSession))
        return None if row is None else (row.status, row.mentee_id, row.topic, row.minutes)


def answer(client, session_id, decision) -> str:
    response = client.post(
        f"/mentoring/sitzung/{session_id}/antwort",
        data={"decision": decision},
        follow_redirects=True,
    )
    return response.get_data(as_text=True)


def log(client, mentee_id, **extra):
    data = {
        "mentee_id": mentee_id,
        "held_on": date.today().isoformat(),
        "minutes": "45",
        "topic": "Prompt-Vorlage für Angebote",
        **extra,
    }
    return client.post("/mentoring/sitzungen", data=data)


def test_log_confirm_and_count(app, people):
    champion = login(app, "champion@example.org")
    assert log(champion, people["learner"]).status_code == 302
    assert session_row(app) == ("waiting", people["learner"], "Prompt-Vorlage für Angebote", 45)
    page = champion.get("/mentoring/sitzungen").get_data(as_text=True)
    assert "0 bestätigte Sitzungen" in page and "1 wartet auf Bestätigung" in page
    learner = login(app, "learner@example.org")
    dashboard = learner.get("/").get_data(as_text=True)
    assert "Bitte bestätigen" in dashboard and "Prompt-Vorlage für Angebote" in dashboard
    with app.app_context():
        session_id = db.session.scalar(sa.select(MentoringSession.id))
    assert "Danke – bestätigt." in answer(learner, session_id, "bestaetigen")
    assert session_row(app)[0] == "confirmed"
    assert "Diese Sitzung ist bereits beantwortet." in answer(learner, session_id, "ablehnen")
    assert session_row(app)[0] == "confirmed"
    page = champion.get("/mentoring/").get_data(as_text=True)
    assert "1 bestätigte Sitzung" in page and "mit 1 Person" in page


def test_mentee_may_decline(app, people):
    log(login(app, "champion@example.org"), people["learner"])
    with app.app_context():
        session_id = db.session.scalar(sa.select(MentoringSession.id))
    login(app, "learner@example.org").post(
        f"/mentoring/sitzung/{session_id}/antwort", data={"decision": "ablehnen"}
    )
    assert session_row(app)[0] == "declined"


def test_only_the_mentee_answers(app, people):
    log(login(app, "champion@example.org"), people["learner"])
    with app.app_context():
        session_id = db.session.scalar(sa.select(MentoringSession.id))
    for who in ("champion", "head", "hr"):
        response = login(app, f"{who}@example.org").post(
            f"/mentoring/sitzung/{session_id}/antwort", data={"decision": "bestaetigen"}
        )
        assert response.status_code == 404
    assert session_row(app)[0] == "waiting"
    bad = login(app, "learner@example.org").post(
        f"/mentoring/sitzung/{session_id}/antwort",
        data={"decision": "vielleicht"},
        follow_redirects=True,
    )
    assert "Bitte wählen Sie „Bestätigen“ oder „Stimmt nicht“." in bad.get_data(as_text=True)
    assert session_row(app)[0] == "waiting"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"held_on": (date.today() + timedelta(days=2)).isoformat()},
            "Das Datum liegt in der Zukunft.",
        ),
        (
            {"held_on": (date.today() - timedelta(days=120)).isoformat()},
            "bis zu 90 Tage nachgetragen",
        ),
        ({"held_on": "30.02.2026"}, "Kein gültiges Datum"),
        ({"minutes": "0"}, "zwischen 5 und 480 Minuten"),
        ({"minutes": "viel"}, "ganze Zahl mit den Ziffern 0–9"),
        ({"minutes": "\uff11\uff12"}, "ganze Zahl mit den Ziffern 0–9"),  # full-width "１２"
        ({"topic": "Prompt\u202eetalpoV"}, "unsichtbare Steuerzeichen"),
        ({"topic": ""}, "Bitte nennen Sie das Thema."),
        ({"topic": "x" * 201}, "höchstens 200 Zeichen"),
    ],
)
def test_bad_input_gets_a_message_and_stores_nothing(app, people, extra, message):
    response = log(login(app, "champion@example.org"), people["learner"], **extra)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert session_row(app) is None


def test_only_colleagues_in_scope_and_never_oneself(app, people):
    with app.app_context():
        make_person("mk@example.org", department_name="Marketing")
        db.session.commit()
    known = ids(app)
    champion = login(app, "champion@example.org")
    for mentee in (known["mk"], known["champion"], 999999, "abc"):
        response = log(champion, mentee)
        assert response.status_code == 400, mentee
        assert session_row(app) is None


@pytest.mark.parametrize("who", ["learner", "head", "hr"])
def test_only_champions_log_sessions(app, people, who):
    assert login(app, f"{who}@example.org").get("/mentoring/sitzungen").status_code == 403


def test_a_deactivated_champion_cannot_be_chosen_as_mentee_and_roles_matter(app, people):
    with app.app_context():
        other = make_person("c2@example.org", roles={Role.CHAMPION})
        other.active = False
        db.session.commit()
    page = login(app, "champion@example.org").get("/mentoring/sitzungen").get_data(as_text=True)
    page = re.sub(r'value="[^"]*"', "", page)  # a random CSRF token may contain "C2"
    assert "C2" not in page and "Lea Lernend" in page


def test_a_double_submit_stores_the_session_once(app, people):
    champion = login(app, "champion@example.org")
    assert log(champion, people["learner"]).status_code == 302
    again = log(champion, people["learner"])
    assert again.status_code == 400
    assert "Diese Sitzung ist bereits eingetragen." in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MentoringSession)) == 1
