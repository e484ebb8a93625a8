"""The privacy mode in the operations area: shown with its origin, switched only by an
administrator with a reason, every switch in the audit log, bad input refused with nothing
changed."""

import threading
import time

import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.audit.services import verify
from lernpfad.auth.models import Person
from lernpfad.extensions import db
from lernpfad.privacy.mode import INDIVIDUAL, ModeRefused, switch_mode
from lernpfad.privacy.models import PrivacyModeChange
from tests.helpers import login_client

URL = "/betrieb/datenschutzmodus"


def changes(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            (row.mode, row.reason)
            for row in db.session.scalars(
                sa.select(PrivacyModeChange).order_by(PrivacyModeChange.id)
            )
        ]


def switch_events(app) -> list[AuditEvent]:
    with app.app_context():
        found = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "privacy_mode.switched")
        ).all()
        db.session.expunge_all()
        return found


def test_the_page_explains_both_modes_and_shows_the_one_in_force(app, people):
    response = login_client(app, "admin@example.org").get(URL)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Es gilt: Zusammengefasst" in page
    assert "Ausgangswert aus der Konfiguration" in page and "LERNPFAD_PRIVACY_MODE" in page
    assert "für Gruppen ab 5 Personen mit Selbsteinschätzung" in page
    assert "Nur, wenn die Betriebsvereinbarung es ausdrücklich erlaubt." in page
    assert "Jeder Abruf wird protokolliert" in page
    # the form offers the other mode first
    assert '<option selected value="individual">' in page


def test_a_switch_is_stored_audited_and_shown(app, people):
    admin = login_client(app, "admin@example.org")
    response = admin.post(
        URL, data={"mode": "individual", "reason": "Betriebsvereinbarung vom 1.3."}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(URL)
    assert changes(app) == [("individual", "Betriebsvereinbarung vom 1.3.")]
    (event,) = switch_events(app)
    assert event.actor_id == people["admin"]
    assert event.details == {
        "before": "aggregate",
        "after": "individual",
        "reason": "Betriebsvereinbarung vom 1.3.",
    }
    page = admin.get(URL).get_data(as_text=True)
    assert "Der Datenschutzmodus ist jetzt „Einzelwerte für HR“." in page
    assert "Es gilt: Einzelwerte für HR" in page
    assert "von Admin." in page and "Betriebsvereinbarung vom 1.3." in page

    back = admin.post(URL, data={"mode": "aggregate", "reason": "Vereinbarung gekündigt"})
    assert back.status_code == 302
    assert [e.details["after"] for e in switch_events(app)] == ["individual", "aggregate"]


def test_the_configured_mode_is_the_starting_point(app_factory, people):
    """LERNPFAD_PRIVACY_MODE holds until an administrator switches (same database, people)."""
    configured = app_factory(PRIVACY_MODE="individual")
    page = login_client(configured, "admin@example.org").get(URL).get_data(as_text=True)
    assert "Es gilt: Einzelwerte für HR" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "everything", "reason": "BV"}, "Diese Auswahl ist nicht möglich."),
        ({"reason": "BV"}, "Bitte wählen Sie einen Modus."),
        ({"mode": "individual", "reason": ""}, "Bitte geben Sie eine Begründung an."),
        ({"mode": "individual", "reason": "   "}, "Bitte geben Sie eine Begründung an."),
        ({"mode": "individual"}, "Bitte geben Sie eine Begründung an."),
        ({"mode": "aggregate", "reason": "BV"}, "Dieser Datenschutzmodus gilt bereits"),
        ({"mode": "individual", "reason": "x" * 1001}, "höchstens 1.000 Zeichen"),
        ({"mode": "individual", "reason": "BV\u202evom 1.3."}, "Steuerzeichen"),
        ({"mode": "individual", "reason": "BV\tvom 1.3."}, "Steuerzeichen"),
    ],
)
def test_bad_input_changes_nothing(app, people, data, message):
    response = login_client(app, "admin@example.org").post(URL, data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert changes(app) == []
    assert switch_events(app) == []


def test_a_reason_of_exactly_1000_characters_is_taken(app, people):
    response = login_client(app, "admin@example.org").post(
        URL, data={"mode": "individual", "reason": "x" * 1000}
    )
    assert response.status_code == 302
    assert len(changes(app)) == 1


@pytest.mark.parametrize(
    "email",
    ["hr@example.org", "head@example.org", "gf@example.org", "learner@example.org"],
)
def test_only_administrators_switch(app, people, email):
    client = login_client(app, email)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"mode": "individual", "reason": "BV"}).status_code == 403
    assert changes(app) == []


def test_the_overview_names_the_mode_and_links_to_it(app, people):
    page = login_client(app, "admin@example.org").get("/betrieb/").get_data(as_text=True)
    assert f'href="{URL}"' in page and "Zusammengefasst" in page


def test_two_administrators_switching_at_once_store_one_switch(app, people):
    """The second switch starts while the first is not yet committed: it waits for the first's
    commit, then finds the mode in force ("unchanged") and stores nothing."""
    first_written = threading.Event()
    outcome = []

    def second():
        first_written.wait(5)
        with app.app_context():
            admin = db.session.get(Person, people["admin"])
            try:
                switch_mode(INDIVIDUAL, actor=admin, reason="zweite Umstellung")
            except ModeRefused as refused:
                db.session.rollback()
                outcome.append(str(refused))
            else:
                db.session.commit()
                outcome.append("switched")

    thread = threading.Thread(target=second)
    thread.start()
    with app.app_context():
        switch_mode(
            INDIVIDUAL, actor=db.session.get(Person, people["admin"]), reason="erste Umstellung"
        )
        first_written.set()
        time.sleep(0.5)  # the second switch reads the mode meanwhile (unless it has to wait)
        db.session.commit()
    thread.join(10)
    assert outcome == ["unchanged"]
    assert changes(app) == [("individual", "erste Umstellung")]
    assert [(e.details["before"], e.details["after"]) for e in switch_events(app)] == [
        ("aggregate", "individual")
    ]
    with app.app_context():
        assert verify()[0] is None
