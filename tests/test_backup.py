"""`flask --app lernpfad lernpfad backup`: a consistent SQLite copy while writes go on, restored
by serving it; PostgreSQL is pointed to pg_dump."""

import sqlite3
import stat
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from lernpfad import create_app
from lernpfad.auth.models import Department, Person, Role
from lernpfad.core.backup import BackupRefused, backup_database
from lernpfad.extensions import db
from tests.conftest import test_config as config_for
from tests.helpers import login_client, make_person

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def migrations_head() -> str:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    (head,) = ScriptDirectory.from_config(config).get_heads()
    return head


@pytest.fixture
def sqlite_app(tmp_path):
    """An app on a migrated SQLite file (whatever database the suite runs on), with HR."""
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    application = create_app(config_for(url), instance_path=str(tmp_path / "instance"))
    with application.app_context():
        upgrade(directory=str(MIGRATIONS))
        make_person("hr@example.org", name="Hanna Hauptmann", roles={Role.HR})
        db.session.commit()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def write_departments(application, stop: threading.Event, committed: list[int]) -> None:
    """Departments W00000, W00001 … one per transaction, until ``stop``; ``committed`` gets
    each number once its commit returned."""
    with application.app_context():
        number = 0
        while not stop.is_set() or number < 20:
            db.session.add(Department(name=f"W{number:05d}"))
            db.session.commit()
            committed.append(number)
            number += 1
        db.session.remove()


def test_backup_while_writing_is_a_consistent_prefix_and_serves_after_restore(sqlite_app, tmp_path):
    target = tmp_path / "copy.sqlite3"
    stop, committed = threading.Event(), []
    writer = threading.Thread(target=write_departments, args=(sqlite_app, stop, committed))
    writer.start()
    try:
        while len(committed) < 10:
            threading.Event().wait(0.01)
        before = len(committed)
        result = sqlite_app.test_cli_runner().invoke(args=["lernpfad", "backup", str(target)])
        after = len(committed)
    finally:
        stop.set()
        writer.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert f"Sicherung geschrieben: {target}" in result.output and "MB" in result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (migrations_head(),)
        ]
        names = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM departments WHERE name LIKE 'W%' ORDER BY name"
            )
        ]
    finally:
        copy.close()
    # Every write committed before the backup began, none that is not also in the live database,
    # and no gap: the copy is the database as of one moment.
    assert before <= len(names) <= after
    assert names == [f"W{n:05d}" for n in range(len(names))]
    print(f"backup: {len(names)} of {len(committed)} writes (≥ {before} before, ≤ {after} after)")

    restored = create_app(
        config_for(f"sqlite:///{target}"), instance_path=str(tmp_path / "restored")
    )
    with restored.app_context():
        assert db.session.scalar(
            sa.select(sa.func.count()).select_from(Department).where(Department.name.like("W%"))
        ) == len(names)
        assert db.session.scalar(sa.select(Person.name)) == "Hanna Hauptmann"
    page = login_client(restored, "hr@example.org").get("/personen/")
    assert page.status_code == 200
    assert "Hanna Hauptmann" in page.get_data(as_text=True)
    with restored.app_context():
        db.engine.dispose()


def test_an_existing_target_is_kept_unless_forced(sqlite_app, tmp_path):
    target = tmp_path / "copy.sqlite3"
    target.write_text("keep me")
    runner = sqlite_app.test_cli_runner()
    refused = runner.invoke(args=["lernpfad", "backup", str(target)])
    assert refused.exit_code != 0
    assert "--force" in refused.output
    assert target.read_text() == "keep me"
    forced = runner.invoke(args=["lernpfad", "backup", "--force", str(target)])
    assert forced.exit_code == 0, forced.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM people").fetchone() == (1,)
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_postgresql_is_referred_to_pg_dump(tmp_path):
    with pytest.raises(BackupRefused) as refused:
        backup_database(
            "postgresql+psycopg://lernpfad:geheim@db.example.org:5432/lernpfad", tmp_path / "x"
        )
    message = str(refused.value)
    assert (
        "pg_dump --format=custom --file=lernpfad.dump "
        "'postgresql://lernpfad@db.example.org:5432/lernpfad'" in message
    )
    assert "geheim" not in message
    assert not (tmp_path / "x").exists()


def test_a_missing_database_file_or_folder_is_refused(tmp_path):
    with pytest.raises(BackupRefused, match="Keine SQLite-Datei"):
        backup_database(f"sqlite:///{tmp_path / 'none.sqlite3'}", tmp_path / "copy")
    (tmp_path / "live.sqlite3").touch()
    with pytest.raises(BackupRefused, match="Ordner"):
        backup_database(f"sqlite:///{tmp_path / 'live.sqlite3'}", tmp_path / "no" / "copy")
