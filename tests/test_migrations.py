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
