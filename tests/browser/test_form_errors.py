"""Errors in view: a refused form answers with a focused error summary at the form, whose links
lead to the fields — on the long module page too, and without JavaScript still at the form."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


def summary_is_focused(page) -> bool:
    return page.evaluate("document.activeElement.hasAttribute('data-error-summary')")


def open_next_module(page):
    login(page, "anna@muster.example")
    page.get_by_role("link", name="Weiterlernen").click()
    expect(page).to_have_url(re.compile(r".*/module/[a-z0-9-]+$"))


def test_empty_hand_in_focuses_the_summary_at_the_form(page):
    open_next_module(page)
    assert page.evaluate("document.documentElement.scrollHeight") > 3000  # a long page
    page.get_by_role("button", name=re.compile("^(Einreichen|Bestätigen)$")).click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert in_viewport(page, "[data-error-summary]")
    expect(summary.get_by_role("heading", name="Bitte korrigieren Sie:")).to_be_visible()
    link = summary.get_by_role("link", name=re.compile("Bitte beschreiben Sie"))
    assert link.get_attribute("href") == "#text"

    link.click()  # leads to the text box, its label in view
    text_box = page.get_by_label("Was haben Sie getan, und was hat es verändert?")
    expect(text_box).to_be_focused()
    assert in_viewport(page, "label[for=text]")
    expect(page.locator("#text-fehler")).to_have_text(re.compile("Bitte beschreiben Sie"))


def test_without_javascript_the_answer_still_lands_at_the_form(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    try:
        open_next_module(page)
        page.get_by_role("button", name=re.compile("^(Einreichen|Bestätigen)$")).click()
        expect(page).to_have_url(re.compile(r"/abgabe#abgabe$"))
        expect(page.locator("[data-error-summary]")).to_be_visible()
        assert page.evaluate("window.scrollY") > 1000  # not at the top of the page
        assert in_viewport(page, "[data-error-summary]")
    finally:
        context.close()


def test_assign_form_shows_the_date_error_and_the_missing_people_together(page):
    login(page, "leitung.vertrieb@muster.example")
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    assignments = navigation.get_by_role("link", name="Zuweisungen")
    if not assignments.is_visible():  # the bar is full: the last entries sit under "Mehr"
        navigation.get_by_text("Mehr", exact=True).click()
    assignments.click()
    page.get_by_role("link", name="Modul zuweisen").click()
    page.get_by_label("Fällig am").fill("2020-01-01")
    page.get_by_role("button", name="Zuweisen").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Das Fälligkeitsdatum darf nicht in der Vergangenheit liegen.",
            "Bitte wählen Sie mindestens eine Person.",
        ]
    )
    expect(page.locator("#due_on-fehler")).to_be_visible()
    expect(page.locator("#people-fehler")).to_be_visible()
    summary.get_by_role("link", name="Bitte wählen Sie mindestens eine Person.").click()
    expect(page.locator("#people-0")).to_be_focused()
