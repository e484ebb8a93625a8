"""Staff import timings: a file of MAX_ROWS lines against a company of that size.

    .venv/bin/python bench/people_import.py                 # SQLite, 5,000 staff
    .venv/bin/python bench/people_import.py --staff 1000 5000
    .venv/bin/python bench/people_import.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/lernpfad_me

For each size it builds a fresh database (tables created directly, staff inserted in bulk with a
department and a role each) and posts, as HR through Flask's test client (CSRF off):
the unchanged file ("Nur prüfen" and "Prüfen und importieren", which stores nothing), a file
with every tenth person changed and a full sync that deactivates every twentieth (the preview,
then the confirmation that applies it). It prints one table: step, milliseconds, SQL statements
and the size of the confirmation's hidden field. A PostgreSQL database given with
--database-url is emptied first (DROP SCHEMA public).
"""

import argparse
import io
import re
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # not bench/: a module there may share a name with the standard library

from bench.pages import StatementCounter, empty_postgres  # noqa: E402
from lernpfad import create_app  # noqa: E402
from lernpfad.auth.models import Department, Person, PersonRole, Role  # noqa: E402
from lernpfad.auth.passwords import hash_password  # noqa: E402
from lernpfad.extensions import db  # noqa: E402

PASSWORD = "bench-password-123"
DEPARTMENTS = ["Vertrieb", "Einkauf", "Produktion", "Verwaltung", "IT"]


def build(url: str, staff: int, instance: Path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "MAIL_PORT": 1,
        },
        instance_path=str(instance),
    )
    with app.app_context():
        db.create_all()
        db.session.add_all(Department(name=name) for name in DEPARTMENTS)
        db.session.flush()
        ids = dict(db.session.execute(sa.select(Department.name, Department.id)).all())
        db.session.execute(
            sa.insert(Person),
            [
                {
                    "email": f"p{n}@example.org",
                    "name": f"Person {n}",
                    "department_id": ids[DEPARTMENTS[n % len(DEPARTMENTS)]],
                    "job_function": "Sachbearbeitung",
                    "session_token": f"token-{n}",
                }
                for n in range(staff - 1)
            ],
        )
        hr = Person(
            email="hr@example.org",
            name="HR",
            session_token="hr",
            password_hash=hash_password(PASSWORD),
        )
        db.session.add(hr)
        db.session.flush()
        people = db.session.execute(sa.select(Person.id, Person.email)).all()
        db.session.execute(
            sa.insert(PersonRole),
            [{"person_id": pid, "role": Role.LEARNER.value} for pid, _ in people]
            + [{"person_id": hr.id, "role": Role.HR.value}],
        )
        db.session.commit()
    return app


def csv_file(staff: int, *, changed_every: int = 0, missing_every: int = 0) -> str:
    lines = ["Name;E-Mail;Abteilung;Funktion;Rollen"]
    for n in range(staff - 1):
        if missing_every and n % missing_every == 0:
            continue
        department = DEPARTMENTS[n % len(DEPARTMENTS)]
        if changed_every and n % changed_every == 0:
            department = DEPARTMENTS[(n + 1) % len(DEPARTMENTS)]
        lines.append(f"Person {n};p{n}@example.org;{department};Sachbearbeitung;")
    lines.append("HR;hr@example.org;;;HR")
    return "\n".join(lines) + "\n"


def run(app, staff: int) -> list[tuple]:
    client = app.test_client()
    assert (
        client.post("/anmelden", data={"email": "hr@example.org", "password": PASSWORD}).status_code
        == 302
    )
    counter = StatementCounter(db.engine)
    rows = []

    def post(label, data, multipart=True):
        counter.count = 0
        started = time.perf_counter()
        response = client.post(
            "/personen/import",
            data=data,
            content_type="multipart/form-data" if multipart else None,
        )
        ms = (time.perf_counter() - started) * 1000
        page = response.get_data(as_text=True)
        assert response.status_code == 200, (label, response.status_code, page[:2000])
        match = re.search(r'name="preview" type="hidden" value="([^"]+)"', page)
        rows.append((label, ms, counter.count, len(match.group(1)) if match else 0))
        return match.group(1) if match else None

    def upload(text, action, full_sync=False):
        data = {"file": (io.BytesIO(text.encode()), "staff.csv"), "action": action}
        if full_sync:
            data["full_sync"] = "y"
        return data

    same = csv_file(staff)
    post("unverändert: Nur prüfen", upload(same, "pruefen"))
    post("unverändert: Prüfen und importieren", upload(same, "importieren"))
    changed = csv_file(staff, changed_every=10, missing_every=20)
    preview = post(
        "10 % geändert, 5 % fehlen: Vorschau (Vollabgleich)", upload(changed, "pruefen", True)
    )
    post("… bestätigen (speichern)", {"action": "bestaetigen", "preview": preview}, multipart=False)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, nargs="+", default=[5000])
    parser.add_argument("--database-url")
    args = parser.parse_args()
    for staff in args.staff:
        with tempfile.TemporaryDirectory() as folder:
            url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
            if args.database_url:
                empty_postgres(url)
            app = build(url, staff, Path(folder) / "instance")
            with app.app_context():
                rows = run(app, staff)
                db.session.remove()
                db.engine.dispose()
        print(
            f"\n{staff} Personen, Datei mit {staff} Zeilen ({'PostgreSQL' if args.database_url else 'SQLite'})"
        )
        print(f"{'Schritt':<55} {'ms':>8} {'SQL':>6} {'Vorschau-Feld':>14}")
        for label, ms, statements, size in rows:
            print(f"{label:<55} {ms:>8.0f} {statements:>6} {size:>14,}")


if __name__ == "__main__":
    main()
