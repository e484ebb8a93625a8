"""One person's training record for HR: what it shows, what it never shows, who may open it,
and that every opening (and every refused attempt) is in the audit log."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult
from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person, Role
from lernpfad.certification.models import Certificate
from lernpfad.content.models import ModuleVersion
from lernpfad.extensions import db
from lernpfad.modules.models import ModuleAssignment
from lernpfad.privacy.mode import INDIVIDUAL, switch_mode
from tests.content_factory import DIMENSIONS
from tests.helpers import login_client as login
from tests.helpers import make_person

RIGHT = {f"q-{i}": "0" for i in range(5)}
HAND_IN = "Mein geheimer Abgabetext über den Kundenbrief"
ANSWER = "Geheime Antwort der Selbsteinschätzung"
LEVELS = {d: 3 for d in DIMENSIONS} | {"recht": 4}


def person_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Person.id).where(Person.email == email))


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        found = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()
        db.session.expunge_all()
        return found


@pytest.fixture
def record(app, people, content):
    """The learner: w1 completed (with a hand-in text), a self-assessment with answers and
    levels, a certificate, two assigned modules (w1 done, q1 overdue) and a path."""
    learner = login(app, "learner@example.org")
    learner.post("/module/w1/quiz", data=RIGHT)
    learner.post("/module/w1/abgabe", data={"text": HAND_IN, "confirmed": "ja"})
    with app.app_context():
        lea = db.session.get(Person, people["learner"])
        lea.job_function = "Sachbearbeitung Einkauf"
        attempt = AssessmentAttempt(
            person_id=lea.id,
            assessment_key="standard",
            assessment_hash="x",
            answers={"1": {"note": ANSWER}},
        )
        db.session.add(attempt)
        db.session.flush()
        db.session.add(
            AssessmentResult(
                person_id=lea.id,
                attempt_id=attempt.id,
                assessment_hash="x",
                base_role="anwender",
                path_role="anwender",
                levels=LEVELS,
                details={"note": ANSWER},
                completed_at=datetime(2026, 10, 5, 9, 0, tzinfo=UTC),
            )
        )
        now = datetime.now(UTC)
        db.session.add(
            Certificate(
                person_id=lea.id,
                code="PRUEFCODE-0123456789abcdef",
                title="KI-Champion (Lernpfad)",
                issued_at=now - timedelta(days=30),
                valid_from=now - timedelta(days=30),
                valid_until=now + timedelta(days=700),
            )
        )
        for module_id, due_on in (("w1", date(2026, 1, 15)), ("q1", date(2026, 1, 10))):
            db.session.add(
                ModuleAssignment(
                    person_id=lea.id,
                    module_id=module_id,
                    due_on=due_on,
                    assigned_by_id=people["head"],
                )
            )
        db.session.commit()
    return people["learner"]


def page_of(app, person: int, email: str = "hr@example.org"):
    response = login(app, email).get(f"/personen/{person}/schulungsnachweis")
    return response, response.get_data(as_text=True)


def test_hr_sees_completions_with_versions_certificates_and_assignments(app, record):
    response, page = page_of(app, record)
    assert response.status_code == 200
    assert "Schulungsnachweis: Lea Lernend" in page
    assert "Das Öffnen dieses Nachweises wird protokolliert." in page
    assert "Die Person sieht den Eintrag unter „Meine Daten“." in page
    assert "Sachbearbeitung Einkauf" in page and "Vertrieb" in page and "aktiv" in page
    with app.app_context():
        version = db.session.scalar(
            sa.select(ModuleVersion.content_hash).where(
                ModuleVersion.module_id == "w1", ModuleVersion.is_current
            )
        )
    assert "Modul w1" in page
    assert f"<code>{version[:12]}</code>" in page and version[12:] not in page
    assert "aktuell" in page
    assert "KI-Champion (Lernpfad)" in page and "PRUEFCODE-0123456789abcdef" in page
    assert "gültig" in page
    assert "Modul q1" in page and "Überfällig" in page and "Erledigt" in page
    assert "Head" in page  # who assigned them


def test_an_older_content_version_is_marked(app, record):
    with app.app_context():
        db.session.execute(
            sa.update(ModuleVersion).where(ModuleVersion.module_id == "w1").values(is_current=False)
        )
        db.session.commit()
    _response, page = page_of(app, record)
    assert "ältere Version" in page


def test_a_revoked_certificate_says_so(app, record):
    with app.app_context():
        certificate = db.session.scalar(sa.select(Certificate))
        certificate.revoked_at = datetime.now(UTC)
        db.session.commit()
    _response, page = page_of(app, record)
    assert "widerrufen" in page


def test_never_answers_levels_or_hand_in_texts_in_aggregate_mode(app, record):
    _response, page = page_of(app, record)
    assert HAND_IN not in page
    assert ANSWER not in page
    assert "Kompetenzstufen</h2>" not in page
    assert "Dimension grundlagen" not in page
    assert "Fortgeschritten" not in page and "Experte" not in page
    (event,) = events(app, "training_record.viewed")
    assert event.details == {"levels": False}


def test_individual_mode_shows_levels_and_the_event_says_so(app, record, people):
    with app.app_context():
        switch_mode(INDIVIDUAL, actor=db.session.get(Person, people["admin"]), reason="BV § 4")
        db.session.commit()
    _response, page = page_of(app, record)
    assert "Kompetenzstufen</h2>" in page
    assert 'Dimension recht</td><td class="num">4</td><td>Experte</td>' in page
    assert 'Dimension grundlagen</td><td class="num">3</td><td>Fortgeschritten</td>' in page
    assert HAND_IN not in page and ANSWER not in page  # never, in any mode
    (event,) = events(app, "training_record.viewed")
    assert event.details == {"levels": True}
    assert event.subject_id == record


def test_individual_mode_without_an_assessment_shows_no_levels_and_logs_none(app, people):
    with app.app_context():
        switch_mode(INDIVIDUAL, actor=db.session.get(Person, people["admin"]), reason="BV § 4")
        db.session.commit()
    _response, page = page_of(app, people["learner"])
    assert "noch keine Selbsteinschätzung abgeschlossen" in page
    (event,) = events(app, "training_record.viewed")
    assert event.details == {"levels": False}


def test_each_opening_is_an_audit_event(app, record, people):
    hr = login(app, "hr@example.org")
    for _ in range(2):
        assert hr.get(f"/personen/{record}/schulungsnachweis").status_code == 200
    viewed = events(app, "training_record.viewed")
    assert [(e.actor_id, e.subject_id) for e in viewed] == [(people["hr"], record)] * 2


def test_an_empty_record_says_what_is_missing(app, people):
    _response, page = page_of(app, people["champion"])
    assert "Noch kein Modul abgeschlossen." in page
    assert "Kein Zertifikat ausgestellt." in page
    assert "Kein Modul zugewiesen." in page


def test_a_deactivated_person_still_has_a_record(app, record):
    with app.app_context():
        db.session.get(Person, record).active = False
        db.session.commit()
    response, page = page_of(app, record)
    assert response.status_code == 200 and "deaktiviert" in page and "Modul w1" in page


@pytest.mark.parametrize("who", ["head", "leadership", "learner", "admin", "champion"])
def test_others_are_refused_and_the_attempt_is_logged(app, record, people, who):
    email = {"head": "head@example.org", "leadership": "gf@example.org"}.get(
        who, f"{who}@example.org"
    )
    response, page = page_of(app, record, email)
    assert response.status_code == 403
    assert "Modul w1" not in page and "PRUEFCODE" not in page
    (event,) = events(app, "access.denied")
    assert event.actor_id == people[who]
    assert event.subject_id == record
    assert event.details == {"endpoint": "records.training_record"}
    assert events(app, "training_record.viewed") == []


def test_the_data_protection_officer_is_refused_too(app, people):
    with app.app_context():
        make_person("dsb@example.org", roles={Role.DPO})
        db.session.commit()
    response, _page = page_of(app, people["learner"], "dsb@example.org")
    assert response.status_code == 403
    assert len(events(app, "access.denied")) == 1


def test_a_refused_attempt_on_an_unknown_person_is_logged_without_subject(app, people):
    response, _page = page_of(app, 999_999, "head@example.org")
    assert response.status_code == 403
    (event,) = events(app, "access.denied")
    assert event.subject_id is None and event.actor_id == people["head"]


def test_refusals_elsewhere_are_not_logged(app, people):
    """Only views marked @audit_denied log refusals (the marker is not everywhere)."""
    assert login(app, "learner@example.org").get("/berichte/nachweis").status_code == 403
    assert events(app, "access.denied") == []


def test_an_unknown_person_is_a_clear_404(app, people):
    response, page = page_of(app, 999_999)
    assert response.status_code == 404
    assert "Eine Person mit dieser Nummer gibt es nicht." in page
    assert events(app, "training_record.viewed") == []


def test_an_anonymised_person_has_no_record_any_more(app, record, people):
    from lernpfad.people.services import anonymise

    with app.app_context():
        lea = db.session.get(Person, record)
        lea.active = False
        anonymise(lea, db.session.get(Person, people["hr"]))
        db.session.commit()
    response, page = page_of(app, record)
    assert response.status_code == 410
    assert "Diese Person wurde anonymisiert; es gibt keinen persönlichen Nachweis mehr." in page
    assert "Modul w1" not in page and "PRUEFCODE" not in page
    assert events(app, "training_record.viewed") == []


def test_hr_finds_the_record_on_the_person_page(app, people):
    hr_page = login(app, "hr@example.org").get(f"/personen/{people['learner']}")
    assert f'href="/personen/{people["learner"]}/schulungsnachweis"' in hr_page.get_data(
        as_text=True
    )
    admin_page = login(app, "admin@example.org").get(f"/personen/{people['learner']}")
    assert admin_page.status_code == 200
    assert "Schulungsnachweis ansehen" not in admin_page.get_data(as_text=True)


def test_the_path_shows_only_what_hr_may_know(app, people, content):
    from lernpfad.paths.models import PathAssignment

    with app.app_context():
        db.session.add(
            PathAssignment(
                person_id=people["learner"],
                role="fuehrungsebene",
                source="assessment",
                champion_choice="offered",
            )
        )
        db.session.commit()
    _response, page = page_of(app, people["learner"])
    assert "für HR nicht sichtbar" in page
    assert "Fuehrungsebene" not in page and "Champion (" not in page
