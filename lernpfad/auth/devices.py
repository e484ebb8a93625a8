"""The device cookie: a browser that has signed in to an account before is recognised as that
account's own client, so that failed logins from elsewhere never hold it (auth/rules.py).

The cookie holds, signed, up to five pairs of (keyed hash of the account's e-mail address, random
device id) — no address in clear text — and says nothing by itself: it only marks a client."""

import hashlib
import hmac
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "lernpfad_geraet"
MAX_ACCOUNTS = 5
MAX_AGE = 180 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="lernpfad-device")


def _account_key(email: str) -> str:
    key = current_app.secret_key.encode() if isinstance(current_app.secret_key, str) else b""
    return hmac.new(key, email.encode(), hashlib.sha256).hexdigest()[:24]


def _entries() -> list[list[str]]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return []
    if not isinstance(value, list):
        return []
    return [
        e
        for e in value
        if isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e)
    ]


def device_id(email: str) -> str | None:
    """This browser's device id for the account, or None when it has not signed in to it."""
    account = _account_key(email)
    return next((device for key, device in _entries() if key == account), None)


def remember_device(response, email: str) -> None:
    """After a successful login: this browser becomes one of the account's own clients."""
    account = _account_key(email)
    known = device_id(email)
    entries = [e for e in _entries() if e[0] != account]
    entries.insert(0, [account, known or secrets.token_urlsafe(12)])
    response.set_cookie(
        COOKIE,
        _serializer().dumps(entries[:MAX_ACCOUNTS]),
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]) or request.is_secure,
    )
