"""The privacy mode: ``aggregate`` (default, fit for a works agreement) shows competence levels
only as aggregates over groups of at least PRIVACY_MIN_GROUP people; ``individual`` lets HR see
one person's levels too, every view audited. An administrator switches it (audited)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from lernpfad.extensions import db
from lernpfad.privacy.models import PrivacyModeChange

AGGREGATE = "aggregate"
INDIVIDUAL = "individual"
MODES = (AGGREGATE, INDIVIDUAL)


class ModeRefused(ValueError):
    """The switch is not allowed; the message key says why."""


@dataclass(frozen=True)
class ModeState:
    mode: str
    since: datetime | None  # None: set by configuration, never switched in the app
    changed_by: str | None
    reason: str


def configured_mode() -> str:
    """LERNPFAD_PRIVACY_MODE, or aggregate when it is unset or unknown (the safe side)."""
    value = str(current_app.config.get("PRIVACY_MODE") or AGGREGATE).strip().lower()
    return value if value in MODES else AGGREGATE


def mode_state() -> ModeState:
    """The mode in force, and where it comes from."""
    latest = db.session.scalars(
        sa.select(PrivacyModeChange).order_by(PrivacyModeChange.id.desc()).limit(1)
    ).first()
    if latest is None:
        return ModeState(configured_mode(), None, None, "")
    from lernpfad.auth.models import Person

    actor = db.session.get(Person, latest.changed_by_id) if latest.changed_by_id else None
    return ModeState(latest.mode, latest.changed_at, actor.name if actor else None, latest.reason)


def privacy_mode() -> str:
    return mode_state().mode


def individual_levels_allowed() -> bool:
    return privacy_mode() == INDIVIDUAL


def switch_mode(mode: str, *, actor, reason: str) -> PrivacyModeChange:
    """Switch the privacy mode (flushed; the caller commits). Raises ModeRefused("unknown" |
    "unchanged" | "no_reason")."""
    from lernpfad.audit.services import hold_chain, record_audit

    if mode not in MODES:
        raise ModeRefused("unknown")
    reason = (reason or "").strip()
    if not reason:
        raise ModeRefused("no_reason")
    # Two administrators switching at once: the second reads the mode after the first's commit
    # (and is told it is in force already), never both the old one.
    hold_chain()
    before = privacy_mode()
    if mode == before:
        raise ModeRefused("unchanged")
    change = PrivacyModeChange(mode=mode, reason=reason, changed_by_id=actor.id if actor else None)
    db.session.add(change)
    record_audit(
        actor=actor, action="privacy_mode.switched", before=before, after=mode, reason=reason
    )
    db.session.flush()
    return change
