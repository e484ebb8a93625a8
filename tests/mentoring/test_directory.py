"""The directory of KI-Champions: every logged-in person sees the active champions per department
they look after, with e-mail, office hours and contact note — and nothing else about them."""

import re

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.mentoring import services
from tests.helpers import department, make_person
from tests.helpers import login_client as login


def directory(app, email: str) -> str:
    response = login(app, email).get("/mentoring/champions")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def groups(page: str) -> dict[str, list[str]]:
    """Department heading → the champions' names listed under it."""
    company = page.split("Alle KI-Champions nach Abteilung", 1)[1]
    found = {}
    for heading, body in re.findall(r"<h3[^>]*>([^<]*).*?</h3>(.*?)</section>", company, re.S):
        found[heading.strip()] = re.findall(r"<strong>([^<]*)</strong>", body)
    return found


@pytest.fixture
def company(app, people):
    """Champion (Vertrieb, also Marketing), Mona (Marketing, office hours), a champion who left
    and one who lost the role; Einkauf has nobody."""
    with app.app_context():
        champion = db.session.get(Person, people["champion"])
        services.assign(champion, department("Marketing"))
        mona = make_person(
            "mona@example.org",
            name="Mona Markt",
            roles={Role.CHAMPION},
            department_name="Marketing",
            job_function="Geheime Funktion",
        )
        services.save_profile(mona, "Mo 9–10 Uhr", "Raum 1.01")
        gone = make_person("gone@example.org", name="Gerd Gegangen", roles={Role.CHAMPION})
        gone.active = False
        former = make_person("former@example.org", name="Fritz Früher", roles={Role.CHAMPION})
        former.remove_role(Role.CHAMPION)
        make_person("buyer@example.org", name="Berta Einkauf", department_name="Einkauf")
        db.session.commit()


@pytest.mark.parametrize("who", ["learner", "champion", "head", "hr", "gf", "admin"])
def test_everyone_logged_in_opens_the_directory(app, people, who):
    assert "KI-Champions" in directory(app, f"{who}@example.org")


def test_champions_are_grouped_by_the_departments_they_look_after(app, company):
    page = directory(app, "learner@example.org")
    assert groups(page) == {"Marketing": ["Champion", "Mona Markt"], "Vertrieb": ["Champion"]}
    assert '<a href="mailto:mona@example.org">mona@example.org</a>' in page
    assert "Sprechzeiten: <bdi>Mo 9–10 Uhr</bdi>" in page
    assert "Kontakt: <bdi>Raum 1.01</bdi>" in page


def test_only_active_champions_and_no_other_personal_data(app, company):
    page = directory(app, "learner@example.org")
    assert "Gerd Gegangen" not in page and "gone@example.org" not in page
    assert "Fritz Früher" not in page
    assert "Geheime Funktion" not in page  # job functions, roles, managers stay out
    assert "Lea Lernend" not in page.split("Alle KI-Champions", 1)[1]
    assert "Berta Einkauf" not in page


def test_the_learners_own_champions_come_first(app, company):
    page = directory(app, "learner@example.org")
    mine = page.split("Für Sie zuständig", 1)[1].split("Alle KI-Champions", 1)[0]
    assert "<strong>Champion</strong>" in mine and "Mona" not in mine
    assert "Ihre Abteilung" in page


def test_a_person_without_champions_in_their_department_sees_the_company_list(app, company):
    page = directory(app, "buyer@example.org")
    assert "Für Ihre Abteilung ist noch kein KI-Champion benannt." in page
    assert groups(page) == {"Marketing": ["Champion", "Mona Markt"], "Vertrieb": ["Champion"]}
    with app.app_context():
        db.session.execute(
            sa.update(Person).where(Person.email == "buyer@example.org").values(department_id=None)
        )
        db.session.commit()
    assert "Sie sind noch keiner Abteilung zugeordnet." in directory(app, "buyer@example.org")


def test_a_champion_without_any_department_is_listed_last(app, people):
    with app.app_context():
        db.session.get(Person, people["champion"]).department = None
        db.session.commit()
    page = directory(app, "learner@example.org")
    assert groups(page) == {"Ohne feste Abteilung": ["Champion"]}


def test_without_champions_the_page_says_so(app, people):
    with app.app_context():
        db.session.get(Person, people["champion"]).remove_role(Role.CHAMPION)
        db.session.commit()
    assert "Noch ist niemand als KI-Champion eingetragen." in directory(app, "learner@example.org")


def test_the_directory_is_linked_from_the_path_page_and_the_dashboard(app, people):
    learner = login(app, "learner@example.org")
    for url in ("/lernpfad/", "/"):
        assert 'href="/mentoring/champions"' in learner.get(url).get_data(as_text=True), url
    # Not in the main navigation: that is crowded enough.
    page = learner.get("/").get_data(as_text=True)
    nav = page.split('id="hauptnavigation"', 1)[1].split("</nav>", 1)[0]
    assert "/lernpfad/" in nav
    assert "/mentoring/champions" not in nav


def test_a_champion_finds_the_way_to_their_office_hours(app, people):
    page = directory(app, "champion@example.org")
    assert 'href="/mentoring/sprechzeiten"' in page
    assert 'href="/mentoring/sprechzeiten"' not in directory(app, "learner@example.org")
