"""What the path page says about KI-Champions: a champion learns that they are one (and what they
look after); nobody reads "noch kein KI-Champion" while one exists."""

import sqlalchemy as sa

from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.mentoring.services import assign
from tests.helpers import department, make_person
from tests.helpers import login_client as login

NO_CHAMPION = "Für Ihre Abteilung ist noch kein KI-Champion benannt."


def path_page(app, email: str) -> str:
    response = login(app, email).get("/lernpfad/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_only_champion_of_a_department_is_told_they_are_it(app, people):
    with app.app_context():
        assign(db.session.get(Person, people["champion"]), department("Marketing"))
        db.session.commit()
    page = path_page(app, "champion@example.org")
    assert NO_CHAMPION not in page
    assert "Sie sind KI-Champion Ihrer Abteilung." in page
    assert "Sie betreuen: Marketing, Vertrieb." in page
    assert 'href="/mentoring/"' in page
    assert "Außer Ihnen betreut niemand Ihre Abteilung." in page


def test_a_champion_sees_the_other_champions_of_their_department(app, people):
    with app.app_context():
        make_person("c2@example.org", name="Carla Zwei", roles={Role.CHAMPION})
        guest = make_person("c3@example.org", name="Gustav Gast", roles={Role.CHAMPION})
        guest.department = department("Marketing")
        assign(guest, department("Vertrieb"))
        db.session.commit()
    page = path_page(app, "champion@example.org")
    assert "Ebenfalls KI-Champions für Ihre Abteilung: Carla Zwei, Gustav Gast." in page
    assert "Außer Ihnen betreut niemand" not in page and NO_CHAMPION not in page


def test_a_waiting_hand_in_is_counted_for_the_champion(app, people, content):
    learner = login(app, "learner@example.org")
    learner.post("/module/w2/quiz", data={f"q-{i}": "0" for i in range(5)})
    learner.post("/module/w2/abgabe", data={"text": "Vorlage gebaut."})
    assert "1 Abgabe wartet auf Ihre Rückmeldung." in path_page(app, "champion@example.org")


def test_learners_still_see_their_champion(app, people):
    page = path_page(app, "learner@example.org")
    assert "<strong>Champion</strong>" in page and "Sie sind KI-Champion" not in page


def test_an_assigned_champion_counts_for_the_department(app, people):
    with app.app_context():
        db.session.get(Person, people["champion"]).department = department("Marketing")
        make_person("mk@example.org", department_name="Kundenservice")
        db.session.commit()
    assert NO_CHAMPION in path_page(app, "learner@example.org")  # nobody looks after Vertrieb
    with app.app_context():
        assign(db.session.get(Person, people["champion"]), department("Vertrieb"))
        db.session.commit()
    page = path_page(app, "learner@example.org")
    assert NO_CHAMPION not in page and "<strong>Champion</strong>" in page


def without_department(app, person_id: int) -> None:
    with app.app_context():
        db.session.execute(
            sa.update(Person).where(Person.id == person_id).values(department_id=None)
        )
        db.session.commit()


def test_a_person_without_department_is_told_why_they_have_no_champion(app, people):
    without_department(app, people["learner"])
    page = path_page(app, "learner@example.org")
    assert NO_CHAMPION not in page
    assert "Sie sind noch keiner Abteilung zugeordnet" in page


def test_a_champion_without_any_department_is_told_so(app, people):
    without_department(app, people["champion"])
    page = path_page(app, "champion@example.org")
    assert "Sie sind KI-Champion." in page and NO_CHAMPION not in page
    assert "Ihnen ist keine Abteilung zugeordnet." in page
