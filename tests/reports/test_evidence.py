"""AI Act Art. 4 evidence: the aggregated page and the audited CSV of training records."""

import csv
import io

import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person
from lernpfad.extensions import db
from tests.helpers import login_client as login
from tests.helpers import make_person

RIGHT = {f"q-{i}": "0" for i in range(5)}


@pytest.fixture
def completed(app, people, content):
    """The learner completes w1 (no review needed); a person named like a formula completes it too."""
    with app.app_context():
        make_person("formel@example.org", name="=1+1")
        db.session.commit()
    for email in ("learner@example.org", "formel@example.org"):
        client = login(app, email)
        client.post("/module/w1/quiz", data=RIGHT)
        client.post("/module/w1/abgabe", data={"text": "Erledigt.", "confirmed": "ja"})


def test_evidence_page_summarises_needs_plan_updates_documentation(app, completed):
    page = login(app, "hr@example.org").get("/berichte/nachweis").get_data(as_text=True)
    for heading in ("1. Bedarfsanalyse", "2. Plan", "3. Aktualisierungen", "4. Dokumentation"):
        assert heading in page
    assert "2 abgeschlossene Module von 2 Personen." in page
    assert "Modul w1" in page
    assert "Lea Lernend" not in page  # the page itself is aggregated


def test_training_csv_lists_completions_and_is_audited(app, completed):
    response = login(app, "hr@example.org").get("/berichte/nachweis/schulungen.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Name", "E-Mail", "Abteilung"]
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email["learner@example.org"][3:5] == ["w1", "Modul w1"]
    assert len(by_email["learner@example.org"][5]) == 12  # the content version it was done on
    assert by_email["formel@example.org"][0] == "'=1+1"  # not run as a formula
    with app.app_context():
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "training_records_export")
        )
        hr = db.session.scalar(sa.select(Person).where(Person.email == "hr@example.org"))
        assert event.actor_id == hr.id and event.details == {"format": "csv", "rows": 2}


@pytest.mark.parametrize("who", ["learner", "champion", "head", "gf", "admin"])
def test_only_hr_gets_the_evidence(app, people, content, who):
    client = login(app, f"{who}@example.org")
    assert client.get("/berichte/nachweis").status_code == 403
    assert client.get("/berichte/nachweis/schulungen.csv").status_code == 403


def test_csv_dates_are_german_dates_and_leavers_still_count(app, completed):
    from datetime import UTC, datetime

    from lernpfad.modules.models import ModuleProgress

    with app.app_context():
        learner = db.session.scalar(sa.select(Person).where(Person.email == "learner@example.org"))
        row = db.session.scalar(
            sa.select(ModuleProgress).where(ModuleProgress.person_id == learner.id)
        )
        row.completed_at = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # 00:30 in Berlin
        learner.active = False
        db.session.commit()
    hr = login(app, "hr@example.org")
    text = hr.get("/berichte/nachweis/schulungen.csv").get_data(as_text=True)
    line = next(r for r in text.splitlines() if r.startswith("Lea Lernend;"))
    cells = line.split(";")
    assert cells[8] == "2026-11-26" and cells[7].isdigit() and line.endswith(";nein")
    page = hr.get("/berichte/nachweis").get_data(as_text=True)
    assert "2 abgeschlossene Module von 2 Personen." in page  # the leaver still counts
