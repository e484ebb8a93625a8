"""xAPI statements from the stored learning events: pseudonyms, exports, the LRS outbox.

Statements are built from the rows (xapi.rules), never stored as the source of truth: an
export covers the whole history, and the outbox only holds what still has to go to the LRS
(plus, for a while, what went, so that a re-scan cannot send it twice — the statement id is
unique). The outbox is filled by the scheduler's job scanning for new events (``enqueue_new``)
and delivered by the same job (``deliver_statements``), never inside a web request.

Anonymised people are left out of everything here; anonymising deletes their pseudonym and
their rows of the outbox (``forget_person``). Services flush; callers commit (delivery commits
per statement, as the mail outbox does).
"""

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
import sqlalchemy as sa
from flask import current_app

from lernpfad.auth.models import ANONYMOUS_DOMAIN, Person
from lernpfad.certification.exam.rules import SUBMIT_GRACE
from lernpfad.certification.models import Certificate, ExamAttempt
from lernpfad.content.models import ModuleVersion
from lernpfad.db import utcnow
from lernpfad.extensions import db
from lernpfad.jobs.mail import LEASE, claim_due, retry_delay
from lernpfad.modules.models import ModuleProgress, QuizAttempt, Submission
from lernpfad.xapi import rules
from lernpfad.xapi.models import XapiActor, XapiScan, XapiStatement

BATCH = 1000  # rows read at once, by id: memory stays flat for a company of any size
OVERLAP = timedelta(hours=1)  # a scan looks back this far: a transaction committed late is seen
KEEP_SENT = timedelta(days=90)  # sent statements stay this long as the ledger, then go

TIMEOUT = 10  # seconds per request to the LRS; only ever spent outside web requests
SCAN_ID = 1

NOT_ANONYMISED = ~Person.email.endswith(ANONYMOUS_DOMAIN)


def configured() -> bool:
    return bool(current_app.config.get("XAPI_ENDPOINT"))


# ---------------------------------------------------------------------------------------------
# Pseudonyms


def actor_names(person_ids) -> dict[int, str]:
    """Every person's pseudonym, made (random, 128 bits) for those who have none yet. Flushes."""
    wanted = sorted(set(person_ids))
    names: dict[int, str] = {}
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        names.update(
            db.session.execute(
                sa.select(XapiActor.person_id, XapiActor.name).where(XapiActor.person_id.in_(chunk))
            ).all()
        )
    missing = [person_id for person_id in wanted if person_id not in names]
    for person_id in missing:
        names[person_id] = secrets.token_hex(16)
        db.session.add(XapiActor(person_id=person_id, name=names[person_id]))
    if missing:
        db.session.flush()
    return names


def ensure_all_actors() -> int:
    """A pseudonym for every person who is not anonymised, before a company export streams
    (the stream itself writes nothing). Flushes; returns how many were made."""
    made = 0
    last = 0
    while True:
        ids = db.session.scalars(
            sa.select(Person.id)
            .outerjoin(XapiActor, XapiActor.person_id == Person.id)
            .where(XapiActor.id.is_(None), NOT_ANONYMISED, Person.id > last)
            .order_by(Person.id)
            .limit(BATCH)
        ).all()
        if not ids:
            return made
        actor_names(ids)
        made += len(ids)
        last = ids[-1]


# ---------------------------------------------------------------------------------------------
# Learning events from the rows


@dataclass(frozen=True)
class Source:
    """One kind of row: its query (with the row id first), the times that make it new for the
    scan, and how a row becomes events."""

    name: str
    query: sa.Select
    id_column: sa.ColumnElement
    person_column: sa.ColumnElement
    times: tuple  # (column, ...) any of which at or after ``since`` makes the row new


def _sources() -> list[Source]:
    module = ModuleVersion
    return [
        Source(
            rules.MODULE,
            sa.select(
                ModuleProgress.id,
                ModuleProgress.person_id,
                ModuleProgress.module_id,
                module.title,
                module.content_hash,
                ModuleProgress.started_at,
                ModuleProgress.completed_at,
            ).join(module, module.id == ModuleProgress.version_id),
            ModuleProgress.id,
            ModuleProgress.person_id,
            (ModuleProgress.started_at, ModuleProgress.completed_at),
        ),
        Source(
            rules.QUIZ,
            sa.select(
                QuizAttempt.id,
                QuizAttempt.person_id,
                QuizAttempt.module_id,
                module.title,
                module.content_hash,
                QuizAttempt.correct,
                QuizAttempt.total,
                QuizAttempt.passed,
                QuizAttempt.at,
            ).join(module, module.id == QuizAttempt.version_id),
            QuizAttempt.id,
            QuizAttempt.person_id,
            (QuizAttempt.at,),
        ),
        Source(
            rules.TASK,
            sa.select(
                Submission.id,
                Submission.person_id,
                Submission.module_id,
                module.title,
                module.content_hash,
                Submission.status,
                Submission.created_at,
                Submission.reviewed_at,
            ).join(module, module.id == Submission.version_id),
            Submission.id,
            Submission.person_id,
            (Submission.created_at, Submission.reviewed_at),
        ),
        Source(
            rules.EXAM,
            sa.select(
                ExamAttempt.id,
                ExamAttempt.person_id,
                ExamAttempt.pool_hash,
                ExamAttempt.started_at,
                ExamAttempt.deadline,
                ExamAttempt.submitted_at,
                ExamAttempt.correct,
                ExamAttempt.total,
                ExamAttempt.passed,
                ExamAttempt.question_ids,
            ),
            ExamAttempt.id,
            ExamAttempt.person_id,
            # the deadline: an attempt never handed in fails when its time (and grace) ran out
            (ExamAttempt.started_at, ExamAttempt.submitted_at, ExamAttempt.deadline),
        ),
        Source(
            rules.CERTIFICATE,
            sa.select(
                Certificate.id, Certificate.person_id, Certificate.title, Certificate.issued_at
            ),
            Certificate.id,
            Certificate.person_id,
            (Certificate.issued_at,),
        ),
    ]


def _certification() -> tuple[str, str]:
    """The certification's id and title (content/certification/champion.yaml)."""
    from lernpfad.certification.services import requirements

    data = requirements()
    return str(data.get("id") or "ki-champion"), str(data.get("title") or "KI-Champion")


def _events(source: str, row, now: datetime, certification: tuple[str, str]) -> list:
    if source == rules.MODULE:
        return rules.module_events(*row)
    if source == rules.QUIZ:
        return [rules.quiz_event(*row)]
    if source == rules.TASK:
        return rules.task_events(*row)
    if source == rules.EXAM:
        key, title = certification
        return rules.exam_events(
            row.id,
            row.person_id,
            key,
            title,
            row.pool_hash,
            started_at=row.started_at,
            deadline=row.deadline,
            submitted_at=row.submitted_at,
            correct=row.correct,
            total=row.total,
            passed=row.passed,
            questions=len(row.question_ids or ()),
            now=now,
            grace=SUBMIT_GRACE,
        )
    key, _title = certification
    return [rules.certificate_event(row.id, row.person_id, key, row.title, row.issued_at)]


def events(
    *, person_id: int | None = None, since: datetime | None = None, now: datetime | None = None
) -> Iterator[list]:
    """The learning events of one person or of everyone (never of anonymised people), in
    batches, kind by kind and in row order; with ``since``, only rows with something new at or
    after it (the exam's deadline counts from the grace before it)."""
    now = now or utcnow()
    certification = _certification()
    for source in _sources():
        query = source.query.join(Person, Person.id == source.person_column).where(NOT_ANONYMISED)
        if person_id is not None:
            query = query.where(source.person_column == person_id)
        if since is not None:
            start = since - SUBMIT_GRACE if source.name == rules.EXAM else since
            query = query.where(sa.or_(*(column >= start for column in source.times)))
        last = 0
        while True:
            rows = db.session.execute(
                query.where(source.id_column > last).order_by(source.id_column).limit(BATCH)
            ).all()
            if not rows:
                break
            found = []
            for row in rows:
                found.extend(_events(source.name, row, now, certification))
            yield found
            last = rows[-1][0]


@dataclass(frozen=True)
class Builder:
    base_url: str

    @property
    def ns(self):
        return rules.namespace(self.base_url)

    def build(self, event: rules.Event, names: dict[int, str]) -> dict:
        return rules.statement(
            event, base_url=self.base_url, actor_name=names[event.person_id], ns=self.ns
        )


def _builder() -> Builder:
    return Builder(current_app.config["BASE_URL"])


def statements_of(person: Person, now: datetime | None = None) -> list[dict]:
    """Every statement about ``person`` (none once anonymised), oldest first. Flushes (the
    person's pseudonym is made on first use)."""
    if person.anonymised:
        return []
    names = actor_names([person.id])
    builder = _builder()
    found = [
        builder.build(event, names)
        for batch in events(person_id=person.id, now=now)
        for event in batch
    ]
    return sorted(found, key=lambda statement: (statement["timestamp"], statement["id"]))


def company_statements(now: datetime | None = None) -> Iterator[dict]:
    """Every statement of the company, read in batches (ensure_all_actors first)."""
    builder = _builder()
    names = dict(db.session.execute(sa.select(XapiActor.person_id, XapiActor.name)).all())
    for batch in events(now=now):
        for event in batch:
            if event.person_id in names:
                yield builder.build(event, names)


# ---------------------------------------------------------------------------------------------
# The outbox


def _insert_new(rows: list[dict]) -> int:
    """Insert outbox rows, leaving out statement ids already there (sent or not)."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    inserted = db.session.scalars(
        insert(XapiStatement)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["statement_id"])
        .returning(XapiStatement.id)  # rowcount of a multi-row insert is not reliable on psycopg
    ).all()
    return len(inserted)


def enqueue(event_batches, now: datetime) -> int:
    """Put the statements of these events into the outbox (once per statement id). Flushes."""
    builder = _builder()
    queued = 0
    for batch in event_batches:
        names = actor_names(event.person_id for event in batch)
        rows = [
            {
                "statement_id": statement["id"],
                "person_id": event.person_id,
                "source": event.source,
                "verb": event.verb,
                "payload": statement,
                "created_at": now,
                "next_attempt_at": now,
                "attempts": 0,
            }
            for event in batch
            for statement in [builder.build(event, names)]
        ]
        for start in range(0, len(rows), 200):
            queued += _insert_new(rows[start : start + 200])
    db.session.flush()
    return queued


def enqueue_new(now: datetime | None = None) -> int:
    """The scan: statements of events since the last scan (with OVERLAP), or of the whole
    history on the first one, into the outbox. Flushes; returns how many were new."""
    now = now or utcnow()
    scan = db.session.get(XapiScan, SCAN_ID)
    since = scan.scanned_until - OVERLAP if scan is not None else None
    queued = enqueue(events(since=since, now=now), now)
    if scan is None:
        db.session.add(XapiScan(id=SCAN_ID, scanned_until=now))
    else:
        scan.scanned_until = max(scan.scanned_until, now)
    db.session.flush()
    return queued


def _claim(row_id: int, now: datetime) -> bool:
    """Take one due statement for sending; of several senders at once one wins. Commits."""
    return claim_due(XapiStatement, row_id, now)


def _failed(row: XapiStatement, error: str, now: datetime) -> None:
    error = rules.without_secrets(error, current_app.config.get("XAPI_PASSWORD"))
    row.attempts += 1
    row.last_error = error[:500]
    row.next_attempt_at = now + retry_delay(row.attempts)
    current_app.logger.warning("xAPI statement %s not stored: %s", row.statement_id, error)


def _lrs_session(config) -> requests.Session:
    session = requests.Session()
    if config.get("XAPI_USERNAME"):
        session.auth = (config["XAPI_USERNAME"], config.get("XAPI_PASSWORD") or "")
    session.headers.update(
        {"X-Experience-API-Version": rules.XAPI_VERSION, "Content-Type": "application/json"}
    )
    return session


def deliver_statements(limit: int = 200, now: datetime | None = None) -> dict:
    """Send due statements to the LRS, one PUT each with its id (a retry after a lost answer is
    stored once; 409 means the LRS has it). A refused statement waits for its retry and the next
    goes on; credentials refused, an unreachable or failing LRS ends the run. Commits per
    statement. Never call this inside a web request. Without XAPI_ENDPOINT nothing is sent."""
    now = now or utcnow()
    config = current_app.config
    counts = {"sent": 0, "failed": 0}
    if not configured():
        return counts
    url = config["XAPI_ENDPOINT"].rstrip("/") + "/statements"
    due = db.session.scalars(
        sa.select(XapiStatement.id)
        .where(XapiStatement.sent_at.is_(None), XapiStatement.next_attempt_at <= now)
        .order_by(XapiStatement.id)
        .limit(limit)
    ).all()
    with _lrs_session(config) as http:
        for row_id in due:
            if not _claim(row_id, now):
                continue
            row = db.session.get(XapiStatement, row_id)
            try:
                response = http.put(
                    url,
                    params={"statementId": row.statement_id},
                    json=row.payload,
                    timeout=TIMEOUT,
                )
            except requests.RequestException as error:
                _failed(row, f"{type(error).__name__}: {error}", now)
                counts["failed"] += 1
                db.session.commit()
                break
            outcome = rules.lrs_outcome(response.status_code)
            if outcome == rules.STORED:
                row.attempts += 1
                row.sent_at = utcnow()
                row.last_error = None
                counts["sent"] += 1
                db.session.commit()
                continue
            _failed(row, f"HTTP {response.status_code}: {response.text[:300]}", now)
            counts["failed"] += 1
            db.session.commit()
            if outcome == rules.STOP:
                break
    return counts


def prune_sent(now: datetime) -> int:
    """Sent statements older than KEEP_SENT leave the ledger (long after any re-scan). Flushes."""
    return db.session.execute(
        sa.delete(XapiStatement).where(XapiStatement.sent_at < now - KEEP_SENT)
    ).rowcount


def run_outbox(now: datetime) -> dict:
    """The scheduler's job: scan for new events, send what is due, prune the ledger. Commits."""
    if not configured():
        return {"configured": 0}
    queued = enqueue_new(now)
    db.session.commit()
    counts = deliver_statements(now=now)
    pruned = prune_sent(now)
    return {"queued": queued, **counts, "pruned": pruned}


def forget_person(person: Person) -> None:
    """Anonymisation: the pseudonym and every outbox row of the person go (unsent ones are
    never sent; sent ones would tie the pseudonym to the person). Flushes."""
    db.session.execute(sa.delete(XapiStatement).where(XapiStatement.person_id == person.id))
    db.session.execute(sa.delete(XapiActor).where(XapiActor.person_id == person.id))
    db.session.flush()


# ---------------------------------------------------------------------------------------------
# The operations page


UNSENT = XapiStatement.sent_at.is_(None)
SENT_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class OutboxState:
    waiting: int
    failed: int
    sent_recently: int
    last_sent_at: datetime | None
    oldest_due_at: datetime | None
    scanned_until: datetime | None
    failures: list  # the newest failed statements: id, kind, verb, attempts, next, error


def _count(*where) -> int:
    return db.session.scalar(sa.select(sa.func.count(XapiStatement.id)).where(*where)) or 0


def outbox_state(now: datetime | None = None, shown: int = 50) -> OutboxState:
    """The xAPI outbox in numbers and its latest failures (no statement bodies)."""
    now = now or utcnow()
    scan = db.session.get(XapiScan, SCAN_ID)
    return OutboxState(
        waiting=_count(UNSENT, XapiStatement.attempts == 0),
        failed=_count(UNSENT, XapiStatement.attempts > 0),
        sent_recently=_count(XapiStatement.sent_at >= now - SENT_WINDOW),
        last_sent_at=db.session.scalar(sa.select(sa.func.max(XapiStatement.sent_at))),
        oldest_due_at=db.session.scalar(
            sa.select(sa.func.min(XapiStatement.next_attempt_at)).where(UNSENT)
        ),
        scanned_until=scan.scanned_until if scan else None,
        failures=db.session.execute(
            sa.select(
                XapiStatement.statement_id,
                XapiStatement.source,
                XapiStatement.verb,
                XapiStatement.attempts,
                XapiStatement.next_attempt_at,
                XapiStatement.last_error,
            )
            .where(UNSENT, XapiStatement.attempts > 0)
            .order_by(XapiStatement.next_attempt_at.desc(), XapiStatement.id.desc())
            .limit(shown)
        ).all(),
    )


def retry_failed(actor: Person, now: datetime | None = None) -> int:
    """An administrator asks for the failed statements to be tried at the next run (the job
    sends them, not this request). Audited; flushes; returns how many."""
    from lernpfad.audit.services import record_audit

    now = now or utcnow()
    moved = db.session.execute(
        sa.update(XapiStatement)
        .where(UNSENT, XapiStatement.attempts > 0, XapiStatement.next_attempt_at > now + LEASE)
        .values(next_attempt_at=now)
    ).rowcount
    if moved:
        record_audit(actor=actor, action="xapi.retry_failed", statements=moved)
    db.session.flush()
    return moved
