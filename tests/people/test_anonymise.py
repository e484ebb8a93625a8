"""Anonymising a leaver: identity and texts erased, anonymous numbers kept, nothing before deactivation."""

import json

import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.modules.models import ModuleProgress, Submission
from tests.helpers import login_client as login

RIGHT = {f"q-{i}": "0" for i in range(5)}


@pytest.fixture
def leaver(app, people, content):
    client = login(app, "learner@example.org")
    client.post("/module/w2/quiz", data=RIGHT)
    client.post("/module/w2/abgabe", data={"text": "Geheimprojekt Kunde Müller."})
    hr = login(app, "hr@example.org")
    hr.post(f"/personen/{people['learner']}/deaktivieren", data={"confirmed": "ja"})
    return people["learner"]


def test_anonymising_erases_identity_and_texts_and_keeps_numbers(app, people, leaver):
    hr = login(app, "hr@example.org")
    page = hr.get(f"/personen/{leaver}/anonymisieren").get_data(as_text=True)
    assert "Das lässt sich nicht rückgängig machen." in page
    refused = hr.post(f"/personen/{leaver}/anonymisieren", data={})
    assert refused.status_code == 400
    assert "Bitte bestätigen Sie" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Person, leaver).name == "Lea Lernend"
    done = hr.post(
        f"/personen/{leaver}/anonymisieren", data={"confirmed": "ja"}, follow_redirects=True
    )
    assert "Die Person wurde anonymisiert." in done.get_data(as_text=True)
    with app.app_context():
        person = db.session.get(Person, leaver)
        assert person.name == f"Ehemalige Person {leaver}"
        assert person.email == f"person-{leaver}@anonym.invalid" and person.password_hash is None
        submission = db.session.scalar(sa.select(Submission))
        assert submission.text == "[gelöscht]" and "Müller" not in submission.html
        assert db.session.scalar(sa.select(ModuleProgress)).quiz_passed  # the numbers stay
        assert person.department is None and person.roles == {Role.LEARNER}
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "anonymised"))
        assert event.subject_id == leaver
        everything = json.dumps(
            [row.text for row in db.session.scalars(sa.select(Submission))], ensure_ascii=False
        )
        assert "Geheimprojekt" not in everything
    again = hr.post(f"/personen/{leaver}/anonymisieren", data={"confirmed": "ja"})
    assert again.status_code == 400
    assert "bereits anonymisiert" in again.get_data(as_text=True)


def test_an_active_person_cannot_be_anonymised(app, people):
    hr = login(app, "hr@example.org")
    response = hr.post(f"/personen/{people['learner']}/anonymisieren", data={"confirmed": "ja"})
    assert response.status_code == 400
    assert "Bitte deaktivieren Sie die Person zuerst." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Person, people["learner"]).name == "Lea Lernend"


@pytest.mark.parametrize("who", ["learner", "champion", "head", "gf"])
def test_only_hr_and_admins_anonymise(app, people, who):
    client = login(app, f"{who}@example.org")
    assert client.get(f"/personen/{people['learner']}/anonymisieren").status_code == 403


def test_unknown_person_is_404(app, people):
    assert login(app, "hr@example.org").get("/personen/999999/anonymisieren").status_code == 404


def test_a_leavers_waiting_hand_in_and_mail_are_gone(app, people, leaver, content):
    from lernpfad.jobs.mail import queue_mail
    from lernpfad.jobs.models import OutboxMail

    champion = login(app, "champion@example.org")
    with app.app_context():
        handed = db.session.scalar(sa.select(Submission.id))
        queue_mail(to="learner@example.org", subject="Rückmeldung", body="Guten Tag Lea Lernend")
        db.session.commit()
    assert "Lea Lernend" not in champion.get("/mentoring/").get_data(as_text=True)
    assert champion.get(f"/mentoring/abgabe/{handed}").status_code == 404  # deactivated: left
    login(app, "hr@example.org").post(f"/personen/{leaver}/anonymisieren", data={"confirmed": "ja"})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0


def test_exam_answers_and_certification_project_texts_are_erased(app, people, leaver):
    from datetime import UTC, datetime

    from lernpfad.certification.models import ExamAttempt, Project
    from lernpfad.people.services import anonymise

    with app.app_context():
        now = datetime.now(UTC)
        db.session.add(
            ExamAttempt(
                person_id=leaver,
                pool_hash="p",
                question_ids=["q1"],
                deadline=now,
                answers={"q1": "Meine Antwort über Kunde Müller"},
            )
        )
        db.session.add(
            Project(
                person_id=leaver,
                title="Angebote für Kunde Müller",
                what_was_done="Geheimes Vorgehen",
                baseline="3 Tage",
                result="1 Tag",
                effect="Viel schneller",
                feedback="Gut gemacht, Lea",
            )
        )
        db.session.commit()
        anonymise(db.session.get(Person, leaver), db.session.get(Person, people["hr"]))
        db.session.commit()
        attempt = db.session.scalar(sa.select(ExamAttempt).where(ExamAttempt.person_id == leaver))
        project = db.session.scalar(sa.select(Project).where(Project.person_id == leaver))
        assert attempt.answers == {}
        texts = [project.title, project.what_was_done, project.baseline, project.result]
        assert "Müller" not in " ".join(texts + [project.effect, project.feedback or ""])
        assert project.feedback is None and project.status  # the count and state stay
