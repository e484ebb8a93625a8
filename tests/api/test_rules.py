"""The API's pure rules, table by table: scopes, the token from a header, cursors, problems."""

from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.datastructures import LanguageAccept, MultiDict

from lernpfad.api import rules

KEY = b"test-key"
NOW = datetime(2026, 12, 7, 3, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("granted", "needed", "allowed"),
    [
        ({"people:read"}, "people:read", True),
        ({"people:write"}, "people:read", True),  # writing answers with the person
        ({"people:read"}, "people:write", False),
        ({"records:read"}, "people:read", False),
        ({"reports:read"}, "records:read", False),
        (set(), "reports:read", False),
        (set(rules.SCOPES), "reports:read", True),
    ],
)
def test_has_scope(granted, needed, allowed):
    assert rules.has_scope(granted, needed) is allowed


@pytest.mark.parametrize(
    ("values", "known", "unknown"),
    [
        (["people:read"], {"people:read"}, []),
        (["people:read", "admin"], {"people:read"}, ["admin"]),
        ([], set(), []),
        (["PEOPLE:READ"], set(), ["PEOPLE:READ"]),
    ],
)
def test_parse_scopes(values, known, unknown):
    assert rules.parse_scopes(values) == (frozenset(known), unknown)


@pytest.mark.parametrize(
    ("header", "token", "why"),
    [
        (None, None, "missing"),
        ("", None, "missing"),
        ("   ", None, "missing"),
        ("Bearer lp_abc", "lp_abc", None),
        ("bearer lp_abc", "lp_abc", None),  # the scheme is case-insensitive (RFC 7235)
        ("Bearer   lp_abc  ", "lp_abc", None),
        ("Basic dXNlcjpwdw==", None, "scheme"),
        ("lp_abc", None, "scheme"),
        ("Bearer", None, "malformed"),
        ("Bearer a b", None, "malformed"),
        ("Bearer " + "x" * 101, None, "malformed"),
        ("Bearer lp_äbc", None, "malformed"),
        ("Bearer lp_\x01", None, "malformed"),
    ],
)
def test_bearer_token(header, token, why):
    assert rules.bearer_token(header) == (token, why)


@pytest.mark.parametrize(
    ("args", "refused"),
    [
        ({}, False),
        ({"limit": "5"}, False),
        ({"token": "lp_x"}, True),
        ({"access_token": "lp_x"}, True),
        ({"api_key": ""}, True),
    ],
)
def test_token_in_query(args, refused):
    assert rules.token_in_query(MultiDict(args)) is refused


@pytest.mark.parametrize(
    ("found", "revoked_at", "expires_at", "problem"),
    [
        (False, None, None, "unknown"),
        (True, None, NOW + timedelta(seconds=1), None),
        (True, None, NOW, "expired"),
        (True, None, NOW - timedelta(days=1), "expired"),
        (True, NOW - timedelta(days=1), NOW + timedelta(days=1), "revoked"),
    ],
)
def test_token_problem(found, revoked_at, expires_at, problem):
    assert (
        rules.token_problem(found=found, revoked_at=revoked_at, expires_at=expires_at, now=NOW)
        == problem
    )


def test_new_tokens_are_random_and_hashed():
    first, second = rules.new_token(), rules.new_token()
    assert first != second and first.startswith("lp_") and len(first) > 40
    assert rules.token_hash(first) != rules.token_hash(second)
    assert len(rules.token_hash(first)) == 64


@pytest.mark.parametrize(
    ("moment", "seconds"),
    [(NOW, 30), (NOW.replace(second=0), 60), (NOW.replace(second=59), 1)],
)
def test_retry_after_is_the_rest_of_the_minute(moment, seconds):
    assert rules.retry_after(moment) == seconds


def test_minutes_count_apart():
    assert rules.minute_of(NOW) == rules.minute_of(NOW.replace(second=0))
    assert rules.minute_of(NOW + timedelta(minutes=1)) == rules.minute_of(NOW) + 1


FILTERS = {"updated_since": None}


def test_a_cursor_comes_back_as_it_went_out():
    cursor = rules.encode_cursor(KEY, "people", FILTERS, 42)
    assert rules.decode_cursor(KEY, cursor, "people", FILTERS) == 42


def _tampered():
    good = rules.encode_cursor(KEY, "people", FILTERS, 42)
    body, signature = good.split(".")
    forged_body = rules._b64(b'{"a":1,"f":{"updated_since":null},"l":"people"}')
    return [
        ("", "format"),
        ("abc", "format"),
        ("a.b.c", "format"),
        (good[:-1] + ("0" if good[-1] != "0" else "1"), "signature"),
        (forged_body + "." + signature, "signature"),
        ("!!!." + signature, "format"),
        (body + "." + signature[:-1] + "ä", "format"),  # Schemathesis: non-ASCII, not a 500
        (body + "ß." + signature, "format"),
        ("x" * 600, "format"),
        (rules.encode_cursor(b"other key", "people", FILTERS, 42), "signature"),
        (rules.encode_cursor(KEY, "completions", FILTERS, 42), "context"),
        (rules.encode_cursor(KEY, "people", {"updated_since": "2026-01-01"}, 42), "context"),
        (rules.encode_cursor(KEY, "people", FILTERS, -1), "format"),
    ]


@pytest.mark.parametrize(("cursor", "reason"), _tampered())
def test_a_tampered_or_transplanted_cursor_is_refused(cursor, reason):
    with pytest.raises(rules.CursorInvalid) as refused:
        rules.decode_cursor(KEY, cursor, "people", FILTERS)
    assert str(refused.value) == reason


@pytest.mark.parametrize(
    ("language", "detail"),
    [("de", "Deutsch"), ("en", "English")],
)
def test_problem_documents(language, detail):
    document = rules.problem(
        422,
        kind="validation",
        title="T",
        detail_de="Deutsch",
        detail_en="English",
        language=language,
        errors={"name": ["x"]},
    )
    assert document == {
        "type": rules.PROBLEM_TYPE_BASE + "validation",
        "title": "T",
        "status": 422,
        "detail": detail,
        "detail_de": "Deutsch",
        "detail_en": "English",
        "errors": {"name": ["x"]},
    }


def test_a_problem_without_field_errors_has_no_errors_member():
    document = rules.problem(
        404, kind="not_found", title="T", detail_de="d", detail_en="e", language="de"
    )
    assert "errors" not in document


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ([], "de"),
        ([("en", 1)], "en"),
        ([("en-GB", 1)], "en"),
        ([("fr", 1)], "de"),
        ([("fr", 1), ("en", 0.5)], "en"),
        ([("de", 1), ("en", 0.9)], "de"),
        ([("en", 0.5), ("de", 0.8)], "de"),
    ],
)
def test_negotiate_language(header, language):
    assert rules.negotiate_language(LanguageAccept(header)) == language
