"""neu@muster.example takes the whole self-assessment in Chromium, leaving halfway once."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def answer_all_radio_groups(page, pick):
    """Choose option ``pick(count)`` in every radio group of the form."""
    names = page.eval_on_selector_all(
        "form input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
    )
    for name in names:
        options = page.locator(f"form input[type=radio][name='{name}']")
        options.nth(pick(options.count())).check()
    return len(names)


def test_new_learner_takes_assessment_resumes_and_sees_result(page):
    login(page, "neu@muster.example")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Selbsteinschätzung"
    ).click()
    page.get_by_role("button", name="Selbsteinschätzung starten").click()

    # Step 1: function (prefilled from "Kundenberater"? no: choose explicitly)
    expect(page.get_by_text("Schritt 1 von 4")).to_be_visible()
    page.get_by_label("Mitarbeiterin oder Mitarbeiter", exact=False).first.check()
    page.get_by_role("button", name="Speichern und weiter").click()

    # Step 2: the self-ratings; submitting with one missing gets a German message.
    expect(page.get_by_text("Schritt 2 von 4")).to_be_visible()
    count = answer_all_radio_groups(page, lambda n: 2)
    assert count >= 14
    page.locator("form input[type=radio]:checked").first.evaluate("e => e.checked = false")
    page.get_by_role("button", name="Speichern und weiter").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte bewerten Sie alle Aussagen (1 fehlt).")
    answer_all_radio_groups(page, lambda n: 3)
    page.get_by_role("button", name="Speichern und weiter").click()
    expect(page.get_by_text("Schritt 3 von 4")).to_be_visible()

    # Leave halfway: log out, log in again, and resume at step 3.
    page.get_by_role("button", name="Abmelden").click()
    login(page, "neu@muster.example")
    page.goto("/selbsteinschaetzung/")
    page.get_by_role("button", name=re.compile("Fortsetzen \\(Schritt 3 von 4\\)")).click()
    expect(page.get_by_text("Schritt 3 von 4")).to_be_visible()

    # Step 3: knowledge check (first option everywhere; checkboxes too).
    answer_all_radio_groups(page, lambda n: 0)
    for box in page.locator("form input[type=checkbox]").all()[:1]:
        box.check()
    checkbox_groups = page.eval_on_selector_all(
        "form input[type=checkbox]", "els => [...new Set(els.map(e => e.name))]"
    )
    for name in checkbox_groups:
        page.locator(f"form input[type=checkbox][name='{name}']").first.check()
    page.get_by_role("button", name="Speichern und weiter").click()

    # Step 4: champion interest.
    expect(page.get_by_text("Schritt 4 von 4")).to_be_visible()
    page.get_by_label("Nein").check()
    page.get_by_label("1 Stunde", exact=True).check()
    page.get_by_role("button", name="Auswerten").click()

    # The result: radar chart, levels explained, the assigned path.
    expect(page.get_by_role("heading", name="Ihr Ergebnis der Selbsteinschätzung")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Netzdiagramm"))).to_be_visible()
    expect(
        page.get_by_text(
            re.compile(r"Selbsteinschätzung 3, Wissenscheck \d von \d richtig → Stufe \d")
        ).first
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Ihr Lernpfad")).to_be_visible()
    assert page.locator(".path-step").count() >= 10
    page.screenshot(path="/tmp/lernpfad-result.png")
