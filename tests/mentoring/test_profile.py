"""A champion sets office hours and a contact note for the directory; bad input changes nothing."""

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.extensions import db
from lernpfad.mentoring import services
from lernpfad.mentoring.models import ChampionProfile
from lernpfad.mentoring.rules import PROFILE_MAX_CHARS
from tests.helpers import login_client as login

HOURS = "Di und Do 14–15 Uhr, Raum 2.14 oder Teams"


def stored(app):
    with app.app_context():
        row = db.session.scalar(sa.select(ChampionProfile))
        return None if row is None else (row.office_hours, row.contact)


def test_the_champion_saves_office_hours_and_sees_them_again(app, people):
    champion = login(app, "champion@example.org")
    page = champion.get("/mentoring/sprechzeiten").get_data(as_text=True)
    assert "Sprechzeiten und Kontakt" in page and 'name="office_hours"' in page
    done = champion.post(
        "/mentoring/sprechzeiten",
        data={"office_hours": f"  {HOURS} ", "contact": "Tel. 214"},
        follow_redirects=True,
    )
    assert done.request.path == "/mentoring/champions"
    text = done.get_data(as_text=True)
    assert "Gespeichert. So steht es im Verzeichnis der KI-Champions." in text
    assert HOURS in text and "Tel. 214" in text
    assert stored(app) == (HOURS, "Tel. 214")  # trimmed
    form = champion.get("/mentoring/sprechzeiten").get_data(as_text=True)
    assert f'value="{HOURS}"' in form  # prefilled with what is stored
    mentoring = champion.get("/mentoring/").get_data(as_text=True)
    assert f"Ihre Sprechzeiten: {HOURS}" in mentoring
    # Emptying both fields is allowed: nothing shows in the directory then.
    champion.post("/mentoring/sprechzeiten", data={"office_hours": "", "contact": ""})
    assert stored(app) == ("", "")
    assert "Sprechzeiten:" not in champion.get("/mentoring/champions").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"office_hours": "x" * (PROFILE_MAX_CHARS + 1)},
            "Bitte kürzen Sie den Text auf höchstens 200 Zeichen (jetzt: 201).",
        ),
        ({"contact": "y" * 300}, "höchstens 200 Zeichen (jetzt: 300)"),
        ({"office_hours": "Mo 9\u202eUhr 01"}, "unsichtbare Steuerzeichen"),
        ({"office_hours": "Mo 9 Uhr\nDi 10 Uhr"}, "unsichtbare Steuerzeichen"),
        ({"contact": "Raum\t2.14"}, "unsichtbare Steuerzeichen"),
        ({"contact": "Tel.\u200f 214"}, "unsichtbare Steuerzeichen"),
    ],
)
def test_bad_input_gets_a_german_message_and_stores_nothing(app, people, data, message):
    response = login(app, "champion@example.org").post("/mentoring/sprechzeiten", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored(app) is None


@pytest.mark.parametrize("who", ["learner", "head", "hr", "gf", "admin"])
def test_only_champions_set_office_hours(app, people, who):
    client = login(app, f"{who}@example.org")
    assert client.get("/mentoring/sprechzeiten").status_code == 403
    assert client.post("/mentoring/sprechzeiten", data={"office_hours": "Mo"}).status_code == 403
    assert stored(app) is None


def test_the_service_refuses_non_champions_and_long_text(app, people):
    with app.app_context():
        learner = db.session.get(Person, people["learner"])
        with pytest.raises(services.ProfileRefused, match="nur KI-Champions"):
            services.save_profile(learner, "Mo 9 Uhr", "")
        champion = db.session.get(Person, people["champion"])
        with pytest.raises(services.ProfileRefused, match="höchstens 200 Zeichen"):
            services.save_profile(champion, "", "z" * 201)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ChampionProfile)) == 0
