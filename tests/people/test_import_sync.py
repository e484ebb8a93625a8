"""Staff import of an updated file: re-importing changes nothing, changes of existing people are
shown and applied only after a confirmed preview, and a full sync ("Vollabgleich") deactivates
exactly the people its preview named."""

import io
import re

import pytest
import sqlalchemy as sa

from lernpfad.audit.models import AuditEvent
from lernpfad.auth.models import Department, Person, PersonRole, Role
from lernpfad.extensions import db
from lernpfad.people.services import anonymise, create_person, deactivate
from tests.helpers import login_client as login

FIRST = (
    "Name;E-Mail;Abteilung;Funktion;Rollen\n"
    "Jana Jung;jana.jung@example.org;Einkauf;Einkäuferin;\n"
    "Ömer Öz;OEMER@example.org;Einkauf;Teamleitung;Fachbereichsleitung, KI-Champion\n"
    "Lea Lernend;learner@example.org;Vertrieb;;\n"
)
UPDATED = (
    "Name;E-Mail;Abteilung;Funktion;Rollen\n"
    "Jana Jung;jana.jung@example.org;Vertrieb;Einkäuferin;\n"
    "Ömer Öz;oemer@example.org;Einkauf;Bereichsleitung;KI-Champion\n"
    "Lea Lernend-Neu;learner@example.org;Vertrieb;;\n"
)


def upload(client, text, action="pruefen", full_sync=False, invite=False):
    data = {"file": (io.BytesIO(text.encode("utf-8")), "personal.csv"), "action": action}
    if full_sync:
        data["full_sync"] = "y"
    if invite:
        data["invite"] = "y"
    return client.post("/personen/import", data=data, content_type="multipart/form-data")


def preview_of(page: str) -> str:
    match = re.search(r'name="preview" type="hidden" value="([^"]+)"', page)
    assert match, "no confirmation offered"
    return match.group(1)


def confirm(client, preview):
    return client.post("/personen/import", data={"action": "bestaetigen", "preview": preview})


def snapshot(app):
    """Everything an import could change: people, their roles, departments, the audit log."""
    with app.app_context():
        return (
            db.session.execute(
                sa.select(
                    Person.id,
                    Person.email,
                    Person.name,
                    Person.department_id,
                    Person.job_function,
                    Person.active,
                    Person.session_token,
                    Person.group_changed_at,
                ).order_by(Person.id)
            ).all(),
            db.session.execute(
                sa.select(PersonRole.person_id, PersonRole.role).order_by(
                    PersonRole.person_id, PersonRole.role
                )
            ).all(),
            db.session.execute(sa.select(Department.id, Department.name)).all(),
            db.session.scalars(sa.select(AuditEvent.id)).all(),
        )


def events(app, since: int = 0) -> list[tuple]:
    with app.app_context():
        return [
            (e.action, e.actor_id, e.subject_id, e.details)
            for e in db.session.scalars(
                sa.select(AuditEvent).where(AuditEvent.id > since).order_by(AuditEvent.id)
            )
        ]


def last_event_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0


def person(app, email):
    with app.app_context():
        found = db.session.scalar(sa.select(Person).where(Person.email == email))
        return {
            "id": found.id,
            "name": found.name,
            "department": found.department.name if found.department else "",
            "job_function": found.job_function,
            "roles": found.roles,
            "active": found.active,
        }


def text(page: str) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_reimporting_the_same_file_changes_nothing(app, people):
    hr = login(app, "hr@example.org")
    assert upload(hr, FIRST, action="importieren").status_code == 200
    before = snapshot(app)
    checked = upload(hr, FIRST)
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert page.count(">unverändert<") == 3 and "0 neu · 0 geändert · 3 unverändert" in text(page)
    assert 'name="preview"' not in page  # nothing to confirm
    imported = upload(hr, FIRST, action="importieren", full_sync=False, invite=True)
    assert imported.status_code == 200
    assert "0 Personen angelegt · 0 Personen geändert · 3 unverändert" in text(
        imported.get_data(as_text=True)
    )
    assert snapshot(app) == before  # no person, role, department or audit event changed


def test_an_updated_file_is_previewed_then_applied_and_audited(app, people):
    hr = login(app, "hr@example.org")
    assert upload(hr, FIRST, action="importieren").status_code == 200
    before = snapshot(app)
    since = last_event_id(app)
    # "Prüfen und importieren" shows the changes first: nothing is stored yet
    shown = upload(hr, UPDATED, action="importieren")
    page = text(shown.get_data(as_text=True))
    assert shown.status_code == 200 and snapshot(app) == before
    assert "Abteilung: Einkauf → Vertrieb" in page
    assert "Funktion: Teamleitung → Bereichsleitung" in page
    assert "Rollen: KI-Champion, Fachbereichsleitung → KI-Champion" in page
    assert "Name: Lea Lernend → Lea Lernend-Neu" in page
    assert "0 neu · 3 geändert · 0 unverändert" in page
    done = confirm(hr, preview_of(shown.get_data(as_text=True)))
    assert done.status_code == 200
    assert "3 Personen geändert" in text(done.get_data(as_text=True))
    assert person(app, "jana.jung@example.org")["department"] == "Vertrieb"
    oemer = person(app, "oemer@example.org")
    assert oemer["job_function"] == "Bereichsleitung"
    assert oemer["roles"] == {Role.LEARNER, Role.CHAMPION}
    assert person(app, "learner@example.org")["name"] == "Lea Lernend-Neu"
    jana, lea = person(app, "jana.jung@example.org")["id"], people["learner"]
    via_import = {"via": "import"}
    assert sorted(events(app, since), key=lambda e: (e[2], e[0])) == sorted(
        [
            ("person.updated", people["hr"], jana, {"fields": ["department_id"], **via_import}),
            ("role.removed", people["hr"], oemer["id"], {"role": "department_head", **via_import}),
            (
                "person.updated",
                people["hr"],
                oemer["id"],
                {"fields": ["job_function"], **via_import},
            ),
            ("person.updated", people["hr"], lea, {"fields": ["name"], **via_import}),
        ],
        key=lambda e: (e[2], e[0]),
    )
    # the same file again: nothing left to do
    again = upload(hr, UPDATED)
    assert again.get_data(as_text=True).count(">unverändert<") == 3


def test_a_missing_column_keeps_the_field_and_an_empty_roles_cell_takes_grantable_roles(
    app, people
):
    hr = login(app, "hr@example.org")
    with app.app_context():
        champion = db.session.get(Person, people["champion"])
        champion.add_role(Role.HR)  # granted by an administrator earlier
        db.session.commit()
    shown = upload(hr, "Name;E-Mail;Rollen\nChampion;champion@example.org;\n")
    page = text(shown.get_data(as_text=True))
    assert "Rollen: KI-Champion, HR / Personalentwicklung → HR / Personalentwicklung" in page
    assert "Abteilung:" not in page  # the file has no department column
    assert confirm(hr, preview_of(shown.get_data(as_text=True))).status_code == 200
    after = person(app, "champion@example.org")
    assert after["roles"] == {Role.LEARNER, Role.HR} and after["department"] == "Vertrieb"


def test_own_roles_stay_and_the_preview_says_so(app, people):
    hr = login(app, "hr@example.org")
    response = upload(hr, "Name;E-Mail;Rollen\nHr;hr@example.org;KI-Champion\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Ihre eigenen Rollen bleiben unverändert." in page
    assert ">unverändert<" in page and 'name="preview"' not in page
    assert person(app, "hr@example.org")["roles"] == {Role.LEARNER, Role.HR}


def test_inactive_people_in_the_file_are_left_alone(app, people):
    with app.app_context():
        deactivate(db.session.get(Person, people["head"]))
        db.session.commit()
    hr = login(app, "hr@example.org")
    response = upload(hr, "Name;E-Mail;Abteilung\nNeuer Name;head@example.org;Einkauf\n")
    page = response.get_data(as_text=True)
    assert "inaktiv – wird nicht geändert" in page and 'name="preview"' not in page
    assert (
        upload(hr, "Name;E-Mail\nNeuer Name;head@example.org\n", "importieren").status_code == 200
    )
    assert person(app, "head@example.org")["name"] == "Head"


def full_file(*emails):
    return "Name;E-Mail\n" + "".join(f"{e.split('@')[0].title()};{e}\n" for e in emails)


def test_full_sync_names_the_missing_people_and_deactivates_exactly_them(app, people):
    with app.app_context():
        left = create_person(name="Gerd Gegangen", email="gerd@example.org")
        deactivate(left)
        erased = create_person(name="Eva Erased", email="eva@example.org")
        deactivate(erased)
        anonymise(erased, db.session.get(Person, people["admin"]))
        db.session.commit()
    hr = login(app, "hr@example.org")
    before = snapshot(app)
    shown = upload(
        hr,
        full_file("learner@example.org", "champion@example.org", "neu@example.org"),
        action="importieren",
        full_sync=True,
    )
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and snapshot(app) == before
    heading, _, rest = page.partition("Werden deaktiviert (nicht in der Datei)")
    listed, _, kept = text(rest).partition("Bleiben aktiv, obwohl nicht in der Datei")
    assert heading and "Head" in listed and "Gf" in listed
    for name in ("Lernend", "Champion", "Gerd", "Ehemalige Person", "Admin", "(hr@example.org)"):
        assert name not in listed
    assert "(hr@example.org) – Ihr eigenes Konto" in kept
    assert "(admin@example.org) – Personen mit der Rolle HR" in kept
    since = last_event_id(app)
    done = confirm(hr, preview_of(page))
    assert done.status_code == 200
    assert "1 Person angelegt" in text(done.get_data(as_text=True))
    assert "2 Personen deaktiviert" in text(done.get_data(as_text=True))
    active = {key: person(app, f"{key}@example.org")["active"] for key in ("head", "gf")}
    assert active == {"head": False, "gf": False}
    for email in ("hr", "admin", "learner", "champion", "neu"):
        assert person(app, f"{email}@example.org")["active"], email
    deactivated = {e[2] for e in events(app, since) if e[0] == "person.deactivated"}
    assert deactivated == {people["head"], people["leadership"]}


def test_an_admin_full_sync_deactivates_hr_but_never_the_admin(app, people):
    admin = login(app, "admin@example.org")
    shown = upload(admin, full_file("learner@example.org"), full_sync=True)
    page = shown.get_data(as_text=True)
    assert "(admin@example.org) – Ihr eigenes Konto" in text(page)
    assert confirm(admin, preview_of(page)).status_code == 200
    assert not person(app, "hr@example.org")["active"]
    assert person(app, "admin@example.org")["active"]


def test_full_sync_of_a_file_with_errors_deactivates_nobody(app, people):
    hr = login(app, "hr@example.org")
    before = snapshot(app)
    response = upload(
        hr,
        "Name;E-Mail\nLea;learner@example.org\nOhne Adresse;\n",
        action="importieren",
        full_sync=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Vollabgleich abgelehnt: Die Datei enthält fehlerhafte Zeilen." in page
    assert "Werden deaktiviert" not in page and 'name="preview"' not in page
    assert snapshot(app) == before


def test_a_changed_or_forged_confirmation_is_refused(app, people):
    hr = login(app, "hr@example.org")
    page = upload(hr, full_file("learner@example.org", "champion@example.org"), full_sync=True)
    preview = preview_of(page.get_data(as_text=True))
    before = snapshot(app)
    # a changed field: the signature no longer fits
    forged = confirm(hr, preview[:-3] + ("AAA" if preview[-3:] != "AAA" else "BBB"))
    assert forged.status_code == 400
    assert "Die Vorschau ist abgelaufen oder ungültig" in forged.get_data(as_text=True)
    # no preview at all, or someone else's
    assert confirm(hr, "").status_code == 400
    admin = login(app, "admin@example.org")
    assert confirm(admin, preview).status_code == 400
    assert snapshot(app) == before
    # someone joins after the preview: they were not named, so nobody is deactivated
    with app.app_context():
        create_person(name="Nina Nachzüglerin", email="nina@example.org")
        db.session.commit()
    before = snapshot(app)
    late = confirm(hr, preview)
    body = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "nicht mehr dieselben wie in der Vorschau" in body and "Nina Nachzüglerin" in body
    assert snapshot(app) == before
    # the new preview can be confirmed; replaying it afterwards does nothing
    done = confirm(hr, preview_of(body))
    assert done.status_code == 200 and not person(app, "nina@example.org")["active"]
    before = snapshot(app)
    replayed = confirm(hr, preview_of(body))
    assert replayed.status_code == 409 and snapshot(app) == before
    assert "entsprechen bereits der Datei" in replayed.get_data(as_text=True)


def test_a_confirmation_after_someone_else_changed_a_person_is_refused(app, people):
    hr = login(app, "hr@example.org")
    shown = upload(hr, "Name;E-Mail;Abteilung\nLea Lernend;learner@example.org;Einkauf\n")
    preview = preview_of(shown.get_data(as_text=True))
    with app.app_context():
        db.session.get(Person, people["learner"]).name = "Lea Anders"
        db.session.commit()
    refused = confirm(hr, preview)
    assert refused.status_code == 409
    assert "Seit der Vorschau hat sich der Personalbestand geändert" in refused.get_data(
        as_text=True
    )
    assert person(app, "learner@example.org")["department"] == "Vertrieb"


def test_a_double_click_on_confirm_applies_the_import_once(app, people):
    import threading

    hr = login(app, "hr@example.org")
    shown = upload(hr, full_file("learner@example.org", "champion@example.org"), full_sync=True)
    preview = preview_of(shown.get_data(as_text=True))
    since = last_event_id(app)
    clients = [login(app, "hr@example.org"), login(app, "hr@example.org")]
    barrier = threading.Barrier(2)
    statuses = []

    def run(client):
        barrier.wait()
        statuses.append(confirm(client, preview).status_code)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [200, 409]
    deactivated = [e[2] for e in events(app, since) if e[0] == "person.deactivated"]
    assert sorted(deactivated) == sorted([people["head"], people["leadership"]])


def test_an_expired_preview_is_refused(app, people, monkeypatch):
    from lernpfad.people import routes

    hr = login(app, "hr@example.org")
    shown = upload(hr, full_file("learner@example.org"), full_sync=True)
    preview = preview_of(shown.get_data(as_text=True))
    monkeypatch.setattr(routes, "PREVIEW_MAX_AGE", -1)
    before = snapshot(app)
    response = confirm(hr, preview)
    assert response.status_code == 400
    assert "Die Vorschau ist abgelaufen oder ungültig" in response.get_data(as_text=True)
    assert snapshot(app) == before


INVALID = "Die Vorschau ist abgelaufen oder ungültig"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", INVALID),
        ("\x00", "unzulässiges Steuerzeichen"),  # refused for every form, before the route
        ("x" * 100_000, INVALID),
        ("a.b.c", INVALID),
        ("eyJhY3RvciI6MX0.AAAA.BBBB", INVALID),
        ("\u202e", INVALID),
        ("ä" * 1000, INVALID),
    ],
)
def test_hostile_previews_are_refused_with_a_message(app, people, value, message):
    hr = login(app, "hr@example.org")
    before = snapshot(app)
    response = confirm(hr, value)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert snapshot(app) == before
