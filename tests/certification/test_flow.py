"""Certification flows: projects approved or returned by certifiers, the final approval issuing
the certificate, certifier rights, renewal and revocation — and every abuse refused."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person, Role
from lernpfad.certification import services
from lernpfad.certification.models import Certificate, ExamAttempt, Project
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.mentoring.models import MentoringSession
from lernpfad.modules.models import ModuleProgress
from lernpfad.usecases.models import UseCase
from tests.helpers import login_client, make_person

PROJECT = {
    "title": "Angebote mit Vorlage",
    "what_was_done": "Eine Prompt-Vorlage für Angebote gebaut und mit dem Team sechs Wochen erprobt.",
    "baseline": "45 Minuten je Angebot",
    "result": "20 Minuten je Angebot",
    "effect": "Gemessen an 30 Angeboten; zwei Fehler früher gefunden.",
}


def use_case(person, title="Angebote", status="pilot") -> int:
    case = UseCase(
        department_id=person.department_id,
        title=title,
        process="Angebot",
        problem="Langsam",
        expected_benefit="Schneller",
        kpi_name="Minuten",
        kpi_baseline="45",
        kpi_target="20",
        score_value=4,
        score_feasibility=4,
        score_strategic=3,
        status=status,
        created_by_id=person.id,
    )
    db.session.add(case)
    db.session.flush()
    return case.id


def person(email) -> Person:
    return db.session.scalar(sa.select(Person).where(Person.email == email))


def complete_everything_but_approval(candidate: Person, mentees: list[Person]) -> None:
    """Path done, exam passed, two approved projects, five sessions with two colleagues."""
    from lernpfad.content.models import ModuleVersion

    now = utcnow()
    for module_id in ("g1", "w1", "q1", "w2"):
        version = db.session.scalar(
            sa.select(ModuleVersion).where(ModuleVersion.module_id == module_id)
        )
        db.session.add(
            ModuleProgress(
                person_id=candidate.id,
                module_id=module_id,
                version_id=version.id,
                state="abgeschlossen",
                quiz_passed=True,
                task_accepted=True,
                completed_at=now,
            )
        )
    db.session.add(
        ExamAttempt(
            person_id=candidate.id,
            pool_hash="x",
            question_ids=["exam-1"],
            started_at=now - timedelta(minutes=20),
            deadline=now + timedelta(minutes=10),
            submitted_at=now - timedelta(minutes=5),
            correct=1,
            total=1,
            passed=True,
        )
    )
    for n, title in enumerate(("Angebote", "Service-Antworten")):
        db.session.add(
            Project(
                person_id=candidate.id,
                use_case_id=use_case(candidate, title),
                status="approved",
                **{**PROJECT, "title": f"Projekt {n}"},
            )
        )
    for n in range(5):
        db.session.add(
            MentoringSession(
                champion_id=candidate.id,
                mentee_id=mentees[n % 2].id,
                held_on=date.today() - timedelta(days=n + 1),
                minutes=30,
                topic=f"Thema {n}",
                status="confirmed",
            )
        )
    db.session.flush()


@pytest.fixture
def candidate(app, people, content):
    with app.app_context():
        champion = person("champion@example.org")
        complete_everything_but_approval(
            champion, [person("learner@example.org"), person("head@example.org")]
        )
        db.session.commit()
    return people["champion"]


def test_a_new_candidate_sees_what_is_missing(app, people, content):
    page = login_client(app, "champion@example.org").get("/zertifizierung/").get_data(as_text=True)
    assert page.count(">offen<") == 5
    assert "Es fehlen 2 anerkannte Projekte" in page
    assert "Bestätigte Sitzungen: 0 von 5" in page


def test_learners_are_told_what_certification_is(app, people, content):
    page = login_client(app, "learner@example.org").get("/zertifizierung/").get_data(as_text=True)
    assert "Die Zertifizierung ist für KI-Champions" in page
    assert (
        login_client(app, "learner@example.org").get("/zertifizierung/kandidaten").status_code
        == 403
    )


def test_hr_approves_and_the_certificate_is_issued_and_audited(app, candidate, people):
    hr = login_client(app, "hr@example.org")
    page = hr.get(f"/zertifizierung/kandidaten/{candidate}").get_data(as_text=True)
    assert "Freigeben und Zertifikat ausstellen" in page
    assert "Thema 0" not in page  # status only: no session topics, no answers
    hr.post(f"/zertifizierung/kandidaten/{candidate}/freigeben")
    with app.app_context():
        (certificate,) = db.session.scalars(sa.select(Certificate)).all()
        assert services.status(certificate) == "valid"
        assert len(certificate.code) >= 43  # 32 random bytes, URL-safe
        assert (certificate.valid_until - certificate.valid_from).days in range(364, 367)
        (event,) = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "certification.issued")
        ).all()
        assert event.actor_id == people["hr"] and event.subject_id == candidate
    again = hr.post(f"/zertifizierung/kandidaten/{candidate}/freigeben", follow_redirects=True)
    assert "noch nicht alle übrigen Anforderungen" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1


def test_nobody_certifies_themselves(app, candidate):
    with app.app_context():
        db.session.get(Person, candidate).add_role(Role.HR)  # a champion who is also HR
        db.session.commit()
    response = login_client(app, "champion@example.org").post(
        f"/zertifizierung/kandidaten/{candidate}/freigeben", follow_redirects=True
    )
    assert "Sich selbst oder das eigene Projekt zertifiziert niemand." in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


def test_a_candidate_with_something_missing_is_not_certified(app, people, content):
    hr = login_client(app, "hr@example.org")
    response = hr.post(
        f"/zertifizierung/kandidaten/{people['champion']}/freigeben", follow_redirects=True
    )
    assert "noch nicht alle übrigen Anforderungen" in response.get_data(as_text=True)


def test_projects_are_approved_by_certifiers_only_never_by_the_author_or_a_co_author(
    app, people, content
):
    with app.app_context():
        champion = person("champion@example.org")
        case = use_case(champion)
        head_case = use_case(person("head@example.org"), "Vom Leiter erfasst")
        db.session.commit()
    author = login_client(app, "champion@example.org")
    refused = author.post(
        "/zertifizierung/projekte/neu", data={**PROJECT, "use_case_id": case + 999}
    )
    assert refused.status_code == 400
    created = author.post("/zertifizierung/projekte/neu", data={**PROJECT, "use_case_id": case})
    assert created.status_code == 302
    with app.app_context():
        project_id = db.session.scalar(sa.select(Project.id))
    # The author cannot review; a learner gets a 404; HR without feedback cannot return.
    assert "Bewerten" not in author.get(f"/zertifizierung/projekte/{project_id}").get_data(
        as_text=True
    )
    assert (
        login_client(app, "learner@example.org")
        .get(f"/zertifizierung/projekte/{project_id}")
        .status_code
        == 404
    )
    hr = login_client(app, "hr@example.org")
    no_feedback = hr.post(
        f"/zertifizierung/projekte/{project_id}", data={"decision": "zurueckgeben", "feedback": ""}
    )
    assert no_feedback.status_code == 400
    assert "Bitte schreiben Sie beim Zurückgeben" in no_feedback.get_data(as_text=True)
    hr.post(
        f"/zertifizierung/projekte/{project_id}",
        data={"decision": "zurueckgeben", "feedback": "Bitte die Messung genauer beschreiben."},
    )
    with app.app_context():
        project = db.session.get(Project, project_id)
        assert project.status == "returned" and project.reviewer_id == people["hr"]
    # The author revises it; now the head, who is HR here, registered a use case: a co-author.
    revised = author.post(
        f"/zertifizierung/projekte/{project_id}",
        data={**PROJECT, "use_case_id": case, "effect": "Genauer gemessen: 30 Angebote."},
    )
    assert revised.status_code == 302
    with app.app_context():
        head = person("head@example.org")
        head.add_role(Role.HR)
        project = db.session.get(Project, project_id)
        project.use_case_id = head_case  # pretend the project is about the head's use case
        db.session.commit()
    co_author = login_client(app, "head@example.org").post(
        f"/zertifizierung/projekte/{project_id}", data={"decision": "anerkennen", "feedback": ""}
    )
    assert "selbst mitgewirkt" in co_author.get_data(as_text=True)
    approved = hr.post(
        f"/zertifizierung/projekte/{project_id}", data={"decision": "anerkennen", "feedback": ""}
    )
    assert approved.status_code == 302
    replay = hr.post(
        f"/zertifizierung/projekte/{project_id}",
        data={"decision": "zurueckgeben", "feedback": "Doch nicht, bitte überarbeiten."},
    )
    assert replay.status_code in (200, 400)
    with app.app_context():
        assert db.session.get(Project, project_id).status == "approved"


def test_only_use_cases_in_pilot_or_use_that_they_contributed_to(app, people, content):
    with app.app_context():
        champion = person("champion@example.org")
        idea = use_case(champion, "Nur eine Idee", status="idee")
        other_department = make_person("x@example.org", department_name="Einkauf")
        foreign = use_case(other_department, "Einkauf-Pilot")
        db.session.commit()
    client = login_client(app, "champion@example.org")
    for case in (idea, foreign):
        response = client.post(
            "/zertifizierung/projekte/neu", data={**PROJECT, "use_case_id": case}
        )
        assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Project)) == 0


def test_hr_revokes_with_a_reason_only(app, candidate, people):
    hr = login_client(app, "hr@example.org")
    hr.post(f"/zertifizierung/kandidaten/{candidate}/freigeben")
    with app.app_context():
        certificate_id = db.session.scalar(sa.select(Certificate.id))
    without = hr.post(
        f"/zertifizierung/zertifikate/{certificate_id}/widerrufen",
        data={"reason": ""},
        follow_redirects=True,
    )
    assert "Bitte geben Sie einen Grund an" in without.get_data(as_text=True)
    assert without.status_code == 400  # the page again, the form open with its message
    assert re.search(r'<details class="revoke" open>\s*<summary>', without.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(Certificate, certificate_id).revoked_at is None
    champion = login_client(app, "champion@example.org")
    assert (
        champion.post(
            f"/zertifizierung/zertifikate/{certificate_id}/widerrufen",
            data={"reason": "Ich will nicht mehr."},
        ).status_code
        == 403
    )
    hr.post(
        f"/zertifizierung/zertifikate/{certificate_id}/widerrufen",
        data={"reason": "Hat das Unternehmen verlassen."},
    )
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        assert services.status(certificate) == "revoked"
        assert certificate.revocation_reason == "Hat das Unternehmen verlassen."
        assert db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "certification.revoked")
        ).details["reason"]
    page = champion.get("/zertifizierung/").get_data(as_text=True)
    assert "widerrufen" in page


def test_certifier_rights_go_to_certified_champions_only(app, candidate, people):
    hr = login_client(app, "hr@example.org")
    refused = hr.post(
        "/zertifizierung/pruefende", data={"person_id": candidate}, follow_redirects=True
    )
    assert "nur KI-Champions mit gültigem Zertifikat" in refused.get_data(as_text=True)
    hr.post(f"/zertifizierung/kandidaten/{candidate}/freigeben")
    hr.post("/zertifizierung/pruefende", data={"person_id": candidate})
    with app.app_context():
        assert services.may_certify(db.session.get(Person, candidate))
    champion = login_client(app, "champion@example.org")
    assert champion.get("/zertifizierung/kandidaten").status_code == 200
    hr.post("/zertifizierung/pruefende", data={"person_id": candidate, "action": "entziehen"})
    assert champion.get("/zertifizierung/kandidaten").status_code == 403
    with app.app_context():
        actions = [
            e.action
            for e in db.session.scalars(sa.select(AuditEvent))
            if e.action.startswith("certification.certifier")
        ]
    assert actions == ["certification.certifier_granted", "certification.certifier_removed"]


def test_renewal_needs_recent_sessions_and_starts_where_the_old_one_ends(app, candidate, people):
    with app.app_context():
        hr = person("hr@example.org")
        champion = db.session.get(Person, candidate)
        first = services.issue(champion, hr)
        db.session.commit()
        assert services.renewal_problems(champion) == []  # five sessions in the last days
        db.session.execute(
            sa.update(MentoringSession).values(held_on=date.today() - timedelta(days=300))
        )
        assert services.renewal_problems(champion) == [("recent_sessions_missing", {"missing": 2})]
        with pytest.raises(services.CertificationRefused, match="renewal_not_ready"):
            services.renew(champion, hr)
        db.session.rollback()
        renewed = services.renew(champion, hr)
        assert renewed.renewal_of_id == first.id and renewed.valid_from == first.valid_until


def test_a_certificate_is_renewed_once_and_a_revocation_covers_what_it_renews(
    app, candidate, people
):
    hr = login_client(app, "hr@example.org")
    hr.post(f"/zertifizierung/kandidaten/{candidate}/freigeben")
    renew = {"action": "verlaengern"}
    hr.post(f"/zertifizierung/kandidaten/{candidate}/freigeben", data=renew)
    again = hr.post(
        f"/zertifizierung/kandidaten/{candidate}/freigeben", data=renew, follow_redirects=True
    )
    assert "bereits verlängert" in again.get_data(as_text=True)
    with app.app_context():
        first, renewal = sorted(db.session.scalars(sa.select(Certificate)), key=lambda c: c.id)
        assert renewal.renewal_of_id == first.id  # two certificates, not three
        renewal_id = renewal.id
    hr.post(
        f"/zertifizierung/zertifikate/{renewal_id}/widerrufen",
        data={"reason": "Hat das Unternehmen verlassen."},
    )
    with app.app_context():
        statuses = [services.status(c) for c in db.session.scalars(sa.select(Certificate))]
        assert statuses == ["revoked", "revoked"]  # the one it renewed is not left "gültig"
    # An older certificate does not stand in for the revoked one.
    refused = hr.post(
        f"/zertifizierung/kandidaten/{candidate}/freigeben", data=renew, follow_redirects=True
    )
    assert "bereits widerrufen" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 2


def test_nobody_who_has_left_is_certified_or_made_a_certifier(app, candidate, people):
    hr = login_client(app, "hr@example.org")
    with app.app_context():
        db.session.get(Person, candidate).active = False
        db.session.commit()
    assert hr.post(f"/zertifizierung/kandidaten/{candidate}/freigeben").status_code == 404
    hr.post("/zertifizierung/pruefende", data={"person_id": candidate})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0
        assert not db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action.like("certification.%"))
        )


def test_expiring_certificates_for_the_scheduler(app, candidate, people):
    with app.app_context():
        certificate = services.issue(db.session.get(Person, candidate), person("hr@example.org"))
        certificate.valid_until = datetime.now(UTC) + timedelta(days=30)
        db.session.flush()
        today = date.today()
        (found,) = services.expiring_certificates(today, today + timedelta(days=60))
        assert found.certificate_id == certificate.id and found.person.id == candidate
        assert services.expiring_certificates(today, today + timedelta(days=7)) == []
        certificate.revoked_at = datetime.now(UTC)
        assert services.expiring_certificates(today, today + timedelta(days=60)) == []
