"""Operations rules as pure functions: the state of an outbox mail and whether a retry may
touch it, which settings the settings page shows (never a secret), how a database URL is reduced
to its kind, whether the mail settings look filled in."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit, urlunsplit

# The outbox filter: German query value → the mails it lists. Anything else lists "offen".
OUTBOX_FILTERS = {
    "offen": "open",  # waiting and failed: everything not sent yet
    "wartend": "waiting",
    "fehlgeschlagen": "failed",
    "versendet": "sent",
}
DEFAULT_FILTER = "offen"


def outbox_filter(raw: str | None) -> str:
    """The filter value from the query string; unknown or odd values give the default."""
    value = (raw or "").strip().lower()
    return value if value in OUTBOX_FILTERS else DEFAULT_FILTER


def mail_state(sent_at: datetime | None, attempts: int) -> str:
    """sent, failed (tried at least once, not sent) or waiting (not tried yet)."""
    if sent_at is not None:
        return "sent"
    return "failed" if attempts > 0 else "waiting"


def retry_state(
    sent_at: datetime | None, next_attempt_at: datetime, now: datetime, lease: timedelta
) -> str:
    """Whether "retry now" may move a mail's next attempt to now.

    sent: nothing to do · due: the next send-mail run takes it anyway · soon: it is due within
    the sender's lease, so it may be being sent at this moment (a sender claims a mail by moving
    its next attempt ``lease`` ahead); moving it would let a second sender send it twice ·
    retryable: it waits for a later attempt (back-off) and may be moved to now."""
    if sent_at is not None:
        return "sent"
    if next_attempt_at <= now:
        return "due"
    if next_attempt_at <= now + lease:
        return "soon"
    return "retryable"


def mail_job_late(oldest_due_at: datetime | None, now: datetime, allowed: timedelta) -> bool:
    """True when a mail has been due for longer than ``allowed``: send-mail does not run every
    minute, or the mail server is not reachable."""
    return oldest_due_at is not None and now - oldest_due_at > allowed


DATABASE_KINDS = {"sqlite": "sqlite", "postgresql": "postgresql", "postgres": "postgresql"}


def database_kind(url) -> str:
    """sqlite, postgresql or other — from the URL's scheme only, so no user, password, host or
    file name ever leaves this function."""
    text = str(url or "")
    if "://" not in text:
        return "other"
    dialect = text.split("://", 1)[0].split("+", 1)[0].strip().lower()
    return DATABASE_KINDS.get(dialect, "other")


def without_credentials(url: str) -> str:
    """A URL without user name and password (``https://user:pw@host`` → ``https://host``)."""
    try:
        parts = urlsplit(str(url or ""))
        if "@" not in parts.netloc:
            return str(url or "")
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    except ValueError:
        return ""


MAIL_PROBLEMS = ("no_server", "bad_port", "bad_sender", "local_sender")


def mail_problems(server, port, sender) -> list[str]:
    """What keeps the mail settings from looking configured (keys of MAIL_PROBLEMS, in order);
    an empty list when server, port and sender look usable. Whether the server answers only the
    mail job can tell."""
    problems = []
    if not str(server or "").strip():
        problems.append("no_server")
    port_text = str(port).strip() if port is not None and not isinstance(port, bool) else ""
    if not (port_text.isascii() and port_text.isdecimal() and 0 < int(port_text) < 65536):
        problems.append("bad_port")
    address = parseaddr(str(sender or ""))[1]
    local, _at, domain = address.rpartition("@")
    domain = domain.lower().rstrip(".")
    if not local or not domain:
        problems.append("bad_sender")
    elif domain == "localhost" or domain.endswith(".localhost") or "." not in domain:
        problems.append("local_sender")
    return problems


# The settings page, in groups. "DATABASE" is the kind of database only, never its URL.
# SECRET_KEY and anything holding a password are deliberately not in this list.
SETTING_GROUPS = (
    (
        "address",
        ("BASE_URL", "ALLOWED_HOSTS", "PROXY_FIX", "SESSION_COOKIE_SECURE", "COMPANY_NAME"),
    ),
    (
        "login",
        (
            "SESSION_IDLE_MINUTES",
            "SESSION_ABSOLUTE_HOURS",
            "LOGIN_FREE_FAILURES",
            "LOGIN_DELAY_BASE_SECONDS",
            "LOGIN_DELAY_MAX_SECONDS",
            "LOGIN_ACCOUNT_CEILING",
            "LOGIN_FAILURE_WINDOW_MINUTES",
            "RESET_LIMIT_PER_ADDRESS",
            "RESET_LIMIT_PER_CLIENT",
            "RESET_LIMIT_WINDOW_MINUTES",
            "RESET_VALID_HOURS",
            "INVITATION_VALID_HOURS",
            "PASSWORD_MIN_LENGTH",
        ),
    ),
    (
        "learning",
        (
            "QUIZ_PASS_PERCENT",
            "QUIZ_FAILED_ATTEMPTS_BEFORE_PAUSE",
            "QUIZ_PAUSE_MINUTES",
            "REASSESSMENT_INTERVAL_DAYS",
            "MENTORING_QUEUE_LENGTH",
            "CONTENT_DIR",
        ),
    ),
    (
        "privacy",
        (
            "PRIVACY_MIN_GROUP",
            "RETENTION_ANSWERS_MONTHS",
            "RETENTION_SENT_MAIL_DAYS",
            "RETENTION_READ_NOTICES_DAYS",
        ),
    ),
    (
        "mail",
        (
            "MAIL_SERVER",
            "MAIL_PORT",
            "MAIL_SENDER",
            "MAIL_USE_TLS",
            "MAIL_USE_STARTTLS",
            "MAIL_USERNAME",
        ),
    ),
    ("database", ("DATABASE",)),
)
ENVIRONMENT_NAMES = {"DATABASE": "LERNPFAD_DATABASE_URL"}


@dataclass(frozen=True)
class Setting:
    key: str
    environment: str  # the variable that sets it
    value: object  # bool, int, str, tuple of str, or None


def setting_value(key: str, config) -> object:
    """The value shown for ``key``: credentials removed, lists as tuples."""
    if key == "DATABASE":
        return database_kind(config.get("SQLALCHEMY_DATABASE_URI"))
    value = config.get(key)
    if key == "BASE_URL":
        return without_credentials(value)
    if key == "ALLOWED_HOSTS":
        hosts = value.split(",") if isinstance(value, str) else value or ()
        return tuple(host.strip() for host in hosts if host.strip())
    return value


def shown_settings(config) -> list[tuple[str, list[Setting]]]:
    """The settings page's rows, group by group."""
    return [
        (
            group,
            [
                Setting(
                    key, ENVIRONMENT_NAMES.get(key, f"LERNPFAD_{key}"), setting_value(key, config)
                )
                for key in keys
            ],
        )
        for group, keys in SETTING_GROUPS
    ]
