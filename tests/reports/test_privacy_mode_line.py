"""Every report page says which privacy mode is in force, in one line near the top."""

import pytest

from lernpfad.auth.models import Person
from lernpfad.extensions import db
from lernpfad.privacy.mode import AGGREGATE, INDIVIDUAL, switch_mode
from tests.helpers import login_client

PAGES = [
    ("hr@example.org", "/berichte/"),
    ("hr@example.org", "/berichte/?abteilung=1"),
    ("head@example.org", "/berichte/bereich"),
    ("gf@example.org", "/berichte/kennzahlen"),
    ("hr@example.org", "/berichte/nachweis"),
]
AGGREGATE_LINE = "Datenschutzmodus: Zusammengefasst – Kompetenzstufen nur für Gruppen ab 5 Personen"
INDIVIDUAL_LINE = "Datenschutzmodus: Einzelwerte für HR (protokolliert)"


def switch(app, people, mode: str) -> None:
    with app.app_context():
        switch_mode(mode, actor=db.session.get(Person, people["admin"]), reason="BV § 4")
        db.session.commit()


def line_position(page: str, line: str) -> int:
    """Where the line stands, after the page's heading and before its figures."""
    position = page.index(line)
    assert page.index("</h1>") < position < page.index("</main>")
    return position


@pytest.mark.parametrize(("email", "url"), PAGES)
def test_the_aggregate_mode_is_shown(app, people, content, email, url):
    response = login_client(app, email).get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    line_position(page, AGGREGATE_LINE)
    assert INDIVIDUAL_LINE not in page


@pytest.mark.parametrize(("email", "url"), PAGES)
def test_the_individual_mode_is_shown(app, people, content, email, url):
    switch(app, people, INDIVIDUAL)
    page = login_client(app, email).get(url).get_data(as_text=True)
    line_position(page, INDIVIDUAL_LINE)
    assert AGGREGATE_LINE not in page


def test_the_line_follows_the_minimum_and_a_switch_back(app_factory, people, content):
    app = app_factory(PRIVACY_MIN_GROUP=7)
    switch(app, people, INDIVIDUAL)
    switch(app, people, AGGREGATE)
    page = login_client(app, "gf@example.org").get("/berichte/kennzahlen").get_data(as_text=True)
    assert "Kompetenzstufen nur für Gruppen ab 7 Personen" in page
