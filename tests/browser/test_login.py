import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

ALWAYS = ["Übersicht"]
# What each demo login finds in the main navigation, and what it must not find.
NAVIGATION = [
    ("hr@muster.example", ["Personen"], []),
    ("admin@muster.example", ["Personen"], []),
    ("gf@muster.example", [], ["Personen"]),
    ("leitung.vertrieb@muster.example", [], ["Personen"]),
    ("champion@muster.example", [], ["Personen"]),
    ("anna@muster.example", [], ["Personen"]),
    ("neu@muster.example", [], ["Personen"]),
]


@pytest.mark.parametrize(("email", "present", "absent"), NAVIGATION)
def test_each_demo_role_sees_its_navigation_and_logs_out(page, email, present, absent):
    login(page, email)
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guten Tag")
    for label in ALWAYS + present:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in absent:
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_count(0)
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_text("Sie sind abgemeldet.")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r".*/anmelden.*"))


def test_wrong_password_shows_german_error(page):
    login(page, "anna@muster.example", "falsches-passwort")
    expect(page.get_by_role("alert")).to_have_text(
        "E-Mail-Adresse oder Passwort ist nicht korrekt."
    )
    expect(page).to_have_url(re.compile(r".*/anmelden.*"))
