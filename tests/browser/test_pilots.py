"""The head of Vertrieb starts typing a use case Kundenservice already has and sees it before
saving; then records two KPI readings on the Vertrieb pilot and sees the measured line."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lernpfad.db import local_today
from lernpfad.extensions import db
from lernpfad.usecases.models import UseCase
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

HEAD = "leitung.vertrieb@muster.example"


def test_similar_use_case_shows_while_typing_then_two_readings_draw_the_line(page, live_app):
    with live_app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(UseCase))
        today = local_today()
    login(page, HEAD)
    page.goto("/anwendungsfaelle/neu")
    results = page.locator("[data-similar-results]")
    expect(results.locator("[data-similar-list]")).to_have_count(0)
    page.get_by_label("Titel", exact=True).press_sequentially("Gesprächsnotizen ins CRM")
    page.get_by_label("Prozess", exact=True).fill("Nachbereitung von Kundentelefonaten")
    listed = results.locator("[data-similar-list] li")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Kundentelefonate als CRM-Notiz zusammenfassen")
    expect(listed).to_contain_text("Kundenservice")
    expect(page).to_have_url(re.compile(r"/anwendungsfaelle/neu$"))  # nothing sent yet
    with live_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UseCase)) == before

    page.goto("/anwendungsfaelle/")
    page.get_by_role("link", name="Angebotsentwürfe aus Anfragen", exact=True).click()
    pilot = page.locator("#pilot")
    dots_before = pilot.locator("svg[data-pilot-chart] circle").count()
    for day, value in ((today - timedelta(days=1), "52"), (today, "48 Minuten")):
        pilot.get_by_label("Gemessen am").fill(day.isoformat())
        pilot.get_by_label("Messwert", exact=True).fill(value)
        pilot.get_by_role("button", name="Messwert speichern").click()
        expect(page.get_by_text("Messwert gespeichert.")).to_be_visible()

    chart = page.locator("svg[data-pilot-chart]")
    points = chart.locator("polyline[data-measured]").get_attribute("points").split()
    assert len(points) == dots_before + 2
    heights = [float(point.split(",")[1]) for point in points]
    assert heights[-1] > heights[-2]  # 48 below 52 on the screen: y grows downwards
    assert [float(point.split(",")[0]) for point in points] == sorted(
        float(point.split(",")[0]) for point in points
    )
    rows = page.locator("table[data-readings] tbody tr")
    expect(rows).to_have_count(dots_before + 2)
    expect(rows.nth(dots_before)).to_contain_text("52")
    expect(rows.last).to_contain_text("48")
    expect(rows.last).to_contain_text("Lena Vogt")
    expect(pilot).to_contain_text("−47 %, Ziel −30 %")  # 48 against 90
