"""Writing the audit log (one chain), and checking it."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm
from flask import current_app
from sqlalchemy.orm import Session

from lernpfad.audit import rules
from lernpfad.audit.models import AuditChainHead, AuditEvent
from lernpfad.auth.models import ANONYMOUS_DOMAIN, Person
from lernpfad.db import day_end, utcnow
from lernpfad.extensions import db

HEAD_ID = 1


PENDING = "audit_pending"  # session.info: this transaction's entries, chained at commit


def record_audit(*, actor, action: str, subject=None, **details) -> AuditEvent:
    """Write an audit event (flushed; committed with the change it records). Its place in the
    chain is taken when the transaction commits (chain_pending)."""
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_id=subject.id if subject is not None else None,
        details=details,
        details_digest=rules.details_digest(details),
    )
    db.session.add(event)
    db.session.flush()
    db.session.info.setdefault(PENDING, []).append(event)
    return event


@sa.event.listens_for(Session, "before_commit")
def chain_pending(session) -> None:
    """Give this transaction's entries their places in the chain, as the last step before the
    commit: the head row is locked only for the commit's moment (PostgreSQL: row lock; SQLite:
    the write lock the transaction holds anyway), so writers never wait on a long request and
    no other lock is taken after it. A savepoint's release is not the commit: its entries wait
    for the transaction's (a savepoint rolled back later would take their places with it)."""
    if session.in_nested_transaction():
        return
    pending = [event for event in session.info.pop(PENDING, ()) if sa.inspect(event).persistent]
    if not pending:
        return
    row = session.execute(
        sa.update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .values(length=AuditChainHead.length + len(pending))
        .returning(AuditChainHead.last_hash, AuditChainHead.length),
        execution_options={"synchronize_session": False},
    ).one_or_none()
    if row is None:  # a database made without the migration (tests: create_all)
        session.add(AuditChainHead(id=HEAD_ID, length=len(pending), last_hash=rules.GENESIS))
        prev_hash, length = rules.GENESIS, len(pending)
    else:
        prev_hash, length = row[0] or rules.GENESIS, row[1]
    for position, event in enumerate(pending, start=length - len(pending) + 1):
        event.seq = position
        event.prev_hash = prev_hash
        event.hash = prev_hash = rules.event_hash(
            prev_hash,
            at=event.at,
            actor_id=event.actor_id,
            action=event.action,
            subject_id=event.subject_id,
            details_digest=event.details_digest,
        )
    session.execute(
        sa.update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(last_hash=prev_hash),
        execution_options={"synchronize_session": False},
    )
    session.flush()


def hold_chain() -> None:
    """Take the chain's head now, until the transaction ends, for a writer that decides on what
    it reads (privacy.mode.switch_mode: "is this mode already in force?"): the same writer in
    another transaction reads only after this one has committed. A write, so that it locks on
    both databases (PostgreSQL: the head's row; SQLite: the database's write lock); the entry
    this writer records is chained under the same lock at commit."""
    db.session.execute(
        sa.update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .values(length=AuditChainHead.length),
        execution_options={"synchronize_session": False},
    )


@sa.event.listens_for(Session, "after_soft_rollback")
def forget_pending(session, previous_transaction) -> None:
    """A rolled-back transaction's entries are gone. A rolled-back savepoint takes only its own
    (no longer persistent, chain_pending skips them): the transaction's earlier entries still
    take their places when it commits."""
    if previous_transaction.parent is None:
        session.info.pop(PENDING, None)


def _entries(batch: int = 2000, upto: int | None = None):
    """Every chained entry in chain order (up to place ``upto``), read in batches (the log may
    hold millions)."""
    erased = sa.select(Person.id).where(Person.email.endswith(ANONYMOUS_DOMAIN)).scalar_subquery()
    last_seq = 0
    while True:
        query = (
            sa.select(
                AuditEvent.id,
                AuditEvent.at,
                AuditEvent.actor_id,
                AuditEvent.action,
                AuditEvent.subject_id,
                AuditEvent.details,
                AuditEvent.details_digest,
                AuditEvent.prev_hash,
                AuditEvent.hash,
                AuditEvent.subject_id.in_(erased),
                AuditEvent.seq,
            )
            .where(AuditEvent.seq > last_seq)
            .order_by(AuditEvent.seq)
            .limit(batch)
        )
        if upto is not None:
            query = query.where(AuditEvent.seq <= upto)
        rows = db.session.execute(query).all()
        if not rows:
            return
        for row in rows:
            yield rules.Entry(*row[:9], subject_erased=bool(row[9]))
        last_seq = rows[-1][10]


def verify() -> tuple[rules.Break | None, int]:
    """Check the whole chain against the head: the first broken link (or None), and how many
    entries were read."""
    unchained = db.session.scalar(
        sa.select(sa.func.min(AuditEvent.id)).where(AuditEvent.seq.is_(None))
    )
    if unchained is not None:  # committed without its place: written past the app
        return rules.Break(unchained, "unchained"), 0
    head = db.session.execute(
        sa.select(AuditChainHead.length, AuditChainHead.last_hash).where(
            AuditChainHead.id == HEAD_ID
        )
    ).one_or_none()
    if head is None:
        return rules.first_break(_entries(), None, None)
    # The walk takes a while and people go on working: entries committed meanwhile stand past
    # the head read first (an entry is committed with its head), so the walk stops there.
    broken, read = rules.first_break(_entries(upto=head.length), head.length, head.last_hash)
    if broken is not None:
        return broken, read
    # An entry past the head as it is now (read after the entries) was added past the app.
    last = db.session.scalar(sa.select(sa.func.max(AuditEvent.seq)))
    length_now = db.session.scalar(
        sa.select(AuditChainHead.length).where(AuditChainHead.id == HEAD_ID)
    )
    if last is not None and last > (length_now or 0):
        return rules.Break(None, "length"), read
    return None, read


PAGE_SIZE = 50
# A person's own choice that tells about their self-assessment: the champion path is offered to
# whoever qualifies by their answers and levels, and that someone qualified stays theirs
# (paths.models.PathAssignment) — a declined offer is therefore not listed on the audit page or
# in its export. The person sees the entry under "Meine Daten"; it stays in the chain.
UNLISTED_ACTIONS = ("path.champion_declined",)


@dataclass(frozen=True)
class Filters:
    period: rules.Period
    subject: str = ""  # name or e-mail, or a part of it
    subject_id: int | None = None  # one person (a link from their record)
    actor: str = ""
    action: str = ""


@dataclass(frozen=True)
class Row:
    id: int
    at: datetime
    action: str
    details: dict
    actor_name: str | None
    actor_email: str | None
    actor_id: int | None
    subject_name: str | None
    subject_email: str | None
    subject_id: int | None
    hash: str


def _people_matching(text: str):
    from lernpfad.people.services import name_or_email_contains

    return sa.select(Person.id).where(name_or_email_contains(text))


def _rows():
    """Entries with the acting and the concerned person's name and address (a Row each)."""
    actor = sa.orm.aliased(Person)
    subject = sa.orm.aliased(Person)
    return (
        sa.select(
            AuditEvent.id,
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.details,
            actor.name,
            actor.email,
            AuditEvent.actor_id,
            subject.name,
            subject.email,
            AuditEvent.subject_id,
            AuditEvent.hash,
        )
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .outerjoin(subject, subject.id == AuditEvent.subject_id)
    )


def _select(filters: Filters):
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    query = _rows().where(
        AuditEvent.at >= day_end(filters.period.start - timedelta(days=1), zone),
        AuditEvent.at < day_end(filters.period.end, zone),
        AuditEvent.action.not_in(UNLISTED_ACTIONS),
    )
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.subject:
        query = query.where(AuditEvent.subject_id.in_(_people_matching(filters.subject)))
    if filters.subject_id is not None:
        query = query.where(AuditEvent.subject_id == filters.subject_id)
    if filters.actor:
        query = query.where(AuditEvent.actor_id.in_(_people_matching(filters.actor)))
    return query


def search(filters: Filters, before_id: int | None = None) -> tuple[list[Row], int | None]:
    """One page of entries, newest first, and the id to continue below (None: the last page)."""
    query = _select(filters)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    rows = [
        Row(*row)
        for row in db.session.execute(
            query.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE + 1)
        ).all()
    ]
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (rows[-1].id if more else None)


def rows_for_export(filters: Filters, batch: int = 2000):
    """Every entry of the filter, oldest first, read in batches (constant memory)."""
    last_id = 0
    while True:
        rows = db.session.execute(
            _select(filters).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield Row(*row)
        last_id = rows[-1][0]


def events_about(person: Person, limit: int = 500) -> list[Row]:
    """The entries that concern this person (who looked at or changed their data), newest
    first, with the acting person's name."""
    return [
        Row(*row)
        for row in db.session.execute(
            _rows()
            .where(AuditEvent.subject_id == person.id)
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        ).all()
    ]
