"""The HR staff list: paged, searchable by name or e-mail, filterable by department."""

import re

import pytest

from lernpfad.extensions import db
from lernpfad.people.services import people_overview
from tests.helpers import make_person


def names(html: str) -> list[str]:
    return re.findall(
        r"<td><a href=\"/personen/\d+\">([^<]+)</a><br><span class=\"muted email\">", html
    )


@pytest.fixture
def staff(app, people):
    with app.app_context():
        for n in range(60):
            make_person(f"person{n:02d}@example.org", name=f"Person {n:02d}")
        make_person("oe@example.org", name="Ömer Özdemir", department_name="Marketing")
        make_person("percent@example.org", name="Zins 100%")
        db.session.commit()


@pytest.fixture
def hr(client, auth, staff):
    auth.login("hr@example.org")
    return client


def test_pages_of_fifty_with_navigation(hr):
    first = hr.get("/personen/").get_data(as_text=True)
    assert len(names(first)) == 50
    assert "Seite 1 von 2" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = hr.get("/personen/?seite=2").get_data(as_text=True)
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert not set(names(first)) & set(names(second))


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1" * 30, "２"])
def test_malformed_or_far_pages_show_a_page(hr, page):
    response = hr.get(f"/personen/?seite={page}")
    assert response.status_code == 200
    assert names(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Person 07", ["Person 07"]),
        ("person07@", ["Person 07"]),
        ("özdemir", ["Ömer Özdemir"]),  # Unicode case folding on SQLite too
        ("100%", ["Zins 100%"]),  # % is a character, not a wildcard
        ("_", []),
    ],
)
def test_search_by_name_or_email(hr, query, expected):
    html = hr.get("/personen/", query_string={"q": query}).get_data(as_text=True)
    assert names(html) == expected
    if not expected:
        assert "Keine Person gefunden" in html


def test_department_filter_and_unknown_department(app, hr):
    with app.app_context():
        marketing = people_overview(search="Ömer").people[0].department_id
    html = hr.get(f"/personen/?abteilung={marketing}").get_data(as_text=True)
    assert names(html) == ["Ömer Özdemir"]
    assert "1 Person" in html
    everyone = hr.get("/personen/?abteilung=999999").get_data(as_text=True)
    assert len(names(everyone)) == 50  # unknown filter: everyone, no error


def test_filters_are_kept_across_pages(hr):
    html = hr.get("/personen/?q=person").get_data(as_text=True)
    assert "Seite 1 von 2" in html
    assert "seite=2&amp;q=person" in html or "q=person&amp;seite=2" in html
