"""A champion works on the use cases of every department they look after (own and assigned by
HR); department heads on their own; leadership and HR read all. Everything else is a 404."""

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.mentoring.models import ChampionDepartment
from lernpfad.mentoring.services import assign
from lernpfad.usecases.models import UseCase
from tests.helpers import department, make_person
from tests.helpers import login_client as login
from tests.usecases.test_register import VALID


def add_use_case(title: str, department_name: str) -> int:
    case = UseCase(
        department_id=department(department_name).id,
        title=title,
        process="Ein Prozess",
        problem="Ein Problem",
        expected_benefit="Ein Nutzen",
        kpi_name="Minuten",
        kpi_baseline="10",
        kpi_target="5",
        score_value=3,
        score_feasibility=3,
        score_strategic=3,
        status="idee",
    )
    db.session.add(case)
    db.session.flush()
    return case.id


@pytest.fixture
def company(app, people):
    """The champion (Vertrieb) also looks after Marketing; Kundenservice is someone else's."""
    with app.app_context():
        champion = db.session.get(Person, people["champion"])
        assign(champion, department("Marketing"))
        department("Kundenservice")
        ids = {
            "vertrieb": add_use_case("Angebote im Vertrieb", "Vertrieb"),
            "marketing": add_use_case("Kampagnentexte im Marketing", "Marketing"),
            "service": add_use_case("Antworten im Kundenservice", "Kundenservice"),
        }
        ids.update({f"dept_{name}": department(name).id for name in ("Marketing", "Kundenservice")})
        db.session.commit()
    return ids


def test_a_champion_sees_every_department_they_look_after(app, company):
    champion = login(app, "champion@example.org")
    page = champion.get("/anwendungsfaelle/").get_data(as_text=True)
    assert "Angebote im Vertrieb" in page and "Kampagnentexte im Marketing" in page
    assert "Antworten im Kundenservice" not in page
    # The filter offers exactly the champion's departments.
    assert f'<option value="{company["dept_Marketing"]}"' in page
    assert f'<option value="{company["dept_Kundenservice"]}"' not in page
    only = champion.get(f"/anwendungsfaelle/?abteilung={company['dept_Marketing']}")
    text = only.get_data(as_text=True)
    assert "Kampagnentexte im Marketing" in text and "Angebote im Vertrieb" not in text
    # Another department in the address changes nothing: the champion's own scope.
    other = champion.get(f"/anwendungsfaelle/?abteilung={company['dept_Kundenservice']}")
    text = other.get_data(as_text=True)
    assert other.status_code == 200
    assert "Antworten im Kundenservice" not in text and "Angebote im Vertrieb" in text


def test_a_champion_works_on_assigned_departments_and_nowhere_else(app, company):
    champion = login(app, "champion@example.org")
    marketing, service = company["marketing"], company["service"]
    page = champion.get(f"/anwendungsfaelle/{marketing}").get_data(as_text=True)
    assert "Bearbeiten" in page
    assert champion.get(f"/anwendungsfaelle/{marketing}/bearbeiten").status_code == 200
    changed = {**VALID, "title": "Kampagnentexte, überarbeitet"}
    response = champion.post(f"/anwendungsfaelle/{marketing}/bearbeiten", data=changed)
    assert response.status_code == 302
    for url in (f"/anwendungsfaelle/{service}", f"/anwendungsfaelle/{service}/bearbeiten"):
        assert champion.get(url).status_code == 404, url
    assert champion.post(f"/anwendungsfaelle/{service}/bearbeiten", data=VALID).status_code == 404
    with app.app_context():
        assert db.session.get(UseCase, marketing).title == "Kampagnentexte, überarbeitet"
        assert db.session.get(UseCase, service).title == "Antworten im Kundenservice"


def test_the_scope_ends_when_hr_removes_the_assignment(app, company):
    with app.app_context():
        db.session.execute(sa.delete(ChampionDepartment))
        db.session.commit()
    champion = login(app, "champion@example.org")
    assert champion.get(f"/anwendungsfaelle/{company['marketing']}").status_code == 404
    page = champion.get("/anwendungsfaelle/").get_data(as_text=True)
    assert "Kampagnentexte im Marketing" not in page
    assert 'name="abteilung"' not in page  # one department left: no filter


def count(title: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(UseCase).where(UseCase.title == title)
    )


def test_a_champion_registers_a_use_case_for_an_assigned_department(app, company):
    champion = login(app, "champion@example.org")
    form = champion.get(f"/anwendungsfaelle/neu?abteilung={company['dept_Marketing']}")
    page = form.get_data(as_text=True)
    assert f'<option selected value="{company["dept_Marketing"]}">' in page
    data = {**VALID, "title": "Newsletter mit KI", "department_id": company["dept_Marketing"]}
    assert champion.post("/anwendungsfaelle/neu", data=data).status_code == 302
    for bad in (company["dept_Kundenservice"], "0", "abc"):
        response = champion.post(
            "/anwendungsfaelle/neu", data={**data, "title": "Fremd", "department_id": bad}
        )
        assert response.status_code == 400, bad
    with app.app_context():
        case = db.session.scalar(sa.select(UseCase).where(UseCase.title == "Newsletter mit KI"))
        assert case.department.name == "Marketing"
        assert count("Fremd") == 0


def test_a_head_keeps_to_their_own_department(app, company):
    head = login(app, "head@example.org")
    page = head.get("/anwendungsfaelle/").get_data(as_text=True)
    assert "Angebote im Vertrieb" in page
    assert "Kampagnentexte im Marketing" not in page and 'name="abteilung"' not in page
    assert head.get(f"/anwendungsfaelle/{company['marketing']}").status_code == 404
    form = head.get("/anwendungsfaelle/neu").get_data(as_text=True)
    assert 'name="department_id"' not in form
    # A department sent anyway is ignored: the head's use case stays in their department.
    data = {**VALID, "title": "Besuchsberichte", "department_id": company["dept_Marketing"]}
    assert head.post("/anwendungsfaelle/neu", data=data).status_code == 302
    with app.app_context():
        case = db.session.scalar(sa.select(UseCase).where(UseCase.title == "Besuchsberichte"))
        assert case.department.name == "Vertrieb"


@pytest.mark.parametrize("email", ["gf@example.org", "hr@example.org"])
def test_leadership_and_hr_read_every_department(app, company, email):
    reader = login(app, email)
    page = reader.get("/anwendungsfaelle/").get_data(as_text=True)
    for title in ("Angebote im Vertrieb", "Kampagnentexte im Marketing", "Antworten im Kunden"):
        assert title in page
    assert f'<option value="{company["dept_Kundenservice"]}"' in page
    show = reader.get(f"/anwendungsfaelle/{company['service']}").get_data(as_text=True)
    assert "Bearbeiten" not in show
    assert reader.get(f"/anwendungsfaelle/{company['service']}/bearbeiten").status_code == 403


def test_a_champion_without_own_department_works_on_the_assigned_ones(app, company):
    with app.app_context():
        person = make_person("c.ohne@example.org", roles={Role.CHAMPION})
        person.department_id = None
        assign(person, department("Kundenservice"))
        db.session.commit()
    champion = login(app, "c.ohne@example.org")
    page = champion.get("/anwendungsfaelle/").get_data(as_text=True)
    assert "Antworten im Kundenservice" in page and "Angebote im Vertrieb" not in page
    assert "Anwendungsfall erfassen" in page
    assert champion.get("/anwendungsfaelle/neu").status_code == 200


def test_an_assigned_champion_sees_who_linked_a_task(app, company, content):
    with app.app_context():
        make_person("mk@example.org", name="Mia Marketing", department_name="Marketing")
        db.session.commit()
    learner = login(app, "mk@example.org")
    learner.post(
        "/module/w2/abgabe", data={"text": "Vorlage gebaut.", "use_case_id": company["marketing"]}
    )
    page = login(app, "champion@example.org").get(f"/anwendungsfaelle/{company['marketing']}")
    assert "Modul w2 – Mia Marketing" in page.get_data(as_text=True)
