"""The training records as streamed CSV and XLSX downloads: rows, formulas, scope, audit."""

import csv
import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person
from lernpfad.content.models import ModuleVersion
from lernpfad.extensions import db
from lernpfad.modules.models import ModuleProgress
from lernpfad.reports.services import TRAINING_COLUMNS
from tests.helpers import login_client as login
from tests.helpers import make_person

FORMULA_NAMES = ['=HYPERLINK("http://böse.example","klick")', "+1", "-2", "@x"]
DONE = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # 26 November in Berlin


def complete(person: Person, module_id: str = "w1") -> None:
    version = db.session.scalar(
        sa.select(ModuleVersion).where(
            ModuleVersion.module_id == module_id, ModuleVersion.is_current
        )
    )
    db.session.add(
        ModuleProgress(
            person_id=person.id,
            module_id=module_id,
            version_id=version.id,
            state="abgeschlossen",
            quiz_passed=True,
            task_accepted=True,
            quiz_passed_at=DONE,
            quiz_attempts=2,
            completed_at=DONE,
        )
    )


@pytest.fixture
def completed(app, people, content):
    """Lea and four people named like formulas have completed w1."""
    with app.app_context():
        complete(db.session.get(Person, people["learner"]))
        for i, name in enumerate(FORMULA_NAMES):
            complete(make_person(f"formel{i}@example.org", name=name))
        db.session.commit()


def csv_rows(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def xlsx_rows(response) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = book.active
    assert sheet.title == "Schulungsnachweise"
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def export_events(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "training_records_export")
        ).all()


def test_csv_streams_every_completion_with_formulas_neutralised(app, completed):
    response = login(app, "hr@example.org").get("/berichte/nachweis/schulungen.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert 'filename="lernpfad-schulungsnachweis-' in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == list(TRAINING_COLUMNS)
    by_email = {row[1]: row for row in rows[1:]}
    assert len(rows) == 6 and len(by_email) == 5
    lea = by_email["learner@example.org"]
    assert lea[:5] == ["Lea Lernend", "learner@example.org", "Vertrieb", "w1", "Modul w1"]
    assert lea[6:] == ["2026-11-26", "2", "2026-11-26", "ja"]
    names = sorted(row[0] for email, row in by_email.items() if email.startswith("formel"))
    assert names == sorted("'" + name for name in FORMULA_NAMES)


def test_xlsx_streams_the_same_rows_as_text_and_real_dates(app, completed):
    response = login(app, "hr@example.org").get("/berichte/nachweis/schulungen.xlsx")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"].endswith(".xlsx")
    rows = xlsx_rows(response)
    assert rows[0] == list(TRAINING_COLUMNS)
    by_email = {row[1]: row for row in rows[1:]}
    assert len(rows) == 6 and len(by_email) == 5
    lea = by_email["learner@example.org"]
    assert lea[:5] == ["Lea Lernend", "learner@example.org", "Vertrieb", "w1", "Modul w1"]
    assert lea[6:] == [datetime(2026, 11, 26), 2, datetime(2026, 11, 26), "ja"]
    # Formula-looking names are kept as they are, as text cells that never run.
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    cells = [row[0] for row in book.active.iter_rows(min_row=2) if row[1].value.startswith("f")]
    assert sorted(cell.value for cell in cells) == sorted(FORMULA_NAMES)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_export_writes_one_audit_event_before_the_file_is_read(app, completed, fmt):
    response = login(app, "hr@example.org").get(f"/berichte/nachweis/schulungen.{fmt}")
    # Committed by the view, before a single row has been streamed.
    events = export_events(app)
    assert len(events) == 1 and events[0].details == {"format": fmt, "rows": 5}
    with app.app_context():
        hr = db.session.scalar(sa.select(Person).where(Person.email == "hr@example.org"))
    assert events[0].actor_id == hr.id
    response.get_data()
    response.close()
    assert len(export_events(app)) == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_empty_export_is_the_header_alone(app, people, content, fmt):
    response = login(app, "hr@example.org").get(f"/berichte/nachweis/schulungen.{fmt}")
    assert response.status_code == 200
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert rows == [list(TRAINING_COLUMNS)]
    assert export_events(app)[0].details == {"format": fmt, "rows": 0}


@pytest.mark.parametrize("who", ["learner", "champion", "head", "gf", "admin"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_only_hr_exports_training_records(app, completed, who, fmt):
    response = login(app, f"{who}@example.org").get(f"/berichte/nachweis/schulungen.{fmt}")
    assert response.status_code == 403
    assert export_events(app) == []
    with app.app_context():
        denied = db.session.scalars(
            sa.select(AuditEvent.details).where(AuditEvent.action == "access.denied")
        ).all()
    assert denied == [{"endpoint": f"reports.training_{fmt}"}]


def test_the_evidence_page_links_both_downloads(app, people, content):
    page = login(app, "hr@example.org").get("/berichte/nachweis").get_data(as_text=True)
    assert 'href="/berichte/nachweis/schulungen.csv"' in page
    assert 'href="/berichte/nachweis/schulungen.xlsx"' in page


def test_training_records_are_a_generator_of_local_dates(app, completed):
    from lernpfad.reports.services import training_record_count, training_records

    with app.test_request_context():
        rows = training_records(batch=2)
        assert iter(rows) is rows  # read lazily, not a list
        rows = list(rows)
        assert len(rows) == training_record_count() == 5
    done = TRAINING_COLUMNS.index("Abgeschlossen am")
    assert {row[done] for row in rows} == {date(2026, 11, 26)}
