"""Page timings: how long the main pages take for the demo company, at demo size and scaled up.

    .venv/bin/python bench/pages.py                       # SQLite, 10 and 200 staff per department
    .venv/bin/python bench/pages.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
    make bench

For each company size it builds a fresh database (migrations, then the demo data with that many staff
per department, each with assessments, progress and use cases as in `make run`), signs in as the
demo users and requests each page repeatedly. It prints one table per size: page, who, requests,
median, 95th percentile and slowest time in milliseconds, and SQL statements per request.

The size is set through demo.STAFF_PER_DEPARTMENT (load_demo also takes staff_per_department=,
and `flask --app lernpfad lernpfad demo --staff N` builds N staff spread over the departments);
bench/demo_build.py times the build itself, up to 20,000 staff.

Measured in-process with Flask's test client: application, template and database time, without a
WSGI server or network. CSRF checks are off so the quiz can be posted. A PostgreSQL database given
with --database-url is emptied first (DROP SCHEMA public).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lernpfad import create_app, demo  # noqa: E402
from lernpfad.assessments.models import AssessmentResult  # noqa: E402
from lernpfad.auth.models import Person  # noqa: E402
from lernpfad.extensions import db  # noqa: E402
from lernpfad.paths import services as paths  # noqa: E402


def empty_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def build(url: str, staff_per_department: int, instance: Path):
    from flask_migrate import upgrade

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "CONTENT_DIR": str(ROOT / "content"),
            "MAIL_PORT": 1,
            "QUIZ_FAILED_ATTEMPTS_BEFORE_PAUSE": 10**6,  # the quiz is posted again and again
        },
        instance_path=str(instance),
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        demo.STAFF_PER_DEPARTMENT = staff_per_department
        started = time.perf_counter()
        demo.load_demo(str(ROOT / "content"))
        db.session.commit()
        seconds = time.perf_counter() - started
        people = db.session.scalar(sa.select(sa.func.count()).select_from(Person))
    return app, people, seconds


class StatementCounter:
    def __init__(self, engine):
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args):
        self.count += 1


def targets(app, email: str) -> dict[str, str]:
    """Pages that depend on the person: their next module and their latest assessment result."""
    with app.app_context():
        person = db.session.scalar(sa.select(Person).where(Person.email == email))
        result = db.session.scalar(
            sa.select(AssessmentResult)
            .where(AssessmentResult.person_id == person.id)
            .order_by(AssessmentResult.id.desc())
        )
        _role, _path, steps = paths.path_for(person, result.levels if result else None)
        module = next(s.module_id for s in steps if s.module)
        return {"module": module, "result": str(result.id) if result else ""}


def scenarios(app) -> list[tuple[str, str, str, str, dict | None]]:
    """(who, label, method, path, form) — the pages people open most."""
    anna = targets(app, "anna@muster.example")
    quiz = {f"q-{i}": "0" for i in range(5)}
    return [
        ("anna@", "Übersicht", "GET", "/", None),
        ("anna@", "Mein Lernpfad", "GET", "/lernpfad/", None),
        ("anna@", "Modulseite", "GET", f"/module/{anna['module']}", None),
        ("anna@", "Quiz abgeben", "POST", f"/module/{anna['module']}/quiz", quiz),
        (
            "anna@",
            "Ergebnis Selbsteinschätzung",
            "GET",
            f"/selbsteinschaetzung/ergebnis/{anna['result']}",
            None,
        ),
        ("leitung.vertrieb@", "Übersicht", "GET", "/", None),
        ("leitung.vertrieb@", "Anwendungsfälle", "GET", "/anwendungsfaelle/", None),
        ("leitung.vertrieb@", "Modul zuweisen", "GET", "/module/zuweisen", None),
        ("leitung.vertrieb@", "Mein Bereich (Bericht)", "GET", "/berichte/bereich", None),
        ("champion@", "Übersicht", "GET", "/", None),
        ("champion@", "Mentoring (Warteschlange)", "GET", "/mentoring/", None),
        ("hr@", "Übersicht", "GET", "/", None),
        ("hr@", "Personenliste", "GET", "/personen/", None),
        ("hr@", "KI-Champions und Abteilungen", "GET", "/mentoring/zuordnung", None),
        ("hr@", "Berichte (Unternehmen)", "GET", "/berichte/", None),
        ("gf@", "Kennzahlen", "GET", "/berichte/kennzahlen", None),
    ]


def measure(app, repeat: int) -> list[tuple]:
    with app.app_context():  # requests push their own context; an outer one would share `g`
        counter = StatementCounter(db.engine)
    rows = []
    clients = {}
    for who, label, method, path, form in scenarios(app):
        if who not in clients:
            client = app.test_client()
            started = time.perf_counter()
            response = client.post(
                "/anmelden",
                data={"email": f"{who}muster.example", "password": demo.DEMO_PASSWORD},
            )
            assert response.status_code == 302, (who, response.status_code)
            rows.append(("Anmelden (argon2id)", who, 1, [time.perf_counter() - started], 0))
            clients[who] = client
        client = clients[who]
        times, statements = [], []
        for _ in range(repeat):
            before = counter.count
            started = time.perf_counter()
            response = client.open(path, method=method, data=form)
            times.append(time.perf_counter() - started)
            statements.append(counter.count - before)
            expected = 302 if method == "POST" else 200
            assert response.status_code == expected, (
                who,
                label,
                path,
                response.status_code,
                response.location,
            )
        rows.append((label, who, repeat, times, statistics.median(statements)))
    return rows


def table(rows) -> str:
    head = ("Seite", "wer", "n", "Median ms", "p95 ms", "max ms", "SQL/Req")
    lines = []
    for label, who, n, times, statements in rows:
        ms = sorted(t * 1000 for t in times)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        lines.append(
            (
                label,
                who,
                str(n),
                f"{statistics.median(ms):.1f}",
                f"{p95:.1f}",
                f"{ms[-1]:.1f}",
                f"{statements:.0f}",
            )
        )
    widths = [max(len(str(c)) for c in col) for col in zip(head, *lines, strict=True)]
    out = [" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    out.append("-|-".join("-" * w for w in widths))
    for line in lines:
        out.append(
            " | ".join(
                c.ljust(w) if i < 2 else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff-per-department", type=int, nargs="+", default=[10, 200])
    parser.add_argument("--database-url", help="default: a new SQLite file per size")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    for size in args.staff_per_department:
        with tempfile.TemporaryDirectory() as tmp:
            url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            if url.startswith("postgresql"):
                empty_postgres(url)
            app, people, seconds = build(url, size, Path(tmp) / "instance")
            backend = url.split(":", 1)[0]
            print(
                f"\n{backend}: {people} Personen ({size} je Abteilung), "
                f"Demo-Daten in {seconds:.1f} s geladen, {args.repeat} Anfragen je Seite\n"
            )
            print(table(measure(app, args.repeat)))
            with app.app_context():
                db.engine.dispose()


if __name__ == "__main__":
    main()
