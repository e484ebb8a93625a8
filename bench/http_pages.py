"""HTTP benchmark: the demo company served by gunicorn as in production, driven over real HTTP.

    .venv/bin/python bench/http_pages.py                            # 5,000 staff on SQLite
    .venv/bin/python bench/http_pages.py --staff 20000 --reuse      # keeps the built database for next time
    .venv/bin/python bench/http_pages.py --staff 1000 --seconds 10 --pages dashboard login
    make bench HTTP_BENCH_ARGS="--staff 1000 --seconds 10"

Builds the company in a child process (migrations, then `lernpfad.demo.load_demo` with --staff / 5
people per department, as bench/pages.py does), serves it with gunicorn and deploy/gunicorn.conf.py
(2 workers, the config's worker class and threads; only the bind address is set) and drives it from
this process with --connections keep-alive HTTP/1.1 connections (asyncio streams).

First --learners demo staff (people with no role but learner, spread over the departments) sign in
through the login form with its CSRF token, concurrently: these logins are the "login" row. Then
each page gets --warmup seconds unmeasured and --seconds measured, rotating the sessions of the
people who open it: learners for their pages (the module page is each learner's next module), the
department heads (each heading a department of --staff / 5 people) for their report, hr@ and gf@
for theirs. /healthz without a session is measured first on every run: the ceiling each page is
compared with.

Per page: requests per second; latency percentiles; server CPU per request (user and system time of
the gunicorn master and workers from /proc/<pid>/stat over the measured window); the peak RSS of the
largest worker while the page ran (VmHWM, reset before each page through clear_refs); responses
without the expected status (200, and 302 for the login) as errors; and this client's own CPU per
request, since client and server share the machine. On PostgreSQL also the CPU of the database's
own processes serving these requests (found through pg_stat_activity; when it runs on this
machine). Exits 1 when any request failed or gunicorn logged an error.

Databases: SQLite in a temporary folder, or --database-url. When LERNPFAD_TEST_DATABASE_URL is set
and --database-url is not given, the run is repeated on that PostgreSQL database. A PostgreSQL
database is emptied first (DROP SCHEMA public CASCADE, as bench/pages.py does). --reuse keeps the
built SQLite database in the system's temporary folder (one per staff size and version of the demo
code, migrations and content) and measures on a copy, so the next run skips the build.
"""

import argparse
import asyncio
import hashlib
import itertools
import multiprocessing
import os
import platform
import random
import re
import runpy
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from httpload import (  # bench/httpload.py, beside this script
    Connection,
    ConnectionLost,
    Job,
    Measured,
    PostgresBackends,
    Response,
    ServerProcesses,
    Session,
    client_cpu_seconds,
    cpu_seconds_between,
    markdown_table,
    percentile,
    send_all,
)

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
WORKERS = 2
PASSWORD = "lernpfad-demo"  # lernpfad.demo.DEMO_PASSWORD (this process does not import the app)
CACHE = Path(tempfile.gettempdir()) / "lernpfad-bench-http"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


@dataclass(frozen=True)
class Page:
    name: str  # for --pages
    label: str
    path: str  # may name the session's values, e.g. {module}
    who: str | None  # whose sessions open it (see run_pages); None: anonymous


PAGES = [
    Page("healthz", "ceiling GET /healthz", "/healthz", None),
    Page("dashboard", "learner dashboard", "/", "learners"),
    Page("path", "Mein Lernpfad", "/lernpfad/", "learners"),
    Page("module", "module page", "/module/{module}", "learners"),
    Page("department", "department report (head)", "/berichte/bereich", "heads"),
    Page("hr-report", "HR company report", "/berichte/", "hr"),
    Page("kennzahlen", "leadership Kennzahlen", "/berichte/kennzahlen", "leadership"),
    Page("staff-list", "HR staff list", "/personen/", "hr"),
    Page("login", "login (POST with CSRF)", "/anmelden", "learners"),
]
PAGE_NAMES = [page.name for page in PAGES]


# --- measuring ------------------------------------------------------------------------------------


@dataclass
class Row:
    page: Page
    measured: Measured
    expected: int
    server_cpu: float  # seconds
    client_cpu: float  # seconds
    peak_rss_mb: list[float]
    database_cpu: float | None = None  # seconds; PostgreSQL's (SQLite's is in the workers')

    @property
    def requests(self) -> int:
        return len(self.measured.latencies)

    @property
    def per_second(self) -> float:
        return self.requests / self.measured.seconds if self.measured.seconds else 0.0

    @property
    def errors(self) -> Counter:
        return Counter(
            {key: n for key, n in self.measured.outcomes.items() if key != self.expected}
        )


async def measure(
    page: Page,
    connections: list[Connection],
    server: ServerProcesses,
    database: PostgresBackends | None,
    next_job: Callable[[], Job | None],
    seconds: float | None,
    expected: int = 200,
) -> Row:
    """One measured window (None: until next_job runs out) with CPU and peak memory around it."""
    server.reset_peaks()
    server_before, client_before = server.cpu_ticks(), client_cpu_seconds()
    database_before = database.cpu_ticks() if database else {}
    until = time.perf_counter() + seconds if seconds is not None else None
    measured = await send_all(connections, next_job, until)
    server_cpu = cpu_seconds_between(server_before, server.cpu_ticks(), server.hertz)
    client_cpu = client_cpu_seconds() - client_before
    database_cpu = (
        cpu_seconds_between(database_before, database.cpu_ticks(), database.hertz)
        if database
        else None
    )
    peaks = server.peak_rss_mb()
    return Row(page, measured, expected, server_cpu, client_cpu, peaks, database_cpu)


def csrf_token(html: bytes) -> str:
    """The form's CSRF token; empty when the page has none (the post then fails visibly)."""
    found = CSRF_FIELD.search(html.decode("utf-8", "replace"))
    return found.group(1) if found else ""


def rotating(page: Page, sessions: list[Session]) -> Callable[[], Job]:
    turn = itertools.count()

    def next_job() -> Job:
        session = sessions[next(turn) % len(sessions)]
        return Job(session, "GET", page.path.format(**session.values))

    return next_job


def one_each(jobs: list[Job]) -> Callable[[], Job | None]:
    queue = iter(jobs)
    return lambda: next(queue, None)


async def sign_in(
    sessions: list[Session],
    connections: list[Connection],
    server: ServerProcesses,
    database: PostgresBackends | None,
    page: Page,
) -> Row:
    """Open the login form for every session (not measured), then post them all (the login row)."""
    tokens: dict[str, str] = {}

    def keep_token(session: Session) -> Callable[[Response], None]:
        return lambda response: tokens.__setitem__(session.email, csrf_token(response.body))

    forms = [Job(s, "GET", page.path, then=keep_token(s)) for s in sessions]
    await send_all(connections, one_each(forms), None)
    posts = [
        Job(
            s,
            "POST",
            page.path,
            {"csrf_token": tokens.get(s.email, ""), "email": s.email, "password": PASSWORD},
        )
        for s in sessions
    ]
    return await measure(page, connections, server, database, one_each(posts), None, expected=302)


async def run_pages(
    plan: dict, pages: list[Page], args, port: int, master: int, url: str
) -> list[Row]:
    server = ServerProcesses(master)
    database = PostgresBackends(url) if url.startswith("postgresql") else None
    connections = [Connection(port) for _ in range(args.connections)]
    groups = {
        "learners": [Session(p["email"], p) for p in plan["learners"]],
        "heads": [Session(p["email"], p) for p in plan["heads"]],
        "hr": [Session("hr@muster.example")],
        "leadership": [Session("gf@muster.example")],
    }
    needed = {page.who for page in pages if page.who}
    everyone = [s for who, sessions in groups.items() if who in needed for s in sessions]
    rows = []
    try:
        if everyone:
            login = PAGES[PAGE_NAMES.index("login")]
            row = await sign_in(everyone, connections, server, database, login)
            if any(page.name == "login" for page in pages):
                rows.append(row)
            print(f"  signed in {len(everyone)} people ({row.per_second:.1f}/s)", file=sys.stderr)
        for page in pages:
            if page.name == "login":
                continue
            sessions = groups[page.who] if page.who else [Session()]
            if "{module}" in page.path:
                sessions = [s for s in sessions if s.values["module"]]
            if not sessions:
                print(f"  {page.label}: nobody to open it, left out", file=sys.stderr)
                continue
            if args.warmup:
                await send_all(
                    connections, rotating(page, sessions), time.perf_counter() + args.warmup
                )
            next_job = rotating(page, sessions)
            row = await measure(page, connections, server, database, next_job, args.seconds)
            print(f"  {page.label}: {row.per_second:.1f}/s", file=sys.stderr)
            rows.append(row)
    finally:
        for connection in connections:
            connection.close()
        if database:
            database.close()
    return sorted(rows, key=lambda row: PAGES.index(row.page))


# --- the company and the server -------------------------------------------------------------------


def data_version() -> str:
    """A digest of what the built database depends on: demo code, migrations, content."""
    digest = hashlib.sha256()
    files = [*ROOT.glob("lernpfad/**/demo.py"), *ROOT.glob("migrations/**/*.py")]
    files += [p for p in ROOT.glob("content/**/*") if p.is_file()]
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def prepare_company(url: str, staff: int, learners: int, folder: str, cache: str | None) -> dict:
    """In a child process: build the company (or copy it from `cache`) and return who opens
    which pages."""
    import pages as in_process_bench  # bench/pages.py: migrations and demo data, like `make run`
    import sqlalchemy as sa

    from lernpfad import create_app, demo
    from lernpfad.auth.models import Department, Person, PersonRole, Role
    from lernpfad.extensions import db

    instance = Path(folder) / "instance"
    per_department = max(1, round(staff / len(demo.DEPARTMENTS)))
    built_in = None
    if cache and Path(cache).exists():
        shutil.copyfile(cache, url.removeprefix("sqlite:///"))
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"}, instance_path=str(instance)
        )
    else:
        if url.startswith("postgresql"):
            in_process_bench.empty_postgres(url)
        app, _people, built_in = in_process_bench.build(url, per_department, instance)
        if cache:
            with app.app_context():
                db.engine.dispose()  # SQLite writes its WAL back into the file
            Path(cache).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(url.removeprefix("sqlite:///"), cache + ".part")
            os.replace(cache + ".part", cache)

    with app.app_context():
        not_only_learner = Person.role_rows.any(PersonRole.role != Role.LEARNER)
        special = {email for email, *_ in demo.DEMO_LOGINS}
        staff_emails = db.session.scalars(
            sa.select(Person.email)
            .where(Person.active, ~not_only_learner, Person.email.not_in(special))
            .order_by(Person.id)
        ).all()
        chosen = random.Random(13).sample(staff_emails, min(learners, len(staff_emails)))
        sizes = dict(
            db.session.execute(
                sa.select(Person.department_id, sa.func.count()).group_by(Person.department_id)
            ).all()
        )
        heads = db.session.execute(
            sa.select(Person.email, Department.name, Department.id)
            .join(Department, Person.department_id == Department.id)
            .where(Person.role_rows.any(PersonRole.role == Role.DEPARTMENT_HEAD))
            .order_by(Person.id)
        ).all()
        people = db.session.scalar(sa.select(sa.func.count()).select_from(Person))
        if url.startswith("postgresql"):
            database = "PostgreSQL " + db.session.scalar(sa.text("SHOW server_version"))
        else:
            database = "SQLite " + sqlite3.sqlite_version
        db.engine.dispose()

    def next_module(email: str) -> str | None:
        try:
            return in_process_bench.targets(app, email)["module"]
        except StopIteration:
            return None  # nothing left on their path: they open the other pages only

    return {
        "people": people,
        "per_department": per_department,
        "built_in": built_in,
        "database": database,
        "learners": [{"email": email, "module": next_module(email)} for email in chosen],
        "heads": [
            {"email": email, "department": name, "size": sizes.get(department_id, 0)}
            for email, name, department_id in heads
        ],
    }


def build_in_child(*arguments) -> dict:
    """The app and its data stay out of the driving process (its garbage collector, its memory)."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(prepare_company, arguments)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(url: str, port: int, folder: Path) -> dict:
    """Production settings from deploy/gunicorn.conf.py and LERNPFAD_*, none of the caller's."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("LERNPFAD_", "GUNICORN_"))
    }
    env.update(
        LERNPFAD_DATABASE_URL=url,
        LERNPFAD_SECRET_KEY=secrets.token_hex(32),
        LERNPFAD_BASE_URL=f"http://127.0.0.1:{port}",  # requests for other hosts are refused
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(WORKERS),
        XDG_RUNTIME_DIR=str(folder),  # gunicorn's control socket (from 25.1) goes here
    )
    return env


def gunicorn_settings(env: dict) -> str:
    """What deploy/gunicorn.conf.py says under `env`, in one line."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(GUNICORN_CONFIG))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return (
        f"gunicorn {version('gunicorn')} -c {GUNICORN_CONFIG.relative_to(ROOT)}: "
        f"{conf['worker_class']}, {conf['workers']} workers × {conf['threads']} threads, "
        f"keepalive {conf['keepalive']} s, timeout {conf['timeout']} s, bind {conf['bind']}"
    )


async def healthy(port: int) -> bool:
    connection = Connection(port)
    try:
        return (await asyncio.wait_for(connection.request("GET", "/healthz"), 2)).status == 200
    except (OSError, ConnectionLost, TimeoutError, asyncio.IncompleteReadError):
        return False
    finally:
        connection.close()


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    deadline = time.monotonic() + 60
    while not asyncio.run(healthy(port)):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise SystemExit(f"gunicorn did not start:\n{log.read_text()}")
        time.sleep(0.2)
    while len(ServerProcesses(process.pid).workers()) < WORKERS:  # all have booted
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise SystemExit(f"gunicorn's workers did not start:\n{log.read_text()}")
        time.sleep(0.1)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- the report -----------------------------------------------------------------------------------


def report_table(rows: list[Row]) -> str:
    ceiling = next((row.per_second for row in rows if row.page.name == "healthz"), None)
    head = (
        "page",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "server CPU ms/req",
        "peak RSS MB/worker",
        "of ceiling",
        "errors",
        "client CPU ms/req",
    )
    with_database = any(row.database_cpu is not None for row in rows)
    if with_database:
        head += ("PostgreSQL CPU ms/req",)
    lines = []
    for row in rows:
        ms = sorted(seconds * 1000 for seconds in row.measured.latencies)
        n = max(row.requests, 1)
        line = (
            row.page.label,
            f"{row.per_second:,.1f}",
            f"{percentile(ms, 50):,.1f}",
            f"{percentile(ms, 95):,.1f}",
            f"{percentile(ms, 99):,.1f}",
            f"{row.server_cpu * 1000 / n:.1f}",
            f"{max(row.peak_rss_mb):.0f}" if row.peak_rss_mb else "?",
            f"{row.per_second / ceiling:.0%}" if ceiling else "–",
            str(sum(row.errors.values())),
            f"{row.client_cpu * 1000 / n:.2f}",
        )
        if with_database:
            line += (f"{(row.database_cpu or 0) * 1000 / n:.1f}",)
        lines.append(line)
    return markdown_table(head, lines)


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "?"


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


SERVER_ERROR = re.compile(r"\[(ERROR|CRITICAL)\]|\] ERROR in |^Traceback")


def server_errors(log: Path) -> list[str]:
    """gunicorn's errors and the app's logged exceptions."""
    lines = log.read_text(errors="replace").splitlines()
    return [line for line in lines if SERVER_ERROR.search(line)]


def run_on(url: str | None, pages: list[Page], args, folder: Path) -> bool:
    """Build, serve and measure on one database; print the report; True when nothing failed."""
    url = url or f"sqlite:///{folder / 'lernpfad.sqlite3'}"
    cache = None
    if args.reuse and url.startswith("sqlite"):
        cache = str(CACHE / f"staff-{args.staff}-{data_version()}.sqlite3")
    backend = url.split(":", 1)[0]
    started_at = datetime.now(UTC)
    load_before = load()
    print(f"== {backend}: building {args.staff:,} staff …", file=sys.stderr)
    plan = build_in_child(url, args.staff, args.learners, str(folder), cache)
    port = free_port()
    env = server_environment(url, port, folder)
    log = folder / "gunicorn.log"
    process = start_gunicorn(env, port, log)
    try:
        rows = asyncio.run(run_pages(plan, pages, args, port, process.pid, url))
    finally:
        stop(process)
    failures = {row.page.label: row.errors for row in rows if row.errors}
    built = (
        f"built in {plan['built_in']:.0f} s"
        if plan["built_in"] is not None
        else f"reused {Path(cache).name}"
    )
    heads = plan["heads"]
    print(
        f"\nHTTP benchmark, {started_at:%Y-%m-%d %H:%M} UTC, {plan['database']}\n"
        f"- machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()};"
        f" load average {load_before} before, {load()} after\n"
        f"- company: {plan['people']:,} people ({plan['per_department']:,} staff per department;"
        f" {built})\n"
        f"- server: {gunicorn_settings(env)}\n"
        f"- client: this process, {args.connections} keep-alive connections;"
        f" {args.warmup:g} s warm-up and {args.seconds:g} s per page; sessions rotated as the"
        f" pages need them: {len(plan['learners'])} learners, {len(heads)} department heads"
        f" ({', '.join(str(h['size']) for h in heads)} people), hr@, gf@;"
        f" login: one POST per signed-in person\n"
    )
    print(report_table(rows))
    for label, errors in failures.items():
        print(f"- {label}: " + ", ".join(f"{n} × {key}" for key, n in errors.most_common()))
    logged = server_errors(log)
    if logged:
        print(f"- gunicorn logged {len(logged)} errors; the first: {logged[0]}")
    return not failures and not logged


def parse_arguments(argv: Sequence[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=5000, help="staff in all (1000, 5000, 20000)")
    parser.add_argument("--seconds", type=float, default=30, help="measured seconds per page")
    parser.add_argument("--warmup", type=float, default=10, help="unmeasured seconds per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--learners", type=int, default=200, help="signed-in learners rotated")
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=PAGE_NAMES,
        default=PAGE_NAMES,
        help="pages to measure (healthz, the ceiling, always)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help=f"keep the built SQLite database in {CACHE}"
    )
    return parser.parse_args(argv)


def chosen_pages(args) -> list[Page]:
    """The pages asked for, in the table's order; /healthz, the ceiling, always."""
    return [page for page in PAGES if page.name == "healthz" or page.name in args.pages]


def databases(database_url: str | None, environ=os.environ) -> list[str | None]:
    """The databases to run on (None: SQLite in a temporary folder)."""
    if database_url:
        return [database_url]
    return [None, *filter(None, [environ.get("LERNPFAD_TEST_DATABASE_URL")])]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    pages = chosen_pages(args)
    passed = True
    for url in databases(args.database_url):
        with tempfile.TemporaryDirectory(prefix="lernpfad-bench-http-") as folder:
            passed = run_on(url, pages, args, Path(folder)) and passed
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
