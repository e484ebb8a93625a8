"""HR's person page: edit name, address, department, function, roles and manager; deactivate
with a confirmation, reactivate; anonymised people are read-only and have no path to set."""

import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail
from tests.helpers import department, login_client, make_person


def audit(app, action):
    with app.app_context():
        return [
            (e.subject_id, e.details)
            for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action))
        ]


def person(app, person_id):
    with app.app_context():
        found = db.session.get(Person, person_id)
        db.session.expunge(found)
        return found


def form_data(**changes):
    data = {
        "name": "Lea Lernend",
        "email": "learner@example.org",
        "department_id": "1",
        "job_function": "",
        "manager_id": "0",
    }
    data.update(changes)
    return data


def test_deactivation_asks_first_and_can_be_undone(app, people):
    hr = login_client(app, "hr@example.org")
    learner = people["learner"]
    page = hr.get(f"/personen/{learner}/deaktivieren").get_data(as_text=True)
    assert "Ja, deaktivieren" in page and "jederzeit reaktivieren" in page
    assert person(app, learner).active  # looking at the question changes nothing
    unconfirmed = hr.post(f"/personen/{learner}/deaktivieren")
    assert unconfirmed.status_code == 400 and person(app, learner).active
    hr.post(f"/personen/{learner}/deaktivieren", data={"confirmed": "ja"})
    assert not person(app, learner).active
    row = hr.get("/personen/?q=lea").get_data(as_text=True)
    assert "Reaktivieren" in row and "Anonymisieren …" in row
    hr.post(f"/personen/{learner}/reaktivieren")
    assert person(app, learner).active
    assert [s for s, _d in audit(app, "person.deactivated")] == [learner]
    assert [s for s, _d in audit(app, "person.reactivated")] == [learner]


def test_an_anonymised_person_stays_anonymised(app, people):
    hr = login_client(app, "hr@example.org")
    learner = people["learner"]
    hr.post(f"/personen/{learner}/deaktivieren", data={"confirmed": "ja"})
    hr.post(f"/personen/{learner}/anonymisieren", data={"confirmed": "ja"})
    refused = hr.post(f"/personen/{learner}/reaktivieren", follow_redirects=True)
    assert "lässt sich nicht reaktivieren" in refused.get_data(as_text=True)
    assert not person(app, learner).active
    # Item 8: no path link in the list, and the path page does not exist for the record.
    row = hr.get("/personen/?q=ehemalige").get_data(as_text=True)
    assert f"/lernpfad/person/{learner}/rolle" not in row and "anonymisiert" in row
    assert hr.get(f"/lernpfad/person/{learner}/rolle").status_code == 404
    page = hr.get(f"/personen/{learner}").get_data(as_text=True)
    assert "<form" not in page.split('id="inhalt"')[1].split("</main>")[0]


def test_hr_edits_a_person_and_each_change_is_audited(app, people):
    with app.app_context():
        department("Einkauf")
        db.session.commit()
    hr = login_client(app, "hr@example.org")
    learner = people["learner"]
    page = hr.get(f"/personen/{learner}").get_data(as_text=True)
    assert 'value="Lea Lernend"' in page and 'value="learner@example.org"' in page
    response = hr.post(
        f"/personen/{learner}",
        data=form_data(
            name="Lea Neumann",
            email="Lea.Neumann@example.org",
            department_id="2",
            job_function="Einkäuferin",
            manager_id=str(people["head"]),
            roles=["champion"],
        ),
    )
    assert response.status_code == 302
    lea = person(app, learner)
    assert (lea.name, lea.email, lea.department_id, lea.job_function, lea.manager_id) == (
        "Lea Neumann",
        "lea.neumann@example.org",
        2,
        "Einkäuferin",
        people["head"],
    )
    with app.app_context():
        assert db.session.get(Person, learner).roles == {Role.LEARNER, Role.CHAMPION}
    ((_subject, details),) = audit(app, "person.updated")
    assert set(details["fields"]) == {
        "name",
        "email",
        "department_id",
        "job_function",
        "manager_id",
    }
    assert [d["role"] for _s, d in audit(app, "role.granted") if _s == learner] == ["champion"]


def test_edit_errors_come_next_to_their_field_and_change_nothing(app, people):
    hr = login_client(app, "hr@example.org")
    learner = people["learner"]
    taken = hr.post(f"/personen/{learner}", data=form_data(email="hr@example.org"))
    assert taken.status_code == 400
    assert "Diese E-Mail-Adresse ist bereits vergeben." in taken.get_data(as_text=True)
    bad = hr.post(f"/personen/{learner}", data=form_data(department_id="999", name=""))
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Diese Auswahl ist nicht möglich." in text and "Bitte geben Sie einen Namen ein." in text
    assert person(app, learner).email == "learner@example.org"


def test_a_manager_cannot_report_to_their_own_report(app, people):
    with app.app_context():
        head = db.session.get(Person, people["head"])
        head.manager_id = people["leadership"]
        db.session.commit()
    hr = login_client(app, "hr@example.org")
    # gf@ reports to nobody; making head@ (who reports to gf@) gf's manager closes a loop.
    response = hr.post(
        f"/personen/{people['leadership']}",
        data=form_data(
            name="Gf", email="gf@example.org", manager_id=str(people["head"]), roles=["leadership"]
        ),
    )
    assert response.status_code == 400
    assert "Sie ist der Person selbst unterstellt." in response.get_data(as_text=True)


def test_hr_cannot_change_admin_roles_on_the_person_page(app, people):
    hr = login_client(app, "hr@example.org")
    admin = people["admin"]
    page = hr.get(f"/personen/{admin}").get_data(as_text=True)
    assert 'value="admin"' not in page and "nur die Administration ändert" in page
    response = hr.post(
        f"/personen/{admin}",
        data=form_data(name="Admin", email="admin@example.org", roles=["champion"]),
    )
    assert response.status_code == 302
    with app.app_context():  # the admin role stays, the champion role is added
        assert db.session.get(Person, admin).roles == {Role.LEARNER, Role.ADMIN, Role.CHAMPION}
    forged = hr.post(
        f"/personen/{admin}", data=form_data(name="Admin", email="admin@example.org", roles=["hr"])
    )
    assert forged.status_code == 400
    with app.app_context():
        assert Role.HR not in db.session.get(Person, admin).roles


def test_nobody_but_hr_and_admins_opens_a_person_page(app, people):
    for who in ("learner", "champion", "head", "gf"):
        assert (
            login_client(app, f"{who}@example.org").get(f"/personen/{people['hr']}").status_code
            == 403
        )


def test_an_invitation_can_be_sent_again_until_a_password_is_set(app, people):
    with app.app_context():
        new = make_person("nina@example.org", name="Nina Neu")
        new.password_hash = None
        db.session.commit()
        nina = new.id
    hr = login_client(app, "hr@example.org")
    assert "Einladung erneut senden" in hr.get(f"/personen/{nina}").get_data(as_text=True)
    assert hr.post(f"/personen/{nina}/einladen").status_code == 200
    with app.app_context():
        (mail,) = db.session.scalars(sa.select(OutboxMail)).all()
        assert mail.recipient == "nina@example.org"
    refused = hr.post(f"/personen/{people['learner']}/einladen", follow_redirects=True)
    assert "hat bereits ein Passwort" in refused.get_data(as_text=True)
