"""Crash durability (issue 13): eight writers against gunicorn, SIGKILL of master and workers
mid-load, a restart, more writes. Every write that was answered as saved is in the database, no
request ever got a 5xx, and the database is consistent (SQLite: PRAGMA integrity_check;
PostgreSQL: amcheck on every index).

Real processes: gunicorn with deploy/gunicorn.conf.py (2 gthread workers) on a database made by
the migrations and the demo company. The writers are department heads registering use cases
(„Anwendungsfall gespeichert“ redirects to /anwendungsfaelle/<id>: the answer names the row).
Runs on SQLite, and on PostgreSQL when LERNPFAD_TEST_DATABASE_URL is set.
"""

import http.client
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from tests.conftest import TEST_DATABASE_URL, skip_or_fail
from tests.helpers import csrf_token
from tests.mail import free_port
from tests.slow.test_slow_clients import HOST, ROOT, gunicorn, healthz

pytestmark = pytest.mark.slow

WRITERS = 8
BEFORE_KILL = 5.0  # seconds of writing before the SIGKILL …
AFTER_RESTART = 5.0  # … and after gunicorn answers again
TITLE = re.compile(r"^Absturztest w(\d+) n(\d+)$")
USE_CASE = {
    "business_process": "Angebotserstellung",
    "problem": "Angebote dauern zu lange.",
    "expected_benefit": "Schnellere Angebote.",
    "kpi_name": "Durchlaufzeit in Tagen",
    "kpi_baseline": "5",
    "kpi_target": "2",
    "score_value": "3",
    "score_feasibility": "3",
    "score_strategic": "3",
    "status": "idee",
}


class Browser:
    """One person's requests: a cookie jar, a new connection per request (none survives a kill)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Host": HOST, "User-Agent": "crash-durability"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.getheader("Location") or "", text


@dataclass
class Record:
    """What the writers saw: acknowledged titles with their ids, statuses, lost requests."""

    acknowledged: dict[str, int] = field(default_factory=dict)
    attempted: set[str] = field(default_factory=set)
    statuses: Counter = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    lost: int = 0
    phase: str = "before"
    per_phase: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def write(number: int, port: int, stop: threading.Event, record: Record) -> None:
    """Sign in as writer ``number`` and register use cases until ``stop``."""
    browser, token, sequence = Browser(port), None, 0
    while not stop.is_set():
        try:
            if token is None:
                status, _, page = browser.request("GET", "/anmelden")
                status, location, page = browser.request(
                    "POST",
                    "/anmelden",
                    {
                        "email": f"writer{number}@muster.example",
                        "password": "lernpfad-demo",
                        "csrf_token": csrf_token(page),
                    },
                )
                _note(record, "login", status, location, page)
                if status != 302:
                    time.sleep(0.2)
                    continue
                status, _, page = browser.request("GET", "/anwendungsfaelle/neu")
                _note(record, "form", status, "", page)
                token = csrf_token(page) if status == 200 else None
                continue
            title = f"Absturztest w{number} n{sequence}"
            sequence += 1
            with record.lock:
                record.attempted.add(title)
            status, location, page = browser.request(
                "POST", "/anwendungsfaelle/neu", {**USE_CASE, "title": title, "csrf_token": token}
            )
            _note(record, "create", status, location, page)
            saved = re.fullmatch(r"(?:https?://[^/]+)?/anwendungsfaelle/(\d+)", location)
            if status == 302 and saved:
                with record.lock:
                    record.acknowledged[title] = int(saved.group(1))
                    record.per_phase[record.phase] += 1
        except (OSError, http.client.HTTPException):
            # Refused, reset or cut off by the kill: not acknowledged, so not promised.
            with record.lock:
                record.lost += 1
            time.sleep(0.05)


def _note(record: Record, step: str, status: int, location: str, page: str) -> None:
    with record.lock:
        record.statuses[(step, status)] += 1
        if (
            status >= 500
            or (status != 302 and step != "form")
            or (step == "form" and status != 200)
        ):
            record.unexpected.append(f"{step} {status} {location} {page[:300]!r}")


def start_gunicorn(env: dict, log: Path) -> subprocess.Popen:
    """gunicorn in its own process group (so one killpg reaches master and workers)."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            gunicorn(),
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
        try:
            if healthz(port, timeout=1)[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.1)


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def kill_everything(process: subprocess.Popen) -> int:
    """SIGKILL master and workers at once; how many processes there were."""
    members = group_members(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while group_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert group_members(process.pid) == []
    return len(members)


def reset_postgresql(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    except sa.exc.OperationalError as error:
        skip_or_fail(f"PostgreSQL not reachable at {url}: {error}")
    finally:
        engine.dispose()


def build_database(url: str, instance: Path) -> None:
    """Migrations, the demo company, and eight department heads who write."""
    from flask_migrate import upgrade

    from lernpfad import create_app
    from lernpfad.auth.models import Department, Role
    from lernpfad.auth.passwords import hash_password
    from lernpfad.demo import DEMO_PASSWORD, load_demo
    from lernpfad.extensions import db
    from lernpfad.people.services import create_person

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"}, str(instance))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_demo(app.config["CONTENT_DIR"])
        departments = list(db.session.scalars(sa.select(Department).order_by(Department.id)))
        password = hash_password(DEMO_PASSWORD)
        for number in range(WRITERS):
            person = create_person(
                name=f"Schreiber {number}",
                email=f"writer{number}@muster.example",
                department=departments[number % len(departments)],
                roles={Role.DEPARTMENT_HEAD},
            )
            person.password_hash = password
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def stored_use_cases(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT title, id FROM use_cases WHERE title LIKE 'Absturztest %'")
            ).all()
    finally:
        engine.dispose()
    titles = [title for title, _ in rows]
    assert len(titles) == len(set(titles)), "a title stored twice"
    return dict(rows)


def check_consistency(url: str, sqlite_file: Path | None) -> str:
    if sqlite_file is not None:
        with sqlite3.connect(sqlite_file) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchall()
            assert result == [("ok",)], result
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        return "PRAGMA integrity_check: ok, foreign_key_check: none"
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS amcheck"))
            indexes = connection.execute(
                sa.text(
                    "SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE a.amname = 'btree' AND n.nspname = 'public'"
                )
            ).scalars()
            checked = 0
            for oid in indexes:
                connection.execute(sa.text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
                checked += 1
            orphans = connection.execute(
                sa.text(
                    "SELECT count(*) FROM use_cases u LEFT JOIN departments d "
                    "ON d.id = u.department_id WHERE d.id IS NULL"
                )
            ).scalar()
            assert orphans == 0
    finally:
        engine.dispose()
    return f"amcheck bt_index_check(heapallindexed) on {checked} indexes: ok"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """(URL, SQLite file or None) of a freshly built database."""
    if request.param == "postgresql":
        if not TEST_DATABASE_URL:
            pytest.skip("LERNPFAD_TEST_DATABASE_URL is not set")
        reset_postgresql(TEST_DATABASE_URL)
        url, sqlite_file = TEST_DATABASE_URL, None
    else:
        sqlite_file = tmp_path / "lernpfad.sqlite3"
        url = f"sqlite:///{sqlite_file}"
    build_database(url, tmp_path / "instance")
    yield url, sqlite_file
    if request.param == "postgresql":
        reset_postgresql(url)  # the next tests on this database start from an empty schema


def test_acknowledged_writes_survive_a_sigkill_of_master_and_workers(database, tmp_path):
    url, sqlite_file = database
    port = free_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("LERNPFAD_", "GUNICORN_"))
    }
    env.update(
        LERNPFAD_DATABASE_URL=url,
        LERNPFAD_SECRET_KEY="crash-durability",  # sessions outlive the restart
        LERNPFAD_BASE_URL=f"https://{HOST}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        XDG_RUNTIME_DIR=str(tmp_path),
    )
    log = tmp_path / "gunicorn.log"
    record, stop = Record(), threading.Event()
    started = time.monotonic()
    process = start_gunicorn(env, log)
    writers = [
        threading.Thread(target=write, args=(number, port, stop, record))
        for number in range(WRITERS)
    ]
    try:
        for writer in writers:
            writer.start()
        time.sleep(BEFORE_KILL)
        killed = kill_everything(process)
        with record.lock:
            record.phase = "after"
        process = start_gunicorn(env, log)
        time.sleep(AFTER_RESTART)
    finally:
        stop.set()
        for writer in writers:
            writer.join(timeout=30)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    seconds = time.monotonic() - started

    stored = stored_use_cases(url)
    missing = {t: i for t, i in record.acknowledged.items() if stored.get(t) != i}
    consistency = check_consistency(url, sqlite_file)
    unacknowledged = len(stored) - len(record.acknowledged)
    print(
        f"\n{url.split(':')[0]}: {killed} processes killed; {len(record.acknowledged)} writes "
        f"acknowledged ({record.per_phase['before']} before the kill, {record.per_phase['after']} "
        f"after the restart), {unacknowledged} stored without an answer, {record.lost} requests "
        f"lost to the kill, {seconds:.1f} s; {consistency}; statuses {dict(record.statuses)}"
    )
    assert killed == 3  # master and two workers
    assert record.unexpected == [], record.unexpected[:5]
    assert missing == {}
    assert set(stored) <= record.attempted
    assert all(TITLE.match(title) for title in stored)
    assert record.per_phase["before"] > 0 and record.per_phase["after"] > 0
    assert "Traceback" not in log.read_text()
