"""Imported content, versioned by the SHA-256 of its source file."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lernpfad.db import utcnow
from lernpfad.extensions import db


class ContentImport(db.Model):
    """One successful `content sync`: what it added or changed (the content's change log)."""

    __tablename__ = "content_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    tree_hash: Mapped[str] = mapped_column(sa.String(64))
    summary: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class ContentDocument(db.Model):
    """A version of a data file: the competency model, an assessment, a path, the exam pool."""

    __tablename__ = "content_documents"
    __table_args__ = (sa.UniqueConstraint("kind", "key", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    key: Mapped[str] = mapped_column(sa.String(80))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.String(200))
    data: Mapped[dict] = mapped_column(sa.JSON)
    is_current: Mapped[bool] = mapped_column(default=True, index=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


def summary_text(meta: dict) -> str:
    """What a module version stores as its summary: the `kurz:` sentences one a line, or the
    older `summary:` text for a file without `kurz:`."""
    return (
        "\n".join(" ".join(s.split()) for s in meta["kurz"])
        if meta.get("kurz")
        else meta["summary"]
    )


def summary_lines(summary: str) -> list[str]:
    """The sentences of the „Das Wichtigste in Kürze“ box; the first one stands for the
    module where a list shows one line per module (the learning path)."""
    return [line for line in summary.split("\n") if line.strip()]


class ModuleVersion(db.Model):
    """A version of a learning module, rendered to safe HTML at import."""

    __tablename__ = "module_versions"
    __table_args__ = (sa.UniqueConstraint("module_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[str] = mapped_column(sa.String(80), index=True)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(200))
    # "Das Wichtigste in Kürze": the sentences of the module's `kurz:`, one a line (versions
    # imported before `kurz:` existed hold their `summary:` text). See summary_lines().
    summary: Mapped[str] = mapped_column(sa.Text)
    dimension: Mapped[str] = mapped_column(sa.String(40))
    level: Mapped[int]
    roles: Mapped[list] = mapped_column(sa.JSON)
    duration: Mapped[int]
    prerequisites: Mapped[list] = mapped_column(sa.JSON)
    # "pflicht: true": never skipped as "bereits beherrscht" (AI policy, data protection, AI Act).
    mandatory: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    body_html: Mapped[str] = mapped_column(sa.Text)
    quiz: Mapped[list] = mapped_column(sa.JSON)
    task: Mapped[dict] = mapped_column(sa.JSON)
    is_current: Mapped[bool] = mapped_column(default=True, index=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def summary_box(self) -> list[str]:
        """The sentences of „Das Wichtigste in Kürze“."""
        return summary_lines(self.summary)
