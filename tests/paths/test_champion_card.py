"""What the path page says about KI-Champions: a champion learns that they are one (and what they
look after); nobody reads "noch kein KI-Champion" while one exists."""

import sqlalchemy as sa

from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.mentoring.services import assign, assign_mentee, save_profile
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


def test_the_card_shows_contact_details_and_links_the_directory(app, people):
    with app.app_context():
        save_profile(db.session.get(Person, people["champion"]), "Di 14–15 Uhr", "Raum 2.14")
        db.session.commit()
    page = path_page(app, "learner@example.org")
    card = page.split('id="champion-title"', 1)[1]
    assert "Ihr KI-Champion</h2>" in card
    assert '<a href="mailto:champion@example.org">champion@example.org</a>' in card
    assert (
        "Sprechzeiten: <bdi>Di 14–15 Uhr</bdi>" in card and "Kontakt: <bdi>Raum 2.14</bdi>" in card
    )
    assert 'href="/mentoring/champions"' in card
    assert "Ansprechperson für Fragen rund um KI in Ihrer Arbeit; gibt Ihnen" in card


def test_department_and_individual_champions_are_both_shown(app, people):
    with app.app_context():
        mona = make_person("mona@example.org", name="Mona Zweit", roles={Role.CHAMPION})
        mona.department = department("Marketing")
        assign_mentee(
            mona,
            db.session.get(Person, people["learner"]),
            db.session.get(Person, people["hr"]),
        )
        db.session.commit()
    card = path_page(app, "learner@example.org").split('id="champion-title"', 1)[1]
    assert "Ihre KI-Champions</h2>" in card
    assert "Ansprechpersonen für Fragen rund um KI in Ihrer Arbeit; geben Ihnen" in card
    # The personal champion first, marked; then the department's.
    assert card.index("<strong>Mona Zweit</strong>") < card.index("<strong>Champion</strong>")
    assert card.count("persönlich zugeordnet") == 1


def test_a_champion_sees_their_office_hours_and_their_personal_champion(app, people):
    page = path_page(app, "champion@example.org")
    assert "Im Verzeichnis der KI-Champions stehen noch keine Sprechzeiten von Ihnen." in page
    assert 'href="/mentoring/sprechzeiten"' in page
    with app.app_context():
        champion = db.session.get(Person, people["champion"])
        save_profile(champion, "Fr 10 Uhr", "")
        other = make_person("mona@example.org", name="Mona Zweit", roles={Role.CHAMPION})
        other.department = department("Marketing")
        assign_mentee(other, champion, db.session.get(Person, people["hr"]))
        db.session.commit()
    page = path_page(app, "champion@example.org")
    assert "Ihre Sprechzeiten: Fr 10 Uhr" in page
    assert "Ihr persönlicher KI-Champion: Mona Zweit" in page
    assert "Außer Ihnen betreut niemand" not in page  # Mona reviews the champion's own tasks
