"""The AI Act Art. 4 evidence as a PDF, and the evidence page at a chosen Stichtag and scope."""

import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Department, Person
from lernpfad.content.models import ModuleVersion
from lernpfad.db import local_today
from lernpfad.extensions import db
from lernpfad.modules.models import ModuleProgress
from lernpfad.reports import forms
from lernpfad.reports.models import ReportSnapshot
from lernpfad.reports.services import _in_force, last_complete_month
from tests.conftest import skip_or_fail
from tests.content_factory import DIMENSIONS
from tests.helpers import login_client as login
from tests.helpers import make_person
from tests.reports.test_pages import assess

NOVEMBER_26_AFTER_MIDNIGHT = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # 00:30 in Berlin


def department_id(name: str) -> int:
    return db.session.scalar(sa.select(Department.id).where(Department.name == name))


def complete(email: str, module_id: str, at: datetime) -> None:
    person = db.session.scalar(sa.select(Person).where(Person.email == email))
    version = db.session.scalar(
        sa.select(ModuleVersion.id).where(ModuleVersion.module_id == module_id)
    )
    db.session.add(
        ModuleProgress(
            person_id=person.id,
            module_id=module_id,
            version_id=version,
            state="abgeschlossen",
            completed_at=at,
        )
    )


@pytest.fixture
def company(app, people, content):
    """Vertrieb: 6 assessed plus the fixture people; Einkauf: 2 assessed; Service: 5 assessed.
    Einkauf is too small, so Service is withheld as well. One completion, on 26 November
    (company time)."""
    with app.app_context():
        for n, level in enumerate([1, 1, 1, 3, 3, 3]):
            assess(make_person(f"v{n}@example.org", name=f"Verkauf {n}"), level)
        for n in range(2):
            assess(make_person(f"e{n}@example.org", department_name="Einkauf"), 4)
        for n in range(5):
            assess(make_person(f"s{n}@example.org", department_name="Service"), 2)
        complete("learner@example.org", "g1", NOVEMBER_26_AFTER_MIDNIGHT)
        db.session.commit()
        return {name: department_id(name) for name in ("Vertrieb", "Einkauf", "Service")}


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def flat(text: str) -> str:
    """The text with its line breaks as spaces (table cells and long sentences wrap)."""
    return re.sub(r"\s+", " ", text)


def test_the_company_pdf_has_every_part_page_numbers_and_no_names(app, company, tmp_path):
    hr = login(app, "hr@example.org")
    response = hr.get("/berichte/nachweis.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with app.app_context():
        today = local_today()
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="nachweis-art4-ki-kompetenz-{today}.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    text, pages = pdf_text(response.data)
    flat_text = flat(text)
    for heading in (
        "Nachweis nach Art. 4 KI-Verordnung (KI-Kompetenz)",
        "Gesamtes Unternehmen",
        "1. Bedarfsanalyse",
        "2. Plan: rollenbezogene Lernpfade",
        "3. Aktualisierungen",
        "4. Dokumentation",
        "5. Inhaltsversionen",
        "6. Maßnahmen",
        "Lernpfade je Rolle",
        "KI-Champions und Mentoring",
        "Zertifizierung",
    ):
        assert heading in flat_text, heading
    assert "Seite 1 von" in text and f"Seite {pages} von {pages}" in text
    for number in range(1, pages + 1):
        assert f"Seite {number} von {pages}" in text
    assert "Erstellt am" in text
    assert "Datenschutzmodus Zusammengefasst – Kompetenzstufen nur für Gruppen ab 5" in flat_text
    # The company's live competence figures (13 assessed, all published) and the versions.
    assert "Stand der Veröffentlichung vom" in flat_text and "Mittlere Stufe" in flat_text
    assert "Modul g1" in flat_text and "Modul-ID" in flat_text
    assert "1 abgeschlossenes Modul von 1 Person." in flat_text
    for name in ("Lea Lernend", "Verkauf 0", "v0@example.org"):
        assert name not in text  # aggregates only
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "evidence.pdf"))
        hr_id = db.session.scalar(sa.select(Person.id).where(Person.email == "hr@example.org"))
        assert event.actor_id == hr_id
        assert event.details == {
            "scope": "company",
            "department_id": None,
            "stichtag": today.isoformat(),
        }
    # Rendered: one PNG per page, each with something on it.
    if shutil.which("pdftoppm") is None:
        skip_or_fail("pdftoppm is not installed (Debian: poppler-utils)")
    (tmp_path / "nachweis.pdf").write_bytes(response.data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "nachweis.pdf", "seite"],
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    images = sorted(tmp_path.glob("seite*.png"))
    assert len(images) == pages >= 2
    for image in images:
        assert 5_000 < image.stat().st_size < 2_000_000


def test_a_department_pdf_names_it_and_a_withheld_department_shows_no_competence(app, company):
    hr = login(app, "hr@example.org")
    response = hr.get(f"/berichte/nachweis.pdf?abteilung={company['Service']}")
    assert response.status_code == 200
    assert f"-abteilung-{company['Service']}.pdf" in response.headers["Content-Disposition"]
    text = flat(pdf_text(response.data)[0])
    assert "Abteilung Service" in text
    assert "5 von 5 Beschäftigten (100 %) haben die Selbsteinschätzung abgeschlossen." in text
    assert "Kompetenzzahlen ausgeblendet" in text
    assert "Mittlere Stufe" not in text and "Stufe 2" not in text
    page = hr.get(f"/berichte/nachweis?abteilung={company['Service']}").get_data(as_text=True)
    assert "Kompetenzzahlen ausgeblendet" in page and "mittlere Stufe" not in page
    # Vertrieb is large enough and not withheld: its own figures.
    vertrieb = flat(
        pdf_text(hr.get(f"/berichte/nachweis.pdf?abteilung={company['Vertrieb']}").data)[0]
    )
    assert "Abteilung Vertrieb" in vertrieb and "Mittlere Stufe" in vertrieb
    small = flat(pdf_text(hr.get(f"/berichte/nachweis.pdf?abteilung={company['Einkauf']}").data)[0])
    assert "weniger als 5" in small and "Mittlere Stufe" not in small


def test_a_past_stichtag_counts_only_what_happened_up_to_its_end(app, company):
    hr = login(app, "hr@example.org")
    before = hr.get("/berichte/nachweis.pdf?stichtag=2026-11-25")
    assert before.status_code == 200
    text = flat(pdf_text(before.data)[0])
    assert "25. November 2026" in text
    assert "0 abgeschlossene Module von 0 Personen." in text
    assert "ohne Verlauf gespeichert" in text  # the path assignments are today's
    on_the_day = flat(pdf_text(hr.get("/berichte/nachweis.pdf?stichtag=26.11.2026").data)[0])
    assert "26. November 2026" in on_the_day
    assert "1 abgeschlossenes Modul von 1 Person." in on_the_day
    page = hr.get("/berichte/nachweis?stichtag=2026-11-25").get_data(as_text=True)
    assert "0 abgeschlossene Module von 0 Personen." in page
    assert 'value="2026-11-25"' in page


def test_a_past_stichtag_takes_competence_from_the_monthly_snapshot(app, company):
    """Never fresh figures for a past date: the last snapshot up to it, or none."""
    with app.app_context():
        figures = {
            "n": 7,
            "distribution": {d: [0, 7, 0, 0, 0] for d in DIMENSIONS},
            "means": {d: 1.0 for d in DIMENSIONS},
        }
        common = {
            "staff": 20,
            "assessed": 7,
            "assessed_percent": 35,
            "completed_modules": 0,
            "learners_with_completion": 0,
            "champions": 1.0,
            "champions_needed": 1,
            "use_cases": {},
        }
        db.session.add(
            ReportSnapshot(group_key="company", month="2026-10", competence=figures, **common)
        )
        db.session.add(
            ReportSnapshot(
                group_key=f"department:{company['Vertrieb']}",
                month="2026-10",
                competence=None,
                **common,
            )
        )
        db.session.commit()
    hr = login(app, "hr@example.org")
    text = flat(pdf_text(hr.get("/berichte/nachweis.pdf?stichtag=2026-11-20").data)[0])
    assert "Stand der Monatsauswertung 2026-10, 7 Personen mit Selbsteinschätzung." in text
    assert "Stand der Veröffentlichung" not in text
    month_end = flat(pdf_text(hr.get("/berichte/nachweis.pdf?stichtag=2026-10-31").data)[0])
    assert "Stand der Monatsauswertung 2026-10" in month_end
    earlier = flat(pdf_text(hr.get("/berichte/nachweis.pdf?stichtag=2026-10-30").data)[0])
    assert "keine Monatsauswertung vor" in earlier and "Mittlere Stufe" not in earlier
    vertrieb = flat(
        pdf_text(
            hr.get(
                f"/berichte/nachweis.pdf?stichtag=2026-11-20&abteilung={company['Vertrieb']}"
            ).data
        )[0]
    )
    assert "Die Monatsauswertung 2026-10 enthält für diese Gruppe keine Kompetenzzahlen" in vertrieb
    page = hr.get("/berichte/nachweis?stichtag=2026-11-20").get_data(as_text=True)
    assert "Stand der Monatsauswertung 2026-10" in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("stichtag=2026-13-01", "kein gültiges Datum"),
        ("stichtag=gestern", "kein gültiges Datum"),
        ("stichtag=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-01-01", "kein gültiges Datum"),
        ("stichtag=" + "9" * 400, "kein gültiges Datum"),
        ("stichtag=9999-12-31", "nicht in der Zukunft"),
        ("stichtag=1999-12-31", "nicht vor dem"),
        ("abteilung=99999999999999", "Diese Abteilung gibt es nicht"),
        ("abteilung=abc", "Diese Abteilung gibt es nicht"),
        ("abteilung=424242", "Diese Abteilung gibt es nicht"),
        ("abteilung=-1", "Diese Abteilung gibt es nicht"),
    ],
)
@pytest.mark.parametrize("path", ["/berichte/nachweis", "/berichte/nachweis.pdf"])
def test_bad_input_shows_the_page_again_with_a_german_message(app, company, path, query, message):
    response = login(app, "hr@example.org").get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert message in page and "Bitte korrigieren Sie:" in page
    assert "1. Bedarfsanalyse" in page  # the page itself, for today and the whole company
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "evidence.pdf")
            )
            == 0
        )


def test_the_pdf_names_the_individual_levels_mode(app, company):
    app.config["PRIVACY_MODE"] = "individual"
    text = flat(pdf_text(login(app, "hr@example.org").get("/berichte/nachweis.pdf").data)[0])
    assert "Einzelwerte für HR (protokolliert)" in text
    assert "Verkauf 0" not in text  # still aggregates only


@pytest.mark.parametrize("who", ["gf", "head", "learner", "champion", "admin"])
def test_only_hr_gets_the_pdf(app, people, content, who):
    assert login(app, f"{who}@example.org").get("/berichte/nachweis.pdf").status_code == 403


def test_the_page_offers_the_choice_and_the_pdf(app, company):
    page = login(app, "hr@example.org").get(f"/berichte/nachweis?abteilung={company['Vertrieb']}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nachweis KI-Kompetenz (Art. 4 AI Act): Vertrieb" in text
    assert 'name="stichtag"' in text and "Gesamtes Unternehmen" in text
    assert "/berichte/nachweis.pdf" in text
    assert f'<option value="{company["Vertrieb"]}" selected>' in text


# --- pure rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, parsed",
    [
        ("2026-11-25", date(2026, 11, 25)),
        (" 2026-11-25 ", date(2026, 11, 25)),
        ("25.11.2026", date(2026, 11, 25)),
        ("1.2.2026", date(2026, 2, 1)),
        ("2026-02-30", None),
        ("20261125", None),
        ("2026-W48", None),
        ("２０２６-11-25", None),
        ("2026-11-25T00:00", None),
        ("", None),
    ],
)
def test_parse_day(raw, parsed):
    assert forms.parse_day(raw) == parsed


@pytest.mark.parametrize(
    "raw_day, raw_department, day, department, errors",
    [
        (None, None, date(2026, 12, 6), None, set()),
        ("", "", date(2026, 12, 6), None, set()),
        ("2026-12-06", "3", date(2026, 12, 6), 3, set()),
        ("2026-12-07", "3", date(2026, 12, 6), 3, {"stichtag"}),
        ("2000-01-01", None, date(2000, 1, 1), None, set()),
        ("1999-12-31", "4", date(2026, 12, 6), None, {"stichtag", "abteilung"}),
    ],
)
def test_evidence_scope(app, raw_day, raw_department, day, department, errors):
    with app.test_request_context():
        scope = forms.evidence_scope(
            raw_day, raw_department, today=date(2026, 12, 6), department_ids={3}
        )
    assert (scope.day, scope.department_id, set(scope.errors)) == (day, department, errors)


@pytest.mark.parametrize(
    "day, month",
    [
        (date(2026, 10, 31), "2026-10"),
        (date(2026, 10, 30), "2026-09"),
        (date(2026, 12, 31), "2026-12"),
        (date(2026, 1, 1), "2025-12"),
        (date(2028, 2, 29), "2028-02"),
    ],
)
def test_last_complete_month(day, month):
    assert last_complete_month(day) == month


def version(key, at, current=False, id_=0):
    return SimpleNamespace(
        key=key, imported_at=datetime(2026, *at, tzinfo=UTC), is_current=current, id=id_
    )


def content_import(at, *changed):
    return SimpleNamespace(
        imported_at=datetime(2026, *at, 1, tzinfo=UTC), summary={"changed": list(changed)}
    )


# a: A1 (Jan) → A2 (Mar) → back to A1 (May); b: retired in Apr; c: new in Jun
VERSIONS = [
    version("a", (1, 1), current=True, id_=1),
    version("a", (3, 1), id_=2),
    version("b", (1, 1), id_=3),
    version("c", (6, 1), current=True, id_=4),
]
IMPORTS = [
    content_import((1, 1), "module:a", "module:b"),
    content_import((3, 1), "module:a"),
    content_import((4, 1), "module-retired:b"),
    content_import((5, 1), "module:a"),
    content_import((6, 1), "module:c"),
]


@pytest.mark.parametrize(
    "as_of, expected",
    [
        (None, {"a": 1, "c": 4}),
        ((2, 1), {"a": 1, "b": 3}),
        ((3, 15), {"a": 2, "b": 3}),
        ((4, 15), {"a": 2}),  # b retired
        ((5, 15), {"a": 1}),  # back to A1, which is current and has not changed since
        ((7, 1), {"a": 1, "c": 4}),
        ((1, 1), {}),  # nothing imported before the first moment
    ],
)
def test_versions_in_force(as_of, expected):
    moment = datetime(2026, *as_of, tzinfo=UTC) if as_of else None
    found = _in_force(VERSIONS, lambda row: row.key, moment, IMPORTS)
    assert {key: row.id for key, row in found.items()} == expected


def test_a_small_departments_paths_are_not_counted(app, company):
    """The path follows from the self-assessment: in a department under the minimum its counts
    would say who answered what."""
    from lernpfad.paths.models import PathAssignment

    with app.app_context():
        for email in ("e0@example.org", "e1@example.org", "v0@example.org", "v1@example.org"):
            person = db.session.scalar(sa.select(Person).where(Person.email == email))
            db.session.add(PathAssignment(person_id=person.id, role="anwender"))
        for n in range(3, 6):
            person = db.session.scalar(sa.select(Person).where(Person.email == f"v{n}@example.org"))
            db.session.add(PathAssignment(person_id=person.id, role="anwender"))
        db.session.commit()
    hr = login(app, "hr@example.org")
    small = hr.get(f"/berichte/nachweis?abteilung={company['Einkauf']}").get_data(as_text=True)
    assert "für Abteilungen mit weniger als 5 Personen nicht gezeigt" in small
    assert "Lernpfad „" not in small
    pdf = flat(pdf_text(hr.get(f"/berichte/nachweis.pdf?abteilung={company['Einkauf']}").data)[0])
    assert "für Abteilungen mit weniger als 5 Personen nicht gezeigt" in pdf
    large = hr.get(f"/berichte/nachweis?abteilung={company['Vertrieb']}").get_data(as_text=True)
    assert "nicht gezeigt: Sie folgt" not in large and "Lernpfad „" in large
