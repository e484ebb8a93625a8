"""CPU per request of the learner pages, the staff list and the login, measured in-process.

    .venv/bin/python bench/learner_cpu.py                                # 1,000 staff per department
    .venv/bin/python bench/learner_cpu.py --staff-per-department 200 --repeat 300

Builds the demo company as bench/pages.py does (a new SQLite file), signs in anna@ (a learner) and
hr@, and requests each page --repeat times with Flask's test client. Per request it takes the
process's CPU time (time.process_time: the application, templates and SQLite, on all threads) and
counts the SQL statements; it prints the median and 95th percentile. The login row signs in
--logins fresh clients as anna@ after one unmeasured login (which may make the demo's password
hash anew with today's parameters). No WSGI server and no network: bench/http_pages.py measures
the same pages over HTTP.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pages import StatementCounter, build, targets

from lernpfad import demo
from lernpfad.extensions import db


def sign_in(app, who: str):
    client = app.test_client()
    response = client.post(
        "/anmelden", data={"email": f"{who}muster.example", "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302, (who, response.status_code)
    return client


def measure(app, repeat: int, logins: int) -> list[tuple[str, list[float], float | None]]:
    with app.app_context():
        counter = StatementCounter(db.engine)
    module = targets(app, "anna@muster.example")["module"]
    pages = [
        ("Übersicht (anna@)", "anna@", "/"),
        ("Mein Lernpfad (anna@)", "anna@", "/lernpfad/"),
        ("Modulseite (anna@)", "anna@", f"/module/{module}"),
        ("Personenliste (hr@)", "hr@", "/personen/"),
    ]
    clients = {who: sign_in(app, who) for who in ("anna@", "hr@")}
    rows = []
    for label, who, path in pages:
        client = clients[who]
        for _ in range(5):  # warm: templates compiled, content cached
            client.get(path)
        cpu, statements = [], []
        for _ in range(repeat):
            before, started = counter.count, time.process_time()
            response = client.get(path)
            cpu.append(time.process_time() - started)
            statements.append(counter.count - before)
            assert response.status_code == 200, (label, response.status_code)
        rows.append((label, cpu, statistics.median(statements)))
    cpu = []
    for _ in range(logins):
        started = time.process_time()
        sign_in(app, "anna@")
        cpu.append(time.process_time() - started)
    rows.append(("Anmelden (argon2id)", cpu, None))
    return rows


def table(rows) -> str:
    lines = ["Seite                  | CPU ms Median | CPU ms p95 | SQL/Req", "-" * 62]
    for label, cpu, statements in rows:
        ms = sorted(t * 1000 for t in cpu)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        sql = "–" if statements is None else f"{statements:.0f}"
        lines.append(f"{label:22s} | {statistics.median(ms):13.2f} | {p95:10.2f} | {sql:>7s}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff-per-department", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--logins", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app, people, _seconds = build(url, args.staff_per_department, Path(tmp) / "instance")
        sign_in(app, "anna@")  # the demo's hash may be made anew once: not measured
        print(f"\nsqlite: {people} Personen, {args.repeat} Anfragen je Seite\n")
        print(table(measure(app, args.repeat, args.logins)))
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
