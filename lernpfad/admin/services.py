"""What the operations area reads and the one change it makes (a mail's next attempt).
Callers commit. Mail bodies are never read here: they hold password-reset links."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from lernpfad.admin import rules
from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Person, ResetRequest
from lernpfad.content.models import ContentDocument, ContentImport, ModuleVersion
from lernpfad.content.services import current_document
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs.mail import LEASE
from lernpfad.jobs.models import JobRun, OutboxMail
from lernpfad.jobs.services import jobs, last_runs, schedule_of

PAGE_SIZE = 50
IMPORTS_SHOWN = 50
SENT_WINDOW = timedelta(days=7)
MAIL_JOB_ALLOWED_DELAY = timedelta(minutes=15)  # send-mail runs every minute from cron

UNSENT = OutboxMail.sent_at.is_(None)
STATE_FILTERS = {
    "open": UNSENT,
    "waiting": sa.and_(UNSENT, OutboxMail.attempts == 0),
    "failed": sa.and_(UNSENT, OutboxMail.attempts > 0),
    "sent": OutboxMail.sent_at.is_not(None),
}


def _count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


@dataclass(frozen=True)
class MailCounts:
    waiting: int
    failed: int
    sent_recently: int  # within SENT_WINDOW
    last_sent_at: datetime | None
    oldest_due_at: datetime | None
    job_late: bool  # a mail has been due for longer than MAIL_JOB_ALLOWED_DELAY


def mail_counts(now: datetime | None = None) -> MailCounts:
    """The outbox in numbers, and whether the mail job seems to lag behind."""
    now = now or utcnow()
    waiting = _count(sa.select(OutboxMail.id).where(STATE_FILTERS["waiting"]))
    failed = _count(sa.select(OutboxMail.id).where(STATE_FILTERS["failed"]))
    sent_recently = _count(sa.select(OutboxMail.id).where(OutboxMail.sent_at >= now - SENT_WINDOW))
    last_sent_at = db.session.scalar(sa.select(sa.func.max(OutboxMail.sent_at)))
    oldest_due_at = db.session.scalar(
        sa.select(OutboxMail.next_attempt_at)
        .where(UNSENT, OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.next_attempt_at)
        .limit(1)
    )
    return MailCounts(
        waiting=waiting,
        failed=failed,
        sent_recently=sent_recently,
        last_sent_at=last_sent_at,
        oldest_due_at=oldest_due_at,
        job_late=rules.mail_job_late(oldest_due_at, now, MAIL_JOB_ALLOWED_DELAY),
    )


@dataclass(frozen=True)
class Overview:
    mails: MailCounts
    resets_pending: int
    latest_import: ContentImport | None
    modules_current: int
    people_active: int
    people_inactive: int
    last_job_at: datetime | None
    jobs_failed: int


def overview(now: datetime | None = None) -> Overview:
    """The figures of the operations start page."""
    people = dict(
        db.session.execute(sa.select(Person.active, sa.func.count()).group_by(Person.active)).all()
    )
    return Overview(
        mails=mail_counts(now),
        resets_pending=_count(sa.select(ResetRequest.id).where(ResetRequest.status == "pending")),
        latest_import=db.session.scalar(
            sa.select(ContentImport)
            .order_by(ContentImport.imported_at.desc(), ContentImport.id.desc())
            .limit(1)
        ),
        modules_current=_count(sa.select(ModuleVersion.id).where(ModuleVersion.is_current)),
        people_active=people.get(True, 0),
        people_inactive=people.get(False, 0),
        last_job_at=db.session.scalar(sa.select(sa.func.max(JobRun.started_at))),
        jobs_failed=sum(1 for run in last_runs().values() if run.status == "failed"),
    )


@dataclass(frozen=True)
class JobRow:
    """One scheduled job as the operations page shows it."""

    id: str
    label: object
    schedule: str
    next_run: datetime | None
    last: JobRun | None


def job_rows(now: datetime | None = None) -> list[JobRow]:
    """Every job with its schedule, next run (company time zone) and latest run."""
    from zoneinfo import ZoneInfo

    from apscheduler.triggers.cron import CronTrigger
    from flask import current_app

    now = now or utcnow()
    timezone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    latest = last_runs()
    rows = []
    for job in jobs().values():
        schedule = schedule_of(job)
        trigger = CronTrigger.from_crontab(schedule, timezone=timezone)
        rows.append(
            JobRow(
                job.id,
                job.label,
                schedule,
                trigger.get_next_fire_time(None, now),
                latest.get(job.id),
            )
        )
    return rows


def recent_runs(limit: int = 30) -> list[JobRun]:
    return list(db.session.scalars(sa.select(JobRun).order_by(JobRun.id.desc()).limit(limit)))


@dataclass(frozen=True)
class MailRow:
    """One outbox mail as the page shows it: no body."""

    id: int
    recipient: str
    subject: str
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None
    state: str  # rules.mail_state
    retry: str  # rules.retry_state


@dataclass(frozen=True)
class OutboxPage:
    mails: list[MailRow]
    total: int
    page: int
    pages: int


def outbox_page(
    state: str, page: int = 1, *, per_page: int = PAGE_SIZE, now: datetime | None = None
) -> OutboxPage:
    """One page of the outbox in ``state`` (open, waiting, failed, sent), newest first.
    A page beyond the last shows the last one."""
    now = now or utcnow()
    query = sa.select(
        OutboxMail.id,
        OutboxMail.recipient,
        OutboxMail.subject,
        OutboxMail.created_at,
        OutboxMail.attempts,
        OutboxMail.next_attempt_at,
        OutboxMail.last_error,
        OutboxMail.sent_at,
    ).where(STATE_FILTERS[state])
    total = _count(query)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        query.order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    mails = [
        MailRow(
            *row,
            state=rules.mail_state(row.sent_at, row.attempts),
            retry=rules.retry_state(row.sent_at, row.next_attempt_at, now, LEASE),
        )
        for row in rows
    ]
    return OutboxPage(mails, total, page, pages)


def _move_to_now(condition, now: datetime) -> int:
    """Set the next attempt of the matching, unsent mails that are not due within the lease
    (see rules.retry_state) to now; returns how many. Sends nothing."""
    return db.session.execute(
        sa.update(OutboxMail)
        .where(condition, UNSENT, OutboxMail.next_attempt_at > now + LEASE)
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount


def retry_mail(mail_id: int, *, actor: Person, now: datetime | None = None) -> str | None:
    """ "Retry now" for one mail: "reset" when its next attempt was moved to now (audited),
    otherwise its rules.retry_state (sent, due, soon); None for an unknown mail. The mail itself
    goes out with the next run of send-mail, never inside the request."""
    now = now or utcnow()
    row = db.session.execute(
        sa.select(OutboxMail.sent_at, OutboxMail.next_attempt_at).where(OutboxMail.id == mail_id)
    ).first()
    if row is None:
        return None
    state = rules.retry_state(row.sent_at, row.next_attempt_at, now, LEASE)
    if state != "retryable":
        return state
    if not _move_to_now(OutboxMail.id == mail_id, now):
        return "due"  # someone else moved it a moment ago
    record_audit(actor=actor, action="outbox.retry", mail_id=mail_id)
    return "reset"


def retry_failed(*, actor: Person, now: datetime | None = None) -> int:
    """ "Retry now" for every failed mail that waits for a later attempt; audited once with the
    number moved. Returns that number."""
    now = now or utcnow()
    moved = _move_to_now(OutboxMail.attempts > 0, now)
    if moved:
        record_audit(actor=actor, action="outbox.retry_failed", mails=moved)
    return moved


@dataclass(frozen=True)
class ModuleRow:
    module_id: str
    title: str
    dimension: str
    level: int
    content_hash: str
    source: str
    imported_at: datetime


@dataclass(frozen=True)
class DocumentRow:
    kind: str
    key: str
    content_hash: str
    source: str
    imported_at: datetime


@dataclass(frozen=True)
class ImportRow:
    imported_at: datetime
    tree_hash: str
    changed: list[str]
    unchanged: int


@dataclass(frozen=True)
class ContentVersions:
    modules: list[ModuleRow]
    documents: list[DocumentRow]
    imports: list[ImportRow]  # newest first, at most IMPORTS_SHOWN
    imports_total: int


def _rows(row_type, query) -> list:
    """The query's rows as ``row_type`` (its fields in the order of the selected columns)."""
    return [row_type(*row) for row in db.session.execute(query)]


def content_versions(dimension_order: list[str]) -> ContentVersions:
    """The content in use (each module's and data file's current version) and the import
    history. Modules are ordered by dimension (as in the competency model), level, id."""
    modules = _rows(
        ModuleRow,
        sa.select(
            ModuleVersion.module_id,
            ModuleVersion.title,
            ModuleVersion.dimension,
            ModuleVersion.level,
            ModuleVersion.content_hash,
            ModuleVersion.source,
            ModuleVersion.imported_at,
        ).where(ModuleVersion.is_current),
    )
    position = {key: index for index, key in enumerate(dimension_order)}
    modules.sort(key=lambda m: (position.get(m.dimension, len(position)), m.level, m.module_id))
    documents = _rows(
        DocumentRow,
        sa.select(
            ContentDocument.kind,
            ContentDocument.key,
            ContentDocument.content_hash,
            ContentDocument.source,
            ContentDocument.imported_at,
        )
        .where(ContentDocument.is_current)
        .order_by(ContentDocument.source),
    )
    imports = [
        ImportRow(
            imported_at=record.imported_at,
            tree_hash=record.tree_hash,
            changed=list((record.summary or {}).get("changed") or []),
            unchanged=int((record.summary or {}).get("unchanged") or 0),
        )
        for record in db.session.scalars(
            sa.select(ContentImport)
            .order_by(ContentImport.imported_at.desc(), ContentImport.id.desc())
            .limit(IMPORTS_SHOWN)
        )
    ]
    return ContentVersions(modules, documents, imports, _count(sa.select(ContentImport.id)))


@dataclass(frozen=True)
class ReadabilityRow:
    module_id: str
    title: str
    audience: str | None  # the role whose path sets the minimum; None: every other module
    flesch: float | None  # None: not measured (imported without content/readability.yaml)
    wstf: float | None
    minimum: float | None

    @property
    def ok(self) -> bool | None:
        """Whether the module reaches its minimum; None when there is nothing to compare."""
        if self.flesch is None or self.minimum is None:
            return None
        return self.flesch >= self.minimum


def readability_rows() -> list[ReadabilityRow]:
    """The readability figures of every module in use as measured at its import, lowest
    Flesch first; a module whose version was not measured comes last, without figures."""
    document = current_document("readability")
    figures = (document.data or {}).get("modules", {}) if document is not None else {}
    rows = []
    for module_id, title, content_hash in db.session.execute(
        sa.select(ModuleVersion.module_id, ModuleVersion.title, ModuleVersion.content_hash).where(
            ModuleVersion.is_current
        )
    ):
        measured = figures.get(module_id)
        if measured is None or measured.get("content_hash") != content_hash:
            rows.append(ReadabilityRow(module_id, title, None, None, None, None))
            continue
        rows.append(
            ReadabilityRow(
                module_id,
                title,
                measured["audience"],
                measured["flesch"],
                measured["wstf"],
                measured["minimum"],
            )
        )
    rows.sort(key=lambda r: (r.flesch is None, r.flesch or 0.0, r.module_id))
    return rows
