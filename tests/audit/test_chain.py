"""The audit chain in the database: entries written by the app verify; a changed, deleted or
inserted row is found by `lernpfad audit verify`; concurrent writers keep one chain."""

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from lernpfad import create_app
from lernpfad.audit.models import AuditChainHead, AuditEvent
from lernpfad.audit.services import record_audit, verify
from lernpfad.auth.models import Department, Person, Role
from lernpfad.extensions import db
from lernpfad.people.services import anonymise, deactivate
from tests.helpers import make_person

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"


def write_events(app, n=5):
    with app.app_context():
        hr = make_person("hr@example.org", roles={Role.HR})
        lea = make_person("lea@example.org")
        for i in range(n):
            record_audit(actor=hr, action="training_record.viewed", subject=lea, n=i)
        db.session.commit()
        return hr.id, lea.id


def run_verify(runner):
    return runner.invoke(args=["lernpfad", "audit", "verify"])


def test_entries_written_by_the_app_verify(app, runner):
    write_events(app)
    result = run_verify(runner)
    assert result.exit_code == 0, result.output
    # make_person grants roles through set_roles, which audits: 1 role for HR + 5 views
    assert "Protokoll unversehrt: 6 Einträge" in result.output


def tamper(app, statement: str):
    with app.app_context():
        db.session.execute(sa.text(statement))
        db.session.commit()


def test_a_changed_action_is_found(app, runner):
    write_events(app)
    tamper(app, "UPDATE audit_events SET action = 'self_export' WHERE id = 3")
    result = run_verify(runner)
    assert result.exit_code == 1
    assert "erste gebrochene Stelle bei Eintrag 3: der Eintrag wurde geändert" in result.output


def test_changed_details_are_found(app, runner):
    write_events(app)
    with app.app_context():
        db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == 4).values(details={"n": 9}))
        db.session.commit()
    result = run_verify(runner)
    assert result.exit_code == 1
    assert "Eintrag 4: die Angaben des Eintrags wurden geändert" in result.output


def test_a_deleted_entry_is_found_at_its_successor(app, runner):
    write_events(app)
    tamper(app, "DELETE FROM audit_events WHERE id = 2")
    result = run_verify(runner)
    assert result.exit_code == 1
    assert "Eintrag 3: der Verweis auf den Vorgänger stimmt nicht" in result.output


def test_a_deleted_last_entry_and_an_added_row_are_found(app, runner):
    write_events(app)
    tamper(app, "DELETE FROM audit_events WHERE id = 6")
    assert "Kettenende: die Zahl der Einträge" in run_verify(runner).output
    tamper(app, "UPDATE audit_chain_head SET length = 5")
    result = run_verify(runner)
    assert result.exit_code == 1
    assert "Kettenende: der letzte Eintrag fehlt" in result.output


def test_anonymising_a_person_erases_details_and_keeps_the_chain(app, runner):
    hr_id, lea_id = write_events(app)
    with app.app_context():
        hr, lea = db.session.get(Person, hr_id), db.session.get(Person, lea_id)
        deactivate(lea, hr)
        anonymise(lea, hr)
        db.session.commit()
        assert (
            db.session.scalar(
                sa.select(AuditEvent.details).where(AuditEvent.subject_id == lea_id).limit(1)
            )
            == {}
        )
    result = run_verify(runner)
    assert result.exit_code == 0, result.output


def test_concurrent_writers_keep_one_chain(app):
    """Eight threads, each with its own session and connection, write at once."""
    ids = write_events(app, n=0)
    errors = []

    def writer(k):
        try:
            with app.app_context():
                hr = db.session.get(Person, ids[0])
                for i in range(10):
                    record_audit(actor=hr, action="self_export", thread=k, n=i)
                    db.session.commit()
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        broken, read = verify()
        assert (broken, read) == (None, 81)
        assert db.session.get(AuditChainHead, 1).length == 81


def test_the_migration_chains_entries_written_before_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'data.sqlite3'}"
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url}, instance_path=str(tmp_path)
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision="5b0d3c9e7a21")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO audit_events (id, at, actor_id, action, subject_id, details) VALUES"
                " (1, '2026-01-01 10:00:00.000000', NULL, 'role.granted', NULL, '{\"role\": \"hr\"}'),"
                " (2, '2026-01-02 10:00:00.500000', NULL, 'self_export', NULL, '{}')"
            )
        upgrade(directory=str(MIGRATIONS))
        assert verify() == (None, 2)
        record_audit(actor=None, action="self_export")
        db.session.commit()
        assert verify() == (None, 3)
        db.engine.dispose()


def test_a_row_added_past_the_app_is_found(app, runner):
    write_events(app)
    tamper(
        app,
        "INSERT INTO audit_events (id, at, action, details, details_digest, prev_hash, hash)"
        " VALUES (99, '2026-01-01 00:00:00', 'self_export', '{}', '', '', '')",
    )
    result = run_verify(runner)
    assert result.exit_code == 1
    assert "Eintrag 99: der Eintrag steht in keiner Kette" in result.output


def test_entries_take_their_place_at_commit_in_commit_order(app):
    """PostgreSQL: a transaction that wrote its entry first but commits last is chained last.
    SQLite: a second writer cannot write at all while the first transaction is open, so the
    order of commits is the order of writes."""
    ids = write_events(app, n=0)
    with app.app_context():
        hr = db.session.get(Person, ids[0])
        early = record_audit(actor=hr, action="self_export")
        sqlite = db.engine.dialect.name == "sqlite"
        with app.app_context():  # a second session, committing in between
            if sqlite:
                db.session.execute(sa.text("PRAGMA busy_timeout=100"))
                with pytest.raises(sa.exc.OperationalError, match="locked"):
                    record_audit(actor=None, action="training_record.viewed")
                db.session.rollback()
            else:
                record_audit(actor=None, action="training_record.viewed")
                db.session.commit()
        db.session.commit()
        assert early.seq == (2 if sqlite else 3)  # 1: HR's role
        assert verify() == (None, 2 if sqlite else 3)


def test_a_rolled_back_entry_leaves_no_trace(app):
    ids = write_events(app, n=1)
    with app.app_context():
        record_audit(actor=db.session.get(Person, ids[0]), action="self_export")
        db.session.rollback()
        record_audit(actor=db.session.get(Person, ids[0]), action="training_record.viewed")
        db.session.commit()
        assert verify() == (None, 3)
        assert db.session.get(AuditChainHead, 1).length == 3


def test_a_rolled_back_savepoint_keeps_the_transactions_earlier_entries(app):
    """A savepoint that fails (a parallel insert, as in ensure_progress or a job's claim) takes
    back only what was written inside it: the entry written before it is chained at commit."""
    ids = write_events(app, n=0)
    with app.app_context():
        db.session.add(Department(name="Zoll"))
        db.session.commit()
        hr = db.session.get(Person, ids[0])
        record_audit(actor=hr, action="self_export")
        with pytest.raises(sa.exc.IntegrityError):
            with db.session.begin_nested():
                record_audit(actor=hr, action="training_record.viewed")
                db.session.add(Department(name="Zoll"))
        db.session.commit()
        assert verify() == (None, 2)
        assert [e.action for e in db.session.scalars(sa.select(AuditEvent))] == [
            "role.granted",
            "self_export",
        ]


def test_entries_released_with_a_savepoint_are_chained_at_the_commit(app):
    """A savepoint released inside another one that is then rolled back: the entry written
    before both takes its place at the commit, the one written inside is gone."""
    ids = write_events(app, n=0)
    with app.app_context():
        hr = db.session.get(Person, ids[0])
        record_audit(actor=hr, action="self_export")
        with pytest.raises(RuntimeError):
            with db.session.begin_nested():
                with db.session.begin_nested():
                    record_audit(actor=hr, action="training_record.viewed")
                raise RuntimeError
        with db.session.begin_nested():
            record_audit(actor=hr, action="audit.exported")
        db.session.commit()
        assert verify() == (None, 3)
        assert db.session.get(AuditChainHead, 1).length == 3


def test_entries_committed_while_the_chain_is_checked_are_no_break(app, runner, monkeypatch):
    """The check reads the log in batches while people go on working: an entry committed
    meanwhile stands past the head the check read first and is not taken for one added past
    the app (which the check still finds, see test_a_row_added_past_the_app_is_found)."""
    from lernpfad.audit import services

    write_events(app)
    walk = services._entries

    def entries_with_a_writer_meanwhile(*args, **kwargs):
        with app.app_context():  # another session commits an entry during the walk
            record_audit(actor=None, action="self_export")
            db.session.commit()
        yield from walk(*args, **kwargs)

    monkeypatch.setattr(services, "_entries", entries_with_a_writer_meanwhile)
    with app.app_context():
        assert verify() == (None, 6)
    monkeypatch.undo()
    with app.app_context():
        assert verify() == (None, 7)
    tamper(
        app,
        "INSERT INTO audit_events (id, at, action, details, details_digest, prev_hash, hash, seq)"
        " VALUES (99, '2026-01-01 00:00:00', 'self_export', '{}', '', '', '', 8)",
    )
    result = run_verify(runner)
    assert result.exit_code == 1
    assert "Kettenende: die Zahl der Einträge" in result.output
