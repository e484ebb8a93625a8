"""A consistent copy of the database while the app keeps writing (`lernpfad backup`).

SQLite: the online backup API copies the database in one step inside a read transaction. In WAL
mode that transaction sees one committed state and writers go on beside it, so the copy holds
every write committed before it started and none after. PostgreSQL has its own tool (pg_dump).
"""

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa


class BackupRefused(Exception):
    """The backup cannot be made; the message says why and what to do instead."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int  # bytes


def pg_dump_command(url: sa.URL, target: str = "lernpfad.dump") -> str:
    """The pg_dump line for a PostgreSQL URL (password hidden; pg_dump reads PGPASSWORD)."""
    plain = sa.URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, url.query
    )
    return f"pg_dump --format=custom --file={target} '{plain.render_as_string()}'"


def backup_database(url: str | sa.URL, target: str | Path, *, force: bool = False) -> BackupResult:
    """Copy the SQLite database at ``url`` to ``target`` (mode 0600), checked and complete, or
    raise BackupRefused. An existing target is replaced only with ``force``."""
    url = sa.make_url(url)
    if url.get_backend_name() != "sqlite":
        raise BackupRefused(
            f"Die Datenbank ist {url.get_backend_name()}, nicht SQLite. "
            f"Sichern Sie sie mit pg_dump: {pg_dump_command(url)}"
        )
    source = url.database
    if not source or source == ":memory:" or not Path(source).is_file():
        raise BackupRefused(f"Keine SQLite-Datei gefunden: {source or '(leer)'}")
    target = Path(target)
    if target.exists() and not force:
        raise BackupRefused(f"{target} gibt es schon; mit --force wird die Datei ersetzt.")
    if not target.parent.is_dir():
        raise BackupRefused(f"Den Ordner {target.parent} gibt es nicht.")
    if target.resolve() == Path(source).resolve():
        raise BackupRefused("Die Sicherung darf nicht die Datenbank selbst überschreiben.")
    # A new file beside the target, renamed at the end: a failed backup leaves no half copy.
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        _copy(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size)


def _copy(source: str, destination: Path) -> None:
    reader = sqlite3.connect(source, timeout=30)
    writer = sqlite3.connect(destination)
    try:
        reader.backup(writer)  # all pages in one step: a single read transaction
        # The copy is one self-contained file (the source's WAL mode would want -wal/-shm files).
        writer.execute("PRAGMA journal_mode=DELETE")
        problems = [row[0] for row in writer.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupRefused("Die Kopie ist beschädigt: " + "; ".join(problems[:5]))
    finally:
        writer.close()
        reader.close()
