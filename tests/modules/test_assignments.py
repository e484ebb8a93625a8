"""Department heads assign modules with due dates to their own department."""

from datetime import date, timedelta

import sqlalchemy as sa

from lernpfad.extensions import db
from lernpfad.modules.models import ModuleAssignment
from tests.helpers import make_person


def assignments(app):
    with app.app_context():
        return db.session.scalars(sa.select(ModuleAssignment)).all()


def test_head_assigns_and_learner_sees_due_date(app, client, auth, people, content):
    auth.login("head@example.org")
    due = (date.today() + timedelta(days=14)).isoformat()
    response = client.post(
        "/module/zuweisen",
        data={"module_id": "w1", "due_on": due, "people": [str(people["learner"])]},
    )
    assert response.status_code == 302
    auth.logout()
    auth.login()
    dashboard = client.get("/").get_data(as_text=True)
    assert "Fällige Module" in dashboard and "Modul w1" in dashboard
    assert "fällig am" in client.get("/module/w1").get_data(as_text=True)


def test_assigning_outside_the_department_or_in_the_past_is_refused(
    app, client, auth, people, content
):
    with app.app_context():
        outsider = make_person("aussen@example.org", department_name="Marketing").id
        db.session.commit()
    auth.login("head@example.org")
    future = (date.today() + timedelta(days=3)).isoformat()
    past = (date.today() - timedelta(days=1)).isoformat()
    cases = [
        (
            {"module_id": "w1", "due_on": future, "people": [str(outsider)]},
            "Diese Auswahl ist nicht möglich.",
        ),
        (
            {"module_id": "w1", "due_on": past, "people": [str(people["learner"])]},
            "nicht in der Vergangenheit",
        ),
        (
            {"module_id": "w1", "due_on": "31.02.2026", "people": [str(people["learner"])]},
            "gültiges Datum",
        ),
        (
            {"module_id": "gibtsnicht", "due_on": future, "people": [str(people["learner"])]},
            "Diese Auswahl ist nicht möglich.",
        ),
        ({"module_id": "w1", "due_on": future}, "mindestens eine Person"),
    ]
    for data, message in cases:
        response = client.post("/module/zuweisen", data=data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), (data, message)
    assert assignments(app) == []


def test_learner_cannot_assign(client, auth, people, content):
    auth.login()
    assert client.get("/module/zuweisen").status_code == 403
