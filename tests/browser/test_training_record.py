"""HR opens a person's training record; that person then finds the opening on "Meine Daten"."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person
from lernpfad.extensions import db
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

PERSON = "champion@muster.example"


def test_hr_opens_a_training_record_and_the_person_sees_it(page, live_app):
    with live_app.app_context():
        person = db.session.scalar(sa.select(Person).where(Person.email == PERSON))
        person_id, name = person.id, person.name
        seen_before = db.session.scalar(
            sa.select(sa.func.count()).where(
                AuditEvent.subject_id == person_id, AuditEvent.action == "training_record.viewed"
            )
        )
    assert seen_before == 0  # the entry on "Meine Daten" can only come from this opening

    login(page, "hr@muster.example")
    page.goto(f"/personen/{person_id}")
    page.get_by_role("link", name="Schulungsnachweis ansehen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Schulungsnachweis: {name}")
    expect(page.get_by_text("Das Öffnen dieses Nachweises wird protokolliert.")).to_be_visible()
    expect(page.get_by_role("heading", name="Abgeschlossene Module")).to_be_visible()
    page.get_by_role("button", name="Abmelden").click()

    login(page, PERSON)
    page.goto("/meine-daten/")
    log = page.locator("section", has=page.get_by_role("heading", name="Protokoll"))
    row = log.get_by_role("row").filter(has_text="Schulungsnachweis angesehen")
    expect(row.first).to_contain_text("Helga Roth")
