"""Report pages: aggregates only, suppressed below the privacy minimum, scoped by role."""

import pytest

from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult
from lernpfad.auth.models import Person
from lernpfad.content.models import ModuleVersion
from lernpfad.extensions import db
from lernpfad.modules.models import ModuleProgress
from tests.content_factory import DIMENSIONS
from tests.helpers import login_client as login
from tests.helpers import make_person


def assess(person: Person, level: int | dict[str, int], completed_at=None) -> AssessmentResult:
    """A result on ``level`` in every dimension, or on the levels given per dimension
    (completed now, or at ``completed_at``). Not flushed."""
    attempt = AssessmentAttempt(
        person_id=person.id, assessment_key="standard", assessment_hash="x", answers={}
    )
    db.session.add(attempt)
    db.session.flush()
    result = AssessmentResult(
        person_id=person.id,
        attempt_id=attempt.id,
        assessment_hash="x",
        base_role="anwender",
        path_role="anwender",
        levels=level if isinstance(level, dict) else {d: level for d in DIMENSIONS},
        details={},
        **({"completed_at": completed_at} if completed_at else {}),
    )
    db.session.add(result)
    return result


@pytest.fixture
def company(app, people, content):
    """Vertrieb: 6 assessed (levels 1,1,1,3,3,3) plus the fixture people; Einkauf: 2 assessed;
    Service: 5 assessed. Einkauf is too small, so Service is withheld as well."""
    with app.app_context():
        for n, level in enumerate([1, 1, 1, 3, 3, 3]):
            assess(make_person(f"v{n}@example.org", name=f"Verkauf {n}"), level)
        for n in range(2):
            assess(make_person(f"e{n}@example.org", department_name="Einkauf"), 4)
        for n in range(5):
            assess(make_person(f"s{n}@example.org", department_name="Service"), 2)
        person = db.session.scalar(db.select(Person).where(Person.email == "v0@example.org"))
        version = db.session.scalar(
            db.select(ModuleVersion.id).where(ModuleVersion.module_id == "g1")
        )
        db.session.add(
            ModuleProgress(
                person_id=person.id, module_id="g1", version_id=version, state="abgeschlossen"
            )
        )
        db.session.commit()


def test_hr_sees_distribution_matrix_and_coverage(app, company):
    page = login(app, "hr@example.org").get("/berichte/").get_data(as_text=True)
    assert "Selbsteinschätzung abgeschlossen" in page and "13 von 19" in page
    assert "Kompetenzstufen je Bereich" in page
    assert "Zwei Gipfel" in page  # the histogram is shown for 8 ≥ 5 assessed people
    assert "Einkauf" in page and "weniger als 5 Personen mit Selbsteinschätzung" in page
    assert "Vertrieb" in page and "2,0" in page  # mean of 1,1,1,3,3,3 in German notation
    # Company minus Vertrieb would reveal Einkauf alone; Service is withheld so the rest is 7.
    assert "ausgeblendet, damit sich keine kleinere Gruppe errechnen lässt" in page
    assert "KI-Champions je Abteilung" in page
    for name in ("Verkauf 0", "v0@example.org", "Lea Lernend"):
        assert name not in page  # no individual appears


def test_department_filter_and_suppression_of_a_small_department(app, company):
    hr = login(app, "hr@example.org")
    with app.app_context():
        einkauf = db.session.scalar(
            db.select(Person.department_id).where(Person.email == "e0@example.org")
        )
    page = hr.get(f"/berichte/?abteilung={einkauf}").get_data(as_text=True)
    assert "Berichte: Einkauf" in page
    assert "aus Datenschutzgründen keine Auswertung" in page
    assert "Stufe 4" not in page
    with app.app_context():
        service = db.session.scalar(
            db.select(Person.department_id).where(Person.email == "s0@example.org")
        )
    withheld = hr.get(f"/berichte/?abteilung={service}").get_data(as_text=True)
    assert "Ausgeblendet: Zusammen mit den anderen Zahlen" in withheld
    assert hr.get("/berichte/?abteilung=abc").status_code == 200
    assert hr.get("/berichte/?abteilung=99999999999999").status_code == 200


def test_department_head_sees_only_their_department(app, company):
    page = login(app, "head@example.org").get("/berichte/bereich").get_data(as_text=True)
    assert "Mein Bereich: Vertrieb" in page
    assert "Einkauf" not in page
    assert "Abteilungen und Bereiche" not in page


def test_leadership_sees_company_kpis(app, company):
    page = login(app, "gf@example.org").get("/berichte/kennzahlen").get_data(as_text=True)
    assert "Kennzahlen" in page and "Abgeschlossene Module" in page and ">1<" in page


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("learner", "/berichte/"),
        ("champion", "/berichte/"),
        ("head", "/berichte/"),
        ("gf", "/berichte/"),
        ("hr", "/berichte/bereich"),
        ("learner", "/berichte/kennzahlen"),
        ("hr", "/berichte/kennzahlen"),
    ],
)
def test_reports_are_role_scoped(app, company, who, path):
    assert login(app, f"{who}@example.org").get(path).status_code == 403


def test_a_head_without_department_gets_a_message(app, people, content):
    from lernpfad.auth.models import Role

    with app.app_context():
        head = make_person("lonely@example.org", roles={Role.DEPARTMENT_HEAD})
        head.department = None
        db.session.commit()
    page = login(app, "lonely@example.org").get("/berichte/bereich").get_data(as_text=True)
    assert "Ihnen ist keine Abteilung zugeordnet." in page


def test_coverage_counts_assigned_champions_once_for_the_company(app, company):
    from lernpfad.auth.models import Department
    from lernpfad.mentoring.models import ChampionDepartment

    with app.app_context():
        champion = db.session.scalar(
            db.select(Person).where(Person.email == "champion@example.org")
        )
        einkauf = db.session.scalar(db.select(Department).where(Department.name == "Einkauf"))
        db.session.add(ChampionDepartment(champion_id=champion.id, department_id=einkauf.id))
        db.session.commit()
    page = login(app, "hr@example.org").get("/berichte/").get_data(as_text=True)
    # One person looking after two departments counts half in each, once for the company: the
    # departments no longer say "ausreichend" twice while the company lacks champions.
    assert "Einkauf: 0,5 KI-Champions für 2 Mitarbeitende" in page
    assert "Vertrieb: 0,5 KI-Champions für 12 Mitarbeitende" in page
    assert "Unternehmen:</strong> 1 KI-Champion für 19 Mitarbeitende" in page
    vertrieb = page[page.index("Vertrieb: 0,5") :][:300]
    assert "1 nötig" in vertrieb and "ausreichend" not in vertrieb


def test_every_report_says_which_figures_the_privacy_minimum_covers(app, company):
    """Issue: a department of one person showed "0 von 1" without saying why participation is
    shown when competence is not. Participation is a training record (any group size);
    competence only from the minimum on — the same sentence on every report."""
    with app.app_context():
        solo = make_person("solo@example.org", department_name="Recht")
        db.session.commit()
        recht = solo.department_id
    hr = login(app, "hr@example.org")
    pages = {
        "hr": hr.get(f"/berichte/?abteilung={recht}").get_data(as_text=True),
        "evidence": hr.get("/berichte/nachweis").get_data(as_text=True),
        "leadership": login(app, "gf@example.org")
        .get("/berichte/kennzahlen")
        .get_data(as_text=True),
        "head": login(app, "head@example.org").get("/berichte/bereich").get_data(as_text=True),
    }
    for name, page in pages.items():
        assert (
            "Teilnahmezahlen – abgeschlossene Selbsteinschätzungen und Module – sind Schulungsnachweise"
            in page
        ), name
        assert "Kompetenzstufen erscheinen nur für Gruppen ab 5 Personen" in page, name
    assert "0 von 1" in pages["hr"]  # participation, shown and explained
    assert "aus Datenschutzgründen keine Auswertung" in pages["hr"]  # competence, withheld
