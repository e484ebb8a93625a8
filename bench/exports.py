"""Streamed exports: time and memory of a 200,000-row export, as CSV and as XLSX.

    .venv/bin/python bench/exports.py                    # SQLite, 200,000 rows each
    .venv/bin/python bench/exports.py --reuse            # keep the database built last time
    .venv/bin/python bench/exports.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_exports
    make bench-exports

It builds a scratch database (SQLite in a temporary folder; PostgreSQL too when --postgres names
a database, which is emptied first: never give it one that matters) with the curriculum from
content/, ``--people`` people in ten departments, ``--rows`` completed modules spread over them
and ``--rows`` audit events, all inserted in bulk (the audit chain's hashes are left empty: the
export does not read them). A few names look like formulas, so the neutralisation is measured too.

Then it measures four cases, {training records, audit log} × {CSV, XLSX}, each in a fresh
Python process, so that one case's memory does not hide another's:

- training records: HR downloads /berichte/nachweis/schulungen.csv or .xlsx through the Flask
  test client (the real route: audit event, count, rows read with yield_per, streamed response);
- audit log: events joined to the names of actor and person concerned, read in id order in
  keyset batches of 2,000, written by lernpfad.core.exports.export_response in a request context
  (as the audit page's export does).

Per case: wall time from the request to the last byte, rows per second, output size, the growth
of the process's peak RSS over its resident memory just before the export (the app started and
HR signed in; the peak is reset through /proc/self/clear_refs and VmHWM read after; getrusage
ru_maxrss where there is no /proc) and, in a second fresh process, the peak of Python
allocations (tracemalloc, which slows Python down several times, so that run's time is not
reported). The output is read chunk by chunk and checked afterwards: the CSV's line count, the
XLSX's rows in its sheet.
"""

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lernpfad import create_app  # noqa: E402
from lernpfad.extensions import db  # noqa: E402

HR_EMAIL = "hr@bench.example"
PASSWORD = "bench-exports-password"
DEPARTMENTS = [f"Abteilung {i:02d}" for i in range(1, 11)]
FORMULA_NAMES = ['=HYPERLINK("http://x","klick")', "+49 151", "-Minus", "@Ansage"]
AUDIT_ACTIONS = ["role_override", "training_record_view", "person_update", "data_export"]
AUDIT_COLUMNS = ("Zeitpunkt", "Aktion", "Handelnd", "Betroffen", "Details")
BATCH = 2000
CASES = [
    ("training", "csv"),
    ("training", "xlsx"),
    ("audit", "csv"),
    ("audit", "xlsx"),
]


def make_app(url: str, instance: Path):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "CONTENT_DIR": str(ROOT / "content"),
            "MAIL_PORT": 1,
        },
        instance_path=str(instance),
    )


# ---------------------------------------------------------------------------------------------
# The scratch database


def empty_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def counts() -> tuple[int, int]:
    from lernpfad.audit.models import AuditEvent
    from lernpfad.modules.models import ModuleProgress

    done = db.session.scalar(sa.select(sa.func.count()).select_from(ModuleProgress))
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    return done, events


def build(app, rows: int, people: int) -> float:
    """Fill the empty database: content, departments, people, completions, audit events."""
    from lernpfad.audit.models import AuditEvent
    from lernpfad.auth.models import Department, Person, PersonRole, Role
    from lernpfad.auth.passwords import hash_password
    from lernpfad.content.models import ModuleVersion
    from lernpfad.content.services import sync_content
    from lernpfad.modules.models import ModuleProgress

    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        sync_content(ROOT / "content")
        db.session.add_all(Department(name=name) for name in DEPARTMENTS)
        db.session.flush()
        departments = db.session.scalars(sa.select(Department.id).order_by(Department.id)).all()
        versions = db.session.execute(
            sa.select(ModuleVersion.module_id, ModuleVersion.id).where(ModuleVersion.is_current)
        ).all()
        per_person = -(-rows // people)  # ceiling
        if per_person > len(versions):
            raise SystemExit(f"{rows} rows need more than {len(versions)} modules per person")
        hr = Person(
            name="Hanna Personal",
            email=HR_EMAIL,
            department_id=departments[0],
            password_hash=hash_password(PASSWORD),
        )
        db.session.add(hr)
        db.session.flush()
        db.session.add_all(
            [PersonRole(person_id=hr.id, role=role) for role in (Role.LEARNER, Role.HR)]
        )
        db.session.commit()

        db.session.execute(
            sa.insert(Person),
            [
                {
                    "name": FORMULA_NAMES[i % len(FORMULA_NAMES)]
                    if i % 1000 == 0
                    else f"Vorname{i} Nachname{i % 997}",
                    "email": f"person{i}@bench.example",
                    "department_id": departments[i % len(departments)],
                    "active": i % 50 != 0,
                }
                for i in range(people)
            ],
        )
        person_ids = db.session.scalars(
            sa.select(Person.id).where(Person.id != hr.id).order_by(Person.id)
        ).all()
        base = datetime(2026, 1, 1, 8, tzinfo=UTC)
        for start in range(0, rows, 20_000):
            batch = []
            for n in range(start, min(start + 20_000, rows)):
                person = person_ids[n % people]
                module_id, version_id = versions[n // people]
                done = base + timedelta(minutes=n)
                batch.append(
                    {
                        "person_id": person,
                        "module_id": module_id,
                        "version_id": version_id,
                        "state": "abgeschlossen",
                        "quiz_passed": True,
                        "task_accepted": True,
                        "quiz_passed_at": done - timedelta(hours=2),
                        "quiz_attempts": 1 + n % 3,
                        "started_at": done - timedelta(days=3),
                        "updated_at": done,
                        "completed_at": done,
                    }
                )
            db.session.execute(sa.insert(ModuleProgress), batch)
        for start in range(0, rows, 20_000):
            db.session.execute(
                sa.insert(AuditEvent),
                [
                    {
                        "at": base + timedelta(seconds=30 * n),
                        "actor_id": hr.id if n % 3 else person_ids[(n * 7) % people],
                        "action": AUDIT_ACTIONS[n % len(AUDIT_ACTIONS)],
                        "subject_id": person_ids[n % people],
                        "details": {"reason": "Bench", "n": n},
                        "details_digest": "",
                        "prev_hash": "",
                        "hash": "",
                    }
                    for n in range(start, min(start + 20_000, rows))
                ],
            )
        db.session.commit()
        done, events = counts()
        assert (done, events) == (rows, rows), (done, events)
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# The audit log's rows (what the audit page's export reads, in the same way)


def audit_rows(batch: int = BATCH):
    """Every audit event with the names of actor and person concerned, in id order; keyset
    batches, so that no more than ``batch`` rows are held at once."""
    from flask_babel import get_timezone

    from lernpfad.audit.models import AuditEvent
    from lernpfad.auth.models import Person

    actor = sa.orm.aliased(Person)
    subject = sa.orm.aliased(Person)
    zone = ZoneInfo(str(get_timezone()))
    last_id = 0
    while True:
        rows = db.session.execute(
            sa.select(
                AuditEvent.id,
                AuditEvent.at,
                AuditEvent.action,
                actor.name,
                subject.name,
                AuditEvent.details,
            )
            .outerjoin(actor, actor.id == AuditEvent.actor_id)
            .outerjoin(subject, subject.id == AuditEvent.subject_id)
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        for _id, at, action, actor_name, subject_name, details in rows:
            yield (
                at.astimezone(zone).replace(tzinfo=None),
                action,
                actor_name or "",
                subject_name or "",
                json.dumps(details, ensure_ascii=False, sort_keys=True) if details else "",
            )
        last_id = rows[-1][0]


# ---------------------------------------------------------------------------------------------
# One case, in its own process


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1])


def reset_peak_rss() -> int:
    """The process's resident memory now (KiB), with its high-water mark set back to it.

    The sign-in's password hash (Argon2's memory) and the imports leave a peak that would hide
    the export's own: Linux resets the peak when 5 is written to /proc/self/clear_refs. Without
    /proc (not Linux), the lifetime peak of getrusage is the baseline instead."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        return _status_kib("VmRSS")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_rss() -> int:
    """The peak resident memory (KiB) since reset_peak_rss()."""
    try:
        return _status_kib("VmHWM")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_case(url: str, instance: Path, kind: str, fmt: str, trace: bool, out_path: str) -> dict:
    app = make_app(url, instance)
    with app.app_context():  # warm up: connection, mappers, a first query
        counts()
    client = app.test_client()
    if kind == "training":
        response = client.post("/anmelden", data={"email": HR_EMAIL, "password": PASSWORD})
        assert response.status_code == 302, response.status_code
    rss_before = reset_peak_rss()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    size = 0
    with open(out_path, "wb") as out:
        if kind == "training":
            response = client.get(f"/berichte/nachweis/schulungen.{fmt}", buffered=False)
            assert response.status_code == 200, response.status_code
            for chunk in response.response:
                size += len(chunk)
                out.write(chunk)
            response.close()
        else:
            from lernpfad.core.exports import export_response

            with app.test_request_context():
                response = export_response(
                    fmt, "lernpfad-protokoll", AUDIT_COLUMNS, audit_rows(), sheet_title="Protokoll"
                )
                for chunk in response.response:
                    size += len(chunk)
                    out.write(chunk)
                response.close()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    rss_after = peak_rss()
    return {
        "seconds": seconds,
        "bytes": size,
        "rss_before_kib": rss_before,
        "rss_growth_kib": rss_after - rss_before,
        "tracemalloc_peak": peak,
    }


def data_rows(path: str, fmt: str) -> int:
    """Rows in the file, header excluded: read back after the measurement."""
    if fmt == "csv":
        with open(path, "rb") as f:
            return sum(chunk.count(b"\r\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1
    with zipfile.ZipFile(path) as book, book.open("xl/worksheets/sheet1.xml") as sheet:
        found, tail = 0, b""
        while chunk := sheet.read(1 << 20):
            found += len(re.findall(rb"<row ", tail + chunk))
            tail = chunk[-4:]  # finds "<row " split between two chunks, never counts it twice
        return found - 1


def spawn(url: str, instance: Path, kind: str, fmt: str, trace: bool, out_path: str) -> dict:
    command = [
        sys.executable,
        __file__,
        "--case",
        f"{kind}:{fmt}",
        "--url",
        url,
        "--instance",
        str(instance),
        "--out",
        out_path,
    ] + (["--trace"] if trace else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"case {kind}:{fmt} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def mib(kib_or_bytes: float, unit: int) -> str:
    return f"{kib_or_bytes / unit:,.1f}"


def measure(label: str, url: str, instance: Path, rows: int, trace: bool) -> list[list[str]]:
    table = []
    with tempfile.TemporaryDirectory(prefix="lernpfad-export-") as folder:
        for kind, fmt in CASES:
            out_path = os.path.join(folder, f"{kind}.{fmt}")
            timed = spawn(url, instance, kind, fmt, False, out_path)
            written = data_rows(out_path, fmt)
            # The audit log also holds the events of the training exports measured before.
            assert written == rows or (kind == "audit" and written > rows), (kind, fmt, written)
            traced = spawn(url, instance, kind, fmt, True, out_path) if trace else None
            table.append(
                [
                    label,
                    "training records" if kind == "training" else "audit log",
                    fmt.upper(),
                    f"{written:,}",
                    f"{timed['seconds']:.1f}",
                    f"{written / timed['seconds']:,.0f}",
                    mib(timed["bytes"], 1 << 20),
                    mib(traced["tracemalloc_peak"], 1 << 20) if traced else "–",
                    mib(timed["rss_growth_kib"], 1024),
                    mib(timed["rss_before_kib"], 1024),
                ]
            )
            print(" | ".join(table[-1]), file=sys.stderr, flush=True)
    return table


HEADER = [
    "database",
    "export",
    "format",
    "rows",
    "seconds",
    "rows/s",
    "file MiB",
    "tracemalloc peak MiB",
    "RSS growth MiB",
    "RSS at start MiB",
]


def print_table(table: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [HEADER, *table]) for i in range(len(HEADER))]
    right = {3, 4, 5, 6, 7, 8, 9}

    def line(cells):
        return (
            "| "
            + " | ".join(
                c.rjust(w) if i in right else c.ljust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    print(line(HEADER))
    print(
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if i in right else "-" * (w + 2) for i, w in enumerate(widths)
        )
        + "|"
    )
    for row in table:
        print(line(row))


def prepare(label: str, url: str, instance: Path, args) -> None:
    app = make_app(url, instance)
    if args.reuse:
        try:
            with app.app_context():
                done, events = counts()
                if done == args.rows and events >= args.rows:
                    print(f"{label}: reusing the database", file=sys.stderr)
                    return
        except sa.exc.SQLAlchemyError:
            pass
    if url.startswith("postgresql"):
        empty_postgres(url)
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        app = make_app(url, instance)
    seconds = build(app, args.rows, args.people)
    print(f"{label}: built in {seconds:.0f} s", file=sys.stderr)
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--postgres", help="an empty database of your own (it is emptied)")
    parser.add_argument("--folder", default=os.path.join(tempfile.gettempdir(), "bench-exports"))
    parser.add_argument("--reuse", action="store_true", help="keep a database of the right size")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc runs")
    # One case in this process (used by the script itself):
    parser.add_argument("--case")
    parser.add_argument("--url")
    parser.add_argument("--instance")
    parser.add_argument("--out")
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()

    if args.case:
        kind, fmt = args.case.split(":")
        result = run_case(args.url, Path(args.instance), kind, fmt, args.trace, args.out)
        print(json.dumps(result))
        return

    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    instance = folder / "instance"
    targets = [("SQLite", f"sqlite:///{folder / 'exports.sqlite3'}")]
    if args.postgres:
        if args.postgres.rstrip("/").rsplit("/", 1)[-1] == "test":
            raise SystemExit("not the test database: give a database of your own")
        targets.append(("PostgreSQL", args.postgres))
    table = []
    for label, url in targets:
        prepare(label, url, instance, args)
        table += measure(label, url, instance, args.rows, not args.no_trace)
    print(
        f"\n{args.rows:,} rows per export, {args.people:,} people; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    print_table(table)


if __name__ == "__main__":
    main()
