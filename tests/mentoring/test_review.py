"""Champions review hand-ins of their departments; HR assigns further departments."""

import re
import threading

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Department, Person, Role
from lernpfad.extensions import db
from lernpfad.mentoring.models import ChampionDepartment
from lernpfad.mentoring.rules import FEEDBACK_MAX_CHARS
from lernpfad.modules.models import ModuleProgress, Submission
from tests.helpers import login_client as login
from tests.helpers import make_person
from tests.mail import run_mail_job

RIGHT = {f"q-{i}": "0" for i in range(5)}


def hand_in(client, module_id="w2", text="Prompt-Vorlage für Angebote gebaut."):
    client.post(f"/module/{module_id}/quiz", data=RIGHT)
    assert client.post(f"/module/{module_id}/abgabe", data={"text": text}).status_code == 302


def submission_id(app, email):
    with app.app_context():
        return db.session.scalar(
            sa.select(Submission.id)
            .join(Person, Person.id == Submission.person_id)
            .where(Person.email == email)
            .order_by(Submission.id.desc())
        )


def state(app, email, module_id="w2"):
    with app.app_context():
        row = db.session.scalar(
            sa.select(ModuleProgress)
            .join(Person, Person.id == ModuleProgress.person_id)
            .where(Person.email == email, ModuleProgress.module_id == module_id)
        )
        submission = db.session.scalar(
            sa.select(Submission)
            .where(Submission.person_id == row.person_id)
            .order_by(Submission.id.desc())
        )
        return row.state, row.task_accepted, submission.status, submission.reviewer_id


@pytest.fixture
def handed_in(app, people, content):
    hand_in(login(app, "learner@example.org"))
    return submission_id(app, "learner@example.org")


@pytest.fixture
def champion(app, people):
    return login(app, "champion@example.org")


def test_queue_shows_the_hand_in_and_accepting_completes_the_module(app, champion, handed_in):
    queue = champion.get("/mentoring/").get_data(as_text=True)
    assert "Lea Lernend" in queue and "Modul w2" in queue
    page = champion.get(f"/mentoring/abgabe/{handed_in}").get_data(as_text=True)
    assert "Prompt-Vorlage für Angebote gebaut." in page and "Darauf achten Sie" in page
    response = champion.post(
        f"/mentoring/abgabe/{handed_in}",
        data={"decision": "annehmen", "feedback": "Gut **nachvollziehbar**."},
        follow_redirects=True,
    )
    assert "Angenommen. Lea Lernend sieht Ihre Rückmeldung im Modul." in response.get_data(
        as_text=True
    )
    assert state(app, "learner@example.org")[:3] == ("abgeschlossen", True, "accepted")
    learner_page = login(app, "learner@example.org").get("/module/w2").get_data(as_text=True)
    assert "<strong>nachvollziehbar</strong>" in learner_page
    assert "Im Moment wartet keine Abgabe auf Sie." in champion.get("/mentoring/").get_data(
        as_text=True
    )


def test_returning_needs_feedback_and_the_revision_comes_back(app, champion, handed_in):
    refused = champion.post(
        f"/mentoring/abgabe/{handed_in}", data={"decision": "zurueckgeben", "feedback": "  "}
    )
    assert refused.status_code == 400
    assert "Bitte schreiben Sie beim Zurückgeben" in refused.get_data(as_text=True)
    assert state(app, "learner@example.org") == ("eingereicht", False, "submitted", None)
    champion.post(
        f"/mentoring/abgabe/{handed_in}",
        data={"decision": "zurueckgeben", "feedback": "Bitte mit Zeitmessung."},
    )
    assert state(app, "learner@example.org")[:3] == ("zurueckgegeben", False, "returned")
    learner = login(app, "learner@example.org")
    learner.post("/module/w2/abgabe", data={"text": "Zweite Fassung mit Zeitmessung."})
    queue = champion.get("/mentoring/").get_data(as_text=True)
    assert "überarbeitet" in queue


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"decision": "loeschen", "feedback": ""},
            "Bitte wählen Sie „Annehmen“ oder „Zurückgeben“.",
        ),
        ({"feedback": "ok"}, "Bitte wählen Sie „Annehmen“ oder „Zurückgeben“."),
        (
            {"decision": "annehmen", "feedback": "x" * (FEEDBACK_MAX_CHARS + 1)},
            "Ihre Rückmeldung ist zu lang",
        ),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(app, champion, handed_in, data, message):
    response = champion.post(f"/mentoring/abgabe/{handed_in}", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert state(app, "learner@example.org") == ("eingereicht", False, "submitted", None)


def test_a_second_review_is_refused(app, champion, handed_in):
    champion.post(f"/mentoring/abgabe/{handed_in}", data={"decision": "annehmen"})
    again = champion.post(
        f"/mentoring/abgabe/{handed_in}",
        data={"decision": "zurueckgeben", "feedback": "Doch nicht."},
    )
    assert again.status_code == 400
    assert "Diese Abgabe ist bereits bewertet." in again.get_data(as_text=True)
    assert state(app, "learner@example.org")[:3] == ("abgeschlossen", True, "accepted")


def test_other_departments_and_own_hand_ins_are_out_of_scope(app, people, content, handed_in):
    with app.app_context():
        make_person("mk@example.org", roles={Role.CHAMPION}, department_name="Marketing")
        db.session.commit()
    other = login(app, "mk@example.org")
    assert "Lea Lernend" not in other.get("/mentoring/").get_data(as_text=True)
    assert other.get(f"/mentoring/abgabe/{handed_in}").status_code == 404
    assert (
        other.post(f"/mentoring/abgabe/{handed_in}", data={"decision": "annehmen"}).status_code
        == 404
    )
    # The champion's own hand-in waits for somebody else.
    own = login(app, "champion@example.org")
    hand_in(own)
    mine = submission_id(app, "champion@example.org")
    assert own.get(f"/mentoring/abgabe/{mine}").status_code == 404
    assert "Champion" not in own.get("/mentoring/").get_data(as_text=True).split("queue-title")[1]
    # Once HR assigns Vertrieb to the Marketing champion, both hand-ins are theirs to review.
    hr = login(app, "hr@example.org")
    with app.app_context():
        ids = {
            "mk": db.session.scalar(sa.select(Person.id).where(Person.email == "mk@example.org")),
            "vertrieb": db.session.scalar(
                sa.select(Department.id).where(Department.name == "Vertrieb")
            ),
        }
    hr.post(
        "/mentoring/zuordnung", data={"champion_id": ids["mk"], "department_id": ids["vertrieb"]}
    )
    queue = other.get("/mentoring/").get_data(as_text=True)
    assert "Lea Lernend" in queue and "Sie betreuen: Marketing, Vertrieb." in queue
    assert other.get(f"/mentoring/abgabe/{mine}").status_code == 200


@pytest.mark.parametrize("who", ["learner", "head", "hr", "gf", "admin"])
def test_only_champions_see_hand_ins(app, people, content, handed_in, who):
    client = login(app, f"{who}@example.org")
    assert client.get("/mentoring/").status_code == 403
    assert client.get(f"/mentoring/abgabe/{handed_in}").status_code == 403


def test_learner_sees_their_champion_on_the_path_page(app, people, content):
    page = login(app, "learner@example.org").get("/lernpfad/").get_data(as_text=True)
    assert "Ihr KI-Champion" in page and "Champion" in page
    with app.app_context():
        make_person("alone@example.org", department_name="Einkauf")
        db.session.commit()
    lonely = login(app, "alone@example.org").get("/lernpfad/").get_data(as_text=True)
    assert "Für Ihre Abteilung ist noch kein KI-Champion benannt." in lonely


def test_hr_assigns_and_removes_departments(app, people):
    with app.app_context():
        make_person("mk@example.org", roles={Role.CHAMPION}, department_name="Marketing")
        db.session.commit()
        mk = db.session.scalar(sa.select(Person.id).where(Person.email == "mk@example.org"))
        learner = people["learner"]
        vertrieb = db.session.scalar(sa.select(Department.id).where(Department.name == "Vertrieb"))
        marketing = db.session.scalar(
            sa.select(Department.id).where(Department.name == "Marketing")
        )
    hr = login(app, "hr@example.org")
    page = hr.get("/mentoring/zuordnung").get_data(as_text=True)
    assert "Marketing" in page and "Champion" in page
    done = hr.post(
        "/mentoring/zuordnung",
        data={"champion_id": mk, "department_id": vertrieb},
        follow_redirects=True,
    )
    assert "Mk betreut jetzt Vertrieb." in done.get_data(as_text=True)
    cases = [
        ({"champion_id": mk, "department_id": vertrieb}, "Mk betreut Vertrieb bereits."),
        (
            {"champion_id": mk, "department_id": marketing},
            "betreut die eigene Abteilung Marketing ohnehin",
        ),
        ({"champion_id": learner, "department_id": vertrieb}, "Diese Auswahl ist nicht möglich."),
        ({"champion_id": "abc", "department_id": vertrieb}, "Bitte wählen Sie einen KI-Champion."),
        ({"champion_id": mk, "department_id": 999999}, "Diese Auswahl ist nicht möglich."),
        ({"champion_id": "", "department_id": ""}, "Bitte wählen Sie einen KI-Champion."),
    ]
    for data, message in cases:
        response = hr.post("/mentoring/zuordnung", data=data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), data
    with app.app_context():
        rows = db.session.scalars(sa.select(ChampionDepartment)).all()
        assert [(r.champion_id, r.department_id) for r in rows] == [(mk, vertrieb)]
        row_id = rows[0].id
    hr.post(f"/mentoring/zuordnung/{row_id}/entfernen")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ChampionDepartment)) == 0
    assert hr.post("/mentoring/zuordnung/999999/entfernen").status_code == 404


@pytest.mark.parametrize("who", ["learner", "champion", "head", "gf"])
def test_only_hr_and_admins_assign(app, people, who):
    client = login(app, f"{who}@example.org")
    assert client.get("/mentoring/zuordnung").status_code == 403
    assert client.post("/mentoring/zuordnung/1/entfernen").status_code == 403


def test_queue_lists_hand_ins_once_each(app, champion, people, content):
    for n in range(3):
        with app.app_context():
            make_person(f"l{n}@example.org", name=f"Lernende {n}")
            db.session.commit()
        hand_in(login(app, f"l{n}@example.org"))
    queue = champion.get("/mentoring/").get_data(as_text=True)
    assert len(re.findall(r"/mentoring/abgabe/\d+", queue)) == 3


def test_two_champions_reviewing_at_once_leave_one_decision(app, people, content, handed_in):
    with app.app_context():
        make_person("second@example.org", roles={Role.CHAMPION})
        db.session.commit()
    clients = [login(app, "champion@example.org"), login(app, "second@example.org")]
    decisions = [
        {"decision": "annehmen", "feedback": "Passt."},
        {"decision": "zurueckgeben", "feedback": "Bitte ergänzen."},
    ]
    barrier = threading.Barrier(2)
    statuses = []

    def review(client, data):
        barrier.wait()
        statuses.append(client.post(f"/mentoring/abgabe/{handed_in}", data=data).status_code)

    threads = [
        threading.Thread(target=review, args=pair) for pair in zip(clients, decisions, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [302, 400]
    final = state(app, "learner@example.org")
    assert final[:3] in (
        ("abgeschlossen", True, "accepted"),
        ("zurueckgegeben", False, "returned"),
    )


def test_champion_dashboard_counts_waiting_hand_ins(app, champion, handed_in):
    assert "1 Abgabe wartet auf Ihre Rückmeldung." in champion.get("/").get_data(as_text=True)
    champion.post(f"/mentoring/abgabe/{handed_in}", data={"decision": "annehmen"})
    assert "Im Moment wartet keine Abgabe auf Sie." in champion.get("/").get_data(as_text=True)
    learner = login(app, "learner@example.org")
    assert "Zum Mentoring" not in learner.get("/").get_data(as_text=True)


def test_long_queues_show_the_oldest_and_the_total(app_factory, people, content):
    from lernpfad.mentoring import services

    app = app_factory(MENTORING_QUEUE_LENGTH=2)
    for n in range(3):
        with app.app_context():
            make_person(f"q{n}@example.org", name=f"Queue {n}")
            db.session.commit()
        hand_in(login(app, f"q{n}@example.org"))
    with app.app_context():
        me = db.session.scalar(sa.select(Person).where(Person.email == "champion@example.org"))
        assert services.pending_count(me) == 3
        assert [s.person.name for s in services.pending(me, 2)] == ["Queue 0", "Queue 1"]
    page = login(app, "champion@example.org").get("/mentoring/").get_data(as_text=True)
    assert "Gezeigt werden die 2 ältesten von 3 Abgaben." in page
    assert len(re.findall(r"/mentoring/abgabe/\d+", page)) == 2


@pytest.mark.parametrize(
    ("decision", "feedback", "subject", "line"),
    [
        (
            "annehmen",
            "",
            "ist angenommen",
            "hat Ihre Praxisaufgabe zum Modul „Modul w2“ angenommen.",
        ),
        (
            "zurueckgeben",
            "Bitte mit Zeitmessung.",
            "braucht eine Überarbeitung",
            "Rückmeldung:\nBitte mit Zeitmessung.",
        ),
    ],
)
def test_the_learner_gets_a_mail(
    app_factory, people, content, smtp_server, decision, feedback, subject, line
):
    app = app_factory(MAIL_PORT=smtp_server.port, BASE_URL="https://lernen.example.org/")
    hand_in(login(app, "learner@example.org"))
    handed = submission_id(app, "learner@example.org")
    login(app, "champion@example.org").post(
        f"/mentoring/abgabe/{handed}", data={"decision": decision, "feedback": feedback}
    )
    assert smtp_server.messages == []  # the request only fills the outbox
    run_mail_job(app)
    (mail,) = smtp_server.messages
    assert mail["To"] == "learner@example.org"
    assert subject in mail["Subject"] and "Modul w2" in mail["Subject"]
    body = mail.get_content().replace("\r\n", "\n")
    assert line in body
    assert "Zum Modul: https://lernen.example.org/module/w2" in body


def test_the_mail_follows_the_learners_language(app_factory, people, content, smtp_server):
    app = app_factory(MAIL_PORT=smtp_server.port)
    with app.app_context():
        db.session.get(Person, people["learner"]).locale = "en"
        db.session.commit()
    hand_in(login(app, "learner@example.org"))
    login(app, "champion@example.org").post(
        f"/mentoring/abgabe/{submission_id(app, 'learner@example.org')}",
        data={"decision": "annehmen"},
    )
    run_mail_job(app)
    (mail,) = smtp_server.messages
    assert "has been accepted" in mail["Subject"]


def test_a_mail_server_outage_keeps_the_mail_in_the_outbox(app, champion, handed_in):
    from lernpfad.jobs.models import OutboxMail

    response = champion.post(f"/mentoring/abgabe/{handed_in}", data={"decision": "annehmen"})
    assert response.status_code == 302  # the review itself went through
    run_mail_job(app)
    with app.app_context():
        (mail,) = db.session.scalars(sa.select(OutboxMail)).all()
        assert (
            mail.sent_at is None and mail.attempts == 1 and mail.recipient == "learner@example.org"
        )
