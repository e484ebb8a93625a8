"""The final exam in a real browser: the countdown runs, hands the answers in when the time is up,
and the exam and result pages fit from 360 to 1920 px."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lernpfad.certification.models import ExamAttempt
from lernpfad.db import utcnow
from lernpfad.extensions import db
from tests.browser.conftest import login
from tests.certification.candidates import second_champion

pytestmark = pytest.mark.browser


def fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def _a_champion_without_an_exam(live_app) -> str:
    """The demo's certified champion has passed already: take the second champion's attempts back."""
    with live_app.app_context():
        second = second_champion()
        db.session.execute(sa.delete(ExamAttempt).where(ExamAttempt.person_id == second.id))
        db.session.commit()
        return second.email


def test_the_countdown_hands_in_when_the_time_is_up(page, live_app):
    login(page, _a_champion_without_an_exam(live_app))
    page.goto("/zertifizierung/pruefung/")
    page.get_by_role("button", name="Prüfung starten").click()
    expect(page).to_have_url(re.compile(r".*/zertifizierung/pruefung/\d+$"))
    expect(page.locator("[data-exam-timer]")).to_have_text(re.compile(r"^Noch (29|30):\d\d$"))
    for width in (360, 1920):
        page.set_viewport_size({"width": width, "height": 800})
        assert fits(page), width
    attempt_id = int(page.url.rsplit("/", 1)[1])
    # The server's clock moves on: the time ran out a few seconds ago (within the allowance).
    with live_app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        attempt.deadline = utcnow() - timedelta(seconds=5)
        db.session.commit()
    page.goto(f"/zertifizierung/pruefung/{attempt_id}")
    expect(page).to_have_url(re.compile(rf".*/pruefung/{attempt_id}/ergebnis$"))
    expect(page.get_by_text("0 von 20 Fragen richtig")).to_be_visible()
    for width in (360, 1920):
        page.set_viewport_size({"width": width, "height": 800})
        assert fits(page), width
    with live_app.app_context():
        attempt = db.session.scalar(sa.select(ExamAttempt).where(ExamAttempt.id == attempt_id))
        assert (attempt.submitted_at is not None, attempt.late, attempt.passed) == (
            True,
            False,
            False,
        )
