"""The audit page: who may read it, the filters, bad input, the export, and "Meine Daten"."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from lernpfad.audit.forms import ACTION_LABELS
from lernpfad.audit.models import AuditEvent
from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Person, Role
from lernpfad.extensions import db
from tests.helpers import login_client, make_person

LERNPFAD = Path(__file__).resolve().parent.parent.parent / "lernpfad"


def test_every_action_the_code_writes_has_a_german_label():
    written = set()
    for path in LERNPFAD.rglob("*.py"):
        text = path.read_text()
        for call in re.finditer(r"record_audit\((.*?)\)\n", text, re.S):
            # every literal of the argument: action="a" if accepted else "b" writes both
            for argument in re.findall(r"action=([^,\n]+)", call.group(1)):
                written.update(re.findall(r'"([^"]+)"', argument))
    assert len(written) > 20
    assert sorted(written - set(ACTION_LABELS)) == []


def entries(response) -> str:
    """The page without its filter form (whose list of kinds names every label)."""
    html = response.get_data(as_text=True)
    return html[html.index("</form>", html.index('class="filter-bar"')) :]


@pytest.fixture
def logged(app, people):
    """Some entries: HR viewed Lea's record, the admin granted Ben a role."""
    with app.app_context():
        hr, admin = db.session.get(Person, people["hr"]), db.session.get(Person, people["admin"])
        lea = db.session.get(Person, people["learner"])
        ben = make_person("ben@example.org", name="Ben Beispiel")
        record_audit(actor=hr, action="training_record.viewed", subject=lea)
        record_audit(actor=admin, action="role.granted", subject=ben, role="champion", via="form")
        db.session.commit()
    return people


@pytest.mark.parametrize(("email", "status"), [("hr@example.org", 200), ("dpo@example.org", 200)])
def test_hr_and_the_data_protection_officer_read_the_log(app, logged, email, status):
    with app.app_context():
        make_person("dpo@example.org", name="Dora Datenschutz", roles={Role.DPO})
        db.session.commit()
    page = login_client(app, email).get("/protokoll/")
    assert page.status_code == status
    html = page.get_data(as_text=True)
    assert "Schulungsnachweis angesehen" in html and "Lea Lernend" in html
    assert "Rolle erteilt" in html and "Rolle: KI-Champion" in html
    assert "Protokoll" in html  # navigation entry


@pytest.mark.parametrize(
    "email", ["head@example.org", "gf@example.org", "learner@example.org", "admin@example.org"]
)
def test_others_get_403_and_the_attempt_is_logged(app, logged, email):
    client = login_client(app, email)
    assert client.get("/protokoll/").status_code == 403
    assert client.get("/protokoll/export.csv").status_code == 403
    with app.app_context():
        denied = db.session.execute(
            sa.select(AuditEvent.details, Person.email)
            .join(Person, Person.id == AuditEvent.actor_id)
            .where(AuditEvent.action == "access.denied")
            .order_by(AuditEvent.id)
        ).all()
    assert [(d["endpoint"], e) for d, e in denied] == [
        ("audit.index", email),
        ("audit.export", email),
    ]


def test_there_is_no_way_to_change_an_entry(app, logged):
    client = login_client(app, "hr@example.org")
    for method in ("post", "put", "delete"):
        assert getattr(client, method)("/protokoll/").status_code == 405
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert {m for r in rules for m in r.methods} <= {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("?person=lea", ["Schulungsnachweis angesehen"], ["Rolle erteilt"]),
        ("?person=BEN%40example", ["Rolle erteilt"], ["Schulungsnachweis angesehen"]),
        ("?handelnd=admin", ["Rolle erteilt"], ["Schulungsnachweis angesehen"]),
        ("?art=training_record.viewed", ["Schulungsnachweis angesehen"], ["Rolle: KI-Champion"]),
        ("?person=niemand", ["Keine Einträge"], ["Schulungsnachweis angesehen"]),
        ("?person=%25", ["Keine Einträge"], ["Schulungsnachweis angesehen"]),
        ("?von=2020-01-01&bis=2020-12-31", ["Keine Einträge"], ["Rolle erteilt"]),
    ],
)
def test_filters(app, logged, query, present, absent):
    html = entries(login_client(app, "hr@example.org").get("/protokoll/" + query))
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?von=31.13.2026", "Bitte geben Sie das Datum als TT.MM.JJJJ ein"),
        ("?von=2016-01-01&bis=2026-01-01", "höchstens 366 Tage"),
        ("?bis=2999-01-01", "Das Datum liegt in der Zukunft."),
        ("?von=2026-02-01&bis=2026-01-01", "Der Beginn liegt nach dem Ende"),
        ("?art=drop+table", "Diese Art von Eintrag gibt es nicht."),
        ("?person=" + "x" * 101, "höchstens 100 Zeichen"),
        ("?person=%E2%80%AEabc", "Steuerzeichen"),
        ("?von=1900-01-01", "nicht vor dem Jahr 2000"),
        ("?betroffen=999999", "Eine Person mit dieser Nummer gibt es nicht."),
        ("?betroffen=-1", "Eine Person mit dieser Nummer gibt es nicht."),
        ("?betroffen=99999999999999999999", "Eine Person mit dieser Nummer gibt es nicht."),
    ],
)
def test_bad_filters_get_a_german_message(app, logged, query, message):
    client = login_client(app, "hr@example.org")
    page = client.get("/protokoll/" + query)
    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    export = client.get("/protokoll/export.csv" + query)
    assert export.status_code == 400 and message in export.get_data(as_text=True)


def test_pages_go_back_in_time(app, logged):
    with app.app_context():
        hr = db.session.get(Person, logged["hr"])
        for i in range(60):
            record_audit(actor=hr, action="self_export", subject=hr, n=i)
        db.session.commit()
    client = login_client(app, "hr@example.org")
    first = entries(client.get("/protokoll/?art=self_export"))
    assert first.count("Eigene Daten heruntergeladen") == 50
    older = re.search(r'href="([^"]+vor=\d+[^"]*)"', first).group(1).replace("&amp;", "&")
    second = entries(client.get(older))
    assert second.count("Eigene Daten heruntergeladen") == 10
    assert "Ältere Einträge" not in second and "Neueste Einträge" in second


def test_old_entries_are_found_in_their_period(app, logged):
    with app.app_context():
        db.session.execute(
            sa.update(AuditEvent)
            .where(AuditEvent.action == "role.granted")
            .values(at=datetime.now(UTC) - timedelta(days=100))
        )
        db.session.commit()
    client = login_client(app, "hr@example.org")
    assert "Rolle erteilt" not in entries(client.get("/protokoll/"))
    day = (datetime.now(UTC) - timedelta(days=100)).date()
    html = client.get(f"/protokoll/?von={day - timedelta(days=1)}&bis={day + timedelta(days=1)}")
    assert "Rolle erteilt" in entries(html)


def test_a_person_sees_every_entry_about_them_on_meine_daten(app, logged):
    html = login_client(app, "learner@example.org").get("/meine-daten/").get_data(as_text=True)
    section = html[html.index("Protokoll: wer Ihre Daten") :]
    assert "Schulungsnachweis angesehen" in section
    assert "Hr" in section  # who: the HR person's name
    assert "Rolle erteilt" not in section  # about Ben, not about Lea
    other = login_client(app, "ben@example.org").get("/meine-daten/").get_data(as_text=True)
    assert "Rolle erteilt" in other and "Admin" in other


def test_one_persons_entries_also_when_anonymised(app, logged):
    from lernpfad.people.services import anonymise, deactivate

    client = login_client(app, "hr@example.org")
    lea = logged["learner"]
    html = entries(client.get(f"/protokoll/?betroffen={lea}"))
    assert "Schulungsnachweis angesehen" in html and "Rolle erteilt" not in html
    with app.app_context():
        hr = db.session.get(Person, logged["hr"])
        person = db.session.get(Person, lea)
        deactivate(person, hr)
        anonymise(person, hr)
        db.session.commit()
    page = client.get(f"/protokoll/?betroffen={lea}").get_data(as_text=True)
    assert "Diese Person ist anonymisiert" in page
    assert "Person anonymisiert" in entries_of(page)


def entries_of(html: str) -> str:
    return html[html.index("</form>", html.index('class="filter-bar"')) :]


def test_the_export_holds_the_filtered_entries_and_is_itself_logged(app, logged):
    import csv
    import io

    from openpyxl import load_workbook

    client = login_client(app, "hr@example.org")
    response = client.get("/protokoll/export.csv?art=role.granted")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Nr.", "Zeitpunkt", "Art"]
    bens = [r for r in rows[1:] if r[6] == "ben@example.org"]
    assert len(bens) == 1 and bens[0][2] == "Rolle erteilt" and bens[0][3] == "Admin"
    assert "Rolle: KI-Champion" in bens[0][7] and len(bens[0][8]) == 64
    assert all(r[2] == "Rolle erteilt" for r in rows[1:])

    xlsx = client.get("/protokoll/export.xlsx?person=lea")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][2] == "Art" and [v[2] for v in values[1:]] == ["Schulungsnachweis angesehen"]

    empty = client.get("/protokoll/export.csv?person=niemand").get_data(as_text=True)
    assert empty.lstrip("\ufeff").strip().count("\n") == 0 and empty.startswith("\ufeffNr.;")
    with app.app_context():
        exported = db.session.scalars(
            sa.select(AuditEvent.details).where(AuditEvent.action == "audit.exported")
        ).all()
    assert [d["format"] for d in exported] == ["csv", "xlsx", "csv"]


def test_a_formula_in_a_name_stays_text_in_the_export(app, logged):
    import io

    from openpyxl import load_workbook

    with app.app_context():
        hr = db.session.get(Person, logged["hr"])
        evil = make_person("evil@example.org", name='=HYPERLINK("http://x","klick")')
        record_audit(actor=hr, action="training_record.viewed", subject=evil)
        db.session.commit()
    client = login_client(app, "hr@example.org")
    text = client.get("/protokoll/export.csv?person=evil").get_data(as_text=True)
    assert "\"'=HYPERLINK" in text and ";=HYPERLINK" not in text
    sheet = load_workbook(io.BytesIO(client.get("/protokoll/export.xlsx?person=evil").get_data()))
    cells = [row[5] for row in sheet.active.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in cells] == [('=HYPERLINK("http://x","klick")', "s")]


def test_a_declined_champion_offer_is_not_listed_for_hr(app, logged):
    """The offer derives from the person's answers and levels (paths.models.PathAssignment):
    that they declined it stays theirs — not on the audit page, not in its export, not a kind
    to filter by; the person sees it under "Meine Daten"; the chain holds it."""
    from lernpfad.audit.services import verify
    from lernpfad.paths.models import PathAssignment
    from lernpfad.paths.services import choose_champion_path

    with app.app_context():
        lea = db.session.get(Person, logged["learner"])
        db.session.add(PathAssignment(person_id=lea.id, role="anwender", champion_choice="offered"))
        db.session.flush()
        choose_champion_path(lea, False)
        make_person("dpo@example.org", roles={Role.DPO})
        db.session.commit()
        assert verify()[0] is None
    for email in ("hr@example.org", "dpo@example.org"):
        client = login_client(app, email)
        page = client.get("/protokoll/").get_data(as_text=True)
        assert "Schulungsnachweis angesehen" in entries_of(page)
        assert "Champion-Pfad abgelehnt" not in page  # neither an entry nor a kind to choose
        assert "path.champion_declined" not in page
        export = client.get("/protokoll/export.csv").get_data(as_text=True)
        assert "Schulungsnachweis angesehen" in export
        assert "abgelehnt" not in export and "path.champion_declined" not in export
        assert client.get("/protokoll/?art=path.champion_declined").status_code == 400
    own = login_client(app, "learner@example.org").get("/meine-daten/").get_data(as_text=True)
    assert "Champion-Pfad abgelehnt" in own[own.index("Protokoll: wer Ihre Daten") :]
