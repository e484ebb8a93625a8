"""champion@muster.example logs a session: types part of a name, picks Anna from the narrowed list
and logs it; Anna finds it among her own sessions. Without JavaScript the grouped list works too."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_champion_searches_the_picker_and_logs_a_session(page, live_app):
    login(page, "champion@muster.example")
    page.goto("/mentoring/sitzungen")
    picker = page.get_by_label("Mit wem?")
    everyone = picker.locator("option").count()
    assert everyone > 40  # the demo company: every department but the champion's own person

    page.get_by_label("Name oder Abteilung suchen").fill("anna ber")
    expect(page.get_by_role("status")).to_contain_text("Treffer:")
    # "Bitte wählen" and the one match, which is chosen at once.
    expect(picker.locator("option")).to_have_text(["— bitte wählen —", "Anna Berger"])
    expect(picker.locator("option:checked")).to_have_text("Anna Berger")
    page.get_by_label("Name oder Abteilung suchen").press("Enter")  # does not send the form
    expect(picker).to_be_focused()
    expect(picker.locator("option")).to_have_count(2)  # still the narrowed list: no reload

    page.get_by_label("Name oder Abteilung suchen").fill("xyz gibt es nicht")
    expect(page.get_by_role("status")).to_have_text(
        "Niemand gefunden. Bitte prüfen Sie die Schreibweise."
    )
    expect(picker.locator("option")).to_have_count(1)
    page.get_by_label("Name oder Abteilung suchen").fill("Berger Vertrieb")  # name and group
    expect(picker.locator("option:checked")).to_have_text("Anna Berger")
    page.get_by_label("Name oder Abteilung suchen").fill("")
    assert picker.locator("option").count() == everyone  # all back, the choice kept
    expect(picker.locator("option:checked")).to_have_text("Anna Berger")
    picker.select_option(label="Anna Berger")

    page.get_by_label("Datum").fill((date.today() - timedelta(days=1)).isoformat())
    page.get_by_label("Dauer in Minuten").fill("25")
    page.get_by_label("Thema").fill("Suchfeld im Browser ausprobiert")
    page.get_by_role("button", name="Eintragen").click()
    expect(page.get_by_text("Eingetragen. Die Sitzung zählt")).to_be_visible()
    row = page.locator("tr", has_text="Suchfeld im Browser ausprobiert")
    expect(row).to_contain_text("Anna Berger")

    page.get_by_role("button", name="Abmelden").click()
    login(page, "anna@muster.example")
    page.goto("/lernpfad/")
    page.get_by_role("link", name="Meine Mentoring-Sitzungen").click()
    first = page.locator("tbody tr").first
    expect(first).to_contain_text("Suchfeld im Browser ausprobiert")
    expect(first).to_contain_text("Chris Martens")
    expect(first).to_contain_text("wartet auf Bestätigung")


def test_without_javascript_the_grouped_list_works(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="de-DE", java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, "champion@muster.example")
        page.goto("/mentoring/sitzungen")
        expect(page.get_by_label("Name oder Abteilung suchen")).to_have_count(0)
        picker = page.get_by_label("Mit wem?")
        expect(
            picker.locator("optgroup[label='Vertrieb'] option", has_text="Anna Berger")
        ).to_have_count(1)
        picker.select_option(label="Anna Berger")
        page.get_by_label("Dauer in Minuten").fill("15")
        page.get_by_label("Thema").fill("Ohne JavaScript eingetragen")
        page.get_by_role("button", name="Eintragen").click()
        row = page.locator("tr", has_text="Ohne JavaScript eingetragen")
        expect(row).to_contain_text("Anna Berger")
    finally:
        context.close()
