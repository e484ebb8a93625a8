"""champion@muster.example returns Anna's waiting hand-in with feedback; Anna sees it in her module."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_champion_returns_a_hand_in_and_the_learner_sees_the_feedback(page, live_app):
    login(page, "champion@muster.example")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Mentoring"
    ).click()
    row = page.locator("tr", has_text="Anna Berger")
    module_title = row.locator("td").first.inner_text()
    row.get_by_role("link", name=re.compile("Ansehen")).click()
    expect(page.get_by_role("heading", name=re.compile("^Abgabe:"))).to_be_visible()

    page.get_by_role("button", name="Zurückgeben").click()  # without feedback: refused
    expect(page.get_by_role("alert")).to_contain_text("Bitte schreiben Sie beim Zurückgeben")
    page.get_by_label("Rückmeldung an die lernende Person").fill(
        "Bitte ergänzen Sie, **wie viel Zeit** Sie gespart haben."
    )
    page.get_by_role("button", name="Zurückgeben").click()
    expect(page.get_by_text("Zurückgegeben. Anna Berger kann die Aufgabe")).to_be_visible()
    expect(page.locator("tr", has_text="Anna Berger")).to_have_count(0)

    page.get_by_role("button", name="Abmelden").click()
    login(page, "anna@muster.example")
    expect(page.get_by_text("Zurückgegebene Aufgaben")).to_be_visible()
    page.get_by_role("link", name=module_title).first.click()
    expect(page.locator(".submission strong", has_text="wie viel Zeit")).to_be_visible()
