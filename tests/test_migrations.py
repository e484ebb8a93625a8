"""Migrations: one head, `upgrade` builds the schema, and it matches the models."""

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from lernpfad import create_app
from lernpfad.extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def test_single_head():
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, heads


def test_upgrade_on_empty_database_matches_models(tmp_path, server_database):
    url = server_database or f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url}, instance_path=str(tmp_path)
    )
    with app.app_context():
        if server_database:
            with db.engine.begin() as connection:
                connection.execute(sa.text("DROP SCHEMA public CASCADE"))
                connection.execute(sa.text("CREATE SCHEMA public"))
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], differences
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"people", "departments", "person_roles", "alembic_version"} <= tables
        db.engine.dispose()


def test_report_publications_keep_their_members_through_the_upgrade(tmp_path):
    """214495456a4e moves a publication's members from JSON into rows and fills each person's
    latest result and completed modules from the records (SQLite; the schema test covers both)."""
    url = f"sqlite:///{tmp_path / 'data.sqlite3'}"
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url}, instance_path=str(tmp_path)
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision="763be82a32b0")
        with db.engine.begin() as connection:
            run = connection.exec_driver_sql
            run(
                "INSERT INTO people (id, email, name, job_function, active, session_token,"
                " created_at) VALUES (1, 'a@x.org', 'A', '', 1, 't1', '2026-01-01 00:00:00'),"
                " (2, 'b@x.org', 'B', '', 1, 't2', '2026-01-01 00:00:00')"
            )
            run(
                "INSERT INTO assessment_attempts (id, person_id, assessment_key, assessment_hash,"
                " next_step, answers, started_at, updated_at) VALUES"
                " (1, 1, 's', 'h', 5, '{}', '2026-01-01', '2026-01-01'),"
                " (2, 1, 's', 'h', 5, '{}', '2026-01-01', '2026-01-01')"
            )
            run(
                "INSERT INTO assessment_results (id, person_id, attempt_id, assessment_hash,"
                " completed_at, base_role, path_role, levels, details, volunteered, hours)"
                " VALUES (1, 1, 1, 'h', '2026-03-01 00:00:00', 'a', 'a', '{}', '{}', 0, 0),"
                " (2, 1, 2, 'h', '2026-02-01 00:00:00', 'a', 'a', '{}', '{}', 0, 0)"
            )
            run(
                "INSERT INTO report_publications (id, group_key, published_at, members, figures)"
                " VALUES (1, 'company', '2026-03-02 00:00:00', '{\"1\": 1, \"2\": 7}', '{}')"
            )
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as connection:
            run = connection.exec_driver_sql
            members = run(
                "SELECT group_key, person_id, result_id FROM report_publication_members"
                " ORDER BY person_id"
            ).all()
            people = run(
                "SELECT id, current_result_id, completed_modules FROM people ORDER BY id"
            ).all()
            checked = run("SELECT checked_at, drift FROM report_publications").one()
        assert [tuple(row) for row in members] == [("company", 1, 1), ("company", 2, 7)]
        assert [tuple(row) for row in people] == [(1, 1, 0), (2, None, 0)]  # 1: latest by date
        assert checked[0].startswith("2026-03-02") and checked[1] == "[]"
        db.engine.dispose()
