"""Staff import from CSV: every line checked, all or nothing, a report per line."""

import io

import pytest
import sqlalchemy as sa

from lernpfad.auth.models import Department, Person, Role
from lernpfad.extensions import db
from lernpfad.jobs.models import OutboxMail
from lernpfad.people.rules import Current, ImportFileInvalid, check, parse
from tests.helpers import login_client as login

GOOD = (
    "\ufeffName;E-Mail;Abteilung;Funktion;Rollen\n"
    "Jana Jung;jana.jung@example.org;Einkauf;Einkäuferin;\n"
    "Ömer Öz;OEMER@example.org;Einkauf;Teamleitung;Fachbereichsleitung, KI-Champion\n"
    "Lea Lernend;learner@example.org;Vertrieb;;\n"
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("\ufeff  \n", "empty"),
        ("Vorname;Nachname\nA;B\n", "no_header"),
        ("Name;Abteilung\nA;B\n", "no_name_email"),
        ("Name;E-Mail\n\n;\n", "empty"),
    ],
)
def test_unreadable_files(text, reason):
    with pytest.raises(ImportFileInvalid, match=reason):
        parse(text)


def test_parse_accepts_commas_bom_and_english_headers():
    rows = parse("\ufeffname,email,department\nA,a@example.org,X\n")
    assert rows == [{"_line": 2, "name": "A", "email": "a@example.org", "department": "X"}]


@pytest.mark.parametrize(
    ("row", "problems", "roles"),
    [
        ({"name": "A", "email": "a@example.org"}, [], set()),
        ({"name": "", "email": "a@example.org"}, [("name_missing", "")], set()),
        ({"name": "A", "email": ""}, [("email_missing", "")], set()),
        ({"name": "A", "email": "kein-at"}, [("email_invalid", "kein-at")], set()),
        ({"name": "A" * 201, "email": "a@example.org"}, [("too_long", "name")], set()),
        (
            {"name": "A", "email": "a@example.org", "roles": "HR | ki-champion"},
            [],
            {Role.HR, Role.CHAMPION},
        ),
        (
            {"name": "A", "email": "a@example.org", "roles": "Chefin"},
            [("role_unknown", "chefin")],
            set(),
        ),
    ],
)
def test_check_one_line(row, problems, roles):
    (line,) = check([{"_line": 2, **row}], {})
    assert line.problems == problems and line.roles == roles


def test_check_finds_duplicates_and_existing():
    rows = [
        {"_line": 2, "name": "A", "email": "a@example.org"},
        {"_line": 3, "name": "A2", "email": "A@example.org"},
        {"_line": 4, "name": "B", "email": "b@example.org"},
    ]
    b = Current(7, "b@example.org", "B", "", "", frozenset({Role.LEARNER}))
    lines = check(rows, {"b@example.org": b})
    assert lines[1].problems == [("duplicate", "2")]
    assert lines[2].exists and lines[2].ok and lines[2].status == "unchanged"


def upload(client, text, action="importieren", invite=True):
    data = {"file": (io.BytesIO(text.encode("utf-8")), "personal.csv"), "action": action}
    if invite:
        data["invite"] = "y"
    return client.post("/personen/import", data=data, content_type="multipart/form-data")


def people_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Person))


def test_import_creates_people_departments_roles_and_invitations(app, people):
    before = people_count(app)
    response = upload(login(app, "hr@example.org"), GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 Personen angelegt" in page and "1 unverändert" in page
    assert "2 Einladungen in den Versand gegeben" in page
    assert people_count(app) == before + 2
    with app.app_context():
        oemer = db.session.scalar(sa.select(Person).where(Person.email == "oemer@example.org"))
        assert oemer.department.name == "Einkauf" and oemer.job_function == "Teamleitung"
        assert oemer.roles == {Role.LEARNER, Role.DEPARTMENT_HEAD, Role.CHAMPION}
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Department)
                .where(Department.name == "Einkauf")
            )
            == 1
        )
        mails = db.session.scalars(sa.select(OutboxMail)).all()
        assert {m.recipient for m in mails} == {"jana.jung@example.org", "oemer@example.org"}
        assert "/passwort-setzen/" in mails[0].body


def test_one_bad_line_imports_nothing_and_reports_it(app, people):
    before = people_count(app)
    text = GOOD + "Ohne Adresse;;Einkauf;;\nX;x@example.org;Einkauf;;Chefin\n"
    response = upload(login(app, "hr@example.org"), text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "2 Zeilen mit Fehlern – es wurde nichts importiert." in page
    assert "E-Mail-Adresse fehlt" in page and "unbekannte Rolle (chefin)" in page
    assert people_count(app) == before


def test_check_only_changes_nothing(app, people):
    before = people_count(app)
    response = upload(login(app, "hr@example.org"), GOOD, action="pruefen")
    page = response.get_data(as_text=True)
    assert "Alle Zeilen sind in Ordnung." in page and "unverändert" in page
    assert people_count(app) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Name;E-Mail\n" + "Jörg;j@example.org\n".encode("latin-1"), "nicht als UTF-8"),
        (b"Vorname;Nachname\n", "Spaltennamen"),
    ],
)
def test_unreadable_uploads_get_a_message(app, people, content, message):
    client = login(app, "hr@example.org")
    response = client.post(
        "/personen/import",
        data={"file": (io.BytesIO(content), "x.csv"), "action": "importieren"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_missing_file_gets_a_message(app, people):
    response = login(app, "hr@example.org").post("/personen/import", data={"action": "pruefen"})
    assert response.status_code == 400
    assert "Bitte wählen Sie eine CSV-Datei." in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["learner", "champion", "head", "gf"])
def test_only_hr_and_admins_import(app, people, who):
    assert login(app, f"{who}@example.org").get("/personen/import").status_code == 403


def test_two_imports_at_once_create_each_person_once(app, people):
    import threading

    clients = [login(app, "hr@example.org"), login(app, "hr@example.org")]
    barrier = threading.Barrier(2)
    statuses = []

    def run(client):
        barrier.wait()
        statuses.append(upload(client, GOOD, invite=False).status_code)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert 500 not in statuses and 200 in statuses
    with app.app_context():
        emails = db.session.scalars(sa.select(Person.email)).all()
        assert emails.count("oemer@example.org") == 1
