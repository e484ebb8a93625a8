"""A candidate with everything else done passes the final exam, HR approves, the public
verification page says "gültig"; HR revokes with a reason and the page says "widerrufen"."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lernpfad.auth.models import Person
from lernpfad.certification.models import Certificate, ExamAttempt
from lernpfad.content.services import current_document
from lernpfad.extensions import db
from tests.browser.conftest import login
from tests.certification.candidates import complete_second_champion

pytestmark = pytest.mark.browser


def _ready_but_for_the_exam(live_app) -> tuple[str, str]:
    """The demo's second champion with everything done but the exam (taken back) and the
    approval."""
    with live_app.app_context():
        second = complete_second_champion()
        db.session.execute(sa.delete(ExamAttempt).where(ExamAttempt.person_id == second.id))
        db.session.commit()
        return second.email, second.name


def test_exam_approval_verification_and_revocation(page, live_app):
    email, name = _ready_but_for_the_exam(live_app)
    login(page, email)
    page.goto("/zertifizierung/")
    expect(page.get_by_text("Abschlussprüfung bestanden")).to_be_visible()
    page.get_by_role("link", name="Zur Prüfung").click()
    page.get_by_role("button", name="Prüfung starten").click()
    expect(page.get_by_role("button", name="Antworten abgeben")).to_be_visible()
    with live_app.app_context():
        attempt = db.session.scalar(
            sa.select(ExamAttempt).where(ExamAttempt.submitted_at.is_(None))
        )
        pool = {q["id"]: q for q in current_document("exam_pool").data["questions"]}
        right = [pool[qid]["correct"] for qid in attempt.question_ids]
    assert "explanation" not in page.content()
    for position, indices in enumerate(right):
        for index in indices:
            page.locator(f"input[name='q-{position}'][value='{index}']").check()
    page.get_by_role("button", name="Antworten abgeben").click()
    expect(page.get_by_text("Bestanden – herzlichen Glückwunsch!")).to_be_visible()
    page.get_by_role("button", name="Abmelden").click()

    login(page, "hr@muster.example")
    page.goto("/zertifizierung/kandidaten")
    page.get_by_role("link", name=name).click()
    page.get_by_role("button", name="Freigeben und Zertifikat ausstellen").click()
    expect(page.get_by_text(re.compile("ist jetzt zertifizierte:r KI-Champion"))).to_be_visible()
    with live_app.app_context():
        code = db.session.scalar(
            sa.select(Certificate.code)
            .join(Person, Person.id == Certificate.person_id)
            .where(Person.email == email)
        )

    visitor = page.context.browser.new_page()  # the outside verifier: not signed in
    visitor.goto(page.url.split("/zertifizierung")[0] + f"/verify/{code}")
    expect(visitor.get_by_text("Dieses Zertifikat ist gültig.").first).to_be_visible()
    expect(visitor.get_by_text(name).first).to_be_visible()

    page.get_by_text("Widerrufen …").click()
    page.get_by_label("Grund des Widerrufs").fill("Hat das Unternehmen verlassen.")
    page.get_by_role("button", name="Zertifikat widerrufen").click()
    expect(page.get_by_text("Das Zertifikat ist widerrufen.")).to_be_visible()
    visitor.reload()
    expect(
        visitor.get_by_text(re.compile("Dieses Zertifikat wurde am .* widerrufen.")).first
    ).to_be_visible()
    visitor.close()
