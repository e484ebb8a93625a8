"""Found by probing pilots as a user would: a pilot start far in the future, a decision form
sent twice."""

import re
from datetime import date

import sqlalchemy as sa

from lernpfad.extensions import db
from lernpfad.usecases import pilots
from lernpfad.usecases.models import PilotDecision, PilotMeasurement, UseCase
from tests.helpers import login_client as login
from tests.usecases.test_pilot_routes import add_pilot, pilot  # noqa: F401 (fixture)
from tests.usecases.test_register import VALID


def test_a_pilot_end_past_the_calendar_is_the_last_day_not_an_overflow():
    assert pilots.pilot_end(date(9999, 12, 31), 26) == date.max
    assert pilots.decision_due(date(9999, 12, 1), 26, date(2026, 12, 7)) is False


def test_a_pilot_start_more_than_a_year_ahead_is_refused_and_nothing_changes(app, people):
    head = login(app, "head@example.org")
    head.post("/anwendungsfaelle/neu", data={**VALID, "status": "idee"})
    with app.app_context():
        case_id = db.session.scalar(sa.select(UseCase.id))
    head.post(f"/anwendungsfaelle/{case_id}/bearbeiten", data={**VALID, "status": "bewertet"})
    response = head.post(
        f"/anwendungsfaelle/{case_id}/bearbeiten",
        data={**VALID, "status": "pilot", "pilot_started_on": "31.12.9999", "pilot_weeks": "26"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = page.split('<p class="field__error" id="pilot_started_on-fehler">')[1].split("</p>")[0]
    assert "höchstens ein Jahr in der Zukunft" in error
    with app.app_context():
        case = db.session.get(UseCase, case_id)
        assert (case.status, case.pilot_started_on) == ("bewertet", None)
    assert head.get(f"/anwendungsfaelle/{case_id}").status_code == 200


def test_a_stored_start_at_the_end_of_the_calendar_still_shows(app, people):
    with app.app_context():
        case_id = add_pilot(pilot_started_on=date(9999, 12, 1), pilot_weeks=26)
        db.session.commit()
    head = login(app, "head@example.org")
    assert head.get(f"/anwendungsfaelle/{case_id}").status_code == 200


def _decision_form(client, case_id) -> dict:
    page = client.get(f"/anwendungsfaelle/{case_id}").get_data(as_text=True)
    form = page.split(f'action="/anwendungsfaelle/{case_id}/entscheidung')[1].split("</form>")[0]
    hidden = dict(
        re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', form)
    )
    hidden.update(
        re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
    )
    return hidden


def test_an_extension_sent_twice_extends_once(app, pilot):  # noqa: F811
    head = login(app, "head@example.org")
    data = {
        **_decision_form(head, pilot),
        "entscheidung-decision": "verlaengern",
        "entscheidung-reason": "Mehr Messwerte abwarten",
        "entscheidung-extra_weeks": "4",
    }
    assert "entscheidung-seen" in data
    url = f"/anwendungsfaelle/{pilot}/entscheidung"
    assert head.post(url, data=data).status_code == 302
    again = head.post(url, data=data)  # the same form again: a double click, a reload
    assert again.status_code == 400
    assert "inzwischen schon entschieden" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(UseCase, pilot).pilot_weeks == 10
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PilotDecision)) == 1
    # the page shown with the message carries the current state: deciding again is possible
    fresh = {**data, **_decision_form(head, pilot)}
    assert head.post(url, data=fresh).status_code == 302
    with app.app_context():
        assert db.session.get(UseCase, pilot).pilot_weeks == 14


def _form_fields(client, case_id, action) -> dict:
    page = client.get(f"/anwendungsfaelle/{case_id}").get_data(as_text=True)
    form = page.split(f'action="/anwendungsfaelle/{case_id}/{action}')[1].split("</form>")[0]
    return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))


def test_a_reading_sent_twice_is_stored_once(app, pilot):  # noqa: F811
    head = login(app, "head@example.org")
    data = {**_form_fields(head, pilot, "messwerte"), "messung-value": "56"}
    assert data.get("messung-seen") == "0"
    url = f"/anwendungsfaelle/{pilot}/messwerte"
    assert head.post(url, data=data).status_code == 302
    again = head.post(url, data=data)
    assert again.status_code == 400
    assert "Inzwischen wurde ein Messwert gespeichert" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PilotMeasurement)) == 1
    fresh = {**data, **_form_fields(head, pilot, "messwerte"), "messung-value": "50"}
    assert head.post(url, data=fresh).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PilotMeasurement)) == 2
