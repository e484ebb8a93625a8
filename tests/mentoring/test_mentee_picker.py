"""The mentee picker on the session log: grouped by department, searchable with a small script,
usable without it, and still checked on the server."""

import re
from datetime import date

import sqlalchemy as sa

from lernpfad.auth.models import Person
from lernpfad.extensions import db
from lernpfad.mentoring.models import MentoringSession
from lernpfad.mentoring.services import assign
from tests.helpers import department, make_person
from tests.helpers import login_client as login


def picker(html: str) -> str:
    match = re.search(r'<select[^>]*name="mentee_id".*?</select>', html, re.S)
    assert match, "no mentee picker"
    return match.group(0)


def groups(select: str) -> list[tuple[str, list[str]]]:
    return [
        (label, re.findall(r"<option[^>]*>([^<]*)</option>", body))
        for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    ]


def test_colleagues_are_grouped_by_department(app, people):
    with app.app_context():
        assign(db.session.get(Person, people["champion"]), department("Marketing"))
        make_person("mk@example.org", name="Mia Kurz", department_name="Marketing")
        make_person("ab@example.org", name="Anton Bauer", department_name="Marketing")
        make_person("ks@example.org", name="Kai Service", department_name="Kundenservice")
        db.session.commit()
    html = login(app, "champion@example.org").get("/mentoring/sitzungen").get_data(as_text=True)
    select = picker(html)
    # Departments by name, people by name; never the champion, nobody from other departments.
    assert groups(select) == [
        ("Marketing", ["Anton Bauer", "Mia Kurz"]),
        ("Vertrieb", ["Admin", "Gf", "Head", "Hr", "Lea Lernend"]),
    ]
    assert "Kai Service" not in select
    # "Please choose" stays outside the groups, first.
    assert re.search(
        r'<select[^>]*>\s*<option[^>]*value="0">— bitte wählen —</option><optgroup', select
    )


def test_the_search_is_a_script_from_the_app_and_the_page_works_without_it(app, people):
    html = login(app, "champion@example.org").get("/mentoring/sitzungen").get_data(as_text=True)
    assert '<script src="/static/js/select-filter.js" defer></script>' in html
    assert "data-select-filter" in html and 'data-label="Name oder Abteilung suchen"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script
    with app.test_client().get("/static/js/select-filter.js") as script:
        assert script.status_code == 200 and "data-select-filter" in script.get_data(as_text=True)


def test_a_colleague_of_an_assigned_department_can_be_chosen(app, people):
    with app.app_context():
        assign(db.session.get(Person, people["champion"]), department("Marketing"))
        mia = make_person("mk@example.org", name="Mia Kurz", department_name="Marketing").id
        db.session.commit()
    champion = login(app, "champion@example.org")
    response = champion.post(
        "/mentoring/sitzungen",
        data={
            "mentee_id": mia,
            "held_on": date.today().isoformat(),
            "minutes": "30",
            "topic": "Kampagnentexte prüfen",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(MentoringSession.mentee_id)) == mia
