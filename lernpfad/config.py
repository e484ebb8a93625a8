"""Configuration: defaults, then the instance folder's config.py, then LERNPFAD_* variables."""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

DEFAULTS = {
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "lernpfad_session",
    # Cookies are Secure on every HTTPS request; set 1 to force it (e.g. TLS ends at a proxy
    # without LERNPFAD_PROXY_FIX=1, which trusts one proxy's X-Forwarded-* headers).
    "SESSION_COOKIE_SECURE": False,
    "PROXY_FIX": False,
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "SESSION_IDLE_MINUTES": 60,
    "SESSION_ABSOLUTE_HOURS": 12,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "BABEL_DEFAULT_LOCALE": "de",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
    "LANGUAGES": ("de", "en"),
    # Login throttling per account and client (auth/rules.py): after LOGIN_FREE_FAILURES a client
    # waits, doubling from the base delay up to the maximum; clients without the account's device
    # cookie all wait once together they failed LOGIN_ACCOUNT_CEILING times in the window.
    "LOGIN_FAILURE_WINDOW_MINUTES": 60,
    "LOGIN_FREE_FAILURES": 5,
    "LOGIN_DELAY_BASE_SECONDS": 2,
    "LOGIN_DELAY_MAX_SECONDS": 900,
    "LOGIN_ACCOUNT_CEILING": 100,
    "INVITATION_VALID_HOURS": 72,
    "RESET_VALID_HOURS": 2,
    # "Forgot password": per address and per client (IP) within the window; see auth/services.
    "RESET_LIMIT_PER_ADDRESS": 3,
    "RESET_LIMIT_PER_CLIENT": 20,
    "RESET_LIMIT_WINDOW_MINUTES": 60,
    # The public certificate verification page (/verify/<code>): look-ups per client (IPv4
    # address or IPv6 /64) within the window, against guessing codes.
    "VERIFY_LIMIT_PER_CLIENT": 30,
    "VERIFY_LIMIT_WINDOW_MINUTES": 10,
    # The credentials' signing key (certification/credentials/keys.py). Empty: made once in the
    # instance folder. Several hosts: the path of one shared key file, which must exist.
    "CREDENTIAL_KEY_FILE": "",
    "PASSWORD_MIN_LENGTH": 12,
    # The company's name: passwords made of it are refused (as are the product's name and the
    # person's own name and address).
    "COMPANY_NAME": "",
    "PASSWORD_MAX_LENGTH": 128,
    "REASSESSMENT_INTERVAL_DAYS": 180,
    "QUIZ_PASS_PERCENT": 80,
    # After this many failed quiz attempts in a row, the next waits this long (modules/rules.py).
    "QUIZ_FAILED_ATTEMPTS_BEFORE_PAUSE": 3,
    "QUIZ_PAUSE_MINUTES": 10,
    "SUBMISSION_MAX_CHARS": 20000,
    "MENTORING_QUEUE_LENGTH": 50,  # hand-ins listed at once on a champion's queue
    "PRIVACY_MIN_GROUP": 5,
    # JSON API (lernpfad/api): calls per token and minute, counted in the database (one atomic
    # UPDATE per call), so the limit holds across gunicorn workers and hosts.
    "API_RATE_LIMIT_PER_MINUTE": 120,
    # aggregate (default): competence levels only as aggregates over PRIVACY_MIN_GROUP people;
    # individual: HR sees one person's levels too, audited. The starting point: an administrator
    # switches it in the app (privacy/mode.py), audited.
    "PRIVACY_MODE": "aggregate",
    # Retention (jobs/retention.py, run daily by the scheduler).
    "RETENTION_ANSWERS_MONTHS": 24,  # self-assessment and quiz answers; levels stay
    "RETENTION_SENT_MAIL_DAYS": 30,  # sent mails (they may hold one-time links)
    "CONTENT_DIR": str(Path(__file__).resolve().parent.parent / "content"),
    # Empty: no mail server set up — invitation links are shown to HR to pass on instead.
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_SENDER": "Lernpfad <lernpfad@localhost>",
    # SMTP over TLS from the first byte (usually port 465), or STARTTLS on a plain port (587);
    # a user name makes the outbox log in (AUTH) with the password.
    "MAIL_USE_TLS": False,
    "MAIL_USE_STARTTLS": False,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    # Reminders and digests (jobs/reminders.py, jobs/certificates.py, jobs/digest.py).
    "INACTIVITY_DAYS": 14,  # no learning activity this long: a reminder …
    "INACTIVITY_REPEAT_DAYS": 7,  # … at most once in this many days
    "DUE_SOON_DAYS": 3,  # an assigned module due within this many days: one reminder
    "CERTIFICATE_NOTICE_DAYS": "60,30,7",  # days before a certificate expires: one notice each
    "RETENTION_READ_NOTICES_DAYS": 90,  # read in-app notices are deleted after this many days
    # Every link that leaves the app is built from BASE_URL; requests for any other host are
    # refused (apart from the names in ALLOWED_HOSTS, comma-separated, e.g. a second domain).
    "BASE_URL": "http://127.0.0.1:5000",
    "ALLOWED_HOSTS": None,
    # xAPI (lernpfad/xapi, README "xAPI / Learning Record Store"): the LRS's statement endpoint
    # (…/xapi/, "statements" is appended) and its Basic-auth credentials. Empty: nothing is sent
    # (the statements can still be exported); set, the scheduler's job "xapi" sends them.
    "XAPI_ENDPOINT": "",
    "XAPI_USERNAME": "",
    "XAPI_PASSWORD": "",
    # Single sign-on with OpenID Connect (lernpfad/sso, README "Single Sign-on"): issuer URL,
    # client id and secret of the app registered at the company's provider; all three set
    # switch it on. The redirect URI to register is BASE_URL + /anmelden/firmenkonto/rueckkehr.
    "OIDC_ISSUER": "",
    "OIDC_CLIENT_ID": "",
    "OIDC_CLIENT_SECRET": "",
    # 1: someone with a verified company address but no account here gets one (as a learner,
    # in the department named by OIDC_DEPARTMENT_CLAIM if one of that name exists); 0: refused.
    "OIDC_CREATE_ACCOUNTS": False,
    "OIDC_DEPARTMENT_CLAIM": "department",
    "OIDC_TIMEOUT_SECONDS": 5,  # each call to the provider (discovery, keys, token)
    # Password login: "all", or "admins" (with SSO configured, everyone else signs in with the
    # company account; their password form and password reset are refused).
    "PASSWORD_LOGIN": "all",
}

# LERNPFAD_<NAME> overrides <NAME>; values are parsed by the type of the default.
_ENV_KEYS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
}


def _coerce(default, raw: str):
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, timedelta):
        return timedelta(seconds=int(raw))
    return raw


def from_environment(environ=os.environ) -> dict:
    """Return the settings named by LERNPFAD_* variables."""
    found = {}
    for name, raw in environ.items():
        if not name.startswith("LERNPFAD_") or name.startswith("LERNPFAD_TEST_"):
            continue
        key = name.removeprefix("LERNPFAD_")
        key = _ENV_KEYS.get(key, key)
        found[key] = _coerce(DEFAULTS.get(key), raw)
    return found


def instance_secret_key(instance_path: str) -> str:
    """Create a random secret key once and keep it in the instance folder (mode 0600). Several
    workers starting together race to make it: the first file linked into place wins, the
    others read it (never a half-written file)."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-key-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            os.link(temporary, path)  # fails if another process was quicker
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


def default_database_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "lernpfad.sqlite3")
