"""The audit chain as pure functions: the hash of an entry, and the first broken link."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from lernpfad.forms import parse_day

GENESIS = "0" * 64  # the predecessor of the first entry


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def details_digest(details: dict | None) -> str:
    return hashlib.sha256(canonical_json(details or {}).encode()).hexdigest()


def event_hash(
    prev_hash: str,
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    subject_id: int | None,
    details_digest: str,
) -> str:
    """SHA-256 over the predecessor's hash and the entry's fields (time to the microsecond)."""
    fields = [
        prev_hash,
        at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"),
        actor_id,
        action,
        subject_id,
        details_digest,
    ]
    return hashlib.sha256(canonical_json(fields).encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """An entry as stored (what verification reads)."""

    id: int
    at: datetime
    actor_id: int | None
    action: str
    subject_id: int | None
    details: dict
    details_digest: str
    prev_hash: str
    hash: str
    subject_erased: bool = False  # the subject is anonymised: details may have been erased


@dataclass(frozen=True)
class Break:
    entry_id: int | None  # None: the chain's end does not match the head
    reason: str  # prev_hash | hash | details | missing_end | length | unchained


def first_break(
    entries: Iterable[Entry], head_length: int | None, head_hash: str | None
) -> tuple[Break | None, int]:
    """Walk the entries in chain order; the first link that does not hold, and how many were read.

    A changed field breaks the entry's own hash; a deleted entry breaks its successor's
    ``prev_hash``; a deleted last entry (or a row added past the app) disagrees with the head.
    Details erased from an anonymised person's entries are allowed (``details == {}``)."""
    expected_prev = GENESIS
    count = 0
    for entry in entries:
        count += 1
        if entry.prev_hash != expected_prev:
            return Break(entry.id, "prev_hash"), count
        if details_digest(entry.details) != entry.details_digest and not (
            entry.subject_erased and entry.details == {}
        ):
            return Break(entry.id, "details"), count
        recomputed = event_hash(
            entry.prev_hash,
            at=entry.at,
            actor_id=entry.actor_id,
            action=entry.action,
            subject_id=entry.subject_id,
            details_digest=entry.details_digest,
        )
        if recomputed != entry.hash:
            return Break(entry.id, "hash"), count
        expected_prev = entry.hash
    if head_length is not None and head_length != count:
        return Break(None, "length"), count
    if head_hash is not None and count and head_hash != expected_prev:
        return Break(None, "missing_end"), count
    return None, count


# The audit page's period: at most this many days at once (a year and a day, for a year's
# comparison); without dates, the last DEFAULT_DAYS.
MAX_PERIOD_DAYS = 366
DEFAULT_DAYS = 30
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive


def parse_period(
    raw_start: str | None, raw_end: str | None, today: date
) -> tuple[Period | None, dict[str, str]]:
    """The period from the filter's two dates (YYYY-MM-DD, as a date field sends them, or
    TT.MM.JJJJ as typed), or the problems by field: "invalid", "future", "too_early",
    "reversed", "too_long"."""

    problems: dict[str, str] = {}
    values: dict[str, date | None] = {}
    for name, raw in (("start", raw_start), ("end", raw_end)):
        raw = (raw or "").strip()
        if not raw:
            values[name] = None
            continue
        values[name] = parse_day(raw)
        if values[name] is None:
            problems[name] = "invalid"
            continue
        if values[name] < EARLIEST:
            problems[name] = "too_early"
        elif values[name] > today:
            problems[name] = "future"
    if problems:
        return None, problems
    end = values["end"] or today
    start = values["start"] or max(EARLIEST, end - timedelta(days=DEFAULT_DAYS - 1))
    if start > end:
        return None, {"start": "reversed"}
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        return None, {"start": "too_long"}
    return Period(start, end), {}
