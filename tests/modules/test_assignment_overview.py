"""Department heads see what became of their assignments — done, open, overdue — and withdraw
them; the rule for the status is a pure function."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.modules import rules
from lernpfad.modules.models import ModuleAssignment, ModuleProgress
from tests.helpers import make_person

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("state", "due_on", "status"),
    [
        (None, TODAY, rules.ASSIGNMENT_OPEN),  # not opened yet, due today: still open
        (None, TODAY + timedelta(days=1), rules.ASSIGNMENT_OPEN),
        (None, TODAY - timedelta(days=1), rules.ASSIGNMENT_OVERDUE),
        (rules.OPEN, TODAY - timedelta(days=30), rules.ASSIGNMENT_OVERDUE),
        (rules.IN_PROGRESS, TODAY - timedelta(days=1), rules.ASSIGNMENT_OVERDUE),
        (rules.SUBMITTED, TODAY - timedelta(days=1), rules.ASSIGNMENT_OVERDUE),  # not yet done
        (rules.RETURNED, TODAY + timedelta(days=5), rules.ASSIGNMENT_OPEN),
        (rules.COMPLETED, TODAY + timedelta(days=5), rules.ASSIGNMENT_DONE),
        (rules.COMPLETED, TODAY - timedelta(days=5), rules.ASSIGNMENT_DONE),  # late, but done
    ],
)
def test_assignment_status(state, due_on, status):
    assert rules.assignment_status(state, due_on, TODAY) == status


def assign(person_id, module_id, due_on, head_id=None):
    db.session.add(
        ModuleAssignment(
            person_id=person_id, module_id=module_id, due_on=due_on, assigned_by_id=head_id
        )
    )


def complete(person, module_id):
    from lernpfad.modules.services import current_version

    db.session.add(
        ModuleProgress(
            person_id=person.id,
            module_id=module_id,
            version_id=current_version(module_id).id,
            state=rules.COMPLETED,
            quiz_passed=True,
            task_accepted=True,
        )
    )


@pytest.fixture
def department_with_assignments(app, people, content):
    """In Vertrieb: w1 due in a week for Lea (done), Chris (open), Dora (not opened);
    g1 overdue for Chris; in Marketing: w1 for Mia, whom the Vertrieb head must not see."""
    today = date.today()
    with app.app_context():
        learner = db.session.get(Person, people["learner"])
        chris = make_person("chris@example.org", name="Chris Offen")
        dora = make_person("dora@example.org", name="Dora Neu")
        mia = make_person("mia@example.org", name="Mia Marketing", department_name="Marketing")
        week = today + timedelta(days=7)
        for person in (learner, chris, dora):
            assign(person.id, "w1", week, people["head"])
        assign(chris.id, "g1", today - timedelta(days=2), people["head"])
        assign(mia.id, "w1", week)
        complete(learner, "w1")
        db.session.commit()
        return {"chris": chris.id, "dora": dora.id, "mia": mia.id, "week": week}


def assignment_id(app, person_id, module_id):
    with app.app_context():
        return db.session.scalar(
            sa.select(ModuleAssignment.id).where(
                ModuleAssignment.person_id == person_id, ModuleAssignment.module_id == module_id
            )
        )


def section_of(page: str, title: str) -> str:
    start = page.index(f">{title}</h2>")
    end = page.find("</section>", start)
    return page[start:end]


def test_head_sees_done_open_and_overdue_names_of_their_department(
    client, auth, department_with_assignments
):
    auth.login("head@example.org")
    page = client.get("/module/zuweisungen").get_data(as_text=True)
    w1 = section_of(page, "Modul w1")
    assert "Überfällig: 0" in w1 and "Offen: 2" in w1 and "Erledigt: 1" in w1
    assert w1.index("Offen: 2") < w1.index("Chris Offen") < w1.index("Erledigt: 1")
    assert w1.index("Dora Neu") < w1.index("Erledigt: 1") < w1.index("Lea Lernend")
    g1 = section_of(page, "Modul g1")
    assert "Überfällig: 1" in g1 and "Chris Offen" in g1 and "tag--warning" in g1
    assert page.index("Modul g1") < page.index("Modul w1")  # the soonest due date first
    assert "Mia Marketing" not in page  # another department's assignment
    assert "Stufe" not in page  # names and completion only, never levels
    assert 'href="/module/zuweisen"' in page


def test_overdue_counts_from_today_in_the_company_time_zone(
    client, auth, department_with_assignments, monkeypatch
):
    from lernpfad.modules import routes

    auth.login("head@example.org")
    in_a_week = department_with_assignments["week"]
    monkeypatch.setattr(routes, "local_today", lambda: in_a_week + timedelta(days=1))
    w1 = section_of(client.get("/module/zuweisungen").get_data(as_text=True), "Modul w1")
    assert "Überfällig: 2" in w1 and "Offen: 0" in w1 and "Erledigt: 1" in w1


def test_withdraw_for_one_person_after_confirmation(app, client, auth, department_with_assignments):
    chris = department_with_assignments["chris"]
    target = assignment_id(app, chris, "w1")
    auth.login("head@example.org")
    url = f"/module/zuweisungen/{target}/zuruecknehmen"
    confirm = client.get(url).get_data(as_text=True)
    assert "Chris Offen" in confirm and "Modul w1" in confirm
    refused = client.post(url, data={})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Bitte korrigieren Sie:" in page and 'href="#confirmed"' in page
    assert 'id="confirmed"' in page
    assert assignment_id(app, chris, "w1") == target
    done = client.post(url, data={"confirmed": "y"}, follow_redirects=True)
    assert "Zuweisung für 1 Person zurückgenommen." in done.get_data(as_text=True)
    assert assignment_id(app, chris, "w1") is None
    assert assignment_id(app, chris, "g1") is not None  # the other assignment stays
    with app.app_context():
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "module_assignment.withdrawn")
        )
        assert (event.subject_id, event.details["module"]) == (chris, "w1")
    again = client.post(url, data={"confirmed": "y"}, follow_redirects=True)
    assert "Diese Zuweisung gibt es nicht mehr." in again.get_data(as_text=True)


def test_withdraw_a_module_from_everyone_keeps_their_progress(
    app, client, auth, people, department_with_assignments
):
    due = department_with_assignments["week"].isoformat()
    auth.login("head@example.org")
    url = f"/module/zuweisungen/w1/{due}/zuruecknehmen"
    confirm = client.get(url).get_data(as_text=True)
    for name in ("Chris Offen", "Dora Neu", "Lea Lernend"):
        assert name in confirm
    assert "Mia Marketing" not in confirm
    done = client.post(url, data={"confirmed": "y"}, follow_redirects=True)
    assert "Zuweisung für 3 Personen zurückgenommen." in done.get_data(as_text=True)
    with app.app_context():
        left = db.session.scalars(sa.select(ModuleAssignment)).all()
        assert sorted((a.person_id, a.module_id) for a in left) == sorted(
            [
                (department_with_assignments["chris"], "g1"),
                (department_with_assignments["mia"], "w1"),
            ]
        )
        progress = db.session.scalar(sa.select(ModuleProgress))
        assert (progress.person_id, progress.state) == (people["learner"], rules.COMPLETED)
    auth.logout()
    auth.login()
    assert "Fällige Module" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/module/zuweisungen/w1/2026-02-30/zuruecknehmen",
        "/module/zuweisungen/w1/morgen/zuruecknehmen",
        "/module/zuweisungen/gibtsnicht/2026-03-01/zuruecknehmen",
        "/module/zuweisungen/999999/zuruecknehmen",
    ],
)
def test_unknown_assignments_get_a_german_message(client, auth, department_with_assignments, url):
    auth.login("head@example.org")
    for method in ("GET", "POST"):
        response = client.open(url, method=method, data={"confirmed": "y"})
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/module/zuweisungen")
    assert "Diese Zuweisung gibt es nicht mehr." in client.get("/module/zuweisungen").get_data(
        as_text=True
    )


def test_another_departments_head_can_neither_see_nor_withdraw(
    app, client, auth, department_with_assignments
):
    with app.app_context():
        make_person(
            "leitung.mk@example.org", roles={Role.DEPARTMENT_HEAD}, department_name="Marketing"
        )
        db.session.commit()
    chris = department_with_assignments["chris"]
    target = assignment_id(app, chris, "w1")
    due = department_with_assignments["week"].isoformat()
    auth.login("leitung.mk@example.org")
    page = client.get("/module/zuweisungen").get_data(as_text=True)
    assert "Mia Marketing" in page and "Chris Offen" not in page
    client.post(f"/module/zuweisungen/{target}/zuruecknehmen", data={"confirmed": "y"})
    client.post(f"/module/zuweisungen/w1/{due}/zuruecknehmen", data={"confirmed": "y"})
    assert assignment_id(app, chris, "w1") == target  # Vertrieb's stays
    assert assignment_id(app, department_with_assignments["mia"], "w1") is None  # its own went


@pytest.mark.parametrize("email", ["learner@example.org", "hr@example.org", "gf@example.org"])
def test_only_department_heads_open_the_overview(client, auth, people, content, email):
    auth.login(email)
    assert client.get("/module/zuweisungen").status_code == 403
    assert client.post("/module/zuweisungen/1/zuruecknehmen").status_code == 403


def test_navigation_and_assign_page_lead_to_the_overview(client, auth, people, content):
    auth.login("head@example.org")
    dashboard = client.get("/").get_data(as_text=True)
    assert 'href="/module/zuweisungen"' in dashboard and "Zuweisungen" in dashboard
    assert 'href="/module/zuweisungen"' in client.get("/module/zuweisen").get_data(as_text=True)
    empty = client.get("/module/zuweisungen").get_data(as_text=True)
    assert "Ihrer Abteilung sind noch keine Module zugewiesen." in empty
    due = (date.today() + timedelta(days=3)).isoformat()
    response = client.post(
        "/module/zuweisen",
        data={"module_id": "w1", "due_on": due, "people": [str(people["learner"])]},
    )
    assert response.headers["Location"].endswith("/module/zuweisungen")
