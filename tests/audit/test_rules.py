"""The audit chain and the filter period as pure functions, table-driven."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from lernpfad.audit import rules


def chain(n: int) -> list[rules.Entry]:
    entries, prev = [], rules.GENESIS
    for i in range(1, n + 1):
        details = {"role": "hr", "n": i}
        digest = rules.details_digest(details)
        at = datetime(2026, 12, 1, 9, 0, i, 123456, tzinfo=UTC)
        own = rules.event_hash(
            prev, at=at, actor_id=1, action="role.granted", subject_id=2, details_digest=digest
        )
        entries.append(rules.Entry(i, at, 1, "role.granted", 2, details, digest, prev, own))
        prev = own
    return entries


def tampered(kind: str) -> tuple[list[rules.Entry], int, str]:
    entries = chain(5)
    length, last = 5, entries[-1].hash
    if kind == "action":
        entries[2] = replace(entries[2], action="role.removed")
    elif kind == "time":
        entries[2] = replace(entries[2], at=entries[2].at + timedelta(seconds=1))
    elif kind == "actor":
        entries[2] = replace(entries[2], actor_id=7)
    elif kind == "details":
        entries[2] = replace(entries[2], details={"role": "admin", "n": 3})
    elif kind == "details_and_digest":
        details = {"role": "admin", "n": 3}
        entries[2] = replace(
            entries[2], details=details, details_digest=rules.details_digest(details)
        )
    elif kind == "delete_middle":
        del entries[2]
    elif kind == "delete_last":
        del entries[-1]
    elif kind == "delete_last_and_head_length":
        del entries[-1]
        length = 4
    elif kind == "erase_details_of_other":
        entries[2] = replace(entries[2], details={})
    return entries, length, last


@pytest.mark.parametrize(
    ("kind", "entry_id", "reason"),
    [
        ("action", 3, "hash"),
        ("time", 3, "hash"),
        ("actor", 3, "hash"),
        ("details", 3, "details"),
        ("details_and_digest", 3, "hash"),
        ("delete_middle", 4, "prev_hash"),
        ("delete_last", None, "length"),
        ("delete_last_and_head_length", None, "missing_end"),
        ("erase_details_of_other", 3, "details"),
    ],
)
def test_tampering_is_found_at_its_place(kind, entry_id, reason):
    entries, length, last = tampered(kind)
    broken, _read = rules.first_break(entries, length, last)
    assert broken == rules.Break(entry_id, reason)


def test_an_intact_chain_and_an_anonymised_persons_erased_details_pass():
    entries = chain(4)
    assert rules.first_break(entries, 4, entries[-1].hash) == (None, 4)
    entries[1] = replace(entries[1], details={}, subject_erased=True)
    assert rules.first_break(entries, 4, entries[-1].hash) == (None, 4)
    assert rules.first_break([], 0, rules.GENESIS) == (None, 0)


TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("start", "end", "period", "problems"),
    [
        ("", "", rules.Period(date(2026, 11, 7), TODAY), {}),
        ("2026-01-01", "2026-01-31", rules.Period(date(2026, 1, 1), date(2026, 1, 31)), {}),
        ("2025-12-06", "2026-12-06", rules.Period(date(2025, 12, 6), TODAY), {}),
        ("2016-12-06", "2026-12-06", None, {"start": "too_long"}),
        ("2026-02-01", "2026-01-01", None, {"start": "reversed"}),
        ("31.01.2026", "", rules.Period(date(2026, 1, 31), TODAY), {}),
        ("31.13.2026", "", None, {"start": "invalid"}),
        ("2026-02-30", "", None, {"start": "invalid"}),
        ("２０２６-01-01", "", None, {"start": "invalid"}),
        ("", "2027-01-01", None, {"end": "future"}),
        ("1999-12-31", "", None, {"start": "too_early"}),
        ("9999999999999", "x", None, {"start": "invalid", "end": "invalid"}),
    ],
)
def test_the_filter_period(start, end, period, problems):
    assert rules.parse_period(start, end, TODAY) == (period, problems)


@pytest.mark.parametrize(
    ("details", "text"),
    [
        ({}, ""),
        ({"role": "champion", "via": "import"}, "Rolle: KI-Champion · Weg: CSV-Import"),
        ({"fields": ["name", "email"]}, "Felder: name, email"),
        ({"levels": True}, "mit Kompetenzstufen: ja"),
        (
            {"before": {"role": None}, "after": {"role": "anwender", "nominated": False}},
            "nachher: nominiert nein, Rolle anwender · vorher: Rolle –",
        ),
        ({"unknown_key": 3}, "unknown_key: 3"),
    ],
)
def test_details_read_as_german(app, details, text):
    from lernpfad.audit.forms import detail_text

    with app.test_request_context():
        assert detail_text(details) == text
