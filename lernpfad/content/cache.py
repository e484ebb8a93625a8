"""What follows from one content version alone, kept once per process.

Imported content never changes: a changed file becomes a new version under a new content hash
(content/services.py), and a version's row is never edited. So a document's data, and whatever is
computed from one version alone, may be kept under its hash for the life of the process; a
request then only asks which versions are current. Nothing about a person is kept here.
"""

from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from lernpfad.content.models import ContentDocument, ModuleVersion
from lernpfad.content.render import Heading, scrollable_tables, table_of_contents
from lernpfad.extensions import db


def current_documents(*wanted: tuple[str, str]) -> dict[tuple[str, str], dict]:
    """The data of the current documents named (kind, key), asked for in one statement; a
    document that does not exist is left out. The data is shared: never change it."""
    if not wanted:
        return {}
    values = {}
    for n, (kind, key) in enumerate(wanted):
        values[f"kind_{n}"], values[f"key_{n}"] = kind, key
    rows = db.session.execute(_current_hashes(len(wanted)), values)
    return {(kind, key): document_data(kind, key, digest) for kind, key, digest in rows}


@lru_cache(maxsize=8)
def _current_hashes(count: int) -> sa.Select:
    """The statement for ``count`` documents, built once (as costly as running it)."""
    return sa.select(ContentDocument.kind, ContentDocument.key, ContentDocument.content_hash).where(
        ContentDocument.is_current,
        sa.or_(
            *(
                sa.and_(
                    ContentDocument.kind == sa.bindparam(f"kind_{n}"),
                    ContentDocument.key == sa.bindparam(f"key_{n}"),
                )
                for n in range(count)
            )
        ),
    )


@lru_cache(maxsize=256)
def document_data(kind: str, key: str, content_hash: str) -> dict:
    """One version's data, read from the database the first time it is asked for."""
    return db.session.scalar(
        sa.select(ContentDocument.data).where(
            ContentDocument.kind == kind,
            ContentDocument.key == key,
            ContentDocument.content_hash == content_hash,
        )
    )


@dataclass(frozen=True)
class ModuleContent:
    """A module version's content as its page shows it. Shared: never change it."""

    body_html: str  # every table in a box that scrolls sideways (render.scrollable_tables)
    contents: list[Heading]  # the table of contents
    quiz: list
    task: dict


def module_content(version: ModuleVersion) -> ModuleContent:
    """The page content of a module version, made once per version and language; the version
    may be loaded with its facts only (no body, quiz or task)."""
    return _module_content(version.module_id, version.content_hash, str(get_locale()))


@lru_cache(maxsize=128)
def _module_content(module_id: str, content_hash: str, _locale: str) -> ModuleContent:
    body_html, quiz, task = db.session.execute(
        sa.select(ModuleVersion.body_html, ModuleVersion.quiz, ModuleVersion.task).where(
            ModuleVersion.module_id == module_id, ModuleVersion.content_hash == content_hash
        )
    ).one()
    return ModuleContent(
        scrollable_tables(body_html, lambda n: _("Tabelle %(n)d", n=n)),
        table_of_contents(body_html),
        quiz,
        task,
    )
