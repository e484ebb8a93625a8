"""Recording the SQL statements a piece of work runs (for tests that count or inspect them)."""

from contextlib import contextmanager

import sqlalchemy as sa

from lernpfad.extensions import db

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def recorded_statements(app):
    """The SQL statements run meanwhile, whitespace collapsed, in a list that fills as they run."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def is_write(statement: str) -> bool:
    return statement.split(None, 1)[0].upper() in WRITES
