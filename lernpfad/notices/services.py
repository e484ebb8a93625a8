"""Notices (create, count, list, mark read) and reminder preferences, with the signed links
that switch a reminder off without logging in. Callers commit."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, url_for
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.routing import BuildError

from lernpfad.auth.models import Person
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs.rules import DIGEST, REMINDERS
from lernpfad.notices.models import Notice, NotificationPreference
from lernpfad.notices.texts import notice_text

PER_PAGE = 30


def notify(
    person: Person,
    kind: str,
    params: dict | None = None,
    *,
    link: str | None = None,
    link_args: dict | None = None,
    at: datetime | None = None,
) -> Notice:
    """A notice for ``person``: its kind, what the text needs (``params``, JSON) and where it
    leads (an endpoint with its arguments). Flushed."""
    notice = Notice(
        person_id=person.id,
        kind=str(kind),
        params=dict(params or {}),
        link_endpoint=link,
        link_args=dict(link_args or {}),
        created_at=at or utcnow(),
    )
    db.session.add(notice)
    db.session.flush()
    return notice


# Built once: the bell is on every page, and building the statement cost as much as running it.
_UNREAD = (
    sa.select(sa.func.count())
    .select_from(Notice)
    .where(Notice.person_id == sa.bindparam("person_id"), Notice.read_at.is_(None))
)


def unread_count(person: Person) -> int:
    """One COUNT over the (person_id, read_at) index: the number on the bell."""
    return db.session.scalar(_UNREAD, {"person_id": person.id})


@dataclass(frozen=True)
class NoticeView:
    id: int
    text: str
    url: str | None
    created_at: datetime
    unread: bool


@dataclass(frozen=True)
class NoticePage:
    items: list[NoticeView]
    page: int
    pages: int
    total: int


def link_of(notice: Notice) -> str | None:
    """The notice's address in this app, or None (nowhere to go, or a page this build lacks)."""
    if not notice.link_endpoint or notice.link_endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(notice.link_endpoint, **(notice.link_args or {}))
    except BuildError:
        return None


def notices_page(person: Person, page: int, per_page: int = PER_PAGE) -> NoticePage:
    """The person's own notices, newest first, one page of them, texts in the reader's language."""
    mine = Notice.person_id == person.id
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Notice).where(mine))
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = db.session.scalars(
        sa.select(Notice)
        .where(mine)
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    items = [
        NoticeView(
            row.id, notice_text(row.kind, row.params), link_of(row), row.created_at, not row.read_at
        )
        for row in rows
    ]
    return NoticePage(items, page, pages, total)


def mark_read(person: Person, notice_ids: list[int], now: datetime | None = None) -> int:
    """Mark these of the person's notices read (the ones a page showed); returns how many."""
    if not notice_ids:
        return 0
    changed = db.session.execute(
        sa.update(Notice)
        .where(
            Notice.person_id == person.id,
            Notice.id.in_(notice_ids),
            Notice.read_at.is_(None),
        )
        .values(read_at=now or utcnow())
    ).rowcount
    db.session.flush()
    return changed


# ---------------------------------------------------------------------------------------------
# Preferences

CATEGORIES = (REMINDERS, DIGEST)


def preference_of(person: Person) -> NotificationPreference:
    """The person's preferences; without a stored row both are on (an unsaved default)."""
    found = db.session.get(NotificationPreference, person.id)
    return found or NotificationPreference(person_id=person.id, reminders=True, digest=True)


def preferences_by_person() -> dict[int, tuple[bool, bool]]:
    """person id → (reminders, digest) for everyone who changed them (everyone else: both on)."""
    return {
        pid: (reminders, digest)
        for pid, reminders, digest in db.session.execute(
            sa.select(
                NotificationPreference.person_id,
                NotificationPreference.reminders,
                NotificationPreference.digest,
            )
        )
    }


def set_preferences(person: Person, **changes: bool) -> NotificationPreference:
    """Store the person's choice (``reminders=…``, ``digest=…``; others stay). Flushed."""
    if not set(changes) <= set(CATEGORIES):
        raise ValueError(sorted(set(changes) - set(CATEGORIES)))
    preference = db.session.get(NotificationPreference, person.id)
    if preference is None:
        preference = NotificationPreference(person_id=person.id, reminders=True, digest=True)
        db.session.add(preference)
    for category, value in changes.items():
        setattr(preference, category, bool(value))
    preference.updated_at = utcnow()
    db.session.flush()
    return preference


# One-click unsubscribe: a signed person id, one salt per category, so that a link that switches
# off the digest cannot switch off anything else.
UNSUBSCRIBE_MAX_AGE_DAYS = 365


def _serializer(category: str) -> URLSafeTimedSerializer:
    if category not in CATEGORIES:
        raise ValueError(category)
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"lernpfad.unsubscribe.{category}"
    )


def unsubscribe_token(person: Person, category: str) -> str:
    return _serializer(category).dumps({"p": person.id})


# The unsubscribe address names what it switches off, in German.
CATEGORY_SLUGS = {"erinnerungen": REMINDERS, "wochenuebersicht": DIGEST}


def unsubscribe_url(person: Person, category: str) -> str:
    """The absolute one-click link (from BASE_URL) that switches ``category`` off for ``person``."""
    from lernpfad.core.links import external_url

    slug = next(s for s, c in CATEGORY_SLUGS.items() if c == category)
    return external_url("notices.unsubscribe", slug=slug, token=unsubscribe_token(person, category))


def person_for_token(category: str, token: str) -> Person | None:
    """The person a link of this category was made for; None when it is forged, of another
    category, older than a year or its person is gone."""
    try:
        data = _serializer(category).loads(token, max_age=UNSUBSCRIBE_MAX_AGE_DAYS * 24 * 3600)
    except (BadData, ValueError):
        return None
    person_id = data.get("p") if isinstance(data, dict) else None
    if not isinstance(person_id, int) or isinstance(person_id, bool):
        return None
    return db.session.get(Person, person_id)
