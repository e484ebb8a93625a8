"""anna@muster.example opens her next module, passes the quiz, hands in a task linked to a use case."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lernpfad.content.models import ModuleVersion
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def progress_value(page) -> int:
    return int(page.locator("progress").first.get_attribute("value"))


def test_anna_learns_a_module_and_her_progress_moves(page, live_app):
    login(page, "anna@muster.example")
    before = progress_value(page)
    page.get_by_role("link", name="Weiterlernen").click()
    expect(page).to_have_url(re.compile(r".*/module/[a-z0-9-]+$"))
    module_id = page.url.rsplit("/", 1)[1]
    with live_app.app_context():
        from lernpfad.extensions import db

        version = db.session.scalar(
            sa.select(ModuleVersion).where(
                ModuleVersion.module_id == module_id, ModuleVersion.is_current
            )
        )
        quiz, review = version.quiz, version.task["review"]

    # The quiz: first one wrong answer everywhere, then the right ones after reading the explanations.
    quiz_form = page.locator("#quiz form")
    for index, question in enumerate(quiz):
        wrong = next(i for i in range(len(question["options"])) if i not in question["correct"])
        quiz_form.locator(f"input[name='q-{index}'][value='{wrong}']").check()
    page.get_by_role("button", name="Antworten prüfen").click()
    expect(page.get_by_text(re.compile(r"0 von \d+ richtig"))).to_be_visible()
    for index, question in enumerate(quiz):
        for option in range(len(question["options"])):
            box = quiz_form.locator(f"input[name='q-{index}'][value='{option}']")
            if option in question["correct"]:
                box.check()
            elif box.get_attribute("type") == "checkbox":
                box.uncheck()
    page.get_by_role("button", name="Antworten prüfen").click()
    expect(page.get_by_text(re.compile(r"Quiz bestanden: (\d+) von \1 richtig"))).to_be_visible()

    # The practical task, linked to a use case of her department (Vertrieb).
    page.get_by_label("Was haben Sie getan, und was hat es verändert?").fill(
        "Ich habe drei echte Kundenanfragen mit dem Assistenten vorbereitet.\n\n- 30 Minuten gespart"
    )
    page.get_by_label(re.compile("Zu welchem Anwendungsfall")).select_option(
        label="Angebotsentwürfe aus Anfragen"
    )
    if not review:
        page.get_by_label(re.compile("Ich bestätige")).check()
    page.get_by_role("button", name=re.compile("Einreichen|Bestätigen")).click()
    expect(page.get_by_text(re.compile("Eingereicht|Aufgabe bestätigt"))).to_be_visible()

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Mein Lernpfad"
    ).click()
    step = page.locator(".path-step", has_text=version.title)
    expect(
        step.get_by_text("eingereicht" if review else "abgeschlossen", exact=True)
    ).to_be_visible()
    assert progress_value(page) > before  # quiz passed and task handed in: the bar moved
    page.screenshot(path="/tmp/lernpfad-path.png", full_page=True)
