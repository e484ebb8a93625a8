"""Declarative base with a constraint naming convention, a UTC datetime type, SQLite pragmas."""

import sqlite3
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC; SQLite hands back naive values, which are UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


def sqlite_on_connect(dbapi_connection, _record):
    """WAL, a busy timeout, foreign keys and a Unicode lower(), on every SQLite connection."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's lower() folds ASCII only; searching "özdemir" must find "Özdemir" as on PostgreSQL.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def local_today() -> date:
    """Today in the company's time zone (BABEL_DEFAULT_TIMEZONE), not the server's."""
    from zoneinfo import ZoneInfo

    from flask import current_app

    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def day_end(day: date, timezone) -> datetime:
    """The first moment after ``day`` in ``timezone`` (the company's), in UTC (exclusive)."""
    from datetime import time, timedelta

    return datetime.combine(day + timedelta(days=1), time(), timezone).astimezone(UTC)


def refresh_statistics(session) -> None:
    """Let the database's query planner know how the tables are filled (ANALYZE). Without
    statistics SQLite takes an index on a column such as ``people.active`` for a narrow one and
    reads every person where a few champions would do. Run after bulk loads and nightly."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(sa.text("PRAGMA analysis_limit=1000"))  # approximate, and quick
    session.execute(sa.text("ANALYZE"))
