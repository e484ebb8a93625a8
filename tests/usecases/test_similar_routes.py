"""Similar use cases of other departments: on the form (the script's fragment, and the button
„Ähnliche prüfen“ without JavaScript) and as clusters for HR and leadership."""

import sqlalchemy as sa

from lernpfad.auth.models import Role
from lernpfad.extensions import db
from lernpfad.usecases.models import UseCase
from tests.helpers import login_client as login
from tests.helpers import make_person
from tests.usecases.test_register import VALID
from tests.usecases.test_scope import add_use_case

CRM = {
    "title": "Gesprächsnotizen ins CRM übernehmen",
    "business_process": "Nachbereitung von Kundengesprächen",
    "problem": "Nach Gesprächen mit Kunden fehlen die Notizen im CRM.",
}


def setup_cases(app):
    with app.app_context():
        service = add_use_case("Kundentelefonate als CRM-Notiz zusammenfassen", "Kundenservice")
        case = db.session.get(UseCase, service)
        case.process = "Nachbereitung von Kundentelefonaten"
        case.problem = "Nach Telefonaten mit Kunden fehlen die Gesprächsnotizen im CRM."
        own = add_use_case("CRM-Notizen aus Gesprächsprotokollen", "Vertrieb")
        db.session.get(UseCase, own).process = "Nachbereitung von Kundengesprächen"
        add_use_case("Reisekostenabrechnung prüfen", "Verwaltung")
        db.session.commit()
    return service, own


def test_the_fragment_lists_other_departments_only(app, people):
    setup_cases(app)
    head = login(app, "head@example.org")
    response = head.get(
        "/anwendungsfaelle/aehnliche",
        query_string={"titel": CRM["title"], "prozess": CRM["business_process"]},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page  # a fragment
    assert "Kundentelefonate als CRM-Notiz zusammenfassen" in page and "Kundenservice" in page
    assert "CRM-Notizen aus Gesprächsprotokollen" not in page  # the head's own department
    assert "Reisekosten" not in page
    nothing = head.get("/anwendungsfaelle/aehnliche", query_string={"titel": "Schichtplan"})
    assert "data-similar-list" not in nothing.get_data(as_text=True)
    assert head.get("/anwendungsfaelle/aehnliche").status_code == 200  # nothing typed yet


def test_the_fragment_is_for_those_who_register(app, people):
    for email in ("learner@example.org", "gf@example.org", "hr@example.org"):
        assert login(app, email).get("/anwendungsfaelle/aehnliche").status_code == 403


def test_without_javascript_the_check_button_shows_the_list_and_saves_nothing(app, people):
    setup_cases(app)
    head = login(app, "head@example.org")
    form = head.get("/anwendungsfaelle/neu").get_data(as_text=True)
    assert 'name="aehnliche_pruefen"' in form and "js/similar-use-cases.js" in form
    assert "data-similar-list" not in form
    response = head.post(
        "/anwendungsfaelle/neu", data={**CRM, "aehnliche_pruefen": "1", "score_value": "3"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kundentelefonate als CRM-Notiz zusammenfassen" in page
    assert "Bitte korrigieren Sie:" not in page  # a check, not a refused save
    assert 'value="Gesprächsnotizen ins CRM übernehmen"' in page  # nothing typed is lost
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UseCase)) == 3
    # Saving it anyway works; the edit form then shows the similar one right away.
    saved = head.post("/anwendungsfaelle/neu", data={**VALID, **CRM})
    assert saved.status_code == 302
    edit = head.get(saved.headers["Location"] + "/bearbeiten").get_data(as_text=True)
    assert "Kundentelefonate als CRM-Notiz zusammenfassen" in edit


def test_clusters_for_hr_leadership_and_the_ai_coordination(app, people):
    service, own = setup_cases(app)
    with app.app_context():
        make_person("koordination@example.org", roles={Role.AI_COORDINATION})
        db.session.commit()
    for email in ("hr@example.org", "gf@example.org", "koordination@example.org"):
        client = login(app, email)
        page = client.get("/anwendungsfaelle/doppelarbeit").get_data(as_text=True)
        clusters = page.count("data-cluster")
        assert clusters == 1, email
        assert "Gruppe 1: Kundenservice, Vertrieb" in page
        assert f"/anwendungsfaelle/{service}" in page and f"/anwendungsfaelle/{own}" in page
        assert "Reisekosten" not in page
        index = client.get("/anwendungsfaelle/").get_data(as_text=True)
        assert "/anwendungsfaelle/doppelarbeit" in index
        assert client.get(f"/anwendungsfaelle/{service}").status_code == 200
    for email in ("head@example.org", "champion@example.org", "learner@example.org"):
        assert login(app, email).get("/anwendungsfaelle/doppelarbeit").status_code == 403


def test_rejected_use_cases_leave_the_clusters(app, people):
    service, _own = setup_cases(app)
    with app.app_context():
        db.session.get(UseCase, service).status = "verworfen"
        db.session.commit()
    page = login(app, "hr@example.org").get("/anwendungsfaelle/doppelarbeit")
    assert "Keine ähnlichen Anwendungsfälle" in page.get_data(as_text=True)
