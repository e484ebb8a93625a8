"""The nightly retention job also refreshes the query planner's statistics (ANALYZE): without
them SQLite reads every person through an index on ``people.active`` where a few would do."""

from datetime import UTC, datetime

import sqlalchemy as sa

from lernpfad.extensions import db
from lernpfad.jobs.services import run_job
from tests.helpers import make_person


def analysed(table: str):
    """Whether the database keeps statistics of the table."""
    if db.engine.dialect.name == "sqlite":
        exists = db.session.scalar(
            sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        )
        return bool(exists) and bool(
            db.session.scalar(
                sa.text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = :t"), {"t": table}
            )
        )
    return bool(  # pg_stats is written by ANALYZE itself, in its transaction
        db.session.scalar(
            sa.text("SELECT count(*) FROM pg_stats WHERE tablename = :t"), {"t": table}
        )
    )


def test_the_retention_job_analyses_the_tables(app):
    with app.app_context():
        for n in range(30):
            make_person(f"p{n}@example.org")
        db.session.commit()
        if db.engine.dialect.name == "sqlite":  # a reused PostgreSQL database may have some
            assert not analysed("people")
        run = run_job("retention", datetime(2026, 12, 1, 3, 30, tzinfo=UTC))
        db.session.commit()
        assert run is not None and run.status == "ok"
        assert analysed("people")
