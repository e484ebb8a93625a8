"""A returned hand-in opens with its previous text, ready to be revised."""

import re
from html import unescape

import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.extensions import db
from lernpfad.modules import services
from lernpfad.modules.models import Submission

RIGHT = {f"q-{i}": "0" for i in range(5)}


def text_box(page: str) -> str:
    match = re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, "no text box on the page"
    return unescape(match.group(1))


def return_latest(app, champion_id, feedback="Bitte konkreter."):
    with app.app_context():
        submission = db.session.scalar(
            sa.select(Submission).order_by(Submission.round.desc()).limit(1)
        )
        services.return_submission(submission, db.session.get(Person, champion_id), feedback)
        db.session.commit()


def test_returned_hand_in_is_prefilled_with_the_latest_returned_text(
    app, client, auth, people, content
):
    auth.login()
    client.post("/module/w2/quiz", data=RIGHT)
    assert text_box(client.get("/module/w2").get_data(as_text=True)) == ""
    first = "Erste Fassung:\n- Angebot <b>A</b> & B vorbereitet"
    client.post("/module/w2/abgabe", data={"text": first})
    return_latest(app, people["champion"])
    assert text_box(client.get("/module/w2").get_data(as_text=True)) == first

    client.post("/module/w2/abgabe", data={"text": "Zweite Fassung."})
    return_latest(app, people["champion"])
    assert text_box(client.get("/module/w2").get_data(as_text=True)) == "Zweite Fassung."


def test_a_refused_hand_in_keeps_what_was_typed_not_the_old_text(
    app, client, auth, people, content
):
    auth.login()
    client.post("/module/w2/abgabe", data={"text": "Erste Fassung."})
    return_latest(app, people["champion"])
    too_long = client.post("/module/w2/abgabe", data={"text": "y" * 20001})
    assert too_long.status_code == 400
    assert text_box(too_long.get_data(as_text=True)) == "y" * 20001
    emptied = client.post("/module/w2/abgabe", data={"text": ""})
    assert emptied.status_code == 400
    assert text_box(emptied.get_data(as_text=True)) == ""


def test_nothing_is_prefilled_for_another_person_or_module(app, client, auth, people, content):
    auth.login()
    client.post("/module/w2/abgabe", data={"text": "Nur meins."})
    return_latest(app, people["champion"])
    assert text_box(client.get("/module/g1").get_data(as_text=True)) == ""
    auth.logout()
    auth.login("champion@example.org")
    assert "Nur meins." not in client.get("/module/w2").get_data(as_text=True)
