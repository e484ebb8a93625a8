"""Account rules: authentication with throttling, one-time links, passwords. Callers commit."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lernpfad.auth import rules
from lernpfad.auth.models import AccountToken, LoginFailure, Person, ResetRequest, TokenPurpose
from lernpfad.auth.passwords import hash_password, needs_rehash, verify_password
from lernpfad.auth.rules import ThrottlePolicy
from lernpfad.db import utcnow
from lernpfad.extensions import db


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


# Every page asks for the person and their roles: one statement, built once.
_SIGNED_IN = (
    sa.select(Person).options(joinedload(Person.role_rows)).where(Person.id == sa.bindparam("id"))
)


def load_user(user_id: str) -> Person | None:
    """Flask-Login loader: the cookie holds ``id:session_token``; a stale token loads nobody."""
    person_id, _, token = (user_id or "").partition(":")
    if not (person_id.isascii() and person_id.isdecimal() and len(person_id) <= 9) or not token:
        return None
    person = db.session.execute(_SIGNED_IN, {"id": int(person_id)}).unique().scalar()
    if person is None or not hmac.compare_digest(person.session_token, token):
        return None
    return person


def find_person_by_email(email: str) -> Person | None:
    return db.session.scalar(sa.select(Person).where(Person.email == normalise_email(email)))


@dataclass(frozen=True)
class LoginResult:
    person: Person | None = None
    wait: timedelta = timedelta(0)  # > 0: this client must wait before trying again


def authenticate(
    email: str,
    password: str,
    *,
    client: str,
    trusted: bool,
    policy: ThrottlePolicy,
    now: datetime | None = None,
) -> LoginResult:
    """Check a login; the same answer for unknown accounts and wrong passwords.

    ``client`` is the device id of a browser that signed in to this account before (``trusted``)
    or the client's address; rules.login_wait decides whether it must wait first. A waiting
    client's attempt is not checked at all (no password hashing spent on it).

    The password hashing (and a rehash with today's parameters) happens before anything is
    written: on SQLite the write lock is taken only for the one short write at the end, so
    concurrent logins never wait for another login's hashing."""
    now = now or utcnow()
    email = normalise_email(email)
    recent = db.session.execute(
        sa.select(LoginFailure.at, LoginFailure.client, LoginFailure.trusted).where(
            LoginFailure.email == email, LoginFailure.at > now - policy.window
        )
    ).all()
    wait = rules.login_wait(
        now,
        client_failures=[at for at, who, _trusted in recent if who == client],
        untrusted_failures=[at for at, _who, was_trusted in recent if not was_trusted],
        trusted=trusted,
        policy=policy,
    )
    if wait:
        return LoginResult(wait=wait)
    person = find_person_by_email(email)
    ok = verify_password(person.password_hash if person else None, password)
    if not ok or person is None or not person.active:
        db.session.add(LoginFailure(email=email, client=client[:64], trusted=trusted, at=now))
        db.session.flush()
        return LoginResult()
    new_hash = hash_password(password) if needs_rehash(person.password_hash) else None
    # The owner is in: every client starts afresh (older failures go with the retention job).
    # Without failures nothing is deleted: the login's only write is the one UPDATE below.
    if recent:
        db.session.execute(sa.delete(LoginFailure).where(LoginFailure.email == email))
    if new_hash is not None:
        person.password_hash = new_hash
    person.last_login_at = now  # one UPDATE, together with a new hash
    db.session.flush()
    return LoginResult(person=person)


def _digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def issue_token(person: Person, purpose: TokenPurpose, valid_for: timedelta) -> str:
    """Create a one-time link token for ``person``; earlier unused tokens of that purpose die."""
    now = utcnow()
    db.session.execute(
        sa.update(AccountToken)
        .where(
            AccountToken.person_id == person.id,
            AccountToken.purpose == purpose.value,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    raw = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            person_id=person.id,
            purpose=purpose.value,
            token_hash=_digest(raw),
            expires_at=now + valid_for,
        )
    )
    db.session.flush()
    return raw


def valid_token(raw_token: str, now: datetime | None = None) -> AccountToken | None:
    """The unused, unexpired token for this raw value, or None."""
    now = now or utcnow()
    token = db.session.scalar(
        sa.select(AccountToken).where(AccountToken.token_hash == _digest(raw_token or ""))
    )
    if token is None or token.used_at is not None or token.expires_at <= now:
        return None
    if not token.person.active:
        return None
    return token


def set_password(person: Person, password: str) -> None:
    """Store a new password hash and end every session of the person."""
    person.password_hash = hash_password(password)
    person.end_all_sessions()
    db.session.flush()


def redeem_token(token: AccountToken, password: str) -> Person:
    """Use a one-time link: set the password and mark the token used."""
    token.used_at = utcnow()
    set_password(token.person, password)
    return token.person


def request_password_reset(
    email: str, client: str, *, per_address: int, per_client: int, window: timedelta, now=None
) -> bool:
    """Note a "forgot password" request; the mail job sends the link (process_reset_requests).

    The same single row for known and unknown addresses, so neither the answer nor its timing
    tells them apart. False when this client has asked ``per_client`` times within ``window``
    (the caller answers 429); beyond ``per_address`` requests for one address the row is kept
    as "limited" and no further mail goes out, so nobody can flood a colleague's inbox."""
    now = now or utcnow()
    since = now - window
    by_client = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ResetRequest)
        .where(ResetRequest.client == client, ResetRequest.requested_at > since)
    )
    if by_client >= per_client:
        return False
    email = normalise_email(email)
    by_address = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ResetRequest)
        .where(ResetRequest.email == email, ResetRequest.requested_at > since)
    )
    db.session.add(
        ResetRequest(
            email=email,
            client=client[:64],
            requested_at=now,
            status="limited" if by_address >= per_address else "pending",
        )
    )
    db.session.flush()
    return True


RESET_REQUEST_RETENTION = timedelta(days=1)


def process_reset_requests(*, valid_hours: int, now=None) -> int:
    """Outside any web request: a reset mail for each pending request of an active account;
    requests older than a day are forgotten. Returns the number of mails queued."""
    from flask import current_app
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from lernpfad.core.links import external_url
    from lernpfad.jobs.mail import queue_mail
    from lernpfad.sso.services import password_login_allowed

    now = now or utcnow()
    db.session.execute(
        sa.delete(ResetRequest).where(ResetRequest.requested_at < now - RESET_REQUEST_RETENTION)
    )
    pending = db.session.scalars(
        sa.select(ResetRequest).where(ResetRequest.status == "pending").order_by(ResetRequest.id)
    ).all()
    queued = 0
    done: set[str] = set()
    for item in pending:
        person = find_person_by_email(item.email)
        if person is None or not person.active:
            item.status = "unknown"
            continue
        if not password_login_allowed(person, current_app.config):  # signs in with SSO only
            item.status = "sso"
            continue
        if item.email in done:  # two requests in one run: one link is enough
            item.status = "sent"
            continue
        token = issue_token(person, TokenPurpose.RESET, timedelta(hours=valid_hours))
        with force_locale(person.locale or "de"):
            queue_mail(
                to=person.email,
                subject=_("Lernpfad: Passwort zurücksetzen"),
                body=_(
                    "Guten Tag %(name)s,\n\nüber diesen Link können Sie ein neues Passwort setzen (gültig für %(hours)d Stunden):\n%(link)s\n\nWenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht.",
                    name=person.name,
                    hours=valid_hours,
                    link=external_url("auth.set_password", token=token),
                ),
            )
        item.status = "sent"
        done.add(item.email)
        queued += 1
    db.session.flush()
    return queued
