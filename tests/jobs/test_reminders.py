"""The reminder jobs: inactivity, due dates, re-assessment, certificates, weekly digest.

Each sends a (person, kind, key) once — a second run, a manual run, a run the next day —, obeys
the person's preference where the kind may be switched off, and writes the notice and the mail
(text and HTML) in the person's language. ``now`` is injected, nothing sleeps."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from lernpfad.assessments.models import AssessmentAttempt, AssessmentResult
from lernpfad.auth.models import Person
from lernpfad.content.models import ModuleVersion
from lernpfad.extensions import db
from lernpfad.jobs import certificates
from lernpfad.jobs.certificates import ExpiringCertificate, notify_expiring_certificates
from lernpfad.jobs.digest import send_digests
from lernpfad.jobs.models import OutboxMail
from lernpfad.jobs.reminders import invite_to_reassess, remind_due_dates, remind_inactive
from lernpfad.jobs.services import run_job
from lernpfad.mentoring.models import MentoringSession
from lernpfad.modules.assignments import withdraw_assignments
from lernpfad.modules.models import ModuleAssignment, ModuleProgress, QuizAttempt, Submission
from lernpfad.notices.models import Notice
from lernpfad.notices.services import set_preferences
from lernpfad.paths.models import PathAssignment

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday, 09:00 in Berlin
TODAY = date(2026, 12, 7)
DIMENSIONS = ["grundlagen", "werkzeuge", "qualitaet", "recht", "prozesse", "strategie", "wandel"]


def assessed(person: Person, completed_at: datetime, level: int = 0) -> AssessmentResult:
    """A completed self-assessment and the path it gives (anwender: g1, w1, q1, w2)."""
    attempt = AssessmentAttempt(
        person_id=person.id,
        assessment_key="standard",
        assessment_hash="x",
        answers={},
        started_at=completed_at,
        completed_at=completed_at,
    )
    db.session.add(attempt)
    db.session.flush()
    result = AssessmentResult(
        person_id=person.id,
        attempt_id=attempt.id,
        assessment_hash="x",
        completed_at=completed_at,
        base_role="anwender",
        path_role="anwender",
        levels={d: level for d in DIMENSIONS},
        details={},
    )
    db.session.add(result)
    if db.session.scalar(sa.select(PathAssignment).where(PathAssignment.person_id == person.id)):
        return result
    db.session.add(PathAssignment(person_id=person.id, role="anwender"))
    db.session.flush()
    return result


def person(email: str) -> Person:
    return db.session.scalar(sa.select(Person).where(Person.email == email))


def version_of(module_id: str) -> int:
    return db.session.scalar(
        sa.select(ModuleVersion.id).where(
            ModuleVersion.module_id == module_id, ModuleVersion.is_current
        )
    )


def completed(someone: Person, module_id: str, at: datetime = NOW - timedelta(days=40)) -> None:
    db.session.add(
        ModuleProgress(
            person_id=someone.id,
            module_id=module_id,
            version_id=version_of(module_id),
            state="abgeschlossen",
            updated_at=at,
            completed_at=at,
        )
    )


def mails(to: str | None = None) -> list[OutboxMail]:
    query = sa.select(OutboxMail).order_by(OutboxMail.id)
    if to:
        query = query.where(OutboxMail.recipient == to)
    return list(db.session.scalars(query))


def notices(email: str) -> list[Notice]:
    return list(
        db.session.scalars(
            sa.select(Notice)
            .join(Person, Person.id == Notice.person_id)
            .where(Person.email == email)
            .order_by(Notice.id)
        )
    )


@pytest.fixture
def company(app, people, content):
    """The fixture people joined two months ago; Lea took the assessment a month ago."""
    with app.app_context():
        for someone in db.session.scalars(sa.select(Person)):
            someone.created_at = NOW - timedelta(days=60)
        assessed(person("learner@example.org"), NOW - timedelta(days=30))
        db.session.commit()
    return people


# ---------------------------------------------------------------------------------------------
# Inactivity


def test_an_idle_learner_with_open_modules_is_reminded_once_a_week(app, company):
    with app.app_context():
        assert remind_inactive(NOW) == {
            "mails": 1,
            "notices": 1,
            "skipped_opt_out": 0,
            "already_sent": 0,
        }
        (mail,) = mails()
        assert mail.recipient == "learner@example.org"
        assert mail.subject == "Lernpfad: Ihr Lernpfad wartet auf Sie"
        assert "Guten Tag Lea Lernend," in mail.body
        assert "in Ihrem Lernpfad sind noch 4 Pflichtmodule offen." in mail.body
        assert "Als Nächstes: „Modul g1“." in mail.body
        assert "http://127.0.0.1:5000/lernpfad" in mail.body or "/lernpfad" in mail.body
        assert "/einstellungen/mitteilungen/abbestellen/erinnerungen/" in mail.body
        assert mail.html_body.startswith("<!doctype html>")
        assert [n.kind for n in notices("learner@example.org")] == ["inactivity"]
        # Nobody else has a path: no reminder for them.
        for later, sent in (
            (timedelta(hours=3), 1),
            (timedelta(days=6), 1),
            (timedelta(days=7), 2),
        ):
            remind_inactive(NOW + later)
            assert len(mails()) == sent, later


def test_learning_or_logging_in_counts_as_activity(app, company):
    with app.app_context():
        lea = person("learner@example.org")
        db.session.add(
            QuizAttempt(
                person_id=lea.id,
                module_id="g1",
                version_id=1,
                answers={},
                correct=1,
                total=5,
                passed=False,
                at=NOW - timedelta(days=13),
            )
        )
        db.session.flush()
        assert remind_inactive(NOW)["mails"] == 0
        assert remind_inactive(NOW + timedelta(days=1))["mails"] == 1  # 14 days idle
        db.session.rollback()
        person("learner@example.org").last_login_at = NOW - timedelta(days=2)
        db.session.flush()
        assert remind_inactive(NOW)["mails"] == 0


def test_nobody_is_reminded_without_required_modules_or_account(app, company):
    with app.app_context():
        for module_id in ("g1", "w1", "q1", "w2"):
            completed(person("learner@example.org"), module_id)
        db.session.flush()
        assert remind_inactive(NOW)["mails"] == 0  # everything done
        db.session.rollback()
        person("learner@example.org").active = False
        db.session.flush()
        assert remind_inactive(NOW)["mails"] == 0  # left the company


def test_a_learner_who_switched_reminders_off_gets_none(app, company):
    with app.app_context():
        set_preferences(person("learner@example.org"), reminders=False)
        counts = remind_inactive(NOW)
        assert (counts["mails"], counts["notices"], counts["skipped_opt_out"]) == (0, 0, 1)
        assert mails() == [] and notices("learner@example.org") == []


def test_the_job_runs_once_per_day_and_a_manual_run_sends_nothing_twice(app, company):
    with app.app_context():
        assert run_job("inactivity", NOW).counts["mails"] == 1
        assert run_job("inactivity", NOW + timedelta(minutes=5)) is None  # same period
        manual = run_job("inactivity", NOW + timedelta(minutes=6), manual=True)
        assert manual.status == "ok" and manual.counts["mails"] == 0
        assert len(mails()) == 1 and len(notices("learner@example.org")) == 1


# ---------------------------------------------------------------------------------------------
# Due dates


def assign(app, module_id: str, due_on: date, email: str = "learner@example.org") -> None:
    with app.app_context():
        db.session.add(
            ModuleAssignment(
                person_id=person(email).id,
                module_id=module_id,
                due_on=due_on,
                assigned_by_id=person("head@example.org").id,
            )
        )
        db.session.commit()


def test_due_soon_once_then_overdue_once(app, company):
    assign(app, "g1", TODAY + timedelta(days=3))
    with app.app_context():
        assert remind_due_dates(NOW - timedelta(days=1))["mails"] == 0  # four days before
        assert remind_due_dates(NOW)["mails"] == 1
        assert remind_due_dates(NOW + timedelta(hours=2))["already_sent"] == 1
        assert remind_due_dates(NOW + timedelta(days=1))["mails"] == 0  # same due date
        assert remind_due_dates(NOW + timedelta(days=4))["mails"] == 1  # first day overdue
        assert remind_due_dates(NOW + timedelta(days=5))["mails"] == 0  # not every day
        subjects = [m.subject for m in mails()]
        assert subjects == [
            "Lernpfad: „Modul g1“ ist bald fällig",
            "Lernpfad: „Modul g1“ ist überfällig",
        ]
        assert "bis 10. Dezember 2026 abzuschließen" in mails()[0].body
        assert [n.kind for n in notices("learner@example.org")] == ["due_soon", "overdue"]
        assert notices("learner@example.org")[0].link_args == {"module_id": "g1"}


def test_a_new_due_date_is_reminded_again(app, company):
    assign(app, "g1", TODAY + timedelta(days=3))
    with app.app_context():
        remind_due_dates(NOW)
        db.session.scalar(sa.select(ModuleAssignment)).due_on = TODAY + timedelta(days=2)
        db.session.flush()
        assert remind_due_dates(NOW)["mails"] == 1


def test_completed_or_withdrawn_assignments_are_not_reminded(app, company):
    assign(app, "g1", TODAY + timedelta(days=3))
    assign(app, "w1", TODAY - timedelta(days=1))
    with app.app_context():
        completed(person("learner@example.org"), "g1")
        withdrawn = db.session.scalar(
            sa.select(ModuleAssignment.id).where(ModuleAssignment.module_id == "w1")
        )
        assert withdraw_assignments(person("head@example.org"), [withdrawn]) == 1
        db.session.flush()
        assert remind_due_dates(NOW)["mails"] == 0


def test_switching_reminders_off_keeps_the_overdue_notice(app, company):
    assign(app, "g1", TODAY + timedelta(days=2))
    assign(app, "w1", TODAY - timedelta(days=1))
    with app.app_context():
        set_preferences(person("learner@example.org"), reminders=False)
        counts = remind_due_dates(NOW)
        assert (counts["mails"], counts["skipped_opt_out"]) == (1, 1)
        (mail,) = mails()
        assert "überfällig" in mail.subject
        assert "abbestellen" not in mail.body  # mandatory: no unsubscribe link …
        assert "unabhängig von Ihren Einstellungen" in mail.body  # … and it says so


# ---------------------------------------------------------------------------------------------
# Re-assessment


def test_one_invitation_per_result(app, company):
    with app.app_context():
        lea = person("learner@example.org")
        result = db.session.scalar(sa.select(AssessmentResult))
        result.completed_at = NOW - timedelta(days=181)
        db.session.flush()
        assert invite_to_reassess(NOW)["mails"] == 1
        assert invite_to_reassess(NOW + timedelta(days=1))["already_sent"] == 1
        (mail,) = mails()
        assert mail.subject == "Lernpfad: Zeit für Ihre nächste Selbsteinschätzung"
        assert "am 9. Juni 2026 abgeschlossen" in mail.body
        # A new result, later old enough itself: a new invitation.
        assessed(lea, NOW + timedelta(days=2))
        assert invite_to_reassess(NOW + timedelta(days=100))["mails"] == 0
        assert invite_to_reassess(NOW + timedelta(days=183))["mails"] == 1


def test_no_invitation_while_a_new_assessment_is_under_way(app, company):
    with app.app_context():
        lea = person("learner@example.org")
        db.session.scalar(sa.select(AssessmentResult)).completed_at = NOW - timedelta(days=200)
        db.session.add(
            AssessmentAttempt(
                person_id=lea.id, assessment_key="standard", assessment_hash="x", answers={}
            )
        )
        db.session.flush()
        assert invite_to_reassess(NOW)["mails"] == 0


# ---------------------------------------------------------------------------------------------
# Certificates (the provider is the certification package's; here a fake)


def fake_provider(valid_until: date):
    def provider(today, until):
        lea = person("learner@example.org")
        found = [ExpiringCertificate(lea, 17, "KI-Champion", valid_until)]
        return [c for c in found if today <= c.valid_until <= until]

    return provider


def test_certificate_notices_at_60_30_and_7_days_once_each(app, company):
    provider = fake_provider(TODAY + timedelta(days=30))
    with app.app_context():
        sent = [
            notify_expiring_certificates(NOW + timedelta(days=d), provider)["mails"]
            for d in (-31, -30, 0, 0, 1, 22, 23, 30, 31)
        ]
        # 61 days before: nothing; 60: one; 30: one (twice run); 29: none; 8: none; 7: one;
        # the last day: none (already had the 7-day one); expired: none.
        assert sent == [0, 1, 1, 0, 0, 0, 1, 0, 0]
        assert [n.kind for n in notices("learner@example.org")] == ["certificate_expiring"] * 3
        assert "Das sind noch 30 Tage." in mails()[1].body
        assert "Das sind noch 7 Tage." in mails()[2].body


def test_the_certificates_job_uses_the_certification_provider(app, company, monkeypatch):
    monkeypatch.setattr(
        certificates, "expiring_certificates", fake_provider(TODAY + timedelta(days=7))
    )
    with app.app_context():
        assert run_job("certificates", NOW).counts["mails"] == 1
        assert run_job("certificates", NOW, manual=True).counts["mails"] == 0


def test_without_the_certification_feature_there_is_nothing_to_send(app, company):
    with app.app_context():
        assert certificates.expiring_certificates(TODAY, TODAY + timedelta(days=60)) == []
        assert run_job("certificates", NOW).counts["mails"] == 0


# ---------------------------------------------------------------------------------------------
# Weekly digest


def test_heads_get_their_departments_figures_champions_what_waits(app, company):
    assign(app, "w1", TODAY - timedelta(days=1))
    assign(app, "q1", TODAY + timedelta(days=10))
    with app.app_context():
        lea = person("learner@example.org")
        champion = person("champion@example.org")
        db.session.add(
            Submission(
                person_id=lea.id,
                module_id="w2",
                version_id=version_of("w2"),
                round=1,
                text="Geheimer Abgabetext",
                html="",
                status="submitted",
            )
        )
        db.session.add(
            MentoringSession(
                champion_id=champion.id,
                mentee_id=lea.id,
                held_on=TODAY - timedelta(days=2),
                minutes=30,
                topic="Prompts",
            )
        )
        completed(lea, "g1", NOW - timedelta(days=2))
        db.session.flush()
        counts = send_digests(NOW)
        assert counts == {
            "mails": 2,
            "notices": 0,
            "skipped_opt_out": 0,
            "already_sent": 0,
            "skipped_empty": 0,
        }
        head_mail = mails("head@example.org")[0]
        assert head_mail.subject == "Lernpfad: Ihre Wochenübersicht"
        assert "Ihre Abteilung Vertrieb" in head_mail.body
        assert "Selbsteinschätzung gemacht: 17 % (1 von 6)" in head_mail.body
        assert "In den letzten sieben Tagen 1 Modul abgeschlossen" in head_mail.body
        assert "Zugewiesene Module: 1 offen, 1 überfällig" in head_mail.body
        assert "/einstellungen/mitteilungen/abbestellen/wochenuebersicht/" in head_mail.body
        champion_mail = mails("champion@example.org")[0]
        assert "1 Abgabe wartet auf Ihre Rückmeldung." in champion_mail.body
        assert "1 Sitzung wartet auf die Bestätigung Ihres Gegenübers." in champion_mail.body
        for mail in (head_mail, champion_mail):
            for private in ("Lea", "Geheimer Abgabetext", "Prompts"):
                assert private not in mail.body and private not in mail.html_body
        assert send_digests(NOW + timedelta(days=2))["already_sent"] == 2  # same ISO week
        assert send_digests(NOW + timedelta(days=7))["mails"] == 2


def test_a_champion_with_nothing_waiting_gets_no_digest_and_opting_out_works(app, company):
    with app.app_context():
        set_preferences(person("head@example.org"), digest=False)
        counts = send_digests(NOW)
        assert (counts["mails"], counts["skipped_opt_out"], counts["skipped_empty"]) == (0, 1, 1)


def test_every_job_has_its_default_schedule(app):
    from lernpfad.jobs.services import jobs

    with app.app_context():
        schedules = {job.id: (job.period, job.schedule) for job in jobs().values()}
    assert schedules["inactivity"] == ("day", "0 9 * * *")
    assert schedules["due_dates"] == ("day", "0 7 * * *")
    assert schedules["reassessment"] == ("day", "0 8 * * *")
    assert schedules["certificates"] == ("day", "30 8 * * *")
    assert schedules["digest"] == ("week", "0 7 * * mon")
