"""Finding: a department head saved the report (11 of 15 assessed), waited until one colleague
finished the assessment, and the difference of the histograms was exactly that colleague's
levels. Published figures now move only in steps of at least PRIVACY_MIN_GROUP people."""

import re

import sqlalchemy as sa

from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.reports.models import ReportPublication
from tests.helpers import login_client as login
from tests.helpers import make_person
from tests.reports.test_pages import assess


def histogram_rows(page: str) -> list[str]:
    """The level table as text: one row per area with the counts and the mean."""
    table = page[
        page.index('id="dist-title"') : page.index("</table>", page.index('id="dist-title"'))
    ]
    return [re.sub(r"<[^>]+>|\s+", " ", row).strip() for row in table.split("<tr>")[2:]]


def colleague(app, n: int):
    with app.app_context():
        return db.session.scalar(sa.select(Person).where(Person.email == f"k{n}@example.org"))


def finish_assessment(app, n: int, level: int):
    with app.app_context():
        assess(
            db.session.scalar(sa.select(Person).where(Person.email == f"k{n}@example.org")), level
        )
        db.session.commit()


def test_one_more_assessment_changes_nothing_a_head_can_compare(app, people, content):
    with app.app_context():
        for n in range(15):
            make_person(f"k{n}@example.org", department_name="Einkauf")
        make_person("leitung@example.org", department_name="Einkauf", roles={Role.DEPARTMENT_HEAD})
        db.session.commit()
    for n in range(11):
        finish_assessment(app, n, 1 + n % 3)
    head = login(app, "leitung@example.org")
    saved = head.get("/berichte/bereich").get_data(as_text=True)
    before = histogram_rows(saved)
    assert before and "11 Personen mit Selbsteinschätzung" in saved

    finish_assessment(app, 11, 4)  # one colleague, at level 4 everywhere
    again = head.get("/berichte/bereich").get_data(as_text=True)
    assert histogram_rows(again) == before  # nothing to subtract
    assert "12 von 16" in again  # completion itself is no competence figure and stays live
    hr_view = login(app, "hr@example.org").get("/berichte/?abteilung=2").get_data(as_text=True)
    assert histogram_rows(hr_view) == before  # HR sees the same step for the department

    for n in range(12, 15):
        finish_assessment(app, n, 4)
    assert histogram_rows(head.get("/berichte/bereich").get_data(as_text=True)) == before
    finish_assessment(app, 0, 4)  # a repeated assessment counts as a change: five now
    after = head.get("/berichte/bereich").get_data(as_text=True)
    assert histogram_rows(after) != before
    assert "15 Personen mit Selbsteinschätzung" in after
    # The step between the two publications is five people's changes, never one: in every area
    # five more people at level 4 (the four new ones and the one who repeated).
    level_4 = [
        (int(b.split()[-2]), int(a.split()[-2]))
        for b, a in zip(before, histogram_rows(after), strict=True)
    ]
    assert level_4 and all(a - b == 5 for b, a in level_4)


def test_publications_are_kept_per_group(app, people, content):
    with app.app_context():
        for n in range(6):
            assess(make_person(f"k{n}@example.org", department_name="Einkauf"), 2)
        db.session.commit()
    login(app, "hr@example.org").get("/berichte/")
    with app.app_context():
        keys = set(db.session.scalars(sa.select(ReportPublication.group_key)))
        einkauf = db.session.scalar(
            sa.select(ReportPublication).where(ReportPublication.group_key != "company")
        )
    assert "company" in keys and einkauf.figures["n"] == 6
    assert einkauf.figures["means"]["grundlagen"] == 2.0
