"""The API's rules as pure functions: scopes, reading the token from a request, cursors, rate
windows and problem documents (RFC 9457)."""

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime

PEOPLE_READ = "people:read"
PEOPLE_WRITE = "people:write"
RECORDS_READ = "records:read"
REPORTS_READ = "reports:read"
SCOPES = (PEOPLE_READ, PEOPLE_WRITE, RECORDS_READ, REPORTS_READ)

TOKEN_PREFIX = "lp_"  # tells a Lernpfad token apart in logs and secret scanners
TOKEN_BYTES = 32  # 256 bits of randomness: a plain SHA-256 of it is a safe stored form
MAX_TOKEN_LENGTH = 100
PROBLEM_TYPE_BASE = "https://lernpfad.invalid/probleme/"  # stable identifiers, not links


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_scopes(values) -> tuple[frozenset[str], list[str]]:
    """The known scopes among ``values`` and the unknown ones (in their order)."""
    known, unknown = set(), []
    for value in values:
        (known.add if value in SCOPES else unknown.append)(value)
    return frozenset(known), unknown


def scopes_text(scopes) -> str:
    return " ".join(sorted(scopes))


def has_scope(granted, needed: str) -> bool:
    """``people:write`` includes ``people:read`` (writing answers with the person)."""
    granted = set(granted)
    if needed == PEOPLE_READ and PEOPLE_WRITE in granted:
        return True
    return needed in granted


def bearer_token(authorization: str | None) -> tuple[str | None, str | None]:
    """The token of an ``Authorization: Bearer …`` header, or why there is none: "missing",
    "scheme" (another scheme than Bearer) or "malformed" (empty, too long, not printable)."""
    if not authorization or not authorization.strip():
        return None, "missing"
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None, "scheme"
    value = value.strip()
    if (
        not value
        or len(value) > MAX_TOKEN_LENGTH
        or not value.isascii()
        or not value.isprintable()
        or " " in value
    ):
        return None, "malformed"
    return value, None


QUERY_TOKEN_NAMES = ("token", "access_token", "api_key", "apikey", "key")


def token_in_query(args) -> bool:
    """Did the caller put a token into the URL (where proxies and logs keep it)?"""
    return any(name in args for name in QUERY_TOKEN_NAMES)


def token_problem(
    *, found: bool, revoked_at: datetime | None, expires_at: datetime | None, now: datetime
) -> str | None:
    """Why a presented token does not authenticate: "unknown", "revoked", "expired"; or None."""
    if not found:
        return "unknown"
    if revoked_at is not None:
        return "revoked"
    if expires_at is not None and expires_at <= now:
        return "expired"
    return None


# --- rate windows ---------------------------------------------------------------------------


def minute_of(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def retry_after(moment: datetime) -> int:
    """Seconds until the next minute's window opens (at least 1)."""
    return max(1, 60 - int(moment.timestamp()) % 60)


# --- cursors --------------------------------------------------------------------------------


class CursorInvalid(ValueError):
    pass


def _sign(key: bytes, payload: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()[:32]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def encode_cursor(key: bytes, listing: str, filters: dict, after: int) -> str:
    """An opaque cursor: the last id of a page, bound to its listing and filters and signed,
    so a changed or transplanted cursor is refused instead of read."""
    payload = json.dumps(
        {"l": listing, "f": filters, "a": after}, sort_keys=True, separators=(",", ":")
    ).encode()
    return _b64(payload) + "." + _sign(key, payload)


MAX_CURSOR_LENGTH = 500


def decode_cursor(key: bytes, cursor: str, listing: str, filters: dict) -> int:
    """The id after which the page goes on. Raises CursorInvalid for anything not made by
    encode_cursor with the same key, listing and filters."""
    if (
        not cursor
        or len(cursor) > MAX_CURSOR_LENGTH
        or not cursor.isascii()  # compare_digest refuses non-ASCII strings with a TypeError
        or cursor.count(".") != 1
    ):
        raise CursorInvalid("format")
    body, signature = cursor.split(".")
    try:
        payload = _unb64(body)
    except ValueError:  # binascii.Error included
        raise CursorInvalid("format") from None
    if not hmac.compare_digest(_sign(key, payload), signature):
        raise CursorInvalid("signature")
    try:
        data = json.loads(payload)
    except ValueError:
        raise CursorInvalid("format") from None
    if not isinstance(data, dict) or data.get("l") != listing or data.get("f") != filters:
        raise CursorInvalid("context")
    after = data.get("a")
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after < 2**63:
        raise CursorInvalid("format")
    return after


# --- problems -------------------------------------------------------------------------------


def problem(
    status: int,
    *,
    kind: str,
    title: str,
    detail_de: str,
    detail_en: str,
    language: str,
    errors: dict | None = None,
) -> dict:
    """An RFC 9457 problem document: ``detail`` in the negotiated ``language`` ("de" or "en"),
    both languages beside it (``detail_de``, ``detail_en``), and per-field ``errors`` (field →
    list of messages in the negotiated language) for validation problems."""
    document = {
        "type": PROBLEM_TYPE_BASE + kind,
        "title": title,
        "status": status,
        "detail": detail_en if language == "en" else detail_de,
        "detail_de": detail_de,
        "detail_en": detail_en,
    }
    if errors:
        document["errors"] = errors
    return document


def negotiate_language(accept_language, languages=("de", "en"), default: str = "de") -> str:
    """The language from an Accept-Language header (werkzeug's parsed value); German unless the
    client prefers English."""
    if not accept_language:
        return default
    return accept_language.best_match(languages, default=default) or default
