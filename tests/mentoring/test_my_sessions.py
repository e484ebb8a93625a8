"""A learner's own list of mentoring sessions: newest first, only their own, with the status."""

import re
from datetime import timedelta

import sqlalchemy as sa

from lernpfad.auth.models import Role
from lernpfad.db import local_today, utcnow
from lernpfad.extensions import db
from lernpfad.mentoring.models import MentoringSession
from tests.helpers import login_client as login
from tests.helpers import make_person


def add_session(app, champion_id, mentee_id, days_ago, topic, status="waiting", minutes=30):
    with app.app_context():
        row = MentoringSession(
            champion_id=champion_id,
            mentee_id=mentee_id,
            held_on=local_today() - timedelta(days=days_ago),
            minutes=minutes,
            topic=topic,
            status=status,
            answered_at=None if status == "waiting" else utcnow(),
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def answer(client, session_id: int, decision: str, back: str = "meine-sitzungen"):
    """The mentee's answer as the list sends it (``back``: where to return)."""
    return client.post(
        f"/mentoring/sitzung/{session_id}/antwort", data={"decision": decision, "zurueck": back}
    )


def rows(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in body.split("<tr>")[1:]]


def test_the_learner_sees_their_sessions_newest_first(app, people):
    with app.app_context():
        other_champion = make_person("c2@example.org", name="Carla Zwei", roles={Role.CHAMPION}).id
        db.session.commit()
    champion = people["champion"]
    add_session(app, champion, people["learner"], 30, "Prompt-Grundlagen", "confirmed", 45)
    add_session(app, other_champion, people["learner"], 3, "Vorlagen prüfen", "waiting", 20)
    add_session(app, champion, people["learner"], 10, "Falsch eingetragen", "declined", 60)
    add_session(app, champion, people["head"], 1, "Thema einer anderen Person", "waiting")

    response = login(app, "learner@example.org").get("/mentoring/meine-sitzungen")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    found = rows(html)
    assert len(found) == 3
    assert "Carla Zwei" in found[0] and "Vorlagen prüfen" in found[0] and " 20 " in found[0]
    assert "wartet auf Bestätigung" in found[0]
    assert "Champion" in found[1] and "Falsch eingetragen" in found[1] and "abgelehnt" in found[1]
    assert "Prompt-Grundlagen" in found[2] and " 45 " in found[2] and "bestätigt" in found[2]
    assert "Thema einer anderen Person" not in html


def test_a_waiting_session_is_answered_on_the_list(app, people):
    session_id = add_session(app, people["champion"], people["learner"], 2, "Vorlagen prüfen")
    learner = login(app, "learner@example.org")
    response = answer(learner, session_id, "bestaetigen")
    assert response.status_code == 302
    assert response.headers["Location"] == "/mentoring/meine-sitzungen"
    page = learner.get("/mentoring/meine-sitzungen").get_data(as_text=True)
    assert "Danke – bestätigt." in page
    assert "wartet auf Bestätigung" not in page and "bestätigt" in rows(page)[0]
    # Anything else in "zurueck" leads to the dashboard, as before.
    other = add_session(app, people["champion"], people["learner"], 1, "Zweites Thema")
    response = answer(learner, other, "ablehnen", back="https://example.com/")
    assert response.headers["Location"] == "/"
    with app.app_context():
        assert db.session.get(MentoringSession, other).status == "declined"


def test_nobody_answers_someone_elses_session_from_the_list(app, people):
    session_id = add_session(app, people["champion"], people["learner"], 2, "Vorlagen prüfen")
    head = login(app, "head@example.org")
    assert answer(head, session_id, "bestaetigen").status_code == 404
    assert "Vorlagen prüfen" not in head.get("/mentoring/meine-sitzungen").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(MentoringSession.status)) == "waiting"


def test_without_sessions_the_list_says_so_and_the_path_page_does_not_link_it(app, people):
    learner = login(app, "learner@example.org")
    page = learner.get("/mentoring/meine-sitzungen").get_data(as_text=True)
    assert "Mit Ihnen ist noch keine Mentoring-Sitzung eingetragen." in page
    assert "/mentoring/meine-sitzungen" not in learner.get("/lernpfad/").get_data(as_text=True)


def test_the_path_page_links_the_list(app, people):
    add_session(app, people["champion"], people["learner"], 2, "Vorlagen prüfen")
    add_session(app, people["champion"], people["learner"], 5, "Prompt-Grundlagen", "confirmed")
    page = login(app, "learner@example.org").get("/lernpfad/").get_data(as_text=True)
    assert "Mit Ihnen sind 2 Mentoring-Sitzungen eingetragen." in page
    assert 'href="/mentoring/meine-sitzungen"' in page


def test_a_champion_sees_their_sessions_as_mentee_only(app, people):
    with app.app_context():
        other = make_person("c2@example.org", name="Carla Zwei", roles={Role.CHAMPION}).id
        db.session.commit()
    add_session(app, other, people["champion"], 2, "Review-Kriterien")
    add_session(app, people["champion"], people["learner"], 2, "Vom Champion gehalten")
    page = login(app, "champion@example.org").get("/mentoring/meine-sitzungen")
    html = page.get_data(as_text=True)
    assert "Review-Kriterien" in html and "Vom Champion gehalten" not in html
