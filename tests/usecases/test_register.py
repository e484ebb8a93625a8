"""The use-case register: who may create, edit and see what; ranking; linked tasks."""

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Role
from lernpfad.extensions import db
from lernpfad.usecases.models import UseCase
from tests.helpers import make_person

VALID = {
    "title": "Angebotsentwürfe mit KI",
    "business_process": "Angebotserstellung im Innendienst",
    "problem": "Angebote dauern zu lange.",
    "expected_benefit": "Schnellere Antworten an Kunden.",
    "kpi_name": "Zeit je Angebot (Minuten)",
    "kpi_baseline": "90",
    "kpi_target": "45",
    "kpi_measured": "",
    "score_value": "5",
    "score_feasibility": "4",
    "score_strategic": "3",
    "status": "idee",
}


def create(client, **changes):
    return client.post("/anwendungsfaelle/neu", data={**VALID, **changes})


@pytest.fixture
def head(client, auth, people):
    auth.login("head@example.org")
    return client


def test_head_creates_and_sees_ranked_list(app, head):
    assert create(head).status_code == 302
    create(
        head,
        title="Protokolle zusammenfassen",
        score_value="3",
        score_feasibility="5",
        score_strategic="2",
    )
    page = head.get("/anwendungsfaelle/").get_data(as_text=True)
    assert page.index("Angebotsentwürfe mit KI") < page.index("Protokolle zusammenfassen")
    assert ">78<" in page  # priority of 5/4/3: 4.1 → 77.5 → 78


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Bitte geben Sie einen Titel ein."),
        ({"score_value": "6"}, "Diese Auswahl ist nicht möglich."),
        ({"score_value": "abc"}, "Diese Auswahl ist nicht möglich."),
        ({"kpi_baseline": ""}, "Bitte geben Sie den Ausgangswert an."),
        ({"status": "fertig"}, "Diese Auswahl ist nicht möglich."),
        ({"title": "x" * 201}, "200"),
    ],
)
def test_bad_input_changes_nothing(app, head, changes, message):
    response = create(head, **changes)
    assert response.status_code == 400
    assert "Bitte korrigieren Sie:" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UseCase)) == 0


def test_status_must_follow_the_flow(app, head):
    create(head)
    with app.app_context():
        case_id = db.session.scalar(sa.select(UseCase.id))
    response = head.post(
        f"/anwendungsfaelle/{case_id}/bearbeiten", data={**VALID, "status": "im_einsatz"}
    )
    assert response.status_code == 400
    assert "Dieser Statuswechsel ist nicht vorgesehen" in response.get_data(as_text=True)
    assert (
        head.post(
            f"/anwendungsfaelle/{case_id}/bearbeiten", data={**VALID, "status": "bewertet"}
        ).status_code
        == 302
    )


def test_other_department_cannot_see_or_edit(app, client, auth, people):
    auth.login("head@example.org")
    create(client)
    auth.logout()
    with app.app_context():
        make_person(
            "head.marketing@example.org", roles={Role.DEPARTMENT_HEAD}, department_name="Marketing"
        )
        db.session.commit()
        case_id = db.session.scalar(sa.select(UseCase.id))
    auth.login("head.marketing@example.org")
    assert client.get(f"/anwendungsfaelle/{case_id}").status_code == 404
    assert client.post(f"/anwendungsfaelle/{case_id}/bearbeiten", data=VALID).status_code == 404
    assert "Angebotsentwürfe" not in client.get("/anwendungsfaelle/").get_data(as_text=True)


def test_learners_have_no_access(client, auth, people):
    auth.login()
    assert client.get("/anwendungsfaelle/").status_code == 403
    assert create(client).status_code == 403


def test_linked_submissions_show_names_only_to_the_department(app, client, auth, people, content):
    auth.login("head@example.org")
    create(client)
    auth.logout()
    with app.app_context():
        case_id = db.session.scalar(sa.select(UseCase.id))
    auth.login()
    client.post("/module/w2/abgabe", data={"text": "Vorlage gebaut.", "use_case_id": str(case_id)})
    auth.logout()
    auth.login("head@example.org")
    page = client.get(f"/anwendungsfaelle/{case_id}").get_data(as_text=True)
    assert "Modul w2 – Lea Lernend" in page
    assert "Vorlage gebaut." not in page  # the text stays with the learner and the reviewer
    auth.logout()
    auth.login("gf@example.org")
    page = client.get(f"/anwendungsfaelle/{case_id}").get_data(as_text=True)
    assert "1 Praxisaufgabe ist mit diesem Anwendungsfall verknüpft." in page
    assert "Lea Lernend" not in page
