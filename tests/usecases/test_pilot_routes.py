"""Pilots on the use-case page: starting one, recording measurements, deciding; who may; bad
input; leadership's pipeline with measured effects and hand-in counts."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person, Role
from lernpfad.db import local_today
from lernpfad.extensions import db
from lernpfad.mentoring.services import assign
from lernpfad.usecases.models import PilotDecision, PilotMeasurement, UseCase
from tests.helpers import department, make_person
from tests.helpers import login_client as login
from tests.usecases.test_register import VALID
from tests.usecases.test_scope import add_use_case


def add_pilot(department_name="Vertrieb", started_days_ago=10, **changes) -> int:
    """A running pilot: Angebotsentwürfe, 90 → 63 Minuten, six weeks."""
    case = db.session.get(UseCase, add_use_case("Angebotsentwürfe", department_name))
    values = dict(
        kpi_name="Zeit je Angebot (Minuten)",
        kpi_baseline="90",
        kpi_target="63",
        kpi_unit="Minuten",
        kpi_baseline_value=90,
        kpi_target_value=63,
        status="pilot",
        pilot_started_on=local_today() - timedelta(days=started_days_ago),
        pilot_weeks=6,
    )
    for name, value in {**values, **changes}.items():
        setattr(case, name, value)
    db.session.flush()
    return case.id


@pytest.fixture
def pilot(app, people):
    with app.app_context():
        case_id = add_pilot()
        db.session.commit()
    return case_id


def today(app):
    with app.app_context():
        return local_today()


def measure(client, case_id, **fields):
    data = {"messung-measured_on": today(client.application).isoformat(), "messung-value": "56"}
    data.update({f"messung-{k}": v for k, v in fields.items()})
    return client.post(f"/anwendungsfaelle/{case_id}/messwerte", data=data)


def decide(client, case_id, **fields):
    data = {f"entscheidung-{k}": v for k, v in fields.items()}
    return client.post(f"/anwendungsfaelle/{case_id}/entscheidung", data=data)


def readings(case_id):
    return list(
        db.session.scalars(
            sa.select(PilotMeasurement.value)
            .where(PilotMeasurement.use_case_id == case_id)
            .order_by(PilotMeasurement.measured_on, PilotMeasurement.id)
        )
    )


def test_entering_pilot_starts_it_with_six_weeks(app, people):
    head = login(app, "head@example.org")
    assert head.post("/anwendungsfaelle/neu", data=VALID).status_code == 302
    with app.app_context():
        case_id = db.session.scalar(sa.select(UseCase.id))
        case = db.session.get(UseCase, case_id)
        assert (case.kpi_baseline_value, case.kpi_target_value, case.kpi_unit) == (
            90,
            45,
            "Minuten",  # from „Zeit je Angebot (Minuten)“
        )
        assert case.pilot_started_on is None
    for status in ("bewertet", "pilot"):
        response = head.post(
            f"/anwendungsfaelle/{case_id}/bearbeiten", data={**VALID, "status": status}
        )
        assert response.status_code == 302
    with app.app_context():
        case = db.session.get(UseCase, case_id)
        assert case.pilot_started_on == local_today()
        assert case.pilot_weeks == 6
    page = head.get(f"/anwendungsfaelle/{case_id}").get_data(as_text=True)
    assert "(6 Wochen)" in page and "Noch keine Messwerte erfasst." in page


def test_a_planned_start_and_length_are_kept(app, people):
    head = login(app, "head@example.org")
    data = {**VALID, "status": "idee"}
    head.post("/anwendungsfaelle/neu", data=data)
    with app.app_context():
        case_id = db.session.scalar(sa.select(UseCase.id))
    head.post(f"/anwendungsfaelle/{case_id}/bearbeiten", data={**VALID, "status": "bewertet"})
    response = head.post(
        f"/anwendungsfaelle/{case_id}/bearbeiten",
        data={**VALID, "status": "pilot", "pilot_started_on": "01.12.2026", "pilot_weeks": "4"},
    )
    assert response.status_code == 302
    with app.app_context():
        case = db.session.get(UseCase, case_id)
        assert (case.pilot_started_on, case.pilot_weeks) == (date(2026, 12, 1), 4)


KPI_CHECKS = (
    ({"kpi_baseline": "viel"}, "kpi_baseline", "Bitte geben Sie eine Zahl an"),
    ({"kpi_target": "ca. 45"}, "kpi_target", "Bitte geben Sie eine Zahl an"),
    ({"kpi_target": "2 Stunden"}, "kpi_target", "„Stunden“ passt nicht zur Kennzahl"),
    ({"kpi_unit": "%", "kpi_baseline": "90 Minuten"}, "kpi_baseline", "passt nicht"),
    ({"pilot_weeks": "40"}, "pilot_weeks", "1 bis 26 Wochen"),
    ({"pilot_started_on": "31.02.2026"}, "pilot_started_on", "gültiges Datum"),
)


def test_kpi_numbers_and_pilot_plan_are_checked(app, people):
    head = login(app, "head@example.org")
    for changes, field, message in KPI_CHECKS:  # one app for the table: fast
        response = head.post("/anwendungsfaelle/neu", data={**VALID, **changes})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, changes
        assert "Bitte korrigieren Sie:" in page
        error = page.split(f'<p class="field__error" id="{field}-fehler">')[1].split("</p>")[0]
        assert message in error, changes
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UseCase)) == 0


def test_the_head_records_measurements_and_sees_the_line(app, pilot):
    head = login(app, "head@example.org")
    yesterday = (today(app) - timedelta(days=1)).isoformat()
    assert measure(head, pilot, measured_on=yesterday, value="66").status_code == 302
    response = measure(head, pilot, value="56 min", note="Stichprobe")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#pilot")
    page = head.get(f"/anwendungsfaelle/{pilot}").get_data(as_text=True)
    assert "data-measured/>" in page and page.count("<circle") == 2
    points = page.split('<polyline points="')[1].split('"')[0].split()
    assert len(points) == 2
    assert float(points[0].split(",")[1]) < float(points[1].split(",")[1])  # 66 above 56
    table = page.split("data-readings")[1].split("</table>")[0]
    assert ">66<" in table and ">56<" in table and "Stichprobe" in table
    assert "−38 %, Ziel −30 %" in page and "Ziel erreicht" in page
    with app.app_context():
        assert readings(pilot) == [66, 56]
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "use_case.measured")
        ).all()
        assert len(events) == 2 and events[0].details["use_case_id"] == pilot


BAD_MEASUREMENTS = (
    ({"value": "viel"}, "value", "Bitte geben Sie eine Zahl an"),
    ({"value": ""}, "value", "Bitte geben Sie den Messwert an."),
    ({"value": "1 Stunde"}, "value", "Die Einheit „Stunden“ passt nicht zur Kennzahl"),
    ({"value": "56 %"}, "value", "Die Einheit „%“ passt nicht zur Kennzahl (Einheit: Minuten)"),
    ({"measured_on": "2099-01-01"}, "measured_on", "Das Datum liegt in der Zukunft."),
    ({"measured_on": "01.01.2020"}, "measured_on", "vor dem Start des Piloten am"),
    ({"measured_on": "gestern"}, "measured_on", "gültiges Datum"),
    ({"measured_on": ""}, "measured_on", "Bitte geben Sie das Datum der Messung an."),
)


def test_bad_measurements_are_refused_next_to_the_field(app, pilot):
    head = login(app, "head@example.org")
    for fields, field, message in BAD_MEASUREMENTS:
        response = measure(head, pilot, **fields)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, fields
        summary = page.split("data-error-summary")[1].split("</div>")[0]
        assert message in summary, fields
        assert f'href="#messung-{field}"' in summary
        error = page.split(f'id="messung-{field}-fehler">')[1].split("</p>")[0]
        assert message in error, fields
    with app.app_context():
        assert readings(pilot) == []


def test_no_measurements_outside_a_running_pilot(app, people):
    with app.app_context():
        case_id = add_pilot(status="bewertet", pilot_started_on=None)
        db.session.commit()
    head = login(app, "head@example.org")
    response = measure(head, case_id)
    assert response.status_code == 400
    assert "nur während eines laufenden Piloten" in response.get_data(as_text=True)
    with app.app_context():
        assert readings(case_id) == []


@pytest.fixture
def others(app, people):
    """A champion looking after Vertrieb from Marketing, a head of Marketing."""
    with app.app_context():
        champion = make_person(
            "c.marketing@example.org", roles={Role.CHAMPION}, department_name="Marketing"
        )
        assign(champion, department("Vertrieb"))
        make_person(
            "head.marketing@example.org", roles={Role.DEPARTMENT_HEAD}, department_name="Marketing"
        )
        db.session.commit()


WHO_MAY = (
    ("head@example.org", 302),  # the department's head
    ("champion@example.org", 302),  # the department's champion
    ("c.marketing@example.org", 302),  # a champion HR assigned to the department
    ("head.marketing@example.org", 404),  # another department's head
    ("gf@example.org", 403),  # leadership reads, does not record
    ("hr@example.org", 403),
    ("admin@example.org", 403),
    ("learner@example.org", 403),
)


def test_who_may_record_and_decide(app, pilot, others):
    """The use-case edit rules (object scope: this department's use case)."""
    allowed = 0
    for email, status in WHO_MAY:
        client = login(app, email)
        assert measure(client, pilot).status_code == status, email
        extended = decide(
            client, pilot, decision="verlaengern", reason="Mehr Daten.", extra_weeks="1"
        )
        assert extended.status_code == status, email
        allowed += status == 302
        with app.app_context():
            assert len(readings(pilot)) == allowed, email
            assert db.session.get(UseCase, pilot).pilot_weeks == 6 + allowed, email


@pytest.mark.parametrize(
    ("decision", "extra", "status", "weeks"),
    [
        ("ausrollen", "", "im_einsatz", 6),
        ("verlaengern", "2", "pilot", 8),
        ("stoppen", "", "verworfen", 6),
    ],
)
def test_the_decision_moves_the_status(app, pilot, decision, extra, status, weeks):
    head = login(app, "head@example.org")
    response = decide(head, pilot, decision=decision, reason="Ziel erreicht.", extra_weeks=extra)
    assert response.status_code == 302
    with app.app_context():
        case = db.session.get(UseCase, pilot)
        assert (case.status, case.pilot_weeks) == (status, weeks)
        made = db.session.scalar(sa.select(PilotDecision))
        assert (made.decision, made.reason) == (decision, "Ziel erreicht.")
        assert (
            db.session.scalar(
                sa.select(AuditEvent).where(AuditEvent.action == "use_case.decided")
            ).details["decision"]
            == decision
        )
    page = head.get(f"/anwendungsfaelle/{pilot}").get_data(as_text=True)
    assert "Ziel erreicht." in page and "Head" in page


BAD_DECISIONS = (
    ({"decision": "", "reason": "x"}, "Bitte wählen Sie eine Entscheidung."),
    ({"decision": "weiter", "reason": "x"}, "Diese Auswahl ist nicht möglich."),
    ({"decision": "stoppen", "reason": "  "}, "Bitte begründen Sie die Entscheidung."),
    ({"decision": "verlaengern", "reason": "x"}, "um wie viele Wochen (1 bis 12)"),
    ({"decision": "verlaengern", "reason": "x", "extra_weeks": "13"}, "(1 bis 12)"),
    ({"decision": "verlaengern", "reason": "x", "extra_weeks": "zwei"}, "ganze Zahl"),
)


def test_bad_decisions_change_nothing(app, pilot):
    head = login(app, "head@example.org")
    for fields, message in BAD_DECISIONS:
        response = decide(head, pilot, **fields)
        assert response.status_code == 400, fields
        page = response.get_data(as_text=True)
        assert message in page.split("data-error-summary")[1].split("</div>")[0], fields
    with app.app_context():
        assert db.session.get(UseCase, pilot).status == "pilot"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PilotDecision)) == 0


def test_a_finished_pilot_takes_no_second_decision(app, pilot):
    head = login(app, "head@example.org")
    decide(head, pilot, decision="ausrollen", reason="Gut.")
    response = decide(head, pilot, decision="stoppen", reason="Doch nicht.")
    assert response.status_code == 400
    assert "nur über einen laufenden Piloten" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(UseCase, pilot).status == "im_einsatz"


def test_an_overdue_pilot_asks_for_a_decision(app, people):
    with app.app_context():
        case_id = add_pilot(started_days_ago=50)
        db.session.commit()
    page = login(app, "head@example.org").get(f"/anwendungsfaelle/{case_id}")
    assert "Pilotzeit abgelaufen – Entscheidung steht aus" in page.get_data(as_text=True)


def test_leadership_sees_the_pipeline_with_effects_and_hand_in_counts(app, pilot, content):
    head = login(app, "head@example.org")
    measure(head, pilot, value="56")
    with app.app_context():
        for n in range(6):
            make_person(f"l{n}@example.org", name=f"Lernende {n}")
        db.session.commit()
    for n in range(6):
        learner = login(app, f"l{n}@example.org")
        module = "w2" if n < 5 else "g1"
        data = {"text": "Vorlage gebaut.", "use_case_id": str(pilot), "confirmed": "ja"}
        assert learner.post(f"/module/{module}/abgabe", data=data).status_code in (200, 302)
    page = login(app, "gf@example.org").get("/berichte/kennzahlen").get_data(as_text=True)
    pipeline = page.split("data-pipeline")[1].split("</section>")[0]
    assert "Angebotsentwürfe" in pipeline
    assert "−38 %, Ziel −30 %" in pipeline
    assert ">6<br>" in pipeline.replace("\n", "")  # all six hand-ins counted
    assert "Modul w2: 5" in pipeline and "weitere: 1" in pipeline  # g1's one is not named
    assert "Lernende" not in pipeline


def test_the_use_case_list_shows_the_latest_reading(app, pilot):
    head = login(app, "head@example.org")
    measure(head, pilot, value="61,5")
    page = head.get("/anwendungsfaelle/").get_data(as_text=True)
    assert "gemessen: 61,5" in page


def test_a_person_who_measured_can_be_deleted(app, pilot):
    head = login(app, "head@example.org")
    measure(head, pilot)
    with app.app_context():
        db.session.delete(
            db.session.get(
                Person,
                db.session.scalar(sa.select(Person.id).where(Person.email == "head@example.org")),
            )
        )
        db.session.commit()
        assert readings(pilot) == [56]


def test_readings_and_decisions_are_in_the_personal_data_export(app, pilot):
    head = login(app, "head@example.org")
    measure(head, pilot, value="56", note="Stichprobe")
    decide(head, pilot, decision="ausrollen", reason="Ziel erreicht.")
    data = head.get("/meine-daten/export.json").get_json()
    assert [(r["wert"], r["notiz"]) for r in data["erfasste_messwerte"]] == [(56, "Stichprobe")]
    assert [d["entscheidung"] for d in data["pilotentscheidungen"]] == ["ausrollen"]
    assert (
        login(app, "champion@example.org")
        .get("/meine-daten/export.json")
        .get_json()["erfasste_messwerte"]
        == []
    )


def test_the_form_does_not_end_a_pilot_without_a_decision(app, people):
    head = login(app, "head@example.org")
    head.post("/anwendungsfaelle/neu", data=VALID)
    with app.app_context():
        case_id = db.session.scalar(sa.select(UseCase.id))
    for status in ("bewertet", "pilot"):
        head.post(f"/anwendungsfaelle/{case_id}/bearbeiten", data={**VALID, "status": status})
    response = head.post(
        f"/anwendungsfaelle/{case_id}/bearbeiten", data={**VALID, "status": "im_einsatz"}
    )
    assert response.status_code == 400
    assert "mit einer begründeten Entscheidung" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(UseCase, case_id).status == "pilot"
