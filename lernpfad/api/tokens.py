"""Personal access tokens: made and revoked by administrators (audited), looked up by their
hash, and counted against the rate limit. Callers commit."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from lernpfad.api import rules
from lernpfad.api.models import ApiToken
from lernpfad.audit.services import record_audit
from lernpfad.auth.models import Person
from lernpfad.db import utcnow
from lernpfad.extensions import db


def create_token(
    *, name: str, scopes, valid_days: int, actor: Person, now: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token; returns it and its clear text, which is shown once and never stored."""
    now = now or utcnow()
    clear = rules.new_token()
    token = ApiToken(
        name=name.strip(),
        token_hash=rules.token_hash(clear),
        prefix=clear[:10],
        scopes=rules.scopes_text(scopes),
        created_at=now,
        created_by_id=actor.id,
        expires_at=now + timedelta(days=valid_days),
    )
    db.session.add(token)
    db.session.flush()
    record_audit(
        actor=actor,
        action="api_token.created",
        token=token.name,
        token_id=token.id,
        scopes=sorted(scopes),
        expires_at=token.expires_at.date().isoformat(),
    )
    return token, clear


def revoke_token(token_id: int, *, actor: Person, now: datetime | None = None) -> ApiToken | None:
    """Revoke a token at once (idempotent: an already revoked token stays as it was)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.revoked_at is not None:
        return token
    token.revoked_at = now or utcnow()
    token.revoked_by_id = actor.id
    record_audit(actor=actor, action="api_token.revoked", token=token.name, token_id=token.id)
    db.session.flush()
    return token


def tokens() -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken).order_by(
                ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc()
            )
        )
    )


def find_token(clear: str, now: datetime) -> tuple[ApiToken | None, str | None]:
    """The token with this clear text and why it does not authenticate (rules.token_problem)."""
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == rules.token_hash(clear))
    )
    problem = rules.token_problem(
        found=token is not None,
        revoked_at=token.revoked_at if token else None,
        expires_at=token.expires_at if token else None,
        now=now,
    )
    return token, problem


def count_call(token_id: int, now: datetime) -> int:
    """Count a call in the token's current minute and return the count so far, in one atomic
    UPDATE: every web worker and host counts on the same row (PostgreSQL locks the row, SQLite
    the database), so the limit holds whatever answers the call. Also notes when it was used."""
    minute = rules.minute_of(now)
    return db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.id == token_id)
        .values(
            window_calls=sa.case(
                (ApiToken.window_minute == minute, ApiToken.window_calls + 1), else_=1
            ),
            window_minute=minute,
            last_used_at=now,
        )
        .returning(ApiToken.window_calls)
        .execution_options(synchronize_session=False)
    ).scalar_one()
